"""Leases: exclusive, process-lifetime ownership of a named job (a carrier bind slot).

A sender opens a bind only while it holds the lease of its slot, and the new holder of a slot
re-queues whatever the previous holder left in `submitting`: that is safe only because the
previous holder is gone. On one machine (SQLite: one or more connector processes on one data
directory) an flock on a file does,
which the kernel releases when the holding process dies; across machines on PostgreSQL a
session-level advisory lock does, which the server releases when the holding connection dies
with its process.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import hashlib
import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import asyncpg

__all__ = ["FileLeases", "PostgresLeases"]


class FileLeases:
    """An exclusive flock on `<directory>/<name>.lease`, tried again every `retry_s` until granted.

    The lock belongs to the open file, so two holders in one process exclude each other just as
    two processes do, and a process that dies (even by SIGKILL) lets go of all it held.
    """

    def __init__(self, directory: Path, *, retry_s: float = 1.0) -> None:
        self._directory = directory
        self._retry_s = retry_s

    @contextlib.asynccontextmanager
    async def hold(self, name: str) -> AsyncIterator[None]:
        self._directory.mkdir(parents=True, exist_ok=True)
        path = self._directory / f"{hashlib.sha256(name.encode()).hexdigest()[:32]}.lease"
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    await asyncio.sleep(self._retry_s)
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()} {name}\n".encode())  # who holds it, for people looking
            yield
        finally:
            os.close(fd)  # releases the lock


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
