"""`smscloud api-worker`: one more process serving the API and console on `serve`'s socket.

One Python process answers HTTP on one core (the GIL). With `api.processes` above 1, `serve`
hands its listening socket to that many minus one child processes, and the kernel spreads the
connections over every process accepting on it. A worker serves exactly what `serve` serves
(both APIs and the console: sessions, caches and limits live in the database, or expire in
seconds); `serve` alone migrates, creates the first operator and sends mail (a worker's mail
goes out at the mail sender's next poll).
"""

from __future__ import annotations

import asyncio
import signal
import socket

import structlog

from smscloud.bootstrap import build_asgi_app, connector_doorbell, open_platform
from smscloud.config import Settings
from smscloud.entrypoints.cli_errors import USAGE, CommandError, os_reason
from smscloud.entrypoints.http_server import http_server

__all__ = ["run_api_worker"]

log = structlog.get_logger(__name__)


def _inherited_listener(listener_fd: int) -> socket.socket:
    """The listening socket `serve` passed down as `listener_fd`; a `CommandError` (exit code 2)
    when that descriptor is not one (the command run by hand)."""
    try:
        listener = socket.socket(fileno=listener_fd)
    except OSError as exc:
        problem = os_reason(exc)
    else:
        if listener.type == socket.SOCK_STREAM and listener.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN):
            return listener
        listener.detach()  # not ours to close
        problem = "not a listening TCP socket"
    raise CommandError(
        f"--fd {listener_fd}: {problem}; api-worker serves the listening socket `smscloud serve` hands down"
        " (set SMSCLOUD_API__PROCESSES and run serve)",
        exit_code=USAGE,
    )


async def run_api_worker(settings: Settings, listener_fd: int) -> None:
    """Serve the API on the inherited listening socket `listener_fd` until SIGTERM/SIGINT."""
    listener = _inherited_listener(listener_fd)
    listener.setblocking(False)
    platform = await open_platform(settings, migrate=False)
    doorbell = connector_doorbell(settings)
    try:
        server = http_server(build_asgi_app(platform, signal=doorbell), settings)
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, lambda: setattr(server, "should_exit", True))
        log.info("api_worker.running", listener_fd=listener_fd)
        await server.serve(sockets=[listener])
    finally:
        doorbell.close()
        await platform.close()
