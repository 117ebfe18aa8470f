"""Message ids the simulated SMSC hands out in submit_sm_resp."""

from __future__ import annotations

import secrets

__all__ = ["MessageIdGenerator"]


class MessageIdGenerator:
    """Ids unique across runs: a random 32-bit prefix drawn once per run, then a counter.

    Ids are 16 lower-case hex digits (more after 2**32 messages in one run), e.g. ``9f3c04a100000001``.
    Two runs share a prefix with probability 2**-32.
    """

    __slots__ = ("_counter", "_prefix")

    def __init__(self, prefix: int | None = None) -> None:
        if prefix is None:
            prefix = secrets.randbits(32)
        if not 0 <= prefix <= 0xFFFFFFFF:
            raise ValueError("prefix must fit in 32 bits")
        self._prefix = f"{prefix:08x}"
        self._counter = 0

    @property
    def prefix(self) -> str:
        return self._prefix

    def next(self) -> str:
        self._counter += 1
        return f"{self._prefix}{self._counter:08x}"
