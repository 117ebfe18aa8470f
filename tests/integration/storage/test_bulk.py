"""Bulk: a Core INSERT/UPDATE run with the driver's executemany, rows given as plain tuples."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Column, Connection, Integer, MetaData, String, Table, bindparam, insert, select, update

from smscloud.adapters.storage.bulk import Bulk
from smscloud.adapters.storage.database import Database
from smscloud.adapters.storage.types import UtcTimestamp

pytestmark = pytest.mark.integration

_meta = MetaData()
_t = Table(
    "bulk_probe",
    _meta,
    Column("id", Integer, primary_key=True),
    Column("name", String(20), nullable=False),
    Column("state", Integer, nullable=False),
    Column("at", UtcTimestamp(), nullable=True),
)

T0 = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


@pytest.fixture
async def probe(db: Database) -> AsyncIterator[Database]:
    """`db` with the probe table, dropped afterwards (on PostgreSQL the database is the session's)."""
    await db.write(lambda conn: _meta.create_all(conn))
    try:
        yield db
    finally:
        await db.write(lambda conn: _meta.drop_all(conn))


async def _rows(db: Database) -> list[tuple[int, str, int, datetime | None]]:
    def job(conn: Connection) -> list[tuple[int, str, int, datetime | None]]:
        return [tuple(r) for r in conn.execute(select(_t).order_by(_t.c.id))]

    return await db.read(job)


async def test_rows_go_in_by_name_whatever_the_statement_order_with_fixed_values_and_types(probe: Database) -> None:
    db = probe
    # The row tuples follow `names`, not the order the compiled statement wants its parameters in;
    # `state` is fixed in the statement; `at` is converted by its column type on the way.
    add = Bulk(
        insert(_t).values(id=bindparam("b_id"), name=bindparam("b_name"), at=bindparam("b_at"), state=7),
        ["b_at", "b_name", "b_id"],
    )
    inserted = await db.write(lambda conn: add.execute(conn, [(T0, "first", 1), (None, "second", 2)]))
    counts = db.dialect == "sqlite"  # psycopg's executemany does not count rows (-1)
    assert inserted == (2 if counts else -1)
    assert await _rows(db) == [(1, "first", 7, T0), (2, "second", 7, None)]

    rename = Bulk(
        update(_t).where(_t.c.id == bindparam("b_id")).values(name=bindparam("b_name"), at=bindparam("b_at"), state=9),
        ["b_id", "b_name", "b_at"],
    )
    later = T0 + timedelta(seconds=1, microseconds=5)
    prepared = rename.prepare(db.sa_dialect, [(2, "renamed", later), (99, "nobody", later)])
    assert len(prepared) == 2
    changed = await db.write(prepared.execute)
    assert changed == (1 if counts else -1)  # id 99 matched nothing
    assert await _rows(db) == [(1, "first", 7, T0), (2, "renamed", 9, later)]
    assert await db.write(rename.prepare(db.sa_dialect, []).execute) == 0


def test_a_name_the_statement_does_not_have_is_refused_at_compile(db: Database) -> None:
    bad = Bulk(update(_t).where(_t.c.id == bindparam("b_id")).values(name=bindparam("b_name")), ["b_id", "b_nope"])
    with pytest.raises(ValueError, match="b_nope"):
        bad.prepare(db.sa_dialect, [(1, "x")])
