"""End-to-end fixtures: a real `smscloud serve` process on free ports and a fresh database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.server import ServerProcess, server_process


@pytest.fixture
def server(database_url: str, tmp_path: Path) -> Iterator[ServerProcess]:
    process = server_process(tmp_path / "data", database_url)
    process.start()
    try:
        yield process
    finally:
        process.stop()
