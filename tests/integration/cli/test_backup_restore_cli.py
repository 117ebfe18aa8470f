"""`smscloud db backup` and `db restore` on an SQLite data directory: what the backup holds comes
back, what it replaces is kept, and a running smscloud is never restored under."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from typer.testing import CliRunner, Result

from smscloud.config import load_settings
from smscloud.entrypoints.cli import app
from smscloud.entrypoints.locks import single_instance

pytestmark = pytest.mark.integration


def run(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def status_of_tenant(data: Path) -> str:
    result = run("tenant", "list", "--data-dir", str(data))
    assert result.exit_code == 0, result.output
    return result.stdout.split("\t")[3]


@pytest.fixture
def backed_up(tmp_path: Path) -> tuple[Path, Path]:
    """A data directory with the demo tenant, and a backup of it taken while the tenant was active."""
    data, backup = tmp_path / "data", tmp_path / "backup"
    assert run("demo", "--data-dir", str(data)).exit_code == 0
    made = run("db", "backup", str(backup), "--data-dir", str(data))
    assert made.exit_code == 0, made.output
    assert run("tenant", "suspend", "--id", "1", "--reason", "after the backup", "--data-dir", str(data)).exit_code == 0
    assert status_of_tenant(data) == "suspended"
    return data, backup


def test_a_restore_brings_back_the_backup_and_keeps_what_it_replaced(backed_up: tuple[Path, Path]) -> None:
    data, backup = backed_up
    restored = run("db", "restore", str(backup), "--data-dir", str(data))
    assert restored.exit_code == 0, restored.output
    lines = restored.stdout.splitlines()
    assert lines[0] == f"{data / 'smscloud.db'}: restored from {backup / 'smscloud.db'} (schema 0009, 0 messages)"
    (kept,) = [Path(line.removeprefix("kept what it replaced: ")) for line in lines if line.startswith("kept")]
    assert kept.parent == data and kept.name.startswith("smscloud.db.replaced-")
    assert status_of_tenant(data) == "active"  # as it was at the backup
    kept.rename(data / "smscloud.db")  # the replaced database is whole: put back, it is as it was
    for leftover in data.glob("smscloud.db-*"):
        leftover.unlink()
    assert status_of_tenant(data) == "suspended"


def test_a_running_smscloud_is_not_restored_under(backed_up: tuple[Path, Path]) -> None:
    data, backup = backed_up
    with single_instance(load_settings(overrides={"data_dir": str(data)}), "serve"):
        refused = run("db", "restore", str(backup), "--data-dir", str(data))
    assert refused.exit_code == 1
    assert refused.stderr.startswith(f"smscloud: smscloud is running on {data}: stop it first")
    assert status_of_tenant(data) == "suspended"  # untouched
    assert not list(data.glob("*.replaced-*"))


def test_a_different_key_file_is_replaced_by_the_backups_and_kept(backed_up: tuple[Path, Path]) -> None:
    data, backup = backed_up
    (data / "secret.key").write_text(Fernet.generate_key().decode() + "\n")
    restored = run("db", "restore", str(backup), "--data-dir", str(data))
    assert restored.exit_code == 0, restored.output
    assert (data / "secret.key").read_bytes() == (backup / "secret.key").read_bytes()
    assert (data / "secret.key").stat().st_mode & 0o777 == 0o600
    assert len(list(data.glob("secret.key.replaced-*"))) == 1
    assert run("demo", "--json", "--data-dir", str(data)).exit_code == 0  # its secrets decrypt again


def test_what_is_no_backup_and_a_postgresql_database_are_refused(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    refused = run("db", "restore", str(tmp_path / "empty"), "--data-dir", str(tmp_path / "data"))
    assert (refused.exit_code, refused.stderr) == (
        2,
        f"smscloud: there is no database at {tmp_path / 'empty' / 'smscloud.db'}: give a directory written by"
        " `smscloud db backup`\n",
    )
    postgres = ("--database-url", "postgresql://root@127.0.0.1:5432/none")
    assert run("db", "restore", str(tmp_path), *postgres).stderr == (
        "smscloud: the database is PostgreSQL: restore it with pg_restore or psql from your dump\n"
    )
    assert run("db", "backup", str(tmp_path / "b"), *postgres).stderr.startswith(
        "smscloud: the database is PostgreSQL: back it up with pg_dump"
    )
