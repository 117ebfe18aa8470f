"""Use cases of templates: submit, modify (back to review), delete, list.

Operators' decisions are in `domain.reviews`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from smscloud.domain.accounts.errors import SmsNotEnabled
from smscloud.domain.accounts.model import Tenant, TenantKind
from smscloud.domain.shared.clock import Clock
from smscloud.domain.shared.errors import NotFound
from smscloud.domain.shared.review import ReviewStatus
from smscloud.domain.templates.errors import MarketingNotAllowed, TemplateAlreadyApproved, TemplateLimitReached
from smscloud.domain.templates.model import SmsType, Template, TemplateDraft
from smscloud.domain.templates.ports import TemplateStore
from smscloud.domain.templates.rules import MAX_TEMPLATES, check_draft

__all__ = ["delete_template", "list_templates", "modify_template", "submit_template"]


def _checked(tenant: Tenant, draft: TemplateDraft) -> TemplateDraft:
    draft = replace(draft, name=draft.name.strip())
    check_draft(draft)
    if draft.sms_type is SmsType.MARKETING and tenant.kind is TenantKind.INDIVIDUAL:
        raise MarketingNotAllowed("individual accounts may not create marketing templates")
    return draft


async def submit_template(*, store: TemplateStore, clock: Clock, tenant: Tenant, draft: TemplateDraft) -> Template:
    """Submit a template for review; only once the account has applied for the SMS service (seed 3 before 5.2)."""
    if not tenant.sms_enabled:
        raise SmsNotEnabled("apply for the SMS service before submitting templates")
    draft = _checked(tenant, draft)
    if await store.count_of_tenant(tenant.id) >= MAX_TEMPLATES:
        raise TemplateLimitReached(f"a tenant may hold at most {MAX_TEMPLATES} templates")
    return await store.add(tenant_id=tenant.id, draft=draft, now=clock.now())


async def modify_template(
    *, store: TemplateStore, clock: Clock, tenant: Tenant, template_id: int, draft: TemplateDraft
) -> Template:
    """Change a pending or rejected template; it goes back to review."""
    current = await store.get(tenant_id=tenant.id, template_id=template_id)
    if current is None:
        raise NotFound("template", template_id)
    if current.status is ReviewStatus.APPROVED:
        raise TemplateAlreadyApproved("an approved template cannot be modified")
    draft = _checked(tenant, draft)
    return await store.update(tenant_id=tenant.id, template_id=template_id, draft=draft, now=clock.now())


async def delete_template(*, store: TemplateStore, clock: Clock, tenant_id: int, template_id: int) -> datetime:
    now = clock.now()
    if not await store.delete(tenant_id=tenant_id, template_id=template_id, now=now):
        raise NotFound("template", template_id)
    return now


async def list_templates(
    *,
    store: TemplateStore,
    tenant_id: int,
    international: bool | None = None,
    ids: Sequence[int] = (),
    limit: int | None = None,
    offset: int = 0,
) -> list[Template]:
    return await store.of_tenant(tenant_id, international=international, ids=ids, limit=limit, offset=offset)
