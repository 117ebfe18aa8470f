"""The message table as each carrier's dispatch queue (docs/adr/0001-queue.md).

A sender claims due `queued` rows of its carrier (selected `FOR UPDATE SKIP LOCKED` on
PostgreSQL, so senders on several machines never claim the same row), marks them `submitting`
under its slot with one `UPDATE … RETURNING`, submits them, and records the outcome. Whatever a
dead sender left in `submitting` is queued again by the next holder of its slot.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, bindparam, exists, insert, select, update

from smscloud.adapters.storage import tables
from smscloud.adapters.storage.bulk import Bulk
from smscloud.adapters.storage.database import Database
from smscloud.adapters.storage.messages import REPORT_PENDING
from smscloud.adapters.storage.receipts import RECEIPT_BINDS, receipt_columns, receipt_row, rematch_carrier_ids
from smscloud.adapters.storage.sql import one_of
from smscloud.adapters.storage.types import UtcTimestamp
from smscloud.domain.messages.dispatch import SubmitFailed, SubmitResult, SubmitRetry, Submitted
from smscloud.domain.messages.model import MessageStatus, OutboundMessage

__all__ = ["SqlDispatchQueue"]

_m = tables.message
_QUEUED = MessageStatus.QUEUED.value
_SUBMITTING = MessageStatus.SUBMITTING.value
_SUBMITTED = MessageStatus.SUBMITTED.value

_mark_submitted = Bulk(
    update(_m)
    .where(_m.c.id == bindparam("b_id"), _m.c.status == _SUBMITTING)
    .values(
        status=_SUBMITTED,
        carrier_msg_id=bindparam("b_carrier_msg_id"),
        submitted_at=bindparam("b_now", type_=UtcTimestamp()),
        claim_slot=None,
        error_code="",
    ),
    ("b_id", "b_carrier_msg_id", "b_now"),
)
# A submission whose final receipt came before this write: both in one row write (the same values
# as `_mark_submitted` followed by the receipt store's `_finish_message`).
_mark_final = Bulk(
    update(_m)
    .where(_m.c.id == bindparam("b_id"), _m.c.status == _SUBMITTING)
    .values(
        carrier_msg_id=bindparam("b_carrier_msg_id"),
        submitted_at=bindparam("b_now", type_=UtcTimestamp()),
        claim_slot=None,
        error_code="",
        **receipt_columns(),
        report_state=REPORT_PENDING,
    ),
    ("b_id", "b_carrier_msg_id", "b_now", *RECEIPT_BINDS),
)
_mark_retry = (
    update(_m)
    .where(_m.c.id == bindparam("b_id"), _m.c.status == _SUBMITTING)
    .values(
        status=_QUEUED,
        next_attempt_at=bindparam("b_next"),
        error_code=bindparam("b_error"),
        claim_slot=None,
    )
)
_mark_failed = (
    update(_m)
    .where(_m.c.id == bindparam("b_id"), _m.c.status == _SUBMITTING)
    .values(
        status=bindparam("b_status"),
        error_code=bindparam("b_error"),
        done_at=bindparam("b_now"),
        claim_slot=None,
        report_state=REPORT_PENDING,
    )
)


_u = tables.unmatched_receipt
_ANY_UNMATCHED = select(exists().where(_u.c.carrier_id == bindparam("b_carrier")))

_CLAIMED = (
    _m.c.id,
    _m.c.serial_no,
    _m.c.phone,
    _m.c.content,
    _m.c.international,
    _m.c.extend_code,
    _m.c.sender_id,
    _m.c.attempts,
    _m.c.alphabet,
    _m.c.segments,
)


class SqlDispatchQueue:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def claim(self, *, carrier_id: int, slot: str, limit: int, now: datetime) -> list[OutboundMessage]:
        postgres = self._db.dialect == "postgresql"

        def job(conn: Connection) -> list[tuple[Any, ...]]:
            due = (
                select(_m.c.id)
                .where(_m.c.carrier_id == carrier_id, _m.c.status == _QUEUED, _m.c.next_attempt_at <= now)
                .order_by(_m.c.next_attempt_at, _m.c.id)
                .limit(limit)
            )
            claim = update(_m).values(status=_SUBMITTING, claim_slot=slot, attempts=_m.c.attempts + 1)
            if postgres:
                # Two statements, not `UPDATE … WHERE id IN (SELECT … LIMIT n)`: PostgreSQL may plan that as a
                # nested-loop semi-join that re-runs the subquery for each row, and since rows this UPDATE
                # already changed are skipped on each re-run, it then takes every due row instead of `limit`.
                ids = list(conn.execute(due.with_for_update(skip_locked=True)).scalars())
                if not ids:
                    return []
                claim = claim.where(one_of(_m.c.id, ids, postgres=True), _m.c.status == _QUEUED)
            else:
                # SQLite runs the subquery once, inside the writer's exclusive transaction: one statement.
                claim = claim.where(_m.c.id.in_(due.scalar_subquery()), _m.c.status == _QUEUED)
            return [tuple(row) for row in conn.execute(claim.returning(*_CLAIMED))]

        # Turning rows into messages happens after the transaction, not while holding the lock.
        rows = await self._db.write(job)
        return [
            OutboundMessage(
                id=row[0],
                serial_no=row[1],
                phone=row[2],
                content=row[3],
                international=bool(row[4]),
                extend_code=row[5],
                sender_id=row[6],
                attempts=row[7],
                alphabet=row[8],
                segments=row[9],
            )
            for row in sorted(rows)
        ]

    async def record(self, results: Sequence[SubmitResult], *, carrier_id: int, now: datetime) -> None:
        single: list[tuple[Any, ...]] = []
        final: list[tuple[Any, ...]] = []
        multi: list[Submitted] = []
        retries: list[dict[str, Any]] = []
        failures: list[dict[str, Any]] = []
        for result in results:
            if isinstance(result, Submitted):
                receipt = result.receipt
                if receipt is not None and len(result.carrier_msg_ids) == 1:
                    final.append((result.message_id, result.carrier_msg_ids[0], now, *receipt_row(receipt)))
                elif len(result.carrier_msg_ids) == 1:
                    single.append((result.message_id, result.carrier_msg_ids[0], now))
                else:
                    multi.append(result)
            elif isinstance(result, SubmitRetry):
                retries.append(
                    {
                        "b_id": result.message_id,
                        "b_next": now + timedelta(seconds=result.delay_s),
                        "b_error": result.error_code,
                    }
                )
            elif isinstance(result, SubmitFailed):
                failures.append(
                    {
                        "b_id": result.message_id,
                        "b_status": result.status.value,
                        "b_error": result.error_code,
                        "b_now": now,
                    }
                )
        parts = [
            {
                "message_id": result.message_id,
                "part_no": number,
                "carrier_id": carrier_id,
                "carrier_msg_id": carrier_msg_id,
                "status": _SUBMITTED,
                "receipt_stat": "",
                "receipt_err": "",
            }
            for result in multi
            for number, carrier_msg_id in enumerate(result.carrier_msg_ids, start=1)
        ]
        multi_rows = [(r.message_id, None, now) for r in multi]
        submitted_ids = [row[1] for row in single] + [row[1] for row in final] + [p["carrier_msg_id"] for p in parts]
        submitted = _mark_submitted.prepare(self._db.sa_dialect, single + multi_rows)
        finished = _mark_final.prepare(self._db.sa_dialect, final)

        def job(conn: Connection) -> None:
            submitted.execute(conn)
            finished.execute(conn)
            if parts:
                conn.execute(insert(tables.message_part), parts)
            if retries:
                conn.execute(_mark_retry, retries)
            if failures:
                conn.execute(_mark_failed, failures)
            # A receipt may have overtaken this write; it was kept aside, match it now.
            if submitted_ids and conn.execute(_ANY_UNMATCHED, {"b_carrier": carrier_id}).scalar():
                rematch_carrier_ids(conn, carrier_id=carrier_id, carrier_msg_ids=submitted_ids, now=now)

        await self._db.write(job)

    async def release_slot(self, *, carrier_id: int, slot: str, now: datetime) -> int:
        def job(conn: Connection) -> int:
            result = conn.execute(
                update(_m)
                .where(_m.c.carrier_id == carrier_id, _m.c.status == _SUBMITTING, _m.c.claim_slot == slot)
                .values(status=_QUEUED, claim_slot=None, next_attempt_at=now)
            )
            return int(result.rowcount)

        return await self._db.write(job)
