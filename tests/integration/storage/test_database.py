"""The database port: group commit, failure isolation, reads, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from sqlalchemy import Connection, func, insert, select

from smscloud.adapters.storage import tables
from smscloud.adapters.storage.database import Database

pytestmark = pytest.mark.integration

NOW = datetime(2026, 11, 27, 8, 0, 0, 123456, tzinfo=UTC)


def _add_tenant(name: str):
    def job(conn: Connection) -> int:
        result = conn.execute(
            insert(tables.tenant)
            .values(name=name, kind="individual", status="active", timezone="Asia/Shanghai", created_at=NOW)
            .returning(tables.tenant.c.id)
        )
        return int(result.scalar_one())

    return job


def _count_tenants(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(tables.tenant)).scalar_one())


async def test_concurrent_writes_are_all_committed(db: Database) -> None:
    ids = await asyncio.gather(*(db.write(_add_tenant(f"t{n}")) for n in range(300)))
    assert len(set(ids)) == 300
    assert await db.read(_count_tenants) == 300


async def test_a_failing_job_fails_alone(db: Database) -> None:
    def boom(conn: Connection) -> None:
        conn.execute(insert(tables.tenant).values(name="doomed", kind="x", status="x", timezone="x", created_at=NOW))
        raise RuntimeError("business rule says no")

    jobs = [db.write(_add_tenant(f"ok{n}")) for n in range(20)]
    jobs.insert(10, db.write(boom))
    results = await asyncio.gather(*jobs, return_exceptions=True)
    errors = [r for r in results if isinstance(r, BaseException)]
    assert len(errors) == 1 and isinstance(errors[0], RuntimeError)
    names = await db.read(lambda c: {r.name for r in c.execute(select(tables.tenant.c.name))})
    assert "doomed" not in names
    assert len(names) == 20


async def test_timestamps_round_trip_as_aware_utc(db: Database) -> None:
    tenant_id = await db.write(_add_tenant("clock"))
    stored = await db.read(
        lambda c: c.execute(select(tables.tenant.c.created_at).where(tables.tenant.c.id == tenant_id)).scalar_one()
    )
    assert stored == NOW
    assert stored.tzinfo is not None


async def test_naive_datetimes_are_refused(db: Database) -> None:
    def naive(conn: Connection) -> None:
        conn.execute(
            insert(tables.tenant).values(
                name="n",
                kind="individual",
                status="active",
                timezone="UTC",
                created_at=datetime(2026, 1, 1),  # noqa: DTZ001 - the point of the test
            )
        )

    with pytest.raises(Exception, match="naive"):
        await db.write(naive)
