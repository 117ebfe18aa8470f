"""Templates in the database: submitted pending, reviewed."""

from __future__ import annotations

from datetime import timedelta

import pytest

from smscloud.domain.shared.errors import NotFound
from smscloud.domain.shared.review import ReviewStatus
from smscloud.domain.templates.model import SmsType
from tests.support.builders import NOW, Builder, Stores

pytestmark = pytest.mark.integration


async def test_a_template_is_stored_pending_with_all_its_fields(stores: Stores, build: Builder) -> None:
    tenant = await build.tenant()
    template = await stores.templates.add(
        tenant_id=tenant.id,
        name="code",
        content="Your code is {1}, valid for {2} minutes.",
        sms_type=SmsType.VERIFICATION_CODE,
        international=True,
        remark="login",
        now=NOW,
    )
    assert (template.tenant_id, template.name, template.sms_type, template.international) == (
        tenant.id,
        "code",
        SmsType.VERIFICATION_CODE,
        True,
    )
    assert template.content == "Your code is {1}, valid for {2} minutes."
    assert template.parameters == 2
    assert (template.remark, template.status, template.review_reply) == ("login", ReviewStatus.PENDING, "")
    assert template.created_at == template.updated_at == NOW
    assert await stores.templates.of_tenant(tenant.id) == [template]


async def test_review_updates_status_reply_and_time(stores: Stores, build: Builder) -> None:
    tenant = await build.tenant()
    template = await build.template(tenant.id, status=ReviewStatus.PENDING)
    later = NOW + timedelta(minutes=30)
    reviewed = await stores.templates.set_review(
        template_id=template.id, status=ReviewStatus.APPROVED, reply="ok", now=later
    )
    assert (reviewed.status, reviewed.review_reply, reviewed.updated_at) == (
        ReviewStatus.APPROVED,
        "ok",
        later,
    )
    assert reviewed.usable_by(tenant.id)


async def test_reviewing_an_unknown_template_is_not_found(stores: Stores) -> None:
    with pytest.raises(NotFound):
        await stores.templates.set_review(template_id=999, status=ReviewStatus.APPROVED, reply="", now=NOW)


async def test_of_tenant_is_per_tenant_in_order(stores: Stores, build: Builder) -> None:
    tenant = await build.tenant()
    other = await build.tenant()
    first = await build.template(tenant.id, "第一{1}")
    await build.template(other.id, "别人的{1}")
    second = await build.template(tenant.id, "验证码{1}", sms_type=SmsType.VERIFICATION_CODE)
    assert await stores.templates.of_tenant(tenant.id) == [first, second]
