"""Coalescer: writes that arrive together become one job; a small one may wait for company."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest
from sqlalchemy import Connection, text

from smscloud.adapters.storage.coalescing import Coalescer
from smscloud.adapters.storage.database import Database

pytestmark = pytest.mark.integration


def recording(jobs: list[list[int]]) -> Callable[[list[int]], Callable[[Connection], None]]:
    def job_for(items: list[int]) -> Callable[[Connection], None]:
        def job(conn: Connection) -> None:
            if -1 in items:
                raise ValueError("a bad item")
            conn.execute(text("SELECT 1"))
            jobs.append(list(items))

        return job

    return job_for


async def test_writes_made_together_or_while_one_is_in_flight_share_a_job(db: Database) -> None:
    jobs: list[list[int]] = []
    coalescer: Coalescer[int] = Coalescer(db, recording(jobs))
    await asyncio.gather(*(coalescer.write([n]) for n in range(10)))
    assert jobs == [list(range(10))]  # made in one turn of the loop: one job

    first = asyncio.create_task(coalescer.write([100]))
    await asyncio.sleep(0)  # its job is on its way
    await asyncio.gather(first, *(coalescer.write([n]) for n in range(101, 105)))
    assert jobs[1:] == [[100], [101, 102, 103, 104]]  # the rest waited for it, then went together


async def test_with_a_linger_a_small_write_waits_for_the_ones_right_behind_it(db: Database) -> None:
    jobs: list[list[int]] = []
    coalescer: Coalescer[int] = Coalescer(db, recording(jobs), linger_s=0.05, enough=100)

    async def later(n: int) -> None:
        await asyncio.sleep(0.01)
        await coalescer.write([n])

    await asyncio.gather(coalescer.write([0]), *(later(n) for n in range(1, 6)))
    assert jobs == [[0, 1, 2, 3, 4, 5]]


async def test_enough_items_do_not_wait(db: Database) -> None:
    jobs: list[list[int]] = []
    coalescer: Coalescer[int] = Coalescer(db, recording(jobs), linger_s=10.0, enough=3)
    await asyncio.wait_for(coalescer.write([1, 2, 3]), 5)
    assert jobs == [[1, 2, 3]]


async def test_a_bad_write_fails_alone(db: Database) -> None:
    jobs: list[list[int]] = []
    coalescer: Coalescer[int] = Coalescer(db, recording(jobs), linger_s=0.02, enough=100)
    results = await asyncio.gather(
        coalescer.write([1]), coalescer.write([-1]), coalescer.write([2]), return_exceptions=True
    )
    assert [type(r).__name__ if r else None for r in results] == [None, "ValueError", None]
    assert sorted(item for job in jobs for item in job) == [1, 2]
