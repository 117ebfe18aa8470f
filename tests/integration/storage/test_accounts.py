"""Tenants, their profiles and API keys in the database; SecretKeys encrypted at rest; a tenant never
changes another's keys."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import Connection, func, select

from smscloud.adapters.crypto.fernet_box import SecretBoxError
from smscloud.adapters.storage import tables
from smscloud.adapters.storage.accounts import SqlAccountStore
from smscloud.domain.accounts.model import ApiKeyStatus, TenantKind, TenantProfile, TenantStatus
from smscloud.domain.shared.errors import NotFound
from tests.support.builders import NOW, Builder, Stores, make_stores

pytestmark = pytest.mark.integration


async def test_a_tenant_round_trips(stores: Stores) -> None:
    tenant = await stores.accounts.add_tenant(name="Acme", kind=TenantKind.INDIVIDUAL, timezone="Europe/Paris", now=NOW)
    assert tenant.id > 0
    assert (tenant.name, tenant.kind, tenant.status, tenant.timezone, tenant.created_at, tenant.sms_enabled_at) == (
        "Acme",
        TenantKind.INDIVIDUAL,
        TenantStatus.ACTIVE,
        "Europe/Paris",
        NOW,
        None,
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


# --- tenants --------------------------------------------------------------------------------------


async def test_tenant_finds_by_id(stores: Stores, build: Builder) -> None:
    tenant = await build.tenant()
    assert await stores.accounts.tenant(tenant.id) == tenant
    assert await stores.accounts.tenant(tenant.id + 100) is None


async def test_tenants_lists_newest_first_in_pages(stores: Stores, build: Builder) -> None:
    tenants = [await build.tenant() for _ in range(5)]
    newest_first = list(reversed(tenants))
    assert await stores.accounts.tenants(limit=10) == newest_first
    assert await stores.accounts.tenants(limit=2) == newest_first[:2]
    assert await stores.accounts.tenants(limit=2, offset=3) == newest_first[3:]


async def test_update_tenant_changes_only_that_tenant(stores: Stores, build: Builder) -> None:
    tenant = await build.tenant("小张", kind=TenantKind.INDIVIDUAL)
    other = await build.tenant("别人", kind=TenantKind.INDIVIDUAL)
    updated = await stores.accounts.update_tenant(tenant.id, name="张氏科技", kind=TenantKind.ENTERPRISE)
    assert updated == replace(tenant, name="张氏科技", kind=TenantKind.ENTERPRISE)
    assert await stores.accounts.tenant(tenant.id) == updated
    assert await stores.accounts.tenant(other.id) == other


async def test_updating_an_unknown_tenant_is_not_found(stores: Stores) -> None:
    with pytest.raises(NotFound):
        await stores.accounts.update_tenant(999, name="x", kind=TenantKind.ENTERPRISE)
    with pytest.raises(NotFound):
        await stores.accounts.enable_sms(999, now=NOW)


async def test_enable_sms_keeps_the_first_time(stores: Stores, build: Builder) -> None:
    tenant = await build.tenant()
    other = await build.tenant()
    assert not tenant.sms_enabled
    enabled = await stores.accounts.enable_sms(tenant.id, now=NOW)
    assert enabled == replace(tenant, sms_enabled_at=NOW) and enabled.sms_enabled
    again = await stores.accounts.enable_sms(tenant.id, now=NOW + timedelta(days=1))
    assert again.sms_enabled_at == NOW
    assert await stores.accounts.tenant(tenant.id) == enabled
    assert await stores.accounts.tenant(other.id) == other


# --- profile --------------------------------------------------------------------------------------


def profile(tenant_id: int, **changes: object) -> TenantProfile:
    base = TenantProfile(
        tenant_id=tenant_id,
        contact_name="张三",
        contact_phone="13800000000",
        contact_email="zhang@example.com",
        address="深圳市南山区",
        updated_at=NOW,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


async def test_a_profile_is_saved_then_replaced(stores: Stores, build: Builder) -> None:
    tenant = await build.tenant()
    other = await build.tenant()
    assert await stores.accounts.profile_of(tenant.id) is None

    first = profile(tenant.id)
    assert await stores.accounts.save_profile(first) == first
    assert await stores.accounts.profile_of(tenant.id) == first

    second = profile(tenant.id, contact_name="李四", address="", updated_at=NOW + timedelta(hours=1))
    assert await stores.accounts.save_profile(second) == second
    assert await stores.accounts.profile_of(tenant.id) == second
    assert await stores.accounts.profile_of(other.id) is None

    def count(conn: Connection) -> int:
        p = tables.tenant_profile
        return int(conn.execute(select(func.count()).select_from(p)).scalar_one())

    assert await stores.db.read(count) == 1


async def test_profiles_are_per_tenant(stores: Stores, build: Builder) -> None:
    tenant = await build.tenant()
    other = await build.tenant()
    mine = await stores.accounts.save_profile(profile(tenant.id))
    theirs = await stores.accounts.save_profile(profile(other.id, contact_name="王五"))
    assert await stores.accounts.profile_of(tenant.id) == mine
    assert await stores.accounts.profile_of(other.id) == theirs


# --- API keys -------------------------------------------------------------------------------------


async def test_a_key_is_disabled_and_enabled_again(stores: Stores, build: Builder) -> None:
    tenant = await build.tenant()
    key = await build.api_key(tenant.id)
    disabled = await stores.accounts.set_api_key_status(
        tenant_id=tenant.id, key_id=key.id, status=ApiKeyStatus.DISABLED
    )
    assert disabled == replace(key, status=ApiKeyStatus.DISABLED)
    assert await stores.accounts.api_keys_of(tenant.id) == [disabled]
    enabled = await stores.accounts.set_api_key_status(tenant_id=tenant.id, key_id=key.id, status=ApiKeyStatus.ACTIVE)
    assert enabled == key


async def test_a_key_is_deleted_once(stores: Stores, build: Builder) -> None:
    tenant = await build.tenant()
    key = await build.api_key(tenant.id)
    kept = await build.api_key(tenant.id)
    assert await stores.accounts.delete_api_key(tenant_id=tenant.id, key_id=key.id) is True
    assert await stores.accounts.api_keys_of(tenant.id) == [kept]
    assert await stores.accounts.delete_api_key(tenant_id=tenant.id, key_id=key.id) is False
    assert (
        await stores.accounts.set_api_key_status(tenant_id=tenant.id, key_id=key.id, status=ApiKeyStatus.ACTIVE) is None
    )


async def test_another_tenant_can_neither_change_nor_delete_a_key(stores: Stores, build: Builder) -> None:
    owner = await build.tenant()
    stranger = await build.tenant()
    key = await build.api_key(owner.id)
    assert await stores.accounts.api_keys_of(stranger.id) == []
    assert (
        await stores.accounts.set_api_key_status(tenant_id=stranger.id, key_id=key.id, status=ApiKeyStatus.DISABLED)
        is None
    )
    assert await stores.accounts.delete_api_key(tenant_id=stranger.id, key_id=key.id) is False
    assert await stores.accounts.api_keys_of(owner.id) == [key]  # untouched
