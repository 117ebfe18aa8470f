"""Bind reports: one row per carrier bind slot, rewritten by the sender holding the slot."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from smscloud.adapters.storage import tables
from smscloud.adapters.storage.database import Database
from smscloud.adapters.storage.mappers import to_reported_bind
from smscloud.domain.carriers.model import BindState, ReportedBind

__all__ = ["SqlBindReports"]

_b = tables.carrier_bind
_c = tables.carrier


class SqlBindReports:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def report(self, state: BindState, *, now: datetime) -> None:
        values = {
            "holder": state.holder[:128],
            "bound": state.bound,
            "since": state.since,
            "seen_at": now,
            "last_error": state.last_error[:255],
        }

        def job(conn: Connection) -> None:
            # One process holds a slot at a time (its lease), so update-then-insert cannot race.
            changed = conn.execute(
                update(_b).where(_b.c.carrier_id == state.carrier_id, _b.c.slot == state.slot).values(**values)
            ).rowcount
            if not changed:
                conn.execute(insert(_b).values(carrier_id=state.carrier_id, slot=state.slot, **values))

        await self._db.write(job)

    async def reported(self) -> list[ReportedBind]:
        """Every bind slot's last report, by carrier name and slot (slots of enabled carriers only)."""

        def job(conn: Connection) -> list[Any]:
            return list(
                conn.execute(
                    select(_c.c.name, _b)
                    .join(_c, _c.c.id == _b.c.carrier_id)
                    .where(_c.c.enabled.is_(True), _b.c.slot < _c.c.binds)
                    .order_by(_c.c.name, _b.c.slot)
                ).all()
            )

        return [to_reported_bind(row) for row in await self._db.read(job)]
