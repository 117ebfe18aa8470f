"""AddSmsTemplate, ModifySmsTemplate, DeleteSmsTemplate and DescribeSmsTemplateList
(2021-01-11 and 2019-07-11).

They run the console's use cases (`domain.templates.service`) for the caller's tenant. The
requests of both versions have the same fields, except that 2019-07-11 lists only the ids asked
for and answers no `TemplateContent`.
"""

from __future__ import annotations

import msgspec

from smscloud.adapters.http.tencent_v3.auth import SignedCall
from smscloud.adapters.http.tencent_v3.context import CallContext, enterprise_content
from smscloud.adapters.http.tencent_v3.decoding import (
    Id,
    decode_request,
    id_set,
    international_flag,
    page,
    review_status_code,
)
from smscloud.adapters.http.tencent_v3.errors import ApiError, content_error_for
from smscloud.domain.shared.errors import DomainError
from smscloud.domain.templates import service
from smscloud.domain.templates.model import SmsType, Template, TemplateDraft

__all__ = [
    "AddSmsTemplateRequest",
    "AddSmsTemplateResponse",
    "AddTemplateStatus",
    "DeleteSmsTemplateRequest",
    "DeleteSmsTemplateResponse",
    "DeleteTemplateStatus",
    "DescribeSmsTemplateListRequest",
    "DescribeSmsTemplateListRequest2019",
    "DescribeSmsTemplateListResponse",
    "DescribeSmsTemplateListResponse2019",
    "DescribeTemplateListStatus",
    "DescribeTemplateListStatus2019",
    "ModifySmsTemplateRequest",
    "ModifySmsTemplateResponse",
    "ModifyTemplateStatus",
    "add_sms_template",
    "delete_sms_template",
    "describe_sms_template_list",
    "modify_sms_template",
]

V2019 = "2019-07-11"
DELETE_STATUS = "return successfully!"


# --- requests (the same in both versions unless named 2019) ----------------------------------------------


class AddSmsTemplateRequest(msgspec.Struct, rename="pascal", kw_only=True):
    template_name: str
    template_content: str
    sms_type: int
    international: int
    remark: str  # required, as Tencent's API definition has it


class ModifySmsTemplateRequest(msgspec.Struct, rename="pascal", kw_only=True):
    template_id: Id
    template_name: str
    template_content: str
    sms_type: int
    international: int
    remark: str


class DeleteSmsTemplateRequest(msgspec.Struct, rename="pascal", kw_only=True):
    template_id: Id


class DescribeSmsTemplateListRequest(msgspec.Struct, rename="pascal", kw_only=True):
    international: int
    template_id_set: list[Id] | None = None
    limit: int | None = None
    offset: int | None = None


class DescribeSmsTemplateListRequest2019(msgspec.Struct, rename="pascal", kw_only=True):
    template_id_set: list[Id]
    international: int


# --- responses --------------------------------------------------------------------------------------------


class AddTemplateStatus(msgspec.Struct, rename="pascal"):
    template_id: str  # a String here (an Integer everywhere else), in both versions


class AddSmsTemplateResponse(msgspec.Struct, rename="pascal"):
    add_template_status: AddTemplateStatus
    request_id: str


class ModifyTemplateStatus(msgspec.Struct, rename="pascal"):
    template_id: int


class ModifySmsTemplateResponse(msgspec.Struct, rename="pascal"):
    modify_template_status: ModifyTemplateStatus
    request_id: str


class DeleteTemplateStatus(msgspec.Struct, rename="pascal"):
    delete_status: str
    delete_time: int


class DeleteSmsTemplateResponse(msgspec.Struct, rename="pascal"):
    delete_template_status: DeleteTemplateStatus
    request_id: str


class DescribeTemplateListStatus(msgspec.Struct, rename="pascal"):
    template_id: int
    international: int
    status_code: int
    review_reply: str
    template_name: str
    create_time: int
    template_content: str


class DescribeTemplateListStatus2019(msgspec.Struct, rename="pascal"):
    template_id: int
    international: int
    status_code: int
    review_reply: str
    template_name: str
    create_time: int


class DescribeSmsTemplateListResponse(msgspec.Struct, rename="pascal"):
    describe_template_status_set: list[DescribeTemplateListStatus]
    request_id: str


class DescribeSmsTemplateListResponse2019(msgspec.Struct, rename="pascal"):
    describe_template_status_set: list[DescribeTemplateListStatus2019]
    request_id: str


# --- actions ----------------------------------------------------------------------------------------------


def _draft(wire: AddSmsTemplateRequest | ModifySmsTemplateRequest) -> TemplateDraft:
    international = international_flag(wire.international)
    try:
        sms_type = SmsType(wire.sms_type)
    except ValueError:
        raise ApiError(
            "InvalidParameterValue.InvalidSmsType",
            "SmsType must be 1 (marketing), 2 (notification) or 3 (verification code).",
        ) from None
    return TemplateDraft(
        name=wire.template_name,
        content=wire.template_content,
        sms_type=sms_type,
        international=international,
        remark=wire.remark,
    )


def _error(ctx: CallContext, error: DomainError, *, missing: str, draft: TemplateDraft | None) -> ApiError:
    return content_error_for(error, version=ctx.version, missing=missing, draft=draft)


async def add_sms_template(ctx: CallContext, call: SignedCall) -> AddSmsTemplateResponse:
    wire = decode_request(call, AddSmsTemplateRequest)
    content, tenant = await enterprise_content(ctx)
    draft = _draft(wire)
    try:
        template = await service.submit_template(
            store=content.templates, clock=ctx.services.clock, tenant=tenant, draft=draft
        )
    except DomainError as error:
        raise _error(ctx, error, missing="FailedOperation.TemplateIdNotExist", draft=draft) from error
    content.changed()
    return AddSmsTemplateResponse(AddTemplateStatus(str(template.id)), ctx.request_id)


async def modify_sms_template(ctx: CallContext, call: SignedCall) -> ModifySmsTemplateResponse:
    wire = decode_request(call, ModifySmsTemplateRequest)
    content, tenant = await enterprise_content(ctx)
    draft = _draft(wire)
    try:
        template = await service.modify_template(
            store=content.templates,
            clock=ctx.services.clock,
            tenant=tenant,
            template_id=wire.template_id,
            draft=draft,
        )
    except DomainError as error:
        raise _error(ctx, error, missing="FailedOperation.MissingTemplateToModify", draft=draft) from error
    content.changed()
    return ModifySmsTemplateResponse(ModifyTemplateStatus(template.id), ctx.request_id)


async def delete_sms_template(ctx: CallContext, call: SignedCall) -> DeleteSmsTemplateResponse:
    wire = decode_request(call, DeleteSmsTemplateRequest)
    content, tenant = await enterprise_content(ctx)
    try:
        deleted_at = await service.delete_template(
            store=content.templates, clock=ctx.services.clock, tenant_id=tenant.id, template_id=wire.template_id
        )
    except DomainError as error:
        raise _error(ctx, error, missing="FailedOperation.TemplateIdNotExist", draft=None) from error
    content.changed()
    return DeleteSmsTemplateResponse(DeleteTemplateStatus(DELETE_STATUS, int(deleted_at.timestamp())), ctx.request_id)


async def describe_sms_template_list(
    ctx: CallContext, call: SignedCall
) -> DescribeSmsTemplateListResponse | DescribeSmsTemplateListResponse2019:
    model: type[DescribeSmsTemplateListRequest | DescribeSmsTemplateListRequest2019] = (
        DescribeSmsTemplateListRequest2019 if ctx.version == V2019 else DescribeSmsTemplateListRequest
    )
    wire = decode_request(call, model)
    content, tenant = await enterprise_content(ctx)
    international = international_flag(wire.international)
    ids = id_set(wire.template_id_set, "TemplateIdSet")
    limit, offset = None, 0
    if isinstance(wire, DescribeSmsTemplateListRequest) and not ids:
        limit, offset = page(wire.limit, wire.offset)
    templates: list[Template] = []
    if ids or ctx.version != V2019:  # 2019-07-11 lists only the ids asked for
        templates = await service.list_templates(
            store=content.templates,
            tenant_id=tenant.id,
            international=international,
            ids=ids,
            limit=limit,
            offset=offset,
        )
    if ctx.version == V2019:
        return DescribeSmsTemplateListResponse2019([_item_2019(t) for t in templates], ctx.request_id)
    return DescribeSmsTemplateListResponse([_item(t) for t in templates], ctx.request_id)


def _item(template: Template) -> DescribeTemplateListStatus:
    return DescribeTemplateListStatus(
        template_id=template.id,
        international=int(template.international),
        status_code=review_status_code(template.status),
        review_reply=template.review_reply,
        template_name=template.name,
        create_time=int(template.created_at.timestamp()),
        template_content=template.content,
    )


def _item_2019(template: Template) -> DescribeTemplateListStatus2019:
    return DescribeTemplateListStatus2019(
        template_id=template.id,
        international=int(template.international),
        status_code=review_status_code(template.status),
        review_reply=template.review_reply,
        template_name=template.name,
        create_time=int(template.created_at.timestamp()),
    )
