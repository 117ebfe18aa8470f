"""A qualification submission; the newest of a tenant is its current one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from smscloud.domain.shared.review import ReviewStatus

__all__ = ["Qualification"]


@dataclass(frozen=True, slots=True)
class Qualification:
    id: int
    tenant_id: int
    company_name: str
    credit_code: str
    licence_document_id: int
    contact_name: str
    contact_phone: str
    status: ReviewStatus
    review_reply: str
    submitted_at: datetime
    reviewed_at: datetime | None
    reviewed_by: int | None
