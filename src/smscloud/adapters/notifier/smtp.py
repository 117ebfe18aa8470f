"""Sending one outbox mail to an SMTP server (aiosmtplib).

::

    mailer = SmtpMailer(host="smtp.example.com", port=587, tls="starttls", username="u", password="p",
                        from_address="smscloud <no-reply@example.com>")
    await mailer.send(outgoing)      # raises MailRefused (permanent) or MailDeferred (try again later)

Each mail is a text/plain UTF-8 message with From, To, Subject (RFC 2047-encoded when it is not
ASCII), Date (when it entered the outbox), a Message-ID derived from the outbox id (so a mail sent
twice after a lost acknowledgement carries the same id, and receiving systems can tell), and
``Auto-Submitted: auto-generated`` (RFC 3834) so that auto-responders leave it alone. Each send
opens its own connection.

Errors, as the mail worker needs them::

    MailNotSent                  the server did not take the mail; `reason` says why, `code` is its reply code
    ├── MailRefused              permanent: a 5xx for the recipient or the content, or a mail that cannot
    │                            be written as a message at all; sending it again cannot succeed
    └── MailDeferred             transient: no connection, TLS or certificate failure, authentication
                                 refused, the sender refused, any 4xx, a timeout, a dropped connection

Failures that come from the server's configuration or ours (credentials, the sender address,
certificates) are transient on purpose: they hit every mail alike, and once an operator fixes
them the waiting mail goes out instead of having been given up.
"""

from __future__ import annotations

import asyncio
import email.policy
import email.utils
import ssl
import time
from email.message import EmailMessage
from typing import ClassVar, Literal

import aiosmtplib
from aiosmtplib.protocol import SMTPProtocol

from smscloud.domain.notifications.model import OutgoingMail

__all__ = ["MailDeferred", "MailNotSent", "MailRefused", "SmtpMailer"]

TlsMode = Literal["none", "starttls", "tls"]

# RFC 5322 lines end in CRLF; non-ASCII headers are encoded (RFC 2047), bodies never go out as 8bit.
_POLICY = email.policy.SMTP.clone(cte_type="7bit")


class MailNotSent(Exception):
    """The SMTP server did not take the mail."""

    permanent: ClassVar[bool] = False

    def __init__(self, reason: str, *, code: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.code = code


class MailRefused(MailNotSent):
    """Permanent: the server refused the recipient or the content for good (5xx)."""

    permanent: ClassVar[bool] = True


class MailDeferred(MailNotSent):
    """Transient: the mail may go through on a later attempt."""

    permanent: ClassVar[bool] = False


def _one_line(text: str) -> str:
    """A header value on one line: a tenant's name in a subject must not add headers."""
    return " ".join(text.splitlines()).strip()


class SmtpMailer:
    """Sends outbox mail through one SMTP server (`MailSettings` holds the same fields).

    ``tls``: ``none`` plain SMTP; ``starttls`` upgrade with STARTTLS, refusing a server that does
    not offer it; ``tls`` TLS from the first byte (usually port 465). ``verify_certificate``
    False accepts any certificate (a test server's self-signed one). ``username`` set: AUTH
    (PLAIN, LOGIN or CRAM-MD5, whichever the server offers) after the TLS upgrade.
    """

    def __init__(
        self,
        *,
        host: str,
        port: int,
        tls: TlsMode,
        from_address: str,
        username: str | None = None,
        password: str | None = None,
        verify_certificate: bool = True,
        timeout_s: float = 30.0,
    ) -> None:
        if tls not in ("none", "starttls", "tls"):
            raise ValueError(f"smtp tls must be none, starttls or tls, not {tls!r}")
        _, sender = email.utils.parseaddr(from_address)
        if "@" not in sender:
            raise ValueError(f"the from address {from_address!r} has no address in it")
        self._host = host
        self._port = port
        self._tls = tls
        self._from_address = from_address
        self._sender = sender
        self._domain = sender.rpartition("@")[2]
        self._username = username
        self._password = password
        self._verify_certificate = verify_certificate
        self._timeout_s = timeout_s

    def message(self, mail: OutgoingMail) -> EmailMessage:
        """The message `send` hands over for this mail. Raises ValueError for a malformed address."""
        message = EmailMessage(policy=_POLICY)
        message["From"] = self._from_address
        message["To"] = mail.to_address
        message["Subject"] = _one_line(mail.subject)
        message["Date"] = email.utils.format_datetime(mail.created_at)
        created = int(mail.created_at.timestamp() * 1_000_000)
        message["Message-ID"] = f"<smscloud.{mail.id}.{created}@{self._domain}>"
        message["Auto-Submitted"] = "auto-generated"
        # ASCII text goes as it is (quoted-printable if a line is long); anything else as base64.
        message.set_content(mail.body, charset="utf-8", cte=None if mail.body.isascii() else "base64")
        return message

    async def send(self, mail: OutgoingMail) -> None:
        """Hand the mail to the server; returns once the server has accepted it (250 after DATA)."""
        try:
            message = self.message(mail)
            recipient = message["To"].addresses[0].addr_spec
        except (ValueError, IndexError, TypeError) as error:
            raise MailRefused(f"cannot write the mail as a message: {error}") from error
        # No credentials here: aiosmtplib would log in inside connect() and, when the login is
        # refused, drop the connection before `_until_closed` could see it closing. We log in
        # ourselves once connected.
        client = aiosmtplib.SMTP(
            hostname=self._host,
            port=self._port,
            timeout=self._timeout_s,
            use_tls=self._tls == "tls",
            start_tls=self._tls == "starttls",
            validate_certs=self._verify_certificate,
        )
        protocol: SMTPProtocol | None = None
        try:
            async with client:
                protocol = client.protocol
                if self._username is not None:
                    await client.login(self._username, self._password or "")
                await client.send_message(message, sender=self._sender, recipients=[recipient])
        except Exception as error:
            raise self._classify(error) from error
        finally:
            await _until_closed(protocol)

    def _classify(self, error: Exception) -> MailNotSent:
        where = f"{self._host}:{self._port}"
        if isinstance(error, aiosmtplib.SMTPRecipientsRefused):
            codes = [r.code for r in error.recipients]
            replies = "; ".join(f"{r.code} {r.message}" for r in error.recipients)
            kind = MailRefused if codes and all(code >= 500 for code in codes) else MailDeferred
            return kind(f"recipient refused: {replies}", code=codes[0] if codes else None)
        if isinstance(error, aiosmtplib.SMTPRecipientRefused):
            kind = MailRefused if error.code >= 500 else MailDeferred
            return kind(f"recipient refused: {error.code} {error.message}", code=error.code)
        if isinstance(error, aiosmtplib.SMTPDataError):
            kind = MailRefused if error.code >= 500 else MailDeferred
            return kind(f"message refused: {error.code} {error.message}", code=error.code)
        if isinstance(error, aiosmtplib.SMTPAuthenticationError):
            return MailDeferred(f"authentication refused by {where}: {error.code} {error.message}", code=error.code)
        if isinstance(error, aiosmtplib.SMTPSenderRefused):
            return MailDeferred(f"sender {error.sender} refused: {error.code} {error.message}", code=error.code)
        if isinstance(error, aiosmtplib.SMTPResponseException):
            return MailDeferred(f"{where} answered {error.code} {error.message}", code=error.code)
        if isinstance(error, ssl.SSLError):
            return MailDeferred(f"TLS with {where} failed: {error}")
        if isinstance(error, aiosmtplib.SMTPConnectTimeoutError):
            return MailDeferred(f"cannot reach {where}: no answer in {self._timeout_s:g} s")
        if isinstance(error, aiosmtplib.SMTPConnectError):
            return MailDeferred(f"cannot reach {where}: {error.message}")
        if isinstance(error, aiosmtplib.SMTPException):
            return MailDeferred(f"SMTP with {where} failed: {error.message}")
        if isinstance(error, TimeoutError):
            return MailDeferred(f"{where} did not answer in {self._timeout_s:g} s")
        if isinstance(error, OSError):
            return MailDeferred(f"cannot reach {where}: {error}")
        return MailDeferred(f"sending through {where} failed: {type(error).__name__}: {error}")


async def _until_closed(protocol: SMTPProtocol | None, wait_s: float = 2.0) -> None:
    """Wait (briefly) until the connection is really closed.

    Closing a TLS connection takes a few turns of the event loop (the close_notify exchange)
    before the socket goes; returning earlier can leave it half closed if the loop ends soon after.
    """
    deadline = time.monotonic() + wait_s
    while protocol is not None and protocol.transport is not None:  # dropped in connection_lost
        if time.monotonic() > deadline:
            return
        await asyncio.sleep(0.005)
