"""`smscloud carrier …`: an operator adds a carrier, routes numbers to it, turns it off and on, on
the test database (SQLite or PostgreSQL); the platform's send path routes by what was set."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from smscloud.bootstrap import ensure_simulator_carrier, open_platform
from smscloud.config import load_settings
from smscloud.domain.messages.routing import choose_carrier
from smscloud.entrypoints.cli import app

pytestmark = pytest.mark.integration


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args), env=env)
    return result.exit_code, result.output


def routed(tmp_path: Path, database_url: str, number: str) -> str | None:
    """The name of the carrier the send path would choose for `number`."""

    async def look() -> str | None:
        platform = await open_platform(load_settings(overrides={"data_dir": str(tmp_path), "db.url": database_url}))
        try:
            chosen = choose_carrier(await platform.catalog.routes(), number)
            names = {c.id: c.name for c in await platform.carriers.all()}
            return None if chosen is None else names[chosen]
        finally:
            await platform.close()

    return asyncio.run(look())


def test_an_operator_adds_a_carrier_and_routes_a_country_to_it(database_url: str, tmp_path: Path) -> None:
    where = ("--data-dir", str(tmp_path), "--database-url", database_url)
    assert run("demo", "--json", *where)[0] == 0
    world = ("--host", "smsc.example.net", "--port", "2775", "--system-id", "world")
    assert run("carrier", "set", "world", *world, *where)[0] == 0
    assert routed(tmp_path, database_url, "+8613800000000") is None  # no route: refused
    assert run("carrier", "route", "world", "--prefix", "", *where) == (0, "every number -> world (priority 0)\n")

    code, out = run(
        "carrier", "set", "cmcc-gd", "--host", "10.1.2.3", "--port", "7890", "--system-id", "shop01", "--tps", "200",
        *where,
        env={"SMSCLOUD_CARRIER_PASSWORD": "s3cret"},
    )  # fmt: skip
    assert code == 0, out
    assert out.startswith("carrier cmcc-gd added: 10.1.2.3:7890 as shop01")
    assert routed(tmp_path, database_url, "+8613800000000") == "world"  # no route to it yet

    assert run("carrier", "route", "cmcc-gd", "--prefix", "+86", *where) == (0, "+86 -> cmcc-gd (priority 0)\n")
    assert routed(tmp_path, database_url, "+8613800000000") == "cmcc-gd"
    assert routed(tmp_path, database_url, "+6591234567") == "world"

    code, out = run("carrier", "list", "--json", *where)
    listed = json.loads(out)
    (mine,) = [c for c in listed["carriers"] if c["name"] == "cmcc-gd"]
    assert (mine["host"], mine["port"], mine["system_id"], mine["tps"], mine["enabled"]) == (
        "10.1.2.3",
        7890,
        "shop01",
        200,
        True,
    )
    assert "s3cret" not in out and "password" not in out
    assert {"prefix": "86", "carrier": "cmcc-gd", "priority": 0, "enabled": True} in listed["routes"]

    # A change keeps what it does not name (the password included); off, its numbers go elsewhere.
    assert run("carrier", "set", "cmcc-gd", "--window", "32", "--receipt-ids", "hex-then-decimal", *where)[0] == 0
    assert "receipt_ids=hex-then-decimal" in run("carrier", "list", *where)[1]
    code, out = run("carrier", "set", "cmcc-gd", "--receipt-ids", "octal", *where)
    assert code == 2 and "--receipt-ids must be one of as-sent, caseless, hex" in out
    assert run("carrier", "disable", "cmcc-gd", *where)[0] == 0
    assert routed(tmp_path, database_url, "+8613800000000") == "world"
    assert run("carrier", "enable", "cmcc-gd", *where)[0] == 0
    assert routed(tmp_path, database_url, "+8613800000000") == "cmcc-gd"
    assert run("carrier", "unroute", "cmcc-gd", "--prefix", "86", *where) == (0, "route '86' of cmcc-gd removed\n")
    assert routed(tmp_path, database_url, "+8613800000000") == "world"

    async def stored_password() -> str:
        platform = await open_platform(load_settings(overrides={"data_dir": str(tmp_path), "db.url": database_url}))
        try:
            carrier = await platform.carriers.by_name("cmcc-gd")
            assert carrier is not None and carrier.window == 32
            entries = await platform.audit.recent(limit=20, subject_kind="carrier")
            assert [e.action for e in reversed(entries)][2:] == [
                "carrier.create",
                "carrier.route",
                "carrier.update",
                "carrier.disable",
                "carrier.enable",
                "carrier.unroute",
            ]
            return carrier.password
        finally:
            await platform.close()

    assert asyncio.run(stored_password()) == "s3cret"


def test_bad_carrier_settings_are_refused_with_every_problem(database_url: str, tmp_path: Path) -> None:
    where = ("--data-dir", str(tmp_path), "--database-url", database_url)
    assert run("demo", "--json", *where)[0] == 0

    code, out = run(
        "carrier", "set", "cmcc", "--host", "10.1.2.3", "--port", "0", "--system-id", "much-too-long-id", *where
    )
    assert code == 1
    assert "smscloud: port: must be between 1 and 65535" in out
    assert "smscloud: system_id: must be at most 15 characters (SMPP 3.4)" in out

    code, out = run("carrier", "set", "cmcc", "--host", "10.1.2.3", *where)
    assert code == 2 and "a new carrier needs --port, --system-id" in out
    code, out = run("carrier", "set", "simulator", "--host", "x", "--port", "1", "--system-id", "x", *where)
    assert code == 1 and "the built-in simulator's" in out
    assert run("carrier", "route", "nope", "--prefix", "86", *where) == (1, "smscloud: carrier 'nope' not found\n")
    code, out = run("carrier", "route", "simulator", "--prefix", "86a", *where)
    assert code == 1 and out.startswith("smscloud: prefix: must be up to 15 digits")

    async def with_the_simulator_carrier() -> None:
        platform = await open_platform(load_settings(overrides={"data_dir": str(tmp_path), "db.url": database_url}))
        try:
            await ensure_simulator_carrier(platform)  # as `serve` does at every start
        finally:
            await platform.close()

    asyncio.run(with_the_simulator_carrier())
    code, out = run("carrier", "disable", "simulator", *where)
    assert code == 1 and "SMSCLOUD_SIMULATOR__MODE" in out
    assert "cmcc" not in run("carrier", "list", *where)[1]
