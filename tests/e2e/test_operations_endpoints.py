"""The operations endpoints of a real `smscloud serve`, on the API's port, as a load balancer and a
Prometheus scraper ask them, and `smscloud status` beside it."""

from __future__ import annotations

import json
import urllib.request

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.e2e.test_sdk_send import send
from tests.support.sdk import client
from tests.support.server import ServerProcess, wait_for

pytestmark = pytest.mark.e2e


def get(server: ServerProcess, path: str) -> tuple[int, str, str]:
    with urllib.request.urlopen(f"http://{server.endpoint}{path}", timeout=10) as response:
        return response.status, response.headers["content-type"], response.read().decode()


def simulator_backlog(server: ServerProcess) -> dict[str, float]:
    _, _, text = get(server, "/metrics")
    return {
        sample.name: sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.labels.get("carrier") == "simulator"
    }


def test_serve_is_live_and_ready(server: ServerProcess) -> None:
    status, content_type, body = get(server, "/healthz")
    assert (status, content_type, json.loads(body)) == (200, "application/json", {"status": "ok"})
    status, content_type, body = get(server, "/readyz")
    assert (status, content_type, json.loads(body)) == (200, "application/json", {"status": "ready", "database": "ok"})


def test_metrics_show_a_message_that_waits_for_its_receipt(server: ServerProcess) -> None:
    assert simulator_backlog(server)["smscloud_awaiting_receipt_messages"] == 0
    demo = server.demo()
    sms = client(server.endpoint, demo["secret_id"], demo["secret_key"])
    # …0000005: the simulator accepts it and never sends a receipt; …0000001 is delivered.
    statuses = send(sms, demo, ["+8613800000005", "+8613800000001"], ["135790"]).SendStatusSet
    assert [s.Code for s in statuses] == ["Ok", "Ok"]

    def settled() -> dict[str, float]:
        backlog = simulator_backlog(server)
        waiting = backlog["smscloud_queued_messages"] + backlog["smscloud_submitting_messages"]
        return backlog if backlog["smscloud_awaiting_receipt_messages"] == 1 and waiting == 0 else {}

    backlog = wait_for(settled)
    assert backlog["smscloud_due_messages"] == 0
    assert backlog["smscloud_oldest_due_seconds"] == 0
    assert backlog["smscloud_oldest_awaiting_receipt_seconds"] >= 0
    # The same figures from the command line, on the same database, while serve runs.
    carriers = json.loads(server.command("status", "--json").stdout)["carriers"]
    [simulator] = [c for c in carriers if c["carrier"] == "simulator"]
    assert (simulator["queued"], simulator["submitting"], simulator["submitted"]) == (0, 0, 1)
    table = server.command("status").stdout.splitlines()
    assert table[0].startswith("carrier")
    assert any(line.split()[:7] == ["simulator", "0", "0", "0", "s", "0", "1"] for line in table[1:])
