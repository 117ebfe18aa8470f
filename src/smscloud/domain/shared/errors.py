"""Errors of the domain, as a tree. Adapters map them onto their own codes in their errors.py.

    DomainError
    ├── NotFound            the thing does not exist, or is not the caller's to see
    ├── Forbidden           it exists and is the caller's, but this is not allowed now
    │                       (a disabled application, an unverified account)
    ├── InvalidInput        a value breaks a format or range rule; names the field (and
    │                       carries the other fields' problems found beside it)
    ├── Conflict            the state changed under the caller, or a duplicate
    └── RuleBroken          a business rule refuses the request; carries a `Refusal`

`Refusal` (domain/messages/refusals.py) is the closed list of reasons a send is refused, so
that each API (Tencent 3.0, legacy v5) can map every reason to its own code.
"""

from __future__ import annotations

__all__ = ["Conflict", "DomainError", "Forbidden", "InvalidInput", "NotFound"]


class DomainError(Exception):
    """Base of every error the domain raises on purpose."""


class NotFound(DomainError):
    def __init__(self, what: str, key: object) -> None:
        super().__init__(f"{what} {key!r} not found")
        self.what = what
        self.key = key


class Forbidden(DomainError):
    pass


class InvalidInput(DomainError):
    """The first problem found; `others` holds the problems of other fields that independent
    checks found beside it (domain/shared/problems.py), so that a form can show them all while an
    API answers with the first."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason
        self.others: tuple[InvalidInput, ...] = ()

    @property
    def every(self) -> tuple[InvalidInput, ...]:
        return (self, *self.others)


class Conflict(DomainError):
    pass
