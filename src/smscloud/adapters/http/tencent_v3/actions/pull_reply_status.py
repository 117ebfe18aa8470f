"""PullSmsReplyStatus and PullSmsReplyStatusByPhoneNumber (2021-01-11 and 2019-07-11): replies."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import msgspec

from smscloud.adapters.http.tencent_v3.actions.pull_send_status import (
    PullSmsSendStatusByPhoneNumberRequest,
    PullSmsSendStatusByPhoneNumberRequest2019,
    PullSmsSendStatusRequest,
    PullSmsSendStatusRequest2019,
    by_phone_window,
    pull_error,
)
from smscloud.adapters.http.tencent_v3.auth import SignedCall
from smscloud.adapters.http.tencent_v3.context import CallContext
from smscloud.adapters.http.tencent_v3.decoding import decode_request
from smscloud.adapters.http.tencent_v3.errors import ApiError
from smscloud.domain.messages import service
from smscloud.domain.messages.ports import ReplyStore
from smscloud.domain.messages.replies import Reply
from smscloud.domain.shared.errors import DomainError

__all__ = [
    "PullSmsReplyStatus",
    "PullSmsReplyStatus2019",
    "PullSmsReplyStatusResponse",
    "PullSmsReplyStatusResponse2019",
    "pull_sms_reply_status",
    "pull_sms_reply_status_by_phone_number",
]


class PullSmsReplyStatus(msgspec.Struct, rename="pascal"):
    extend_code: str
    country_code: str
    phone_number: str
    sign_name: str
    reply_content: str
    reply_time: int
    subscriber_number: str


class PullSmsReplyStatus2019(msgspec.Struct, rename="pascal"):
    extend_code: str
    nation_code: str
    phone_number: str
    sign: str
    reply_content: str
    reply_time: str
    reply_unix_time: int


class PullSmsReplyStatusResponse(msgspec.Struct, rename="pascal"):
    pull_sms_reply_status_set: list[PullSmsReplyStatus]
    request_id: str


class PullSmsReplyStatusResponse2019(msgspec.Struct, rename="pascal"):
    pull_sms_reply_status_set: list[PullSmsReplyStatus2019]
    request_id: str


def _item_2021(reply: Reply) -> PullSmsReplyStatus:
    return PullSmsReplyStatus(
        extend_code=reply.extend_code,
        country_code=reply.country_code,
        phone_number=reply.phone,
        sign_name=reply.sign_name,
        reply_content=reply.text,
        reply_time=int(reply.received_at.timestamp()),
        subscriber_number=reply.subscriber,
    )


def _item_2019(reply: Reply, zone: ZoneInfo) -> PullSmsReplyStatus2019:
    # PhoneNumber is E.164 in 2019-07-11 too (its SDK model says so), unlike in its receipt items.
    return PullSmsReplyStatus2019(
        extend_code=reply.extend_code,
        nation_code=reply.country_code,
        phone_number=reply.phone,
        sign=reply.sign_name,
        reply_content=reply.text,
        reply_time=reply.received_at.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S"),
        reply_unix_time=int(reply.received_at.timestamp()),
    )


def _respond(ctx: CallContext, replies: list[Reply]) -> PullSmsReplyStatusResponse | PullSmsReplyStatusResponse2019:
    if ctx.version == "2019-07-11":
        zone = ZoneInfo(ctx.timezone)
        return PullSmsReplyStatusResponse2019([_item_2019(r, zone) for r in replies], ctx.request_id)
    return PullSmsReplyStatusResponse([_item_2021(r) for r in replies], ctx.request_id)


def _store(ctx: CallContext) -> ReplyStore:
    if ctx.services.replies is None:
        raise ApiError("UnsupportedOperation", "Reply pulls are not available on this smscloud installation.")
    return ctx.services.replies


async def pull_sms_reply_status(
    ctx: CallContext, call: SignedCall
) -> PullSmsReplyStatusResponse | PullSmsReplyStatusResponse2019:
    """Replies not pulled before, each returned once (the same request as PullSmsSendStatus)."""
    model: type[PullSmsSendStatusRequest | PullSmsSendStatusRequest2019] = (
        PullSmsSendStatusRequest2019 if ctx.version == "2019-07-11" else PullSmsSendStatusRequest
    )
    wire = decode_request(call, model)
    try:
        replies = await service.pull_replies(
            catalog=ctx.services.catalog,
            replies=_store(ctx),
            tenant_id=ctx.tenant_id,
            sdk_app_id=str(wire.sms_sdk_app_id),
            limit=wire.limit,
        )
    except DomainError as error:
        raise pull_error(ctx, error, {}) from error
    return _respond(ctx, replies)


async def pull_sms_reply_status_by_phone_number(
    ctx: CallContext, call: SignedCall
) -> PullSmsReplyStatusResponse | PullSmsReplyStatusResponse2019:
    """Replies from one number received in a window of the last 7 days (read, not consumed)."""
    legacy = ctx.version == "2019-07-11"
    model: type[PullSmsSendStatusByPhoneNumberRequest | PullSmsSendStatusByPhoneNumberRequest2019] = (
        PullSmsSendStatusByPhoneNumberRequest2019 if legacy else PullSmsSendStatusByPhoneNumberRequest
    )
    wire = decode_request(call, model)
    begin, end, names = by_phone_window(wire, legacy=legacy)
    try:
        replies = await service.replies_for_phone(
            catalog=ctx.services.catalog,
            replies=_store(ctx),
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
    return _respond(ctx, replies)
