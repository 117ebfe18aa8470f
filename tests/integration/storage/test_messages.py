"""Storing accepted messages, and reading final statuses back as reports (pull queue and by number)."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta

import pytest

from smscloud.adapters.storage.messages import REPORT_PENDING, REPORT_PULLED
from smscloud.domain.messages.dispatch import SubmitFailed, Submitted
from smscloud.domain.messages.model import MessageStatus
from tests.support.builders import NOW, Builder, Stores, message_row

pytestmark = pytest.mark.integration

CN = "+8613711112222"
CN_2 = "+8613711113333"


# --- add ----------------------------------------------------------------------------------------------


async def test_added_messages_are_queued_and_due_at_once(stores: Stores, build: Builder) -> None:
    acme = await build.sender()
    message = build.new_message(acme, session_context="ctx", segments=2, content="【腾讯云】" + "好" * 66)
    await stores.messages.add([message])

    row = await message_row(stores.db, message.serial_no)
    assert row.status == "queued"
    assert row.attempts == 0
    assert row.next_attempt_at == message.created_at
    assert row.claim_slot is None and row.carrier_msg_id is None
    assert row.report_state == 0
    assert row.done_at is None and row.submitted_at is None
    for field in (
        "request_id",
        "tenant_id",
        "app_id",
        "phone",
        "country_code",
        "iso_code",
        "international",
        "sign_name",
        "template_id",
        "sms_type",
        "content",
        "alphabet",
        "segments",
        "session_context",
        "extend_code",
        "sender_id",
        "carrier_id",
        "created_at",
    ):
        assert getattr(row, field) == getattr(message, field), field


async def test_a_batch_is_stored_all_or_nothing(stores: Stores, build: Builder) -> None:
    acme = await build.sender()
    [first] = await build.add_messages(acme)
    fresh = build.new_message(acme)
    duplicate = build.new_message(acme, serial_no=first.serial_no)
    with pytest.raises(Exception, match=r"(?i)unique|duplicate"):
        await stores.messages.add([fresh, duplicate])
    claimed = await stores.queue.claim(carrier_id=acme.carrier.id, slot="s", limit=10, now=NOW)
    assert [m.serial_no for m in claimed] == [first.serial_no]


# --- pull ---------------------------------------------------------------------------------------------


async def test_pull_returns_each_final_status_once_oldest_first(stores: Stores, build: Builder) -> None:
    acme = await build.sender()
    messages = await build.add_messages(acme, 5)
    await build.deliver(acme.carrier.id, messages)

    first = await stores.reports.pull(app_id=acme.app.id, limit=3)
    second = await stores.reports.pull(app_id=acme.app.id, limit=3)
    third = await stores.reports.pull(app_id=acme.app.id, limit=3)

    assert [r.serial_no for r in first + second] == [m.serial_no for m in messages]
    assert len(first) == 3 and len(second) == 2
    assert third == []


async def test_pulled_report_carries_what_the_customer_sees(stores: Stores, build: Builder) -> None:
    acme = await build.sender()
    [message] = await build.add_messages(acme, session_context="order-7")
    done = NOW + timedelta(seconds=5)
    await build.deliver(acme.carrier.id, [message], now=done)

    [report] = await stores.reports.pull(app_id=acme.app.id, limit=10)
    assert report.serial_no == message.serial_no
    assert (report.phone, report.country_code, report.subscriber) == (CN, "86", "13711112222")
    assert report.status is MessageStatus.DELIVERED
    assert report.description == "DELIVRD"
    assert report.done_at == done
    assert report.session_context == "order-7"
    assert report.sign_name == "腾讯云"
    assert (await message_row(stores.db, message.serial_no)).report_state == REPORT_PULLED


async def test_pull_only_sees_final_messages(stores: Stores, build: Builder) -> None:
    acme = await build.sender()
    messages = await build.add_messages(acme, 3)
    claimed = await stores.queue.claim(carrier_id=acme.carrier.id, slot="s", limit=2, now=NOW)
    await stores.queue.record([Submitted(claimed[0].id, ("c1",))], carrier_id=acme.carrier.id, now=NOW)
    statuses = sorted([(await message_row(stores.db, m.serial_no)).status for m in messages])
    assert statuses == ["queued", "submitted", "submitting"]

    assert await stores.reports.pull(app_id=acme.app.id, limit=100) == []


async def test_a_submit_failure_is_reported_with_its_error_code(stores: Stores, build: Builder) -> None:
    acme = await build.sender()
    [message] = await build.add_messages(acme)
    [claimed] = await stores.queue.claim(carrier_id=acme.carrier.id, slot="s", limit=10, now=NOW)
    await stores.queue.record([SubmitFailed(claimed.id, "ESME_RINVDSTADR")], carrier_id=acme.carrier.id, now=NOW)

    [report] = await stores.reports.pull(app_id=acme.app.id, limit=10)
    assert report.serial_no == message.serial_no
    assert report.status is MessageStatus.FAILED
    assert not report.status.success
    assert report.description == "ESME_RINVDSTADR"
    assert report.done_at == NOW


async def test_pull_is_per_application(stores: Stores, build: Builder) -> None:
    acme = await build.sender()
    other_app = await build.app(acme.tenant.id, name="second")
    mine = await build.add_messages(acme, 2)
    theirs = replace(build.new_message(acme), app_id=other_app.id)
    await stores.messages.add([theirs])
    await build.deliver(acme.carrier.id, [*mine, theirs])

    assert {r.serial_no for r in await stores.reports.pull(app_id=acme.app.id, limit=100)} == {
        m.serial_no for m in mine
    }
    assert [r.serial_no for r in await stores.reports.pull(app_id=other_app.id, limit=100)] == [theirs.serial_no]


async def test_concurrent_pulls_never_hand_out_a_report_twice(stores: Stores, build: Builder) -> None:
    acme = await build.sender()
    messages = await build.add_messages(acme, 40)
    await build.deliver(acme.carrier.id, messages)

    batches = await asyncio.gather(*(stores.reports.pull(app_id=acme.app.id, limit=7) for _ in range(8)))
    serials = [r.serial_no for batch in batches for r in batch]
    assert len(serials) == len(set(serials)) == 40


async def test_a_report_becomes_pullable_only_when_final(stores: Stores, build: Builder) -> None:
    acme = await build.sender()
    [message] = await build.add_messages(acme)
    row = await message_row(stores.db, message.serial_no)
    assert row.report_state != REPORT_PENDING
    await build.deliver(acme.carrier.id, [message])
    assert (await message_row(stores.db, message.serial_no)).report_state == REPORT_PENDING


# --- for_phone ----------------------------------------------------------------------------------------


async def test_for_phone_filters_by_number_window_and_app_and_keeps_the_pull_queue(
    stores: Stores, build: Builder
) -> None:
    acme = await build.sender()
    old = build.new_message(acme, created_at=NOW - timedelta(hours=3))
    inside = build.new_message(acme, created_at=NOW - timedelta(hours=1))
    edge = build.new_message(acme, created_at=NOW)
    other_number = build.new_message(acme, phone=CN_2, created_at=NOW - timedelta(hours=1))
    await stores.messages.add([old, inside, edge, other_number])
    await build.deliver(acme.carrier.id, [old, inside, edge, other_number])

    begin, end = NOW - timedelta(hours=2), NOW
    found = await stores.reports.for_phone(app_id=acme.app.id, phone=CN, begin=begin, end=end, limit=10, offset=0)
    assert [r.serial_no for r in found] == [inside.serial_no, edge.serial_no]

    open_ended = await stores.reports.for_phone(
        app_id=acme.app.id, phone=CN, begin=NOW - timedelta(days=1), end=None, limit=10, offset=0
    )
    assert [r.serial_no for r in open_ended] == [old.serial_no, inside.serial_no, edge.serial_no]

    before_edge = await stores.reports.for_phone(
        app_id=acme.app.id, phone=CN, begin=begin, end=NOW - timedelta(microseconds=1), limit=10, offset=0
    )
    assert [r.serial_no for r in before_edge] == [inside.serial_no]

    other_app = await stores.reports.for_phone(
        app_id=acme.app.id + 999, phone=CN, begin=begin, end=None, limit=10, offset=0
    )
    assert other_app == []

    # Reading by number does not consume the pull queue.
    assert len(await stores.reports.pull(app_id=acme.app.id, limit=100)) == 4


async def test_for_phone_pages_with_limit_and_offset(stores: Stores, build: Builder) -> None:
    acme = await build.sender()
    messages = [build.new_message(acme, created_at=NOW - timedelta(minutes=10 - n)) for n in range(5)]
    await stores.messages.add(messages)
    await build.deliver(acme.carrier.id, messages)

    async def page(offset: int) -> list[str]:
        found = await stores.reports.for_phone(
            app_id=acme.app.id, phone=CN, begin=NOW - timedelta(hours=1), end=None, limit=2, offset=offset
        )
        return [r.serial_no for r in found]

    assert await page(0) + await page(2) + await page(4) == [m.serial_no for m in messages]
    assert await page(5) == []


async def test_for_phone_leaves_out_messages_not_final_yet(stores: Stores, build: Builder) -> None:
    acme = await build.sender()
    await build.add_messages(acme, 2)
    found = await stores.reports.for_phone(
        app_id=acme.app.id, phone=CN, begin=NOW - timedelta(hours=1), end=None, limit=10, offset=0
    )
    assert found == []
