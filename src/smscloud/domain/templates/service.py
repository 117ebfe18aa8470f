"""Use cases of templates: submit for review, review."""

from __future__ import annotations

from smscloud.domain.shared.clock import Clock
from smscloud.domain.shared.errors import InvalidInput
from smscloud.domain.shared.review import ReviewStatus
from smscloud.domain.templates.model import SmsType, Template
from smscloud.domain.templates.ports import TemplateStore
from smscloud.domain.templates.rules import check_template_content

__all__ = ["review_template", "submit_template"]


async def submit_template(
    *,
    store: TemplateStore,
    clock: Clock,
    tenant_id: int,
    name: str,
    content: str,
    sms_type: SmsType,
    international: bool,
    remark: str = "",
) -> Template:
    if not 1 <= len(name.strip()) <= 128:
        raise InvalidInput("TemplateName", "must be 1 to 128 characters")
    check_template_content(content, sms_type=sms_type, international=international)
    return await store.add(
        tenant_id=tenant_id,
        name=name.strip(),
        content=content,
        sms_type=sms_type,
        international=international,
        remark=remark,
        now=clock.now(),
    )


async def review_template(
    *, store: TemplateStore, clock: Clock, template_id: int, approve: bool, reply: str = ""
) -> Template:
    status = ReviewStatus.APPROVED if approve else ReviewStatus.REJECTED
    return await store.set_review(template_id=template_id, status=status, reply=reply, now=clock.now())
