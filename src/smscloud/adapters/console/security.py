"""Cookies, CSRF and the headers every console response carries.

Sessions live server-side (`domain.identity`); the browser holds a random token in an HttpOnly,
SameSite=Lax cookie: `sc_session` for tenant users (path /console), `sc_operator` for operators
(path /operator), so one browser can hold both without mixing them up.

CSRF: every form carries a token. Signed-in forms use the session's own token; the forms of
signed-out visitors (log in, sign up, password reset) use a random token that is also in the
`sc_csrf` cookie (double submit). A POST whose Origin (or, lacking it, Referer) names another
site is refused before the token is even looked at.
"""

from __future__ import annotations

import hmac
import secrets
from urllib.parse import quote, urlsplit

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = [
    "ANON_CSRF_COOKIE",
    "LANGUAGE_COOKIE",
    "OPERATOR_COOKIE",
    "USER_COOKIE",
    "SecurityHeaders",
    "anonymous_csrf_token",
    "client_ip",
    "document_response",
    "same_origin",
    "set_cookie",
    "tokens_match",
]

USER_COOKIE = "sc_session"
OPERATOR_COOKIE = "sc_operator"
ANON_CSRF_COOKIE = "sc_csrf"
LANGUAGE_COOKIE = "sc_lang"

_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none';"
        b" form-action 'self'; base-uri 'none'",
    ),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"cache-control", b"no-store"),
]


class SecurityHeaders:
    """Adds the headers above to every response that does not set them itself."""

    def __init__(self, app: ASGIApp) -> None:
        self._app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                message = {
                    **message,
                    "headers": [*message.get("headers", []), *(h for h in _HEADERS if h[0] not in present)],
                }
            await send(message)

        await self._app(scope, receive, send_with_headers)


def tokens_match(expected: str | None, given: str | None) -> bool:
    if not expected or not given:
        return False
    return hmac.compare_digest(expected.encode(), given.encode())


def same_origin(request: Request) -> bool:
    """False when the browser says the request comes from another site."""
    if request.headers.get("sec-fetch-site") == "cross-site":
        return False
    source = request.headers.get("origin") or request.headers.get("referer")
    if not source or source == "null":
        return source != "null"
    host = request.headers.get("host", "")
    return urlsplit(source).netloc == host


def anonymous_csrf_token(request: Request) -> tuple[str, bool]:
    """The signed-out CSRF token: the cookie's, or a new one (True: the cookie must be set)."""
    current = request.cookies.get(ANON_CSRF_COOKIE)
    if current and 20 <= len(current) <= 64:
        return current, False
    return secrets.token_urlsafe(32), True


def set_cookie(
    response: Response, name: str, value: str, *, path: str, secure: bool, max_age: int | None = None
) -> None:
    response.set_cookie(name, value, max_age=max_age, path=path, secure=secure, httponly=True, samesite="lax")


def document_response(data: bytes, *, content_type: str, filename: str) -> Response:
    """An uploaded document (a customer's file, so untrusted): images are shown inline in a
    sandbox, PDFs are downloaded rather than opened on the console's origin. The name travels
    in RFC 6266/5987 form, so a Chinese name neither breaks the latin-1 header nor lets a quote
    end the parameter."""
    fallback = "".join(c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in filename)
    kind = "inline" if content_type.startswith("image/") else "attachment"
    disposition = f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"
    headers = {
        "content-disposition": disposition,
        "content-security-policy": "sandbox; default-src 'none'; img-src 'self'",
    }
    return Response(data, media_type=content_type, headers=headers)


def client_ip(request: Request) -> str:
    return request.client.host if request.client else ""
