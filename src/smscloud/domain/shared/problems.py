"""Independent checks whose failures are all kept: a form shows each field's problem at once,
and an API answers with the first (so the order of the checks decides the API's error code)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from smscloud.domain.shared.errors import InvalidInput

__all__ = ["Problems"]

T = TypeVar("T")


class Problems:
    """One problem per field, the first found for it; `raise_any` raises them as one InvalidInput."""

    def __init__(self) -> None:
        self._found: dict[str, InvalidInput] = {}

    def check(self, check: Callable[[], T], fallback: T) -> T:
        """What `check` returns, or `fallback` after keeping the problems it raised."""
        try:
            return check()
        except InvalidInput as bad:
            for problem in bad.every:
                self._found.setdefault(problem.field, problem)
            return fallback

    def add(self, field: str, reason: str) -> None:
        self._found.setdefault(field, InvalidInput(field, reason))

    def __contains__(self, field: str) -> bool:
        return field in self._found

    def raise_any(self) -> None:
        if not self._found:
            return
        first, *rest = self._found.values()
        first.others = tuple(rest)
        raise first
