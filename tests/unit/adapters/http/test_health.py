"""Health routes: liveness always, readiness by whether the database answers (and how fast)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import httpx
import pytest
from starlette.applications import Starlette

from smscloud.adapters.http import health
from smscloud.adapters.http.health import health_routes


def client(database_answers: Callable[[], Awaitable[None]]) -> httpx.AsyncClient:
    app = Starlette(routes=health_routes(database_answers))
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://health")


async def answers() -> None:
    return None


async def test_live_and_ready_when_the_database_answers() -> None:
    async with client(answers) as http:
        live = await http.get("/healthz")
        ready = await http.get("/readyz")
    assert (live.status_code, live.json()) == (200, {"status": "ok"})
    assert (ready.status_code, ready.json()) == (200, {"status": "ready", "database": "ok"})
    assert ready.headers["content-type"] == "application/json"
    assert ready.headers["cache-control"] == "no-store"


async def test_not_ready_with_the_reason_when_the_database_fails() -> None:
    async def fails() -> None:
        raise ConnectionRefusedError("database at 10.0.0.9 refused")

    async with client(fails) as http:
        live = await http.get("/healthz")
        ready = await http.get("/readyz")
    assert live.status_code == 200  # the process itself is fine: restarting it would not help
    assert (ready.status_code, ready.json()) == (503, {"status": "unavailable", "database": "ConnectionRefusedError"})
    assert "10.0.0.9" not in ready.text  # the kind of failure, not the details, to anyone who asks


async def test_not_ready_when_the_database_is_too_slow(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(health, "READY_TIMEOUT_S", 0.05)

    async def hangs() -> None:
        await asyncio.sleep(30)

    async with client(hangs) as http:
        ready = await http.get("/readyz")
    assert (ready.status_code, ready.json()) == (503, {"status": "unavailable", "database": "no answer within 0.05 s"})


async def test_only_get_and_head() -> None:
    async with client(answers) as http:
        assert (await http.head("/readyz")).status_code == 200
        assert (await http.post("/healthz")).status_code == 405
