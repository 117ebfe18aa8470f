"""SendSms (2021-01-11 and 2019-07-11): send one template to up to 200 numbers."""

from __future__ import annotations

import msgspec

from smscloud.adapters.http.tencent_v3.auth import SignedCall
from smscloud.adapters.http.tencent_v3.context import CallContext
from smscloud.adapters.http.tencent_v3.decoding import decode_request
from smscloud.adapters.http.tencent_v3.errors import api_error_for, refusal_code
from smscloud.adapters.http.tencent_v3.messages_zh import localized
from smscloud.domain.messages import service
from smscloud.domain.messages.send import NumberOutcome, SendRequest
from smscloud.domain.shared.errors import DomainError

__all__ = ["SendSmsRequest", "SendSmsRequest2019", "SendSmsResponse", "SendStatus", "send_sms"]


class SendSmsRequest(msgspec.Struct, rename="pascal", kw_only=True):
    # Absent and empty are one case: a GET or form post cannot send an empty list, it leaves the
    # name out (MissingParameter.EmptyPhoneNumberSet either way).
    phone_number_set: list[str] = []
    sms_sdk_app_id: str | int
    template_id: str | int
    sign_name: str = ""
    template_param_set: list[str] = []
    extend_code: str = ""
    session_context: str = ""
    sender_id: str = ""


class SendSmsRequest2019(msgspec.Struct, kw_only=True):
    phone_number_set: list[str] = msgspec.field(default_factory=list, name="PhoneNumberSet")
    sms_sdk_app_id: str | int = msgspec.field(name="SmsSdkAppid")
    template_id: str | int = msgspec.field(name="TemplateID")
    sign_name: str = msgspec.field(default="", name="Sign")
    template_param_set: list[str] = msgspec.field(default_factory=list, name="TemplateParamSet")
    extend_code: str = msgspec.field(default="", name="ExtendCode")
    session_context: str = msgspec.field(default="", name="SessionContext")
    sender_id: str = msgspec.field(default="", name="SenderId")


class SendStatus(msgspec.Struct, rename="pascal"):
    serial_no: str
    phone_number: str
    fee: int
    session_context: str
    code: str
    message: str
    iso_code: str


class SendSmsResponse(msgspec.Struct, rename="pascal"):
    send_status_set: list[SendStatus]
    request_id: str


def _status(outcome: NumberOutcome, session_context: str, language: str | None) -> SendStatus:
    if outcome.refusal is None:
        return SendStatus(
            outcome.serial_no,
            outcome.phone,
            outcome.fee,
            session_context,
            "Ok",
            "send success",
            outcome.iso_code,
        )
    code, message = refusal_code(outcome.refusal)
    return SendStatus("", outcome.phone, 0, session_context, code, localized(code, message, language), outcome.iso_code)


async def send_sms(ctx: CallContext, call: SignedCall) -> SendSmsResponse:
    model: type[SendSmsRequest | SendSmsRequest2019] = (
        SendSmsRequest2019 if ctx.version == "2019-07-11" else SendSmsRequest
    )
    wire = decode_request(call, model)
    request = SendRequest(
        sdk_app_id=str(wire.sms_sdk_app_id),
        template_id=str(wire.template_id),
        phone_numbers=wire.phone_number_set,
        params=wire.template_param_set,
        sign_name=wire.sign_name,
        session_context=wire.session_context,
        extend_code=wire.extend_code,
        sender_id=wire.sender_id,
    )
    services = ctx.services
    try:
        outcomes = await service.accept(
            catalog=services.catalog,
            store=services.messages,
            signal=services.signal,
            parser=services.parser,
            clock=services.clock,
            tenant_id=ctx.tenant_id,
            request=request,
            request_id=ctx.request_id,
        )
    except DomainError as error:
        raise api_error_for(error) from error
    return SendSmsResponse([_status(o, wire.session_context, ctx.language) for o in outcomes], ctx.request_id)
