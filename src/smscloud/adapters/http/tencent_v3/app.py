"""Starlette routes for the API 3.0 surface (`POST /`, `GET /`)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from smscloud.adapters.http.tencent_v3.api import TencentApi
from smscloud.adapters.http.tencent_v3.auth import RawRequest
from smscloud.adapters.http.tencent_v3.envelope import CONTENT_TYPE, error_body

__all__ = ["MAX_BODY_BYTES", "tencent_routes"]

MAX_BODY_BYTES = 1024 * 1024  # Tencent: POST bodies up to 1 MB


async def _read_body(request: Request) -> bytes | None:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        return None
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def tencent_routes(api: TencentApi) -> list[Route]:
    headers = {"content-type": CONTENT_TYPE}

    async def endpoint(request: Request) -> Response:
        body = await _read_body(request)
        if body is None:
            content = error_body("InvalidParameter", "The request body is larger than 1 MB.", "")
            return Response(content, headers=headers)
        raw = RawRequest(
            method=request.method,
            raw_query=request.scope["query_string"].decode("latin-1"),
            headers=request.headers,
            body=body,
        )
        return Response(await api.handle(raw), headers=headers)

    return [Route("/", endpoint, methods=["GET", "POST"], name="tencent_v3")]
