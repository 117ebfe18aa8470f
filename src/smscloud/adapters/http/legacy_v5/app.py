"""The v5 API as plain ASGI: paths under /v5/ go to `V5Api`, everything else to `fallback`.

Like the API 3.0 in front of it, it skips the web framework: a send is read, verified and answered
without routing tables, middleware or request objects. No `Content-Type` is required of the
request (the Java SDK sends a misspelled one); the answer is always HTTP 200 with JSON.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from smscloud.adapters.http.legacy_v5.api import V5Api, error_body
from smscloud.adapters.http.legacy_v5.errors import Result, V5Error

__all__ = ["MAX_BODY_BYTES", "PREFIX", "V5Asgi"]

PREFIX = "/v5/"
MAX_BODY_BYTES = 1024 * 1024


class _TooLarge(Exception):
    pass


class _Disconnected(Exception):
    pass


async def _read_body(scope: Scope, receive: Receive) -> bytes:
    for name, value in scope["headers"]:
        if name == b"content-length" and value.isdigit() and (len(value) > 18 or int(value) > MAX_BODY_BYTES):
            raise _TooLarge
    chunks: list[bytes] = []
    size = 0
    while True:
        message: Message = await receive()
        if message["type"] == "http.disconnect":
            raise _Disconnected
        chunk: bytes = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise _TooLarge
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


class V5Asgi:
    """ASGI application: the v5 API under /v5/, anything else to `fallback`."""

    def __init__(self, api: V5Api, fallback: ASGIApp) -> None:
        self._api = api
        self._fallback = fallback

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(PREFIX):
            await self._fallback(scope, receive, send)
            return
        try:
            body = await _read_body(scope, receive)
        except _Disconnected:
            return
        except _TooLarge:
            too_large = V5Error(Result.BAD_REQUEST, "the request body is larger than 1 MB")
            await _respond(send, error_body(too_large, path=scope["path"]))
            return
        answer = await self._api.handle(
            path=scope["path"],
            method=scope["method"],
            raw_query=scope["query_string"].decode("latin-1"),
            body=body,
        )
        await _respond(send, answer)


async def _respond(send: Send, content: bytes) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(content)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": content})
