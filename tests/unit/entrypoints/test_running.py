"""`serve` records where it listens, for `demo` on the same data directory."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from smscloud.config import load_settings
from smscloud.entrypoints.running import RECORD_NAME, recorded_endpoint, serving_at


def test_the_endpoint_is_recorded_while_serving_and_removed_after(tmp_path: Path) -> None:
    serving = load_settings(environ={"SMSCLOUD_DATA_DIR": str(tmp_path), "SMSCLOUD_API__PORT": "18080"})
    asking = load_settings(environ={"SMSCLOUD_DATA_DIR": str(tmp_path)})
    assert recorded_endpoint(asking) is None
    with serving_at(serving):
        assert recorded_endpoint(asking) == "127.0.0.1:18080"
    assert recorded_endpoint(asking) is None
    assert not (tmp_path / RECORD_NAME).exists()


def test_the_record_of_a_dead_process_is_ignored(tmp_path: Path) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    (tmp_path / RECORD_NAME).write_text(json.dumps({"pid": int(dead.stdout), "endpoint": "127.0.0.1:1"}))
    assert recorded_endpoint(load_settings(environ={"SMSCLOUD_DATA_DIR": str(tmp_path)})) is None


def test_a_damaged_record_is_ignored(tmp_path: Path) -> None:
    (tmp_path / RECORD_NAME).write_text("{not json")
    assert recorded_endpoint(load_settings(environ={"SMSCLOUD_DATA_DIR": str(tmp_path)})) is None
