"""Carriers and routes, kept as typed rows (never pickled, never code)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from smscloud.adapters.storage import tables
from smscloud.adapters.storage.audit import add_audit_entry
from smscloud.adapters.storage.database import Database
from smscloud.domain.audit.model import AuditNote
from smscloud.domain.carriers.message_ids import ReceiptIds
from smscloud.domain.carriers.model import Carrier, CarrierRoute
from smscloud.domain.shared.errors import NotFound
from smscloud.domain.shared.secrets import SecretBox

__all__ = ["SqlCarrierStore"]

_c = tables.carrier
_r = tables.route


class SqlCarrierStore:
    def __init__(self, db: Database, box: SecretBox) -> None:
        self._db = db
        self._box = box

    def _to_carrier(self, row: Any) -> Carrier:
        return Carrier(
            id=row.id,
            name=row.name,
            protocol=row.protocol,
            host=row.host,
            port=row.port,
            system_id=row.system_id,
            password=self._box.open(row.password_enc),
            system_type=row.system_type,
            source_addr=row.source_addr,
            window=row.window,
            tps=row.tps,
            binds=row.binds,
            enabled=bool(row.enabled),
            receipt_ids=ReceiptIds(row.receipt_ids),
        )

    async def enabled(self) -> list[Carrier]:
        def job(conn: Connection) -> list[Carrier]:
            rows = conn.execute(select(_c).where(_c.c.enabled.is_(True)).order_by(_c.c.id)).all()
            return [self._to_carrier(row) for row in rows]

        return await self._db.read(job)

    async def all(self) -> list[Carrier]:
        def job(conn: Connection) -> list[Carrier]:
            return [self._to_carrier(row) for row in conn.execute(select(_c).order_by(_c.c.id)).all()]

        return await self._db.read(job)

    async def by_name(self, name: str) -> Carrier | None:
        def job(conn: Connection) -> Carrier | None:
            row = conn.execute(select(_c).where(_c.c.name == name)).first()
            return None if row is None else self._to_carrier(row)

        return await self._db.read(job)

    async def save(self, carrier: Carrier, *, now: datetime, noted: AuditNote | None = None) -> Carrier:
        values = {
            "name": carrier.name,
            "protocol": carrier.protocol,
            "host": carrier.host,
            "port": carrier.port,
            "system_id": carrier.system_id,
            "password_enc": self._box.seal(carrier.password),
            "system_type": carrier.system_type,
            "source_addr": carrier.source_addr,
            "window": carrier.window,
            "tps": carrier.tps,
            "binds": carrier.binds,
            "enabled": carrier.enabled,
            "receipt_ids": carrier.receipt_ids.value,
        }

        def job(conn: Connection) -> Carrier:
            existing = conn.execute(select(_c.c.id).where(_c.c.name == carrier.name)).scalar()
            if existing is None:
                row = conn.execute(insert(_c).values(**values, created_at=now).returning(*_c.c)).one()
            else:
                row = conn.execute(update(_c).where(_c.c.id == existing).values(**values).returning(*_c.c)).one()
            if noted is not None:
                add_audit_entry(conn, noted, subject_id=row.id)
            return self._to_carrier(row)

        return await self._db.write(job)

    async def set_enabled(self, carrier_id: int, enabled: bool, *, noted: AuditNote | None = None) -> Carrier:
        def job(conn: Connection) -> Any:
            row = conn.execute(update(_c).where(_c.c.id == carrier_id).values(enabled=enabled).returning(*_c.c)).first()
            if row is not None and noted is not None:
                add_audit_entry(conn, noted)
            return row

        row = await self._db.write(job)
        if row is None:
            raise NotFound("carrier", carrier_id)
        return self._to_carrier(row)

    async def ensure_route(self, *, prefix: str, carrier_id: int, priority: int = 0) -> None:
        def job(conn: Connection) -> None:
            found = conn.execute(select(_r.c.id).where(_r.c.prefix == prefix, _r.c.carrier_id == carrier_id)).scalar()
            if found is None:
                conn.execute(insert(_r).values(prefix=prefix, carrier_id=carrier_id, priority=priority, enabled=True))

        await self._db.write(job)

    async def set_route(self, *, prefix: str, carrier_id: int, priority: int, noted: AuditNote | None = None) -> None:
        def job(conn: Connection) -> None:
            mine = (_r.c.prefix == prefix) & (_r.c.carrier_id == carrier_id)
            if conn.execute(update(_r).where(mine).values(priority=priority, enabled=True)).rowcount == 0:
                conn.execute(insert(_r).values(prefix=prefix, carrier_id=carrier_id, priority=priority, enabled=True))
            if noted is not None:
                add_audit_entry(conn, noted)

        await self._db.write(job)

    async def remove_route(self, *, prefix: str, carrier_id: int, noted: AuditNote | None = None) -> bool:
        def job(conn: Connection) -> bool:
            gone = conn.execute(delete(_r).where(_r.c.prefix == prefix, _r.c.carrier_id == carrier_id)).rowcount == 1
            if gone and noted is not None:
                add_audit_entry(conn, noted)
            return gone

        return await self._db.write(job)

    async def routes(self) -> list[CarrierRoute]:
        def job(conn: Connection) -> list[CarrierRoute]:
            rows = conn.execute(
                select(_r.c.prefix, _c.c.name, _r.c.priority, _r.c.enabled)
                .join(_c, _c.c.id == _r.c.carrier_id)
                .order_by(_r.c.prefix, _c.c.name)
            ).all()
            return [CarrierRoute(row.prefix, row.name, row.priority, bool(row.enabled)) for row in rows]

        return await self._db.read(job)
