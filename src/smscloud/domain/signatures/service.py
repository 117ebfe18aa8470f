"""Use cases of signatures: submit, modify (back to review), delete, list.

A request may carry its proof and power of attorney as uploads. They are stored only after every
check has passed, so a refused request leaves no document behind.

Operators' decisions are in `domain.reviews`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from functools import partial

from smscloud.domain.accounts.errors import SmsNotEnabled
from smscloud.domain.accounts.model import Tenant
from smscloud.domain.documents.model import DocumentPurpose, Upload
from smscloud.domain.documents.ports import DocumentStore
from smscloud.domain.documents.rules import DEFAULT_MAX_BYTES, sniff_content_type
from smscloud.domain.documents.service import upload_document
from smscloud.domain.qualification.errors import QualificationNotApproved
from smscloud.domain.qualification.ports import QualificationStore
from smscloud.domain.shared.clock import Clock
from smscloud.domain.shared.errors import InvalidInput, NotFound
from smscloud.domain.shared.problems import Problems
from smscloud.domain.shared.review import ReviewStatus
from smscloud.domain.signatures.errors import SignatureAlreadyApproved, SignatureExists, SignatureLimitReached
from smscloud.domain.signatures.model import Signature, SignatureDraft
from smscloud.domain.signatures.ports import SignatureStore
from smscloud.domain.signatures.rules import MAX_SIGNATURES, check_draft

__all__ = ["delete_signature", "list_signatures", "modify_signature", "submit_signature"]


async def submit_signature(
    *,
    store: SignatureStore,
    documents: DocumentStore,
    qualifications: QualificationStore,
    clock: Clock,
    tenant: Tenant,
    draft: SignatureDraft,
    proof: Upload | None = None,
    commission: Upload | None = None,
    max_upload_bytes: int = DEFAULT_MAX_BYTES,
) -> Signature:
    """Submit a request for review; `proof` and `commission`, when given, replace the draft's document ids.

    Only an account that has applied for the SMS service may (seed 3 before 5.1): that is where its
    profile, and an enterprise's qualification, were found complete."""
    if not tenant.sms_enabled:
        raise SmsNotEnabled("apply for the SMS service before submitting signatures")
    files = _Files(proof, commission, max_upload_bytes)
    draft = await _checked(store, documents, qualifications, tenant, draft, files, replacing=None)
    if await store.count_of_tenant(tenant.id) >= MAX_SIGNATURES:
        raise SignatureLimitReached(f"a tenant may hold at most {MAX_SIGNATURES} signatures")
    draft = await _stored(documents, clock, tenant, draft, files)
    return await store.add(tenant_id=tenant.id, draft=draft, now=clock.now())


async def modify_signature(
    *,
    store: SignatureStore,
    documents: DocumentStore,
    qualifications: QualificationStore,
    clock: Clock,
    tenant: Tenant,
    signature_id: int,
    draft: SignatureDraft,
    proof: Upload | None = None,
    commission: Upload | None = None,
    max_upload_bytes: int = DEFAULT_MAX_BYTES,
) -> Signature:
    """Change a pending or rejected request; it goes back to review. Uploads as in `submit_signature`."""
    files = _Files(proof, commission, max_upload_bytes)
    current = await store.get(tenant_id=tenant.id, signature_id=signature_id)
    if current is None:
        raise NotFound("signature", signature_id)
    if current.status is ReviewStatus.APPROVED:
        raise SignatureAlreadyApproved("an approved signature cannot be modified")
    if draft.international != current.international:
        raise InvalidInput("International", "cannot change between domestic and international")
    draft = await _checked(store, documents, qualifications, tenant, draft, files, replacing=signature_id)
    draft = await _stored(documents, clock, tenant, draft, files)
    return await store.update(tenant_id=tenant.id, signature_id=signature_id, draft=draft, now=clock.now())


async def delete_signature(*, store: SignatureStore, clock: Clock, tenant_id: int, signature_id: int) -> datetime:
    """Delete a signature in any state; messages already sent keep their text."""
    now = clock.now()
    if not await store.delete(tenant_id=tenant_id, signature_id=signature_id, now=now):
        raise NotFound("signature", signature_id)
    return now


async def list_signatures(
    *,
    store: SignatureStore,
    tenant_id: int,
    international: bool | None = None,
    ids: Sequence[int] = (),
    limit: int | None = None,
    offset: int = 0,
) -> list[Signature]:
    return await store.of_tenant(tenant_id, international=international, ids=ids, limit=limit, offset=offset)


@dataclass(frozen=True, slots=True)
class _Files:
    """The files a request carries, not yet stored."""

    proof: Upload | None
    commission: Upload | None
    max_bytes: int


async def _checked(
    store: SignatureStore,
    documents: DocumentStore,
    qualifications: QualificationStore,
    tenant: Tenant,
    draft: SignatureDraft,
    files: _Files,
    *,
    replacing: int | None,
) -> SignatureDraft:
    """The draft, with its qualification, once every check but the limit has passed; stores nothing."""
    problems = Problems()
    problems.check(
        partial(
            check_draft, draft, proof_uploaded=files.proof is not None, commission_uploaded=files.commission is not None
        ),
        None,
    )
    for upload, field in ((files.proof, "ProofImage"), (files.commission, "CommissionImage")):
        if upload is not None and field not in problems:
            problems.check(partial(sniff_content_type, upload.data, field=field, max_bytes=files.max_bytes), None)
    problems.raise_any()
    # Document ids an upload replaces are not kept, so only the others need to be the tenant's.
    if files.proof is None:
        await _check_document(documents, tenant, draft.proof_document_id, DocumentPurpose.SIGN_PROOF, "ProofImage")
    if files.commission is None:
        await _check_document(
            documents, tenant, draft.commission_document_id, DocumentPurpose.COMMISSION, "CommissionImage"
        )
    if draft.qualification_id is not None:
        qualification = await qualifications.by_id(draft.qualification_id)
        if qualification is None or qualification.tenant_id != tenant.id:
            raise NotFound("qualification", draft.qualification_id)
        if qualification.status is not ReviewStatus.APPROVED:
            raise QualificationNotApproved("the qualification is not approved")
    elif not draft.international:
        approved = await qualifications.approved_of(tenant.id)
        if approved is not None:
            draft = replace(draft, qualification_id=approved.id)
    for existing in await store.named(tenant_id=tenant.id, name=draft.name, international=draft.international):
        if existing.id == replacing or existing.status is ReviewStatus.REJECTED:
            continue
        raise SignatureExists(draft.name, pending=existing.status is ReviewStatus.PENDING)
    return draft


async def _check_document(
    documents: DocumentStore, tenant: Tenant, document_id: int | None, purpose: DocumentPurpose, field: str
) -> None:
    if document_id is None:
        return
    document = await documents.get(document_id)
    if document is None or document.tenant_id != tenant.id or document.purpose is not purpose:
        raise InvalidInput(field, "no such document was uploaded")


async def _stored(
    documents: DocumentStore, clock: Clock, tenant: Tenant, draft: SignatureDraft, files: _Files
) -> SignatureDraft:
    """The draft with its uploads stored as the tenant's documents; call only once every check has passed."""
    if files.proof is not None:
        proof = await _store(
            documents, clock, tenant, files.proof, DocumentPurpose.SIGN_PROOF, "ProofImage", files.max_bytes
        )
        draft = replace(draft, proof_document_id=proof)
    if files.commission is not None:
        commission = await _store(
            documents, clock, tenant, files.commission, DocumentPurpose.COMMISSION, "CommissionImage", files.max_bytes
        )
        draft = replace(draft, commission_document_id=commission)
    return draft


async def _store(
    documents: DocumentStore,
    clock: Clock,
    tenant: Tenant,
    upload: Upload,
    purpose: DocumentPurpose,
    field: str,
    max_bytes: int,
) -> int:
    document = await upload_document(
        store=documents,
        clock=clock,
        tenant_id=tenant.id,
        purpose=purpose,
        filename=upload.filename,
        data=upload.data,
        field=field,
        max_bytes=max_bytes,
    )
    return document.id
