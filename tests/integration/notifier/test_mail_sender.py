"""The mail sender over the real outbox and a real SMTP server: sending, the retry schedule, giving up, waking."""

from __future__ import annotations

import asyncio
import socket
from datetime import UTC, datetime, timedelta

import pytest

from smscloud.adapters.notifier.smtp import SmtpMailer
from smscloud.adapters.storage.database import Database
from smscloud.adapters.storage.mail_outbox import SqlOutbox
from smscloud.domain.notifications.model import Mail, MailState, OutgoingMail
from smscloud.domain.shared.clock import FixedClock
from smscloud.entrypoints.workers.mail_sender import MailSender, retry_delay
from tests.support.smtp import SmtpCapture

pytestmark = pytest.mark.integration

NOW = datetime(2026, 3, 10, 4, 0, tzinfo=UTC)


def mail(n: int = 1) -> Mail:
    return Mail(to_address=f"user{n}@example.com", subject=f"subject {n}", body=f"body {n}\n")


def mailer_for(capture: SmtpCapture) -> SmtpMailer:
    return SmtpMailer(
        host=capture.host, port=capture.port, tls="none", from_address="no-reply@smscloud.test", timeout_s=5
    )


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def outbox(db: Database) -> SqlOutbox:
    return SqlOutbox(db, deliver=True)


async def only(outbox: SqlOutbox) -> OutgoingMail:
    [stored] = await outbox.recent(limit=2)
    return stored


def test_the_retry_schedule_grows_then_stays_at_an_hour() -> None:
    assert [retry_delay(n).total_seconds() for n in range(1, 8)] == [30, 120, 600, 3600, 3600, 3600, 3600]


async def test_due_mail_is_sent_and_marked_sent(
    outbox: SqlOutbox, smtp_capture: SmtpCapture, clock: FixedClock
) -> None:
    sender = MailSender(outbox, mailer_for(smtp_capture), clock, max_attempts=3)
    first = await outbox.put(mail(1), now=clock.now())
    second = await outbox.put(mail(2), now=clock.now())
    clock.advance(1)

    assert await sender.run_once() == 2
    assert (await smtp_capture.wait_for("user1@example.com")).subject == "subject 1"
    assert (await smtp_capture.wait_for("user2@example.com")).subject == "subject 2"
    sent = {m.id: m for m in await outbox.recent(limit=10)}
    assert {(m.state, m.attempts, m.sent_at) for m in sent.values()} == {(MailState.SENT, 1, clock.now())}
    assert set(sent) == {first, second}

    assert await sender.run_once() == 0
    assert len(smtp_capture.received) == 2


async def test_a_pass_tries_at_most_a_batch_oldest_first(
    outbox: SqlOutbox, smtp_capture: SmtpCapture, clock: FixedClock
) -> None:
    sender = MailSender(outbox, mailer_for(smtp_capture), clock, max_attempts=3, batch=2)
    for n in range(3):
        await outbox.put(mail(n), now=clock.now())

    assert await sender.run_once() == 2
    assert [m.to for m in smtp_capture.received] == ["user0@example.com", "user1@example.com"]
    assert await sender.run_once() == 1
    assert await sender.run_once() == 0


async def test_a_transient_failure_is_retried_on_the_schedule_until_it_goes_through(
    outbox: SqlOutbox, smtp_capture: SmtpCapture, clock: FixedClock
) -> None:
    smtp_capture.reject("user1@example.com", "451 4.3.0 Try again later")
    sender = MailSender(outbox, mailer_for(smtp_capture), clock, max_attempts=8)
    await outbox.put(mail(1), now=clock.now())

    assert await sender.run_once() == 1
    for attempt, pause in enumerate([30, 120, 600, 3600, 3600], start=2):
        waiting = await only(outbox)
        assert (waiting.state, waiting.attempts) == (MailState.WAITING, attempt - 1)
        assert "451 4.3.0 Try again later" in waiting.last_error
        clock.advance(pause - 1)
        assert await sender.run_once() == 0, f"attempt {attempt} came before its {pause} s pause"
        clock.advance(1)
        if attempt == 6:
            smtp_capture.accept("user1@example.com")
        assert await sender.run_once() == 1

    sent = await only(outbox)
    assert (sent.state, sent.attempts, sent.sent_at, sent.last_error) == (MailState.SENT, 6, clock.now(), "")
    assert [m.to for m in smtp_capture.received] == ["user1@example.com"]


async def test_a_mail_is_given_up_after_max_attempts(outbox: SqlOutbox, clock: FixedClock) -> None:
    mailer = SmtpMailer(host="127.0.0.1", port=closed_port(), tls="none", from_address="a@smscloud.test")
    sender = MailSender(outbox, mailer, clock, max_attempts=3)
    await outbox.put(mail(), now=clock.now())

    for _ in range(3):
        assert await sender.run_once() == 1
        clock.advance(3600)

    failed = await only(outbox)
    assert (failed.state, failed.attempts, failed.sent_at) == (MailState.FAILED, 3, None)
    assert "cannot reach 127.0.0.1" in failed.last_error
    clock.advance(365 * 86400)
    assert await sender.run_once() == 0


async def test_a_permanent_refusal_gives_the_mail_up_at_once(
    outbox: SqlOutbox, smtp_capture: SmtpCapture, clock: FixedClock
) -> None:
    smtp_capture.reject("user1@example.com")
    sender = MailSender(outbox, mailer_for(smtp_capture), clock, max_attempts=8)
    await outbox.put(mail(1), now=clock.now())
    await outbox.put(mail(2), now=clock.now())

    assert await sender.run_once() == 2
    by_address = {m.to_address: m for m in await outbox.recent(limit=10)}
    refused = by_address["user1@example.com"]
    assert (refused.state, refused.attempts) == (MailState.FAILED, 1)
    assert "550 5.1.1" in refused.last_error
    assert by_address["user2@example.com"].state == MailState.SENT
    clock.advance(86400)
    assert await sender.run_once() == 0


class ExplodingMailer:
    async def send(self, mail: OutgoingMail) -> None:
        raise RuntimeError("a bug in the mailer")


async def test_an_unexpected_error_counts_as_a_transient_failure(outbox: SqlOutbox, clock: FixedClock) -> None:
    sender = MailSender(outbox, ExplodingMailer(), clock, max_attempts=8)
    await outbox.put(mail(), now=clock.now())

    assert await sender.run_once() == 1
    waiting = await only(outbox)
    assert (waiting.state, waiting.attempts, waiting.last_error) == (
        MailState.WAITING,
        1,
        "RuntimeError: a bug in the mailer",
    )
    assert await outbox.due(now=clock.now() + timedelta(seconds=30), limit=1) == [waiting]


class MarkFailsOnce:
    """The real outbox, except that the first `mark_sent` fails as if the database were away."""

    def __init__(self, outbox: SqlOutbox) -> None:
        self.outbox = outbox
        self.failures_left = 1

    async def due(self, *, now: datetime, limit: int) -> list[OutgoingMail]:
        return await self.outbox.due(now=now, limit=limit)

    async def mark_sent(self, mail_id: int, *, now: datetime) -> None:
        if self.failures_left:
            self.failures_left -= 1
            raise ConnectionError("database unavailable")
        await self.outbox.mark_sent(mail_id, now=now)

    async def mark_failed(self, mail_id: int, *, error: str, retry_at: datetime | None) -> None:
        await self.outbox.mark_failed(mail_id, error=error, retry_at=retry_at)

    async def recent(self, *, limit: int, offset: int = 0) -> list[OutgoingMail]:
        return await self.outbox.recent(limit=limit, offset=offset)


async def test_a_mail_whose_mark_failed_is_marked_later_and_not_sent_again(
    outbox: SqlOutbox, smtp_capture: SmtpCapture, clock: FixedClock
) -> None:
    sender = MailSender(MarkFailsOnce(outbox), mailer_for(smtp_capture), clock, max_attempts=3)
    await outbox.put(mail(1), now=clock.now())
    sent_at = clock.now()

    with pytest.raises(ConnectionError):
        await sender.run_once()
    assert (await only(outbox)).state == MailState.WAITING
    clock.advance(5)

    assert await sender.run_once() == 0
    marked = await only(outbox)
    assert (marked.state, marked.sent_at) == (MailState.SENT, sent_at)
    assert [m.to for m in smtp_capture.received] == ["user1@example.com"]


async def test_run_sends_what_is_put_when_woken_and_stops_when_told(
    outbox: SqlOutbox, smtp_capture: SmtpCapture, clock: FixedClock
) -> None:
    sender = MailSender(outbox, mailer_for(smtp_capture), clock, max_attempts=3, poll_s=60)
    stop = asyncio.Event()
    task = asyncio.create_task(sender.run(stop))
    try:
        await asyncio.sleep(0.1)  # the first pass found nothing; the next poll is a minute away
        await outbox.put(mail(1), now=clock.now())
        await asyncio.sleep(0.3)
        assert smtp_capture.received == []

        sender.wake()
        assert (await smtp_capture.wait_for("user1@example.com", timeout=5)).subject == "subject 1"
    finally:
        stop.set()
        await asyncio.wait_for(task, timeout=5)
    assert (await only(outbox)).state == MailState.SENT


async def test_run_goes_on_at_once_while_passes_are_full(
    outbox: SqlOutbox, smtp_capture: SmtpCapture, clock: FixedClock
) -> None:
    for n in range(5):
        await outbox.put(mail(n), now=clock.now())
    sender = MailSender(outbox, mailer_for(smtp_capture), clock, max_attempts=3, batch=2, poll_s=60)
    stop = asyncio.Event()
    task = asyncio.create_task(sender.run(stop))
    try:
        for n in range(5):
            await smtp_capture.wait_for(f"user{n}@example.com", timeout=5)
    finally:
        stop.set()
        await asyncio.wait_for(task, timeout=5)


async def test_run_survives_a_failing_pass(outbox: SqlOutbox, smtp_capture: SmtpCapture, clock: FixedClock) -> None:
    sender = MailSender(MarkFailsOnce(outbox), mailer_for(smtp_capture), clock, max_attempts=3, poll_s=0.05)
    await outbox.put(mail(1), now=clock.now())
    stop = asyncio.Event()
    task = asyncio.create_task(sender.run(stop))
    try:
        for _ in range(200):
            if (await only(outbox)).state == MailState.SENT:
                break
            await asyncio.sleep(0.02)
    finally:
        stop.set()
        await asyncio.wait_for(task, timeout=5)
    assert (await only(outbox)).state == MailState.SENT
    assert len(smtp_capture.received) == 1


def test_max_attempts_must_allow_one_attempt(outbox: SqlOutbox, clock: FixedClock) -> None:
    with pytest.raises(ValueError, match="max_attempts"):
        MailSender(outbox, ExplodingMailer(), clock, max_attempts=0)
