"""Submitting, modifying, deleting and listing templates (AddSmsTemplate … DescribeSmsTemplateList)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pytest

from smscloud.domain.accounts.errors import SmsNotEnabled
from smscloud.domain.accounts.model import Tenant, TenantKind
from smscloud.domain.shared.clock import FixedClock
from smscloud.domain.shared.errors import InvalidInput, NotFound
from smscloud.domain.shared.review import ReviewStatus
from smscloud.domain.templates.errors import MarketingNotAllowed, TemplateAlreadyApproved, TemplateLimitReached
from smscloud.domain.templates.model import SmsType, Template, TemplateDraft
from smscloud.domain.templates.rules import MARKETING_OPT_OUT, MAX_TEMPLATES
from smscloud.domain.templates.service import delete_template, list_templates, modify_template, submit_template
from tests.unit.domain import factories as f
from tests.unit.domain.factories import NOW
from tests.unit.domain.fakes import FakeTemplateStore

APPROVED, PENDING, REJECTED = ReviewStatus.APPROVED, ReviewStatus.PENDING, ReviewStatus.REJECTED
MARKETING = f"春季大促，全场八折。{MARKETING_OPT_OUT}"
INDIVIDUAL = f.tenant(kind=TenantKind.INDIVIDUAL, sms_enabled_at=NOW)


class World:
    def __init__(self, *, tenant: Tenant | None = None, templates: Iterable[Template] = ()) -> None:
        self.tenant = tenant or f.tenant(sms_enabled_at=NOW)
        self.store = FakeTemplateStore(templates)
        self.clock = FixedClock(NOW)

    async def submit(self, draft: TemplateDraft | None = None, **overrides: Any) -> Template:
        return await submit_template(
            store=self.store, clock=self.clock, tenant=self.tenant, draft=draft or f.template_draft(**overrides)
        )

    async def modify(self, template_id: int, **overrides: Any) -> Template:
        return await modify_template(
            store=self.store,
            clock=self.clock,
            tenant=self.tenant,
            template_id=template_id,
            draft=f.template_draft(**overrides),
        )


async def test_a_submitted_template_waits_for_review() -> None:
    world = World()
    template = await world.submit(name=" shipping ", remark="for orders")
    assert template.status is PENDING
    assert not template.usable_by(f.TENANT_ID)
    assert template.name == "shipping"
    assert (template.content, template.sms_type, template.international) == (
        "您的订单{1}已发货。",
        SmsType.NOTIFICATION,
        False,
    )
    assert template.remark == "for orders"
    assert template.parameters == 1
    assert template.created_at == NOW
    assert list(world.store.templates.values()) == [template]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"content": "【签名】不可以"}, "TemplateContent"),
        ({"content": "订单{2}"}, "TemplateContent"),
        ({"name": ""}, "TemplateName"),
        ({"name": "  "}, "TemplateName"),
        ({"name": "n" * 129}, "TemplateName"),
        ({"remark": "r" * 501}, "Remark"),
    ],
)
async def test_a_bad_template_is_refused_before_it_is_stored(overrides: dict[str, Any], field: str) -> None:
    world = World()
    with pytest.raises(InvalidInput) as invalid:
        await world.submit(**overrides)
    assert invalid.value.field == field
    assert world.store.templates == {}


async def test_an_enterprise_may_submit_a_marketing_template_with_the_opt_out() -> None:
    world = World()
    template = await world.submit(content=MARKETING, sms_type=SmsType.MARKETING)
    assert template.sms_type is SmsType.MARKETING


async def test_a_marketing_template_needs_the_opt_out() -> None:
    world = World()
    with pytest.raises(InvalidInput):
        await world.submit(content="春季大促，全场八折。", sms_type=SmsType.MARKETING)
    assert world.store.templates == {}


@pytest.mark.parametrize("international", [False, True])
async def test_an_individual_may_not_submit_marketing_templates(international: bool) -> None:
    world = World(tenant=INDIVIDUAL)
    content = "Big sale today" if international else MARKETING
    with pytest.raises(MarketingNotAllowed):
        await world.submit(content=content, sms_type=SmsType.MARKETING, international=international)
    assert world.store.templates == {}


@pytest.mark.parametrize("sms_type", [SmsType.NOTIFICATION, SmsType.VERIFICATION_CODE])
async def test_an_individual_may_submit_other_templates(sms_type: SmsType) -> None:
    world = World(tenant=INDIVIDUAL)
    assert (await world.submit(content="您的验证码是{1}。", sms_type=sms_type)).sms_type is sms_type


async def test_a_tenant_holds_at_most_max_templates() -> None:
    existing = [f.template(id=1000 + n) for n in range(MAX_TEMPLATES)]
    world = World(templates=existing)
    with pytest.raises(TemplateLimitReached):
        await world.submit()
    assert len(world.store.templates) == MAX_TEMPLATES
    await delete_template(store=world.store, clock=world.clock, tenant_id=f.TENANT_ID, template_id=1000)
    assert (await world.submit()).status is PENDING


async def test_other_tenants_templates_do_not_count_towards_the_limit() -> None:
    world = World(templates=[f.template(id=1000 + n, tenant_id=f.OTHER_TENANT_ID) for n in range(MAX_TEMPLATES)])
    assert (await world.submit()).tenant_id == f.TENANT_ID


# --- modify ---------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [PENDING, REJECTED])
async def test_a_pending_or_rejected_template_can_be_modified(status: ReviewStatus) -> None:
    world = World(templates=[f.template(status=status)])
    world.clock.advance(60)
    modified = await world.modify(30, name=" shipped ", content="订单{1}已发货，单号{2}。")
    assert modified.id == 30
    assert (modified.name, modified.content, modified.parameters) == ("shipped", "订单{1}已发货，单号{2}。", 2)
    assert modified.status is PENDING
    assert modified.updated_at == world.clock.now()
    assert world.store.templates[30] == modified


async def test_an_approved_template_cannot_be_modified() -> None:
    world = World(templates=[f.template(status=APPROVED)])
    with pytest.raises(TemplateAlreadyApproved):
        await world.modify(30, content="别的内容{1}。")
    assert world.store.templates[30] == f.template(status=APPROVED)


@pytest.mark.parametrize("template_id", [30, 999], ids=["another tenant's", "unknown"])
async def test_modifying_a_template_that_is_not_the_tenants_is_not_found(template_id: int) -> None:
    world = World(templates=[f.template(tenant_id=f.OTHER_TENANT_ID, status=PENDING)])
    with pytest.raises(NotFound):
        await world.modify(template_id)
    assert world.store.templates[30] == f.template(tenant_id=f.OTHER_TENANT_ID, status=PENDING)


async def test_a_modification_is_checked_like_a_submission() -> None:
    world = World(templates=[f.template(status=REJECTED)])
    with pytest.raises(InvalidInput):
        await world.modify(30, content="{1}{2}")
    with pytest.raises(MarketingNotAllowed):
        await World(tenant=INDIVIDUAL, templates=[f.template(status=REJECTED)]).modify(
            30, content=MARKETING, sms_type=SmsType.MARKETING
        )
    assert world.store.templates[30] == f.template(status=REJECTED)


# --- delete and list ------------------------------------------------------------------------


@pytest.mark.parametrize("status", [PENDING, APPROVED, REJECTED])
async def test_a_template_can_be_deleted_in_any_state(status: ReviewStatus) -> None:
    world = World(templates=[f.template(status=status)])
    world.clock.advance(5)
    when = await delete_template(store=world.store, clock=world.clock, tenant_id=f.TENANT_ID, template_id=30)
    assert when == world.clock.now()
    assert world.store.templates == {}


@pytest.mark.parametrize("template_id", [30, 999], ids=["another tenant's", "unknown"])
async def test_deleting_a_template_that_is_not_the_tenants_is_not_found(template_id: int) -> None:
    world = World(templates=[f.template(tenant_id=f.OTHER_TENANT_ID)])
    with pytest.raises(NotFound):
        await delete_template(store=world.store, clock=world.clock, tenant_id=f.TENANT_ID, template_id=template_id)
    assert 30 in world.store.templates


async def test_listing_shows_the_tenants_own_templates_of_one_region() -> None:
    world = World(templates=[f.template(id=5, tenant_id=f.OTHER_TENANT_ID)])
    domestic = await world.submit()
    international = await world.submit(content="Your code is {1}.", international=True)
    assert await list_templates(store=world.store, tenant_id=f.TENANT_ID, international=True) == [international]
    assert await list_templates(store=world.store, tenant_id=f.TENANT_ID, ids=[domestic.id, 5]) == [domestic]


async def test_a_template_waits_until_the_account_has_applied_for_sms() -> None:
    world = World(tenant=f.tenant(sms_enabled_at=None))
    with pytest.raises(SmsNotEnabled):
        await world.submit()
    assert await world.store.count_of_tenant(world.tenant.id) == 0
