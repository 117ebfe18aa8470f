"""Templates in the database: submitted pending, listed, modified, deleted, decided once; every
tenant-facing method sees only the tenant's own rows."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import pytest

from smscloud.adapters.storage import tables
from smscloud.domain.shared.errors import NotFound
from smscloud.domain.shared.review import ReviewStatus
from smscloud.domain.templates.model import SmsType, Template, TemplateDraft
from tests.support.builders import NOW, Builder, Stores, table_row

pytestmark = pytest.mark.integration

LATER = NOW + timedelta(hours=2)


def draft(content: str = "您的订单{1}已发货。", *, name: str = "发货", international: bool = False) -> TemplateDraft:
    return TemplateDraft(name=name, content=content, sms_type=SmsType.NOTIFICATION, international=international)


async def add(
    stores: Stores, tenant_id: int, content: str = "您的订单{1}已发货。", *, international: bool = False
) -> Template:
    return await stores.templates.add(tenant_id=tenant_id, draft=draft(content, international=international), now=NOW)


async def decide(stores: Stores, template: Template, status: ReviewStatus = ReviewStatus.APPROVED) -> Template:
    decided = await stores.templates.decide(
        template_id=template.id, status=status, reply="", reviewer_id=None, now=LATER
    )
    assert decided is not None
    return decided


# --- add, get --------------------------------------------------------------------------------------


async def test_a_template_is_stored_pending_with_all_its_fields(stores: Stores, build: Builder) -> None:
    tenant = await build.tenant()
    template = await stores.templates.add(
        tenant_id=tenant.id,
        draft=TemplateDraft(
            name="code",
            content="Your code is {1}, valid for {2} minutes.",
            sms_type=SmsType.VERIFICATION_CODE,
            international=True,
            remark="login",
        ),
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
    assert template.reviewed_at is None
    assert await stores.templates.get(tenant_id=tenant.id, template_id=template.id) == template
    assert await stores.templates.by_id(template.id) == template
    assert await stores.templates.of_tenant(tenant.id) == [template]


async def test_unknown_ids_are_none(stores: Stores, build: Builder) -> None:
    tenant = await build.tenant()
    assert await stores.templates.get(tenant_id=tenant.id, template_id=999) is None
    assert await stores.templates.by_id(999) is None


# --- tenant isolation ------------------------------------------------------------------------------


async def test_another_tenant_can_neither_see_nor_change_a_template(stores: Stores, build: Builder) -> None:
    owner = await build.tenant()
    stranger = await build.tenant()
    mine = await add(stores, owner.id, "我的{1}")
    theirs = await add(stores, stranger.id, "他的{1}")

    assert await stores.templates.get(tenant_id=stranger.id, template_id=mine.id) is None
    assert await stores.templates.of_tenant(stranger.id) == [theirs]
    assert await stores.templates.of_tenant(stranger.id, ids=[mine.id]) == []
    assert await stores.templates.count_of_tenant(stranger.id) == 1
    with pytest.raises(NotFound):
        await stores.templates.update(tenant_id=stranger.id, template_id=mine.id, draft=draft("改了{1}"), now=LATER)
    assert await stores.templates.delete(tenant_id=stranger.id, template_id=mine.id, now=LATER) is False

    assert await stores.templates.get(tenant_id=owner.id, template_id=mine.id) == mine  # untouched
    row = await table_row(stores.db, tables.template, mine.id)
    assert row.deleted_at is None and row.content == "我的{1}"


# --- lists -----------------------------------------------------------------------------------------


async def test_of_tenant_filters_by_region_and_pages_oldest_first(stores: Stores, build: Builder) -> None:
    tenant = await build.tenant()
    templates = [await add(stores, tenant.id, f"模板{n}号{{1}}", international=n % 2 == 1) for n in range(5)]
    gone = await add(stores, tenant.id, "删掉的{1}")
    await stores.templates.delete(tenant_id=tenant.id, template_id=gone.id, now=LATER)

    assert await stores.templates.of_tenant(tenant.id) == templates
    assert await stores.templates.of_tenant(tenant.id, international=False) == templates[0::2]
    assert await stores.templates.of_tenant(tenant.id, international=True) == templates[1::2]
    assert await stores.templates.of_tenant(tenant.id, limit=2) == templates[:2]
    assert await stores.templates.of_tenant(tenant.id, limit=2, offset=2) == templates[2:4]
    assert await stores.templates.of_tenant(tenant.id, offset=4) == templates[4:]
    assert await stores.templates.count_of_tenant(tenant.id) == 5


async def test_ids_select_regardless_of_paging(stores: Stores, build: Builder) -> None:
    tenant = await build.tenant()
    templates = [await add(stores, tenant.id, f"模板{n}号{{1}}") for n in range(4)]
    gone = await add(stores, tenant.id, "删掉的{1}")
    await stores.templates.delete(tenant_id=tenant.id, template_id=gone.id, now=LATER)

    wanted = [templates[3].id, templates[1].id, gone.id, 999]
    assert await stores.templates.of_tenant(tenant.id, ids=wanted, limit=1, offset=5) == [templates[1], templates[3]]
    assert await stores.templates.of_tenant(tenant.id, ids=wanted, international=True) == []


# --- update, delete --------------------------------------------------------------------------------


async def test_update_replaces_the_request_and_puts_it_back_to_review(stores: Stores, build: Builder) -> None:
    tenant = await build.tenant()
    operator = await build.operator()
    template = await add(stores, tenant.id, "旧的{1}")
    rejected = await stores.templates.decide(
        template_id=template.id, status=ReviewStatus.REJECTED, reply="太短", reviewer_id=operator.id, now=LATER
    )
    assert rejected is not None and rejected.reviewed_at == LATER

    modified_at = LATER + timedelta(hours=1)
    updated = await stores.templates.update(
        tenant_id=tenant.id,
        template_id=template.id,
        draft=TemplateDraft(
            name="新名",
            content="您的验证码是{1}，{2}分钟内有效。",
            sms_type=SmsType.VERIFICATION_CODE,
            international=False,
        ),
        now=modified_at,
    )
    assert (updated.id, updated.name, updated.content, updated.sms_type, updated.parameters) == (
        template.id,
        "新名",
        "您的验证码是{1}，{2}分钟内有效。",
        SmsType.VERIFICATION_CODE,
        2,
    )
    assert (updated.status, updated.review_reply, updated.reviewed_at) == (ReviewStatus.PENDING, "", None)
    assert (updated.created_at, updated.updated_at) == (NOW, modified_at)
    assert await stores.templates.get(tenant_id=tenant.id, template_id=template.id) == updated
    row = await table_row(stores.db, tables.template, template.id)
    assert row.reviewed_by is None


async def test_delete_is_soft_and_once(stores: Stores, build: Builder) -> None:
    tenant = await build.tenant()
    template = await decide(stores, await add(stores, tenant.id))
    assert await stores.templates.delete(tenant_id=tenant.id, template_id=template.id, now=LATER) is True

    assert await stores.templates.get(tenant_id=tenant.id, template_id=template.id) is None
    assert await stores.templates.by_id(template.id) is None
    assert await stores.templates.of_tenant(tenant.id) == []
    assert await stores.templates.count_of_tenant(tenant.id) == 0
    row = await table_row(stores.db, tables.template, template.id)
    assert row is not None and row.deleted_at == LATER and row.status == "approved"

    assert await stores.templates.delete(tenant_id=tenant.id, template_id=template.id, now=LATER) is False
    with pytest.raises(NotFound):
        await stores.templates.update(tenant_id=tenant.id, template_id=template.id, draft=draft(), now=LATER)
    assert (
        await stores.templates.decide(
            template_id=template.id, status=ReviewStatus.APPROVED, reply="", reviewer_id=None, now=LATER
        )
        is None
    )


# --- review ----------------------------------------------------------------------------------------


async def test_pending_lists_the_longest_waiting_first(stores: Stores, build: Builder) -> None:
    a, b = await build.tenant(), await build.tenant()
    first = await stores.templates.add(tenant_id=a.id, draft=draft("第一{1}"), now=NOW)
    second = await stores.templates.add(tenant_id=b.id, draft=draft("第二{1}"), now=NOW + timedelta(minutes=1))
    third = await stores.templates.add(tenant_id=a.id, draft=draft("第三{1}"), now=NOW + timedelta(minutes=2))
    await decide(stores, await stores.templates.add(tenant_id=a.id, draft=draft("已批{1}"), now=NOW))
    gone = await stores.templates.add(tenant_id=b.id, draft=draft("删了{1}"), now=NOW)
    await stores.templates.delete(tenant_id=b.id, template_id=gone.id, now=LATER)
    # Modified: submitted again now, so it waits at the back of the line.
    first = await stores.templates.update(
        tenant_id=a.id, template_id=first.id, draft=draft("第一改{1}"), now=NOW + timedelta(minutes=3)
    )

    assert await stores.templates.pending(limit=10) == [second, third, first]
    assert await stores.templates.pending(limit=1, offset=1) == [third]
    assert await stores.templates.count_pending() == 3


async def test_decide_records_the_review_of_a_pending_template(stores: Stores, build: Builder) -> None:
    tenant = await build.tenant()
    operator = await build.operator()
    template = await add(stores, tenant.id)
    decided = await stores.templates.decide(
        template_id=template.id, status=ReviewStatus.APPROVED, reply="ok", reviewer_id=operator.id, now=LATER
    )
    assert decided is not None
    assert (decided.status, decided.review_reply, decided.reviewed_at) == (ReviewStatus.APPROVED, "ok", LATER)
    assert decided.updated_at == NOW  # when it was submitted: a decision is not a submission
    assert decided.usable_by(tenant.id)
    row = await table_row(stores.db, tables.template, template.id)
    assert row.reviewed_by == operator.id


async def test_a_decision_on_a_submission_changed_since_it_was_seen_is_not_recorded(
    stores: Stores, build: Builder
) -> None:
    tenant = await build.tenant()
    template = await add(stores, tenant.id)
    stale = template.updated_at - timedelta(microseconds=1)

    async def approve(seen: datetime) -> Template | None:
        return await stores.templates.decide(
            template_id=template.id, status=ReviewStatus.APPROVED, reply="", reviewer_id=None, now=LATER, seen=seen
        )

    assert await approve(stale) is None
    assert await stores.templates.by_id(template.id) == template
    decided = await approve(template.updated_at)
    assert decided is not None and decided.status is ReviewStatus.APPROVED


async def test_only_a_pending_template_is_decided(stores: Stores, build: Builder) -> None:
    tenant = await build.tenant()
    approved = await decide(stores, await add(stores, tenant.id))
    again = await stores.templates.decide(
        template_id=approved.id, status=ReviewStatus.REJECTED, reply="no", reviewer_id=None, now=LATER
    )
    assert again is None
    assert await stores.templates.by_id(approved.id) == approved
    assert (
        await stores.templates.decide(
            template_id=999, status=ReviewStatus.APPROVED, reply="", reviewer_id=None, now=LATER
        )
        is None
    )


async def test_of_two_decisions_at_once_exactly_one_is_recorded(stores: Stores, build: Builder) -> None:
    tenant = await build.tenant()
    template = await add(stores, tenant.id)
    outcomes = await asyncio.gather(
        *(
            stores.templates.decide(
                template_id=template.id,
                status=ReviewStatus.APPROVED if n % 2 else ReviewStatus.REJECTED,
                reply=str(n),
                reviewer_id=None,
                now=LATER,
            )
            for n in range(6)
        )
    )
    winners = [outcome for outcome in outcomes if outcome is not None]
    assert len(winners) == 1
    assert await stores.templates.by_id(template.id) == winners[0]
