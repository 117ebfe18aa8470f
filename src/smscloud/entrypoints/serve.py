"""`smscloud serve`: the whole platform from one command.

This process serves the API; beside it, as child processes with the same settings (so that the
platform uses more than one core, see docs/adr/0006-processes.md), run the carrier connector(s)
(senders, receipt intake, reconciler; `dispatch.connector_processes` of them) and, by default,
the built-in SMSC simulator. The
embedded defaults: SQLite in the data directory, the database as the queue.
"""

from __future__ import annotations

import asyncio
import os
import shlex
import shutil
import signal
import socket
import sys
from collections.abc import Mapping
from pathlib import Path

import structlog
from sqlalchemy.engine import make_url

from smscloud.adapters.notifier.smtp import SmtpMailer
from smscloud.bootstrap import Platform, build_asgi_app, connector_doorbell, ensure_simulator_carrier, open_platform
from smscloud.config import Settings
from smscloud.domain.identity.model import Operator
from smscloud.entrypoints.children import ChildProcess
from smscloud.entrypoints.cli_errors import CommandError, listen_failure
from smscloud.entrypoints.http_server import http_server
from smscloud.entrypoints.locks import AlreadyRunning, single_instance
from smscloud.entrypoints.operators import ensure_first_operator
from smscloud.entrypoints.running import serving_at
from smscloud.entrypoints.simulator import simulator_config
from smscloud.entrypoints.workers.mail_sender import MailSender

__all__ = ["ServeError", "serve", "smscloud_command"]

log = structlog.get_logger(__name__)


class ServeError(CommandError, RuntimeError):
    """The platform cannot start; the message says why and what to do (exit code 1)."""


def _listen(host: str, port: int, what: str) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise ServeError(listen_failure(host, port, what, exc)) from exc
    return sock


def _check_simulator_port(settings: Settings) -> None:
    """Fail now, with a clear message, rather than in the simulator's own process later."""
    _listen(settings.simulator.host, settings.simulator.port, "carrier simulator").close()


def _on_users_path(executable: Path, environ: Mapping[str, str]) -> bool:
    """Whether `smscloud` typed in the user's shell runs `executable`. Under `uv run` (and `make
    run`) the virtual environment's bin is on this process's PATH only: it does not count."""
    path = environ.get("PATH", "")
    if environ.get("UV_RUN_RECURSION_DEPTH") and environ.get("VIRTUAL_ENV"):
        venv_bin = str(Path(environ["VIRTUAL_ENV"]) / "bin")
        path = os.pathsep.join(entry for entry in path.split(os.pathsep) if entry.rstrip("/") != venv_bin)
    found = shutil.which("smscloud", path=path)
    try:
        return found is not None and os.path.samefile(found, executable)
    except OSError:
        return False


def smscloud_command(
    settings: Settings,
    *args: str,
    argv0: str | None = None,
    environ: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> str:
    """`smscloud <args>` on this platform, as the user can type it here: `smscloud` when that is
    on their PATH, else the path of this script (`.venv/bin/smscloud`); then --data-dir and
    --database-url when they are not the defaults (a password in the URL shown as ***)."""
    environ = os.environ if environ is None else environ
    cwd = Path.cwd() if cwd is None else cwd
    script = Path(sys.argv[0] if argv0 is None else argv0)
    if script.suffix == ".py":  # `python -m smscloud.entrypoints.cli serve`: the installed script beside python
        script = Path(sys.executable).with_name("smscloud")
    script = script if script.is_absolute() else cwd / script
    if _on_users_path(script, environ):
        words = ["smscloud"]
    else:
        shown = os.path.relpath(script, cwd)
        if shown.startswith(".."):
            shown = str(script)
        elif os.sep not in shown:
            shown = f".{os.sep}{shown}"
        words = [shown]
    words += args
    if settings.data_dir != Settings().data_dir:
        words += ["--data-dir", settings.data_dir]
    if settings.db.url:
        words += ["--database-url", make_url(settings.db.url).render_as_string(hide_password=True)]
    return shlex.join(words)


def _banner(settings: Settings, first_operator: tuple[Operator, str] | None) -> None:
    console = settings.console_url
    lines = [
        "",
        "smscloud is running.",
        f"  Tencent Cloud API 3.0 endpoint: http://{settings.public_endpoint}/",
        f'  (in an SDK: HttpProfile(endpoint="{settings.public_endpoint}", protocol="http"))',
        f"  customer console: {console}/console   operator console: {console}/operator",
        f"  database: {make_url(settings.database_url).render_as_string(hide_password=True)}",
    ]
    if settings.simulator.mode == "embedded":
        lines.append(f"  carrier simulator (SMPP): {settings.simulator.host}:{settings.simulator.port}")
    if settings.mail.smtp_host is None:
        lines.append("  e-mail: no SMTP server set; mail is kept in the outbox (operator console) and logged")
    else:
        lines.append(f"  e-mail: through {settings.mail.smtp_host}:{settings.mail.smtp_port}")
    if first_operator is not None:
        operator, password = first_operator
        lines += [
            "",
            "  The first operator account was created. Its password is shown this once:",
            f"    e-mail: {operator.email}",
            f"    password: {password}",
            f"  (change it with: {smscloud_command(settings, 'operator', 'password', '--email', operator.email)})",
        ]
    lines += [f"  Credentials for a first send: {smscloud_command(settings, 'demo', '--json')}", ""]
    print("\n".join(lines), flush=True)  # noqa: T201 - the one thing `serve` says to its user


async def _run(settings: Settings, platform: Platform) -> None:
    listener = _listen(settings.api.host, settings.api.port, "API")
    listener.listen(2048)
    listener.setblocking(False)
    children: list[ChildProcess] = []
    if settings.simulator.mode == "embedded":
        try:
            _check_simulator_port(settings)
        except ServeError:
            listener.close()
            raise
        children.append(ChildProcess("simulator", settings))
    if settings.simulator.mode != "off":
        await ensure_simulator_carrier(platform)
    children.extend(
        ChildProcess("api-worker", settings, args=("--fd", str(listener.fileno())), pass_fds=(listener.fileno(),))
        for _ in range(settings.api.processes - 1)
    )
    connectors = settings.dispatch.connector_processes if settings.api.connector else 0
    children.extend(ChildProcess("connector", settings, args=("--index", str(i))) for i in range(connectors))
    first_operator = await ensure_first_operator(platform)
    mail_sender = _mail_sender(settings, platform)
    doorbell = connector_doorbell(settings)
    server = http_server(build_asgi_app(platform, signal=doorbell), settings)
    loop = asyncio.get_running_loop()

    mail_stop = asyncio.Event()

    def stop() -> None:
        log.info("serve.stopping")
        for child in children:
            child.stop_soon()
        server.should_exit = True
        mail_stop.set()

    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop)
    try:
        for child in children:
            child.start()
        serving = asyncio.create_task(server.serve(sockets=[listener]), name="http")
        mailing = None if mail_sender is None else asyncio.create_task(mail_sender.run(mail_stop), name="mail")
        while not server.started and not serving.done():
            await asyncio.sleep(0.01)
        with serving_at(settings):
            if not serving.done():
                _banner(settings, first_operator)
            await serving
        mail_stop.set()
        if mailing is not None:
            await mailing
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)
        for child in reversed(children):  # the connector first: it unbinds from the simulator
            await child.stop()
        doorbell.close()


def _mail_sender(settings: Settings, platform: Platform) -> MailSender | None:
    """The mail sender, when an SMTP server is set (woken whenever a use case puts mail)."""
    mail = settings.mail
    if mail.smtp_host is None:
        return None
    mailer = SmtpMailer(
        host=mail.smtp_host,
        port=mail.smtp_port,
        tls=mail.smtp_tls,
        from_address=mail.from_address,
        username=mail.smtp_username,
        password=mail.smtp_password,
        verify_certificate=mail.smtp_verify_certificate,
        timeout_s=mail.smtp_timeout_s,
    )
    sender = MailSender(platform.outbox, mailer, platform.clock, max_attempts=mail.max_attempts)
    platform.mail_listeners.append(sender.wake)
    return sender


async def serve(settings: Settings) -> None:
    if settings.simulator.mode == "embedded":
        simulator_config(settings)  # a refused simulator setting stops serve before it touches anything
    try:
        with single_instance(settings, "serve"):
            platform = await open_platform(settings)
            try:
                await _run(settings, platform)
            finally:
                await platform.close()
    except AlreadyRunning as exc:
        raise ServeError(str(exc)) from exc
