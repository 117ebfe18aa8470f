"""What a carrier's settings and a route must be before they are stored.

The lengths are SMPP 3.4's (§5.2: system_id 16 octets, password 9, system_type 13, source_addr
21, each with its terminating NUL), so a carrier that is accepted here can always be bound to.
"""

from __future__ import annotations

import re

from smscloud.domain.carriers.model import Carrier
from smscloud.domain.shared.errors import InvalidInput
from smscloud.domain.shared.problems import Problems
from smscloud.domain.shared.text import has_control_characters

__all__ = ["MAX_BINDS", "MAX_WINDOW", "SIMULATOR_CARRIER", "check_carrier", "check_prefix"]

SIMULATOR_CARRIER = "simulator"
"""The built-in simulator's carrier: kept in line with the simulator settings at every start."""

MAX_WINDOW = 1000
MAX_BINDS = 32
MAX_TPS = 100_000
_NAME = re.compile(r"[a-z0-9][a-z0-9_.-]{0,63}")
_HOST = re.compile(r"[A-Za-z0-9.:_-]{1,255}")
_PREFIX = re.compile(r"(\+?[0-9]{1,15})?")


def _ascii_field(problems: Problems, field: str, value: str, most: int, *, required: bool) -> None:
    if required and not value:
        problems.add(field, "is required")
    elif len(value) > most:
        problems.add(field, f"must be at most {most} characters (SMPP 3.4)")
    elif not value.isascii() or has_control_characters(value):
        problems.add(field, "must be printable ASCII")


def check_carrier(carrier: Carrier) -> None:
    """Raise InvalidInput with every problem of `carrier`'s settings (its id and state aside)."""
    problems = Problems()
    if not _NAME.fullmatch(carrier.name):
        problems.add(
            "name", "must be 1 to 64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit"
        )
    elif carrier.name == SIMULATOR_CARRIER:
        problems.add("name", "is the built-in simulator's, which its settings keep (SMSCLOUD_SIMULATOR__*)")
    if carrier.protocol != "smpp":
        problems.add("protocol", "must be smpp")
    if not _HOST.fullmatch(carrier.host):
        problems.add("host", "must be a host name or an IP address")
    if not 1 <= carrier.port <= 65535:
        problems.add("port", "must be between 1 and 65535")
    _ascii_field(problems, "system_id", carrier.system_id, 15, required=True)
    _ascii_field(problems, "password", carrier.password, 8, required=False)
    _ascii_field(problems, "system_type", carrier.system_type, 12, required=False)
    _ascii_field(problems, "source_addr", carrier.source_addr, 20, required=False)
    if not 1 <= carrier.window <= MAX_WINDOW:
        problems.add("window", f"must be between 1 and {MAX_WINDOW}")
    if not 0 <= carrier.tps <= MAX_TPS:
        problems.add("tps", f"must be between 0 (no cap) and {MAX_TPS}")
    if not 1 <= carrier.binds <= MAX_BINDS:
        problems.add("binds", f"must be between 1 and {MAX_BINDS}")
    problems.raise_any()


def check_prefix(prefix: str) -> str:
    """The digits an E.164 number (without "+") must start with to take a route; "" takes every
    number. A leading "+" is dropped."""
    given = prefix.strip()
    if not _PREFIX.fullmatch(given):
        raise InvalidInput("prefix", "must be up to 15 digits of an international number, e.g. 86 or 852 ('' for all)")
    return given.removeprefix("+")
