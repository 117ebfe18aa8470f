"""The submit rate of one bind: a token bucket that a carrier's "throttled" answer can hold shut.

Pure arithmetic on an injected clock, no sleeping: `Throttle.reserve()` books the next send slot
and says how long to wait for it, so tests drive it with a fake clock and the client does the
``await asyncio.sleep(delay)``.

The bucket is a GCRA (generic cell rate algorithm), the token bucket written as one timestamp:
sends are spaced ``1 / rate`` seconds apart, with up to ``burst`` sends back to back after an idle
spell; a caller that comes late does not bank credit beyond ``burst``. ``rate = 0`` means no cap.
"""

from __future__ import annotations

import time
from collections.abc import Callable

__all__ = ["Throttle"]


class Throttle:
    """Spacing of submits for one bind; ``rate`` per second, 0 for no cap."""

    def __init__(
        self,
        rate: float = 0.0,
        *,
        burst: int = 1,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if rate < 0:
            raise ValueError(f"rate must be >= 0, not {rate}")
        if burst < 1:
            raise ValueError(f"burst must be >= 1, not {burst}")
        self._clock = clock
        self._interval = 1.0 / rate if rate else 0.0
        self._tolerance = (burst - 1) * self._interval
        self._next = -float("inf")  # theoretical arrival time of the next send (GCRA "TAT")
        self._held_until = -float("inf")

    @property
    def rate(self) -> float:
        return 1.0 / self._interval if self._interval else 0.0

    def reserve(self) -> float:
        """Book one send; returns how many seconds to wait before making it (0 if none).

        A booking is not refunded: a caller that gives up after booking costs one slot.
        """
        now = self._clock()
        start = max(now, self._held_until)
        if self._interval:
            start = max(start, self._next - self._tolerance)
            self._next = max(self._next, start) + self._interval
        return start - now if start > now else 0.0

    def hold(self, seconds: float) -> None:
        """Send nothing new for ``seconds`` from now (a later hold extends, an earlier one does not
        shorten). Sends already booked keep their slot."""
        self._held_until = max(self._held_until, self._clock() + seconds)

    def held_for(self) -> float:
        """Seconds left of the current hold, 0 when none."""
        return max(0.0, self._held_until - self._clock())
