"""One way to run database work on SQLite and on PostgreSQL.

All database work is a *job*: a plain function that takes an SQLAlchemy `Connection` and runs
Core statements on it. Jobs never open or end transactions themselves.

- `await db.write(job)` runs the job in a write transaction. Writes are group-committed: jobs
  that arrive together share one transaction and one commit (one fsync), which is what makes
  thousands of durable accepts per second possible (docs/adr/0002-sqlite-writer.md). If any job
  of a group raises, the group is rolled back and every job of it is run again in a transaction
  of its own, so one bad job fails alone. Jobs must therefore have no effect outside the
  database until they return.
- `await db.read(job)` runs the job on a read connection.

SQLite: one writer thread owns the only write connection (WAL, `BEGIN IMMEDIATE`); reads run
on a small thread pool with their own connections. PostgreSQL: the same jobs run through
SQLAlchemy's asyncio engine over asyncpg (`AsyncConnection.run_sync`), with group commit done
by a few writer tasks.
"""

from __future__ import annotations

import asyncio
import contextlib
import queue
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Protocol, TypeVar

import structlog
from sqlalchemy import Connection, Dialect, Engine, create_engine, event, pool
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from typing_extensions import override

__all__ = ["Database", "PostgresDatabase", "SqliteDatabase", "async_url", "database_answers", "open_database"]

T = TypeVar("T")
Job = Callable[[Connection], T]

log = structlog.get_logger(__name__)


class Database(Protocol):
    @property
    def dialect(self) -> str: ...

    @property
    def sa_dialect(self) -> Dialect:
        """The SQLAlchemy dialect of the connections jobs get (to prepare statements outside them)."""
        ...

    async def write(self, job: Callable[[Connection], T]) -> T: ...

    async def read(self, job: Callable[[Connection], T]) -> T: ...

    async def close(self) -> None: ...


def async_url(url: str) -> str:
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        raise ValueError(f"no asyncio driver for {parsed.get_backend_name()}")
    return parsed.set(drivername="postgresql+asyncpg").render_as_string(hide_password=False)


async def database_answers(db: Database) -> None:
    """Return once the database has answered a trivial query; raise whatever stops it."""
    await db.read(lambda conn: conn.exec_driver_sql("SELECT 1").scalar())


def open_database(url: str, *, sqlite_synchronous: str = "normal", pool_size: int = 10) -> Database:
    backend = make_url(url).get_backend_name()
    if backend == "sqlite":
        return SqliteDatabase(url, synchronous=sqlite_synchronous)
    if backend == "postgresql":
        return PostgresDatabase(url, pool_size=pool_size)
    raise ValueError(f"unsupported database {backend!r}: use sqlite:/// or postgresql://")


# --------------------------------------------------------------------------------------------
# SQLite


def _sqlite_engine(url: str, *, synchronous: str, immediate: bool, pool_size: int) -> Engine:
    engine = create_engine(
        url,
        poolclass=pool.QueuePool,
        pool_size=pool_size,
        max_overflow=0,
        connect_args={"check_same_thread": False},
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA synchronous={synchronous.upper()}")
        # The write connection waits for the lock itself (see _begin_immediate): SQLite's own busy
        # handler sleeps 1, 2, 5, 10 … ms between tries, far too long when another process (the
        # connector and the API share the database) holds the lock for a millisecond at a time.
        cursor.execute(f"PRAGMA busy_timeout={0 if immediate else 10000}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA cache_size=-65536")
        cursor.execute("PRAGMA temp_store=MEMORY")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        if immediate:
            _begin_immediate(conn)
        else:
            conn.exec_driver_sql("BEGIN")

    return engine


_LOCK_WAIT_S = 30.0


def _begin_immediate(conn: Connection) -> None:
    """BEGIN IMMEDIATE, retried with short sleeps (0.2 ms growing to 5 ms) while another process
    holds the write lock, for at most `_LOCK_WAIT_S`."""
    deadline = time.monotonic() + _LOCK_WAIT_S
    pause = 0.0002
    while True:
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
            return
        except OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            if time.monotonic() > deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 1.5, 0.005)


class _Pending:
    __slots__ = ("future", "job", "loop")

    def __init__(self, job: Job[Any], future: asyncio.Future[Any], loop: asyncio.AbstractEventLoop) -> None:
        self.job = job
        self.future = future
        self.loop = loop


def _settle(outcomes: list[tuple[asyncio.Future[Any], bool, Any]]) -> None:
    for future, ok, value in outcomes:
        if future.done():
            continue  # the caller gave up waiting; the write happened (or failed) regardless
        if ok:
            future.set_result(value)
        else:
            future.set_exception(value)


def _run_group(conn: Connection, jobs: list[Job[Any]]) -> list[tuple[bool, Any]]:
    """Run jobs in one transaction; on failure, each in its own. Returns (ok, value) per job."""
    try:
        with conn.begin():
            return [(True, job(conn)) for job in jobs]
    except Exception as group_error:
        if len(jobs) == 1:
            return [(False, group_error)]
    outcomes: list[tuple[bool, Any]] = []
    for job in jobs:
        try:
            with conn.begin():
                outcomes.append((True, job(conn)))
        except Exception as error:
            outcomes.append((False, error))
    return outcomes


class _SqliteWriter(threading.Thread):
    """The single writer: takes every job waiting, runs them in one transaction, commits once."""

    def __init__(self, engine: Engine, max_group: int) -> None:
        super().__init__(name="sqlite-writer", daemon=True)
        self._engine = engine
        self._queue: queue.SimpleQueue[_Pending | None] = queue.SimpleQueue()  # None: stop
        self._max_group = max_group

    def submit(self, pending: _Pending) -> None:
        self._queue.put(pending)

    def stop(self) -> None:
        self._queue.put(None)

    @override
    def run(self) -> None:
        with self._engine.connect() as conn:
            stopping = False
            while not stopping:
                first = self._queue.get()
                if first is None:
                    break
                group = [first]
                while len(group) < self._max_group:
                    try:
                        item = self._queue.get_nowait()
                    except queue.Empty:
                        break
                    if item is None:
                        stopping = True
                        break
                    group.append(item)
                self._commit(conn, group)

    def _commit(self, conn: Connection, group: list[_Pending]) -> None:
        try:
            results = _run_group(conn, [p.job for p in group])
        except BaseException as fatal:  # pragma: no cover - the connection itself broke
            results = [(False, fatal)] * len(group)
        by_loop: dict[asyncio.AbstractEventLoop, list[tuple[asyncio.Future[Any], bool, Any]]] = {}
        for pending, (ok, value) in zip(group, results, strict=True):
            by_loop.setdefault(pending.loop, []).append((pending.future, ok, value))
        for loop, outcomes in by_loop.items():
            with contextlib.suppress(RuntimeError):  # loop closed: nobody is waiting any more
                loop.call_soon_threadsafe(_settle, outcomes)


class SqliteDatabase:
    def __init__(self, url: str, *, synchronous: str = "normal", readers: int = 4, max_group: int = 2000) -> None:
        if synchronous not in ("normal", "full"):
            raise ValueError(f"sqlite synchronous must be normal or full, not {synchronous!r}")
        self.url = url
        self._write_engine = _sqlite_engine(url, synchronous=synchronous, immediate=True, pool_size=1)
        self._read_engine = _sqlite_engine(url, synchronous=synchronous, immediate=False, pool_size=readers)
        self._writer = _SqliteWriter(self._write_engine, max_group)
        self._writer.start()
        self._readers = ThreadPoolExecutor(max_workers=readers, thread_name_prefix="sqlite-reader")
        self._closed = False

    @property
    def dialect(self) -> str:
        return "sqlite"

    @property
    def sa_dialect(self) -> Dialect:
        return self._write_engine.dialect

    async def write(self, job: Callable[[Connection], T]) -> T:
        if self._closed:
            raise RuntimeError("database is closed")
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        self._writer.submit(_Pending(job, future, loop))
        return await future

    async def read(self, job: Callable[[Connection], T]) -> T:
        if self._closed:
            raise RuntimeError("database is closed")
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._readers, self._run_read, job)

    def _run_read(self, job: Callable[[Connection], T]) -> T:
        with self._read_engine.connect() as conn:
            result = job(conn)
            conn.rollback()
            return result

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._writer.stop()
        await asyncio.to_thread(self._writer.join)
        self._readers.shutdown(wait=True)
        self._write_engine.dispose()
        self._read_engine.dispose()


# --------------------------------------------------------------------------------------------
# PostgreSQL


class PostgresDatabase:
    def __init__(self, url: str, *, pool_size: int = 10, writers: int = 2, max_group: int = 1000) -> None:
        self.url = url
        self._engine: AsyncEngine = create_async_engine(
            async_url(url), pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=False
        )
        self._pending: deque[tuple[Job[Any], asyncio.Future[Any]]] = deque()
        self._wake = asyncio.Event()
        self._writer_count = writers
        self._max_group = max_group
        self._tasks: list[asyncio.Task[None]] = []
        self._running_groups = 0
        self._closed = False

    @property
    def dialect(self) -> str:
        return "postgresql"

    @property
    def sa_dialect(self) -> Dialect:
        return self._engine.dialect

    @property
    def engine(self) -> AsyncEngine:
        return self._engine

    def _ensure_writers(self) -> None:
        if not self._tasks:
            self._tasks = [
                asyncio.create_task(self._writer_loop(), name=f"pg-writer-{n}") for n in range(self._writer_count)
            ]

    async def write(self, job: Callable[[Connection], T]) -> T:
        if self._closed:
            raise RuntimeError("database is closed")
        self._ensure_writers()
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._pending.append((job, future))
        self._wake.set()
        return await future

    async def _writer_loop(self) -> None:
        while True:
            while not self._pending:
                self._wake.clear()
                await self._wake.wait()
            group: list[tuple[Job[Any], asyncio.Future[Any]]] = []
            while self._pending and len(group) < self._max_group:
                group.append(self._pending.popleft())
            jobs = [job for job, _ in group]
            self._running_groups += 1
            try:
                async with self._engine.connect() as conn:
                    results = await conn.run_sync(_run_group, jobs)
            except Exception as error:
                results = [(False, error)] * len(group)
            finally:
                self._running_groups -= 1
            _settle([(future, ok, value) for (_, future), (ok, value) in zip(group, results, strict=True)])

    async def read(self, job: Callable[[Connection], T]) -> T:
        if self._closed:
            raise RuntimeError("database is closed")
        async with self._engine.connect() as conn:
            result = await conn.run_sync(job)
            await conn.rollback()
            return result

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        while self._pending or self._running_groups:
            await asyncio.sleep(0.01)
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self._engine.dispose()
