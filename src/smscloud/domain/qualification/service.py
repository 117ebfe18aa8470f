"""Use cases of qualification: submit (and resubmit after a rejection)."""

from __future__ import annotations

from smscloud.domain.accounts.model import Tenant
from smscloud.domain.audit.model import Actor, AuditNote
from smscloud.domain.qualification.errors import QualificationNotAllowed
from smscloud.domain.qualification.model import Qualification
from smscloud.domain.qualification.ports import QualificationStore
from smscloud.domain.qualification.rules import check_qualification, may_submit_qualification
from smscloud.domain.shared.clock import Clock
from smscloud.domain.shared.errors import Conflict
from smscloud.domain.shared.review import ReviewStatus

__all__ = ["submit_qualification"]


async def submit_qualification(
    *,
    store: QualificationStore,
    clock: Clock,
    tenant: Tenant,
    actor: Actor,
    company_name: str,
    credit_code: str,
    licence_document_id: int,
    contact_name: str,
    contact_phone: str,
) -> Qualification:
    """Submit for review (for an individual using SMS, to upgrade to an enterprise). Refused while a
    submission is pending or once one is approved."""
    if not may_submit_qualification(tenant):
        raise QualificationNotAllowed("an individual account chooses enterprise in its profile instead")
    company_name, credit_code, contact_name, contact_phone = check_qualification(
        company_name=company_name, credit_code=credit_code, contact_name=contact_name, contact_phone=contact_phone
    )
    current = await store.current_of(tenant.id)
    if current is not None and current.status is ReviewStatus.PENDING:
        raise Conflict("a qualification is already waiting for review")
    if current is not None and current.status is ReviewStatus.APPROVED:
        raise Conflict("the qualification is approved already")
    now = clock.now()
    qualification = await store.add(
        tenant_id=tenant.id,
        company_name=company_name,
        credit_code=credit_code,
        licence_document_id=licence_document_id,
        contact_name=contact_name,
        contact_phone=contact_phone,
        now=now,
        noted=AuditNote(
            actor=actor,
            action="qualification.submit",
            subject_kind="qualification",
            subject_id=None,  # the new submission
            tenant_id=tenant.id,
            detail=f"{company_name} {credit_code}",
            at=now,
        ),
    )
    return qualification
