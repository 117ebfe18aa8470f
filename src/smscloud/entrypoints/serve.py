"""`smscloud serve`: the whole platform in one process.

API, carrier senders, receipt intake, reconciler and (by default) the built-in SMSC simulator,
on the embedded defaults: SQLite in the data directory, the database as the queue.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import signal
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import structlog
import uvicorn
from sqlalchemy.engine import make_url
from typing_extensions import override

from smscloud.adapters.simulator import Simulator
from smscloud.bootstrap import (
    Platform,
    build_asgi_app,
    build_carrier_manager,
    ensure_simulator_carrier,
    open_platform,
)
from smscloud.config import Settings
from smscloud.entrypoints.simulator import simulator_config
from smscloud.entrypoints.workers.reconciler import run_reconciler

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


@contextlib.contextmanager
def _single_instance(settings: Settings) -> Iterator[None]:
    """On SQLite, one serving process per data directory: its writer must be the only writer."""
    if make_url(settings.database_url).get_backend_name() != "sqlite":
        yield
        return
    path = Path(settings.data_path) / "serve.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    handle: IO[str] = path.open("w")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise ServeError(
                f"another `smscloud serve` is already using {settings.data_path}; stop it or use --data-dir"
            ) from exc
        handle.write(str(os.getpid()))
        handle.flush()
        yield
    finally:
        handle.close()


def _listen(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise ServeError(f"cannot listen on {host}:{port}: {exc.strerror}; is another server using it?") from exc
    sock.listen(2048)
    sock.setblocking(False)
    return sock


def _banner(settings: Settings, simulator_port: int | None) -> None:
    lines = [
        "",
        "smscloud is running.",
        f"  Tencent Cloud API 3.0 endpoint: http://{settings.public_endpoint}/",
        f'  (in an SDK: HttpProfile(endpoint="{settings.public_endpoint}", protocol="http"))',
        f"  database: {make_url(settings.database_url).render_as_string(hide_password=True)}",
    ]
    if simulator_port is not None:
        lines.append(f"  carrier simulator (SMPP): {settings.simulator.host}:{simulator_port}")
    lines += ["  Credentials for a first send: smscloud demo --json", ""]
    print("\n".join(lines), flush=True)  # noqa: T201 - the one thing `serve` says to its user


async def _run(settings: Settings, platform: Platform) -> None:
    listener = _listen(settings.api.host, settings.api.port)
    simulator: Simulator | None = None
    simulator_port: int | None = None
    if settings.simulator.mode == "embedded":
        simulator = Simulator(simulator_config(settings))
        try:
            _, simulator_port = await simulator.start()
        except OSError as exc:
            listener.close()
            raise ServeError(
                f"cannot start the carrier simulator on {settings.simulator.host}:{settings.simulator.port}: "
                f"{exc.strerror}; set SMSCLOUD_SIMULATOR__PORT or --simulator-port"
            ) from exc
    if settings.simulator.mode != "off":
        await ensure_simulator_carrier(platform)
    manager = build_carrier_manager(platform)
    manager.start(await platform.carriers.enabled())
    reconciler = asyncio.create_task(
        run_reconciler(
            receipts=platform.receipts,
            clock=platform.clock,
            receipt_timeout_s=settings.dispatch.receipt_timeout_s,
            interval_s=min(5.0, max(0.2, settings.dispatch.receipt_timeout_s / 4)),
        ),
        name="reconciler",
    )
    config = uvicorn.Config(
        build_asgi_app(platform),
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
        server.should_exit = True

    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop)
    try:
        serving = asyncio.create_task(server.serve(sockets=[listener]), name="http")
        while not server.started and not serving.done():
            await asyncio.sleep(0.01)
        if not serving.done():
            _banner(settings, simulator_port)
        await serving
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)
        reconciler.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await reconciler
        await manager.stop()
        if simulator is not None:
            await simulator.stop()


async def serve(settings: Settings) -> None:
    with _single_instance(settings):
        platform = await open_platform(settings)
        try:
            await _run(settings, platform)
        finally:
            await platform.close()
