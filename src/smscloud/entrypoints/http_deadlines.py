"""Deadlines for reading a request, which uvicorn does not keep.

uvicorn closes a keep-alive connection that stays idle after a response, but gives a request no
deadline: a client that opens a connection and sends nothing, or sends its headers or its body a
byte at a time, holds a connection (and a file descriptor) for as long as it likes, and a few
thousand such clients take the port from everyone else (slowloris). `deadline_protocol` is
uvicorn's httptools protocol with two deadlines added:

- the headers: a request's headers must be complete within `header_timeout_s` of the connection
  opening or, on a kept-alive connection, of the request's first byte;
- the body: the whole body must have arrived within `body_timeout_s` of the headers.

A request that misses one is dropped with its connection (the application, if it was reading the
body, sees the client go away). The answer is no 408: a client that slow is not listening.
"""

from __future__ import annotations

import asyncio
from typing import Any

import structlog
from typing_extensions import override
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

__all__ = ["deadline_protocol"]

log = structlog.get_logger(__name__)


class _DeadlineProtocol(HttpToolsProtocol):
    header_timeout_s: float = 20.0
    body_timeout_s: float = 120.0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._deadline: asyncio.TimerHandle | None = None
        self._reading = "headers"

    def _arm(self, seconds: float, reading: str) -> None:
        self._disarm()
        self._reading = reading
        self._deadline = self.loop.call_later(seconds, self._missed)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _missed(self) -> None:
        self._deadline = None
        if self.transport.is_closing():
            return
        if self.pipeline:
            # A pipelined request waits, unread, for the one before it: its slowness is ours.
            self._arm(self.body_timeout_s, self._reading)
            return
        client = f"{self.client[0]}:{self.client[1]}" if self.client else "?"
        log.info("http.request_too_slow", client=client, reading=self._reading)
        self.transport.close()

    @override
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm(self.header_timeout_s, "headers")  # a connection that sends nothing is closed too

    @override
    def on_message_begin(self) -> None:
        super().on_message_begin()
        if self._deadline is None:  # the first request's deadline runs from the connection
            self._arm(self.header_timeout_s, "headers")

    @override
    def on_headers_complete(self) -> None:
        super().on_headers_complete()
        self._arm(self.body_timeout_s, "body")

    @override
    def on_message_complete(self) -> None:
        self._disarm()
        super().on_message_complete()

    @override
    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)


def deadline_protocol(*, header_timeout_s: float, body_timeout_s: float) -> type[HttpToolsProtocol]:
    """uvicorn's httptools protocol with these deadlines (pass it as `uvicorn.Config(http=…)`)."""
    return type(
        "DeadlineHttpProtocol",
        (_DeadlineProtocol,),
        {"header_timeout_s": header_timeout_s, "body_timeout_s": body_timeout_s},
    )
