"""The pipeline's backlog per carrier, counted on the message table's partial indexes.

Each count reads one partial index (queued: ix_message_dispatch, submitting: ix_message_inflight,
submitted: ix_message_awaiting_receipt), so its cost follows what waits, not the table's size.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, case, func, select

from smscloud.adapters.storage import tables
from smscloud.adapters.storage.database import Database
from smscloud.domain.carriers.model import BIND_REPORT_STALE_AFTER
from smscloud.domain.messages.backlog import CarrierBacklog
from smscloud.domain.messages.model import MessageStatus

__all__ = ["SqlBacklog"]

_m = tables.message
_c = tables.carrier
_b = tables.carrier_bind


def _age_s(now: datetime, since: datetime | None) -> float:
    return max(0.0, (now - since).total_seconds()) if since is not None else 0.0


class SqlBacklog:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def per_carrier(self, *, now: datetime) -> list[CarrierBacklog]:
        """Every carrier (enabled or not) with what waits for it; a carrier with nothing waiting
        is listed with zeros, so that a monitor sees it."""

        def job(conn: Connection) -> tuple[Sequence[Any], ...]:
            carriers = conn.execute(select(_c.c.id, _c.c.name, _c.c.binds, _c.c.enabled).order_by(_c.c.name)).all()
            binds_up = conn.execute(
                select(_b.c.carrier_id, func.count())
                .join(_c, _c.c.id == _b.c.carrier_id)
                .where(
                    _c.c.enabled.is_(True),
                    _b.c.slot < _c.c.binds,  # a slot the carrier no longer has is not a bind of it
                    _b.c.bound.is_(True),
                    _b.c.seen_at >= now - BIND_REPORT_STALE_AFTER,  # as ReportedBind.up
                )
                .group_by(_b.c.carrier_id)
            ).all()
            due = _m.c.next_attempt_at <= now
            queued = conn.execute(
                select(
                    _m.c.carrier_id,
                    func.count(),
                    func.sum(case((due, 1), else_=0)),
                    func.min(case((due, _m.c.next_attempt_at), else_=None)),
                )
                .where(_m.c.status == MessageStatus.QUEUED.value)
                .group_by(_m.c.carrier_id)
            ).all()
            submitting = conn.execute(
                select(_m.c.carrier_id, func.count())
                .where(_m.c.status == MessageStatus.SUBMITTING.value)
                .group_by(_m.c.carrier_id)
            ).all()
            submitted = conn.execute(
                select(_m.c.carrier_id, func.count(), func.min(_m.c.submitted_at))
                .where(_m.c.status == MessageStatus.SUBMITTED.value)
                .group_by(_m.c.carrier_id)
            ).all()
            return carriers, binds_up, queued, submitting, submitted

        carriers, binds_up, queued, submitting, submitted = await self._db.read(job)
        up_by = {row[0]: int(row[1]) for row in binds_up}
        queued_by = {row[0]: row for row in queued}
        submitting_by = {row[0]: row[1] for row in submitting}
        submitted_by = {row[0]: row for row in submitted}
        backlog: list[CarrierBacklog] = []
        for carrier_id, name, binds, enabled in carriers:
            waiting = queued_by.get(carrier_id)
            answered = submitted_by.get(carrier_id)
            backlog.append(
                CarrierBacklog(
                    carrier=name,
                    binds=max(1, int(binds)) if enabled else 0,
                    binds_up=up_by.get(carrier_id, 0),
                    queued=int(waiting[1]) if waiting else 0,
                    due=int(waiting[2] or 0) if waiting else 0,
                    oldest_due_s=_age_s(now, waiting[3]) if waiting else 0.0,
                    submitting=int(submitting_by.get(carrier_id, 0)),
                    submitted=int(answered[1]) if answered else 0,
                    oldest_submitted_s=_age_s(now, answered[2]) if answered else 0.0,
                )
            )
        return backlog
