"""Several connector processes share a carrier's binds; one that dies is replaced, nothing is lost."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.test_sdk_send import pull_until, send
from tests.support.sdk import client
from tests.support.server import ServerProcess, established, server_process, wait_for

pytestmark = pytest.mark.e2e


@pytest.fixture
def two_connectors(database_url: str, tmp_path: Path) -> Iterator[ServerProcess]:
    process = server_process(
        tmp_path / "data",
        database_url,
        {"SMSCLOUD_SIMULATOR__BINDS": "2", "SMSCLOUD_DISPATCH__CONNECTOR_PROCESSES": "2"},
    )
    process.start()
    try:
        yield process
    finally:
        process.stop()


def connectors(server: ServerProcess) -> dict[int, int]:
    """Connector index -> pid, of the live connector processes of `server`."""
    return {int(argv[argv.index("--index") + 1]): pid for pid, argv in server.children_running("connector").items()}


def delivered_batch(sms: Any, demo: dict[str, Any], first: int, count: int) -> None:
    numbers = [f"+861391{first + n:04d}888" for n in range(count)]  # no test-number suffix: delivered
    response = send(sms, demo, numbers, ["246810"])
    assert all(s.Code == "Ok" for s in response.SendStatusSet)
    serials = {s.SerialNo for s in response.SendStatusSet}
    reports = [r for r in pull_until(sms, demo["sdk_app_id"], count) if r.SerialNo in serials]
    assert len(reports) == count
    assert [(r.PhoneNumber, r.Description) for r in reports if r.Description != "DELIVRD"] == []


def test_each_connector_holds_its_own_bind_and_a_killed_one_is_replaced(two_connectors: ServerProcess) -> None:
    server = two_connectors
    running = wait_for(lambda: found if len(found := connectors(server)) == 2 else {})
    # The carrier has two binds: each connector holds one (and stands by for the other).
    wait_for(lambda: [established(pid, server.simulator_port, local=False) for pid in running.values()] == [1, 1])

    demo = server.demo()
    sms = client(server.endpoint, demo["secret_id"], demo["secret_key"])
    delivered_batch(sms, demo, 0, 60)

    os.kill(running[1], signal.SIGKILL)
    replaced = wait_for(lambda: found if (found := connectors(server)).get(1) not in (None, running[1]) else {})
    assert replaced[0] == running[0]
    # Both binds are held again, by the new connector 1 or by connector 0 standing in for it.
    wait_for(
        lambda: sum(established(pid, server.simulator_port, local=False) for pid in connectors(server).values()) == 2
    )
    delivered_batch(sms, demo, 1000, 60)  # whichever process holds the orphaned slot now, all arrive
