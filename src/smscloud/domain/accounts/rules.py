"""When an account may use the SMS service (seed 3.1): a complete profile, and for an enterprise
an approved qualification."""

from __future__ import annotations

from enum import StrEnum

from smscloud.domain.accounts.model import Tenant, TenantKind, TenantProfile
from smscloud.domain.qualification.model import Qualification
from smscloud.domain.shared.review import ReviewStatus

__all__ = ["Missing", "missing_for_sms"]


class Missing(StrEnum):
    PROFILE = "profile"  # the profile is not filled in
    QUALIFICATION = "qualification"  # an enterprise has not submitted (or must resubmit) its qualification
    QUALIFICATION_PENDING = "qualification_pending"  # submitted, waiting for an operator


def missing_for_sms(
    *, tenant: Tenant, profile: TenantProfile | None, qualification: Qualification | None
) -> list[Missing]:
    """What the account still lacks before it may apply for SMS; empty when nothing."""
    missing: list[Missing] = []
    if profile is None:
        missing.append(Missing.PROFILE)
    if tenant.kind is TenantKind.ENTERPRISE:
        if qualification is None or qualification.status is ReviewStatus.REJECTED:
            missing.append(Missing.QUALIFICATION)
        elif qualification.status is ReviewStatus.PENDING:
            missing.append(Missing.QUALIFICATION_PENDING)
    return missing
