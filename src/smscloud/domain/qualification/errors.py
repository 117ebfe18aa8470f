"""Why a qualification is refused where it is named."""

from __future__ import annotations

from smscloud.domain.shared.errors import Forbidden

__all__ = ["QualificationNotApproved"]


class QualificationNotApproved(Forbidden):
    """The qualification exists and is the tenant's, but is not approved."""
