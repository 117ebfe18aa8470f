"""SerialNo: the per-message id customers see, in Tencent's shape (`3000:` and 28 digits)."""

from __future__ import annotations

import functools
import itertools
import secrets
from datetime import datetime

__all__ = ["new_serial_no"]

# Six random digits drawn once per process, then a counter: unique within a process by the
# counter, across processes by the random part (and the database's unique index stands guard).
_PROCESS = secrets.randbelow(10**6)
_COUNTER = itertools.count(secrets.randbelow(10**6))


def new_serial_no(now: datetime) -> str:
    """Microseconds since the epoch then 12 digits (6 per process, 6 counting): unique, and
    roughly time-ordered so the unique index grows at its end."""
    return f"{_prefix(now)}{next(_COUNTER) % 10**6:06d}"


@functools.lru_cache(maxsize=8)
def _prefix(now: datetime) -> str:
    # The messages of one request share their acceptance time: convert it once, not per number.
    micros = int(now.timestamp() * 1_000_000)
    return f"3000:{micros:016d}{_PROCESS:06d}"
