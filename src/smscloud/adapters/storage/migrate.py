"""Bring a database to the newest schema (Alembic), on SQLite or PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from smscloud.adapters.storage.database import async_url

__all__ = ["MIGRATIONS_DIR", "alembic_config", "current_revision", "head_revision", "upgrade"]

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:  # pragma: no cover - there is always a first migration
        raise RuntimeError("no migrations found")
    return head


def _upgrade_on(connection: Connection, revision: str) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, revision)


def _current_on(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


async def upgrade(url: str, revision: str = "head") -> None:
    """Apply every migration up to `revision`. Safe to run when the database is already there."""
    if make_url(url).get_backend_name() == "sqlite":
        engine = create_engine(url)
        try:
            with engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA journal_mode=WAL")
                connection.exec_driver_sql("PRAGMA busy_timeout=10000")
                _upgrade_on(connection, revision)
                connection.commit()
        finally:
            engine.dispose()
        return
    aengine = create_async_engine(async_url(url))
    try:
        async with aengine.connect() as aconnection:
            await aconnection.run_sync(_upgrade_on, revision)
            await aconnection.commit()
    finally:
        await aengine.dispose()


async def current_revision(url: str) -> str | None:
    if make_url(url).get_backend_name() == "sqlite":
        engine = create_engine(url)
        try:
            with engine.connect() as connection:
                return _current_on(connection)
        finally:
            engine.dispose()
    aengine = create_async_engine(async_url(url))
    try:
        async with aengine.connect() as aconnection:
            return await aconnection.run_sync(_current_on)
    finally:
        await aengine.dispose()
