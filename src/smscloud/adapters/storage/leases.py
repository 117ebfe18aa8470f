"""Leases: exclusive, process-lifetime ownership of a named job (a carrier bind slot).

A sender opens a bind only while it holds the lease of its slot, and the new holder of a slot
re-queues whatever the previous holder left in `submitting`: that is safe only because the
previous holder is gone. In one process an asyncio lock does it; across processes on
PostgreSQL a session-level advisory lock does, which the server releases when the holding
connection dies with its process.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
from collections.abc import AsyncIterator
from typing import Any

import asyncpg

__all__ = ["InProcessLeases", "PostgresLeases"]


class InProcessLeases:
    def __init__(self) -> None:
        self._locks: dict[str, asyncio.Lock] = {}

    @contextlib.asynccontextmanager
    async def hold(self, name: str) -> AsyncIterator[None]:
        lock = self._locks.setdefault(name, asyncio.Lock())
        async with lock:
            yield


def _lock_key(name: str) -> int:
    digest = hashlib.sha256(name.encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


class PostgresLeases:
    """pg_try_advisory_lock on a dedicated connection per held lease, retried until granted."""

    def __init__(self, dsn: str, *, retry_s: float = 2.0) -> None:
        self._dsn = dsn
        self._retry_s = retry_s

    @contextlib.asynccontextmanager
    async def hold(self, name: str) -> AsyncIterator[None]:
        key = _lock_key(name)
        connection: Any = await asyncpg.connect(self._dsn)
        try:
            while not await connection.fetchval("SELECT pg_try_advisory_lock($1)", key):
                await asyncio.sleep(self._retry_s)
            yield
        finally:
            with contextlib.suppress(Exception):
                await connection.execute("SELECT pg_advisory_unlock($1)", key)
            await connection.close()
