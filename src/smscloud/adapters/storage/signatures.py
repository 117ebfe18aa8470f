"""Signatures.

Tenant-facing methods match the tenant id in their WHERE clause, so another tenant's signature
is neither found nor changed, whatever its id. Deleting is soft (`deleted_at`); a deleted
signature is gone for every method here (messages sent with it keep their text).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, func, insert, select, true, update

from smscloud.adapters.storage import mappers, tables
from smscloud.adapters.storage.database import Database
from smscloud.adapters.storage.sql import one_of
from smscloud.domain.shared.errors import NotFound
from smscloud.domain.shared.review import ReviewStatus
from smscloud.domain.signatures.model import Signature, SignatureDraft

__all__ = ["SqlSignatureStore"]

_s = tables.signature
_live = _s.c.deleted_at.is_(None)
_pending = _s.c.status == ReviewStatus.PENDING.value


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


def _mine(tenant_id: int, signature_id: int) -> ColumnElement[bool]:
    return (_s.c.id == signature_id) & (_s.c.tenant_id == tenant_id) & _live


class SqlSignatureStore:
    """`SignatureStore` over the signature table."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def add(self, *, tenant_id: int, draft: SignatureDraft, now: datetime) -> Signature:
        values = _draft_values(draft) | {
            "tenant_id": tenant_id,
            "status": ReviewStatus.PENDING.value,
            "review_reply": "",
            "created_at": now,
            "updated_at": now,
        }

        def job(conn: Connection) -> Any:
            return conn.execute(insert(_s).values(values).returning(*_s.c)).one()

        return mappers.to_signature(await self._db.write(job))

    async def get(self, *, tenant_id: int, signature_id: int) -> Signature | None:
        return await self._one(_mine(tenant_id, signature_id))

    async def named(self, *, tenant_id: int, name: str, international: bool) -> list[Signature]:
        """Every live signature of the tenant with this name, oldest first."""

        def job(conn: Connection) -> list[Signature]:
            rows = conn.execute(
                select(_s)
                .where(_s.c.tenant_id == tenant_id, _s.c.name == name, _s.c.international == international, _live)
                .order_by(_s.c.id)
            ).all()
            return [mappers.to_signature(row) for row in rows]

        return await self._db.read(job)

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

        def job(conn: Connection) -> list[Signature]:
            query = select(_s).where(_s.c.tenant_id == tenant_id, _live).order_by(_s.c.id)
            if international is not None:
                query = query.where(_s.c.international == international)
            if ids:
                query = query.where(one_of(_s.c.id, ids, postgres=conn.dialect.name == "postgresql"))
            else:
                query = query.limit(limit).offset(offset)
            return [mappers.to_signature(row) for row in conn.execute(query).all()]

        return await self._db.read(job)

    async def count_of_tenant(self, tenant_id: int) -> int:
        return await self._count(_s.c.tenant_id == tenant_id)

    async def update(self, *, tenant_id: int, signature_id: int, draft: SignatureDraft, now: datetime) -> Signature:
        """Replace the request and put it back to review: pending, without the last review's reply,
        time or reviewer. Raises NotFound when the tenant has no such live signature."""
        values = _draft_values(draft) | {
            "status": ReviewStatus.PENDING.value,
            "review_reply": "",
            "updated_at": now,
            "reviewed_at": None,
            "reviewed_by": None,
        }

        def job(conn: Connection) -> Any:
            return conn.execute(
                update(_s).where(_mine(tenant_id, signature_id)).values(values).returning(*_s.c)
            ).first()

        row = await self._db.write(job)
        if row is None:
            raise NotFound("signature", signature_id)
        return mappers.to_signature(row)

    async def delete(self, *, tenant_id: int, signature_id: int, now: datetime) -> bool:
        """Soft-delete; False when the tenant has no such live signature."""

        def job(conn: Connection) -> bool:
            result = conn.execute(update(_s).where(_mine(tenant_id, signature_id)).values(deleted_at=now))
            return result.rowcount == 1

        return await self._db.write(job)

    # --- operators ---

    async def by_id(self, signature_id: int) -> Signature | None:
        return await self._one((_s.c.id == signature_id) & _live)

    async def pending(self, *, limit: int, offset: int = 0) -> list[Signature]:
        """What waits for review, longest-waiting first (by when it was last submitted)."""

        def job(conn: Connection) -> list[Signature]:
            rows = conn.execute(
                select(_s).where(_pending, _live).order_by(_s.c.updated_at, _s.c.id).limit(limit).offset(offset)
            ).all()
            return [mappers.to_signature(row) for row in rows]

        return await self._db.read(job)

    async def count_pending(self) -> int:
        return await self._count(_pending)

    async def decide(
        self,
        *,
        signature_id: int,
        status: ReviewStatus,
        reply: str,
        reviewer_id: int | None,
        now: datetime,
        seen: datetime | None = None,
    ) -> Signature | None:
        """Record the review of a pending signature; None if it is not pending (any more).

        One conditional UPDATE, so of two reviewers deciding at once exactly one wins. (A pending
        request the customer modifies stays pending, so a decision taken on what the reviewer saw
        before still applies to it: the port carries no version to compare.)"""

        def job(conn: Connection) -> Any:
            return conn.execute(
                update(_s)
                .where(_s.c.id == signature_id, _pending, _live, true() if seen is None else _s.c.updated_at == seen)
                .values(status=status.value, review_reply=reply, reviewed_at=now, reviewed_by=reviewer_id)
                .returning(*_s.c)
            ).first()

        row = await self._db.write(job)
        return None if row is None else mappers.to_signature(row)

    async def _one(self, where: ColumnElement[bool]) -> Signature | None:
        def job(conn: Connection) -> Signature | None:
            row = conn.execute(select(_s).where(where)).first()
            return None if row is None else mappers.to_signature(row)

        return await self._db.read(job)

    async def _count(self, where: ColumnElement[bool]) -> int:
        def job(conn: Connection) -> int:
            return int(conn.execute(select(func.count()).select_from(_s).where(where, _live)).scalar_one())

        return await self._db.read(job)
