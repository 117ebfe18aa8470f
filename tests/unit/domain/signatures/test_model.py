"""How a signature appears on the handset, and who may use it."""

from __future__ import annotations

import pytest

from smscloud.domain.shared.review import ReviewStatus
from tests.unit.domain import factories as f


def test_domestic_signature_is_in_full_width_brackets_before_the_body() -> None:
    assert f.signature(name="腾讯云").decorate("您的订单已发货。") == "【腾讯云】您的订单已发货。"


def test_international_signature_is_in_square_brackets_before_the_body() -> None:
    assert f.intl_signature(name="Acme").decorate("Your code is 1") == "[Acme]Your code is 1"


@pytest.mark.parametrize(
    ("overrides", "international", "usable"),
    [
        ({}, False, True),
        ({}, True, False),
        ({"status": ReviewStatus.PENDING}, False, False),
        ({"status": ReviewStatus.REJECTED}, False, False),
        ({"tenant_id": f.OTHER_TENANT_ID}, False, False),
        ({"international": True}, True, True),
    ],
)
def test_usable_only_by_its_tenant_once_approved_and_for_its_region(
    overrides: dict[str, object], international: bool, usable: bool
) -> None:
    signature = f.signature(**overrides)
    assert signature.usable_for(tenant_id=f.TENANT_ID, international=international) is usable
