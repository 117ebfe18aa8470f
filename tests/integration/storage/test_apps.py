"""Applications in the database; AppKeys encrypted at rest; a tenant never sees or changes another's."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import Connection, select

from smscloud.adapters.storage import tables
from smscloud.domain.apps.model import AppStatus
from tests.support.builders import NOW, Builder, Stores, table_row

pytestmark = pytest.mark.integration


async def test_an_application_round_trips_with_its_key_encrypted(stores: Stores, build: Builder) -> None:
    tenant = await build.tenant()
    app = await stores.apps.add(tenant_id=tenant.id, sdk_app_id="1400000123", name="shop", app_key="k" * 32, now=NOW)
    assert (app.tenant_id, app.sdk_app_id, app.name, app.app_key, app.status, app.created_at) == (
        tenant.id,
        "1400000123",
        "shop",
        "k" * 32,
        AppStatus.ACTIVE,
        NOW,
    )

    def raw(conn: Connection) -> str:
        a = tables.application
        return str(conn.execute(select(a.c.app_key_enc).where(a.c.id == app.id)).scalar_one())

    stored = await stores.db.read(raw)
    assert "k" * 32 not in stored
    assert stores.box.open(stored) == "k" * 32


async def test_of_tenant_lists_only_that_tenants_apps_in_order(stores: Stores, build: Builder) -> None:
    tenant = await build.tenant()
    other = await build.tenant()
    first = await build.app(tenant.id, "a")
    await build.app(other.id, "b")
    second = await build.app(tenant.id, "c")
    assert await stores.apps.of_tenant(tenant.id) == [first, second]
    assert await stores.apps.of_tenant(tenant.id + other.id + 100) == []


async def test_sdk_app_ids_are_unique(stores: Stores, build: Builder) -> None:
    tenant = await build.tenant()
    await stores.apps.add(tenant_id=tenant.id, sdk_app_id="1400000001", name="a", app_key="x", now=NOW)
    with pytest.raises(Exception, match=r"(?i)unique|duplicate"):
        await stores.apps.add(tenant_id=tenant.id, sdk_app_id="1400000001", name="b", app_key="y", now=NOW)


async def test_get_finds_the_tenants_application(stores: Stores, build: Builder) -> None:
    tenant = await build.tenant()
    app = await build.app(tenant.id)
    assert await stores.apps.get(tenant_id=tenant.id, app_id=app.id) == app
    assert await stores.apps.get(tenant_id=tenant.id, app_id=app.id + 100) is None


async def test_set_app_key_replaces_the_key_and_notes_when(stores: Stores, build: Builder) -> None:
    tenant = await build.tenant()
    app = await build.app(tenant.id)
    rotated_at = NOW + timedelta(days=3)
    rotated = await stores.apps.set_app_key(tenant_id=tenant.id, app_id=app.id, app_key="n" * 32, now=rotated_at)
    assert rotated == replace(app, app_key="n" * 32)
    assert await stores.apps.get(tenant_id=tenant.id, app_id=app.id) == rotated
    row = await table_row(stores.db, tables.application, app.id)
    assert row.app_key_rotated_at == rotated_at
    assert "n" * 32 not in row.app_key_enc


async def test_set_status_disables_and_enables(stores: Stores, build: Builder) -> None:
    tenant = await build.tenant()
    app = await build.app(tenant.id)
    disabled = await stores.apps.set_status(tenant_id=tenant.id, app_id=app.id, status=AppStatus.DISABLED)
    assert disabled == replace(app, status=AppStatus.DISABLED) and not disabled.enabled
    enabled = await stores.apps.set_status(tenant_id=tenant.id, app_id=app.id, status=AppStatus.ACTIVE)
    assert enabled == app


async def test_another_tenant_can_neither_see_nor_change_an_application(stores: Stores, build: Builder) -> None:
    owner = await build.tenant()
    stranger = await build.tenant()
    app = await build.app(owner.id)
    assert await stores.apps.get(tenant_id=stranger.id, app_id=app.id) is None
    assert await stores.apps.of_tenant(stranger.id) == []
    assert await stores.apps.set_app_key(tenant_id=stranger.id, app_id=app.id, app_key="stolen", now=NOW) is None
    assert await stores.apps.set_status(tenant_id=stranger.id, app_id=app.id, status=AppStatus.DISABLED) is None

    assert await stores.apps.get(tenant_id=owner.id, app_id=app.id) == app  # untouched
    row = await table_row(stores.db, tables.application, app.id)
    assert row.app_key_rotated_at is None
