"""Commands that act on a platform act on the one named: on a data directory (or SQLite file)
without a database, `status`, `tenant …` and the operator commands other than `create` refuse
rather than start a new platform; `demo` and `operator create` may start one, and say so."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from smscloud.entrypoints.cli import app

pytestmark = pytest.mark.integration


def run(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


READERS = [
    ("status",),
    ("status", "--json"),
    ("tenant", "list"),
    ("tenant", "suspend", "--id", "1", "--reason", "x"),
    ("tenant", "resume", "--id", "1"),
    ("operator", "list"),
    ("operator", "password", "--email", "admin@smscloud.local"),
    ("operator", "disable", "--email", "admin@smscloud.local"),
    ("operator", "enable", "--email", "admin@smscloud.local"),
    ("operator", "two-step-off", "--email", "admin@smscloud.local"),
]


@pytest.mark.parametrize("command", READERS, ids=" ".join)
def test_a_data_directory_without_a_database_is_refused_and_left_as_it_was(
    command: tuple[str, ...], tmp_path: Path
) -> None:
    empty = tmp_path / "typo"
    result = run(*command, "--data-dir", str(empty))
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"smscloud: no smscloud database in {empty}: start `smscloud serve` there first,"
        " or pass --data-dir/--database-url\n"
    )
    assert not empty.exists()

    empty.mkdir()
    assert run(*command, "--data-dir", str(empty)).exit_code == 2
    assert list(empty.iterdir()) == []  # no database, no secret.key


def test_an_sqlite_url_naming_no_file_is_refused(tmp_path: Path) -> None:
    missing = tmp_path / "missing.db"
    result = run("tenant", "list", "--data-dir", str(tmp_path / "data"), "--database-url", f"sqlite:///{missing}")
    assert (result.exit_code, result.stderr) == (
        2,
        f"smscloud: no smscloud database at {missing}: start `smscloud serve` there first,"
        " or pass --data-dir/--database-url\n",
    )
    assert not missing.exists() and not (tmp_path / "data").exists()


def test_the_test_database_is_used_as_before_whatever_the_data_directory(database_url: str, tmp_path: Path) -> None:
    """A PostgreSQL URL (or an SQLite file that exists) is opened as it always was."""
    where = ("--data-dir", str(tmp_path / "fresh"), "--database-url", database_url)
    result = run("status", *where)
    assert (result.exit_code, result.stderr) == (0, ""), result.output
    listed = run("operator", "list", *where)
    assert (listed.exit_code, listed.stdout, listed.stderr) == (0, "", "")


@pytest.mark.parametrize(
    "command",
    [("demo", "--json"), ("operator", "create", "--email", "li@example.com", "--name", "Li")],
    ids=" ".join,
)
def test_demo_and_operator_create_start_a_platform_and_say_so_once(command: tuple[str, ...], tmp_path: Path) -> None:
    data = tmp_path / "new"
    first = run(*command, "--data-dir", str(data))
    assert first.exit_code == 0, first.output
    assert first.stderr == f"smscloud: created a new platform in {data}\n"
    assert (data / "smscloud.db").is_file() and (data / "secret.key").is_file()

    again = run("demo", "--json", "--data-dir", str(data))
    assert (again.exit_code, again.stderr) == (0, "")
    assert run("status", "--data-dir", str(data)).exit_code == 0
    assert run("operator", "list", "--data-dir", str(data)).exit_code == 0
