"""`smscloud connector --index`: refused outside 0..dispatch.connector_processes-1, before anything starts."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from smscloud.entrypoints.cli import app


@pytest.mark.parametrize(("processes", "index"), [("1", "1"), ("2", "2"), ("2", "-1")])
def test_an_index_outside_the_connector_processes_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, processes: str, index: str
) -> None:
    monkeypatch.setenv("SMSCLOUD_DISPATCH__CONNECTOR_PROCESSES", processes)
    result = CliRunner().invoke(app, ["connector", "--data-dir", str(tmp_path), "--index", index])
    assert result.exit_code == 2
    assert f"--index must be 0..{int(processes) - 1}" in result.output
    assert not (tmp_path / "smscloud.db").exists()


def test_connector_processes_outside_1_to_64_is_a_settings_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SMSCLOUD_DISPATCH__CONNECTOR_PROCESSES", "0")
    result = CliRunner().invoke(app, ["connector", "--data-dir", str(tmp_path)])
    assert result.exit_code != 0
    assert "connector_processes" in result.output
