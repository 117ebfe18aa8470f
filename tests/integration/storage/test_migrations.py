"""Migrations: numbered, one head, checked in, and producing exactly the tables the code uses."""

from __future__ import annotations

import itertools
import re

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection

from smscloud.adapters.storage import tables
from smscloud.adapters.storage.database import Database
from smscloud.adapters.storage.migrate import MIGRATIONS_DIR, alembic_config, current_revision, head_revision

pytestmark = pytest.mark.integration


def test_migrations_are_numbered_in_order_with_one_head() -> None:
    script = ScriptDirectory.from_config(alembic_config())
    assert len(script.get_heads()) == 1
    files = sorted(p.name for p in (MIGRATIONS_DIR / "versions").glob("*.py"))
    numbers = [int(re.match(r"(\d{4})_", name).group(1)) for name in files]  # type: ignore[union-attr]
    assert numbers == list(range(1, len(files) + 1))
    revisions = [script.get_revision(f"{n:04d}") for n in numbers]
    for previous, current in itertools.pairwise(revisions):
        assert current is not None and previous is not None
        assert current.down_revision == previous.revision


def test_checked_in_head_is_the_newest_migration() -> None:
    assert (MIGRATIONS_DIR / ".current-head").read_text().strip() == head_revision()


async def test_database_is_at_head(database_url: str) -> None:
    assert await current_revision(database_url) == head_revision()


async def test_migrated_schema_matches_the_tables(db: Database) -> None:
    def diff(conn: Connection) -> list[object]:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return list(compare_metadata(context, tables.metadata))

    assert await db.read(diff) == []
