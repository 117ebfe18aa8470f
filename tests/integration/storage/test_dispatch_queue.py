"""The message table as each carrier's dispatch queue: claim, record, release."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from smscloud.adapters.storage.messages import REPORT_PENDING
from smscloud.domain.messages.dispatch import SubmitFailed, SubmitRetry, Submitted
from smscloud.domain.messages.model import MessageStatus
from smscloud.domain.messages.receipts import Receipt
from tests.support.builders import NOW, Builder, Stores, message_row, part_rows

pytestmark = pytest.mark.integration


# --- claim --------------------------------------------------------------------------------------------


async def test_claim_moves_due_queued_rows_to_submitting_under_the_slot(stores: Stores, build: Builder) -> None:
    acme = await build.sender()
    messages = await build.add_messages(acme, 3, content="【腾讯云】hello")
    claimed = await stores.queue.claim(carrier_id=acme.carrier.id, slot="bind-0", limit=10, now=NOW)

    assert [m.serial_no for m in claimed] == [m.serial_no for m in messages]
    first = claimed[0]
    assert (first.phone, first.content, first.international) == ("+8613711112222", "【腾讯云】hello", False)
    assert (first.extend_code, first.sender_id, first.attempts) == ("", "", 1)
    for message in messages:
        row = await message_row(stores.db, message.serial_no)
        assert (row.status, row.claim_slot, row.attempts) == ("submitting", "bind-0", 1)
    assert await stores.queue.claim(carrier_id=acme.carrier.id, slot="bind-0", limit=10, now=NOW) == []


async def test_claim_respects_the_limit_oldest_due_first(stores: Stores, build: Builder) -> None:
    acme = await build.sender()
    messages = [build.new_message(acme, created_at=NOW - timedelta(seconds=10 - n)) for n in range(5)]
    await stores.messages.add(list(reversed(messages)))

    first = await stores.queue.claim(carrier_id=acme.carrier.id, slot="s", limit=2, now=NOW)
    second = await stores.queue.claim(carrier_id=acme.carrier.id, slot="s", limit=2, now=NOW)
    third = await stores.queue.claim(carrier_id=acme.carrier.id, slot="s", limit=2, now=NOW)
    assert [len(first), len(second), len(third)] == [2, 2, 1]
    assert {m.serial_no for m in first} == {m.serial_no for m in messages[:2]}
    assert {m.serial_no for m in second} == {m.serial_no for m in messages[2:4]}


async def test_claim_takes_only_rows_of_its_carrier(stores: Stores, build: Builder) -> None:
    acme = await build.sender()
    other = await build.carrier()
    [mine] = await build.add_messages(acme)
    [theirs] = await build.add_messages(acme, carrier_id=other.id)

    claimed = await stores.queue.claim(carrier_id=acme.carrier.id, slot="s", limit=10, now=NOW)
    assert [m.serial_no for m in claimed] == [mine.serial_no]
    assert (await message_row(stores.db, theirs.serial_no)).status == "queued"


async def test_claim_leaves_rows_not_due_yet(stores: Stores, build: Builder) -> None:
    acme = await build.sender()
    [later] = await build.add_messages(acme, created_at=NOW + timedelta(seconds=1))
    assert await stores.queue.claim(carrier_id=acme.carrier.id, slot="s", limit=10, now=NOW) == []
    claimed = await stores.queue.claim(carrier_id=acme.carrier.id, slot="s", limit=10, now=NOW + timedelta(seconds=1))
    assert [m.serial_no for m in claimed] == [later.serial_no]


async def test_claim_leaves_rows_that_are_not_queued(stores: Stores, build: Builder) -> None:
    acme = await build.sender()
    [message] = await build.add_messages(acme)
    await build.deliver(acme.carrier.id, [message])
    assert await stores.queue.claim(carrier_id=acme.carrier.id, slot="s", limit=10, now=NOW) == []


async def test_concurrent_claims_never_return_the_same_row(stores: Stores, build: Builder) -> None:
    acme = await build.sender()
    await build.add_messages(acme, 60)
    batches = await asyncio.gather(
        *(stores.queue.claim(carrier_id=acme.carrier.id, slot=f"s{n}", limit=8, now=NOW) for n in range(10))
    )
    ids = [m.id for batch in batches for m in batch]
    assert all(len(batch) <= 8 for batch in batches)
    assert len(ids) == len(set(ids)) == 60


async def test_two_concurrent_claims_split_the_queue(stores: Stores, build: Builder) -> None:
    acme = await build.sender()
    await build.add_messages(acme, 10)
    a, b = await asyncio.gather(
        stores.queue.claim(carrier_id=acme.carrier.id, slot="a", limit=10, now=NOW),
        stores.queue.claim(carrier_id=acme.carrier.id, slot="b", limit=10, now=NOW),
    )
    assert not {m.id for m in a} & {m.id for m in b}
    assert len(a) + len(b) == 10


# --- record -------------------------------------------------------------------------------------------


async def test_submitted_single_part_stores_the_carrier_id(stores: Stores, build: Builder) -> None:
    acme = await build.sender()
    [message] = await build.add_messages(acme)
    [claimed] = await stores.queue.claim(carrier_id=acme.carrier.id, slot="s", limit=1, now=NOW)
    at = NOW + timedelta(seconds=1)
    await stores.queue.record([Submitted(claimed.id, ("abc123",))], carrier_id=acme.carrier.id, now=at)

    row = await message_row(stores.db, message.serial_no)
    assert (row.status, row.carrier_msg_id, row.submitted_at, row.claim_slot) == (
        "submitted",
        "abc123",
        at,
        None,
    )
    assert row.report_state == 0
    assert await part_rows(stores.db, row.id) == []


_FINAL_COLUMNS = (
    "status",
    "carrier_msg_id",
    "submitted_at",
    "claim_slot",
    "error_code",
    "receipt_stat",
    "receipt_err",
    "done_at",
    "report_state",
)


@pytest.mark.parametrize(
    ("stat", "status"),
    [("DELIVRD", MessageStatus.DELIVERED), ("UNDELIV", MessageStatus.UNDELIVERED)],
)
async def test_submitted_with_its_receipt_is_stored_final_as_if_written_in_two_steps(
    stores: Stores, build: Builder, stat: str, status: MessageStatus
) -> None:
    acme = await build.sender()
    one_write, two_writes = await build.add_messages(acme, 2)
    claimed = await stores.queue.claim(carrier_id=acme.carrier.id, slot="s", limit=2, now=NOW)
    ids = {m.serial_no: m.id for m in claimed}
    at, done = NOW + timedelta(seconds=1), NOW + timedelta(seconds=2)
    carrier = acme.carrier.id

    early = Receipt(carrier, "id-1", status, stat, "013", done)
    await stores.queue.record([Submitted(ids[one_write.serial_no], ("id-1",), early)], carrier_id=carrier, now=at)
    await stores.queue.record([Submitted(ids[two_writes.serial_no], ("id-2",))], carrier_id=carrier, now=at)
    await stores.receipts.apply([Receipt(carrier, "id-2", status, stat, "013", done)], now=done)

    merged = await message_row(stores.db, one_write.serial_no)
    separate = await message_row(stores.db, two_writes.serial_no)
    assert merged.status == status.value
    assert (merged.carrier_msg_id, merged.receipt_stat, merged.done_at) == ("id-1", stat, done)
    assert [getattr(merged, c) for c in _FINAL_COLUMNS if c != "carrier_msg_id"] == [
        getattr(separate, c) for c in _FINAL_COLUMNS if c != "carrier_msg_id"
    ]
    assert merged.report_state == REPORT_PENDING


async def test_a_receipt_with_a_submission_no_longer_submitting_changes_nothing(stores: Stores, build: Builder) -> None:
    acme = await build.sender()
    [message] = await build.add_messages(acme)
    [claimed] = await stores.queue.claim(carrier_id=acme.carrier.id, slot="s", limit=1, now=NOW)
    await stores.queue.release_slot(carrier_id=acme.carrier.id, slot="s", now=NOW)
    receipt = Receipt(acme.carrier.id, "late", MessageStatus.DELIVERED, "DELIVRD", "000", NOW)
    await stores.queue.record([Submitted(claimed.id, ("late",), receipt)], carrier_id=acme.carrier.id, now=NOW)

    row = await message_row(stores.db, message.serial_no)
    assert (row.status, row.carrier_msg_id, row.receipt_stat) == ("queued", None, "")


async def test_submitted_multi_part_stores_one_part_row_each(stores: Stores, build: Builder) -> None:
    acme = await build.sender()
    [message] = await build.add_messages(acme, segments=3)
    [claimed] = await stores.queue.claim(carrier_id=acme.carrier.id, slot="s", limit=1, now=NOW)
    await stores.queue.record([Submitted(claimed.id, ("p1", "p2", "p3"))], carrier_id=acme.carrier.id, now=NOW)

    row = await message_row(stores.db, message.serial_no)
    assert (row.status, row.carrier_msg_id, row.submitted_at) == ("submitted", None, NOW)
    parts = await part_rows(stores.db, row.id)
    assert [(p.part_no, p.carrier_msg_id, p.status, p.carrier_id) for p in parts] == [
        (1, "p1", "submitted", acme.carrier.id),
        (2, "p2", "submitted", acme.carrier.id),
        (3, "p3", "submitted", acme.carrier.id),
    ]


async def test_retry_requeues_and_is_not_claimable_before_its_time(stores: Stores, build: Builder) -> None:
    acme = await build.sender()
    [message] = await build.add_messages(acme)
    [claimed] = await stores.queue.claim(carrier_id=acme.carrier.id, slot="s", limit=1, now=NOW)
    await stores.queue.record(
        [SubmitRetry(claimed.id, "ESME_RTHROTTLED", delay_s=30)], carrier_id=acme.carrier.id, now=NOW
    )

    row = await message_row(stores.db, message.serial_no)
    assert (row.status, row.error_code, row.claim_slot) == ("queued", "ESME_RTHROTTLED", None)
    assert row.next_attempt_at == NOW + timedelta(seconds=30)
    assert row.next_attempt_at > NOW
    assert (
        await stores.queue.claim(carrier_id=acme.carrier.id, slot="s", limit=1, now=NOW + timedelta(seconds=29)) == []
    )
    [again] = await stores.queue.claim(carrier_id=acme.carrier.id, slot="s", limit=1, now=NOW + timedelta(seconds=30))
    assert again.id == claimed.id
    assert again.attempts == 2


@pytest.mark.parametrize("status", [MessageStatus.FAILED, MessageStatus.REJECTED])
async def test_failure_is_final_and_reportable(stores: Stores, build: Builder, status: MessageStatus) -> None:
    acme = await build.sender()
    [message] = await build.add_messages(acme)
    [claimed] = await stores.queue.claim(carrier_id=acme.carrier.id, slot="s", limit=1, now=NOW)
    await stores.queue.record(
        [SubmitFailed(claimed.id, "ESME_RINVDSTADR", status)], carrier_id=acme.carrier.id, now=NOW
    )

    row = await message_row(stores.db, message.serial_no)
    assert (row.status, row.error_code, row.done_at, row.claim_slot) == (
        status.value,
        "ESME_RINVDSTADR",
        NOW,
        None,
    )
    assert row.report_state == REPORT_PENDING
    assert await stores.queue.claim(carrier_id=acme.carrier.id, slot="s", limit=1, now=NOW + timedelta(days=1)) == []


async def test_one_record_call_handles_a_mixed_batch(stores: Stores, build: Builder) -> None:
    acme = await build.sender()
    messages = await build.add_messages(acme, 4)
    claimed = await stores.queue.claim(carrier_id=acme.carrier.id, slot="s", limit=4, now=NOW)
    a, b, c, d = (m.id for m in claimed)
    await stores.queue.record(
        [
            Submitted(a, ("x1",)),
            Submitted(b, ("y1", "y2")),
            SubmitRetry(c, "ESME_RMSGQFUL", 5),
            SubmitFailed(d, "ESME_RINVDSTADR"),
        ],
        carrier_id=acme.carrier.id,
        now=NOW,
    )
    statuses = [(await message_row(stores.db, m.serial_no)).status for m in messages]
    assert statuses == ["submitted", "submitted", "queued", "failed"]


async def test_record_ignores_a_message_no_longer_submitting(stores: Stores, build: Builder) -> None:
    # The slot was released (its holder was thought dead) and the row queued again: a late result
    # from the old holder must not overwrite it.
    acme = await build.sender()
    [message] = await build.add_messages(acme)
    [claimed] = await stores.queue.claim(carrier_id=acme.carrier.id, slot="s", limit=1, now=NOW)
    await stores.queue.release_slot(carrier_id=acme.carrier.id, slot="s", now=NOW)
    await stores.queue.record([Submitted(claimed.id, ("late",))], carrier_id=acme.carrier.id, now=NOW)
    await stores.queue.record([SubmitFailed(claimed.id, "late")], carrier_id=acme.carrier.id, now=NOW)

    row = await message_row(stores.db, message.serial_no)
    assert (row.status, row.carrier_msg_id, row.error_code) == ("queued", None, "")


# --- release_slot -------------------------------------------------------------------------------------


async def test_release_slot_requeues_only_that_slots_submitting_rows(stores: Stores, build: Builder) -> None:
    acme = await build.sender()
    other = await build.carrier()
    mine = await build.add_messages(acme, 2)
    [theirs_slot] = await build.add_messages(acme)
    [other_carrier] = await build.add_messages(acme, carrier_id=other.id)
    [done] = await build.add_messages(acme)

    await stores.queue.claim(carrier_id=acme.carrier.id, slot="dead", limit=2, now=NOW)
    await stores.queue.claim(carrier_id=acme.carrier.id, slot="alive", limit=1, now=NOW)
    await stores.queue.claim(carrier_id=other.id, slot="dead", limit=1, now=NOW)
    [last] = await stores.queue.claim(carrier_id=acme.carrier.id, slot="dead", limit=1, now=NOW)
    await stores.queue.record([Submitted(last.id, ("ok",))], carrier_id=acme.carrier.id, now=NOW)
    assert last.serial_no == done.serial_no

    later = NOW + timedelta(seconds=9)
    released = await stores.queue.release_slot(carrier_id=acme.carrier.id, slot="dead", now=later)

    assert released == 2
    for message in mine:
        row = await message_row(stores.db, message.serial_no)
        assert (row.status, row.claim_slot, row.next_attempt_at) == ("queued", None, later)
    assert (await message_row(stores.db, theirs_slot.serial_no)).status == "submitting"
    assert (await message_row(stores.db, other_carrier.serial_no)).status == "submitting"
    assert (await message_row(stores.db, done.serial_no)).status == "submitted"
    again = await stores.queue.claim(carrier_id=acme.carrier.id, slot="new", limit=10, now=later)
    assert {m.serial_no for m in again} == {m.serial_no for m in mine}
    assert all(m.attempts == 2 for m in again)


async def test_release_of_an_empty_slot_is_zero(stores: Stores, build: Builder) -> None:
    acme = await build.sender()
    assert await stores.queue.release_slot(carrier_id=acme.carrier.id, slot="nobody", now=NOW) == 0
