"""Several processes answer HTTP on serve's one port; a worker that dies is replaced, requests go on."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.test_sdk_send import send
from tests.support.sdk import client
from tests.support.server import ServerProcess, established, server_process, wait_for

pytestmark = pytest.mark.e2e


@pytest.fixture
def two_api_processes(database_url: str, tmp_path: Path) -> Iterator[ServerProcess]:
    process = server_process(tmp_path / "data", database_url, {"SMSCLOUD_API__PROCESSES": "2"})
    process.start()
    try:
        yield process
    finally:
        process.stop()


def api_workers(server: ServerProcess) -> list[int]:
    return list(server.children_running("api-worker"))


def sends(sms: Any, demo: dict[str, Any], first: int, count: int) -> list[str]:
    def one(n: int) -> str:
        response = send(sms, demo, [f"+861392{first + n:04d}777"], ["135790"])
        return str(response.SendStatusSet[0].Code)

    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(one, range(count)))


def test_the_api_worker_shares_the_port_and_is_replaced_when_it_dies(two_api_processes: ServerProcess) -> None:
    server = two_api_processes
    [worker] = wait_for(lambda: api_workers(server))
    demo = server.demo()
    sms = client(server.endpoint, demo["secret_id"], demo["secret_key"])
    assert sends(sms, demo, 0, 40) == ["Ok"] * 40

    os.kill(worker, signal.SIGKILL)
    assert sends(sms, demo, 100, 40) == ["Ok"] * 40  # serve's own process answers meanwhile
    [replacement] = wait_for(lambda: [pid for pid in api_workers(server) if pid != worker])
    time.sleep(0.5)  # the replacement is accepting once its platform is open
    assert sends(sms, demo, 200, 40) == ["Ok"] * 40
    assert replacement != worker


def test_the_worker_answers_on_the_shared_port_while_serve_itself_is_stopped(two_api_processes: ServerProcess) -> None:
    server = two_api_processes
    assert server.process is not None
    [worker] = wait_for(lambda: api_workers(server))
    demo = server.demo()
    sms = client(server.endpoint, demo["secret_id"], demo["secret_key"])
    os.kill(server.process.pid, signal.SIGSTOP)  # only the worker can accept now
    try:
        assert sends(sms, demo, 300, 10) == ["Ok"] * 10
        assert established(worker, server.api_port, local=True) > 0
    finally:
        os.kill(server.process.pid, signal.SIGCONT)
