"""Which carrier a number goes to: the enabled route with the longest matching prefix."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["Route", "choose_carrier"]


@dataclass(frozen=True, slots=True)
class Route:
    prefix: str  # digits of the E.164 number without "+"; "" matches everything
    carrier_id: int
    priority: int = 0


def choose_carrier(routes: Sequence[Route], e164: str) -> int | None:
    digits = e164.removeprefix("+")
    best: Route | None = None
    for route in routes:
        if not digits.startswith(route.prefix):
            continue
        if best is None or (len(route.prefix), route.priority) > (len(best.prefix), best.priority):
            best = route
    return None if best is None else best.carrier_id
