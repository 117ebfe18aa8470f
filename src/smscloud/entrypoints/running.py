"""What a running `serve` tells other commands on the same data directory: where it listens.

`smscloud serve --port 18080` answers on 18080, but `smscloud demo` (another process, maybe
without the flag) would print the configured 8080. So `serve` records its endpoint in
`<data-dir>/serve.json` once it listens, and removes it when it stops; `demo` prints that
endpoint while the recording process lives.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from pathlib import Path

from smscloud.config import Settings

__all__ = ["RECORD_NAME", "recorded_endpoint", "serving_at"]

RECORD_NAME = "serve.json"


def _record_path(settings: Settings) -> Path:
    return Path(settings.data_path) / RECORD_NAME


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's
        return True
    return True


@contextlib.contextmanager
def serving_at(settings: Settings) -> Iterator[None]:
    """Record this process's endpoint for the life of the block."""
    path = _record_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    record = {"pid": os.getpid(), "endpoint": settings.public_endpoint, "console": settings.console_url}
    partial = path.with_suffix(".tmp")
    partial.write_text(json.dumps(record), encoding="utf-8")
    partial.replace(path)
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            if json.loads(path.read_text(encoding="utf-8")).get("pid") == os.getpid():
                path.unlink()


def recorded_endpoint(settings: Settings) -> str | None:
    """The endpoint of the `serve` running on this data directory, if one is."""
    try:
        record = json.loads(_record_path(settings).read_text(encoding="utf-8"))
        pid, endpoint = int(record["pid"]), str(record["endpoint"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return endpoint if _alive(pid) else None
