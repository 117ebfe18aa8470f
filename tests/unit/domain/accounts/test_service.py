"""Creating tenants and issuing API keys."""

from __future__ import annotations

import re

import pytest

from smscloud.domain.accounts.model import ApiKeyStatus, TenantKind, TenantStatus
from smscloud.domain.accounts.service import DEFAULT_TIMEZONE, create_tenant, issue_api_key
from smscloud.domain.shared.clock import FixedClock
from smscloud.domain.shared.errors import InvalidInput
from tests.unit.domain.factories import NOW
from tests.unit.domain.fakes import FakeAccountStore


async def test_a_new_tenant_is_active_in_shanghai_time_by_default() -> None:
    store = FakeAccountStore()
    tenant = await create_tenant(store=store, clock=FixedClock(NOW), name="  Acme  ", kind=TenantKind.ENTERPRISE)
    assert tenant.name == "Acme"
    assert tenant.kind is TenantKind.ENTERPRISE
    assert tenant.status is TenantStatus.ACTIVE
    assert tenant.timezone == DEFAULT_TIMEZONE == "Asia/Shanghai"
    assert tenant.created_at == NOW
    assert store.tenants == [tenant]


async def test_a_tenant_may_have_another_time_zone() -> None:
    tenant = await create_tenant(
        store=FakeAccountStore(),
        clock=FixedClock(NOW),
        name="x",
        kind=TenantKind.INDIVIDUAL,
        timezone="Europe/Paris",
    )
    assert tenant.timezone == "Europe/Paris"


@pytest.mark.parametrize("name", ["", "   ", "x" * 129])
async def test_tenant_name_must_be_1_to_128_characters(name: str) -> None:
    store = FakeAccountStore()
    with pytest.raises(InvalidInput) as invalid:
        await create_tenant(store=store, clock=FixedClock(NOW), name=name, kind=TenantKind.INDIVIDUAL)
    assert invalid.value.field == "name"
    assert store.tenants == []


async def test_tenant_name_of_128_characters_is_fine() -> None:
    tenant = await create_tenant(
        store=FakeAccountStore(), clock=FixedClock(NOW), name="x" * 128, kind=TenantKind.INDIVIDUAL
    )
    assert len(tenant.name) == 128


@pytest.mark.parametrize("timezone", ["", "Mars/Olympus_Mons", "../etc/passwd", "Asia/Shanghai "])
async def test_an_unknown_time_zone_is_refused(timezone: str) -> None:
    # Sends and the 2019-07-11 pull API read the tenant's zone; an unknown one would fail them all.
    store = FakeAccountStore()
    with pytest.raises(InvalidInput) as invalid:
        await create_tenant(store=store, clock=FixedClock(NOW), name="x", kind=TenantKind.INDIVIDUAL, timezone=timezone)
    assert invalid.value.field == "timezone"
    assert store.tenants == []


async def test_api_keys_have_tencents_shape_and_are_distinct() -> None:
    store = FakeAccountStore()
    keys = [await issue_api_key(store=store, clock=FixedClock(NOW), tenant_id=4) for _ in range(50)]
    for key in keys:
        assert re.fullmatch(r"AKID[A-Za-z0-9]{32}", key.secret_id)
        assert re.fullmatch(r"[A-Za-z0-9]{32}", key.secret_key)
        assert key.tenant_id == 4
        assert key.status is ApiKeyStatus.ACTIVE and key.usable
        assert key.created_at == NOW
    assert len({k.secret_id for k in keys}) == 50
    assert len({k.secret_key for k in keys}) == 50
    assert store.keys == keys


def test_a_disabled_key_is_not_usable() -> None:
    from dataclasses import replace

    from smscloud.domain.accounts.model import ApiKey

    key = ApiKey(1, 1, "AKIDx", "secret", ApiKeyStatus.ACTIVE, NOW)
    assert key.usable
    assert not replace(key, status=ApiKeyStatus.DISABLED).usable
