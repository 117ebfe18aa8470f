"""Reviews: a decision is stored, audited, mailed to the tenant's owners, and applies only to
what the operator saw."""

from __future__ import annotations

from datetime import timedelta

import pytest

from smscloud.domain.accounts.model import TenantKind
from smscloud.domain.audit.model import Actor
from smscloud.domain.reviews.model import Decision
from smscloud.domain.reviews.service import ChangedSinceSeen, Reviews
from smscloud.domain.shared.clock import FixedClock
from smscloud.domain.shared.errors import Conflict, InvalidInput, NotFound
from smscloud.domain.shared.review import ReviewStatus
from tests.unit.domain.factories import (
    NOW,
    OPERATOR_ID,
    OWNER_EMAIL,
    TENANT_ID,
    qualification,
    signature,
    template,
    template_draft,
    tenant,
    user,
)
from tests.unit.domain.fakes import (
    FakeAccountStore,
    FakeAuditLog,
    FakeOutbox,
    FakeQualificationStore,
    FakeSignatureStore,
    FakeTemplateStore,
    FakeUserStore,
)

REVIEWER = Actor.operator(OPERATOR_ID)


class World:
    def __init__(self) -> None:
        self.clock = FixedClock(NOW)
        self.audit = FakeAuditLog()
        self.accounts = FakeAccountStore([tenant(kind=TenantKind.INDIVIDUAL)], audit=self.audit)
        self.qualifications = FakeQualificationStore(
            [qualification(status=ReviewStatus.PENDING)], accounts=self.accounts, audit=self.audit
        )
        self.signatures = FakeSignatureStore([signature(status=ReviewStatus.PENDING)], audit=self.audit)
        self.templates = FakeTemplateStore([template(status=ReviewStatus.PENDING)], audit=self.audit)
        self.users = FakeUserStore([user()])
        self.outbox = FakeOutbox()
        self.changes = 0
        self.reviews = Reviews(
            qualifications=self.qualifications,
            signatures=self.signatures,
            templates=self.templates,
            users=self.users,
            outbox=self.outbox,
            clock=self.clock,
            console_url="https://console.example",
            changed=self.changed,
        )

    def changed(self) -> None:
        self.changes += 1


async def test_an_approved_template_is_audited_mailed_and_refreshes_the_send_path() -> None:
    world = World()
    (pending,) = world.templates.templates.values()
    decided = await world.reviews.decide_template(
        actor=REVIEWER, template_id=pending.id, decision=Decision.approved(), seen=pending.updated_at
    )
    assert decided.status is ReviewStatus.APPROVED
    assert world.changes == 1
    (entry,) = world.audit.entries
    assert (entry.actor, entry.action, entry.subject_id, entry.tenant_id) == (
        REVIEWER,
        "template.approve",
        pending.id,
        TENANT_ID,
    )
    (mail,) = world.outbox.mails
    assert mail.to_address == OWNER_EMAIL


@pytest.mark.parametrize("reason", ["不清晰\x07", "\u202e不清晰", "不清晰\t"])
def test_a_reason_may_not_hold_control_characters(reason: str) -> None:
    for approve in (True, False):
        with pytest.raises(InvalidInput) as invalid:
            Decision(approve=approve, reason=reason)
        assert (invalid.value.field, invalid.value.reason) == ("reason", "must not contain control characters")


def test_a_reason_may_have_several_lines() -> None:
    assert Decision.rejected("证明文件不清晰：\r\n1. 印章模糊\n2. 缺少日期").reason.count("\n") == 2


async def test_a_rejection_needs_a_reason_the_customer_reads() -> None:
    with pytest.raises(InvalidInput):
        Decision(approve=False, reason="  ")
    world = World()
    (pending,) = world.signatures.signatures.values()
    decided = await world.reviews.decide_signature(
        actor=REVIEWER, signature_id=pending.id, decision=Decision.rejected("证明文件不清晰")
    )
    assert (decided.status, decided.review_reply) == (ReviewStatus.REJECTED, "证明文件不清晰")
    assert "证明文件不清晰" in world.outbox.mails[0].body


async def test_a_template_changed_after_the_operator_opened_it_is_not_decided() -> None:
    world = World()
    (opened,) = world.templates.templates.values()
    world.clock.advance(30)
    changed = await world.templates.update(
        tenant_id=TENANT_ID,
        template_id=opened.id,
        draft=template_draft(content="您的订单{1}已发货，点击领取优惠。"),
        now=world.clock.now(),
    )
    with pytest.raises(ChangedSinceSeen):
        await world.reviews.decide_template(
            actor=REVIEWER, template_id=opened.id, decision=Decision.approved(), seen=opened.updated_at
        )
    current = await world.templates.by_id(opened.id)
    assert current is not None and current.status is ReviewStatus.PENDING
    assert world.audit.entries == [] and world.outbox.mails == [] and world.changes == 0
    decided = await world.reviews.decide_template(
        actor=REVIEWER, template_id=opened.id, decision=Decision.approved(), seen=changed.updated_at
    )
    assert decided.status is ReviewStatus.APPROVED


async def test_a_signature_changed_after_the_operator_opened_it_is_not_decided() -> None:
    world = World()
    (opened,) = world.signatures.signatures.values()
    with pytest.raises(ChangedSinceSeen):
        await world.reviews.decide_signature(
            actor=REVIEWER,
            signature_id=opened.id,
            decision=Decision.approved(),
            seen=opened.updated_at - timedelta(seconds=1),
        )


async def test_a_second_decision_is_a_conflict_and_an_unknown_item_not_found() -> None:
    world = World()
    (pending,) = world.templates.templates.values()
    await world.reviews.decide_template(actor=REVIEWER, template_id=pending.id, decision=Decision.approved())
    with pytest.raises(Conflict) as second:
        await world.reviews.decide_template(
            actor=REVIEWER, template_id=pending.id, decision=Decision.rejected("no"), seen=pending.updated_at
        )
    assert not isinstance(second.value, ChangedSinceSeen)
    with pytest.raises(NotFound):
        await world.reviews.decide_template(actor=REVIEWER, template_id=999, decision=Decision.approved())


async def test_an_approved_qualification_makes_the_tenant_an_enterprise_named_after_the_company() -> None:
    world = World()
    (pending,) = world.qualifications.qualifications.values()
    await world.reviews.decide_qualification(actor=REVIEWER, qualification_id=pending.id, decision=Decision.approved())
    (updated,) = world.accounts.all_tenants
    assert (updated.kind, updated.name) == (TenantKind.ENTERPRISE, pending.company_name)
