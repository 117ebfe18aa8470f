"""Enterprise qualification submissions; the newest of a tenant (highest id) is its current one."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from smscloud.adapters.storage import mappers, tables
from smscloud.adapters.storage.audit import add_audit_entry
from smscloud.adapters.storage.database import Database
from smscloud.adapters.storage.sql import breaks_unique_index
from smscloud.domain.accounts.model import TenantKind
from smscloud.domain.audit.model import AuditNote
from smscloud.domain.qualification.model import Qualification
from smscloud.domain.shared.errors import Conflict
from smscloud.domain.shared.review import ReviewStatus

__all__ = ["SqlQualificationStore"]

_q = tables.qualification
_t = tables.tenant
_pending = _q.c.status == ReviewStatus.PENDING.value


class SqlQualificationStore:
    """`QualificationStore` over the qualification table."""

    def __init__(self, db: Database) -> None:
        self._db = db

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
        """A pending submission; Conflict if the tenant has one in review or approved already.
        `noted` is recorded with it (its subject the new submission)."""
        values = {
            "tenant_id": tenant_id,
            "company_name": company_name,
            "credit_code": credit_code,
            "licence_document_id": licence_document_id,
            "contact_name": contact_name,
            "contact_phone": contact_phone,
            "status": ReviewStatus.PENDING.value,
            "review_reply": "",
            "submitted_at": now,
        }

        def job(conn: Connection) -> Any:
            row = conn.execute(insert(_q).values(values).returning(*_q.c)).one()
            if noted is not None:
                add_audit_entry(conn, noted, subject_id=row.id)
            return row

        try:
            return mappers.to_qualification(await self._db.write(job))
        except IntegrityError as error:
            # Another submission landed between the service's check and this write.
            if breaks_unique_index(error, "uq_qualification_live", "qualification.tenant_id"):
                raise Conflict("a qualification is already waiting for review or approved") from error
            raise

    async def by_id(self, qualification_id: int) -> Qualification | None:
        return await self._newest(_q.c.id == qualification_id)

    async def current_of(self, tenant_id: int) -> Qualification | None:
        """The tenant's newest submission."""
        return await self._newest(_q.c.tenant_id == tenant_id)

    async def approved_of(self, tenant_id: int) -> Qualification | None:
        """The tenant's newest approved submission."""
        return await self._newest((_q.c.tenant_id == tenant_id) & (_q.c.status == ReviewStatus.APPROVED.value))

    async def approved_elsewhere(self, *, credit_code: str, tenant_id: int) -> list[Qualification]:
        """Approved submissions of other tenants with this credit code, oldest first (a scan: one
        row or two per tenant, read when an operator opens a qualification)."""

        def job(conn: Connection) -> list[Qualification]:
            rows = conn.execute(
                select(_q)
                .where(
                    _q.c.credit_code == credit_code,
                    _q.c.tenant_id != tenant_id,
                    _q.c.status == ReviewStatus.APPROVED.value,
                )
                .order_by(_q.c.id)
            ).all()
            return [mappers.to_qualification(row) for row in rows]

        return await self._db.read(job)

    async def pending(self, *, limit: int, offset: int = 0) -> list[Qualification]:
        """What waits for review, oldest first."""

        def job(conn: Connection) -> list[Qualification]:
            rows = conn.execute(
                select(_q).where(_pending).order_by(_q.c.submitted_at, _q.c.id).limit(limit).offset(offset)
            ).all()
            return [mappers.to_qualification(row) for row in rows]

        return await self._db.read(job)

    async def count_pending(self) -> int:
        def job(conn: Connection) -> int:
            return int(conn.execute(select(func.count()).select_from(_q).where(_pending)).scalar_one())

        return await self._db.read(job)

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
        """Record the review of a pending submission; None if it is no longer pending. One
        conditional UPDATE, so of two operators deciding at once exactly one wins. In the same
        transaction: with `enterprise`, the tenant becomes an enterprise named after the company;
        `noted` is recorded."""

        def job(conn: Connection) -> Any:
            row = conn.execute(
                update(_q)
                .where(_q.c.id == qualification_id, _pending)
                .values(status=status.value, review_reply=reply, reviewed_at=now, reviewed_by=operator_id)
                .returning(*_q.c)
            ).first()
            if row is None:
                return None
            if enterprise:
                conn.execute(
                    update(_t)
                    .where(_t.c.id == row.tenant_id)
                    .values(name=row.company_name, kind=TenantKind.ENTERPRISE.value)
                )
            if noted is not None:
                add_audit_entry(conn, noted)
            return row

        row = await self._db.write(job)
        return None if row is None else mappers.to_qualification(row)

    async def _newest(self, where: ColumnElement[bool]) -> Qualification | None:
        def job(conn: Connection) -> Qualification | None:
            row = conn.execute(select(_q).where(where).order_by(_q.c.id.desc()).limit(1)).first()
            return None if row is None else mappers.to_qualification(row)

        return await self._db.read(job)
