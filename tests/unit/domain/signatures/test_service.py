"""Submitting signatures for review, and reviewing them."""

from __future__ import annotations

import pytest

from smscloud.domain.shared.clock import FixedClock
from smscloud.domain.shared.errors import InvalidInput
from smscloud.domain.shared.review import ReviewStatus
from smscloud.domain.signatures.service import review_signature, submit_signature
from tests.unit.domain.factories import NOW
from tests.unit.domain.fakes import FakeSignatureStore

CLOCK = FixedClock(NOW)


async def test_a_submitted_signature_waits_for_review_then_is_approved() -> None:
    store = FakeSignatureStore()
    signature = await submit_signature(store=store, clock=CLOCK, tenant_id=1, name="腾讯云", international=False)
    assert signature.status is ReviewStatus.PENDING
    assert not signature.usable_for(tenant_id=1, international=False)
    approved = await review_signature(store=store, clock=CLOCK, signature_id=signature.id, approve=True)
    assert approved.status is ReviewStatus.APPROVED
    assert approved.usable_for(tenant_id=1, international=False)


async def test_a_rejected_signature_is_not_usable() -> None:
    store = FakeSignatureStore()
    signature = await submit_signature(store=store, clock=CLOCK, tenant_id=1, name="Acme", international=True)
    rejected = await review_signature(
        store=store, clock=CLOCK, signature_id=signature.id, approve=False, reply="no documents"
    )
    assert rejected.status is ReviewStatus.REJECTED
    assert rejected.review_reply == "no documents"
    assert not rejected.usable_for(tenant_id=1, international=True)


@pytest.mark.parametrize(("name", "international"), [("客服通知", False), ("【x】", False), ("A", True)])
async def test_a_bad_name_is_refused_before_it_is_stored(name: str, international: bool) -> None:
    store = FakeSignatureStore()
    with pytest.raises(InvalidInput):
        await submit_signature(store=store, clock=CLOCK, tenant_id=1, name=name, international=international)
    assert store.signatures == {}
