"""Applications.

Every method is scoped to one tenant: the tenant id is part of each WHERE clause, so another
tenant's application is neither found nor changed, whatever its id.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from smscloud.adapters.storage import mappers, tables
from smscloud.adapters.storage.database import Database
from smscloud.domain.apps.model import Application, AppStatus
from smscloud.domain.shared.secrets import SecretBox

__all__ = ["SqlAppStore"]

_a = tables.application


class SqlAppStore:
    """`AppStore` over the application table; AppKeys are sealed with `box` at rest."""

    def __init__(self, db: Database, box: SecretBox) -> None:
        self._db = db
        self._box = box

    async def add(self, *, tenant_id: int, sdk_app_id: str, name: str, app_key: str, now: datetime) -> Application:
        sealed = self._box.seal(app_key)

        def job(conn: Connection) -> Any:
            return conn.execute(
                insert(_a)
                .values(
                    tenant_id=tenant_id,
                    sdk_app_id=sdk_app_id,
                    name=name,
                    app_key_enc=sealed,
                    status=AppStatus.ACTIVE.value,
                    created_at=now,
                )
                .returning(*_a.c)
            ).one()

        return mappers.to_application(await self._db.write(job), self._box)

    async def of_tenant(self, tenant_id: int) -> list[Application]:
        def job(conn: Connection) -> list[Application]:
            rows = conn.execute(select(_a).where(_a.c.tenant_id == tenant_id).order_by(_a.c.id)).all()
            return [mappers.to_application(row, self._box) for row in rows]

        return await self._db.read(job)

    async def get(self, *, tenant_id: int, app_id: int) -> Application | None:
        def job(conn: Connection) -> Application | None:
            row = conn.execute(select(_a).where(_a.c.id == app_id, _a.c.tenant_id == tenant_id)).first()
            return None if row is None else mappers.to_application(row, self._box)

        return await self._db.read(job)

    async def set_app_key(self, *, tenant_id: int, app_id: int, app_key: str, now: datetime) -> Application | None:
        """Replace the AppKey and note when; None when the tenant has no such application."""
        sealed = self._box.seal(app_key)
        return await self._update(tenant_id, app_id, app_key_enc=sealed, app_key_rotated_at=now)

    async def set_status(self, *, tenant_id: int, app_id: int, status: AppStatus) -> Application | None:
        """None when the tenant has no such application."""
        return await self._update(tenant_id, app_id, status=status.value)

    async def _update(self, tenant_id: int, app_id: int, **values: Any) -> Application | None:
        def job(conn: Connection) -> Any:
            return conn.execute(
                update(_a).where(_a.c.id == app_id, _a.c.tenant_id == tenant_id).values(**values).returning(*_a.c)
            ).first()

        row = await self._db.write(job)
        return None if row is None else mappers.to_application(row, self._box)
