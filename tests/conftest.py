"""Shared fixtures.

The whole suite runs against one database kind, chosen by `SMSCLOUD_TEST_DATABASE`:
`sqlite` (the default) or a PostgreSQL URL such as `postgresql://root@127.0.0.1:5432/test`.
For PostgreSQL a fresh database is created for the test session and dropped afterwards; every
test that asks for `database_url` gets it freshly truncated. For SQLite every such test gets
its own file, copied from one migrated at the start of the session.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
import structlog
from hypothesis import HealthCheck, settings
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from smscloud.adapters.storage import tables
from smscloud.adapters.storage.database import Database, open_database
from smscloud.adapters.storage.migrate import upgrade

TEST_DATABASE = os.environ.get("SMSCLOUD_TEST_DATABASE", "sqlite")

# Tests must not depend on the machine's speed: no per-example deadline, no "too slow" checks.
settings.register_profile("smscloud", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("smscloud")


# Commands run in this process (typer's CliRunner) configure structlog as a real run does: with
# their log level, and with each logger cached on first use. A later test that captures log lines
# (`structlog.testing.capture_logs`) would then depend on the order the suite runs in: a cached
# logger no longer reaches the capture, and a level of WARNING hides its INFO lines. So, in the
# test process, loggers are never cached and each test ends with the configuration it began with.
_configure = structlog.configure


def _configure_uncached(*args: Any, **kwargs: Any) -> None:
    kwargs["cache_logger_on_first_use"] = False
    _configure(*args, **kwargs)


structlog.configure = _configure_uncached


@pytest.fixture(autouse=True)
def _structlog_as_it_was() -> Iterator[None]:
    """What a command configured (its log level, say) ends with its test."""
    before = structlog.get_config()
    yield
    structlog.configure(**before)


def _is_postgres() -> bool:
    return TEST_DATABASE.startswith("postgresql")


async def _pg_admin(sql: str) -> None:
    import asyncpg

    parsed = make_url(TEST_DATABASE)
    conn = await asyncpg.connect(
        host=parsed.host or "127.0.0.1",
        port=parsed.port or 5432,
        user=parsed.username or "root",
        password=parsed.password,
        database=parsed.database or "test",
    )
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


@pytest.fixture(scope="session")
def database_kind() -> str:
    return "postgresql" if _is_postgres() else "sqlite"


@pytest.fixture(scope="session")
def _migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated database for the session: a SQLite file to copy, or a PostgreSQL database."""
    if _is_postgres():
        name = f"smscloud_test_{uuid.uuid4().hex[:10]}"
        asyncio.run(_pg_admin(f'CREATE DATABASE "{name}"'))
        url = make_url(TEST_DATABASE).set(database=name).render_as_string(hide_password=False)
        asyncio.run(upgrade(url))
        try:
            yield url
        finally:
            asyncio.run(_pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    else:
        path = tmp_path_factory.mktemp("template") / "smscloud.db"
        url = f"sqlite:///{path}"
        asyncio.run(upgrade(url))
        engine = create_engine(url)
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        engine.dispose()
        yield str(path)


def _truncate_postgres(url: str) -> None:
    names = ", ".join(f'"{t.name}"' for t in reversed(tables.metadata.sorted_tables))

    async def run() -> None:
        from sqlalchemy.ext.asyncio import create_async_engine

        from smscloud.adapters.storage.database import async_url

        engine = create_async_engine(async_url(url))
        async with engine.begin() as conn:
            await conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        await engine.dispose()

    asyncio.run(run())


@pytest.fixture
def database_url(_migrated_template: str, tmp_path: Path) -> str:
    """The URL of a clean database at the newest schema, for this test alone."""
    if _is_postgres():
        _truncate_postgres(_migrated_template)
        return _migrated_template
    path = tmp_path / "smscloud.db"
    shutil.copyfile(_migrated_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    database = open_database(database_url)
    try:
        yield database
    finally:
        await database.close()
