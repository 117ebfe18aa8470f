"""What the qualification context needs from the outside world."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from smscloud.domain.audit.model import AuditNote
from smscloud.domain.qualification.model import Qualification
from smscloud.domain.shared.review import ReviewStatus

__all__ = ["QualificationStore"]


class QualificationStore(Protocol):
    async def add(
        self,
        *,
        tenant_id: int,
        company_name: str,
        credit_code: str,
        licence_document_id: int,
        contact_name: str,
        contact_phone: str,
        now: datetime,
        noted: AuditNote | None = None,
    ) -> Qualification:
        """A pending submission, recorded with `noted` (its subject_id None: the new submission's)."""
        ...

    async def by_id(self, qualification_id: int) -> Qualification | None: ...

    async def current_of(self, tenant_id: int) -> Qualification | None:
        """The tenant's newest submission."""
        ...

    async def approved_of(self, tenant_id: int) -> Qualification | None:
        """The tenant's newest approved submission."""
        ...

    async def approved_elsewhere(self, *, credit_code: str, tenant_id: int) -> list[Qualification]:
        """Approved submissions of other tenants than `tenant_id` with this credit code, oldest
        first: what an operator should see before approving the same company twice."""
        ...

    async def pending(self, *, limit: int, offset: int = 0) -> list[Qualification]:
        """What waits for review, oldest first."""
        ...

    async def count_pending(self) -> int: ...

    async def decide(
        self,
        *,
        qualification_id: int,
        status: ReviewStatus,
        reply: str,
        operator_id: int | None,
        now: datetime,
        enterprise: bool = False,
        noted: AuditNote | None = None,
    ) -> Qualification | None:
        """Record the review of a pending submission; None if it is no longer pending. In the same
        transaction, with `enterprise` the tenant becomes an enterprise named after the company, and
        `noted` is recorded: an approval never stands without its consequence or its audit entry."""
        ...
