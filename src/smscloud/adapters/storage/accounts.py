"""Tenants, their profiles and API keys.

Tenant-scoped methods take the tenant id and match it in their WHERE clause: another tenant's
key is neither changed nor deleted, whatever its id.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from smscloud.adapters.storage import mappers, tables
from smscloud.adapters.storage.audit import add_audit_entry
from smscloud.adapters.storage.database import Database
from smscloud.domain.accounts.model import ApiKey, ApiKeyStatus, Tenant, TenantKind, TenantProfile, TenantStatus
from smscloud.domain.audit.model import AuditNote
from smscloud.domain.shared.errors import NotFound
from smscloud.domain.shared.secrets import SecretBox

__all__ = ["SqlAccountStore"]

_t = tables.tenant
_p = tables.tenant_profile
_k = tables.api_key


class SqlAccountStore:
    """`AccountStore` over the tenant, tenant_profile and api_key tables."""

    def __init__(self, db: Database, box: SecretBox) -> None:
        self._db = db
        self._box = box

    # --- tenants --------------------------------------------------------------------------------

    async def add_tenant(self, *, name: str, kind: TenantKind, timezone: str, now: datetime) -> Tenant:
        def job(conn: Connection) -> Tenant:
            row = conn.execute(
                insert(_t)
                .values(
                    name=name,
                    kind=kind.value,
                    status=TenantStatus.ACTIVE.value,
                    timezone=timezone,
                    created_at=now,
                )
                .returning(*_t.c)
            ).one()
            return mappers.to_tenant(row)

        return await self._db.write(job)

    async def tenant_named(self, name: str) -> Tenant | None:
        def job(conn: Connection) -> Tenant | None:
            row = conn.execute(select(_t).where(_t.c.name == name).order_by(_t.c.id)).first()
            return None if row is None else mappers.to_tenant(row)

        return await self._db.read(job)

    async def tenant(self, tenant_id: int) -> Tenant | None:
        def job(conn: Connection) -> Tenant | None:
            row = conn.execute(select(_t).where(_t.c.id == tenant_id)).first()
            return None if row is None else mappers.to_tenant(row)

        return await self._db.read(job)

    async def tenants(self, *, limit: int, offset: int = 0) -> list[Tenant]:
        """Newest first, for operators."""

        def job(conn: Connection) -> list[Tenant]:
            rows = conn.execute(select(_t).order_by(_t.c.id.desc()).limit(limit).offset(offset)).all()
            return [mappers.to_tenant(row) for row in rows]

        return await self._db.read(job)

    async def update_tenant(self, tenant_id: int, *, name: str, kind: TenantKind) -> Tenant:
        """Raises NotFound when there is no such tenant."""

        def job(conn: Connection) -> Any:
            return conn.execute(
                update(_t).where(_t.c.id == tenant_id).values(name=name, kind=kind.value).returning(*_t.c)
            ).first()

        row = await self._db.write(job)
        if row is None:
            raise NotFound("tenant", tenant_id)
        return mappers.to_tenant(row)

    async def set_tenant_status(
        self, tenant_id: int, status: TenantStatus, *, noted: AuditNote | None = None
    ) -> Tenant:
        """Recorded with `noted` in the same transaction; raises NotFound when there is no such tenant."""

        def job(conn: Connection) -> Any:
            row = conn.execute(
                update(_t).where(_t.c.id == tenant_id).values(status=status.value).returning(*_t.c)
            ).first()
            if row is not None and noted is not None:
                add_audit_entry(conn, noted)
            return row

        row = await self._db.write(job)
        if row is None:
            raise NotFound("tenant", tenant_id)
        return mappers.to_tenant(row)

    async def enable_sms(self, tenant_id: int, *, now: datetime, noted: AuditNote | None = None) -> Tenant:
        """Set when the tenant applied for SMS; the first time is kept, and recorded with `noted` in
        the same transaction. Raises NotFound when there is no such tenant."""

        def job(conn: Connection) -> Any:
            enabled = conn.execute(
                update(_t).where(_t.c.id == tenant_id, _t.c.sms_enabled_at.is_(None)).values(sms_enabled_at=now)
            )
            if enabled.rowcount == 1 and noted is not None:
                add_audit_entry(conn, noted)
            return conn.execute(select(_t).where(_t.c.id == tenant_id)).first()

        row = await self._db.write(job)
        if row is None:
            raise NotFound("tenant", tenant_id)
        return mappers.to_tenant(row)

    # --- profile --------------------------------------------------------------------------------

    async def profile_of(self, tenant_id: int) -> TenantProfile | None:
        def job(conn: Connection) -> TenantProfile | None:
            row = conn.execute(select(_p).where(_p.c.tenant_id == tenant_id)).first()
            return None if row is None else mappers.to_tenant_profile(row)

        return await self._db.read(job)

    async def save_profile(self, profile: TenantProfile) -> TenantProfile:
        """Insert or replace the tenant's profile (one statement: INSERT … ON CONFLICT DO UPDATE)."""
        values = {
            "tenant_id": profile.tenant_id,
            "contact_name": profile.contact_name,
            "contact_phone": profile.contact_phone,
            "contact_email": profile.contact_email,
            "address": profile.address,
            "updated_at": profile.updated_at,
        }

        def job(conn: Connection) -> Any:
            dialect_insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
            statement = dialect_insert(_p).values(values)
            statement = statement.on_conflict_do_update(
                index_elements=[_p.c.tenant_id],
                set_={name: statement.excluded[name] for name in values if name != "tenant_id"},
            )
            return conn.execute(statement.returning(*_p.c)).one()

        return mappers.to_tenant_profile(await self._db.write(job))

    # --- API keys -------------------------------------------------------------------------------

    async def add_api_key(self, *, tenant_id: int, secret_id: str, secret_key: str, now: datetime) -> ApiKey:
        sealed = self._box.seal(secret_key)

        def job(conn: Connection) -> Any:
            return conn.execute(
                insert(_k)
                .values(
                    tenant_id=tenant_id,
                    secret_id=secret_id,
                    secret_key_enc=sealed,
                    status=ApiKeyStatus.ACTIVE.value,
                    created_at=now,
                )
                .returning(*_k.c)
            ).one()

        return mappers.to_api_key(await self._db.write(job), self._box)

    async def api_keys_of(self, tenant_id: int) -> list[ApiKey]:
        def job(conn: Connection) -> list[ApiKey]:
            rows = conn.execute(select(_k).where(_k.c.tenant_id == tenant_id).order_by(_k.c.id)).all()
            return [mappers.to_api_key(row, self._box) for row in rows]

        return await self._db.read(job)

    async def set_api_key_status(self, *, tenant_id: int, key_id: int, status: ApiKeyStatus) -> ApiKey | None:
        """None when the tenant has no such key."""

        def job(conn: Connection) -> Any:
            return conn.execute(
                update(_k)
                .where(_k.c.id == key_id, _k.c.tenant_id == tenant_id)
                .values(status=status.value)
                .returning(*_k.c)
            ).first()

        row = await self._db.write(job)
        return None if row is None else mappers.to_api_key(row, self._box)

    async def delete_api_key(self, *, tenant_id: int, key_id: int) -> bool:
        """False when the tenant has no such key."""

        def job(conn: Connection) -> bool:
            result = conn.execute(delete(_k).where(_k.c.id == key_id, _k.c.tenant_id == tenant_id))
            return result.rowcount == 1

        return await self._db.write(job)
