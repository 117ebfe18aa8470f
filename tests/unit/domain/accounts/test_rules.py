"""What an account lacks before it may apply for SMS (seed 3.1)."""

from __future__ import annotations

import pytest

from smscloud.domain.accounts.model import TenantKind
from smscloud.domain.accounts.rules import Missing, missing_for_sms
from smscloud.domain.shared.review import ReviewStatus
from tests.unit.domain import factories as f

PENDING, APPROVED, REJECTED = ReviewStatus.PENDING, ReviewStatus.APPROVED, ReviewStatus.REJECTED


@pytest.mark.parametrize(
    ("kind", "has_profile", "qualification", "missing"),
    [
        # An individual needs a profile and nothing else; a qualification does not matter.
        (TenantKind.INDIVIDUAL, False, None, [Missing.PROFILE]),
        (TenantKind.INDIVIDUAL, True, None, []),
        (TenantKind.INDIVIDUAL, True, PENDING, []),
        (TenantKind.INDIVIDUAL, True, REJECTED, []),
        (TenantKind.INDIVIDUAL, True, APPROVED, []),
        # An enterprise needs a profile and an approved qualification.
        (TenantKind.ENTERPRISE, False, None, [Missing.PROFILE, Missing.QUALIFICATION]),
        (TenantKind.ENTERPRISE, True, None, [Missing.QUALIFICATION]),
        (TenantKind.ENTERPRISE, True, PENDING, [Missing.QUALIFICATION_PENDING]),
        (TenantKind.ENTERPRISE, False, PENDING, [Missing.PROFILE, Missing.QUALIFICATION_PENDING]),
        (TenantKind.ENTERPRISE, True, REJECTED, [Missing.QUALIFICATION]),
        (TenantKind.ENTERPRISE, True, APPROVED, []),
        (TenantKind.ENTERPRISE, False, APPROVED, [Missing.PROFILE]),
    ],
)
def test_missing_for_sms(
    kind: TenantKind, has_profile: bool, qualification: ReviewStatus | None, missing: list[Missing]
) -> None:
    assert (
        missing_for_sms(
            tenant=f.tenant(kind=kind),
            profile=f.profile() if has_profile else None,
            qualification=None if qualification is None else f.qualification(status=qualification),
        )
        == missing
    )
