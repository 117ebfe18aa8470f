"""PullSmsSendStatus and PullSmsSendStatusByPhoneNumber (2021-01-11 and 2019-07-11)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import msgspec

from smscloud.adapters.http.tencent_v3.auth import SignedCall
from smscloud.adapters.http.tencent_v3.context import CallContext
from smscloud.adapters.http.tencent_v3.decoding import decode_request
from smscloud.adapters.http.tencent_v3.errors import ApiError, api_error_for, code_for_version
from smscloud.domain.messages import service
from smscloud.domain.messages.model import Report
from smscloud.domain.shared.errors import DomainError

__all__ = [
    "PullSmsSendStatus",
    "PullSmsSendStatus2019",
    "PullSmsSendStatusByPhoneNumberRequest",
    "PullSmsSendStatusByPhoneNumberRequest2019",
    "PullSmsSendStatusRequest",
    "PullSmsSendStatusRequest2019",
    "PullSmsSendStatusResponse",
    "PullSmsSendStatusResponse2019",
    "by_phone_window",
    "pull_error",
    "pull_sms_send_status",
    "pull_sms_send_status_by_phone_number",
]


class PullSmsSendStatusRequest(msgspec.Struct, rename="pascal", kw_only=True):
    limit: int
    sms_sdk_app_id: str | int


class PullSmsSendStatusRequest2019(msgspec.Struct, kw_only=True):
    limit: int = msgspec.field(name="Limit")
    sms_sdk_app_id: str | int = msgspec.field(name="SmsSdkAppid")


class PullSmsSendStatusByPhoneNumberRequest(msgspec.Struct, rename="pascal", kw_only=True):
    begin_time: int
    offset: int
    limit: int
    phone_number: str
    sms_sdk_app_id: str | int
    end_time: int | None = None


class PullSmsSendStatusByPhoneNumberRequest2019(msgspec.Struct, kw_only=True):
    begin_time: int = msgspec.field(name="SendDateTime")
    offset: int = msgspec.field(name="Offset")
    limit: int = msgspec.field(name="Limit")
    phone_number: str = msgspec.field(name="PhoneNumber")
    sms_sdk_app_id: str | int = msgspec.field(name="SmsSdkAppid")
    end_time: int | None = msgspec.field(default=None, name="EndDateTime")


class PullSmsSendStatus(msgspec.Struct, rename="pascal"):
    user_receive_time: int
    country_code: str
    subscriber_number: str
    phone_number: str
    serial_no: str
    report_status: str
    description: str
    session_context: str


class PullSmsSendStatus2019(msgspec.Struct, rename="pascal"):
    user_receive_time: str
    user_receive_unix_time: int
    nation_code: str
    pure_phone_number: str
    phone_number: str
    serial_no: str
    report_status: str
    description: str


class PullSmsSendStatusResponse(msgspec.Struct, rename="pascal"):
    pull_sms_send_status_set: list[PullSmsSendStatus]
    request_id: str


class PullSmsSendStatusResponse2019(msgspec.Struct, rename="pascal"):
    pull_sms_send_status_set: list[PullSmsSendStatus2019]
    request_id: str


def _item_2021(report: Report) -> PullSmsSendStatus:
    return PullSmsSendStatus(
        user_receive_time=int(report.done_at.timestamp()),
        country_code=report.country_code,
        subscriber_number=report.subscriber,
        phone_number=report.phone,
        serial_no=report.serial_no,
        report_status="SUCCESS" if report.status.success else "FAIL",
        description=report.description,
        session_context=report.session_context,
    )


def _item_2019(report: Report, zone: ZoneInfo) -> PullSmsSendStatus2019:
    return PullSmsSendStatus2019(
        user_receive_time=report.done_at.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S"),
        user_receive_unix_time=int(report.done_at.timestamp()),
        nation_code=report.country_code,
        pure_phone_number=report.phone,
        phone_number=report.subscriber,
        serial_no=report.serial_no,
        report_status="SUCCESS" if report.status.success else "FAIL",
        description=report.description,
    )


def _respond(ctx: CallContext, reports: list[Report]) -> PullSmsSendStatusResponse | PullSmsSendStatusResponse2019:
    if ctx.version == "2019-07-11":
        zone = ZoneInfo(ctx.timezone)
        return PullSmsSendStatusResponse2019([_item_2019(r, zone) for r in reports], ctx.request_id)
    return PullSmsSendStatusResponse([_item_2021(r) for r in reports], ctx.request_id)


def pull_error(ctx: CallContext, error: DomainError, field_names: dict[str, str]) -> ApiError:
    """The envelope error of a pull, in the codes of the call's version."""
    api_error = api_error_for(error, field_names=field_names)
    return ApiError(code_for_version(api_error.code, ctx.version), api_error.message)


async def pull_sms_send_status(
    ctx: CallContext, call: SignedCall
) -> PullSmsSendStatusResponse | PullSmsSendStatusResponse2019:
    model: type[PullSmsSendStatusRequest | PullSmsSendStatusRequest2019] = (
        PullSmsSendStatusRequest2019 if ctx.version == "2019-07-11" else PullSmsSendStatusRequest
    )
    wire = decode_request(call, model)
    try:
        reports = await service.pull_reports(
            catalog=ctx.services.catalog,
            reports=ctx.services.reports,
            tenant_id=ctx.tenant_id,
            sdk_app_id=str(wire.sms_sdk_app_id),
            limit=wire.limit,
        )
    except DomainError as error:
        raise pull_error(ctx, error, {}) from error
    return _respond(ctx, reports)


def _time(value: int | None, field: str, code: str) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.fromtimestamp(value, UTC)
    except (OverflowError, OSError, ValueError) as exc:
        raise ApiError(code, f"{field} is not a valid unix time") from exc


def by_phone_window(
    wire: PullSmsSendStatusByPhoneNumberRequest | PullSmsSendStatusByPhoneNumberRequest2019, *, legacy: bool
) -> tuple[datetime, datetime | None, dict[str, str]]:
    """(begin, end, the version's names of those fields) of a by-number pull."""
    names = {"BeginTime": "SendDateTime", "EndTime": "EndDateTime"} if legacy else {}
    begin = _time(wire.begin_time, names.get("BeginTime", "BeginTime"), "InvalidParameterValue.BeginTimeVerifyFail")
    if begin is None:  # pragma: no cover - required by the model
        raise ApiError("MissingParameter", "BeginTime is required")
    end = _time(wire.end_time, names.get("EndTime", "EndTime"), "InvalidParameterValue.EndTimeVerifyFail")
    return begin, end, names


async def pull_sms_send_status_by_phone_number(
    ctx: CallContext, call: SignedCall
) -> PullSmsSendStatusResponse | PullSmsSendStatusResponse2019:
    legacy = ctx.version == "2019-07-11"
    model: type[PullSmsSendStatusByPhoneNumberRequest | PullSmsSendStatusByPhoneNumberRequest2019] = (
        PullSmsSendStatusByPhoneNumberRequest2019 if legacy else PullSmsSendStatusByPhoneNumberRequest
    )
    wire = decode_request(call, model)
    begin, end, names = by_phone_window(wire, legacy=legacy)
    try:
        reports = await service.reports_for_phone(
            catalog=ctx.services.catalog,
            reports=ctx.services.reports,
            parser=ctx.services.parser,
            clock=ctx.services.clock,
            tenant_id=ctx.tenant_id,
            sdk_app_id=str(wire.sms_sdk_app_id),
            phone=wire.phone_number,
            begin=begin,
            end=end,
            limit=wire.limit,
            offset=wire.offset,
        )
    except DomainError as error:
        raise pull_error(ctx, error, names) from error
    return _respond(ctx, reports)
