"""Merge small writes that arrive together into one database job.

On the hot paths many coroutines each write a few rows of the same kind (an accepted SendSms,
a receipt). The writer already commits them in one transaction, but each job still costs a
statement execution of its own. A `Coalescer` keeps one job in flight per kind of write and
gathers, meanwhile, everything that arrives; the next job writes it all with one
`executemany`. If a merged job fails, each caller's rows are written on their own, so one bad
write fails alone.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

from sqlalchemy import Connection

from smscloud.adapters.storage.database import Database

__all__ = ["Coalescer"]

Item = TypeVar("Item")


class Coalescer(Generic[Item]):
    """With `linger_s`, a job of fewer than `enough` items waits that long for more first: for
    writes whose callers can wait a few milliseconds (receipts), not for a customer's request."""

    def __init__(
        self,
        db: Database,
        job_for: Callable[[list[Item]], Callable[[Connection], None]],
        *,
        linger_s: float = 0.0,
        enough: int = 1,
    ) -> None:
        self._db = db
        self._job_for = job_for
        self._linger_s = linger_s
        self._enough = enough
        self._pending_items = 0
        self._pending: list[tuple[Sequence[Item], asyncio.Future[None]]] = []
        self._draining = False
        self._task: asyncio.Task[None] | None = None

    async def write(self, items: Sequence[Item]) -> None:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._pending.append((items, future))
        self._pending_items += len(items)
        if not self._draining:
            self._draining = True
            self._task = asyncio.get_running_loop().create_task(self._drain())
        await future

    async def _drain(self) -> None:
        try:
            while self._pending:
                if self._linger_s > 0 and self._pending_items < self._enough:
                    await asyncio.sleep(self._linger_s)
                batch, self._pending = self._pending, []
                self._pending_items = 0
                try:
                    await self._db.write(self._job_for([item for items, _ in batch for item in items]))
                except Exception as error:
                    if len(batch) == 1:
                        _fail(batch[0][1], error)
                    else:
                        await self._one_by_one(batch)
                else:
                    for _, future in batch:
                        _succeed(future)
        finally:
            self._draining = False

    async def _one_by_one(self, batch: list[tuple[Sequence[Item], asyncio.Future[None]]]) -> None:
        for items, future in batch:
            try:
                await self._db.write(self._job_for(list(items)))
            except Exception as error:
                _fail(future, error)
            else:
                _succeed(future)


def _succeed(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


def _fail(future: asyncio.Future[None], error: BaseException) -> None:
    if not future.done():
        future.set_exception(error)
