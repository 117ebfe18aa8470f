"""The audit log: who decided what, and when. Entries are only ever added."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, insert, select

from smscloud.adapters.storage import mappers, tables
from smscloud.adapters.storage.database import Database
from smscloud.domain.audit.model import Actor, AuditEntry, AuditNote

__all__ = ["SqlAuditLog", "add_audit_entry"]

_a = tables.audit_log


def add_audit_entry(conn: Connection, note: AuditNote, *, subject_id: int | None = None) -> None:
    """Write `note` inside the caller's transaction (a store recording a change with its entry);
    `subject_id` fills in a note that leaves it to the store (the id of a row just added)."""
    conn.execute(
        insert(_a).values(
            at=note.at,
            actor_kind=note.actor.kind.value,
            actor_id=note.actor.id,
            action=note.action,
            subject_kind=note.subject_kind,
            subject_id=note.subject_id if note.subject_id is not None else subject_id,
            tenant_id=note.tenant_id,
            detail=note.detail,
        )
    )


class SqlAuditLog:
    """`AuditLog` over the audit_log table."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def record(
        self,
        *,
        actor: Actor,
        action: str,
        subject_kind: str,
        subject_id: int | None,
        tenant_id: int | None,
        detail: str,
        now: datetime,
    ) -> None:
        note = AuditNote(actor, action, subject_kind, subject_id, tenant_id, detail, now)
        await self._db.write(lambda conn: add_audit_entry(conn, note))

    async def recent(
        self, *, limit: int, offset: int = 0, tenant_id: int | None = None, subject_kind: str | None = None
    ) -> list[AuditEntry]:
        """Newest first (by time, then by order of recording)."""

        def job(conn: Connection) -> list[AuditEntry]:
            query = select(_a).order_by(_a.c.at.desc(), _a.c.id.desc()).limit(limit).offset(offset)
            if tenant_id is not None:
                query = query.where(_a.c.tenant_id == tenant_id)
            if subject_kind is not None:
                query = query.where(_a.c.subject_kind == subject_kind)
            return [mappers.to_audit_entry(row) for row in conn.execute(query).all()]

        return await self._db.read(job)
