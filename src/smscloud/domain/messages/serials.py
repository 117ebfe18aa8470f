"""SerialNo: the per-message id customers see, in Tencent's shape (`3000:` and 28 digits)."""

from __future__ import annotations

import secrets
from datetime import datetime

__all__ = ["new_serial_no"]


def new_serial_no(now: datetime) -> str:
    """Microseconds since the epoch then 12 random digits: unique, and roughly time-ordered so
    the unique index grows at its end."""
    micros = int(now.timestamp() * 1_000_000)
    return f"3000:{micros:016d}{secrets.randbelow(10**12):012d}"
