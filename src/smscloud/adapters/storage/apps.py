"""Applications."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, insert, select

from smscloud.adapters.storage import mappers, tables
from smscloud.adapters.storage.database import Database
from smscloud.domain.apps.model import Application, AppStatus
from smscloud.domain.shared.secrets import SecretBox

__all__ = ["SqlAppStore"]


class SqlAppStore:
    def __init__(self, db: Database, box: SecretBox) -> None:
        self._db = db
        self._box = box

    async def add(self, *, tenant_id: int, sdk_app_id: str, name: str, app_key: str, now: datetime) -> Application:
        sealed = self._box.seal(app_key)

        def job(conn: Connection) -> Application:
            row = conn.execute(
                insert(tables.application)
                .values(
                    tenant_id=tenant_id,
                    sdk_app_id=sdk_app_id,
                    name=name,
                    app_key_enc=sealed,
                    status=AppStatus.ACTIVE.value,
                    created_at=now,
                )
                .returning(*tables.application.c)
            ).one()
            return mappers.to_application(row, self._box)

        return await self._db.write(job)

    async def of_tenant(self, tenant_id: int) -> list[Application]:
        def job(conn: Connection) -> list[Application]:
            a = tables.application
            rows = conn.execute(select(a).where(a.c.tenant_id == tenant_id).order_by(a.c.id)).all()
            return [mappers.to_application(row, self._box) for row in rows]

        return await self._db.read(job)
