"""Replies: matched to the message they answer when stored, pulled once per application.

The match (domain/messages/replies.py): the last message sent to the replying number through the
same carrier within `REPLY_WINDOW`, a message sent with the reply's extension code first.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select

from smscloud.adapters.storage import tables
from smscloud.adapters.storage.database import Database
from smscloud.adapters.storage.sql import one_of, take_once
from smscloud.domain.messages.replies import (
    REPLY_WINDOW,
    Reply,
    ReplyTarget,
    UnclaimedReply,
    extend_code_of,
    phone_candidates,
)

__all__ = ["SqlReplyStore", "insert_reply", "reply_target"]

_m = tables.message
_r = tables.mo_message
_c = tables.carrier
_TO_PULL, _PULLED = 1, 2  # pull_state; 0: matched to nothing, never pulled
_CANDIDATES = 20  # recent messages to the number looked at for one with the reply's extension code
_REPLY_COLUMNS = (
    _r.c.id,
    _r.c.app_id,
    _r.c.phone,
    _r.c.country_code,
    _r.c.sign_name,
    _r.c.extend_code,
    _r.c.text,
    _r.c.received_at,
)


def reply_target(
    conn: Connection,
    *,
    carrier_id: int,
    source_addr: str,
    destination_addr: str,
    now: datetime,
    sent_by: datetime | None = None,
) -> ReplyTarget | None:
    """The message a reply received at `now` answers, if any (see the module docstring).

    `sent_by`: only messages sent by then count, for a reply stored after it was received (the
    parts of a long reply whose other parts never came), so that it goes where it would have gone.
    """
    phones = phone_candidates(source_addr)
    if not phones:
        return None
    postgres = conn.dialect.name == "postgresql"
    long_number = conn.execute(select(_c.c.source_addr).where(_c.c.id == carrier_id)).scalar() or ""
    extend_code = extend_code_of(destination_addr, long_number)
    rows = conn.execute(
        select(_m.c.id, _m.c.tenant_id, _m.c.app_id, _m.c.phone, _m.c.country_code, _m.c.sign_name, _m.c.extend_code)
        .where(
            one_of(_m.c.phone, phones, postgres=postgres),
            _m.c.created_at >= now - REPLY_WINDOW,
            _m.c.carrier_id == carrier_id,
            *(() if sent_by is None else (_m.c.created_at <= sent_by,)),
        )
        .order_by(_m.c.created_at.desc(), _m.c.id.desc())
        .limit(_CANDIDATES)
    ).all()
    if not rows:
        return None
    chosen = next((row for row in rows if extend_code and row.extend_code == extend_code), rows[0])
    return ReplyTarget(
        message_id=chosen.id,
        tenant_id=chosen.tenant_id,
        app_id=chosen.app_id,
        phone=chosen.phone,
        country_code=chosen.country_code,
        sign_name=chosen.sign_name,
        extend_code=chosen.extend_code,
    )


def insert_reply(
    conn: Connection,
    *,
    carrier_id: int,
    source_addr: str,
    destination_addr: str,
    text: str,
    now: datetime,
    sent_by: datetime | None = None,
) -> ReplyTarget | None:
    """Store a reply received at `now`, matched; returns what it answers (None: nothing, it is
    kept unmatched). `sent_by` as for `reply_target`."""
    target = reply_target(
        conn,
        carrier_id=carrier_id,
        source_addr=source_addr,
        destination_addr=destination_addr,
        now=now,
        sent_by=sent_by,
    )
    values: dict[str, Any] = {
        "carrier_id": carrier_id,
        "source_addr": source_addr[:32],
        "destination_addr": destination_addr[:32],
        "text": text,
        "received_at": now,
    }
    if target is not None:
        values.update(
            tenant_id=target.tenant_id,
            app_id=target.app_id,
            message_id=target.message_id,
            phone=target.phone,
            country_code=target.country_code,
            sign_name=target.sign_name,
            extend_code=target.extend_code,
            pull_state=_TO_PULL,
        )
    conn.execute(insert(_r).values(values))
    return target


def _reply(row: Any) -> Reply:
    return Reply(
        id=row.id,
        app_id=row.app_id,
        phone=row.phone,
        country_code=row.country_code,
        sign_name=row.sign_name,
        extend_code=row.extend_code,
        text=row.text,
        received_at=row.received_at,
    )


class SqlReplyStore:
    """`ReplyStore` over the mo_message table."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def pull(self, *, app_id: int, limit: int) -> list[Reply]:
        """Replies not pulled before, oldest first; each is returned once (as `SqlReportStore.pull`)."""

        def job(conn: Connection) -> list[Reply]:
            rows = take_once(
                conn,
                _r,
                app_id=app_id,
                state="pull_state",
                waiting=_TO_PULL,
                taken=_PULLED,
                columns=_REPLY_COLUMNS,
                limit=limit,
            )
            return [_reply(row) for row in rows]

        return await self._db.write(job)

    async def for_phone(
        self, *, app_id: int, phone: str, begin: datetime, end: datetime | None, limit: int, offset: int
    ) -> list[Reply]:
        """Replies from one number received in [begin, end], oldest first (pulled or not)."""

        def job(conn: Connection) -> list[Reply]:
            query = (
                select(*_REPLY_COLUMNS)
                .where(_r.c.app_id == app_id, _r.c.phone == phone, _r.c.received_at >= begin)
                .order_by(_r.c.id)
                .limit(limit)
                .offset(offset)
            )
            if end is not None:
                query = query.where(_r.c.received_at <= end)
            return [_reply(row) for row in conn.execute(query)]

        return await self._db.read(job)

    async def of_tenant(self, *, tenant_id: int, phone: str | None, limit: int, offset: int = 0) -> list[Reply]:
        """The replies to the tenant's messages, newest first; `phone` (E.164) narrows to one number."""

        def job(conn: Connection) -> list[Reply]:
            query = select(*_REPLY_COLUMNS).where(_r.c.tenant_id == tenant_id)
            if phone is not None:
                query = query.where(_r.c.phone == phone)
            query = query.order_by(_r.c.id.desc()).limit(limit).offset(offset)
            return [_reply(row) for row in conn.execute(query)]

        return await self._db.read(job)

    async def unclaimed(self, *, limit: int, offset: int = 0) -> list[UnclaimedReply]:
        """The replies no message claimed, newest first (the tenant index holds them under NULL)."""

        def job(conn: Connection) -> list[UnclaimedReply]:
            query = (
                select(
                    _r.c.id,
                    _r.c.carrier_id,
                    func.coalesce(_c.c.name, ""),
                    _r.c.source_addr,
                    _r.c.destination_addr,
                    _r.c.text,
                    _r.c.received_at,
                )
                .select_from(_r.outerjoin(_c, _c.c.id == _r.c.carrier_id))
                .where(_r.c.tenant_id.is_(None))
                .order_by(_r.c.id.desc())
                .limit(limit)
                .offset(offset)
            )
            return [UnclaimedReply(*row) for row in conn.execute(query)]

        return await self._db.read(job)
