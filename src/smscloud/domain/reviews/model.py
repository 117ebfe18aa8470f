"""A reviewer's decision."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from smscloud.domain.shared.errors import InvalidInput
from smscloud.domain.shared.text import has_control_characters

__all__ = ["Decision", "ReviewKind"]


class ReviewKind(StrEnum):
    QUALIFICATION = "qualification"
    SIGNATURE = "signature"
    TEMPLATE = "template"


@dataclass(frozen=True, slots=True)
class Decision:
    approve: bool
    reason: str = ""

    def __post_init__(self) -> None:
        if not self.approve and not self.reason.strip():
            raise InvalidInput("reason", "say why it is rejected: the customer sees the reason")
        if len(self.reason) > 500:
            raise InvalidInput("reason", "must be at most 500 characters")
        # Several lines are fine (the customer reads them as written); other controls are not.
        if has_control_characters(self.reason.replace("\n", " ").replace("\r", " ")):
            raise InvalidInput("reason", "must not contain control characters")

    @classmethod
    def approved(cls, note: str = "") -> Decision:
        return cls(approve=True, reason=note)

    @classmethod
    def rejected(cls, reason: str) -> Decision:
        return cls(approve=False, reason=reason)
