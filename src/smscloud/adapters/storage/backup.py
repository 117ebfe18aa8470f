"""A consistent copy of an SQLite database, taken while smscloud runs on it.

`VACUUM INTO` copies the database as one read transaction sees it: in WAL mode that transaction
does not stop the writer, and the copy holds every transaction committed before it began (every
message answered "Ok" by then) and nothing half-written. The copy is then checked
(`PRAGMA integrity_check`) before it is reported.
"""

from __future__ import annotations

import contextlib
import sqlite3
from dataclasses import dataclass
from pathlib import Path

__all__ = ["BackupFailed", "SqliteBackup", "backup_sqlite"]

_BUSY_MS = 30_000  # a checkpoint may hold the file briefly


class BackupFailed(Exception):
    """The copy could not be made, or is not sound."""


@dataclass(frozen=True, slots=True)
class SqliteBackup:
    path: Path
    size_bytes: int
    revision: str  # the schema revision the copy is at
    messages: int  # messages in the copy


def backup_sqlite(source: Path, target: Path) -> SqliteBackup:
    """Copy the database at `source` to `target` (which must not exist) and check the copy."""
    if target.exists():
        raise BackupFailed(f"{target} exists already: give a new file name")
    if not source.is_file():
        raise BackupFailed(f"there is no database at {source}")
    try:
        with contextlib.closing(sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)) as conn:
            conn.execute(f"PRAGMA busy_timeout={_BUSY_MS}")
            conn.execute("VACUUM INTO ?", (str(target),))
    except sqlite3.Error as exc:
        with contextlib.suppress(FileNotFoundError):
            target.unlink()
        raise BackupFailed(f"copying {source} failed: {exc}") from exc
    try:
        with contextlib.closing(sqlite3.connect(f"{target.resolve().as_uri()}?mode=ro", uri=True)) as copy:
            verdict = copy.execute("PRAGMA integrity_check").fetchone()[0]
            if verdict != "ok":
                raise BackupFailed(f"the copy at {target} is not sound: {verdict}")
            revision = copy.execute("SELECT version_num FROM alembic_version").fetchone()[0]
            messages = copy.execute("SELECT count(*) FROM message").fetchone()[0]
    except sqlite3.Error as exc:
        raise BackupFailed(f"the copy at {target} cannot be read: {exc}") from exc
    return SqliteBackup(path=target, size_bytes=target.stat().st_size, revision=str(revision), messages=int(messages))
