"""Reconnect delays: exponential from ``base`` to ``cap``, with jitter so that binds that dropped
together (an SMSC restart) do not all come back in the same instant."""

from __future__ import annotations

import random
from collections.abc import Callable

__all__ = ["Backoff"]


class Backoff:
    """``base·2^n`` seconds for the n-th retry in a row, capped at ``cap``, times a factor drawn
    uniformly from [0.5, 1) ("equal jitter"). `reset` after a success; `exhaust` to jump to the cap."""

    def __init__(self, base: float, cap: float, *, uniform: Callable[[], float] = random.random) -> None:
        if not 0 < base <= cap:
            raise ValueError(f"need 0 < base <= cap, got base={base} cap={cap}")
        self.base = base
        self.cap = cap
        self._uniform = uniform
        self._attempt = 0

    def next_delay(self) -> float:
        """The delay before the next attempt; each call counts one more failure."""
        raw = min(self.cap, self.base * 2.0 ** min(self._attempt, 62))
        self._attempt += 1
        return raw * (0.5 + 0.5 * self._uniform())

    def reset(self) -> None:
        self._attempt = 0

    def exhaust(self) -> None:
        """Make the next delays the longest: for failures that retrying soon cannot fix."""
        while self.base * 2.0**self._attempt < self.cap and self._attempt < 62:
            self._attempt += 1
