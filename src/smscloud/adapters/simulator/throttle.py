"""Attempt counting for the throttling test number: refuse the first N attempts of a message."""

from __future__ import annotations

from collections.abc import Hashable

__all__ = ["AttemptCounter"]


class AttemptCounter:
    """Counts refused attempts per key, so the attempt after the N-th refusal is let through.

    A key that was let through is forgotten: sending the same message again starts over. At most
    ``max_keys`` keys are remembered (the oldest are forgotten first), so a peer sending endless
    distinct messages cannot grow it without bound.
    """

    __slots__ = ("_attempts", "_max_keys")

    def __init__(self, *, max_keys: int = 100_000) -> None:
        if max_keys < 1:
            raise ValueError("max_keys must be at least 1")
        self._attempts: dict[Hashable, int] = {}
        self._max_keys = max_keys

    def __len__(self) -> int:
        return len(self._attempts)

    def refuse(self, key: Hashable, times: int) -> bool:
        """True when this attempt of ``key`` is one of the first ``times``, and must be refused."""
        if times <= 0:
            return False
        refused = self._attempts.pop(key, 0)
        if refused >= times:
            return False
        self._attempts[key] = refused + 1  # re-inserted: now the newest
        if len(self._attempts) > self._max_keys:
            del self._attempts[next(iter(self._attempts))]
        return True
