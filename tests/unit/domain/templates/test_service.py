"""Submitting templates for review, and reviewing them."""

from __future__ import annotations

import pytest

from smscloud.domain.shared.clock import FixedClock
from smscloud.domain.shared.errors import InvalidInput, NotFound
from smscloud.domain.shared.review import ReviewStatus
from smscloud.domain.templates.model import SmsType
from smscloud.domain.templates.service import review_template, submit_template
from tests.unit.domain.factories import NOW
from tests.unit.domain.fakes import FakeTemplateStore

CLOCK = FixedClock(NOW)


async def submit(store: FakeTemplateStore, **overrides: object):
    values: dict[str, object] = {
        "store": store,
        "clock": CLOCK,
        "tenant_id": 1,
        "name": " shipping ",
        "content": "您的订单{1}已发货。",
        "sms_type": SmsType.NOTIFICATION,
        "international": False,
    }
    values.update(overrides)
    return await submit_template(**values)  # type: ignore[arg-type]


async def test_a_submitted_template_waits_for_review() -> None:
    store = FakeTemplateStore()
    template = await submit(store)
    assert template.status is ReviewStatus.PENDING
    assert template.name == "shipping"
    assert template.parameters == 1
    assert template.created_at == NOW
    assert list(store.templates.values()) == [template]


async def test_a_bad_body_is_refused_before_it_is_stored() -> None:
    store = FakeTemplateStore()
    with pytest.raises(InvalidInput):
        await submit(store, content="【签名】不可以")
    assert store.templates == {}


@pytest.mark.parametrize("name", ["", "  ", "n" * 129])
async def test_template_name_must_be_1_to_128_characters(name: str) -> None:
    store = FakeTemplateStore()
    with pytest.raises(InvalidInput) as invalid:
        await submit(store, name=name)
    assert invalid.value.field == "TemplateName"
    assert store.templates == {}


@pytest.mark.parametrize(("approve", "status"), [(True, ReviewStatus.APPROVED), (False, ReviewStatus.REJECTED)])
async def test_review_sets_the_status_and_reply(approve: bool, status: ReviewStatus) -> None:
    store = FakeTemplateStore()
    template = await submit(store)
    reviewed = await review_template(store=store, clock=CLOCK, template_id=template.id, approve=approve, reply="ok")
    assert reviewed.status is status
    assert reviewed.review_reply == "ok"
    assert store.templates[template.id].status is status


async def test_reviewing_an_unknown_template_is_not_found() -> None:
    with pytest.raises(NotFound):
        await review_template(store=FakeTemplateStore(), clock=CLOCK, template_id=9, approve=True)
