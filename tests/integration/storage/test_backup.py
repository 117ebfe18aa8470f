"""`backup_sqlite`: a consistent, checked copy of an SQLite database in WAL mode, taken while a
writer is busy, never over an existing file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from smscloud.adapters.storage.backup import BackupFailed, backup_sqlite, restore_sqlite


def database(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE alembic_version (version_num TEXT)")
    conn.execute("INSERT INTO alembic_version VALUES ('0009')")
    conn.execute("CREATE TABLE message (id INTEGER PRIMARY KEY, serial_no TEXT)")
    conn.executemany("INSERT INTO message (serial_no) VALUES (?)", [(f"s{i}",) for i in range(100)])
    return conn


def test_the_copy_holds_what_was_committed_and_not_what_a_busy_writer_has_not(tmp_path: Path) -> None:
    source = tmp_path / "smscloud.db"
    writer = database(source)
    writer.execute("BEGIN IMMEDIATE")  # the writer holds the write lock, mid-transaction
    writer.execute("INSERT INTO message (serial_no) VALUES ('uncommitted')")
    copy = backup_sqlite(source, tmp_path / "copy.db")
    writer.execute("COMMIT")
    writer.close()
    assert (copy.revision, copy.messages) == ("0009", 100)
    assert copy.size_bytes == (tmp_path / "copy.db").stat().st_size > 0
    with sqlite3.connect(tmp_path / "copy.db") as conn:
        assert conn.execute("SELECT count(*) FROM message WHERE serial_no = 'uncommitted'").fetchone() == (0,)
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)  # one self-contained file


def test_an_existing_target_or_a_missing_source_is_refused_and_left_alone(tmp_path: Path) -> None:
    source = tmp_path / "smscloud.db"
    database(source).close()
    taken = tmp_path / "taken.db"
    taken.write_bytes(b"keep me")
    with pytest.raises(BackupFailed, match="exists already"):
        backup_sqlite(source, taken)
    assert taken.read_bytes() == b"keep me"
    with pytest.raises(BackupFailed, match="there is no database"):
        backup_sqlite(tmp_path / "none.db", tmp_path / "copy.db")
    assert not (tmp_path / "copy.db").exists()


def test_a_file_that_is_no_database_fails_with_nothing_left_behind(tmp_path: Path) -> None:
    source = tmp_path / "smscloud.db"
    source.write_bytes(b"not a database" * 100)
    with pytest.raises(BackupFailed, match="failed"):
        backup_sqlite(source, tmp_path / "copy.db")
    assert not (tmp_path / "copy.db").exists()


def test_a_restore_keeps_the_replaced_database_whole_with_its_wal(tmp_path: Path) -> None:
    live = tmp_path / "smscloud.db"
    database(live).close()
    copy = backup_sqlite(live, tmp_path / "copy.db")
    writer = sqlite3.connect(live, isolation_level=None)
    writer.execute("PRAGMA wal_autocheckpoint=0")  # what follows stays in the WAL, as after a crash
    writer.execute("INSERT INTO message (serial_no) VALUES ('after the backup')")
    kept = restore_sqlite(copy.path, live, kept_suffix=".replaced-1")
    writer.close()
    assert [p.name for p in kept] == [
        "smscloud.db.replaced-1",
        "smscloud.db.replaced-1-shm",
        "smscloud.db.replaced-1-wal",
    ]
    with sqlite3.connect(live) as conn:
        assert conn.execute("SELECT count(*) FROM message").fetchone() == (100,)
    with sqlite3.connect(tmp_path / "smscloud.db.replaced-1") as conn:  # its WAL came along
        assert conn.execute("SELECT count(*) FROM message").fetchone() == (101,)
