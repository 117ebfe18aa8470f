"""Receipts from carriers: matched to their messages (or kept until they can be), long messages,
expiry of messages that never got one, and replies."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Connection, func, select

from smscloud.adapters.storage import tables
from smscloud.adapters.storage.receipts import UNMATCHED_KEPT, apply_receipts
from smscloud.domain.messages.dispatch import Submitted
from smscloud.domain.messages.model import MessageStatus, NewMessage
from smscloud.domain.messages.receipts import Receipt, status_from_receipt
from tests.support.builders import NOW, Builder, Sender, Stores, message_row, part_rows

pytestmark = pytest.mark.integration

S = MessageStatus
DONE = NOW + timedelta(seconds=3)


def receipt(carrier_id: int, carrier_msg_id: str, stat: str = "DELIVRD", **overrides: Any) -> Receipt:
    values: dict[str, Any] = {
        "carrier_id": carrier_id,
        "carrier_msg_id": carrier_msg_id,
        "status": status_from_receipt(stat),
        "stat": stat,
        "err": "000" if stat == "DELIVRD" else "001",
        "done_at": DONE,
    }
    values.update(overrides)
    return Receipt(**values)


async def submitted(
    stores: Stores, build: Builder, sender: Sender, carrier_ids: Sequence[tuple[str, ...]]
) -> list[NewMessage]:
    """One submitted message per tuple of carrier ids (more than one: a long message)."""
    messages = [build.new_message(sender, segments=len(ids)) for ids in carrier_ids]
    await stores.messages.add(messages)
    claimed = await stores.queue.claim(carrier_id=sender.carrier.id, slot="s", limit=100, now=NOW)
    by_serial = {m.serial_no: m.id for m in claimed}
    await stores.queue.record(
        [Submitted(by_serial[m.serial_no], ids) for m, ids in zip(messages, carrier_ids, strict=True)],
        carrier_id=sender.carrier.id,
        now=NOW,
    )
    return messages


async def unmatched(stores: Stores) -> list[Any]:
    def job(conn: Connection) -> list[Any]:
        u = tables.unmatched_receipt
        return list(conn.execute(select(u).order_by(u.c.id)).all())

    return await stores.db.read(job)


# --- single-part --------------------------------------------------------------------------------------


async def test_receipt_finishes_its_message(stores: Stores, build: Builder) -> None:
    acme = await build.sender()
    [message] = await submitted(stores, build, acme, [("m1",)])
    await stores.receipts.apply([receipt(acme.carrier.id, "m1")], now=NOW)

    row = await message_row(stores.db, message.serial_no)
    assert (row.status, row.receipt_stat, row.receipt_err, row.done_at) == (
        "delivered",
        "DELIVRD",
        "000",
        DONE,
    )
    assert row.report_state == 1
    assert await unmatched(stores) == []


@pytest.mark.parametrize(
    ("stat", "status"), [("UNDELIV", S.UNDELIVERED), ("EXPIRED", S.EXPIRED), ("REJECTD", S.REJECTED)]
)
async def test_failure_receipts(stores: Stores, build: Builder, stat: str, status: MessageStatus) -> None:
    acme = await build.sender()
    [message] = await submitted(stores, build, acme, [("m1",)])
    await stores.receipts.apply([receipt(acme.carrier.id, "m1", stat)], now=NOW)
    row = await message_row(stores.db, message.serial_no)
    assert (row.status, row.receipt_stat) == (status.value, stat)


async def test_receipt_is_matched_by_carrier_and_id(stores: Stores, build: Builder) -> None:
    acme = await build.sender()
    other = await build.carrier()
    [message] = await submitted(stores, build, acme, [("same-id",)])
    await stores.receipts.apply([receipt(other.id, "same-id", "UNDELIV")], now=NOW)

    assert (await message_row(stores.db, message.serial_no)).status == "submitted"
    [kept] = await unmatched(stores)
    assert (kept.carrier_id, kept.carrier_msg_id) == (other.id, "same-id")


async def test_a_duplicate_receipt_changes_nothing(stores: Stores, build: Builder) -> None:
    acme = await build.sender()
    [message] = await submitted(stores, build, acme, [("m1",)])
    await stores.receipts.apply([receipt(acme.carrier.id, "m1")], now=NOW)
    [report] = await stores.reports.pull(app_id=acme.app.id, limit=10)
    before = await message_row(stores.db, message.serial_no)

    later = DONE + timedelta(minutes=1)
    await stores.receipts.apply([receipt(acme.carrier.id, "m1", "UNDELIV", done_at=later)], now=later)
    await stores.receipts.apply([receipt(acme.carrier.id, "m1", done_at=later)], now=later)

    assert await message_row(stores.db, message.serial_no) == before
    assert before.report_state == 2
    assert await stores.reports.pull(app_id=acme.app.id, limit=10) == []  # not reported again
    assert await unmatched(stores) == []
    assert report.serial_no == message.serial_no


async def test_duplicates_inside_one_batch_apply_once(stores: Stores, build: Builder) -> None:
    acme = await build.sender()
    [message] = await submitted(stores, build, acme, [("m1",)])
    await stores.receipts.apply(
        [
            receipt(acme.carrier.id, "m1", "UNDELIV"),
            receipt(acme.carrier.id, "m1", done_at=DONE + timedelta(1)),
        ],
        now=NOW,
    )
    row = await message_row(stores.db, message.serial_no)
    assert (row.status, row.done_at) == ("undelivered", DONE)


async def test_a_batch_of_many_receipts(stores: Stores, build: Builder) -> None:
    acme = await build.sender()
    messages = await submitted(stores, build, acme, [(f"m{n}",) for n in range(30)])
    await stores.receipts.apply(
        [receipt(acme.carrier.id, f"m{n}", "DELIVRD" if n % 3 else "UNDELIV") for n in range(30)], now=NOW
    )
    statuses = [(await message_row(stores.db, m.serial_no)).status for m in messages]
    assert statuses == ["undelivered" if n % 3 == 0 else "delivered" for n in range(30)]


# --- receipts that overtake their submit_sm_resp ------------------------------------------------------


async def test_unknown_receipt_is_kept_and_applied_when_record_stores_its_id(stores: Stores, build: Builder) -> None:
    acme = await build.sender()
    [message] = await build.add_messages(acme)
    [claimed] = await stores.queue.claim(carrier_id=acme.carrier.id, slot="s", limit=1, now=NOW)

    # The carrier's receipt arrives before the submit_sm_resp's write.
    await stores.receipts.apply([receipt(acme.carrier.id, "fast", "UNDELIV")], now=NOW)
    [kept] = await unmatched(stores)
    assert (kept.carrier_msg_id, kept.stat, kept.err, kept.done_at, kept.received_at) == (
        "fast",
        "UNDELIV",
        "001",
        DONE,
        NOW,
    )
    assert (await message_row(stores.db, message.serial_no)).status == "submitting"

    await stores.queue.record([Submitted(claimed.id, ("fast",))], carrier_id=acme.carrier.id, now=NOW)

    row = await message_row(stores.db, message.serial_no)
    assert (row.status, row.carrier_msg_id, row.receipt_stat, row.done_at) == (
        "undelivered",
        "fast",
        "UNDELIV",
        DONE,
    )
    assert row.report_state == 1
    assert await unmatched(stores) == []


async def test_kept_receipts_of_a_long_message_apply_when_its_parts_are_recorded(
    stores: Stores, build: Builder
) -> None:
    acme = await build.sender()
    [message] = await build.add_messages(acme, segments=2)
    [claimed] = await stores.queue.claim(carrier_id=acme.carrier.id, slot="s", limit=1, now=NOW)
    await stores.receipts.apply([receipt(acme.carrier.id, "p1"), receipt(acme.carrier.id, "p2")], now=NOW)
    assert len(await unmatched(stores)) == 2

    await stores.queue.record([Submitted(claimed.id, ("p1", "p2"))], carrier_id=acme.carrier.id, now=NOW)

    row = await message_row(stores.db, message.serial_no)
    assert row.status == "delivered"
    assert [p.status for p in await part_rows(stores.db, row.id)] == ["delivered", "delivered"]
    assert await unmatched(stores) == []


async def test_rematch_applies_kept_receipts_whose_message_got_its_id(stores: Stores, build: Builder) -> None:
    acme = await build.sender()
    [message] = await submitted(stores, build, acme, [("late",)])

    # Kept while the id was unknown (as on PostgreSQL, where the receipt's transaction and the
    # submit's may overlap and neither sees the other's row).
    def keep(conn: Connection) -> None:
        conn.execute(
            tables.unmatched_receipt.insert().values(
                carrier_id=acme.carrier.id,
                carrier_msg_id="late",
                status="delivered",
                stat="DELIVRD",
                err="000",
                done_at=DONE,
                received_at=NOW,
                attempts=0,
            )
        )

    await stores.db.write(keep)
    await stores.receipts.apply([receipt(acme.carrier.id, "nobody-knows")], now=NOW)

    assert await stores.receipts.rematch(now=NOW) == 1

    row = await message_row(stores.db, message.serial_no)
    assert (row.status, row.receipt_stat, row.done_at) == ("delivered", "DELIVRD", DONE)
    [still_waiting] = await unmatched(stores)
    assert (still_waiting.carrier_msg_id, still_waiting.attempts) == ("nobody-knows", 1)
    assert await stores.receipts.rematch(now=NOW) == 0
    assert (await unmatched(stores))[0].attempts == 2


def kept(carrier_id: int, carrier_msg_id: str, *, attempts: int = 0, received_at: datetime = NOW) -> dict[str, Any]:
    return {
        "carrier_id": carrier_id,
        "carrier_msg_id": carrier_msg_id,
        "status": "delivered",
        "stat": "DELIVRD",
        "err": "000",
        "done_at": DONE,
        "received_at": received_at,
        "attempts": attempts,
    }


async def test_a_pile_of_receipts_that_never_match_does_not_starve_a_newer_one(stores: Stores, build: Builder) -> None:
    acme = await build.sender()
    [message] = await submitted(stores, build, acme, [("late",)])
    rows = [kept(acme.carrier.id, f"junk-{i}", attempts=3) for i in range(1100)]
    rows.append(kept(acme.carrier.id, "late"))  # newest, and so last by id

    await stores.db.write(lambda conn: conn.execute(tables.unmatched_receipt.insert(), rows))

    assert await stores.receipts.rematch(now=NOW) == 1
    row = await message_row(stores.db, message.serial_no)
    assert row.status == "delivered"


async def test_receipts_unmatched_for_a_day_are_dropped(stores: Stores, build: Builder) -> None:
    acme = await build.sender()
    old = NOW - UNMATCHED_KEPT - timedelta(seconds=1)
    rows = [kept(acme.carrier.id, "old", received_at=old), kept(acme.carrier.id, "recent", received_at=NOW)]
    await stores.db.write(lambda conn: conn.execute(tables.unmatched_receipt.insert(), rows))

    assert await stores.receipts.rematch(now=NOW) == 0

    assert [r.carrier_msg_id for r in await unmatched(stores)] == ["recent"]


async def test_tries_are_counted_no_further_than_the_column_holds(stores: Stores, build: Builder) -> None:
    acme = await build.sender()
    row = kept(acme.carrier.id, "stuck", attempts=30_000)
    await stores.db.write(lambda conn: conn.execute(tables.unmatched_receipt.insert(), [row]))

    await stores.receipts.rematch(now=NOW)

    assert [r.attempts for r in await unmatched(stores)] == [30_000]


async def test_rematch_with_nothing_kept_is_zero(stores: Stores) -> None:
    assert await stores.receipts.rematch(now=NOW) == 0


async def test_a_kept_receipt_ends_in_the_same_status_as_an_immediate_one(stores: Stores, build: Builder) -> None:
    acme = await build.sender()
    # message_state 2 (DELIVERED) with a stat the carrier spelled its own way: receipt_from_pdu builds this.
    odd = {"status": S.DELIVERED, "stat": "ACCEPTD"}
    [now_matched] = await submitted(stores, build, acme, [("now",)])
    await stores.receipts.apply([receipt(acme.carrier.id, "now", **odd)], now=NOW)

    [message] = await build.add_messages(acme)
    [claimed] = await stores.queue.claim(carrier_id=acme.carrier.id, slot="s", limit=1, now=NOW)
    await stores.receipts.apply([receipt(acme.carrier.id, "later", **odd)], now=NOW)
    await stores.queue.record([Submitted(claimed.id, ("later",))], carrier_id=acme.carrier.id, now=NOW)

    assert (await message_row(stores.db, now_matched.serial_no)).status == "delivered"
    assert (await message_row(stores.db, message.serial_no)).status == "delivered"


async def test_apply_receipts_inside_a_transaction_reports_what_matched(stores: Stores, build: Builder) -> None:
    acme = await build.sender()
    await submitted(stores, build, acme, [("a",), ("b1", "b2")])

    def job(conn: Connection) -> set[tuple[int, str]]:
        return apply_receipts(
            conn,
            [receipt(acme.carrier.id, "a"), receipt(acme.carrier.id, "b2"), receipt(acme.carrier.id, "zzz")],
            now=NOW,
            keep_unmatched=False,
        )

    assert await stores.db.write(job) == {(acme.carrier.id, "a"), (acme.carrier.id, "b2")}
    assert await unmatched(stores) == []  # keep_unmatched=False keeps nothing


# --- long messages ------------------------------------------------------------------------------------


async def test_long_message_is_final_only_when_every_part_has_a_receipt(stores: Stores, build: Builder) -> None:
    acme = await build.sender()
    [message] = await submitted(stores, build, acme, [("p1", "p2", "p3")])

    await stores.receipts.apply([receipt(acme.carrier.id, "p1")], now=NOW)
    await stores.receipts.apply([receipt(acme.carrier.id, "p3", done_at=DONE + timedelta(seconds=9))], now=NOW)
    row = await message_row(stores.db, message.serial_no)
    assert (row.status, row.report_state) == ("submitted", 0)
    assert [p.status for p in await part_rows(stores.db, row.id)] == ["delivered", "submitted", "delivered"]

    await stores.receipts.apply([receipt(acme.carrier.id, "p2")], now=NOW)
    row = await message_row(stores.db, message.serial_no)
    assert (row.status, row.receipt_stat, row.report_state) == ("delivered", "DELIVRD", 1)
    assert row.done_at == DONE + timedelta(seconds=9)  # when the last part arrived


async def test_long_message_takes_the_first_failing_parts_status(stores: Stores, build: Builder) -> None:
    acme = await build.sender()
    [message] = await submitted(stores, build, acme, [("p1", "p2", "p3")])
    await stores.receipts.apply(
        [
            receipt(acme.carrier.id, "p3", "EXPIRED", err="003"),
            receipt(acme.carrier.id, "p1"),
            receipt(acme.carrier.id, "p2", "UNDELIV", err="002"),
        ],
        now=NOW,
    )
    row = await message_row(stores.db, message.serial_no)
    assert (row.status, row.receipt_stat, row.receipt_err) == ("undelivered", "UNDELIV", "002")


async def test_a_late_duplicate_part_receipt_changes_nothing(stores: Stores, build: Builder) -> None:
    acme = await build.sender()
    [message] = await submitted(stores, build, acme, [("p1", "p2")])
    await stores.receipts.apply([receipt(acme.carrier.id, "p1"), receipt(acme.carrier.id, "p2")], now=NOW)
    before = await message_row(stores.db, message.serial_no)
    await stores.receipts.apply([receipt(acme.carrier.id, "p2", "UNDELIV")], now=NOW)
    assert await message_row(stores.db, message.serial_no) == before
    assert [p.status for p in await part_rows(stores.db, before.id)] == ["delivered", "delivered"]


# --- expiry -------------------------------------------------------------------------------------------


async def test_expire_unanswered_expires_only_submitted_rows_older_than_the_cutoff(
    stores: Stores, build: Builder
) -> None:
    acme = await build.sender()
    [old] = await submitted(stores, build, acme, [("old",)])
    [answered] = await submitted(stores, build, acme, [("answered",)])
    await stores.receipts.apply([receipt(acme.carrier.id, "answered")], now=NOW)
    [queued] = await build.add_messages(acme)
    [fresh] = await build.add_messages(acme)
    [claimed_fresh] = await stores.queue.claim(carrier_id=acme.carrier.id, slot="s", limit=1, now=NOW)
    assert claimed_fresh.serial_no == queued.serial_no  # oldest first: `queued` is now submitting
    [claimed] = await stores.queue.claim(carrier_id=acme.carrier.id, slot="s", limit=1, now=NOW)
    late = NOW + timedelta(hours=1)
    await stores.queue.record([Submitted(claimed.id, ("fresh",))], carrier_id=acme.carrier.id, now=late)

    at = NOW + timedelta(hours=2)
    expired = await stores.receipts.expire_unanswered(submitted_before=NOW + timedelta(minutes=30), now=at)

    assert expired == 1
    row = await message_row(stores.db, old.serial_no)
    assert (row.status, row.error_code, row.done_at, row.report_state) == ("expired", "NO_RECEIPT", at, 1)
    assert (await message_row(stores.db, answered.serial_no)).status == "delivered"
    assert (await message_row(stores.db, queued.serial_no)).status == "submitting"
    assert (await message_row(stores.db, fresh.serial_no)).status == "submitted"
    [report] = [r for r in await stores.reports.pull(app_id=acme.app.id, limit=10) if r.serial_no == old.serial_no]
    assert (report.status, report.description) == (S.EXPIRED, "NO_RECEIPT")


async def test_expire_at_exactly_the_cutoff_leaves_the_row(stores: Stores, build: Builder) -> None:
    acme = await build.sender()
    [message] = await submitted(stores, build, acme, [("m",)])
    assert await stores.receipts.expire_unanswered(submitted_before=NOW, now=NOW) == 0
    assert (await message_row(stores.db, message.serial_no)).status == "submitted"


async def test_a_receipt_after_expiry_changes_nothing(stores: Stores, build: Builder) -> None:
    acme = await build.sender()
    [message] = await submitted(stores, build, acme, [("m",)])
    await stores.receipts.expire_unanswered(submitted_before=NOW + timedelta(seconds=1), now=NOW)
    await stores.receipts.apply([receipt(acme.carrier.id, "m")], now=NOW)
    assert (await message_row(stores.db, message.serial_no)).status == "expired"


# --- replies ------------------------------------------------------------------------------------------


async def test_store_reply_keeps_the_mo_message(stores: Stores, build: Builder) -> None:
    carrier = await build.carrier()
    await stores.receipts.store_reply(
        carrier_id=carrier.id,
        source_addr="8613711112222",
        destination_addr="106900" + "1" * 40,
        text="R",
        now=NOW,
    )

    def job(conn: Connection) -> list[Any]:
        return list(conn.execute(select(tables.mo_message)).all())

    [reply] = await stores.db.read(job)
    assert (reply.carrier_id, reply.source_addr, reply.text, reply.received_at) == (
        carrier.id,
        "8613711112222",
        "R",
        NOW,
    )
    assert reply.destination_addr == ("106900" + "1" * 40)[:32]

    def count(conn: Connection) -> int:
        return int(conn.execute(select(func.count()).select_from(tables.mo_message)).scalar_one())

    assert await stores.db.read(count) == 1
