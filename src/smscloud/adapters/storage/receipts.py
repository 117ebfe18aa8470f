"""Receipts and replies from carriers, stored before the carrier hears they were received.

A receipt is matched to its message by (carrier, carrier message id): first among single-part
messages, then among the parts of long ones (a long message is final when all its parts are).
A receipt that matches nothing yet is kept in `unmatched_receipt`: it can overtake the write
that stores its message's carrier id. It is matched when that write lands, or by `rematch`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

import structlog
from sqlalchemy import Connection, Dialect, bindparam, case, delete, insert, select, update

from smscloud.adapters.storage import tables
from smscloud.adapters.storage.bulk import Bulk, Prepared
from smscloud.adapters.storage.coalescing import Coalescer
from smscloud.adapters.storage.database import Database
from smscloud.adapters.storage.messages import REPORT_PENDING
from smscloud.adapters.storage.replies import insert_reply
from smscloud.adapters.storage.reply_parts import SqlReplyPartStore
from smscloud.adapters.storage.sql import one_of
from smscloud.adapters.storage.types import UtcTimestamp
from smscloud.domain.messages.model import MessageStatus
from smscloud.domain.messages.receipts import Receipt
from smscloud.domain.messages.replies import PartOutcome, ReplyPart

__all__ = [
    "RECEIPT_BINDS",
    "RECEIPT_LINGER_S",
    "UNMATCHED_KEPT",
    "SqlReceiptStore",
    "apply_receipts",
    "prepare_fast",
    "receipt_columns",
    "receipt_row",
    "rematch_carrier_ids",
]

_m = tables.message
_p = tables.message_part
_u = tables.unmatched_receipt
_SUBMITTED = MessageStatus.SUBMITTED.value
_CHUNK = 500  # ids per IN (...) list
UNMATCHED_KEPT = timedelta(hours=24)
"""How long a receipt for no known message is tried again before it is dropped."""
_ATTEMPTS_CAP = 30_000  # the column is a SMALLINT

log = structlog.get_logger(__name__)
RECEIPT_LINGER_S = 0.01

RECEIPT_BINDS = ("b_status", "b_stat", "b_err", "b_done")
"""The bind names of `receipt_columns`, in the order `receipt_row` gives their values."""


def receipt_columns() -> dict[str, Any]:
    """What a final receipt sets on its message or part (a message also gets report_state)."""
    return {
        "status": bindparam("b_status"),
        "receipt_stat": bindparam("b_stat"),
        "receipt_err": bindparam("b_err"),
        "done_at": bindparam("b_done", type_=UtcTimestamp()),
    }


def receipt_row(receipt: Receipt) -> tuple[Any, ...]:
    """The values of `RECEIPT_BINDS` for `receipt`, cut to the columns' sizes."""
    return (receipt.status.value, receipt.stat[:16], receipt.err[:16], receipt.done_at)


_FINISH = ("b_id", *RECEIPT_BINDS)
_finish_message = Bulk(
    update(_m)
    .where(_m.c.id == bindparam("b_id"), _m.c.status == _SUBMITTED)
    .values(**receipt_columns(), report_state=REPORT_PENDING),
    _FINISH,
)
_finish_by_id = Bulk(
    update(_m)
    .where(
        _m.c.carrier_id == bindparam("b_carrier"),
        _m.c.carrier_msg_id == bindparam("b_carrier_msg_id"),
        _m.c.status == _SUBMITTED,
    )
    .values(**receipt_columns(), report_state=REPORT_PENDING),
    (*RECEIPT_BINDS, "b_carrier", "b_carrier_msg_id"),
)
_finish_part = Bulk(
    update(_p).where(_p.c.id == bindparam("b_id"), _p.c.status == _SUBMITTED).values(**receipt_columns()),
    _FINISH,
)


def _chunks(items: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


def _values(receipt: Receipt, row_id: int) -> tuple[Any, ...]:
    return (row_id, *receipt_row(receipt))


def _by_carrier(receipts: Sequence[Receipt]) -> dict[int, list[Receipt]]:
    by_carrier: dict[int, list[Receipt]] = defaultdict(list)
    for receipt in receipts:
        by_carrier[receipt.carrier_id].append(receipt)
    return by_carrier


def prepare_fast(dialect: Dialect, receipts: Sequence[Receipt]) -> dict[int, Prepared]:
    """The one-statement form of each carrier's receipts, prepared outside the transaction; a
    carrier whose batch repeats an id gets none (the careful path handles it)."""
    prepared: dict[int, Prepared] = {}
    for carrier_id, batch in _by_carrier(receipts).items():
        if len({r.carrier_msg_id for r in batch}) == len(batch):
            prepared[carrier_id] = _finish_by_id.prepare(
                dialect,
                [(*receipt_row(r), carrier_id, r.carrier_msg_id) for r in batch],
            )
    return prepared


def apply_receipts(
    conn: Connection,
    receipts: Sequence[Receipt],
    *,
    now: datetime,
    keep_unmatched: bool,
    fast: dict[int, Prepared] | None = None,
) -> set[tuple[int, str]]:
    """Apply receipts inside the caller's transaction; returns the (carrier, id) pairs that matched.

    With `fast` (from `prepare_fast`), each carrier's batch is first tried as one statement: when
    every receipt finished exactly one submitted single-part message (the driver counts the rows;
    SQLite does), that is all. Otherwise (a part of a long message, an id not stored yet, a
    duplicate receipt, or a driver that does not count) the careful path below runs, on which the
    rows the statement changed are already final and left alone.
    """
    matched: set[tuple[int, str]] = set()
    for carrier_id, batch in _by_carrier(receipts).items():
        one_statement = (fast or {}).get(carrier_id)
        if one_statement is not None and one_statement.execute(conn) == len(batch):
            matched.update((carrier_id, r.carrier_msg_id) for r in batch)
            continue
        wanted = list(dict.fromkeys(r.carrier_msg_id for r in batch))
        messages: dict[str, int] = {}
        postgres = conn.dialect.name == "postgresql"
        for chunk in _chunks(wanted):
            for row in conn.execute(
                select(_m.c.id, _m.c.carrier_msg_id)
                .where(_m.c.carrier_id == carrier_id, one_of(_m.c.carrier_msg_id, chunk, postgres=postgres))
                .order_by(_m.c.id)
            ):
                messages[row.carrier_msg_id] = row.id  # the newest message wins if a carrier reused an id
        parts: dict[str, tuple[int, int]] = {}
        missing = [cid for cid in wanted if cid not in messages]
        for chunk in _chunks(missing):
            for part in conn.execute(
                select(_p.c.id, _p.c.message_id, _p.c.carrier_msg_id)
                .where(_p.c.carrier_id == carrier_id, one_of(_p.c.carrier_msg_id, chunk, postgres=postgres))
                .order_by(_p.c.id)
            ):
                parts[part.carrier_msg_id] = (part.id, part.message_id)
        message_updates: list[tuple[Any, ...]] = []
        part_updates: list[tuple[Any, ...]] = []
        unmatched: list[dict[str, Any]] = []
        touched_messages: set[int] = set()
        for receipt in batch:
            if receipt.carrier_msg_id in messages:
                message_updates.append(_values(receipt, messages[receipt.carrier_msg_id]))
                matched.add((carrier_id, receipt.carrier_msg_id))
            elif receipt.carrier_msg_id in parts:
                part_id, message_id = parts[receipt.carrier_msg_id]
                part_updates.append(_values(receipt, part_id))
                touched_messages.add(message_id)
                matched.add((carrier_id, receipt.carrier_msg_id))
            elif keep_unmatched:
                unmatched.append(
                    {
                        "carrier_id": carrier_id,
                        "carrier_msg_id": receipt.carrier_msg_id,
                        "status": receipt.status.value,
                        "stat": receipt.stat[:16],
                        "err": receipt.err[:16],
                        "done_at": receipt.done_at,
                        "received_at": now,
                        "attempts": 0,
                    }
                )
        _finish_message.execute(conn, message_updates)
        if part_updates:
            _finish_part.execute(conn, part_updates)
            _finish_long_messages(conn, touched_messages)
        if unmatched:
            conn.execute(insert(_u), unmatched)
    return matched


def _finish_long_messages(conn: Connection, message_ids: set[int]) -> None:
    """A long message is final once every part is: delivered if all were, else its first failure."""
    parts_of: dict[int, list[Any]] = defaultdict(list)
    for row in conn.execute(
        select(_p.c.message_id, _p.c.part_no, _p.c.status, _p.c.receipt_stat, _p.c.receipt_err, _p.c.done_at)
        .where(_p.c.message_id.in_(sorted(message_ids)))
        .order_by(_p.c.message_id, _p.c.part_no)
    ):
        parts_of[row.message_id].append(row)
    updates: list[tuple[Any, ...]] = []
    for message_id, rows in parts_of.items():
        if any(row.status == _SUBMITTED for row in rows):
            continue
        failed = [row for row in rows if row.status != MessageStatus.DELIVERED.value]
        decisive = failed[0] if failed else rows[-1]
        updates.append(
            (message_id, decisive.status, decisive.receipt_stat, decisive.receipt_err, max(r.done_at for r in rows))
        )
    _finish_message.execute(conn, updates)


def _stored_unmatched(conn: Connection, query: Any) -> tuple[list[Receipt], list[int]]:
    receipts: list[Receipt] = []
    ids: list[int] = []
    for row in conn.execute(query):
        status = MessageStatus(row.status)
        receipts.append(Receipt(row.carrier_id, row.carrier_msg_id, status, row.stat, row.err, row.done_at))
        ids.append(row.id)
    return receipts, ids


def rematch_carrier_ids(conn: Connection, *, carrier_id: int, carrier_msg_ids: Sequence[str], now: datetime) -> int:
    """Apply kept receipts for these carrier ids (just stored on their messages)."""
    total = 0
    for chunk in _chunks(list(carrier_msg_ids)):
        receipts, ids = _stored_unmatched(
            conn, select(_u).where(_u.c.carrier_id == carrier_id, _u.c.carrier_msg_id.in_(chunk))
        )
        if receipts:
            matched = apply_receipts(conn, receipts, now=now, keep_unmatched=False)
            done = [i for i, r in zip(ids, receipts, strict=True) if (r.carrier_id, r.carrier_msg_id) in matched]
            if done:
                conn.execute(delete(_u).where(_u.c.id.in_(done)))
            total += len(done)
    return total


def _apply_job(dialect: Dialect, items: list[tuple[Receipt, datetime]]) -> Callable[[Connection], None]:
    receipts = [receipt for receipt, _ in items]
    now = max(now for _, now in items)
    fast = prepare_fast(dialect, receipts)

    def job(conn: Connection) -> None:
        apply_receipts(conn, receipts, now=now, keep_unmatched=True, fast=fast)

    return job


class SqlReceiptStore:
    def __init__(self, db: Database) -> None:
        self._db = db
        # Receipts stored by concurrent callers (every bind's reader) share one job, and a small
        # batch waits a few milliseconds for more: the carrier waits for the acknowledgement, and
        # a trickle of receipts then costs a transaction per few hundred, not per few.
        self._applies: Coalescer[tuple[Receipt, datetime]] = Coalescer(
            db, lambda items: _apply_job(db.sa_dialect, items), linger_s=RECEIPT_LINGER_S, enough=256
        )
        self._parts = SqlReplyPartStore(db)

    async def apply(self, receipts: Sequence[Receipt], *, now: datetime) -> None:
        if receipts:
            await self._applies.write([(receipt, now) for receipt in receipts])

    async def store_reply(
        self, *, carrier_id: int, source_addr: str, destination_addr: str, text: str, now: datetime
    ) -> None:
        def job(conn: Connection) -> None:
            insert_reply(
                conn,
                carrier_id=carrier_id,
                source_addr=source_addr,
                destination_addr=destination_addr,
                text=text,
                now=now,
            )

        await self._db.write(job)

    async def store_reply_part(self, *, part: ReplyPart, now: datetime) -> PartOutcome:
        """A part of a concatenated reply (storage/reply_parts.py)."""
        return await self._parts.store_reply_part(part=part, now=now)

    async def flush_reply_parts(self, *, received_before: datetime) -> int:
        return await self._parts.flush_reply_parts(received_before=received_before)

    async def rematch(self, *, now: datetime) -> int:
        """Up to 1,000 stored receipts a pass, those tried least first (so that a pile of receipts
        that never match cannot keep a newer one from its turn). A receipt still unmatched after
        `UNMATCHED_KEPT` names a message this platform does not know, or one it sent again under
        another id; it is dropped, with a warning."""

        def job(conn: Connection) -> int:
            dropped = conn.execute(delete(_u).where(_u.c.received_at < now - UNMATCHED_KEPT)).rowcount
            if dropped:
                log.warning("receipts.unmatched_dropped", count=dropped, kept_for=str(UNMATCHED_KEPT))
            due = select(_u).order_by(_u.c.attempts, _u.c.id).limit(1000)
            receipts, ids = _stored_unmatched(conn, due)
            if not receipts:
                return 0
            matched = apply_receipts(conn, receipts, now=now, keep_unmatched=False)
            done = [i for i, r in zip(ids, receipts, strict=True) if (r.carrier_id, r.carrier_msg_id) in matched]
            done_set = set(done)
            waiting = [i for i in ids if i not in done_set]
            if done:
                conn.execute(delete(_u).where(_u.c.id.in_(done)))
            if waiting:
                tried = case((_u.c.attempts < _ATTEMPTS_CAP, _u.c.attempts + 1), else_=_u.c.attempts)
                conn.execute(update(_u).where(_u.c.id.in_(waiting)).values(attempts=tried))
            return len(done)

        return await self._db.write(job)

    async def expire_unanswered(self, *, submitted_before: datetime, now: datetime) -> int:
        def job(conn: Connection) -> int:
            result = conn.execute(
                update(_m)
                .where(_m.c.status == _SUBMITTED, _m.c.submitted_at < submitted_before)
                .values(
                    status=MessageStatus.EXPIRED.value,
                    error_code="NO_RECEIPT",
                    done_at=now,
                    report_state=1,
                )
            )
            return int(result.rowcount)

        return await self._db.write(job)
