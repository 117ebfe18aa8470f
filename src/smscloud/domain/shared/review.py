"""Review status of what operators approve: qualifications, signatures, templates."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["ReviewStatus"]


class ReviewStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"

    @property
    def usable(self) -> bool:
        return self is ReviewStatus.APPROVED

    @property
    def editable(self) -> bool:
        """Only what is still pending or was rejected may be modified (and goes back to review)."""
        return self is not ReviewStatus.APPROVED
