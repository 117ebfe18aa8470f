"""Tenants and API keys in the database; SecretKeys encrypted at rest."""

from __future__ import annotations

import pytest
from sqlalchemy import Connection, select

from smscloud.adapters.crypto.fernet_box import SecretBoxError
from smscloud.adapters.storage import tables
from smscloud.adapters.storage.accounts import SqlAccountStore
from smscloud.domain.accounts.model import ApiKeyStatus, TenantKind, TenantStatus
from tests.support.builders import NOW, Builder, Stores, make_stores

pytestmark = pytest.mark.integration


async def test_a_tenant_round_trips(stores: Stores) -> None:
    tenant = await stores.accounts.add_tenant(name="Acme", kind=TenantKind.INDIVIDUAL, timezone="Europe/Paris", now=NOW)
    assert tenant.id > 0
    assert (tenant.name, tenant.kind, tenant.status, tenant.timezone, tenant.created_at) == (
        "Acme",
        TenantKind.INDIVIDUAL,
        TenantStatus.ACTIVE,
        "Europe/Paris",
        NOW,
    )
    assert await stores.accounts.tenant_named("Acme") == tenant
    assert await stores.accounts.tenant_named("acme") is None


async def test_tenant_named_finds_the_oldest_of_a_name(stores: Stores) -> None:
    first = await stores.accounts.add_tenant(name="dup", kind=TenantKind.ENTERPRISE, timezone="UTC", now=NOW)
    await stores.accounts.add_tenant(name="dup", kind=TenantKind.ENTERPRISE, timezone="UTC", now=NOW)
    assert await stores.accounts.tenant_named("dup") == first


async def test_api_keys_round_trip_and_are_encrypted_at_rest(stores: Stores, build: Builder) -> None:
    tenant = await build.tenant()
    other = await build.tenant()
    key = await stores.accounts.add_api_key(
        tenant_id=tenant.id, secret_id="AKIDone", secret_key="plain-secret-key", now=NOW
    )
    second = await build.api_key(tenant.id)
    await build.api_key(other.id)

    assert (key.secret_id, key.secret_key, key.status, key.tenant_id) == (
        "AKIDone",
        "plain-secret-key",
        ApiKeyStatus.ACTIVE,
        tenant.id,
    )
    assert await stores.accounts.api_keys_of(tenant.id) == [key, second]

    def raw(conn: Connection) -> str:
        k = tables.api_key
        return str(conn.execute(select(k.c.secret_key_enc).where(k.c.id == key.id)).scalar_one())

    stored = await stores.db.read(raw)
    assert "plain-secret-key" not in stored
    assert stores.box.open(stored) == "plain-secret-key"


async def test_secret_ids_are_unique(stores: Stores, build: Builder) -> None:
    tenant = await build.tenant()
    await stores.accounts.add_api_key(tenant_id=tenant.id, secret_id="AKIDsame", secret_key="a", now=NOW)
    with pytest.raises(Exception, match=r"(?i)unique|duplicate"):
        await stores.accounts.add_api_key(tenant_id=tenant.id, secret_id="AKIDsame", secret_key="b", now=NOW)


async def test_keys_cannot_be_read_with_another_fernet_key(stores: Stores, build: Builder) -> None:
    tenant = await build.tenant()
    await build.api_key(tenant.id)
    stranger = SqlAccountStore(stores.db, make_stores(stores.db).box)
    with pytest.raises(SecretBoxError):
        await stranger.api_keys_of(tenant.id)
