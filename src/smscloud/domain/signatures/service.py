"""Use cases of signatures: submit for review, review."""

from __future__ import annotations

from smscloud.domain.shared.clock import Clock
from smscloud.domain.shared.review import ReviewStatus
from smscloud.domain.signatures.model import DocumentType, Signature, SignPurpose, SignType
from smscloud.domain.signatures.ports import SignatureStore
from smscloud.domain.signatures.rules import check_signature_name

__all__ = ["review_signature", "submit_signature"]


async def submit_signature(
    *,
    store: SignatureStore,
    clock: Clock,
    tenant_id: int,
    name: str,
    international: bool,
    sign_type: SignType = SignType.COMPANY,
    document_type: DocumentType = DocumentType.BUSINESS_LICENCE,
    sign_purpose: SignPurpose = SignPurpose.OWN,
    remark: str = "",
) -> Signature:
    check_signature_name(name, international=international)
    return await store.add(
        tenant_id=tenant_id,
        name=name,
        international=international,
        sign_type=sign_type,
        document_type=document_type,
        sign_purpose=sign_purpose,
        remark=remark,
        now=clock.now(),
    )


async def review_signature(
    *, store: SignatureStore, clock: Clock, signature_id: int, approve: bool, reply: str = ""
) -> Signature:
    status = ReviewStatus.APPROVED if approve else ReviewStatus.REJECTED
    return await store.set_review(signature_id=signature_id, status=status, reply=reply, now=clock.now())
