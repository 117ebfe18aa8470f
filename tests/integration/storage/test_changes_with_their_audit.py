"""A change and its audit entry are written in one transaction: both land, or (when the entry
cannot be written) neither does. A decision that does not apply writes no entry."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy.exc import IntegrityError

from smscloud.domain.accounts.model import TenantKind, TenantStatus
from smscloud.domain.audit.model import Actor, AuditNote
from smscloud.domain.shared.review import ReviewStatus
from tests.support.builders import NOW, Builder, Stores

pytestmark = pytest.mark.integration

LATER = NOW + timedelta(hours=1)
OPERATOR = Actor.operator(7)


def note(action: Any = "template.approve", *, subject_id: int | None = 1, tenant_id: int | None = None) -> AuditNote:
    return AuditNote(
        actor=OPERATOR,
        action=action,
        subject_kind=str(action).split(".")[0],
        subject_id=subject_id,
        tenant_id=tenant_id,
        detail="looks right",
        at=LATER,
    )


# The audit_log.action column is NOT NULL: a note with none makes its INSERT fail inside the
# transaction that carries the change.
UNWRITABLE: Any = None


async def actions(stores: Stores) -> list[tuple[str, int | None, int | None]]:
    return [(e.action, e.subject_id, e.tenant_id) for e in await stores.audit.recent(limit=50)]


async def test_a_template_decision_and_its_entry_land_together(stores: Stores, build: Builder) -> None:
    tenant = await build.tenant()
    template = await build.template(tenant.id, status=ReviewStatus.PENDING)

    decided = await stores.templates.decide(
        template_id=template.id,
        status=ReviewStatus.APPROVED,
        reply="",
        reviewer_id=None,
        now=LATER,
        noted=note(subject_id=template.id, tenant_id=tenant.id),
    )

    assert decided is not None and decided.status is ReviewStatus.APPROVED
    assert await actions(stores) == [("template.approve", template.id, tenant.id)]


async def test_a_decision_whose_entry_cannot_be_written_is_not_made(stores: Stores, build: Builder) -> None:
    tenant = await build.tenant()
    template = await build.template(tenant.id, status=ReviewStatus.PENDING)
    signature = await build.signature(tenant.id, status=ReviewStatus.PENDING)

    with pytest.raises(IntegrityError):
        await stores.templates.decide(
            template_id=template.id,
            status=ReviewStatus.APPROVED,
            reply="",
            reviewer_id=None,
            now=LATER,
            noted=note(UNWRITABLE),
        )
    with pytest.raises(IntegrityError):
        await stores.signatures.decide(
            signature_id=signature.id,
            status=ReviewStatus.REJECTED,
            reply="no",
            reviewer_id=None,
            now=LATER,
            noted=note(UNWRITABLE),
        )

    still_template = await stores.templates.by_id(template.id)
    still_signature = await stores.signatures.by_id(signature.id)
    assert still_template is not None and still_template.status is ReviewStatus.PENDING
    assert still_signature is not None and still_signature.status is ReviewStatus.PENDING
    assert await actions(stores) == []


async def test_a_decision_that_does_not_apply_writes_no_entry(stores: Stores, build: Builder) -> None:
    tenant = await build.tenant()
    template = await build.template(tenant.id, status=ReviewStatus.APPROVED)

    again = await stores.templates.decide(
        template_id=template.id, status=ReviewStatus.REJECTED, reply="", reviewer_id=None, now=LATER, noted=note()
    )

    assert again is None
    assert await actions(stores) == []


async def test_approving_a_qualification_makes_the_enterprise_and_the_entry_at_once(
    stores: Stores, build: Builder
) -> None:
    tenant = await build.tenant("王五", kind=TenantKind.INDIVIDUAL)
    qualification = await build.qualification(tenant.id, "深圳市某某科技有限公司")

    decided = await stores.qualifications.decide(
        qualification_id=qualification.id,
        status=ReviewStatus.APPROVED,
        reply="",
        operator_id=None,
        now=LATER,
        enterprise=True,
        noted=note("qualification.approve", subject_id=qualification.id, tenant_id=tenant.id),
    )

    assert decided is not None and decided.status is ReviewStatus.APPROVED
    after = await stores.accounts.tenant(tenant.id)
    assert after is not None and (after.kind, after.name) == (TenantKind.ENTERPRISE, "深圳市某某科技有限公司")
    assert await actions(stores) == [("qualification.approve", qualification.id, tenant.id)]


async def test_an_approval_that_fails_leaves_the_tenant_and_the_submission_as_they_were(
    stores: Stores, build: Builder
) -> None:
    tenant = await build.tenant("王五", kind=TenantKind.INDIVIDUAL)
    qualification = await build.qualification(tenant.id, "深圳市某某科技有限公司")

    with pytest.raises(IntegrityError):
        await stores.qualifications.decide(
            qualification_id=qualification.id,
            status=ReviewStatus.APPROVED,
            reply="",
            operator_id=None,
            now=LATER,
            enterprise=True,
            noted=note(UNWRITABLE),
        )

    after = await stores.accounts.tenant(tenant.id)
    assert after is not None and (after.kind, after.name) == (TenantKind.INDIVIDUAL, "王五")
    still = await stores.qualifications.by_id(qualification.id)
    assert still is not None and still.status is ReviewStatus.PENDING


async def test_a_submission_is_recorded_under_its_new_id(stores: Stores, build: Builder) -> None:
    tenant = await build.tenant()
    licence = await build.document(tenant.id)

    submitted = await stores.qualifications.add(
        tenant_id=tenant.id,
        company_name="深圳市某某科技有限公司",
        credit_code="91440300708461136T",
        licence_document_id=licence.id,
        contact_name="张三",
        contact_phone="13800000000",
        now=NOW,
        noted=note("qualification.submit", subject_id=None, tenant_id=tenant.id),
    )

    assert await actions(stores) == [("qualification.submit", submitted.id, tenant.id)]


async def test_a_suspension_whose_entry_cannot_be_written_leaves_the_account_active(
    stores: Stores, build: Builder
) -> None:
    tenant = await build.tenant()

    with pytest.raises(IntegrityError):
        await stores.accounts.set_tenant_status(tenant.id, TenantStatus.SUSPENDED, noted=note(UNWRITABLE))
    unchanged = await stores.accounts.tenant(tenant.id)
    assert unchanged is not None and unchanged.status is TenantStatus.ACTIVE

    await stores.accounts.set_tenant_status(
        tenant.id, TenantStatus.SUSPENDED, noted=note("tenant.suspend", subject_id=tenant.id, tenant_id=tenant.id)
    )
    suspended = await stores.accounts.tenant(tenant.id)
    assert suspended is not None and suspended.status is TenantStatus.SUSPENDED
    assert await actions(stores) == [("tenant.suspend", tenant.id, tenant.id)]


async def test_sms_is_enabled_once_and_recorded_once(stores: Stores, build: Builder) -> None:
    tenant = await build.tenant()
    enabling = note("sms.enable", subject_id=tenant.id, tenant_id=tenant.id)

    first = await stores.accounts.enable_sms(tenant.id, now=NOW, noted=enabling)
    second = await stores.accounts.enable_sms(tenant.id, now=LATER, noted=enabling)

    assert first.sms_enabled_at == second.sms_enabled_at == NOW
    assert await actions(stores) == [("sms.enable", tenant.id, tenant.id)]
