"""An append-only record of every submit_sm part the simulator accepted, one JSON line each.

::

    {"message_id": "9f3c04a100000001", "system_id": "smscloud", "destination": "8613800000001",
     "source": "106900", "text": "Your code is 1234", "udh": null, "data_coding": 8,
     "received_at": "2026-11-27T11:41:00.123456Z"}

``text`` is the part's text decoded per data_coding (without the UDH), or null for binary
data_coding. ``udh`` is ``{"ref", "total", "seq"}`` for one part of a concatenated message, from its
UDH or its sar_* TLVs, else null. A line is written and flushed to the operating system before the
submit_sm_resp goes out, so every message_id a client ever received is in the file even if the
simulator is killed (the file is not fsynced: a power cut may lose the tail).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import BinaryIO

import msgspec

__all__ = ["Ledger", "LedgerConcat", "LedgerEntry", "read_ledger"]


class LedgerConcat(msgspec.Struct, frozen=True):
    """Where a part sits in its concatenated message."""

    ref: int
    total: int
    seq: int


class LedgerEntry(msgspec.Struct, frozen=True, kw_only=True):
    """One accepted submit_sm part."""

    message_id: str
    system_id: str
    destination: str
    source: str
    text: str | None
    udh: LedgerConcat | None
    data_coding: int
    received_at: datetime


_encoder = msgspec.json.Encoder()
_decoder = msgspec.json.Decoder(LedgerEntry)


class Ledger:
    """The ledger file, opened for appending (its directory is created if missing)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._file: BinaryIO = path.open("ab")

    def record(self, entry: LedgerEntry) -> None:
        """Append ``entry`` and flush it; raises OSError when the file cannot be written."""
        self._file.write(_encoder.encode(entry) + b"\n")
        self._file.flush()

    def close(self) -> None:
        self._file.close()


def read_ledger(path: Path) -> list[LedgerEntry]:
    """Every entry in the ledger at ``path``, in order. A last line without its newline (a write
    cut short) is left out."""
    data = path.read_bytes()
    lines = data.split(b"\n")
    return [_decoder.decode(line) for line in lines[:-1] if line.strip()]
