"""`smscloud tenant list|suspend|resume`: the operators' command line for customer accounts, on the
test database (SQLite or PostgreSQL), refusing with one line and exit code 1."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from smscloud.entrypoints.cli import app

pytestmark = pytest.mark.integration


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def test_an_operator_lists_suspends_and_resumes_an_account(database_url: str, tmp_path: Path) -> None:
    where = ("--data-dir", str(tmp_path), "--database-url", database_url)
    assert run("demo", "--json", *where)[0] == 0
    code, listed = run("tenant", "list", *where)
    assert code == 0
    (line,) = listed.splitlines()
    tenant_id, name, kind, status, sms, _ = line.split("\t")
    assert (kind, status, sms) == ("enterprise", "active", "sms")

    assert run("tenant", "suspend", "--id", tenant_id, "--reason", "发送内容与模板不符", *where) == (
        0,
        f"tenant {tenant_id} ({name}) suspended\n",
    )
    assert run("tenant", "list", *where)[1].split("\t")[3] == "suspended"

    assert run("tenant", "resume", "--id", tenant_id, *where) == (0, f"tenant {tenant_id} ({name}) may send again\n")
    assert run("tenant", "list", *where)[1].split("\t")[3] == "active"


def test_a_suspension_without_a_reason_or_of_no_account_is_refused(database_url: str, tmp_path: Path) -> None:
    where = ("--data-dir", str(tmp_path), "--database-url", database_url)
    assert run("demo", "--json", *where)[0] == 0
    tenant_id = run("tenant", "list", *where)[1].split("\t")[0]

    assert run("tenant", "suspend", "--id", tenant_id, "--reason", " ", *where) == (
        1,
        "smscloud: reason: say why: the customer sees the reason\n",
    )
    assert run("tenant", "suspend", "--id", "999999", "--reason", "x", *where) == (
        1,
        "smscloud: tenant 999999 not found\n",
    )
    assert run("tenant", "list", *where)[1].split("\t")[3] == "active"


def test_a_reason_that_is_not_text_or_an_id_beyond_the_database_changes_nothing(
    database_url: str, tmp_path: Path
) -> None:
    where = ("--data-dir", str(tmp_path), "--database-url", database_url)
    assert run("demo", "--json", *where)[0] == 0
    tenant_id = run("tenant", "list", *where)[1].split("\t")[0]

    # Bytes that were not UTF-8 on the command line arrive as lone surrogates.
    assert run("tenant", "suspend", "--id", tenant_id, "--reason", "ok\udcff", *where) == (
        1,
        "smscloud: reason: must not contain control characters\n",
    )
    for beyond in ("99999999999999999999", "9223372036854775808", "0"):
        code, _ = run("tenant", "suspend", "--id", beyond, "--reason", "x", *where)
        assert code == 2, beyond  # a usage error, before anything is read
    assert run("tenant", "list", *where)[1].split("\t")[3] == "active"
