"""The official legacy v5 SDK (qcloudsms_py) against a running smscloud: sends, pulls, and the AppKey.

The AppKey is the v5 API's shared secret: after it is rotated (by the use case the console calls,
in another process, as an operator's browser would cause) the running server refuses the old one
with result 1001 and accepts the new one, within the catalog's cache time.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest
import qcloudsms_py.util

from smscloud.bootstrap import open_platform
from smscloud.config import load_settings
from smscloud.domain.apps.service import rotate_app_key
from tests.support.qcloudsms import V5Clients, fix_response_json, v5_clients
from tests.support.server import ServerProcess

pytestmark = pytest.mark.e2e

DELIVERED, UNDELIVERABLE = "13800000001", "13800000002"  # the simulator's test numbers, without +86
SIG_FAILED, UNKNOWN_SDKAPPID, TIME_SKEW = 1001, 1019, 1021


@pytest.fixture(autouse=True)
def _sdk_reads_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    fix_response_json(monkeypatch)


def _send(clients: V5Clients, demo: dict[str, Any], number: str = DELIVERED) -> dict[str, Any]:
    answer: dict[str, Any] = clients.single.send_with_param(
        86, number, demo["templates"]["verification"], ["1234"], sign=demo["sign_name"], ext="e2e"
    )
    return answer


def _pull_until(clients: V5Clients, expected: int, timeout: float = 30) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    deadline = time.monotonic() + timeout
    while len(items) < expected and time.monotonic() < deadline:
        answer = clients.status.pull_callback(100)
        assert answer["result"] == 0, answer
        items.extend(answer["data"])
        if not answer["data"]:
            time.sleep(0.2)
    return items


def test_template_sends_single_and_group_then_pull_their_receipts(server: ServerProcess) -> None:
    demo = server.demo()
    clients = v5_clients(server.endpoint, demo["sdk_app_id"], demo["app_key"])

    single = _send(clients, demo)
    assert single["result"] == 0 and single["errmsg"] == "OK", single
    assert single["ext"] == "e2e" and single["fee"] == 1 and single["sid"]

    group = clients.multi.send_with_param(
        86, [DELIVERED, UNDELIVERABLE], demo["templates"]["notification"], ["A1001", "明天"], sign=demo["sign_name"]
    )
    assert group["result"] == 0, group
    assert [(d["result"], d["mobile"], d["nationcode"]) for d in group["detail"]] == [
        (0, DELIVERED, "86"),
        (0, UNDELIVERABLE, "86"),
    ]
    sids = [single["sid"], *(d["sid"] for d in group["detail"])]
    assert len(set(sids)) == 3 and all(sids)

    reports = {item["sid"]: item for item in _pull_until(clients, 3)}
    assert set(reports) == set(sids)
    assert reports[single["sid"]]["report_status"] == "SUCCESS"
    assert reports[single["sid"]]["errmsg"] == "DELIVRD"
    assert reports[single["sid"]]["mobile"] == DELIVERED and reports[single["sid"]]["nationcode"] == "86"
    assert reports[group["detail"][1]["sid"]]["report_status"] == "FAIL"
    assert clients.status.pull_callback(100)["count"] == 0  # each receipt is handed out once

    now = int(time.time())
    by_mobile = clients.mobile_status.pull_callback(86, UNDELIVERABLE, now - 600, now + 60, 10)
    assert by_mobile["result"] == 0 and [i["sid"] for i in by_mobile["data"]] == [group["detail"][1]["sid"]]


def test_free_text_is_sent_as_the_approved_template_it_matches(server: ServerProcess) -> None:
    demo = server.demo()
    clients = v5_clients(server.endpoint, demo["sdk_app_id"], demo["app_key"])
    text = f"【{demo['sign_name']}】您的验证码是5678，5分钟内有效，请勿泄露。"
    answer = clients.single.send(0, 86, DELIVERED, text)
    assert answer["result"] == 0 and answer["sid"], answer
    (report,) = _pull_until(clients, 1)
    assert report["sid"] == answer["sid"] and report["report_status"] == "SUCCESS"

    refused = clients.single.send(0, 86, DELIVERED, f"【{demo['sign_name']}】这段话没有模板。")
    assert refused["result"] == 1014 and "sid" not in refused


async def _rotate(server: ServerProcess, sdk_app_id: str) -> str:
    """Rotate the AppKey through the use case, on the server's database (as the console does)."""
    platform = await open_platform(load_settings(environ=server.env), migrate=False)
    try:
        app = await platform.catalog.application(sdk_app_id)
        assert app is not None
        rotated = await rotate_app_key(
            store=platform.apps, clock=platform.clock, tenant_id=app.tenant_id, app_id=app.id
        )
        platform.catalog.invalidate()
        assert rotated.app_key != app.app_key
        return rotated.app_key
    finally:
        await platform.close()


def test_after_rotation_the_old_app_key_is_refused_and_the_new_one_works(server: ServerProcess) -> None:
    demo = server.demo()
    old = v5_clients(server.endpoint, demo["sdk_app_id"], demo["app_key"])
    assert _send(old, demo)["result"] == 0

    new_key = asyncio.run(_rotate(server, demo["sdk_app_id"]))
    new = v5_clients(server.endpoint, demo["sdk_app_id"], new_key)
    # The server caches applications for about 2 s: within a bounded wait it must switch keys.
    deadline = time.monotonic() + 15
    while _send(old, demo)["result"] == 0:
        assert time.monotonic() < deadline, "the old AppKey was still accepted 15 s after rotation"
        time.sleep(0.2)

    refused = _send(old, demo)
    assert refused == {"result": SIG_FAILED, "errmsg": "sig verification failed", "ext": "e2e"}
    assert old.status.pull_callback(10)["result"] == SIG_FAILED
    accepted = _send(new, demo)
    assert accepted["result"] == 0 and accepted["sid"], accepted
    assert server.demo()["app_key"] == new_key  # what the console reveals is the key that works


def test_a_stale_time_and_an_unknown_sdkappid_are_refused(
    server: ServerProcess, monkeypatch: pytest.MonkeyPatch
) -> None:
    demo = server.demo()
    unknown = v5_clients(server.endpoint, "1400000000", demo["app_key"])
    assert _send(unknown, demo)["result"] == UNKNOWN_SDKAPPID

    clients = v5_clients(server.endpoint, demo["sdk_app_id"], demo["app_key"])
    monkeypatch.setattr(qcloudsms_py.util, "get_current_time", lambda: int(time.time()) - 700)
    stale = _send(clients, demo)
    assert stale["result"] == TIME_SKEW and "sid" not in stale


def test_group_send_refusals(server: ServerProcess) -> None:
    demo = server.demo()
    clients = v5_clients(server.endpoint, demo["sdk_app_id"], demo["app_key"])
    template = demo["templates"]["verification"]
    too_many = [f"138{n:08d}" for n in range(201)]
    assert clients.multi.send_with_param(86, too_many, template, ["1"], sign=demo["sign_name"])["result"] == 1046
    wrong_count = clients.multi.send_with_param(86, [DELIVERED], template, ["1", "2"], sign=demo["sign_name"])
    assert wrong_count["result"] == 1014 and wrong_count["detail"][0]["result"] == 1014
    unapproved = clients.multi.send_with_param(86, [DELIVERED], template, ["1"], sign="没有这个签名")
    assert unapproved["result"] == 1012
    bad, good = clients.multi.send_with_param(86, ["123", DELIVERED], template, ["1"], sign=demo["sign_name"])["detail"]
    assert bad["result"] == 1016 and good["result"] == 0 and good["sid"]
