"""The health endpoints of a real `smscloud serve`, on the API's port, as a load balancer asks them."""

from __future__ import annotations

import json
import urllib.request

import pytest

from tests.support.server import ServerProcess

pytestmark = pytest.mark.e2e


def get(server: ServerProcess, path: str) -> tuple[int, str, dict[str, object]]:
    with urllib.request.urlopen(f"http://{server.endpoint}{path}", timeout=10) as response:
        return response.status, response.headers["content-type"], json.loads(response.read())


def test_serve_is_live_and_ready(server: ServerProcess) -> None:
    assert get(server, "/healthz") == (200, "application/json", {"status": "ok"})
    assert get(server, "/readyz") == (200, "application/json", {"status": "ready", "database": "ok"})
