"""The API 3.0 surface as plain ASGI: `POST /` and `GET /` go straight to `TencentApi` (a browser
that opens `/` is sent to the console).

Every SendSms passes here, so this path skips the web framework's routing, middleware and
request objects (a quarter of the API's CPU when it went through them); everything else is
handed to the `fallback` application (the v5 API, the console, the health checks).
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from smscloud.adapters.http.tencent_v3.api import TencentApi
from smscloud.adapters.http.tencent_v3.auth import RawRequest
from smscloud.adapters.http.tencent_v3.envelope import CONTENT_TYPE

__all__ = ["MAX_BODY_BYTES", "MAX_FORM_BODY_BYTES", "MAX_QUERY_BYTES", "TencentAsgi"]

# Tencent: a POST signed with TC3-HMAC-SHA256 (a JSON body) may be up to 10 MB, a form post signed
# with HmacSHA1/HmacSHA256 up to 1 MB. AddSmsSign carries its proof images in the body, and a
# licence scan of a few MB is the usual case, not an attack.
MAX_BODY_BYTES = 10 * 1024 * 1024
MAX_FORM_BODY_BYTES = 1024 * 1024
MAX_QUERY_BYTES = 32 * 1024  # Tencent: a GET request is at most 32 KB
_METHODS = frozenset({"GET", "POST"})
_CONTENT_TYPE = CONTENT_TYPE.encode()


class _TooLarge(Exception):
    def __init__(self, limit: int) -> None:
        super().__init__(limit)
        self.limit = limit


class _Disconnected(Exception):
    pass


def _body_limit(scope: Scope) -> int:
    for name, value in scope["headers"]:
        if name == b"content-type":
            return MAX_BODY_BYTES if value.lower().startswith(b"application/json") else MAX_FORM_BODY_BYTES
    return MAX_FORM_BODY_BYTES


async def _read_body(scope: Scope, receive: Receive) -> bytes:
    limit = _body_limit(scope)
    for name, value in scope["headers"]:
        if name == b"content-length" and value.isdigit() and (len(value) > 18 or int(value) > limit):
            raise _TooLarge(limit)
    chunks: list[bytes] = []
    size = 0
    while True:
        message: Message = await receive()
        if message["type"] == "http.disconnect":
            raise _Disconnected
        chunk: bytes = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise _TooLarge(limit)
        chunks.append(chunk)
        if not message.get("more_body", False):
            return chunks[0] if len(chunks) == 1 else b"".join(chunks)


class TencentAsgi:
    """ASGI application: the Tencent API on `/`, anything else to `fallback`."""

    def __init__(self, api: TencentApi, fallback: ASGIApp) -> None:
        self._api = api
        self._fallback = fallback

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != "/":
            await self._fallback(scope, receive, send)
            return
        method = scope["method"]
        if _a_browser_at_the_front_door(scope):
            await _redirect(send, b"/console")
            return
        if method not in _METHODS:
            # Every answer on `/` is Tencent's envelope, so an SDK or a probe learns what is wrong.
            refusal = self._api.reject(
                "UnsupportedProtocol",
                f"HTTP method {method[:16]} is not supported on /; use POST or GET.",
                _language(scope),
            )
            await _respond(send, refusal, head=method == "HEAD")
            return
        if len(scope["query_string"]) > MAX_QUERY_BYTES:
            refusal = self._api.reject("InvalidParameter", "The query string is larger than 32 KB.", _language(scope))
            await _respond(send, refusal)
            return
        try:
            body = await _read_body(scope, receive)
        except _Disconnected:
            return
        except _TooLarge as too_large:
            message = f"The request body is larger than {too_large.limit // (1024 * 1024)} MB."
            await _respond(send, self._api.reject("InvalidParameter", message, _language(scope)))
            return
        headers = {name.decode("latin-1"): value.decode("latin-1") for name, value in scope["headers"]}
        raw = RawRequest(
            method=scope["method"],
            raw_query=scope["query_string"].decode("latin-1"),
            headers=headers,
            body=body,
        )
        await _respond(send, await self._api.handle(raw))


def _a_browser_at_the_front_door(scope: Scope) -> bool:
    """A person who typed the platform's address: a plain GET of `/` asking for HTML, with no
    query and no Authorization (no SDK call looks like that: each is signed)."""
    if scope["method"] != "GET" or scope["query_string"]:
        return False
    headers = dict(scope["headers"])
    return b"authorization" not in headers and b"text/html" in headers.get(b"accept", b"")


async def _redirect(send: Send, location: bytes) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": 303,
            "headers": [(b"location", location), (b"content-length", b"0")],
        }
    )
    await send({"type": "http.response.body", "body": b""})


def _language(scope: Scope) -> str | None:
    for name, value in scope["headers"]:
        if name == b"x-tc-language":
            return str(value.decode("latin-1"))
    return None


async def _respond(send: Send, content: bytes, *, head: bool = False) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", _CONTENT_TYPE), (b"content-length", str(len(content)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": b"" if head else content})
