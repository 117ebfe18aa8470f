"""Why a qualification is refused where it is named."""

from __future__ import annotations

from smscloud.domain.shared.errors import Forbidden

__all__ = ["QualificationNotAllowed", "QualificationNotApproved"]


class QualificationNotApproved(Forbidden):
    """The qualification exists and is the tenant's, but is not approved."""


class QualificationNotAllowed(Forbidden):
    """An individual account that does not use SMS yet: it chooses enterprise in its profile instead."""
