"""A carrier's settings for tests: valid defaults, with whatever a test changes."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from smscloud.domain.carriers.model import Carrier

__all__ = ["carrier_settings"]

_DEFAULT = Carrier(
    id=0,
    name="cmcc-gd",
    protocol="smpp",
    host="smsc.example.net",
    port=2775,
    system_id="shop01",
    password="s3cret",
    system_type="",
    source_addr="106900",
    window=10,
    tps=100,
    binds=2,
    enabled=True,
)


def carrier_settings(**changes: Any) -> Carrier:
    """A valid carrier (not stored: id 0) with `changes` applied."""
    return replace(_DEFAULT, **changes)
