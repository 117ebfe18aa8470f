"""The commands `serve` suggests work as printed: the path the user can run (`smscloud` only when
their shell finds this one) and the data directory and database of this server."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
from pathlib import Path

import pytest

from smscloud.config import load_settings
from smscloud.entrypoints.serve import smscloud_command
from tests.support.server import server_process

pytestmark = pytest.mark.integration


def in_a_shell(command: str) -> subprocess.CompletedProcess[str]:
    """`command` typed in the user's shell, here: none of the server's SMSCLOUD_* settings."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("SMSCLOUD_")}
    return subprocess.run(["/bin/sh", "-c", command], env=env, capture_output=True, text=True, timeout=60, check=False)


def test_the_banners_commands_act_on_this_server(database_url: str, tmp_path: Path) -> None:
    server = server_process(tmp_path / "data", database_url)
    server.start()
    try:
        banner = "".join(server.output)
        change = re.search(r"\(change it with: (.+)\)$", banner, re.MULTILINE)
        first_send = re.search(r"Credentials for a first send: (.+)$", banner, re.MULTILINE)
        assert change is not None and first_send is not None, banner
        for printed in (change.group(1), first_send.group(1)):
            words = shlex.split(printed)
            assert words[words.index("--data-dir") + 1] == str(tmp_path / "data")
            assert words[words.index("--database-url") + 1] == database_url  # the test URLs have no password

        done = in_a_shell(first_send.group(1))
        assert (done.returncode, done.stderr) == (0, ""), done.stderr
        assert f'"endpoint": "{server.endpoint}"' in done.stdout  # this server's demo tenant

        done = in_a_shell(change.group(1))
        assert (done.returncode, done.stderr) == (0, ""), done.stderr
        assert "password of admin@smscloud.local changed" in done.stdout
    finally:
        server.stop()


def test_smscloud_itself_when_the_shell_finds_it_else_its_path(tmp_path: Path) -> None:
    bin_dir = tmp_path / "project" / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    script = bin_dir / "smscloud"
    script.write_text("#!/bin/sh\n")
    script.chmod(0o755)
    defaults = load_settings(environ={})
    project = tmp_path / "project"

    def command(environ: dict[str, str], cwd: Path = project) -> str:
        return smscloud_command(defaults, "demo", "--json", argv0=str(script), environ=environ, cwd=cwd)

    assert command({"PATH": "/usr/bin"}) == ".venv/bin/smscloud demo --json"
    assert command({"PATH": f"/usr/bin:{bin_dir}"}) == "smscloud demo --json"
    # `uv run` (and `make run`) put the environment's bin on the PATH of this process only.
    uv_run = {"PATH": f"{bin_dir}:/usr/bin", "UV_RUN_RECURSION_DEPTH": "1", "VIRTUAL_ENV": str(bin_dir.parent)}
    assert command(uv_run) == ".venv/bin/smscloud demo --json"
    assert command({"PATH": "/usr/bin"}, cwd=bin_dir) == "./smscloud demo --json"
    assert command({"PATH": "/usr/bin"}, cwd=tmp_path / "elsewhere") == f"{script} demo --json"

    elsewhere = load_settings(
        environ={"SMSCLOUD_DATA_DIR": "my data", "SMSCLOUD_DATABASE_URL": "postgresql://sms:hunter2@db:5432/sms"}
    )
    printed = smscloud_command(elsewhere, "demo", "--json", argv0=str(script), environ={"PATH": ""}, cwd=project)
    assert (
        printed
        == ".venv/bin/smscloud demo --json --data-dir 'my data' --database-url 'postgresql://sms:***@db:5432/sms'"
    )
    assert "hunter2" not in printed
