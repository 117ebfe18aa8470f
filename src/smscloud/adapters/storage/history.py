"""The console's send records (发送记录): a tenant's messages, read from the message table; and the
operators' trace of messages across tenants."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, select

from smscloud.adapters.storage import mappers, tables
from smscloud.adapters.storage.database import Database
from smscloud.domain.messages.model import MessageRecord, MessageStatus, MessageTrace

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


_p = tables.message_part


class SqlMessageHistory:
    """`MessageHistory` over the message table; every query of the records is scoped to one
    tenant, the trace (operators only) to the filters it is given."""

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

    async def trace(
        self,
        *,
        phone: str | None = None,
        serial_no: str | None = None,
        tenant_id: int | None = None,
        carrier_msg_id: str | None = None,
        limit: int,
    ) -> list[MessageTrace]:
        """Newest first; every filter given must match. A carrier's message id is looked up whole
        (as written, or all in lower or upper case) for every carrier (the index leads with the
        carrier) on the message and on its parts."""
        if not (phone or serial_no or tenant_id is not None or carrier_msg_id):
            return []

        def job(conn: Connection) -> list[MessageTrace]:
            carrier = tables.carrier
            query = select(
                *_COLUMNS,
                _m.c.tenant_id,
                _m.c.carrier_id,
                _m.c.carrier_msg_id,
                _m.c.attempts,
                carrier.c.name.label("carrier_name"),
            ).select_from(_m.outerjoin(carrier, carrier.c.id == _m.c.carrier_id))
            if phone:
                query = query.where(_m.c.phone == _e164(phone))
            if serial_no:
                query = query.where(_m.c.serial_no == serial_no)
            if tenant_id is not None:
                query = query.where(_m.c.tenant_id == tenant_id)
            if carrier_msg_id:
                carriers = [row.id for row in conn.execute(select(carrier.c.id))]
                # As a carrier writes it, or in the other case (hex ids come in both).
                spellings = sorted({carrier_msg_id, carrier_msg_id.lower(), carrier_msg_id.upper()})
                whole = select(_m.c.id).where(_m.c.carrier_id.in_(carriers), _m.c.carrier_msg_id.in_(spellings))
                parts = select(_p.c.message_id).where(_p.c.carrier_id.in_(carriers), _p.c.carrier_msg_id.in_(spellings))
                ids = {row[0] for row in conn.execute(whole)} | {row[0] for row in conn.execute(parts)}
                query = query.where(_m.c.id.in_(ids))
            rows = conn.execute(query.order_by(_m.c.created_at.desc(), _m.c.id.desc()).limit(limit)).all()
            part_ids: dict[int, list[str]] = {}
            if rows:
                found = conn.execute(
                    select(_p.c.message_id, _p.c.carrier_msg_id)
                    .where(_p.c.message_id.in_([row.id for row in rows]))
                    .order_by(_p.c.message_id, _p.c.part_no)
                )
                for message_id, part_carrier_id in found:
                    part_ids.setdefault(message_id, []).append(part_carrier_id)
            return [
                MessageTrace(
                    record=mappers.to_message_record(row),
                    tenant_id=row.tenant_id,
                    carrier_id=row.carrier_id,
                    carrier=row.carrier_name or "",
                    carrier_msg_ids=tuple(part_ids.get(row.id) or ([row.carrier_msg_id] if row.carrier_msg_id else [])),
                    attempts=row.attempts,
                )
                for row in rows
            ]

        return await self._db.read(job)
