"""The console's send records (发送记录): a tenant's messages, read from the message table."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, select

from smscloud.adapters.storage import mappers, tables
from smscloud.adapters.storage.database import Database
from smscloud.domain.messages.model import MessageRecord, MessageStatus

__all__ = ["SqlMessageHistory"]

_m = tables.message
_COLUMNS = (
    _m.c.id,
    _m.c.serial_no,
    _m.c.app_id,
    _m.c.phone,
    _m.c.sign_name,
    _m.c.template_id,
    _m.c.content,
    _m.c.segments,
    _m.c.status,
    _m.c.error_code,
    _m.c.receipt_stat,
    _m.c.receipt_err,
    _m.c.created_at,
    _m.c.submitted_at,
    _m.c.done_at,
)


def _e164(phone: str) -> str:
    """The number as stored: E.164 with its "+" (accepted here with or without it)."""
    digits = phone.strip()
    return digits if digits.startswith("+") else "+" + digits


class SqlMessageHistory:
    """`MessageHistory` over the message table; every query is scoped to one tenant."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def records(
        self,
        *,
        tenant_id: int,
        phone: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        status: MessageStatus | None = None,
        limit: int,
        offset: int = 0,
    ) -> list[MessageRecord]:
        """Newest first. `phone` matches the whole number; `since <= created_at < until`."""

        def job(conn: Connection) -> list[MessageRecord]:
            query = (
                select(*_COLUMNS)
                .where(_m.c.tenant_id == tenant_id)
                .order_by(_m.c.created_at.desc(), _m.c.id.desc())
                .limit(limit)
                .offset(offset)
            )
            if phone is not None and phone.strip():
                query = query.where(_m.c.phone == _e164(phone))
            if since is not None:
                query = query.where(_m.c.created_at >= since)
            if until is not None:
                query = query.where(_m.c.created_at < until)
            if status is not None:
                query = query.where(_m.c.status == status.value)
            return [mappers.to_message_record(row) for row in conn.execute(query).all()]

        return await self._db.read(job)

    async def record(self, *, tenant_id: int, serial_no: str) -> MessageRecord | None:
        """The tenant's message with this SerialNo; None for another tenant's."""

        def job(conn: Connection) -> MessageRecord | None:
            row = conn.execute(
                select(*_COLUMNS).where(_m.c.serial_no == serial_no, _m.c.tenant_id == tenant_id)
            ).first()
            return None if row is None else mappers.to_message_record(row)

        return await self._db.read(job)
