"""`smscloud tenant list|suspend|resume` and `smscloud operator two-step-off`: the operators'
command line, on the test database (SQLite or PostgreSQL), refusing with one line and exit code 1."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from typer.testing import CliRunner

from smscloud.bootstrap import open_platform
from smscloud.config import load_settings
from smscloud.domain.identity.model import Principal
from smscloud.domain.identity.two_step import new_secret, step_of, totp
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


def test_an_operator_who_lost_their_phone_has_two_step_turned_off(database_url: str, tmp_path: Path) -> None:
    where = ("--data-dir", str(tmp_path), "--database-url", database_url)
    assert run("operator", "create", "--email", "li@example.com", "--name", "Li", *where)[0] == 0

    async def turn_on() -> None:
        platform = await open_platform(load_settings(overrides={"data_dir": str(tmp_path), "db.url": database_url}))
        try:
            operator = await platform.operators.by_email("li@example.com")
            assert operator is not None
            secret = new_secret()
            await platform.identity.enable_two_step(
                Principal.operator(operator.id), secret=secret, code=totp(secret, step_of(platform.clock.now()))
            )
        finally:
            await platform.close()

    async def is_on() -> bool:
        platform = await open_platform(load_settings(overrides={"data_dir": str(tmp_path), "db.url": database_url}))
        try:
            operator = await platform.operators.by_email("li@example.com")
            assert operator is not None
            return await platform.identity.two_step_of(Principal.operator(operator.id)) is not None
        finally:
            await platform.close()

    asyncio.run(turn_on())
    assert asyncio.run(is_on())
    assert run("operator", "two-step-off", "--email", "li@example.com", *where) == (
        0,
        "two-step verification of li@example.com is off\n",
    )
    assert not asyncio.run(is_on())
    assert run("operator", "create", "--email", "wang@example.com", "--name", "Wang", *where)[0] == 0  # not the last
    assert run("operator", "disable", "--email", "li@example.com", *where)[0] == 0
    assert run("operator", "enable", "--email", "li@example.com", *where)[0] == 0
    assert run("operator", "password", "--email", "li@example.com", "--password", "Sturdy-2026x", *where)[0] == 0

    async def operator_entries() -> list[tuple[str, str, str]]:
        platform = await open_platform(load_settings(overrides={"data_dir": str(tmp_path), "db.url": database_url}))
        try:
            entries = await platform.audit.recent(limit=20, subject_kind="operator")
            return [(e.action, e.detail, e.actor.kind.value) for e in reversed(entries)]
        finally:
            await platform.close()

    # Every change to an operator account made from here is in the audit log, by "system".
    assert [(a, d) for a, d, _ in asyncio.run(operator_entries()) if d == "li@example.com"] == [
        ("operator.create", "li@example.com"),
        ("operator.two_step_reset", "li@example.com"),
        ("operator.disable", "li@example.com"),
        ("operator.enable", "li@example.com"),
        ("operator.password_set", "li@example.com"),
    ]
    assert {kind for _, _, kind in asyncio.run(operator_entries())} == {"system"}
    assert run("operator", "two-step-off", "--email", "nobody@example.com", *where) == (
        1,
        "smscloud: no operator with the e-mail address nobody@example.com\n",
    )
