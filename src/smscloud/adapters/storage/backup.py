"""A consistent copy of an SQLite database, taken while smscloud runs on it, and putting one back.

`VACUUM INTO` copies the database as one read transaction sees it: in WAL mode that transaction
does not stop the writer, and the copy holds every transaction committed before it began (every
message answered "Ok" by then) and nothing half-written. The copy is then checked
(`PRAGMA integrity_check`) before it is reported. `restore_sqlite` puts a checked copy in place of
a database that nothing has open, keeping the one it replaces (with its WAL) beside it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

__all__ = ["BackupFailed", "SqliteBackup", "backup_sqlite", "check_copy", "restore_sqlite"]

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
    return check_copy(target)


def check_copy(path: Path) -> SqliteBackup:
    """What the smscloud database copy at `path` holds, once `PRAGMA integrity_check` finds it sound."""
    if not path.is_file():
        raise BackupFailed(f"there is no database at {path}")
    try:
        with contextlib.closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as copy:
            verdict = copy.execute("PRAGMA integrity_check").fetchone()[0]
            if verdict != "ok":
                raise BackupFailed(f"the copy at {path} is not sound: {verdict}")
            revision = copy.execute("SELECT version_num FROM alembic_version").fetchone()[0]
            messages = copy.execute("SELECT count(*) FROM message").fetchone()[0]
    except sqlite3.Error as exc:
        raise BackupFailed(f"the copy at {path} cannot be read as an smscloud database: {exc}") from exc
    return SqliteBackup(path=path, size_bytes=path.stat().st_size, revision=str(revision), messages=int(messages))


def restore_sqlite(copy: Path, database: Path, *, kept_suffix: str) -> list[Path]:
    """Put the checked `copy` in place of `database` (no process may have it open), which is kept,
    with its -wal and -shm files, under names ending `kept_suffix`; returns the kept files. The
    copy is written beside the database first and then renamed over it, so a failure on the way
    leaves one database or the other, never half of one."""
    check_copy(copy)
    staged = database.with_name(f".{database.name}.restoring")
    shutil.copyfile(copy, staged)
    kept: list[Path] = []
    for suffix in ("-wal", "-shm", ""):  # the database file last: its WAL must not be left beside the new one
        current = database.with_name(database.name + suffix)
        if current.exists():
            moved = database.with_name(database.name + kept_suffix + suffix)
            os.replace(current, moved)
            kept.append(moved)
    os.replace(staged, database)
    return sorted(kept)
