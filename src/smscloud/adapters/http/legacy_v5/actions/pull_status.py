"""pullstatus and pullstatus4mobile: delivery receipts (`type` 0) and replies (`type` 1) by pull,
from the stores API 3.0's PullSmsSendStatus and PullSmsReplyStatus read."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import msgspec

from smscloud.adapters.http.legacy_v5.context import V5Call
from smscloud.adapters.http.legacy_v5.errors import Result, V5Error, v5_error_for
from smscloud.adapters.http.legacy_v5.request import SignedRequest, Tel
from smscloud.domain.messages import service
from smscloud.domain.messages.model import MessageStatus, Report
from smscloud.domain.messages.ports import ReplyStore
from smscloud.domain.messages.replies import Reply
from smscloud.domain.shared.errors import DomainError

__all__ = [
    "PullReplyResponse",
    "PullStatus4MobileRequest",
    "PullStatusRequest",
    "PullStatusResponse",
    "ReplyReport",
    "StatusReport",
    "pull_status",
    "pull_status_for_mobile",
]

RECEIPTS, REPLIES = 0, 1
_FIELDS = {"Limit": "max", "BeginTime": "begin_time", "EndTime": "end_time", "PhoneNumber": "mobile"}
# `description` is the human text beside the operator's code in `errmsg` (spec §3.1).
_DESCRIPTIONS = {
    MessageStatus.DELIVERED: "用户短信送达成功",
    MessageStatus.UNDELIVERED: "用户短信未送达",
    MessageStatus.EXPIRED: "短信超时未送达",
    MessageStatus.REJECTED: "短信被运营商拒绝",
    MessageStatus.FAILED: "短信发送失败",
}


class PullStatusRequest(SignedRequest, kw_only=True):
    type: int
    max: int


class PullStatus4MobileRequest(SignedRequest, kw_only=True):
    type: int
    max: int
    begin_time: int
    end_time: int
    nationcode: str | int
    mobile: str | int


class StatusReport(msgspec.Struct):
    """One delivery receipt, as the status callback pushes it (spec §3.1)."""

    user_receive_time: str
    nationcode: str
    mobile: str
    report_status: str
    errmsg: str
    description: str
    sid: str


class PullStatusResponse(msgspec.Struct):
    result: int
    errmsg: str
    count: int
    data: list[StatusReport]


class ReplyReport(msgspec.Struct):
    """One reply, as the reply callback pushes it (spec §3.2)."""

    nationcode: str
    mobile: str
    text: str
    sign: str
    time: int
    extend: str


class PullReplyResponse(msgspec.Struct):
    result: int
    errmsg: str
    count: int
    data: list[ReplyReport]


def _check_type(kind: int) -> None:
    if kind not in (RECEIPTS, REPLIES):
        raise V5Error(Result.BAD_REQUEST, "type must be 0 (receipts) or 1 (replies)")


def _replies(call: V5Call) -> ReplyStore:
    if call.services.replies is None:
        raise V5Error(Result.NOT_SUPPORTED, "pulling replies (type 1) is not served by this server")
    return call.services.replies


def _respond_replies(replies: list[Reply]) -> PullReplyResponse:
    data = [
        ReplyReport(
            nationcode=r.country_code,
            mobile=r.subscriber,
            text=r.text,
            sign=r.sign_name,
            time=int(r.received_at.timestamp()),
            extend=r.extend_code,
        )
        for r in replies
    ]
    return PullReplyResponse(int(Result.OK), "OK", len(data), data)


async def _respond(call: V5Call, reports: list[Report]) -> PullStatusResponse:
    tenant = await call.services.catalog.tenant(call.app.tenant_id)
    zone = ZoneInfo(tenant.timezone if tenant is not None else "Asia/Shanghai")
    data = [
        StatusReport(
            user_receive_time=r.done_at.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S"),
            nationcode=r.country_code,
            mobile=r.subscriber,
            report_status="SUCCESS" if r.status.success else "FAIL",
            errmsg=r.description,
            description=_DESCRIPTIONS.get(r.status, ""),
            sid=r.serial_no,
        )
        for r in reports
    ]
    return PullStatusResponse(int(Result.OK), "OK", len(data), data)


async def pull_status(call: V5Call, wire: PullStatusRequest) -> PullStatusResponse | PullReplyResponse:
    """Receipts (or replies) not pulled before, each returned once (Tencent's queue semantics)."""
    _check_type(wire.type)
    if wire.type == REPLIES:
        try:
            replies = await service.pull_replies(
                catalog=call.services.catalog,
                replies=_replies(call),
                tenant_id=call.app.tenant_id,
                sdk_app_id=call.app.sdk_app_id,
                limit=wire.max,
            )
        except DomainError as error:
            raise v5_error_for(error, field_names=_FIELDS) from error
        return _respond_replies(replies)
    try:
        reports = await service.pull_reports(
            catalog=call.services.catalog,
            reports=call.services.reports,
            tenant_id=call.app.tenant_id,
            sdk_app_id=call.app.sdk_app_id,
            limit=wire.max,
        )
    except DomainError as error:
        raise v5_error_for(error, field_names=_FIELDS) from error
    return await _respond(call, reports)


def _time(value: int, field: str) -> datetime:
    try:
        return datetime.fromtimestamp(value, UTC)
    except (OverflowError, OSError, ValueError) as exc:
        raise V5Error(Result.BAD_REQUEST, f"{field} is not a valid unix time") from exc


async def pull_status_for_mobile(
    call: V5Call, wire: PullStatus4MobileRequest
) -> PullStatusResponse | PullReplyResponse:
    """The receipts of one number's messages sent between `begin_time` and `end_time`, or its
    replies received then (read, not consumed)."""
    _check_type(wire.type)
    s = call.services
    if wire.type == REPLIES:
        try:
            replies = await service.replies_for_phone(
                catalog=s.catalog,
                replies=_replies(call),
                parser=s.parser,
                clock=s.clock,
                tenant_id=call.app.tenant_id,
                sdk_app_id=call.app.sdk_app_id,
                phone=Tel(wire.nationcode, wire.mobile).raw_phone,
                begin=_time(wire.begin_time, "begin_time"),
                end=_time(wire.end_time, "end_time"),
                limit=wire.max,
            )
        except DomainError as error:
            raise v5_error_for(error, field_names=_FIELDS) from error
        return _respond_replies(replies)
    try:
        reports = await service.reports_for_phone(
            catalog=s.catalog,
            reports=s.reports,
            parser=s.parser,
            clock=s.clock,
            tenant_id=call.app.tenant_id,
            sdk_app_id=call.app.sdk_app_id,
            phone=Tel(wire.nationcode, wire.mobile).raw_phone,
            begin=_time(wire.begin_time, "begin_time"),
            end=_time(wire.end_time, "end_time"),
            limit=wire.max,
        )
    except DomainError as error:
        raise v5_error_for(error, field_names=_FIELDS) from error
    return await _respond(call, reports)
