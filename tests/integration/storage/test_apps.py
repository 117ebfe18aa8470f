"""Applications in the database; AppKeys encrypted at rest."""

from __future__ import annotations

import pytest
from sqlalchemy import Connection, select

from smscloud.adapters.storage import tables
from smscloud.domain.apps.model import AppStatus
from tests.support.builders import NOW, Builder, Stores

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
