"""The send path's lookups: what they find, their short-lived cache, `invalidate()`."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import pytest

from smscloud.adapters.storage import catalog as catalog_module
from smscloud.adapters.storage.catalog import SqlCatalog
from smscloud.domain.accounts.model import ApiKeyStatus, TenantStatus
from smscloud.domain.apps.model import AppStatus
from smscloud.domain.messages.routing import Route
from smscloud.domain.shared.review import ReviewStatus
from tests.support.builders import Builder, Stores

pytestmark = pytest.mark.integration


def catalog(stores: Stores, ttl_s: float = 3600.0) -> SqlCatalog:
    return SqlCatalog(stores.db, stores.box, ttl_s=ttl_s)


async def approve(stores: Stores, template_id: int) -> None:
    decided = await stores.templates.decide(
        template_id=template_id, status=ReviewStatus.APPROVED, reply="", reviewer_id=None, now=stores.clock.now()
    )
    assert decided is not None


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The cache's monotonic clock, moved by hand: `clock[0] += 5`."""
    now = [1000.0]
    monkeypatch.setattr(catalog_module, "time", SimpleNamespace(monotonic=lambda: now[0]))
    return now


# --- what is found ------------------------------------------------------------------------------------


async def test_lookups_find_what_the_stores_created(stores: Stores, build: Builder) -> None:
    acme = await build.sender()
    cat = catalog(stores)

    key = await cat.api_key(acme.key.secret_id)
    assert key is not None
    assert (key.id, key.tenant_id, key.secret_key, key.status) == (
        acme.key.id,
        acme.tenant.id,
        acme.key.secret_key,
        ApiKeyStatus.ACTIVE,
    )
    assert await cat.tenant(acme.tenant.id) == acme.tenant
    assert await cat.application(acme.app.sdk_app_id) == acme.app
    assert await cat.template(acme.template.id) == acme.template
    assert await cat.signature(acme.tenant.id, acme.signature.name, False) == acme.signature
    assert await cat.routes() == (Route(prefix="", carrier_id=acme.carrier.id, priority=0),)


async def test_unknown_things_are_none(stores: Stores, build: Builder) -> None:
    acme = await build.sender()
    cat = catalog(stores)
    assert await cat.api_key("AKIDnope") is None
    assert await cat.tenant(acme.tenant.id + 100) is None
    assert await cat.application("1499999999") is None
    assert await cat.template(acme.template.id + 100) is None
    assert await cat.signature(acme.tenant.id, "没有", False) is None


async def test_signature_lookup_is_per_tenant_and_region(stores: Stores, build: Builder) -> None:
    acme = await build.sender()
    other = await build.tenant()
    cat = catalog(stores)
    assert await cat.signature(other.id, acme.signature.name, False) is None
    assert await cat.signature(acme.tenant.id, acme.signature.name, True) is None
    intl = await build.signature(acme.tenant.id, "Acme", international=True)
    assert await cat.signature(acme.tenant.id, "Acme", True) == intl
    assert await cat.signature(acme.tenant.id, "Acme", False) is None


async def test_an_approved_signature_wins_over_an_older_rejected_request_of_the_same_name(
    stores: Stores, build: Builder
) -> None:
    # (No other request of a name can be added beside an approved one.)
    tenant = await build.tenant()
    await build.signature(tenant.id, "同名", status=ReviewStatus.REJECTED)
    approved = await build.signature(tenant.id, "同名")
    assert await catalog(stores).signature(tenant.id, "同名", False) == approved


async def test_without_an_approved_one_the_oldest_request_is_found(stores: Stores, build: Builder) -> None:
    tenant = await build.tenant()
    oldest = await build.signature(tenant.id, "同名", status=ReviewStatus.REJECTED)
    await build.signature(tenant.id, "同名", status=ReviewStatus.PENDING)
    found = await catalog(stores).signature(tenant.id, "同名", False)
    assert found == oldest
    assert found is not None and not found.status.usable


async def test_routes_leave_out_disabled_routes_and_disabled_carriers(stores: Stores, build: Builder) -> None:
    a = await build.carrier()
    b = await build.carrier()
    off = await build.carrier(enabled=False)
    await build.route(a.id, "86", priority=2)
    await build.route(b.id, "1")
    await build.route(b.id, "44")
    await build.route(off.id, "")
    await build.disable_routes(b.id)
    await build.route(a.id, "")
    routes = await catalog(stores).routes()
    assert sorted(routes, key=lambda r: r.prefix) == [Route("", a.id, 0), Route("86", a.id, 2)]


async def test_no_routes_is_an_empty_sequence(stores: Stores) -> None:
    assert tuple(await catalog(stores).routes()) == ()


# --- the cache ----------------------------------------------------------------------------------------


async def test_a_cached_template_is_seen_approved_after_invalidate(stores: Stores, build: Builder) -> None:
    tenant = await build.tenant()
    template = await build.template(tenant.id, status=ReviewStatus.PENDING)
    cat = catalog(stores)
    cached = await cat.template(template.id)
    assert cached is not None and cached.status is ReviewStatus.PENDING

    await approve(stores, template.id)
    still = await cat.template(template.id)
    assert still is not None and still.status is ReviewStatus.PENDING  # cached

    cat.invalidate()
    fresh = await cat.template(template.id)
    assert fresh is not None and fresh.status is ReviewStatus.APPROVED


async def test_cached_entries_expire_after_the_ttl(stores: Stores, build: Builder, clock: list[float]) -> None:
    tenant = await build.tenant()
    template = await build.template(tenant.id, status=ReviewStatus.PENDING)
    cat = catalog(stores, ttl_s=2.0)
    await cat.template(template.id)
    await approve(stores, template.id)

    clock[0] += 1.9
    cached = await cat.template(template.id)
    assert cached is not None and cached.status is ReviewStatus.PENDING
    clock[0] += 0.2
    fresh = await cat.template(template.id)
    assert fresh is not None and fresh.status is ReviewStatus.APPROVED


async def test_a_tiny_ttl_expires_in_real_time(stores: Stores, build: Builder) -> None:
    tenant = await build.tenant()
    template = await build.template(tenant.id, status=ReviewStatus.PENDING)
    cat = catalog(stores, ttl_s=0.05)
    await cat.template(template.id)
    await approve(stores, template.id)
    await asyncio.sleep(0.1)
    fresh = await cat.template(template.id)
    assert fresh is not None and fresh.status is ReviewStatus.APPROVED


async def test_misses_are_not_cached(stores: Stores, build: Builder) -> None:
    cat = catalog(stores)
    tenant = await build.tenant()
    assert await cat.application("1400000000") is None
    assert await cat.signature(tenant.id, "新签名", False) is None
    assert await cat.api_key("AKIDlater") is None

    app = await build.app(tenant.id)
    signature = await build.signature(tenant.id, "新签名")
    key = await build.api_key(tenant.id)

    assert await cat.application(app.sdk_app_id) == app
    assert await cat.signature(tenant.id, "新签名", False) == signature
    found = await cat.api_key(key.secret_id)
    assert found is not None and found.id == key.id


async def test_state_changes_show_after_invalidate(stores: Stores, build: Builder) -> None:
    acme = await build.sender()
    cat = catalog(stores)
    await cat.application(acme.app.sdk_app_id)
    await cat.api_key(acme.key.secret_id)
    await cat.tenant(acme.tenant.id)
    await cat.routes()

    await build.disable_app(acme.app.id)
    await build.disable_key(acme.key.id)
    await build.suspend_tenant(acme.tenant.id)
    await build.disable_routes(acme.carrier.id)

    app = await cat.application(acme.app.sdk_app_id)
    assert app is not None and app.status is AppStatus.ACTIVE  # still cached
    cat.invalidate()
    app = await cat.application(acme.app.sdk_app_id)
    key = await cat.api_key(acme.key.secret_id)
    tenant = await cat.tenant(acme.tenant.id)
    assert app is not None and app.status is AppStatus.DISABLED
    assert key is not None and not key.usable
    assert tenant is not None and tenant.status is TenantStatus.SUSPENDED
    assert tuple(await cat.routes()) == ()


async def test_each_catalog_has_its_own_cache(stores: Stores, build: Builder) -> None:
    tenant = await build.tenant()
    template = await build.template(tenant.id, status=ReviewStatus.PENDING)
    first = catalog(stores)
    await first.template(template.id)
    await approve(stores, template.id)
    second = await catalog(stores).template(template.id)
    assert second is not None and second.status is ReviewStatus.APPROVED
