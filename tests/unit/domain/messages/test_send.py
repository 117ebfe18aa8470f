"""The send policy: request-level refusals, per-number outcomes, fees and the messages planned."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from smscloud.domain.accounts.model import Tenant, TenantKind, TenantStatus
from smscloud.domain.apps.model import Application, AppStatus
from smscloud.domain.messages.refusals import Refusal, SendRefused
from smscloud.domain.messages.routing import Route
from smscloud.domain.messages.send import (
    MAX_CONTENT_CHARS,
    MAX_PHONE_NUMBERS,
    SendPlan,
    SendRequest,
    check_application,
    check_request_shape,
    plan_send,
)
from smscloud.domain.shared.review import ReviewStatus
from smscloud.domain.signatures.model import Signature
from smscloud.domain.templates.model import SmsType, Template
from tests.unit.domain import factories as f

CARRIER = 7
ROUTES = (Route(prefix="", carrier_id=CARRIER),)
_SERIAL = re.compile(r"3000:[0-9]{28}")


def request(
    phones: Sequence[str] = (f.DOMESTIC,),
    params: Sequence[str] = ("A123",),
    *,
    sign_name: str = f.SIGN,
    template_id: str = "30",
    **extra: Any,
) -> SendRequest:
    return SendRequest(
        sdk_app_id=f.SDK_APP_ID,
        template_id=template_id,
        phone_numbers=list(phones),
        params=list(params),
        sign_name=sign_name,
        **extra,
    )


DEFAULT_TEMPLATE = f.template()
DEFAULT_SIGNATURE = f.signature()


def plan(
    phones: Sequence[str] = (f.DOMESTIC,),
    params: Sequence[str] = ("A123",),
    *,
    template: Template | None = DEFAULT_TEMPLATE,
    signature: Signature | None = DEFAULT_SIGNATURE,
    tenant: Tenant | None = None,
    routes: Sequence[Route] = ROUTES,
    now: datetime = f.NOW,
    sign_name: str = f.SIGN,
    **extra: Any,
) -> SendPlan:
    req = request(phones, params, sign_name=sign_name, **extra)
    return plan_send(
        request=req,
        request_id="req-1",
        tenant=tenant or f.tenant(),
        app=f.app(),
        template=template,
        signature=signature,
        numbers=f.parse_all(list(req.phone_numbers)),
        routes=routes,
        now=now,
    )


def refusals(result: SendPlan) -> list[Refusal | None]:
    return [o.refusal for o in result.outcomes]


def refused_with(refusal: Refusal, result: SendPlan) -> None:
    """Every number refused with `refusal`, nothing planned, no serial and no fee."""
    assert refusals(result) == [refusal] * len(result.outcomes)
    assert result.messages == []
    assert all(o.serial_no == "" and o.fee == 0 and not o.accepted for o in result.outcomes)


# --- the happy path --------------------------------------------------------------------------------


def test_accepted_number_becomes_one_queued_message_with_everything_it_needs() -> None:
    result = plan(session_context="ctx-9", extend_code="12", sender_id="")

    [outcome] = result.outcomes
    assert outcome.accepted and outcome.refusal is None
    assert outcome.phone == f.DOMESTIC
    assert outcome.iso_code == "CN"
    assert outcome.fee == 1
    assert _SERIAL.fullmatch(outcome.serial_no)
    [message] = result.messages
    assert message.serial_no == outcome.serial_no
    assert message.request_id == "req-1"
    assert (message.tenant_id, message.app_id, message.template_id) == (f.TENANT_ID, 10, 30)
    assert (message.phone, message.country_code, message.iso_code) == (f.DOMESTIC, "86", "CN")
    assert message.international is False
    assert message.sign_name == f.SIGN
    assert message.sms_type == int(SmsType.NOTIFICATION)
    assert message.content == "【腾讯云】您的订单A123已发货。"
    assert (message.alphabet, message.segments) == ("ucs2", 1)
    assert (message.session_context, message.extend_code) == ("ctx-9", "12")
    assert message.carrier_id == CARRIER
    assert message.created_at == f.NOW


def test_serial_numbers_are_unique_per_accepted_number() -> None:
    phones = [f.DOMESTIC, f.DOMESTIC_2] * 100  # the same number twice is two messages
    result = plan(phones)
    serials = [o.serial_no for o in result.outcomes]
    assert len(set(serials)) == 200
    assert all(_SERIAL.fullmatch(s) for s in serials)
    assert [m.serial_no for m in result.messages] == serials


def test_content_is_the_signature_in_full_width_brackets_then_the_rendered_body() -> None:
    result = plan(params=["X9"], template=f.template("订单{1}，取件码{1}。"))
    assert result.messages[0].content == "【腾讯云】订单X9，取件码X9。"


# --- request shape ----------------------------------------------------------------------------------


def test_empty_phone_number_set_is_refused() -> None:
    with pytest.raises(SendRefused) as refused:
        check_request_shape(request(phones=[]))
    assert refused.value.refusal is Refusal.EMPTY_PHONE_NUMBER_SET


def test_two_hundred_numbers_pass_and_two_hundred_and_one_are_refused() -> None:
    assert MAX_PHONE_NUMBERS == 200
    check_request_shape(request(phones=[f.DOMESTIC] * 200))
    with pytest.raises(SendRefused) as refused:
        check_request_shape(request(phones=[f.DOMESTIC] * 201))
    assert refused.value.refusal is Refusal.TOO_MANY_PHONE_NUMBERS


@pytest.mark.parametrize(
    "context",
    ["a" * 511, "短" * 170 + "a", "短" * 170, ""],
    ids=["511 ascii", "511 bytes mixed", "510 bytes cjk", "empty"],
)
def test_session_context_below_512_bytes_passes(context: str) -> None:
    assert len(context.encode()) < 512
    check_request_shape(request(session_context=context))


@pytest.mark.parametrize(
    "context",
    ["a" * 512, "短" * 170 + "ab", "短" * 171],
    ids=["512 ascii", "512 bytes mixed", "513 bytes cjk (171 chars)"],
)
def test_session_context_of_512_bytes_or_more_is_refused(context: str) -> None:
    assert len(context.encode()) >= 512
    with pytest.raises(SendRefused) as refused:
        check_request_shape(request(session_context=context))
    assert refused.value.refusal is Refusal.SESSION_CONTEXT_TOO_LONG


@pytest.mark.parametrize("code", ["", "1", "123456789012"])
def test_extend_code_of_up_to_12_ascii_digits_passes(code: str) -> None:
    check_request_shape(request(extend_code=code))


@pytest.mark.parametrize("code", ["12a", "1234567890123", " 12", "١٢", "１２", "-1"])
def test_other_extend_codes_are_refused(code: str) -> None:
    with pytest.raises(SendRefused) as refused:
        check_request_shape(request(extend_code=code))
    assert refused.value.refusal is Refusal.INVALID_EXTEND_CODE


# --- the application and the account ---------------------------------------------------------------


def test_own_enabled_application_is_returned() -> None:
    own = f.app()
    assert check_application(own, f.tenant()) is own


def test_unknown_application_is_refused() -> None:
    with pytest.raises(SendRefused) as refused:
        check_application(None, f.tenant())
    assert refused.value.refusal is Refusal.APP_NOT_FOUND


def test_another_tenants_application_is_refused() -> None:
    with pytest.raises(SendRefused) as refused:
        check_application(f.app(tenant_id=f.OTHER_TENANT_ID), f.tenant())
    assert refused.value.refusal is Refusal.APP_NOT_YOURS


def test_disabled_application_is_refused() -> None:
    with pytest.raises(SendRefused) as refused:
        check_application(f.app(status=AppStatus.DISABLED), f.tenant())
    assert refused.value.refusal is Refusal.APP_DISABLED


@pytest.mark.parametrize("application", [f.app(), None, f.app(status=AppStatus.DISABLED)])
def test_suspended_account_is_refused_whatever_the_application(application: Application | None) -> None:
    with pytest.raises(SendRefused) as refused:
        check_application(application, f.tenant(status=TenantStatus.SUSPENDED))
    assert refused.value.refusal is Refusal.ACCOUNT_SUSPENDED


# --- numbers ------------------------------------------------------------------------------------------


def test_mixing_domestic_and_international_numbers_refuses_the_request() -> None:
    with pytest.raises(SendRefused) as refused:
        plan([f.DOMESTIC, f.US])
    assert refused.value.refusal is Refusal.MIXED_DOMESTIC_AND_INTERNATIONAL


def test_hong_kong_counts_as_international() -> None:
    with pytest.raises(SendRefused) as refused:
        plan([f.DOMESTIC, f.HK])
    assert refused.value.refusal is Refusal.MIXED_DOMESTIC_AND_INTERNATIONAL


def test_an_invalid_number_fails_alone_and_the_order_is_kept() -> None:
    result = plan([f.DOMESTIC, "not-a-number", f.DOMESTIC_2])

    assert [o.phone for o in result.outcomes] == [f.DOMESTIC, "not-a-number", f.DOMESTIC_2]
    assert refusals(result) == [None, Refusal.INVALID_PHONE_NUMBER, None]
    bad = result.outcomes[1]
    assert (bad.serial_no, bad.fee, bad.iso_code) == ("", 0, "")
    assert [m.phone for m in result.messages] == [f.DOMESTIC, f.DOMESTIC_2]


def test_only_invalid_numbers_plan_nothing() -> None:
    result = plan(["x", "y"])
    refused_with(Refusal.INVALID_PHONE_NUMBER, result)
    assert [o.phone for o in result.outcomes] == ["x", "y"]


def test_a_number_no_route_serves_is_unsupported_and_the_rest_are_sent() -> None:
    result = plan([f.DOMESTIC, f.DOMESTIC_2], routes=[Route(prefix="86137111122", carrier_id=CARRIER)])
    assert refusals(result) == [None, Refusal.UNSUPPORTED_REGION]
    assert result.outcomes[1].serial_no == ""
    assert result.outcomes[1].fee == 0
    assert result.outcomes[1].iso_code == "CN"
    assert [m.phone for m in result.messages] == [f.DOMESTIC]


def test_no_route_at_all_is_unsupported_region() -> None:
    refused_with(Refusal.UNSUPPORTED_REGION, plan(routes=[]))


def test_international_number_without_a_route_for_its_country_is_unsupported() -> None:
    result = plan(
        [f.US],
        params=["A1"],
        template=f.intl_template(),
        signature=None,
        sign_name="",
        routes=[Route(prefix="86", carrier_id=CARRIER)],
    )
    refused_with(Refusal.UNSUPPORTED_REGION, result)
    assert result.outcomes[0].iso_code == "US"


def test_the_longest_matching_route_picks_the_carrier() -> None:
    routes = [Route("", 1), Route("86", 2), Route("86137", 3), Route("861381", 4)]
    result = plan([f.DOMESTIC, f.DOMESTIC_2], routes=routes)
    assert [m.carrier_id for m in result.messages] == [3, 3]


# --- template -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "template",
    [
        None,
        f.template(status=ReviewStatus.PENDING),
        f.template(status=ReviewStatus.REJECTED),
        f.template(tenant_id=f.OTHER_TENANT_ID),
    ],
    ids=["missing", "pending", "rejected", "another tenant's"],
)
def test_unusable_template_refuses_every_valid_number(template: Template | None) -> None:
    result = plan([f.DOMESTIC, "bad", f.DOMESTIC_2], template=template)
    assert refusals(result) == [
        Refusal.TEMPLATE_UNAPPROVED,
        Refusal.INVALID_PHONE_NUMBER,
        Refusal.TEMPLATE_UNAPPROVED,
    ]
    assert result.messages == []
    assert [o.iso_code for o in result.outcomes] == ["CN", "", "CN"]


def test_domestic_template_to_international_number_is_refused() -> None:
    result = plan([f.US], template=f.template(), signature=None, sign_name="")
    refused_with(Refusal.DOMESTIC_TEMPLATE_TO_GLOBAL_PHONE, result)


def test_international_template_to_domestic_number_is_refused() -> None:
    refused_with(Refusal.GLOBAL_TEMPLATE_TO_DOMESTIC_PHONE, plan(template=f.intl_template()))


def test_parameter_count_must_match_the_template() -> None:
    refused_with(Refusal.TEMPLATE_PARAMS_MISMATCH, plan(params=[]))
    refused_with(Refusal.TEMPLATE_PARAMS_MISMATCH, plan(params=["1", "2"]))
    refused_with(Refusal.TEMPLATE_PARAMS_MISMATCH, plan(params=["1"], template=f.template("没有参数。")))


def test_a_template_without_parameters_takes_none() -> None:
    result = plan(params=[], template=f.template("您已成功注册。"))
    assert result.messages[0].content == "【腾讯云】您已成功注册。"


# --- signature ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("signature", "sign_name"),
    [
        (None, ""),
        (None, f.SIGN),
        (f.signature(status=ReviewStatus.PENDING), f.SIGN),
        (f.signature(status=ReviewStatus.REJECTED), f.SIGN),
        (f.signature(tenant_id=f.OTHER_TENANT_ID), f.SIGN),
        (f.intl_signature(), f.INTL_SIGN),
    ],
    ids=["no SignName", "unknown", "pending", "rejected", "another tenant's", "international"],
)
def test_domestic_send_needs_an_own_approved_domestic_signature(signature: Signature | None, sign_name: str) -> None:
    refused_with(Refusal.SIGNATURE_UNAPPROVED, plan(signature=signature, sign_name=sign_name))


def test_international_send_without_sign_name_needs_no_signature() -> None:
    result = plan([f.US], params=["A1"], template=f.intl_template(), signature=None, sign_name="")
    [message] = result.messages
    assert message.content == "Your order A1 has shipped."
    assert message.sign_name == ""
    assert message.international is True
    assert result.outcomes[0].iso_code == "US"


def test_international_send_with_sign_name_uses_square_brackets() -> None:
    result = plan(
        [f.US], params=["A1"], template=f.intl_template(), signature=f.intl_signature(), sign_name=f.INTL_SIGN
    )
    assert result.messages[0].content == "[Acme]Your order A1 has shipped."
    assert result.messages[0].sign_name == f.INTL_SIGN


@pytest.mark.parametrize(
    "signature",
    [None, f.intl_signature(status=ReviewStatus.PENDING), f.signature()],
    ids=["unknown", "pending", "domestic"],
)
def test_international_send_naming_an_unusable_signature_is_refused(signature: Signature | None) -> None:
    result = plan([f.US], params=["A1"], template=f.intl_template(), signature=signature, sign_name=f.INTL_SIGN)
    refused_with(Refusal.SIGNATURE_UNAPPROVED, result)


# --- parameters ---------------------------------------------------------------------------------------

CODE_TEMPLATE = f.template("您的验证码是{1}，5分钟内有效。", sms_type=SmsType.VERIFICATION_CODE)


@pytest.mark.parametrize("code", ["", "0", "123456", "000000"])
def test_verification_code_of_0_to_6_digits_passes(code: str) -> None:
    result = plan(params=[code], template=CODE_TEMPLATE)
    assert refusals(result) == [None]


@pytest.mark.parametrize("code", ["1234567", "12345a", "12 34", "１２３４", "١٢٣"])
def test_other_verification_codes_are_refused(code: str) -> None:
    refused_with(Refusal.VERIFICATION_CODE_FORMAT, plan(params=[code], template=CODE_TEMPLATE))


@pytest.mark.parametrize(
    "param",
    ["http://a.b", "HTTPS://x.y/z", "www.example", "evil.com", "click t.cn now", "a.XYZ"],
)
def test_links_in_parameters_are_refused(param: str) -> None:
    refused_with(Refusal.URL_IN_PARAMETER, plan(params=[param]))


@pytest.mark.parametrize("param", ["3.14", "A123", "张三", "v1.2"])
def test_parameters_that_are_not_links_pass(param: str) -> None:
    assert refusals(plan(params=[param])) == [None]


# --- length and fee -----------------------------------------------------------------------------------


def test_content_of_500_characters_with_the_signature_passes_and_501_is_refused() -> None:
    assert MAX_CONTENT_CHARS == 500
    body = f.template("A" * 494 + "{1}")  # 【腾讯云】 is 5 characters
    accepted = plan(params=["B"], template=body)
    assert len(accepted.messages[0].content) == 500
    assert accepted.outcomes[0].fee == 8  # ceil(500 / 67)
    refused_with(Refusal.CONTENT_TOO_LONG, plan(params=["BB"], template=body))


def test_domestic_fee_counts_the_signature() -> None:
    # 65 characters of body: 70 with 【腾讯云】, one segment; 66 makes it 71, two segments.
    one = plan(params=[], template=f.template("好" * 65))
    two = plan(params=[], template=f.template("好" * 66))
    assert (one.outcomes[0].fee, one.messages[0].segments) == (1, 1)
    assert (two.outcomes[0].fee, two.messages[0].segments) == (2, 2)


def test_domestic_fee_is_ucs2_even_for_plain_ascii() -> None:
    result = plan(params=[], template=f.template("a" * 66))
    assert result.messages[0].alphabet == "ucs2"
    assert result.outcomes[0].fee == 2


@pytest.mark.parametrize(("length", "fee"), [(160, 1), (161, 2), (306, 2), (307, 3)])
def test_international_gsm_text_fee(length: int, fee: int) -> None:
    result = plan([f.US], params=[], template=f.intl_template("a" * length), signature=None, sign_name="")
    assert result.outcomes[0].fee == fee
    assert result.messages[0].alphabet == "gsm7"


def test_international_fee_counts_the_signature() -> None:
    # [Acme] is 8 GSM septets ("[" and "]" are extension characters, two each):
    # 152 + 8 = 160 is one segment, 153 + 8 = 161 two.
    def fee(length: int) -> int:
        result = plan(
            [f.US],
            params=[],
            template=f.intl_template("a" * length),
            signature=f.intl_signature(),
            sign_name=f.INTL_SIGN,
        )
        return result.outcomes[0].fee

    assert fee(152) == 1
    assert fee(153) == 2


def test_international_non_gsm_text_is_billed_as_ucs2() -> None:
    result = plan([f.US], params=[], template=f.intl_template("é" * 60 + "好" * 11), signature=None, sign_name="")
    assert result.messages[0].alphabet == "ucs2"
    assert result.outcomes[0].fee == 2


def test_every_number_of_a_request_gets_the_same_fee() -> None:
    result = plan([f.DOMESTIC, f.DOMESTIC_2], params=[], template=f.template("好" * 66))
    assert [o.fee for o in result.outcomes] == [2, 2]


# --- marketing ----------------------------------------------------------------------------------------

MARKETING = f.template("春季大促{1}，拒收请回复R", sms_type=SmsType.MARKETING)


def shanghai(hour: int, minute: int) -> datetime:
    return datetime(2026, 3, 10, hour, minute, tzinfo=ZoneInfo("Asia/Shanghai")).astimezone(UTC)


@pytest.mark.parametrize(
    ("hour", "minute", "refusal"),
    [
        (7, 59, Refusal.MARKETING_TIME_WINDOW),
        (8, 0, None),
        (21, 59, None),
        (22, 0, Refusal.MARKETING_TIME_WINDOW),
        (0, 0, Refusal.MARKETING_TIME_WINDOW),
    ],
)
def test_marketing_only_between_8_and_22_local_time(hour: int, minute: int, refusal: Refusal | None) -> None:
    if refusal is None:
        result = plan(params=["A1"], template=MARKETING, now=shanghai(hour, minute))
        assert refusals(result) == [None]
        assert len(result.messages) == 1
        return
    # The whole request is refused (spec §1.8: the marketing time window is request-level).
    with pytest.raises(SendRefused) as refused:
        plan(params=["A1"], template=MARKETING, now=shanghai(hour, minute))
    assert refused.value.refusal is refusal


def test_marketing_window_uses_the_tenants_time_zone() -> None:
    london = f.tenant(timezone="Europe/London")
    # 07:30 in London (GMT in March) is 15:30 in Shanghai.
    early = datetime(2026, 3, 10, 7, 30, tzinfo=UTC)
    with pytest.raises(SendRefused) as refused:
        plan(params=["A1"], template=MARKETING, tenant=london, now=early)
    assert refused.value.refusal is Refusal.MARKETING_TIME_WINDOW
    assert refusals(plan(params=["A1"], template=MARKETING, now=early)) == [None]


def test_the_time_window_does_not_apply_to_notifications() -> None:
    assert refusals(plan(now=shanghai(3, 0))) == [None]


def test_individuals_may_not_send_marketing_at_any_time() -> None:
    individual = f.tenant(kind=TenantKind.INDIVIDUAL)
    with pytest.raises(SendRefused) as refused:
        plan(params=["A1"], template=MARKETING, tenant=individual, now=shanghai(12, 0))
    assert refused.value.refusal is Refusal.INDIVIDUAL_MARKETING
    assert refusals(plan(tenant=individual)) == [None]  # notifications are fine
