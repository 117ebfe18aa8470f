"""SendSms over the real stores, in both API versions."""

from __future__ import annotations

import re
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from smscloud.domain.messages.model import MessageStatus
from smscloud.domain.shared.review import ReviewStatus
from smscloud.domain.templates.model import SmsType
from tests.conftest import TEST_DATABASE
from tests.integration.http.conftest import V2019, Client
from tests.support.builders import message_row

pytestmark = pytest.mark.integration

CN = "+8613711112222"
CN_2 = "+8613711113333"
US = "+12025550123"
SERIAL = re.compile(r"3000:[0-9]{28}")
ON_POSTGRES = TEST_DATABASE.startswith("postgresql")


def error_code(response: dict[str, Any]) -> str | None:
    error = response.get("Error")
    return None if error is None else str(error["Code"])


def codes(response: dict[str, Any]) -> list[str]:
    return [item["Code"] for item in response["SendStatusSet"]]


async def queued(api: Client) -> list[Any]:
    """What the carrier's sender would find now (claims it)."""
    return await api.stores.queue.claim(
        carrier_id=api.acme.carrier.id, slot="probe", limit=1000, now=api.stores.clock.now()
    )


# --- success ------------------------------------------------------------------------------------------


async def test_send_answers_one_status_per_number_and_queues_the_message(api: Client) -> None:
    response = await api.send_sms(SessionContext="order-42", TemplateParamSet=["A1"])

    assert set(response) == {"SendStatusSet", "RequestId"}
    [status] = response["SendStatusSet"]
    assert set(status) == {"SerialNo", "PhoneNumber", "Fee", "SessionContext", "Code", "Message", "IsoCode"}
    assert SERIAL.fullmatch(status["SerialNo"])
    assert status["PhoneNumber"] == CN
    assert status["Fee"] == 1 and isinstance(status["Fee"], int)
    assert status["SessionContext"] == "order-42"
    assert (status["Code"], status["Message"], status["IsoCode"]) == ("Ok", "send success", "CN")

    row = await message_row(api.stores.db, status["SerialNo"])
    assert row.status == MessageStatus.QUEUED.value
    assert row.content == "【腾讯云】您的订单A1已发货。"
    assert row.request_id == response["RequestId"]
    assert (row.tenant_id, row.app_id, row.carrier_id) == (
        api.acme.tenant.id,
        api.acme.app.id,
        api.acme.carrier.id,
    )
    assert row.session_context == "order-42"
    assert api.signal.woken == [{api.acme.carrier.id}]


async def test_numbers_are_normalised_and_kept_in_order(api: Client) -> None:
    response = await api.send_sms(PhoneNumberSet=["13711113333", "+8613711112222", "008613711113333"])
    assert [s["PhoneNumber"] for s in response["SendStatusSet"]] == [CN_2, CN, CN_2]
    assert codes(response) == ["Ok"] * 3
    assert len({s["SerialNo"] for s in response["SendStatusSet"]}) == 3
    assert len(await queued(api)) == 3


async def test_two_hundred_numbers_are_accepted(api: Client) -> None:
    phones = [f"+86137{n:08d}" for n in range(200)]
    response = await api.send_sms(PhoneNumberSet=phones)
    assert codes(response) == ["Ok"] * 200
    assert len(await queued(api)) == 200


async def test_fee_counts_the_signature(api: Client) -> None:
    long_one = await api.build.template(api.acme.tenant.id, "好" * 66)  # 71 with 【腾讯云】
    response = await api.send_sms(TemplateId=str(long_one.id), TemplateParamSet=[])
    [status] = response["SendStatusSet"]
    assert (status["Code"], status["Fee"]) == ("Ok", 2)
    assert (await message_row(api.stores.db, status["SerialNo"])).segments == 2


async def test_template_and_app_ids_may_be_json_numbers(api: Client) -> None:
    response = await api.send_sms(TemplateId=api.acme.template.id, SmsSdkAppId=int(api.acme.app.sdk_app_id))
    assert codes(response) == ["Ok"]


async def test_international_send_without_signature(api: Client) -> None:
    template = await api.build.template(api.acme.tenant.id, "Your code is {1}", international=True)
    response = await api.send_sms(
        PhoneNumberSet=[US], TemplateId=str(template.id), SignName="", TemplateParamSet=["1234"]
    )
    [status] = response["SendStatusSet"]
    assert (status["Code"], status["IsoCode"], status["Fee"]) == ("Ok", "US", 1)
    assert (await message_row(api.stores.db, status["SerialNo"])).content == "Your code is 1234"


# --- per-number failures in a successful envelope -----------------------------------------------------


async def test_a_bad_number_fails_alone(api: Client) -> None:
    response = await api.send_sms(PhoneNumberSet=[CN, "+86123", CN_2], SessionContext="ctx")
    assert codes(response) == ["Ok", "InvalidParameterValue.IncorrectPhoneNumber", "Ok"]
    bad = response["SendStatusSet"][1]
    assert (bad["SerialNo"], bad["Fee"], bad["PhoneNumber"], bad["SessionContext"]) == (
        "",
        0,
        "+86123",
        "ctx",
    )
    assert bad["Message"]
    assert len(await queued(api)) == 2


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"TemplateId": "999999"}, "FailedOperation.TemplateIncorrectOrUnapproved"),
        ({"TemplateId": "abc"}, "FailedOperation.TemplateIncorrectOrUnapproved"),
        ({"TemplateId": "99999999999999999999"}, "FailedOperation.TemplateIncorrectOrUnapproved"),
        ({"TemplateId": 99999999999999999999}, "FailedOperation.TemplateIncorrectOrUnapproved"),
        ({"TemplateId": "²"}, "FailedOperation.TemplateIncorrectOrUnapproved"),
        ({"SignName": "没有这个"}, "FailedOperation.SignatureIncorrectOrUnapproved"),
        ({"SignName": ""}, "FailedOperation.SignatureIncorrectOrUnapproved"),
        ({"TemplateParamSet": []}, "FailedOperation.TemplateParamSetNotMatchApprovedTemplate"),
        ({"TemplateParamSet": ["1", "2"]}, "FailedOperation.TemplateParamSetNotMatchApprovedTemplate"),
        ({"TemplateParamSet": ["www.evil.com"]}, "InvalidParameterValue.ProhibitedUseUrlInTemplateParameter"),
        ({"TemplateParamSet": ["x" * 500]}, "InvalidParameterValue.ContentLengthLimit"),
        (
            {"PhoneNumberSet": [US], "SignName": ""},
            "UnsupportedOperation.ChineseMainlandTemplateToGlobalPhone",
        ),
    ],
    ids=[
        "unknown template",
        "non-numeric template",
        "template id beyond int64",
        "template id json number beyond int64",
        "template id superscript",
        "unknown signature",
        "no signature",
        "too few params",
        "too many params",
        "link param",
        "too long",
        "domestic template abroad",
    ],
)
async def test_per_number_refusals(api: Client, fields: dict[str, Any], code: str) -> None:
    response = await api.send_sms(PhoneNumberSet=fields.pop("PhoneNumberSet", [CN, CN_2]), **fields)
    assert error_code(response) is None
    assert codes(response) == [code] * len(response["SendStatusSet"])
    assert all(s["SerialNo"] == "" and s["Fee"] == 0 for s in response["SendStatusSet"])
    assert await queued(api) == []
    assert api.signal.woken == []


async def test_template_of_another_tenant_or_not_approved(api: Client) -> None:
    other = await api.build.tenant()
    theirs = await api.build.template(other.id)
    pending = await api.build.template(api.acme.tenant.id, status=ReviewStatus.PENDING)
    rejected = await api.build.template(api.acme.tenant.id, status=ReviewStatus.REJECTED)
    for template in (theirs, pending, rejected):
        response = await api.send_sms(TemplateId=str(template.id))
        assert codes(response) == ["FailedOperation.TemplateIncorrectOrUnapproved"]


async def test_verification_code_format(api: Client) -> None:
    template = await api.build.template(api.acme.tenant.id, "验证码{1}", sms_type=SmsType.VERIFICATION_CODE)
    response = await api.send_sms(TemplateId=str(template.id), TemplateParamSet=["12345678"])
    assert codes(response) == ["InvalidParameterValue.TemplateParameterFormatError"]


async def test_marketing_outside_8_to_22_refuses_the_whole_request(api: Client) -> None:
    template = await api.build.template(api.acme.tenant.id, "春季大促{1}，拒收请回复R", sms_type=SmsType.MARKETING)
    shanghai_hour = api.stores.clock.now().astimezone(ZoneInfo("Asia/Shanghai")).hour
    api.stores.clock.advance(((23 - shanghai_hour) % 24) * 3600.0)  # 23:xx in Shanghai
    response = await api.send_sms(TemplateId=str(template.id), PhoneNumberSet=[CN, CN_2])
    assert error_code(response) == "FailedOperation.MarketingSendTimeConstraint"
    assert "SendStatusSet" not in response
    assert await queued(api) == []


async def test_no_route_is_unsupported_region(api: Client) -> None:
    await api.build.disable_routes(api.acme.carrier.id)
    api.stores.catalog.invalidate()
    response = await api.send_sms()
    assert codes(response) == ["UnsupportedOperation.UnsupportedRegion"]


# --- request-level refusals: an Error envelope, nothing stored ----------------------------------------


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"PhoneNumberSet": []}, "MissingParameter.EmptyPhoneNumberSet"),
        ({"PhoneNumberSet": [CN] * 201}, "LimitExceeded.PhoneNumberCountLimit"),
        ({"PhoneNumberSet": [CN, US]}, "UnsupportedOperation.ContainDomesticAndInternationalPhoneNumber"),
        ({"SmsSdkAppId": "1499999999"}, "InvalidParameterValue.SdkAppIdNotExist"),
        ({"SessionContext": "x" * 512}, "InvalidParameterValue"),
        ({"ExtendCode": "12ab"}, "InvalidParameterValue"),
    ],
)
async def test_request_level_refusals(api: Client, fields: dict[str, Any], code: str) -> None:
    response = await api.send_sms(**fields)
    assert error_code(response) == code
    assert await queued(api) == []


async def test_another_tenants_app_is_refused(api: Client) -> None:
    other = await api.build.tenant()
    theirs = await api.build.app(other.id)
    response = await api.send_sms(SmsSdkAppId=theirs.sdk_app_id)
    assert error_code(response) == "UnauthorizedOperation.SmsSdkAppIdVerifyFail"


async def test_a_disabled_app_is_refused(api: Client) -> None:
    await api.build.disable_app(api.acme.app.id)
    api.stores.catalog.invalidate()
    assert error_code(await api.send_sms()) == "UnauthorizedOperation.SdkAppIdIsDisabled"


async def test_a_suspended_account_is_refused(api: Client) -> None:
    await api.build.suspend_tenant(api.acme.tenant.id)
    api.stores.catalog.invalidate()
    assert error_code(await api.send_sms()) == "UnauthorizedOperation.RequestPermissionDeny"
    assert await queued(api) == []


# --- hostile input never becomes an InternalError -----------------------------------------------------


async def test_a_long_sender_id_is_not_an_internal_error(api: Client) -> None:
    response = await api.send_sms(SenderId="S" * 40)
    assert error_code(response) != "InternalError"


@pytest.mark.parametrize(
    "fields",
    [
        {"SessionContext": "a\u0000b"},
        {"TemplateParamSet": ["A\u00001"]},
        {"SmsSdkAppId": "1400\u0000"},
        {"SignName": "腾讯\u0000"},
    ],
    ids=["SessionContext", "TemplateParamSet", "SmsSdkAppId", "SignName"],
)
async def test_a_nul_character_is_not_an_internal_error(api: Client, fields: dict[str, Any]) -> None:
    response = await api.send_sms(**fields)
    assert error_code(response) != "InternalError"


async def test_a_nul_character_is_refused_as_an_invalid_value(api: Client) -> None:
    response = await api.send_sms(SessionContext="a\u0000b")
    assert error_code(response) == "InvalidParameterValue"


async def test_the_text_backslash_u0000_is_no_nul_and_is_sent(api: Client) -> None:
    response = await api.send_sms(SessionContext="C:\\u0000x")  # JSON "C:\\u0000x"
    [status] = response["SendStatusSet"]
    assert (status["Code"], status["SessionContext"]) == ("Ok", "C:\\u0000x")


async def test_a_template_id_of_more_digits_than_python_reads_names_no_template(api: Client) -> None:
    response = await api.send_sms(TemplateId="1" * 4301)
    [status] = response["SendStatusSet"]
    assert status["Code"] == "FailedOperation.TemplateIncorrectOrUnapproved"


async def test_a_secret_id_with_nul_is_unknown_not_an_internal_error(api: Client) -> None:
    response = await api.call_v1("SendSms", {"PhoneNumberSet.0": "+8613711112222"}, secret_id="AKID\x00x")
    assert error_code(response) == "AuthFailure.SecretIdNotFound"


# --- 2019-07-11 ---------------------------------------------------------------------------------------


async def test_2019_field_names_work(api: Client) -> None:
    response = await api.send_sms(version=V2019, SessionContext="old-sdk")
    [status] = response["SendStatusSet"]
    assert (status["Code"], status["PhoneNumber"], status["SessionContext"], status["IsoCode"]) == (
        "Ok",
        CN,
        "old-sdk",
        "CN",
    )
    assert (await message_row(api.stores.db, status["SerialNo"])).sign_name == "腾讯云"


async def test_2019_uses_its_own_names_only(api: Client) -> None:
    params = {
        "PhoneNumberSet": [CN],
        "SmsSdkAppId": api.acme.app.sdk_app_id,
        "TemplateId": str(api.acme.template.id),
        "SignName": api.acme.signature.name,
        "TemplateParamSet": ["A1"],
    }
    response = await api.call("SendSms", params, version=V2019)
    assert error_code(response) == "MissingParameter"


async def test_2019_sign_field_is_the_signature(api: Client) -> None:
    response = await api.send_sms(version=V2019, Sign="没有这个")
    assert codes(response) == ["FailedOperation.SignatureIncorrectOrUnapproved"]


async def test_2019_request_level_refusal(api: Client) -> None:
    response = await api.send_sms(version=V2019, PhoneNumberSet=[CN] * 201)
    assert error_code(response) == "LimitExceeded.PhoneNumberCountLimit"


async def test_2021_names_other_than_its_own_are_ignored(api: Client) -> None:
    # The 2019 spelling of the signature field in a 2021 call is an unknown, ignored key: no signature.
    response = await api.send_sms(SignName=None, Sign="腾讯云")
    assert codes(response) == ["FailedOperation.SignatureIncorrectOrUnapproved"]
