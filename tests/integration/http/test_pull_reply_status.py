"""PullSmsReplyStatus and PullSmsReplyStatusByPhoneNumber over the real stores, in both versions."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tests.integration.http.conftest import V2019, V2021, Client
from tests.support.builders import NOW

pytestmark = pytest.mark.integration

CN = "+8613711112222"


def error_code(response: dict[str, Any]) -> str | None:
    error = response.get("Error")
    return None if error is None else str(error["Code"])


async def sent_and_replied(api: Client, text: str, *, source: str = "8613711112222") -> None:
    response = await api.send_sms(PhoneNumberSet=[CN])
    assert response["SendStatusSet"][0]["Code"] == "Ok"
    await api.stores.receipts.store_reply(
        carrier_id=api.acme.carrier.id, source_addr=source, destination_addr="106900", text=text, now=NOW
    )


async def test_a_reply_is_pulled_once_with_2021_fields(api: Client) -> None:
    await sent_and_replied(api, "好的，收到")
    params = {"Limit": 10, "SmsSdkAppId": api.acme.app.sdk_app_id}

    response = await api.call("PullSmsReplyStatus", params)
    [item] = response["PullSmsReplyStatusSet"]
    assert item == {
        "ExtendCode": "",
        "CountryCode": "86",
        "PhoneNumber": CN,
        "SignName": api.acme.signature.name,
        "ReplyContent": "好的，收到",
        "ReplyTime": int(NOW.timestamp()),
        "SubscriberNumber": "13711112222",
    }
    assert (await api.call("PullSmsReplyStatus", params))["PullSmsReplyStatusSet"] == []


async def test_2019_has_its_own_names_and_a_local_time(api: Client) -> None:
    await sent_and_replied(api, "R")
    response = await api.call(
        "PullSmsReplyStatus", {"Limit": 10, "SmsSdkAppid": api.acme.app.sdk_app_id}, version=V2019
    )
    [item] = response["PullSmsReplyStatusSet"]
    assert item == {
        "ExtendCode": "",
        "NationCode": "86",
        "PhoneNumber": CN,
        "Sign": api.acme.signature.name,
        "ReplyContent": "R",
        "ReplyTime": "2026-03-10 12:00:00",  # 04:00 UTC in Asia/Shanghai
        "ReplyUnixTime": int(NOW.timestamp()),
    }


@pytest.mark.parametrize("version", [V2021, V2019])
async def test_by_phone_number_reads_without_consuming(api: Client, version: str) -> None:
    await sent_and_replied(api, "TD")
    await api.call("PullSmsReplyStatus", {"Limit": 10, "SmsSdkAppId": api.acme.app.sdk_app_id})
    begin = int((NOW - timedelta(hours=1)).timestamp())
    if version == V2021:
        params: dict[str, Any] = {"BeginTime": begin, "Offset": 0, "Limit": 10, "PhoneNumber": CN}
        params["SmsSdkAppId"] = api.acme.app.sdk_app_id
    else:
        params = {"SendDateTime": begin, "Offset": 0, "Limit": 10, "PhoneNumber": CN}
        params["SmsSdkAppid"] = api.acme.app.sdk_app_id
    response = await api.call("PullSmsReplyStatusByPhoneNumber", params, version=version)
    assert [item["ReplyContent"] for item in response["PullSmsReplyStatusSet"]] == ["TD"]


@pytest.mark.parametrize(
    ("action", "params", "code"),
    [
        ("PullSmsReplyStatus", {"Limit": 101}, "InvalidParameterValue.LimitVerifyFail"),
        ("PullSmsReplyStatus", {"Limit": 10, "SmsSdkAppId": "1400000000"}, "InvalidParameterValue.SdkAppIdNotExist"),
        (
            "PullSmsReplyStatusByPhoneNumber",
            {"BeginTime": int((NOW - timedelta(days=8)).timestamp()), "Offset": 0, "Limit": 10, "PhoneNumber": CN},
            "InvalidParameterValue.BeginTimeVerifyFail",
        ),
        (
            "PullSmsReplyStatusByPhoneNumber",
            {"BeginTime": int(NOW.timestamp()), "Offset": 0, "Limit": 10, "PhoneNumber": "12-34"},
            "InvalidParameterValue.IncorrectPhoneNumber",
        ),
    ],
)
async def test_bad_pulls_get_the_documented_codes(api: Client, action: str, params: dict[str, Any], code: str) -> None:
    full = {"SmsSdkAppId": api.acme.app.sdk_app_id, **params}
    assert error_code(await api.call(action, full)) == code


async def test_another_tenants_app_sees_no_replies(api: Client) -> None:
    await sent_and_replied(api, "mine")
    other = await api.build.sender("other")
    response = await api.call(
        "PullSmsReplyStatus",
        {"Limit": 10, "SmsSdkAppId": other.app.sdk_app_id},
    )
    assert error_code(response) == "UnauthorizedOperation.SmsSdkAppIdVerifyFail"
