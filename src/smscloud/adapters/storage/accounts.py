"""Tenants and API keys."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, insert, select

from smscloud.adapters.storage import mappers, tables
from smscloud.adapters.storage.database import Database
from smscloud.domain.accounts.model import ApiKey, ApiKeyStatus, Tenant, TenantKind, TenantStatus
from smscloud.domain.shared.secrets import SecretBox

__all__ = ["SqlAccountStore"]


class SqlAccountStore:
    def __init__(self, db: Database, box: SecretBox) -> None:
        self._db = db
        self._box = box

    async def add_tenant(self, *, name: str, kind: TenantKind, timezone: str, now: datetime) -> Tenant:
        def job(conn: Connection) -> Tenant:
            row = conn.execute(
                insert(tables.tenant)
                .values(
                    name=name,
                    kind=kind.value,
                    status=TenantStatus.ACTIVE.value,
                    timezone=timezone,
                    created_at=now,
                )
                .returning(*tables.tenant.c)
            ).one()
            return mappers.to_tenant(row)

        return await self._db.write(job)

    async def tenant_named(self, name: str) -> Tenant | None:
        def job(conn: Connection) -> Tenant | None:
            row = conn.execute(
                select(tables.tenant).where(tables.tenant.c.name == name).order_by(tables.tenant.c.id)
            ).first()
            return None if row is None else mappers.to_tenant(row)

        return await self._db.read(job)

    async def add_api_key(self, *, tenant_id: int, secret_id: str, secret_key: str, now: datetime) -> ApiKey:
        sealed = self._box.seal(secret_key)

        def job(conn: Connection) -> ApiKey:
            row = conn.execute(
                insert(tables.api_key)
                .values(
                    tenant_id=tenant_id,
                    secret_id=secret_id,
                    secret_key_enc=sealed,
                    status=ApiKeyStatus.ACTIVE.value,
                    created_at=now,
                )
                .returning(*tables.api_key.c)
            ).one()
            return mappers.to_api_key(row, self._box)

        return await self._db.write(job)

    async def api_keys_of(self, tenant_id: int) -> list[ApiKey]:
        def job(conn: Connection) -> list[ApiKey]:
            k = tables.api_key
            rows = conn.execute(select(k).where(k.c.tenant_id == tenant_id).order_by(k.c.id)).all()
            return [mappers.to_api_key(row, self._box) for row in rows]

        return await self._db.read(job)
