"""sendsms and sendmultisms2: a template (`tpl_id` + `params` + `sign`) or a free text (`msg`) to
one number, or to up to 200. Both are accepted by the messages context's use cases, like API 3.0's
SendSms and the console's test send; this module only reads the wire and writes the answer.
"""

from __future__ import annotations

from collections.abc import Sequence

import msgspec

from smscloud.adapters.http.legacy_v5.context import V5Call
from smscloud.adapters.http.legacy_v5.errors import Result, V5Error, refusal_result, v5_error_for
from smscloud.adapters.http.legacy_v5.request import SignedRequest, Tel
from smscloud.domain.messages import service
from smscloud.domain.messages.send import NumberOutcome, SendRequest
from smscloud.domain.shared.errors import DomainError

__all__ = [
    "SendDetail",
    "SendMultiSms2Request",
    "SendMultiSms2Response",
    "SendSmsRequest",
    "SendSmsResponse",
    "send_multi_sms2",
    "send_sms",
    "signed_mobiles",
]


class _SendFields(SignedRequest, kw_only=True):
    tpl_id: int | str | None = None
    params: list[str | int] = msgspec.field(default_factory=list)
    sign: str = ""
    type: int = 0  # free text: 0 normal, 1 marketing (the matched template's type decides)
    msg: str | None = None
    extend: str = ""
    ext: str = ""


class SendSmsRequest(_SendFields, kw_only=True):
    tel: Tel


class SendMultiSms2Request(_SendFields, kw_only=True):
    tel: list[Tel]


class SendSmsResponse(msgspec.Struct, omit_defaults=True):
    result: int
    errmsg: str
    ext: str
    sid: str | None = None
    fee: int | None = None


class SendDetail(msgspec.Struct, omit_defaults=True):
    result: int
    errmsg: str
    mobile: str
    nationcode: str
    sid: str | None = None
    fee: int | None = None


class SendMultiSms2Response(msgspec.Struct):
    result: int
    errmsg: str
    ext: str
    detail: list[SendDetail]


def _tels(wire: SendSmsRequest | SendMultiSms2Request) -> list[Tel]:
    return [wire.tel] if isinstance(wire.tel, Tel) else wire.tel


def signed_mobiles(wire: SendSmsRequest | SendMultiSms2Request) -> list[str]:
    """The numbers the `sig` of a send covers, in request order."""
    return [tel.signed for tel in _tels(wire)]


async def _accept(call: V5Call, wire: SendSmsRequest | SendMultiSms2Request) -> list[NumberOutcome]:
    if wire.tpl_id is None and wire.msg is None:
        raise V5Error(Result.BAD_REQUEST, "either tpl_id (with params) or msg is required")
    request = SendRequest(
        sdk_app_id=call.app.sdk_app_id,
        template_id=str(wire.tpl_id) if wire.tpl_id is not None else "",
        phone_numbers=[tel.raw_phone for tel in _tels(wire)],
        params=[str(p) for p in wire.params],
        sign_name=wire.sign,
        session_context=wire.ext,
        extend_code=wire.extend,
    )
    s = call.services
    try:
        if wire.tpl_id is None and wire.msg is not None:
            return await service.accept_text(
                catalog=s.catalog,
                store=s.messages,
                signal=s.signal,
                parser=s.parser,
                clock=s.clock,
                templates=s.templates,
                signatures=s.signatures,
                tenant_id=call.app.tenant_id,
                text=wire.msg,
                request=request,
                request_id=call.request_id,
            )
        return await service.accept(
            catalog=s.catalog,
            store=s.messages,
            signal=s.signal,
            parser=s.parser,
            clock=s.clock,
            tenant_id=call.app.tenant_id,
            request=request,
            request_id=call.request_id,
        )
    except DomainError as error:
        raise v5_error_for(error) from error


def _result(outcome: NumberOutcome) -> tuple[Result, str]:
    return (Result.OK, "OK") if outcome.refusal is None else refusal_result(outcome.refusal)


def _detail(tel: Tel, outcome: NumberOutcome) -> SendDetail:
    result, errmsg = _result(outcome)
    detail = SendDetail(int(result), errmsg, str(tel.mobile), str(tel.nationcode).removeprefix("+"))
    if outcome.accepted:
        detail.sid, detail.fee = outcome.serial_no, outcome.fee
    return detail


def _group_result(outcomes: Sequence[NumberOutcome]) -> tuple[Result, str]:
    """The top-level result of a group send: OK when any number was accepted, else the first
    number's refusal (each number's own is in `detail`)."""
    if any(o.accepted for o in outcomes) or not outcomes:
        return Result.OK, "OK"
    return _result(outcomes[0])


async def send_sms(call: V5Call, wire: SendSmsRequest) -> SendSmsResponse:
    (outcome,) = await _accept(call, wire)
    result, errmsg = _result(outcome)
    if outcome.accepted:
        return SendSmsResponse(int(result), errmsg, wire.ext, sid=outcome.serial_no, fee=outcome.fee)
    return SendSmsResponse(int(result), errmsg, wire.ext)


async def send_multi_sms2(call: V5Call, wire: SendMultiSms2Request) -> SendMultiSms2Response:
    outcomes = await _accept(call, wire)
    result, errmsg = _group_result(outcomes)
    details = [_detail(tel, outcome) for tel, outcome in zip(wire.tel, outcomes, strict=True)]
    return SendMultiSms2Response(int(result), errmsg, wire.ext, details)
