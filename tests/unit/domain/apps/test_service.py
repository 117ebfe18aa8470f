"""Applications: creating them, rotating the AppKey, disabling and enabling."""

from __future__ import annotations

import re

import pytest

from smscloud.domain.accounts.errors import SmsNotEnabled
from smscloud.domain.apps.model import AppStatus
from smscloud.domain.apps.service import (
    MAX_APPLICATIONS,
    create_application,
    rotate_app_key,
    set_application_enabled,
)
from smscloud.domain.shared.clock import FixedClock
from smscloud.domain.shared.errors import InvalidInput, NotFound
from tests.unit.domain import factories as f
from tests.unit.domain.factories import NOW
from tests.unit.domain.fakes import FakeAppStore

CLOCK = FixedClock(NOW)
ENABLED = f.tenant(sms_enabled_at=NOW)


async def test_a_new_application_is_active_with_tencent_shaped_ids() -> None:
    store = FakeAppStore()
    app = await create_application(store=store, clock=CLOCK, tenant=f.tenant(id=3, sms_enabled_at=NOW), name=" shop ")
    assert app.name == "shop"
    assert app.tenant_id == 3
    assert app.status is AppStatus.ACTIVE and app.enabled
    assert re.fullmatch(r"14[0-9]{8}", app.sdk_app_id)
    assert re.fullmatch(r"[0-9a-f]{32}", app.app_key)
    assert app.created_at == NOW
    assert store.apps == [app]


async def test_applications_get_distinct_ids_and_keys() -> None:
    store = FakeAppStore()
    apps = [await create_application(store=store, clock=CLOCK, tenant=ENABLED, name=f"a{n}") for n in range(50)]
    assert len({a.app_key for a in apps}) == 50
    assert len({a.sdk_app_id for a in apps}) > 45  # 10^8 possibilities: collisions are vanishingly rare


@pytest.mark.parametrize("name", ["", "  ", "n" * 129])
async def test_application_name_must_be_1_to_128_characters(name: str) -> None:
    store = FakeAppStore()
    with pytest.raises(InvalidInput) as invalid:
        await create_application(store=store, clock=CLOCK, tenant=ENABLED, name=name)
    assert invalid.value.field == "name"
    assert store.apps == []


@pytest.mark.parametrize("name", ["shop\x1b[2J", "shop\nfront", "\u202eshop"])
async def test_application_name_may_not_hold_control_characters(name: str) -> None:
    store = FakeAppStore()
    with pytest.raises(InvalidInput) as invalid:
        await create_application(store=store, clock=CLOCK, tenant=ENABLED, name=name)
    assert (invalid.value.field, invalid.value.reason) == ("name", "must not contain control characters")
    assert store.apps == []


async def test_no_application_before_the_account_has_applied_for_sms() -> None:
    store = FakeAppStore()
    with pytest.raises(SmsNotEnabled):
        await create_application(store=store, clock=CLOCK, tenant=f.tenant(sms_enabled_at=None), name="shop")
    assert store.apps == []


async def test_an_account_holds_at_most_max_applications() -> None:
    store = FakeAppStore()
    for n in range(MAX_APPLICATIONS):
        await create_application(store=store, clock=CLOCK, tenant=ENABLED, name=f"a{n}")
    with pytest.raises(InvalidInput):
        await create_application(store=store, clock=CLOCK, tenant=ENABLED, name="one too many")
    assert len(store.apps) == MAX_APPLICATIONS
    # The limit is per account: another tenant still may create one.
    other = f.tenant(id=f.OTHER_TENANT_ID, sms_enabled_at=NOW)
    assert (await create_application(store=store, clock=CLOCK, tenant=other, name="x")).tenant_id == other.id


async def test_rotating_gives_a_new_key_and_keeps_the_sdk_app_id() -> None:
    store = FakeAppStore()
    app = await create_application(store=store, clock=CLOCK, tenant=ENABLED, name="shop")
    rotated = await rotate_app_key(store=store, clock=CLOCK, tenant_id=f.TENANT_ID, app_id=app.id)
    assert rotated.app_key != app.app_key
    assert re.fullmatch(r"[0-9a-f]{32}", rotated.app_key)
    assert rotated.sdk_app_id == app.sdk_app_id
    assert store.apps == [rotated]


async def test_another_tenants_application_cannot_be_rotated() -> None:
    store = FakeAppStore()
    app = await create_application(store=store, clock=CLOCK, tenant=ENABLED, name="shop")
    with pytest.raises(NotFound):
        await rotate_app_key(store=store, clock=CLOCK, tenant_id=f.OTHER_TENANT_ID, app_id=app.id)
    assert store.apps == [app]


async def test_an_application_can_be_disabled_and_enabled_again() -> None:
    store = FakeAppStore()
    app = await create_application(store=store, clock=CLOCK, tenant=ENABLED, name="shop")
    disabled = await set_application_enabled(store=store, tenant_id=f.TENANT_ID, app_id=app.id, enabled=False)
    assert disabled.status is AppStatus.DISABLED and not disabled.enabled
    enabled = await set_application_enabled(store=store, tenant_id=f.TENANT_ID, app_id=app.id, enabled=True)
    assert enabled.status is AppStatus.ACTIVE
    assert enabled.app_key == app.app_key


@pytest.mark.parametrize(("tenant_id", "app_id"), [(f.OTHER_TENANT_ID, 1), (f.TENANT_ID, 99)])
async def test_switching_an_application_that_is_not_the_tenants_is_not_found(tenant_id: int, app_id: int) -> None:
    store = FakeAppStore()
    app = await create_application(store=store, clock=CLOCK, tenant=ENABLED, name="shop")
    assert app.id == 1
    with pytest.raises(NotFound):
        await set_application_enabled(store=store, tenant_id=tenant_id, app_id=app_id, enabled=False)
    assert store.apps == [app]
