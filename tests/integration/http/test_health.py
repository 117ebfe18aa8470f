"""/healthz and /readyz on the platform's own application, over the real database."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from smscloud.bootstrap import build_asgi_app
from tests.support.console import console_platform

pytestmark = pytest.mark.integration


async def test_ready_while_the_database_answers_and_not_once_it_is_gone(database_url: str, tmp_path: Path) -> None:
    platform = await console_platform(database_url, tmp_path)
    app = build_asgi_app(platform)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1:8080") as http:
        try:
            ready = await http.get("/readyz")
            assert (ready.status_code, ready.json()) == (200, {"status": "ready", "database": "ok"})
        finally:
            await platform.close()
        gone = await http.get("/readyz")
        live = await http.get("/healthz")
    assert gone.status_code == 503
    assert gone.json()["status"] == "unavailable"
    assert live.status_code == 200
