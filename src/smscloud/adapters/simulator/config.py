"""What the simulator is told: where to listen, who may bind, and how receipts behave."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["MAX_PASSWORD_LENGTH", "MAX_SYSTEM_ID_LENGTH", "SimulatorConfig"]

MAX_SYSTEM_ID_LENGTH = 15
"""SMPP 3.4 system_id: a C-Octet String of at most 16 octets, NUL included (§4.1.1)."""

MAX_PASSWORD_LENGTH = 8
"""SMPP 3.4 password: a C-Octet String of at most 9 octets, NUL included (§4.1.1)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class SimulatorConfig:
    """Configuration of one simulated SMSC. The caller builds it from its settings; nothing is read
    from the environment here.

    ``credentials`` lists the (system_id, password) pairs that may bind; a system_id may appear with
    several passwords. Receipts go out ``receipt_delay_s`` (plus a uniform random
    0..``receipt_jitter_s``) after the submit_sm. A receipt whose deliver_sm is not answered with
    ESME_ROK within ``receipt_response_timeout_s`` is sent again after a backoff that doubles from
    ``receipt_retry_base_s`` up to ``receipt_retry_max_s``, forever (the pending cap bounds memory).

    Link liveness, as a real SMSC keeps it: a bound session from which nothing has arrived for
    ``enquire_link_s`` gets an enquire_link (another after each further ``enquire_link_s`` of
    silence); one from which nothing at all has arrived for ``idle_timeout_s`` is unbound (waiting
    up to ``unbind_timeout_s`` for the unbind_resp) and closed, which frees its bind. 0 turns either
    off. A connection that has not bound within ``bind_timeout_s`` is closed.
    """

    host: str = "127.0.0.1"
    port: int = 2775  # 0: an ephemeral port; `Simulator.start()` returns the one bound
    credentials: Sequence[tuple[str, str]] = field(default_factory=tuple)
    receipt_delay_s: float = 1.0
    receipt_jitter_s: float = 0.0
    submit_delay_s: float = 0.0  # before each submit_sm_resp, as a carrier takes time to answer
    ledger_path: Path | None = None  # one JSON line per accepted submit_sm part (see `ledger`)
    max_pending_receipts: int = 1_000_000  # above this the oldest pending receipt is dropped
    receipt_window: int = 64  # deliver_sm awaiting deliver_sm_resp, per session
    receipt_response_timeout_s: float = 30.0
    receipt_retry_base_s: float = 1.0
    receipt_retry_max_s: float = 60.0
    bind_timeout_s: float = 30.0  # a connection that has not bound by then is closed
    enquire_link_s: float = 30.0  # silence from a bound session before the simulator enquires (0: never)
    idle_timeout_s: float = 90.0  # silence from a bound session before it is unbound and closed (0: never)
    unbind_timeout_s: float = 2.0  # how long an unbind (at `stop()` or for idleness) waits for unbind_resp
    smsc_system_id: str = "SMSCLOUDSIM"  # the system_id in bind responses

    def __post_init__(self) -> None:
        credentials = tuple((str(system_id), str(password)) for system_id, password in self.credentials)
        object.__setattr__(self, "credentials", credentials)
        if not credentials:
            raise ValueError("the simulator needs at least one (system_id, password) credential")
        for system_id, password in credentials:
            if not _is_c_octet_string(system_id, MAX_SYSTEM_ID_LENGTH) or not system_id:
                raise ValueError(
                    f"system_id {system_id!r} must be 1..{MAX_SYSTEM_ID_LENGTH} Latin-1 characters, no NUL"
                )
            if not _is_c_octet_string(password, MAX_PASSWORD_LENGTH):
                raise ValueError(
                    f"the password of {system_id!r} has {len(password)} characters; SMPP 3.4 allows"
                    f" at most {MAX_PASSWORD_LENGTH} Latin-1 characters, no NUL"
                )
        if not 0 <= self.port <= 65535:
            raise ValueError(f"port {self.port} is outside 0..65535")
        if not _is_c_octet_string(self.smsc_system_id, MAX_SYSTEM_ID_LENGTH):
            raise ValueError(f"smsc_system_id must be at most {MAX_SYSTEM_ID_LENGTH} characters")
        for name in (
            "receipt_delay_s",
            "receipt_jitter_s",
            "submit_delay_s",
            "receipt_retry_base_s",
            "receipt_retry_max_s",
            "enquire_link_s",
            "idle_timeout_s",
        ):
            _check_seconds(name, getattr(self, name), allow_zero=True)
        for name in ("receipt_response_timeout_s", "bind_timeout_s", "unbind_timeout_s"):
            _check_seconds(name, getattr(self, name), allow_zero=False)
        if self.idle_timeout_s and self.enquire_link_s >= self.idle_timeout_s:
            raise ValueError(
                f"enquire_link_s ({self.enquire_link_s}) must be shorter than idle_timeout_s"
                f" ({self.idle_timeout_s}): a silent session would be closed before it is enquired"
            )
        if self.max_pending_receipts < 1:
            raise ValueError("max_pending_receipts must be at least 1")
        if self.receipt_window < 1:
            raise ValueError("receipt_window must be at least 1")


def _check_seconds(name: str, value: float, *, allow_zero: bool) -> None:
    if not math.isfinite(value) or value < 0 or (value == 0 and not allow_zero):
        bound = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"{name} must be a finite number of seconds {bound}, got {value!r}")


def _is_c_octet_string(value: str, max_length: int) -> bool:
    try:
        data = value.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return len(data) <= max_length and b"\0" not in data
