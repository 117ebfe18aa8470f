"""GET /metrics: the backlog per carrier in Prometheus' format, only for allowed clients."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

import httpx
from prometheus_client.parser import text_string_to_metric_families
from starlette.applications import Starlette

from smscloud.adapters.http.metrics import metrics_routes
from smscloud.domain.messages.backlog import CarrierBacklog

BACKLOG = [
    CarrierBacklog(
        "cmcc-1",
        binds=4,
        binds_up=3,
        queued=12,
        due=10,
        oldest_due_s=4.5,
        submitting=3,
        submitted=40,
        oldest_submitted_s=2.0,
    ),
    CarrierBacklog(
        'say "hi"\\',
        binds=0,
        binds_up=0,
        queued=0,
        due=0,
        oldest_due_s=0.0,
        submitting=0,
        submitted=0,
        oldest_submitted_s=0.0,
    ),
]


def scraper(
    backlog: Callable[[], Awaitable[Sequence[CarrierBacklog]]], *, allowed: Sequence[str], client: str = "127.0.0.1"
) -> httpx.AsyncClient:
    app = Starlette(routes=metrics_routes(backlog, allowed=allowed))
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app, client=(client, 40000)), base_url="http://m")


async def backlog() -> Sequence[CarrierBacklog]:
    return BACKLOG


def samples(text: str) -> dict[tuple[str, str], float]:
    return {
        (sample.name, sample.labels["carrier"]): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


async def test_every_figure_of_every_carrier_as_a_gauge() -> None:
    async with scraper(backlog, allowed=["127.0.0.1"]) as http:
        response = await http.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=")
    assert "# TYPE smscloud_oldest_due_seconds gauge" in response.text
    got = samples(response.text)
    assert got[("smscloud_binds", "cmcc-1")] == 4
    assert got[("smscloud_binds_up", "cmcc-1")] == 3
    assert got[("smscloud_queued_messages", "cmcc-1")] == 12
    assert got[("smscloud_due_messages", "cmcc-1")] == 10
    assert got[("smscloud_oldest_due_seconds", "cmcc-1")] == 4.5
    assert got[("smscloud_submitting_messages", "cmcc-1")] == 3
    assert got[("smscloud_awaiting_receipt_messages", "cmcc-1")] == 40
    assert got[("smscloud_oldest_awaiting_receipt_seconds", "cmcc-1")] == 2.0
    assert got[("smscloud_queued_messages", 'say "hi"\\')] == 0  # a label with quotes survives the format
    assert len(got) == 16


async def test_a_client_outside_the_allowed_networks_gets_nothing() -> None:
    async with scraper(backlog, allowed=["10.0.0.0/8", "::1"], client="203.0.113.5") as http:
        refused = await http.get("/metrics")
    async with scraper(backlog, allowed=["10.0.0.0/8"], client="10.1.2.3") as http:
        inside = await http.get("/metrics")
    async with scraper(backlog, allowed=["*"], client="2001:db8::1") as http:
        anyone = await http.get("/metrics")
    assert (refused.status_code, refused.text) == (404, "Not Found")
    assert "cmcc-1" not in refused.text
    assert inside.status_code == 200
    assert anyone.status_code == 200


async def test_a_database_failure_is_a_503_not_a_traceback() -> None:
    async def fails() -> Sequence[CarrierBacklog]:
        raise OSError("disk I/O error at /var/lib/smscloud")

    async with scraper(fails, allowed=["127.0.0.1"]) as http:
        response = await http.get("/metrics")
    assert (response.status_code, response.text) == (503, "database unavailable: OSError\n")
