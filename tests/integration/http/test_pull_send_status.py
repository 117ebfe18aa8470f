"""PullSmsSendStatus and PullSmsSendStatusByPhoneNumber over the real stores, in both versions."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.integration.http.conftest import V2019, V2021, Client
from tests.support.builders import NOW

pytestmark = pytest.mark.integration

CN = "+8613711112222"
CN_2 = "+8613711113333"
DONE = NOW + timedelta(seconds=7)


def error_code(response: dict[str, Any]) -> str | None:
    error = response.get("Error")
    return None if error is None else str(error["Code"])


async def sent_and_receipted(
    api: Client, phones: list[str], *, stat: str = "DELIVRD", session_context: str = "ctx"
) -> list[str]:
    """Send through the API, then let the carrier submit and answer: returns the SerialNos."""
    response = await api.send_sms(PhoneNumberSet=phones, SessionContext=session_context)
    serials = [s["SerialNo"] for s in response["SendStatusSet"]]
    assert all(serials)
    messages = await api.stores.queue.claim(carrier_id=api.acme.carrier.id, slot="s", limit=1000, now=NOW)
    from smscloud.domain.messages.dispatch import Submitted
    from smscloud.domain.messages.receipts import Receipt, status_from_receipt

    await api.stores.queue.record(
        [Submitted(m.id, (f"cm-{m.serial_no}",)) for m in messages], carrier_id=api.acme.carrier.id, now=NOW
    )
    status = status_from_receipt(stat)
    assert status is not None
    await api.stores.receipts.apply(
        [Receipt(api.acme.carrier.id, f"cm-{m.serial_no}", status, stat, "000", DONE) for m in messages],
        now=NOW,
    )
    return serials


def pull(api: Client, limit: Any = 100, **extra: Any) -> dict[str, Any]:
    return {"Limit": limit, "SmsSdkAppId": api.acme.app.sdk_app_id, **extra}


# --- PullSmsSendStatus --------------------------------------------------------------------------------


async def test_pull_returns_each_receipt_once_with_2021_fields(api: Client) -> None:
    [serial] = await sent_and_receipted(api, [CN], session_context="order-1")

    response = await api.call("PullSmsSendStatus", pull(api))
    [item] = response["PullSmsSendStatusSet"]
    assert item == {
        "UserReceiveTime": int(DONE.timestamp()),
        "CountryCode": "86",
        "SubscriberNumber": "13711112222",
        "PhoneNumber": CN,
        "SerialNo": serial,
        "ReportStatus": "SUCCESS",
        "Description": "DELIVRD",
        "SessionContext": "order-1",
    }
    again = await api.call("PullSmsSendStatus", pull(api))
    assert again["PullSmsSendStatusSet"] == []


async def test_failed_delivery_is_reported_as_fail(api: Client) -> None:
    await sent_and_receipted(api, [CN], stat="UNDELIV")
    [item] = (await api.call("PullSmsSendStatus", pull(api)))["PullSmsSendStatusSet"]
    assert (item["ReportStatus"], item["Description"]) == ("FAIL", "UNDELIV")


async def test_pull_respects_limit_and_keeps_the_rest_for_later(api: Client) -> None:
    serials = await sent_and_receipted(api, [CN, CN_2, CN, CN_2, CN])
    first = (await api.call("PullSmsSendStatus", pull(api, 2)))["PullSmsSendStatusSet"]
    rest = (await api.call("PullSmsSendStatus", pull(api, 100)))["PullSmsSendStatusSet"]
    assert len(first) == 2
    assert [i["SerialNo"] for i in first + rest] == serials


async def test_pull_from_2019_has_2019_fields_in_the_tenants_time(api: Client) -> None:
    [serial] = await sent_and_receipted(api, [CN])
    response = await api.call("PullSmsSendStatus", {"Limit": 10, "SmsSdkAppid": api.acme.app.sdk_app_id}, version=V2019)
    [item] = response["PullSmsSendStatusSet"]
    local = DONE.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d %H:%M:%S")
    assert local == "2026-03-10 12:00:07"
    assert item == {
        "UserReceiveTime": local,
        "UserReceiveUnixTime": int(DONE.timestamp()),
        "NationCode": "86",
        "PurePhoneNumber": CN,
        "PhoneNumber": "13711112222",
        "SerialNo": serial,
        "ReportStatus": "SUCCESS",
        "Description": "DELIVRD",
    }


async def test_2019_pull_needs_its_own_app_id_name(api: Client) -> None:
    response = await api.call("PullSmsSendStatus", pull(api, 10), version=V2019)
    assert error_code(response) == "MissingParameter"


@pytest.mark.parametrize(
    ("version", "code"),
    [(V2021, "InvalidParameterValue.LimitVerifyFail"), (V2019, "InvalidParameterValue")],
)
@pytest.mark.parametrize("limit", [0, 101, -5])
async def test_limit_out_of_range(api: Client, version: str, code: str, limit: int) -> None:
    name = "SmsSdkAppid" if version == V2019 else "SmsSdkAppId"
    response = await api.call("PullSmsSendStatus", {"Limit": limit, name: api.acme.app.sdk_app_id}, version=version)
    assert error_code(response) == code


async def test_missing_limit_is_missing_parameter(api: Client) -> None:
    response = await api.call("PullSmsSendStatus", {"SmsSdkAppId": api.acme.app.sdk_app_id})
    assert error_code(response) == "MissingParameter"


async def test_pull_from_another_tenants_app_is_refused_and_takes_nothing(api: Client) -> None:
    await sent_and_receipted(api, [CN])
    other = await api.build.sender("other")
    response = await api.call(
        "PullSmsSendStatus",
        {"Limit": 10, "SmsSdkAppId": api.acme.app.sdk_app_id},
        secret_id=other.key.secret_id,
        secret_key=other.key.secret_key,
    )
    assert error_code(response) == "UnauthorizedOperation.SmsSdkAppIdVerifyFail"
    assert len((await api.call("PullSmsSendStatus", pull(api)))["PullSmsSendStatusSet"]) == 1


async def test_pull_from_an_unknown_app(api: Client) -> None:
    response = await api.call("PullSmsSendStatus", {"Limit": 10, "SmsSdkAppId": "1499999999"})
    assert error_code(response) == "InvalidParameterValue.SdkAppIdNotExist"


# --- PullSmsSendStatusByPhoneNumber -------------------------------------------------------------------


def by_phone(api: Client, **fields: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "BeginTime": int((NOW - timedelta(hours=1)).timestamp()),
        "Offset": 0,
        "Limit": 10,
        "PhoneNumber": CN,
        "SmsSdkAppId": api.acme.app.sdk_app_id,
    }
    values.update(fields)
    return {k: v for k, v in values.items() if v is not None}


async def test_by_phone_returns_that_numbers_receipts_without_consuming_the_queue(api: Client) -> None:
    serials = await sent_and_receipted(api, [CN, CN_2, CN])
    response = await api.call("PullSmsSendStatusByPhoneNumber", by_phone(api, PhoneNumber="13711112222"))
    items = response["PullSmsSendStatusSet"]
    assert [i["SerialNo"] for i in items] == [serials[0], serials[2]]
    assert all(i["PhoneNumber"] == CN for i in items)
    again = await api.call("PullSmsSendStatusByPhoneNumber", by_phone(api))
    assert len(again["PullSmsSendStatusSet"]) == 2
    assert len((await api.call("PullSmsSendStatus", pull(api)))["PullSmsSendStatusSet"]) == 3


async def test_by_phone_window_and_paging(api: Client) -> None:
    serials = await sent_and_receipted(api, [CN, CN])
    after = await api.call("PullSmsSendStatusByPhoneNumber", by_phone(api, BeginTime=int(NOW.timestamp()) + 1))
    assert after["PullSmsSendStatusSet"] == []
    before = await api.call(
        "PullSmsSendStatusByPhoneNumber", by_phone(api, EndTime=int((NOW - timedelta(minutes=1)).timestamp()))
    )
    assert before["PullSmsSendStatusSet"] == []
    second = await api.call("PullSmsSendStatusByPhoneNumber", by_phone(api, Offset=1, Limit=1))
    assert [i["SerialNo"] for i in second["PullSmsSendStatusSet"]] == [serials[1]]


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        (
            {"BeginTime": int((NOW - timedelta(days=8)).timestamp())},
            "InvalidParameterValue.BeginTimeVerifyFail",
        ),
        ({"EndTime": int((NOW - timedelta(hours=2)).timestamp())}, "InvalidParameterValue.InvalidStartTime"),
        ({"PhoneNumber": "12-34"}, "InvalidParameterValue.IncorrectPhoneNumber"),
        ({"Limit": 0}, "InvalidParameterValue.LimitVerifyFail"),
        ({"Offset": -1}, "InvalidParameterValue.OffsetVerifyFail"),
        ({"Offset": 2**64}, "InvalidParameterValue.OffsetVerifyFail"),
        ({"BeginTime": 10**20}, "InvalidParameterValue.BeginTimeVerifyFail"),
        ({"EndTime": 10**18}, "InvalidParameterValue.EndTimeVerifyFail"),
        ({"PhoneNumber": None}, "MissingParameter"),
        ({"BeginTime": "yesterday"}, "InvalidParameter"),
    ],
    ids=[
        "begin 8 days back",
        "end before begin",
        "bad number",
        "limit",
        "negative offset",
        "huge offset",
        "begin beyond any date",
        "end beyond any date",
        "no number",
        "begin not a number",
    ],
)
async def test_by_phone_errors(api: Client, fields: dict[str, Any], code: str) -> None:
    response = await api.call("PullSmsSendStatusByPhoneNumber", by_phone(api, **fields))
    assert error_code(response) == code


async def test_by_phone_in_2019_names(api: Client) -> None:
    [serial] = await sent_and_receipted(api, [CN])
    params = {
        "SendDateTime": int((NOW - timedelta(hours=1)).timestamp()),
        "EndDateTime": int((NOW + timedelta(hours=1)).timestamp()),
        "Offset": 0,
        "Limit": 10,
        "PhoneNumber": CN,
        "SmsSdkAppid": api.acme.app.sdk_app_id,
    }
    response = await api.call("PullSmsSendStatusByPhoneNumber", params, version=V2019)
    [item] = response["PullSmsSendStatusSet"]
    assert (item["SerialNo"], item["PurePhoneNumber"], item["PhoneNumber"]) == (serial, CN, "13711112222")
    assert isinstance(item["UserReceiveTime"], str)


@pytest.mark.parametrize(
    ("fields", "code", "names"),
    [
        ({"Limit": 0}, "InvalidParameterValue", "Limit"),
        ({"Offset": -1}, "InvalidParameterValue", "Offset"),
        (
            {"SendDateTime": int((NOW - timedelta(days=8)).timestamp())},
            "InvalidParameterValue.BeginTimeVerifyFail",
            "SendDateTime",
        ),
        (
            {"EndDateTime": int((NOW - timedelta(hours=2)).timestamp())},
            "InvalidParameterValue.InvalidStartTime",
            "EndDateTime",
        ),
    ],
)
async def test_by_phone_2019_errors_use_2019_codes_and_names(
    api: Client, fields: dict[str, Any], code: str, names: str
) -> None:
    params = {
        "SendDateTime": int((NOW - timedelta(hours=1)).timestamp()),
        "Offset": 0,
        "Limit": 10,
        "PhoneNumber": CN,
        "SmsSdkAppid": api.acme.app.sdk_app_id,
        **fields,
    }
    response = await api.call("PullSmsSendStatusByPhoneNumber", params, version=V2019)
    assert error_code(response) == code
    assert names in response["Error"]["Message"]
    assert "BeginTime" not in response["Error"]["Message"]


async def test_2021_pull_answers_only_2021_shaped_items(api: Client) -> None:
    await sent_and_receipted(api, [CN])
    [item] = (await api.call("PullSmsSendStatus", pull(api), version=V2021))["PullSmsSendStatusSet"]
    assert isinstance(item["UserReceiveTime"], int)
    assert datetime.fromtimestamp(item["UserReceiveTime"], ZoneInfo("UTC")) == DONE.replace(microsecond=0)
    assert "NationCode" not in item and "PurePhoneNumber" not in item
