"""An entry of the audit log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

__all__ = ["Actor", "ActorKind", "AuditEntry", "AuditNote"]


class ActorKind(StrEnum):
    OPERATOR = "operator"
    USER = "user"
    SYSTEM = "system"


@dataclass(frozen=True, slots=True)
class Actor:
    kind: ActorKind
    id: int | None

    @classmethod
    def operator(cls, operator_id: int) -> Actor:
        return cls(ActorKind.OPERATOR, operator_id)

    @classmethod
    def user(cls, user_id: int) -> Actor:
        return cls(ActorKind.USER, user_id)

    @classmethod
    def system(cls) -> Actor:
        return cls(ActorKind.SYSTEM, None)


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int
    at: datetime
    actor: Actor
    action: str  # e.g. "qualification.approve"
    subject_kind: str  # qualification | signature | template | operator | ...
    subject_id: int | None
    tenant_id: int | None
    detail: str


@dataclass(frozen=True, slots=True)
class AuditNote:
    """An entry to record with the change it describes, in the same transaction: a store given one
    writes both or neither, so no decision stands unaudited after a crash. `subject_id` None on a
    note for a row being added means the new row's id."""

    actor: Actor
    action: str
    subject_kind: str
    subject_id: int | None
    tenant_id: int | None
    detail: str
    at: datetime
