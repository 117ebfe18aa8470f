"""The operations endpoints of a real `smscloud serve`, on the API's port, as a load balancer and a
Prometheus scraper ask them, and `smscloud status` beside it."""

from __future__ import annotations

import json
import os
import signal
import urllib.request
from collections.abc import Callable
from typing import Any

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
    assert any(line.split()[:8] == ["simulator", "1/1", "0", "0", "0", "s", "0", "1"] for line in table[1:])


def test_a_bind_lost_with_its_carrier_is_reported_with_the_reason_and_up_again_once_it_is_back(
    server: ServerProcess,
) -> None:
    def simulator_bind() -> dict[str, Any]:
        binds = json.loads(server.command("status", "--json").stdout)["binds"]
        found = [b for b in binds if b["carrier"] == "simulator"]
        assert len(found) <= 1
        return dict(found[0]) if found else {}  # {}: its sender has not reported yet

    def bind_when(condition: Callable[[dict[str, Any]], bool]) -> Callable[[], dict[str, Any]]:
        def check() -> dict[str, Any]:
            bind = simulator_bind()
            return bind if bind and condition(bind) else {}

        return check

    up = wait_for(bind_when(lambda b: b["up"]))
    assert str(up["holder"]).startswith("connector 0 (pid ")
    assert simulator_backlog(server)["smscloud_binds_up"] == 1
    assert simulator_backlog(server)["smscloud_binds"] == 1

    [simulator] = server.children_running("simulator")
    os.kill(simulator, signal.SIGKILL)  # the carrier vanishes; serve starts it again a second later
    # Down, then up again: `since` moves on and the reason the link went down stays as last_error.
    # (Down lasts only a second or two, too short to catch reliably by polling a command.)
    again = wait_for(bind_when(lambda b: b["up"] and b["since"] > up["since"]), timeout=60)
    reason = str(again["last_error"])
    assert reason in ("the SMSC closed the connection", "read failed: Connection reset by peer") or reason.startswith(
        "connect to 127.0.0.1:"
    ), reason
    assert any(line.startswith("  simulator #0: up since ") for line in server.command("status").stdout.splitlines())
    assert wait_for(lambda: simulator_backlog(server)["smscloud_binds_up"] == 1)
