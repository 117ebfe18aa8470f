"""The parts of long replies in mo_part: one reply per concatenated message, stored in the write of
the part that completes it, never twice; what never completes is stored after the timeout."""

from __future__ import annotations

import asyncio
import random
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Connection, func, select
from structlog.testing import capture_logs

from smscloud.adapters.storage import tables
from smscloud.adapters.storage.database import Database, open_database
from smscloud.adapters.storage.receipts import SqlReceiptStore
from smscloud.domain.messages.replies import REPLY_PARTS_TIMEOUT, PartOutcome, ReplyPart
from tests.support.builders import NOW, Builder, Stores

pytestmark = pytest.mark.integration

PHONE = "+8613800000009"


def part(number: int, text: str, *, total: int = 3, reference: int = 0x9C, carrier_id: int = 1) -> ReplyPart:
    return ReplyPart(
        carrier_id=carrier_id,
        source_addr="8613800000009",
        destination_addr="106900",
        reference=reference,
        total=total,
        number=number,
        text=text,
    )


async def mo_rows(db: Database) -> list[Any]:
    def job(conn: Connection) -> list[Any]:
        mo = tables.mo_message
        return list(conn.execute(select(mo).order_by(mo.c.id)).all())

    return await db.read(job)


async def part_rows(db: Database) -> list[Any]:
    def job(conn: Connection) -> list[Any]:
        k = tables.mo_part
        return list(conn.execute(select(k).order_by(k.c.id)).all())

    return await db.read(job)


async def test_a_long_reply_is_stored_once_whole_and_matched_as_any_reply(stores: Stores, build: Builder) -> None:
    sender = await build.sender()
    await build.add_messages(sender, phone=PHONE)
    receipts, now = stores.receipts, stores.clock.now()
    p = {1: "您好，短信已收到。", 2: "周六上午送到。", 3: "谢谢！"}
    c = sender.carrier.id

    outcomes = [await receipts.store_reply_part(part=part(n, p[n], carrier_id=c), now=now) for n in (3, 1, 2)]

    assert outcomes == [PartOutcome.KEPT, PartOutcome.KEPT, PartOutcome.COMPLETED]
    (pulled,) = await stores.replies.pull(app_id=sender.app.id, limit=10)
    assert (pulled.text, pulled.phone, pulled.received_at) == ("您好，短信已收到。周六上午送到。谢谢！", PHONE, now)
    assert [(r.part_no, r.assembled_at) for r in await part_rows(stores.db)] == [(3, now), (1, now), (2, now)]


async def test_a_part_sent_again_is_acknowledged_and_ignored_before_and_after_the_reply(stores: Stores) -> None:
    receipts, now = stores.receipts, stores.clock.now()
    sent = [part(1, "a", total=2), part(1, "a", total=2), part(2, "b", total=2), part(2, "b", total=2)]

    outcomes = [await receipts.store_reply_part(part=p, now=now) for p in sent]

    assert outcomes == [PartOutcome.KEPT, PartOutcome.DUPLICATE, PartOutcome.COMPLETED, PartOutcome.DUPLICATE]
    assert [row.text for row in await mo_rows(stores.db)] == ["ab"]
    assert len(await part_rows(stores.db)) == 2
    # A day later the assembled parts are forgotten, and no reply is made of them.
    assert await receipts.flush_reply_parts(received_before=now + timedelta(seconds=1)) == 0
    assert await part_rows(stores.db) == []
    assert [row.text for row in await mo_rows(stores.db)] == ["ab"]


async def test_parts_whose_others_never_come_are_stored_after_the_timeout_as_received(
    stores: Stores, build: Builder
) -> None:
    first, later = await build.sender(), await build.sender()
    await build.add_messages(first, phone=PHONE, carrier_id=first.carrier.id)
    receipts = stores.receipts
    stores.clock.advance(60)
    arrived = stores.clock.now()
    await receipts.store_reply_part(part=part(3, "three", total=4, carrier_id=first.carrier.id), now=arrived)
    await receipts.store_reply_part(part=part(1, "one ", total=4, carrier_id=first.carrier.id), now=arrived)
    stores.clock.advance(3600)  # another application sends to the number after the reply came
    await build.add_messages(later, phone=PHONE, carrier_id=first.carrier.id)

    assert await receipts.flush_reply_parts(received_before=arrived) == 0  # not yet stale
    with capture_logs() as logs:
        assert await receipts.flush_reply_parts(received_before=arrived + timedelta(microseconds=1)) == 1

    assert await stores.replies.pull(app_id=later.app.id, limit=10) == []
    (pulled,) = await stores.replies.pull(app_id=first.app.id, limit=10)
    assert (pulled.text, pulled.received_at) == ("one three", arrived)
    assert await part_rows(stores.db) == []
    (warning,) = [entry for entry in logs if entry["event"] == "reply.stored_incomplete"]
    assert (warning["missing"], warning["total"], warning["reason"]) == ([2, 4], 4, "timeout")
    assert await receipts.flush_reply_parts(received_before=arrived + REPLY_PARTS_TIMEOUT) == 0


async def test_a_reference_come_round_again_stores_the_earlier_reply_first(stores: Stores) -> None:
    receipts, now = stores.receipts, stores.clock.now()
    outcomes = [
        await receipts.store_reply_part(part=p, now=now)
        for p in (part(1, "old ", total=2), part(1, "new ", total=2), part(2, "reply", total=2))
    ]
    assert outcomes == [PartOutcome.KEPT, PartOutcome.KEPT, PartOutcome.COMPLETED]
    assert [row.text for row in await mo_rows(stores.db)] == ["old ", "new reply"]


async def test_parts_are_kept_across_a_restart(database_url: str) -> None:
    first = open_database(database_url)
    try:
        assert (
            await SqlReceiptStore(first).store_reply_part(part=part(2, "world", total=2), now=NOW) == PartOutcome.KEPT
        )
    finally:
        await first.close()  # the process ends: what was acknowledged is in the database
    second = open_database(database_url)
    try:
        assert (
            await SqlReceiptStore(second).store_reply_part(part=part(1, "hello ", total=2), now=NOW)
            == PartOutcome.COMPLETED
        )
        assert [row.text for row in await mo_rows(second)] == ["hello world"]
    finally:
        await second.close()


async def test_parts_arriving_at_once_on_two_connections_make_exactly_one_reply_each(database_url: str) -> None:
    """Two binds, or two connector processes: each with its own connections to the database."""
    replies, total = 30, 3
    databases = [open_database(database_url), open_database(database_url)]
    try:
        stores = [SqlReceiptStore(db) for db in databases]
        texts = {(ref, n): f"<{ref}.{n}>" for ref in range(replies) for n in range(1, total + 1)}
        deliveries = [part(n, text, total=total, reference=ref) for (ref, n), text in texts.items()]
        deliveries += random.sample(deliveries, 20)  # some sent again, after a lost acknowledgement
        random.shuffle(deliveries)

        outcomes = await asyncio.gather(*(random.choice(stores).store_reply_part(part=p, now=NOW) for p in deliveries))

        assert outcomes.count(PartOutcome.COMPLETED) == replies
        assert outcomes.count(PartOutcome.DUPLICATE) == 20
        stored = sorted(row.text for row in await mo_rows(databases[0]))
        assert stored == sorted("".join(texts[ref, n] for n in range(1, total + 1)) for ref in range(replies))
        rows = await part_rows(databases[0])
        assert len(rows) == replies * total and all(row.assembled_at is not None for row in rows)
    finally:
        for db in databases:
            await db.close()


async def test_a_reply_in_one_deliver_sm_does_not_touch_the_parts(stores: Stores) -> None:
    await stores.receipts.store_reply(
        carrier_id=1, source_addr="8613800000009", destination_addr="106900", text="短", now=stores.clock.now()
    )

    def count(conn: Connection) -> int:
        return int(conn.execute(select(func.count()).select_from(tables.mo_part)).scalar_one())

    assert await stores.db.read(count) == 0
    assert [row.text for row in await mo_rows(stores.db)] == ["短"]
