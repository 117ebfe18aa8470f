"""The `mail_outbox` table as the platform's outbox of e-mail (both `Outbox` and `MailQueue`).

A mail's state is derived from its columns, never stored:

- ``sent_at`` set: SENT;
- else ``next_attempt_at`` set: WAITING, due for an attempt at that time;
- else ``attempts`` 0: KEPT (no SMTP server; operators read it in the console);
- else: FAILED (the last attempt failed and no other is planned).

With ``deliver=False`` (no SMTP server configured) `put` keeps the mail and also writes it to the
log, so that a fresh install still shows its first activation link somewhere.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import structlog
from sqlalchemy import Connection, insert, select, update

from smscloud.adapters.storage import tables
from smscloud.adapters.storage.database import Database
from smscloud.domain.notifications.model import Mail, MailState, OutgoingMail

__all__ = ["SqlOutbox"]

log = structlog.get_logger(__name__)

_o = tables.mail_outbox
_SUBJECT_MAX = 256  # the column's length
_ERROR_MAX = 2000  # an SMTP reply, with room to spare; a runaway message is cut
_LINK = re.compile(r"https?://[^\s]+")


def _state(row: Any) -> MailState:
    if row.sent_at is not None:
        return MailState.SENT
    if row.next_attempt_at is not None:
        return MailState.WAITING
    if row.attempts == 0:
        return MailState.KEPT
    return MailState.FAILED


def _to_outgoing(row: Any) -> OutgoingMail:
    return OutgoingMail(
        id=row.id,
        to_address=row.to_address,
        subject=row.subject,
        body=row.body,
        state=_state(row),
        attempts=row.attempts,
        created_at=row.created_at,
        sent_at=row.sent_at,
        last_error=row.last_error,
    )


def _fit(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


class SqlOutbox:
    """`Outbox` and `MailQueue` on the `mail_outbox` table.

    ``deliver``: whether a mail worker sends what is put here (an SMTP server is configured).
    Without one, mail is kept (state KEPT) and logged.

    `due` is a plain read, not a claim: run one mail worker per database, or two of them may send
    the same mail.
    """

    def __init__(self, db: Database, *, deliver: bool) -> None:
        self._db = db
        self._deliver = deliver

    async def put(self, mail: Mail, *, now: datetime) -> int:
        # The subject column holds 256 characters; a longer subject (a tenant's long template name
        # in a review result) is shortened rather than losing the mail.
        subject = _fit(mail.subject, _SUBJECT_MAX)

        def job(conn: Connection) -> int:
            mail_id: int = conn.execute(
                insert(_o)
                .values(
                    to_address=mail.to_address,
                    subject=subject,
                    body=mail.body,
                    created_at=now,
                    next_attempt_at=now if self._deliver else None,
                    attempts=0,
                    last_error="",
                )
                .returning(_o.c.id)
            ).scalar_one()
            return mail_id

        mail_id = await self._db.write(job)
        if not self._deliver:
            # The links on their own, so that an activation or reset link can be copied from the log
            # without the text around it.
            links = _LINK.findall(mail.body)
            log.info(
                "mail kept in the outbox",
                mail_id=mail_id,
                to=mail.to_address,
                subject=subject,
                link=links[0] if len(links) == 1 else links,
                body=mail.body,
            )
        return mail_id

    async def due(self, *, now: datetime, limit: int) -> list[OutgoingMail]:
        def job(conn: Connection) -> list[OutgoingMail]:
            rows = conn.execute(
                select(_o)
                .where(_o.c.sent_at.is_(None), _o.c.next_attempt_at.is_not(None), _o.c.next_attempt_at <= now)
                .order_by(_o.c.next_attempt_at, _o.c.id)
                .limit(limit)
            ).all()
            return [_to_outgoing(row) for row in rows]

        return await self._db.read(job)

    async def mark_sent(self, mail_id: int, *, now: datetime) -> None:
        def job(conn: Connection) -> None:
            conn.execute(
                update(_o)
                .where(_o.c.id == mail_id, _o.c.sent_at.is_(None))
                .values(sent_at=now, next_attempt_at=None, attempts=_o.c.attempts + 1, last_error="")
            )

        await self._db.write(job)

    async def mark_failed(self, mail_id: int, *, error: str, retry_at: datetime | None) -> None:
        def job(conn: Connection) -> None:
            conn.execute(
                update(_o)
                .where(_o.c.id == mail_id, _o.c.sent_at.is_(None))
                .values(next_attempt_at=retry_at, attempts=_o.c.attempts + 1, last_error=_fit(error, _ERROR_MAX))
            )

        await self._db.write(job)

    async def recent(self, *, limit: int, offset: int = 0) -> list[OutgoingMail]:
        def job(conn: Connection) -> list[OutgoingMail]:
            rows = conn.execute(select(_o).order_by(_o.c.id.desc()).limit(limit).offset(offset)).all()
            return [_to_outgoing(row) for row in rows]

        return await self._db.read(job)
