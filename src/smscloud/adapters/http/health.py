"""Health endpoints for load balancers, orchestrators and monitoring.

- ``GET /healthz`` (liveness): 200 while the process answers HTTP at all; restarting it helps
  only when this fails.
- ``GET /readyz`` (readiness): 200 when the database answers within `READY_TIMEOUT_S`, else 503
  with the reason: send traffic elsewhere until it is back.

Both answer JSON, are never cached, need no credentials and say nothing about tenants.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import msgspec
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

__all__ = ["READY_TIMEOUT_S", "health_routes"]

READY_TIMEOUT_S = 2.0
"""How long readiness waits for the database before it answers 503."""

_HEADERS = {"cache-control": "no-store"}


def _json(status_code: int, body: dict[str, object]) -> Response:
    return Response(msgspec.json.encode(body), status_code, _HEADERS, "application/json")


def health_routes(database_answers: Callable[[], Awaitable[None]]) -> list[BaseRoute]:
    """The routes; `database_answers` raises when the database cannot be read."""

    async def live(_request: Request) -> Response:
        return _json(200, {"status": "ok"})

    async def ready(_request: Request) -> Response:
        try:
            async with asyncio.timeout(READY_TIMEOUT_S):
                await database_answers()
        except TimeoutError:
            return _json(503, {"status": "unavailable", "database": f"no answer within {READY_TIMEOUT_S:g} s"})
        except Exception as exc:
            return _json(503, {"status": "unavailable", "database": type(exc).__name__})
        return _json(200, {"status": "ready", "database": "ok"})

    return [
        Route("/healthz", live, methods=["GET", "HEAD"]),
        Route("/readyz", ready, methods=["GET", "HEAD"]),
    ]
