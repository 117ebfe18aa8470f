"""Signatures: the stored requests and their reviews.

The rows are `ReviewedRows` (adapters/storage/reviewed.py): tenant-scoped, soft-deleted, decided
by one conditional UPDATE.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError

from smscloud.adapters.storage import mappers, tables
from smscloud.adapters.storage.database import Database
from smscloud.adapters.storage.reviewed import ReviewedRows
from smscloud.adapters.storage.sql import breaks_unique_index
from smscloud.domain.audit.model import AuditNote
from smscloud.domain.shared.review import ReviewStatus
from smscloud.domain.signatures.errors import SignatureExists
from smscloud.domain.signatures.model import Signature, SignatureDraft

__all__ = ["SqlSignatureStore"]

_t = tables.signature


def _draft_values(draft: SignatureDraft) -> dict[str, Any]:
    return {
        "name": draft.name,
        "international": draft.international,
        "sign_type": int(draft.sign_type),
        "document_type": int(draft.document_type),
        "sign_purpose": int(draft.sign_purpose),
        "proof_document_id": draft.proof_document_id,
        "commission_document_id": draft.commission_document_id,
        "qualification_id": draft.qualification_id,
        "remark": draft.remark,
    }


class SqlSignatureStore:
    """`SignatureStore` over the signature table."""

    def __init__(self, db: Database) -> None:
        self._rows = ReviewedRows(db, _t, mappers.to_signature, "signature")

    async def add(self, *, tenant_id: int, draft: SignatureDraft, now: datetime) -> Signature:
        """A pending request; SignatureExists if a live one of the name landed since the service's check."""
        try:
            return await self._rows.add(tenant_id=tenant_id, values=_draft_values(draft), now=now)
        except IntegrityError as error:
            raise await self._exists(error, tenant_id, draft) from error

    async def get(self, *, tenant_id: int, signature_id: int) -> Signature | None:
        return await self._rows.get(tenant_id=tenant_id, item_id=signature_id)

    async def named(self, *, tenant_id: int, name: str, international: bool) -> list[Signature]:
        """Every live signature of the tenant with this name, oldest first."""
        return await self._rows.where(
            (_t.c.tenant_id == tenant_id) & (_t.c.name == name) & (_t.c.international == international)
        )

    async def of_tenant(
        self,
        tenant_id: int,
        *,
        international: bool | None = None,
        ids: Sequence[int] = (),
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Signature]:
        """Live signatures, oldest first; `ids` selects, else `limit`/`offset` page."""
        return await self._rows.of_tenant(tenant_id, international=international, ids=ids, limit=limit, offset=offset)

    async def count_of_tenant(self, tenant_id: int) -> int:
        return await self._rows.count_of_tenant(tenant_id)

    async def update(self, *, tenant_id: int, signature_id: int, draft: SignatureDraft, now: datetime) -> Signature:
        """Replace the request and put it back to review. Raises NotFound when the tenant has no
        such live signature."""
        try:
            return await self._rows.update(
                tenant_id=tenant_id, item_id=signature_id, values=_draft_values(draft), now=now
            )
        except IntegrityError as error:
            raise await self._exists(error, tenant_id, draft) from error

    async def _exists(self, error: IntegrityError, tenant_id: int, draft: SignatureDraft) -> Exception:
        """SignatureExists for a breach of the one-live-request-per-name index, else the error itself."""
        if not breaks_unique_index(error, "uq_signature_live_name", "signature.tenant_id, signature.name"):
            return error
        live = await self.named(tenant_id=tenant_id, name=draft.name, international=draft.international)
        return SignatureExists(draft.name, pending=not any(s.status is ReviewStatus.APPROVED for s in live))

    async def delete(self, *, tenant_id: int, signature_id: int, now: datetime) -> bool:
        """Soft-delete; False when the tenant has no such live signature."""
        return await self._rows.delete(tenant_id=tenant_id, item_id=signature_id, now=now)

    # --- operators ---

    async def by_id(self, signature_id: int) -> Signature | None:
        return await self._rows.by_id(signature_id)

    async def pending(self, *, limit: int, offset: int = 0) -> list[Signature]:
        """What waits for review, longest-waiting first (by when it was last submitted)."""
        return await self._rows.pending(limit=limit, offset=offset)

    async def count_pending(self) -> int:
        return await self._rows.count_pending()

    async def decide(
        self,
        *,
        signature_id: int,
        status: ReviewStatus,
        reply: str,
        reviewer_id: int | None,
        now: datetime,
        seen: datetime | None = None,
        noted: AuditNote | None = None,
    ) -> Signature | None:
        """Record the review of a pending signature; None if it is not pending (any more) or was
        modified since `seen`."""
        return await self._rows.decide(
            item_id=signature_id,
            status=status,
            reply=reply,
            reviewer_id=reviewer_id,
            now=now,
            seen=seen,
            noted=noted,
        )
