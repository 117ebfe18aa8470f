"""Signatures."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, insert, select, update

from smscloud.adapters.storage import mappers, tables
from smscloud.adapters.storage.database import Database
from smscloud.domain.shared.errors import NotFound
from smscloud.domain.shared.review import ReviewStatus
from smscloud.domain.signatures.model import DocumentType, Signature, SignPurpose, SignType

__all__ = ["SqlSignatureStore"]

_s = tables.signature


class SqlSignatureStore:
    def __init__(self, db: Database) -> None:
        self._db = db

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
    ) -> Signature:
        def job(conn: Connection) -> Signature:
            row = conn.execute(
                insert(_s)
                .values(
                    tenant_id=tenant_id,
                    name=name,
                    international=international,
                    sign_type=int(sign_type),
                    document_type=int(document_type),
                    sign_purpose=int(sign_purpose),
                    remark=remark,
                    status=ReviewStatus.PENDING.value,
                    review_reply="",
                    created_at=now,
                    updated_at=now,
                )
                .returning(*_s.c)
            ).one()
            return mappers.to_signature(row)

        return await self._db.write(job)

    async def of_tenant(self, tenant_id: int) -> list[Signature]:
        def job(conn: Connection) -> list[Signature]:
            rows = conn.execute(
                select(_s).where(_s.c.tenant_id == tenant_id, _s.c.deleted_at.is_(None)).order_by(_s.c.id)
            ).all()
            return [mappers.to_signature(row) for row in rows]

        return await self._db.read(job)

    async def set_review(self, *, signature_id: int, status: ReviewStatus, reply: str, now: datetime) -> Signature:
        def job(conn: Connection) -> Signature:
            row = conn.execute(
                update(_s)
                .where(_s.c.id == signature_id, _s.c.deleted_at.is_(None))
                .values(status=status.value, review_reply=reply, updated_at=now)
                .returning(*_s.c)
            ).first()
            if row is None:
                raise NotFound("signature", signature_id)
            return mappers.to_signature(row)

        return await self._db.write(job)
