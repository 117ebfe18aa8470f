"""One process per role and data directory, where SQLite needs it."""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from sqlalchemy.engine import make_url

from smscloud.config import Settings

__all__ = ["AlreadyRunning", "single_instance"]


class AlreadyRunning(RuntimeError):
    """Another process already holds this role for this data directory."""


@contextlib.contextmanager
def single_instance(settings: Settings, role: str) -> Iterator[None]:
    """On SQLite, hold `<data-dir>/<role>.lock` (flock) for the life of the block.

    SQLite takes its writes from one process per role: a second `serve` (or a second connector)
    on the same data directory would race the first. PostgreSQL needs no such lock.
    """
    if make_url(settings.database_url).get_backend_name() != "sqlite":
        yield
        return
    path = Path(settings.data_path) / f"{role}.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    handle: IO[str] = path.open("w")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise AlreadyRunning(
                f"another smscloud {role} is already using {settings.data_path}; stop it or use --data-dir"
            ) from exc
        handle.write(str(os.getpid()))
        handle.flush()
        yield
    finally:
        handle.close()
