"""`smscloud serve`: the whole platform from one command.

This process serves the API; beside it, as child processes with the same settings (so that the
platform uses more than one core, see docs/adr/0006-processes.md), run the carrier connector
(senders, receipt intake, reconciler) and, by default, the built-in SMSC simulator. The
embedded defaults: SQLite in the data directory, the database as the queue.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import socket
from collections.abc import Iterator

import structlog
import uvicorn
from sqlalchemy.engine import make_url
from typing_extensions import override

from smscloud.adapters.carriers.wakeups import Doorbell, doorbell_address
from smscloud.bootstrap import Platform, build_asgi_app, ensure_simulator_carrier, open_platform
from smscloud.config import Settings
from smscloud.entrypoints.children import ChildProcess
from smscloud.entrypoints.locks import AlreadyRunning, single_instance

__all__ = ["ServeError", "serve"]

log = structlog.get_logger(__name__)


class ServeError(RuntimeError):
    """The platform cannot start; the message says why and what to do."""


class _Server(uvicorn.Server):
    """uvicorn, minus its own signal handling: `serve` owns SIGINT/SIGTERM and shuts down in order."""

    @override
    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def _listen(host: str, port: int, what: str) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise ServeError(f"cannot listen on {host}:{port} for the {what}: {exc.strerror}") from exc
    return sock


def _check_simulator_port(settings: Settings) -> None:
    """Fail now, with a clear message, rather than in the simulator's own process later."""
    _listen(settings.simulator.host, settings.simulator.port, "carrier simulator").close()


def _banner(settings: Settings) -> None:
    lines = [
        "",
        "smscloud is running.",
        f"  Tencent Cloud API 3.0 endpoint: http://{settings.public_endpoint}/",
        f'  (in an SDK: HttpProfile(endpoint="{settings.public_endpoint}", protocol="http"))',
        f"  database: {make_url(settings.database_url).render_as_string(hide_password=True)}",
    ]
    if settings.simulator.mode == "embedded":
        lines.append(f"  carrier simulator (SMPP): {settings.simulator.host}:{settings.simulator.port}")
    lines += ["  Credentials for a first send: smscloud demo --json", ""]
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
    if settings.api.connector:
        children.append(ChildProcess("connector", settings))
    doorbell = Doorbell(doorbell_address(settings.database_url))
    config = uvicorn.Config(
        build_asgi_app(platform, signal=doorbell),
        host=settings.api.host,
        port=settings.api.port,
        log_config=None,
        access_log=False,
        lifespan="off",
        server_header=False,
    )
    server = _Server(config)
    loop = asyncio.get_running_loop()

    def stop() -> None:
        log.info("serve.stopping")
        for child in children:
            child.stop_soon()
        server.should_exit = True

    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop)
    try:
        for child in children:
            child.start()
        serving = asyncio.create_task(server.serve(sockets=[listener]), name="http")
        while not server.started and not serving.done():
            await asyncio.sleep(0.01)
        if not serving.done():
            _banner(settings)
        await serving
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)
        for child in reversed(children):  # the connector first: it unbinds from the simulator
            await child.stop()
        doorbell.close()


async def serve(settings: Settings) -> None:
    try:
        with single_instance(settings, "serve"):
            platform = await open_platform(settings)
            try:
                await _run(settings, platform)
            finally:
                await platform.close()
    except AlreadyRunning as exc:
        raise ServeError(str(exc)) from exc
