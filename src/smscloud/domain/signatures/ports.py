"""What the signatures context needs from the outside world."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from smscloud.domain.shared.review import ReviewStatus
from smscloud.domain.signatures.model import DocumentType, Signature, SignPurpose, SignType

__all__ = ["SignatureStore"]


class SignatureStore(Protocol):
    async def add(
        self,
        *,
        tenant_id: int,
        name: str,
        international: bool,
        sign_type: SignType,
        document_type: DocumentType,
        sign_purpose: SignPurpose,
        remark: str,
        now: datetime,
    ) -> Signature: ...

    async def of_tenant(self, tenant_id: int) -> list[Signature]: ...

    async def set_review(self, *, signature_id: int, status: ReviewStatus, reply: str, now: datetime) -> Signature: ...
