"""SmtpMailer against a real SMTP server (aiosmtpd): plain, STARTTLS, TLS, AUTH, Chinese text, every failure."""

from __future__ import annotations

import base64
import email.utils
import socket
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from smscloud.adapters.notifier.smtp import MailDeferred, MailNotSent, MailRefused, SmtpMailer
from smscloud.config import MailSettings
from smscloud.domain.notifications.mails import activation_mail, review_result_mail
from smscloud.domain.notifications.model import Mail, MailState, OutgoingMail
from tests.support.smtp import SmtpCapture

pytestmark = pytest.mark.integration

CREATED = datetime(2026, 3, 10, 4, 0, tzinfo=UTC)
CREDENTIALS = ("mailer", "s3cret-pass")


def outgoing(mail: Mail, mail_id: int = 7) -> OutgoingMail:
    return OutgoingMail(
        id=mail_id,
        to_address=mail.to_address,
        subject=mail.subject,
        body=mail.body,
        state=MailState.WAITING,
        attempts=0,
        created_at=CREATED,
        sent_at=None,
        last_error="",
    )


def mailer_for(settings: MailSettings) -> SmtpMailer:
    assert settings.smtp_host is not None
    return SmtpMailer(
        host=settings.smtp_host,
        port=settings.smtp_port,
        tls=settings.smtp_tls,
        username=settings.smtp_username,
        password=settings.smtp_password,
        verify_certificate=settings.smtp_verify_certificate,
        timeout_s=settings.smtp_timeout_s,
        from_address=settings.from_address,
    )


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def starttls_capture() -> Iterator[SmtpCapture]:
    with SmtpCapture(tls="starttls", credentials=CREDENTIALS) as capture:
        yield capture


HELLO = Mail(to_address="user@example.com", subject="Hello", body="Hello,\n\nline two\n")


async def test_a_plain_mail_arrives_with_its_headers(smtp_capture: SmtpCapture) -> None:
    await mailer_for(smtp_capture.mail_settings()).send(outgoing(HELLO))

    received = await smtp_capture.wait_for("user@example.com")
    assert (received.to, received.mail_from, received.subject, received.body) == (
        "user@example.com",
        "no-reply@smscloud.test",
        "Hello",
        "Hello,\n\nline two\n",
    )
    assert (received.tls, received.login) == (False, None)
    headers = received.message
    assert headers["From"] == "smscloud <no-reply@smscloud.test>"
    assert headers["To"] == "user@example.com"
    assert email.utils.parsedate_to_datetime(headers["Date"]) == CREATED
    assert headers["Message-ID"] == f"<smscloud.7.{int(CREATED.timestamp() * 1_000_000)}@smscloud.test>"
    assert headers["Auto-Submitted"] == "auto-generated"
    assert headers.get_content_type() == "text/plain"
    assert headers.get_content_charset() == "utf-8"


async def test_chinese_subject_and_body_arrive_intact_and_are_encoded_on_the_wire(smtp_capture: SmtpCapture) -> None:
    mail = activation_mail(
        to_address="zhang@example.com", link="http://127.0.0.1:8080/activate?token=abc", language="zh-CN"
    )
    await mailer_for(smtp_capture.mail_settings(from_address="短信云 <no-reply@smscloud.test>")).send(outgoing(mail))

    received = await smtp_capture.wait_for("zhang@example.com")
    assert (received.subject, received.body) == (mail.subject, mail.body)
    assert received.links == ["http://127.0.0.1:8080/activate?token=abc"]
    assert str(received.message["From"]) == "短信云 <no-reply@smscloud.test>"
    raw = received.message.as_bytes()
    assert raw.isascii()  # RFC 2047 headers and a base64 body: no 8BITMIME needed
    assert b"=?utf-8?" in raw
    assert received.message["Content-Transfer-Encoding"] == "base64"
    assert base64.b64decode(str(received.message.get_payload())).decode() == mail.body.replace("\n", "\r\n")


async def test_a_subject_with_a_line_break_stays_one_header(smtp_capture: SmtpCapture) -> None:
    mail = review_result_mail(
        to_address="t@example.com",
        kind="template",
        name="x\r\nBcc: victim@example.com",
        approved=True,
        reason="",
        link="http://h/t/1",
        language="en",
    )
    await mailer_for(smtp_capture.mail_settings()).send(outgoing(mail))

    received = await smtp_capture.wait_for("t@example.com")
    assert received.subject == "Your SMS template “x Bcc: victim@example.com” was approved"
    assert received.message["Bcc"] is None
    assert [m.to for m in smtp_capture.received] == ["t@example.com"]


async def test_starttls_without_certificate_check_and_with_auth(starttls_capture: SmtpCapture) -> None:
    await mailer_for(starttls_capture.mail_settings()).send(outgoing(HELLO))

    received = await starttls_capture.wait_for("user@example.com")
    assert (received.tls, received.login, received.subject) == (True, "mailer", "Hello")


async def test_starttls_checks_the_certificate_when_asked(starttls_capture: SmtpCapture) -> None:
    mailer = mailer_for(starttls_capture.mail_settings(smtp_verify_certificate=True))
    with pytest.raises(MailDeferred, match="certificate") as caught:
        await mailer.send(outgoing(HELLO))
    assert not caught.value.permanent
    assert starttls_capture.received == []


async def test_starttls_is_required_when_configured(smtp_capture: SmtpCapture) -> None:
    mailer = mailer_for(smtp_capture.mail_settings(smtp_tls="starttls"))
    with pytest.raises(MailDeferred, match="STARTTLS"):
        await mailer.send(outgoing(HELLO))
    assert smtp_capture.received == []


async def test_tls_from_the_first_byte() -> None:
    with SmtpCapture(tls="tls") as capture:
        await mailer_for(capture.mail_settings()).send(outgoing(HELLO))
        received = await capture.wait_for("user@example.com")
    assert (received.tls, received.subject) == (True, "Hello")


async def test_auth_over_plain_smtp() -> None:
    with SmtpCapture(credentials=CREDENTIALS) as capture:
        await mailer_for(capture.mail_settings()).send(outgoing(HELLO))
        received = await capture.wait_for("user@example.com")
    assert (received.tls, received.login) == (False, "mailer")


async def test_bad_credentials_are_a_transient_error(starttls_capture: SmtpCapture) -> None:
    mailer = mailer_for(starttls_capture.mail_settings(smtp_password="wrong"))
    with pytest.raises(MailDeferred, match="authentication refused") as caught:
        await mailer.send(outgoing(HELLO))
    assert (caught.value.code, caught.value.permanent) == (535, False)
    assert starttls_capture.received == []


async def test_no_credentials_where_the_server_requires_them(starttls_capture: SmtpCapture) -> None:
    mailer = mailer_for(starttls_capture.mail_settings(smtp_username=None, smtp_password=None))
    with pytest.raises(MailDeferred) as caught:
        await mailer.send(outgoing(HELLO))
    assert caught.value.code == 530
    assert starttls_capture.received == []


async def test_connection_refused_is_a_transient_error() -> None:
    mailer = SmtpMailer(host="127.0.0.1", port=closed_port(), tls="none", from_address="a@smscloud.test")
    with pytest.raises(MailDeferred, match=r"127\.0\.0\.1") as caught:
        await mailer.send(outgoing(HELLO))
    assert not caught.value.permanent
    assert caught.value.code is None


async def test_a_recipient_refused_for_good_is_a_permanent_error(smtp_capture: SmtpCapture) -> None:
    smtp_capture.reject("nobody@example.com")
    with pytest.raises(MailRefused, match=r"550 5\.1\.1") as caught:
        await mailer_for(smtp_capture.mail_settings()).send(outgoing(Mail("nobody@example.com", "s", "b")))
    assert (caught.value.code, caught.value.permanent) == (550, True)
    assert smtp_capture.received == []


async def test_a_recipient_refused_for_now_is_a_transient_error(smtp_capture: SmtpCapture) -> None:
    smtp_capture.reject("busy@example.com", "450 4.2.1 Mailbox busy, try later")
    mailer = mailer_for(smtp_capture.mail_settings())
    with pytest.raises(MailDeferred, match=r"450 4\.2\.1") as caught:
        await mailer.send(outgoing(Mail("busy@example.com", "s", "b")))
    assert caught.value.code == 450

    smtp_capture.accept("busy@example.com")
    await mailer.send(outgoing(Mail("busy@example.com", "s", "b")))
    assert (await smtp_capture.wait_for("busy@example.com")).subject == "s"


async def test_an_address_that_cannot_be_written_is_a_permanent_error(smtp_capture: SmtpCapture) -> None:
    with pytest.raises(MailRefused, match="cannot write"):
        await mailer_for(smtp_capture.mail_settings()).send(outgoing(Mail("a@example.com\r\nBcc: b@x", "s", "b")))
    assert smtp_capture.received == []


def test_every_error_is_a_mail_not_sent() -> None:
    assert issubclass(MailRefused, MailNotSent)
    assert issubclass(MailDeferred, MailNotSent)
    assert (MailRefused.permanent, MailDeferred.permanent) == (True, False)


def test_a_from_address_without_an_address_is_refused_at_start() -> None:
    with pytest.raises(ValueError, match="from address"):
        SmtpMailer(host="h", port=25, tls="none", from_address="smscloud")
