"""Messages: storing accepted ones, and reading their final statuses back as reports."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Dialect, bindparam, insert, select

from smscloud.adapters.storage import mappers, tables
from smscloud.adapters.storage.bulk import Bulk
from smscloud.adapters.storage.coalescing import Coalescer
from smscloud.adapters.storage.database import Database
from smscloud.adapters.storage.sql import take_once
from smscloud.domain.messages.model import FINAL_STATUSES, MessageStatus, NewMessage, Report

__all__ = ["REPORT_PENDING", "REPORT_PULLED", "SqlMessageStore", "SqlReportStore"]

REPORT_NONE, REPORT_PENDING, REPORT_PULLED = 0, 1, 2

_m = tables.message
_REPORT_COLUMNS = (
    _m.c.id,
    _m.c.serial_no,
    _m.c.phone,
    _m.c.country_code,
    _m.c.status,
    _m.c.receipt_stat,
    _m.c.error_code,
    _m.c.done_at,
    _m.c.session_context,
    _m.c.sign_name,
)


_INSERT_COLUMNS = (
    "serial_no",
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
    "next_attempt_at",
    "created_at",
)
_insert = Bulk(
    insert(_m).values(
        {name: bindparam(f"b_{name}", type_=_m.c[name].type) for name in _INSERT_COLUMNS}
        | {
            "status": MessageStatus.QUEUED.value,
            "attempts": 0,
            "error_code": "",
            "receipt_stat": "",
            "receipt_err": "",
            "report_state": REPORT_NONE,
        }
    ),
    [f"b_{name}" for name in _INSERT_COLUMNS],
)


def _row(message: NewMessage) -> tuple[Any, ...]:
    return (
        message.serial_no,
        message.request_id,
        message.tenant_id,
        message.app_id,
        message.phone,
        message.country_code,
        message.iso_code,
        message.international,
        message.sign_name,
        message.template_id,
        message.sms_type,
        message.content,
        message.alphabet,
        message.segments,
        message.session_context,
        message.extend_code,
        message.sender_id,
        message.carrier_id,
        message.created_at,
        message.created_at,
    )


def _insert_job(dialect: Dialect, rows: list[tuple[Any, ...]]) -> Callable[[Connection], None]:
    prepared = _insert.prepare(dialect, rows)

    def job(conn: Connection) -> None:
        prepared.execute(conn)

    return job


class SqlMessageStore:
    def __init__(self, db: Database) -> None:
        # Concurrent SendSms requests share one INSERT … executemany.
        self._inserts: Coalescer[tuple[Any, ...]] = Coalescer(db, lambda rows: _insert_job(db.sa_dialect, rows))

    async def add(self, messages: Sequence[NewMessage]) -> None:
        await self._inserts.write([_row(m) for m in messages])


class SqlReportStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def pull(self, *, app_id: int, limit: int) -> list[Report]:
        def job(conn: Connection) -> list[Report]:
            rows = take_once(
                conn,
                _m,
                app_id=app_id,
                state="report_state",
                waiting=REPORT_PENDING,
                taken=REPORT_PULLED,
                columns=_REPORT_COLUMNS,
                limit=limit,
            )
            return [mappers.to_report(row) for row in rows]

        return await self._db.write(job)

    async def for_phone(
        self, *, app_id: int, phone: str, begin: datetime, end: datetime | None, limit: int, offset: int
    ) -> list[Report]:
        def job(conn: Connection) -> list[Report]:
            query = (
                select(*_REPORT_COLUMNS)
                .where(
                    _m.c.app_id == app_id,
                    _m.c.phone == phone,
                    _m.c.created_at >= begin,
                    _m.c.status.in_([s.value for s in FINAL_STATUSES]),
                )
                .order_by(_m.c.id)
                .limit(limit)
                .offset(offset)
            )
            if end is not None:
                query = query.where(_m.c.created_at <= end)
            return [mappers.to_report(row) for row in conn.execute(query)]

        return await self._db.read(job)
