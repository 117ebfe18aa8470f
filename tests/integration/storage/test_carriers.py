"""Carriers and routes as typed rows; carrier passwords encrypted at rest."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import Connection, select

from smscloud.adapters.storage import tables
from smscloud.domain.messages.routing import Route
from tests.support.builders import NOW, Builder, Stores

pytestmark = pytest.mark.integration


async def test_save_creates_then_updates_by_name(stores: Stores, build: Builder) -> None:
    carrier = await build.carrier("cmcc", password="s3cret")
    assert carrier.id > 0
    assert (carrier.name, carrier.password, carrier.window, carrier.enabled) == ("cmcc", "s3cret", 10, True)

    changed = await stores.carriers.save(replace(carrier, id=0, port=2776, window=50, password="n3w"), now=NOW)
    assert changed.id == carrier.id
    assert (changed.port, changed.window, changed.password) == (2776, 50, "n3w")
    assert await stores.carriers.enabled() == [changed]

    def raw(conn: Connection) -> str:
        c = tables.carrier
        return str(conn.execute(select(c.c.password_enc).where(c.c.id == carrier.id)).scalar_one())

    stored = await stores.db.read(raw)
    assert "n3w" not in stored
    assert stores.box.open(stored) == "n3w"


async def test_enabled_lists_only_enabled_carriers_in_order(stores: Stores, build: Builder) -> None:
    a = await build.carrier("a")
    await build.carrier("b", enabled=False)
    c = await build.carrier("c")
    assert await stores.carriers.enabled() == [a, c]


async def test_ensure_route_is_idempotent(stores: Stores, build: Builder) -> None:
    carrier = await build.carrier()
    await stores.carriers.ensure_route(prefix="86", carrier_id=carrier.id, priority=3)
    await stores.carriers.ensure_route(prefix="86", carrier_id=carrier.id, priority=9)
    await stores.carriers.ensure_route(prefix="", carrier_id=carrier.id)

    def rows(conn: Connection) -> list[tuple[str, int, int, bool]]:
        r = tables.route
        return [
            (row.prefix, row.carrier_id, row.priority, bool(row.enabled))
            for row in conn.execute(select(r).order_by(r.c.prefix))
        ]

    assert await stores.db.read(rows) == [("", carrier.id, 0, True), ("86", carrier.id, 3, True)]
    routes = await stores.catalog.routes()
    assert sorted(routes, key=lambda r: r.prefix) == [Route("", carrier.id, 0), Route("86", carrier.id, 3)]
