"""The mail outbox in the database: put, due, marking attempts, the state of each mail, the log of kept mail."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from structlog.testing import capture_logs

from smscloud.adapters.storage.database import Database
from smscloud.adapters.storage.mail_outbox import SqlOutbox
from smscloud.domain.notifications.mails import activation_mail
from smscloud.domain.notifications.model import Mail, MailState

pytestmark = pytest.mark.integration

NOW = datetime(2026, 3, 10, 4, 0, tzinfo=UTC)

LATER = NOW + timedelta(minutes=5)


def mail(n: int = 1) -> Mail:
    return Mail(to_address=f"user{n}@example.com", subject=f"subject {n}", body=f"body {n}\n")


async def test_a_delivered_outbox_puts_mail_due_at_once(db: Database) -> None:
    outbox = SqlOutbox(db, deliver=True)
    mail_id = await outbox.put(mail(), now=NOW)

    [due] = await outbox.due(now=NOW, limit=10)
    assert (due.id, due.to_address, due.subject, due.body) == (mail_id, "user1@example.com", "subject 1", "body 1\n")
    assert (due.state, due.attempts, due.created_at, due.sent_at, due.last_error) == (
        MailState.WAITING,
        0,
        NOW,
        None,
        "",
    )
    assert await outbox.due(now=NOW - timedelta(microseconds=1), limit=10) == []


async def test_chinese_text_round_trips(db: Database) -> None:
    outbox = SqlOutbox(db, deliver=True)
    original = activation_mail(to_address="张三@example.com", link="http://127.0.0.1:8080/a?t=1", language="zh-CN")
    await outbox.put(original, now=NOW)

    [due] = await outbox.due(now=NOW, limit=1)
    assert (due.to_address, due.subject, due.body) == (original.to_address, original.subject, original.body)


async def test_due_is_ordered_by_next_attempt_then_id_and_limited(db: Database) -> None:
    outbox = SqlOutbox(db, deliver=True)
    first = await outbox.put(mail(1), now=NOW)
    second = await outbox.put(mail(2), now=NOW)
    third = await outbox.put(mail(3), now=NOW - timedelta(seconds=1))
    fourth = await outbox.put(mail(4), now=NOW)
    await outbox.mark_failed(first, error="451 try later", retry_at=NOW + timedelta(seconds=30))

    assert [m.id for m in await outbox.due(now=NOW, limit=10)] == [third, second, fourth]
    assert [m.id for m in await outbox.due(now=NOW, limit=2)] == [third, second]
    assert [m.id for m in await outbox.due(now=NOW + timedelta(seconds=30), limit=10)] == [
        third,
        second,
        fourth,
        first,
    ]


async def test_mark_sent_takes_the_mail_out_of_the_queue(db: Database) -> None:
    outbox = SqlOutbox(db, deliver=True)
    mail_id = await outbox.put(mail(), now=NOW)
    await outbox.mark_failed(mail_id, error="421 busy", retry_at=NOW)
    await outbox.mark_sent(mail_id, now=LATER)

    assert await outbox.due(now=LATER + timedelta(days=1), limit=10) == []
    [sent] = await outbox.recent(limit=10)
    assert (sent.state, sent.attempts, sent.sent_at, sent.last_error) == (MailState.SENT, 2, LATER, "")

    await outbox.mark_sent(mail_id, now=LATER + timedelta(seconds=1))  # a second mark changes nothing
    await outbox.mark_failed(mail_id, error="late", retry_at=LATER)
    assert await outbox.recent(limit=10) == [sent]


async def test_a_failed_attempt_is_counted_and_retried_at_the_given_time(db: Database) -> None:
    outbox = SqlOutbox(db, deliver=True)
    mail_id = await outbox.put(mail(), now=NOW)
    await outbox.mark_failed(mail_id, error="connection refused", retry_at=NOW + timedelta(seconds=30))

    assert await outbox.due(now=NOW + timedelta(seconds=29), limit=10) == []
    [retry] = await outbox.due(now=NOW + timedelta(seconds=30), limit=10)
    assert (retry.state, retry.attempts, retry.last_error) == (MailState.WAITING, 1, "connection refused")


async def test_giving_up_leaves_the_mail_failed(db: Database) -> None:
    outbox = SqlOutbox(db, deliver=True)
    mail_id = await outbox.put(mail(), now=NOW)
    await outbox.mark_failed(mail_id, error="550 5.1.1 no such user", retry_at=None)

    assert await outbox.due(now=NOW + timedelta(days=365), limit=10) == []
    [failed] = await outbox.recent(limit=10)
    assert (failed.state, failed.attempts, failed.sent_at, failed.last_error) == (
        MailState.FAILED,
        1,
        None,
        "550 5.1.1 no such user",
    )


async def test_without_delivery_mail_is_kept_and_logged(db: Database) -> None:
    outbox = SqlOutbox(db, deliver=False)
    original = activation_mail(to_address="new@example.com", link="http://127.0.0.1:8080/activate?t=abc", language="en")
    with capture_logs() as logs:
        mail_id = await outbox.put(original, now=NOW)

    assert await outbox.due(now=NOW + timedelta(days=1), limit=10) == []
    [kept] = await outbox.recent(limit=10)
    assert (kept.id, kept.state, kept.attempts, kept.sent_at) == (mail_id, MailState.KEPT, 0, None)
    [entry] = [e for e in logs if e["event"] == "mail kept in the outbox"]
    assert (entry["log_level"], entry["to"], entry["subject"]) == ("info", "new@example.com", original.subject)
    assert "http://127.0.0.1:8080/activate?t=abc" in entry["body"]


async def test_delivered_mail_is_not_logged(db: Database) -> None:
    outbox = SqlOutbox(db, deliver=True)
    with capture_logs() as logs:
        await outbox.put(mail(), now=NOW)
    assert [e for e in logs if e["event"] == "mail kept in the outbox"] == []


async def test_recent_is_newest_first_with_limit_and_offset(db: Database) -> None:
    outbox = SqlOutbox(db, deliver=True)
    ids = [await outbox.put(mail(n), now=NOW + timedelta(seconds=n)) for n in range(5)]

    assert [m.id for m in await outbox.recent(limit=10)] == list(reversed(ids))
    assert [m.id for m in await outbox.recent(limit=2)] == [ids[4], ids[3]]
    assert [m.id for m in await outbox.recent(limit=2, offset=2)] == [ids[2], ids[1]]
    assert await outbox.recent(limit=2, offset=5) == []


async def test_a_subject_too_long_for_its_column_is_shortened_not_refused(db: Database) -> None:
    outbox = SqlOutbox(db, deliver=True)
    await outbox.put(Mail(to_address="a@example.com", subject="模" * 300, body="x"), now=NOW)

    [stored] = await outbox.recent(limit=1)
    assert stored.subject == "模" * 255 + "…"


async def test_a_long_error_is_cut(db: Database) -> None:
    outbox = SqlOutbox(db, deliver=True)
    mail_id = await outbox.put(mail(), now=NOW)
    await outbox.mark_failed(mail_id, error="e" * 5000, retry_at=None)

    [failed] = await outbox.recent(limit=1)
    assert len(failed.last_error) == 2000
    assert failed.last_error.startswith("eee")
