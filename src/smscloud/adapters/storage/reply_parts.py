"""The parts of concatenated replies, in mo_part, until their reply is whole (domain/messages/replies.py).

Every part is its own write job, committed before the intake lets it be acknowledged. In that one
transaction, the part is read against those already held under its key (carrier, addresses,
reference, total) and, by `receive_part`'s decision, ignored (a duplicate), kept, or kept and the
reply stored: assembled, inserted through `insert_reply` (so it is matched as every reply is) and
its parts marked assembled. A crash before the commit leaves nothing (the carrier, unanswered,
sends the part again); after it, everything. Assembled parts stay for `REPLY_PARTS_TIMEOUT`: the
carrier sending one again after its acknowledgement was lost is then a duplicate, not the first
part of a new reply.

Two parts of one reply can arrive at the same moment on two binds, or in two connector
processes. SQLite has a single writer, so one job always sees the other's part. On PostgreSQL,
where two transactions would each see only their own part and neither complete the reply, a
transaction-scoped advisory lock on the key makes them take turns (read committed: the second
sees the first's part once it holds the lock); the unique key stops a second row for one place.
The sweep (`flush_stale_parts`, run by the reconciler) only tries that lock, and leaves a key
that is busy to its next pass.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import structlog
from sqlalchemy import ColumnElement, Connection, delete, insert, select, text, update

from smscloud.adapters.storage import tables
from smscloud.adapters.storage.database import Database
from smscloud.adapters.storage.replies import insert_reply
from smscloud.domain.messages.replies import (
    HeldPart,
    PartOutcome,
    ReplyPart,
    joined_text,
    missing_parts,
    receive_part,
)

__all__ = ["IncompleteReply", "SqlReplyPartStore", "flush_stale_parts", "store_part"]

log = structlog.get_logger(__name__)

_k = tables.mo_part
_LOCK_CLASS = 0x6D6F7074  # "mopt": the first key of the two-key advisory locks, a space of its own
_SWEEP_BATCH = 200  # keys flushed per pass at most
_ADDRESS = 32  # the columns' size, as mo_message's


def _key_values(
    carrier_id: int, source_addr: str, destination_addr: str, reference: int, total: int
) -> tuple[int, str, str, int, int]:
    return carrier_id, source_addr[:_ADDRESS], destination_addr[:_ADDRESS], reference, total


def _key_of(part: ReplyPart) -> tuple[int, str, str, int, int]:
    return _key_values(part.carrier_id, part.source_addr, part.destination_addr, part.reference, part.total)


def _where(key: tuple[int, str, str, int, int]) -> list[ColumnElement[bool]]:
    carrier_id, source_addr, destination_addr, reference, total = key
    return [
        _k.c.carrier_id == carrier_id,
        _k.c.source_addr == source_addr,
        _k.c.destination_addr == destination_addr,
        _k.c.reference == reference,
        _k.c.total == total,
    ]


def _lock_id(key: tuple[int, str, str, int, int]) -> int:
    """The key as the second int4 of an advisory lock: stable across processes (not `hash`)."""
    digest = hashlib.blake2b(repr(key).encode(), digest_size=4).digest()
    return int.from_bytes(digest, "big", signed=True)


def _lock(conn: Connection, key: tuple[int, str, str, int, int], *, wait: bool) -> bool:
    """Hold the key's lock until the transaction ends (PostgreSQL; SQLite's writer is alone)."""
    if conn.dialect.name != "postgresql":
        return True
    params = {"cls": _LOCK_CLASS, "key": _lock_id(key)}
    if wait:
        conn.execute(text("SELECT pg_advisory_xact_lock(:cls, :key)"), params)
        return True
    return bool(conn.execute(text("SELECT pg_try_advisory_xact_lock(:cls, :key)"), params).scalar())


def _held(conn: Connection, key: tuple[int, str, str, int, int]) -> list[Any]:
    return list(
        conn.execute(
            select(_k.c.id, _k.c.part_no, _k.c.text, _k.c.received_at, _k.c.assembled_at)
            .where(*_where(key))
            .order_by(_k.c.part_no)
        )
    )


def _as_held(row: Any) -> HeldPart:
    return HeldPart(
        number=row.part_no, text=row.text, received_at=row.received_at, assembled=row.assembled_at is not None
    )


@dataclass(frozen=True, slots=True)
class IncompleteReply:
    """A reply stored without some of its parts (logged once the write is committed)."""

    carrier_id: int
    source_addr: str
    reference: int
    total: int
    missing: tuple[int, ...]
    reason: str  # timeout | reference reused


def _store_partial(
    conn: Connection, key: tuple[int, str, str, int, int], waiting: Sequence[Any], *, reason: str
) -> IncompleteReply:
    """Store what came of a reply that will not be completed, as the reply it would have been on
    arrival of its last part: received then, matched to messages sent by then."""
    carrier_id, source_addr, destination_addr, reference, total = key
    last = max(row.received_at for row in waiting)
    parts = [_as_held(row) for row in waiting]
    insert_reply(
        conn,
        carrier_id=carrier_id,
        source_addr=source_addr,
        destination_addr=destination_addr,
        text=joined_text(parts),
        now=last,
        sent_by=last,
    )
    return IncompleteReply(carrier_id, source_addr, reference, total, tuple(missing_parts(parts, total)), reason)


def store_part(conn: Connection, part: ReplyPart, *, now: datetime) -> tuple[PartOutcome, IncompleteReply | None]:
    """Keep `part` and, when it completes its reply, store the reply (see the module docstring).
    Also returns the earlier reply stored incomplete when the part's reference came round again."""
    key = _key_of(part)
    _lock(conn, key, wait=True)
    rows = _held(conn, key)
    decision = receive_part([_as_held(row) for row in rows], part)
    if decision.outcome is PartOutcome.DUPLICATE:
        return decision.outcome, None
    earlier = None
    if decision.restart:  # the reference came round again: finish the earlier reply first
        waiting = [row for row in rows if row.assembled_at is None]
        if waiting:
            earlier = _store_partial(conn, key, waiting, reason="reference reused")
        conn.execute(delete(_k).where(*_where(key)))
    carrier_id, source_addr, destination_addr, reference, total = key
    conn.execute(
        insert(_k).values(
            carrier_id=carrier_id,
            source_addr=source_addr,
            destination_addr=destination_addr,
            reference=reference,
            total=total,
            part_no=part.number,
            text=part.text,
            received_at=now,
        )
    )
    if decision.text is not None:  # it completed the reply
        insert_reply(
            conn,
            carrier_id=carrier_id,
            source_addr=part.source_addr,
            destination_addr=part.destination_addr,
            text=decision.text,
            now=now,
        )
        conn.execute(update(_k).where(*_where(key), _k.c.assembled_at.is_(None)).values(assembled_at=now))
    return decision.outcome, earlier


def flush_stale_parts(conn: Connection, *, received_before: datetime) -> list[IncompleteReply]:
    """Store, as one reply each, the parts of replies begun before `received_before` that never
    completed, and forget them; forget assembled parts received as long ago. Returns the replies."""
    conn.execute(delete(_k).where(_k.c.received_at < received_before, _k.c.assembled_at.is_not(None)))
    stale = conn.execute(
        select(_k.c.carrier_id, _k.c.source_addr, _k.c.destination_addr, _k.c.reference, _k.c.total)
        .where(_k.c.received_at < received_before, _k.c.assembled_at.is_(None))
        .distinct()
        .limit(_SWEEP_BATCH)
    ).all()
    stored: list[IncompleteReply] = []
    for found in stale:
        key = _key_values(*found)
        if not _lock(conn, key, wait=False):
            continue  # a part of it is being stored right now: the next pass will see
        waiting = [row for row in _held(conn, key) if row.assembled_at is None]
        if not waiting or min(row.received_at for row in waiting) >= received_before:
            continue  # completed, or begun again, since the query above
        stored.append(_store_partial(conn, key, waiting, reason="timeout"))
        conn.execute(delete(_k).where(*_where(key), _k.c.assembled_at.is_(None)))
    return stored


def _log_incomplete(reply: IncompleteReply) -> None:
    log.warning(
        "reply.stored_incomplete",
        carrier_id=reply.carrier_id,
        source_addr=reply.source_addr,
        reference=reply.reference,
        total=reply.total,
        missing=list(reply.missing),
        reason=reply.reason,
    )


class SqlReplyPartStore:
    """`ReplyPartStore` over the mo_part table (SqlReceiptStore hands its calls here)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def store_reply_part(self, *, part: ReplyPart, now: datetime) -> PartOutcome:
        outcome, earlier = await self._db.write(lambda conn: store_part(conn, part, now=now))
        if earlier is not None:
            _log_incomplete(earlier)
        return outcome

    async def flush_reply_parts(self, *, received_before: datetime) -> int:
        stored = await self._db.write(lambda conn: flush_stale_parts(conn, received_before=received_before))
        for reply in stored:
            _log_incomplete(reply)
        return len(stored)
