"""Operators set carriers up and route numbers to them: stored (the password sealed), audited in
the same transaction, and seen by the send path's routing."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import Connection, select

from smscloud.adapters.storage import tables
from smscloud.domain.audit.model import Actor
from smscloud.domain.carriers.model import CarrierRoute
from smscloud.domain.carriers.service import add_route, remove_route, save_carrier, set_carrier_enabled
from smscloud.domain.messages.routing import choose_carrier
from smscloud.domain.shared.errors import InvalidInput, NotFound
from tests.support.builders import Stores
from tests.support.carrier_settings import carrier_settings

pytestmark = pytest.mark.integration

SYSTEM = Actor.system()

CMCC = carrier_settings()


async def audit_trail(stores: Stores) -> list[tuple[str, int | None, str]]:
    return [(e.action, e.subject_id, e.detail) for e in reversed(await stores.audit.recent(limit=50))]


async def test_a_carrier_is_created_then_changed_keeping_its_password(stores: Stores) -> None:
    created = await save_carrier(store=stores.carriers, clock=stores.clock, carrier=CMCC, actor=SYSTEM)
    changed = await save_carrier(
        store=stores.carriers, clock=stores.clock, carrier=replace(CMCC, password="", window=32), actor=SYSTEM
    )

    assert changed.id == created.id
    assert (changed.window, changed.password) == (32, "s3cret")
    assert await stores.carriers.all() == [changed]

    def sealed(conn: Connection) -> str:
        return str(conn.execute(select(tables.carrier.c.password_enc)).scalar_one())

    assert "s3cret" not in await stores.db.read(sealed)
    assert [(action, subject) for action, subject, _ in await audit_trail(stores)] == [
        ("carrier.create", created.id),
        ("carrier.update", created.id),
    ]


async def test_bad_settings_are_refused_and_nothing_is_stored(stores: Stores) -> None:
    with pytest.raises(InvalidInput):
        await save_carrier(store=stores.carriers, clock=stores.clock, carrier=replace(CMCC, port=0), actor=SYSTEM)
    assert await stores.carriers.all() == []
    assert await audit_trail(stores) == []


async def test_routes_send_numbers_to_the_carrier_with_the_longest_prefix(stores: Stores) -> None:
    default = await save_carrier(
        store=stores.carriers, clock=stores.clock, carrier=replace(CMCC, name="world"), actor=SYSTEM
    )
    china = await save_carrier(store=stores.carriers, clock=stores.clock, carrier=CMCC, actor=SYSTEM)
    await add_route(store=stores.carriers, clock=stores.clock, name="world", prefix="", priority=0, actor=SYSTEM)
    stored = await add_route(
        store=stores.carriers, clock=stores.clock, name="cmcc-gd", prefix="+86", priority=5, actor=SYSTEM
    )

    assert stored == "86"
    assert await stores.carriers.routes() == [
        CarrierRoute("", "world", 0, True),
        CarrierRoute("86", "cmcc-gd", 5, True),
    ]
    stores.catalog.invalidate()
    routes = await stores.catalog.routes()
    assert choose_carrier(routes, "+8613800000000") == china.id
    assert choose_carrier(routes, "+6591234567") == default.id

    # Routing again changes the priority; removing it sends China to the default again.
    await add_route(store=stores.carriers, clock=stores.clock, name="cmcc-gd", prefix="86", priority=7, actor=SYSTEM)
    assert CarrierRoute("86", "cmcc-gd", 7, True) in await stores.carriers.routes()
    assert await remove_route(store=stores.carriers, clock=stores.clock, name="cmcc-gd", prefix="86", actor=SYSTEM)
    assert not await remove_route(store=stores.carriers, clock=stores.clock, name="cmcc-gd", prefix="86", actor=SYSTEM)
    stores.catalog.invalidate()
    assert choose_carrier(await stores.catalog.routes(), "+8613800000000") == default.id
    assert [a for a, _, _ in await audit_trail(stores)].count("carrier.unroute") == 1


async def test_a_carrier_turned_off_takes_no_numbers(stores: Stores) -> None:
    china = await save_carrier(store=stores.carriers, clock=stores.clock, carrier=CMCC, actor=SYSTEM)
    await add_route(store=stores.carriers, clock=stores.clock, name="cmcc-gd", prefix="86", priority=0, actor=SYSTEM)

    off = await set_carrier_enabled(
        store=stores.carriers, clock=stores.clock, name="cmcc-gd", enabled=False, actor=SYSTEM
    )
    again = await set_carrier_enabled(
        store=stores.carriers, clock=stores.clock, name="cmcc-gd", enabled=False, actor=SYSTEM
    )

    assert not off.enabled and not again.enabled
    assert await stores.carriers.enabled() == []
    stores.catalog.invalidate()
    assert choose_carrier(await stores.catalog.routes(), "+8613800000000") is None
    await set_carrier_enabled(store=stores.carriers, clock=stores.clock, name="cmcc-gd", enabled=True, actor=SYSTEM)
    assert [c.id for c in await stores.carriers.enabled()] == [china.id]
    assert [a for a, _, _ in await audit_trail(stores)][-2:] == ["carrier.disable", "carrier.enable"]


async def test_unknown_carriers_are_not_found(stores: Stores) -> None:
    with pytest.raises(NotFound):
        await add_route(store=stores.carriers, clock=stores.clock, name="nope", prefix="86", priority=0, actor=SYSTEM)
    with pytest.raises(NotFound):
        await set_carrier_enabled(store=stores.carriers, clock=stores.clock, name="nope", enabled=False, actor=SYSTEM)
