"""The mail sender: sends what is due in the outbox, and schedules the next try of what failed.

::

    sender = MailSender(SqlOutbox(db, deliver=True), SmtpMailer(...), SystemClock(), max_attempts=8)
    task = asyncio.create_task(sender.run(stop))   # polls every few seconds
    ...
    await outbox.put(mail, now=clock.now()); sender.wake()   # optional: send it now, not at the next poll

A failed attempt is tried again after 30 s, 2 min, 10 min, then every hour (`retry_delay`), until
`max_attempts` attempts have failed; a permanent refusal (`MailNotSent.permanent`, a 5xx for the
recipient or the content) gives the mail up at once.

Delivery is **at least once**. A mail is marked sent after the server accepted it; if the
process dies between the two, or the server's acceptance is lost on the way back (a timeout
after the data went through), the mail is sent again later. Within one running sender, a mail
whose acceptance could not be recorded (the database write failed) is remembered and marked
again before anything else is sent, and is never sent a second time. `due` does not claim rows:
run one mail sender per database, or two senders may both send the same mail.
"""

from __future__ import annotations

import asyncio
import contextlib
from datetime import datetime, timedelta
from typing import Protocol

import structlog

from smscloud.adapters.notifier.smtp import MailNotSent
from smscloud.domain.notifications.model import OutgoingMail
from smscloud.domain.notifications.ports import MailQueue
from smscloud.domain.shared.clock import Clock

__all__ = ["RETRY_DELAYS_S", "MailSender", "Mailer", "retry_delay"]

log = structlog.get_logger(__name__)

# The pause after the 1st, 2nd, 3rd … failed attempt; the last one repeats.
RETRY_DELAYS_S = (30.0, 120.0, 600.0, 3600.0)


def retry_delay(failed_attempts: int) -> timedelta:
    """The pause before the next try of a mail that has failed `failed_attempts` times (>= 1)."""
    index = min(max(failed_attempts, 1), len(RETRY_DELAYS_S)) - 1
    return timedelta(seconds=RETRY_DELAYS_S[index])


class Mailer(Protocol):
    async def send(self, mail: OutgoingMail) -> None:
        """Hand the mail over; raise `MailNotSent` (permanent or not) if the server did not take it."""
        ...


class MailSender:
    """Sends due outbox mail through a mailer. `run_once` is one pass; `run` loops until stopped."""

    def __init__(
        self,
        queue: MailQueue,
        mailer: Mailer,
        clock: Clock,
        *,
        max_attempts: int,
        batch: int = 20,
        poll_s: float = 5.0,
    ) -> None:
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        self._queue = queue
        self._mailer = mailer
        self._clock = clock
        self._max_attempts = max_attempts
        self._batch = batch
        self._poll_s = poll_s
        self._wake = asyncio.Event()
        # Sent, but the database did not take the mark: mail id -> when it was sent.
        self._unmarked: dict[int, datetime] = {}

    def wake(self) -> None:
        """Make a running `run` look for due mail now instead of at its next poll (call it on the loop's thread)."""
        self._wake.set()

    async def run_once(self) -> int:
        """Try every mail due now, up to `batch` of them; returns how many it tried (sent or failed)."""
        await self._mark_unmarked()  # raises while the database refuses: then nothing is sent
        due = await self._queue.due(now=self._clock.now(), limit=self._batch)
        for mail in due:
            await self._attempt(mail)
        return len(due)

    async def run(self, stop: asyncio.Event) -> None:
        """Pass after pass until `stop` is set: at once while a pass is full, else after `poll_s` or `wake()`."""
        while not stop.is_set():
            self._wake.clear()
            try:
                tried = await self.run_once()
            except Exception:
                log.exception("mail_sender.failed")
                tried = 0
            if tried < self._batch:
                await self._pause(stop)

    async def _attempt(self, mail: OutgoingMail) -> None:
        try:
            await self._mailer.send(mail)
        except MailNotSent as error:
            await self._failed(mail, error.reason, permanent=error.permanent)
            return
        except Exception as error:
            log.exception("mail_sender.unexpected_error", mail_id=mail.id)
            await self._failed(mail, f"{type(error).__name__}: {error}", permanent=False)
            return
        sent_at = self._clock.now()
        try:
            await self._queue.mark_sent(mail.id, now=sent_at)
        except Exception:
            # Remember it, so that this sender marks it later and never sends it again.
            self._unmarked[mail.id] = sent_at
            raise
        log.info("mail sent", mail_id=mail.id, to=mail.to_address, attempt=mail.attempts + 1)

    async def _failed(self, mail: OutgoingMail, reason: str, *, permanent: bool) -> None:
        attempt = mail.attempts + 1
        gives_up = permanent or attempt >= self._max_attempts
        retry_at = None if gives_up else self._clock.now() + retry_delay(attempt)
        await self._queue.mark_failed(mail.id, error=reason, retry_at=retry_at)
        log.warning(
            "mail not sent",
            mail_id=mail.id,
            to=mail.to_address,
            attempt=attempt,
            error=reason,
            permanent=permanent,
            retry_at=None if retry_at is None else retry_at.isoformat(),
        )

    async def _mark_unmarked(self) -> None:
        for mail_id, sent_at in list(self._unmarked.items()):
            await self._queue.mark_sent(mail_id, now=sent_at)
            del self._unmarked[mail_id]
            log.info("mail marked sent late", mail_id=mail_id)

    async def _pause(self, stop: asyncio.Event) -> None:
        waiters = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(self._wake.wait())]
        try:
            await asyncio.wait(waiters, timeout=self._poll_s, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for waiter in waiters:
                waiter.cancel()
            for waiter in waiters:
                with contextlib.suppress(asyncio.CancelledError):
                    await waiter
