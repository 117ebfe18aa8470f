"""The uvicorn server `serve` and its API workers run the ASGI app with."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import uvicorn
from typing_extensions import override

from smscloud.adapters.http.tencent_v3.app import TencentAsgi
from smscloud.config import Settings
from smscloud.entrypoints.http_deadlines import deadline_protocol

__all__ = ["http_server"]


class _Server(uvicorn.Server):
    """uvicorn, minus its own signal handling: the process owns SIGINT/SIGTERM and shuts down in order."""

    @override
    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def http_server(app: TencentAsgi, settings: Settings) -> uvicorn.Server:
    """A server for `app`; run it with `await server.serve(sockets=[listener])`."""
    config = uvicorn.Config(
        app,
        host=settings.api.host,
        port=settings.api.port,
        log_config=None,
        access_log=False,
        lifespan="off",
        server_header=False,
        proxy_headers=True,
        forwarded_allow_ips=list(settings.api.trusted_proxies),
        http=deadline_protocol(
            header_timeout_s=settings.api.header_timeout_s, body_timeout_s=settings.api.body_timeout_s
        ),
    )
    return _Server(config)
