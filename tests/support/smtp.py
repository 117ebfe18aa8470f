"""A real SMTP server for tests (aiosmtpd on 127.0.0.1, a free port) that keeps what it receives.

::

    from tests.support.smtp import SmtpCapture

    with SmtpCapture() as smtp:                        # or the `smtp_capture` fixture
        settings = smtp.mail_settings()                # MailSettings pointing at it
        env = smtp.environment()                       # the same as SMSCLOUD_MAIL__* variables, for a server process
        ...                                            # something sends an activation mail
        mail = await smtp.wait_for("new@example.com")  # or smtp.wait_for_blocking(...) in sync tests
        assert mail.subject == "Activate your smscloud account"
        link = mail.links[0]

Options: ``tls="starttls"`` offers STARTTLS and refuses mail before it (self-signed certificate
for localhost/127.0.0.1, made with `cryptography`; `certificate_pem` holds it); ``tls="tls"``
speaks TLS from the first byte; ``credentials=("user", "pass")`` requires AUTH PLAIN or LOGIN
with them before MAIL (offered only after STARTTLS when ``tls="starttls"``).
``reject(address, reply)`` makes the server refuse a recipient, e.g. with ``"450 4.2.1 Busy"``.

The server runs in a thread with its own event loop (aiosmtpd's `Controller`); every method
here may be called from any thread. Each received mail is kept once per envelope recipient.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import email
import email.policy
import ipaddress
import re
import ssl
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from functools import cache
from pathlib import Path
from types import TracebackType
from typing import Any, Literal

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from smscloud.config import MailSettings

__all__ = ["ReceivedMail", "SmtpCapture", "self_signed_certificate", "smtp_capture"]

TlsMode = Literal["none", "starttls", "tls"]

_LINK = re.compile(r"https?://[^\s<>\"'）」]+")


@dataclass(frozen=True)
class ReceivedMail:
    """One mail as the server received it, decoded."""

    to: str  # the envelope recipient (RCPT TO)
    mail_from: str  # the envelope sender (MAIL FROM)
    subject: str  # decoded from RFC 2047
    body: str  # the text/plain part, decoded (transfer encoding, charset), with \n line ends
    message: EmailMessage  # the whole message, for its headers
    tls: bool  # the session was encrypted (after STARTTLS, or TLS from the start)
    login: str | None  # the user name it authenticated as, if it did

    @property
    def links(self) -> list[str]:
        """The http(s) links in the body, in order (an activation or reset link, say)."""
        return _LINK.findall(self.body)


@cache
def self_signed_certificate() -> tuple[bytes, bytes]:
    """(certificate PEM, private key PEM) for localhost and 127.0.0.1, made once per test run."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.IPv4Address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return certificate.public_bytes(serialization.Encoding.PEM), key_pem


def _server_context() -> ssl.SSLContext:
    certificate_pem, key_pem = self_signed_certificate()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    with tempfile.TemporaryDirectory() as folder:
        cert_file, key_file = Path(folder) / "cert.pem", Path(folder) / "key.pem"
        cert_file.write_bytes(certificate_pem)
        key_file.write_bytes(key_pem)
        context.load_cert_chain(cert_file, key_file)
    return context


class _Handler:
    """aiosmtpd's hooks; they run on the server's thread."""

    def __init__(self, capture: SmtpCapture) -> None:
        self._capture = capture

    async def handle_MAIL(  # noqa: N802 - aiosmtpd's hook name
        self, server: SMTP, session: Session, envelope: Envelope, address: str, mail_options: list[str]
    ) -> str:
        if self._capture.credentials is not None and not session.authenticated:
            return "530 5.7.0 Authentication required"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(  # noqa: N802 - aiosmtpd's hook name
        self, server: SMTP, session: Session, envelope: Envelope, address: str, rcpt_options: list[str]
    ) -> str:
        reply = self._capture.rejection(address)
        if reply is not None:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802
        content = envelope.original_content or envelope.content
        assert isinstance(content, bytes)
        message = email.message_from_bytes(content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        part = message.get_body(preferencelist=("plain",))
        # Text travels with CRLF line ends (MIME's canonical form); give it back as it was written.
        body = part.get_content().replace("\r\n", "\n") if isinstance(part, EmailMessage) else ""
        transport = server.transport
        tls = transport is not None and transport.get_extra_info("ssl_object") is not None
        auth = session.auth_data
        login = auth.login.decode() if isinstance(auth, LoginPassword) else None
        for recipient in envelope.rcpt_tos:
            self._capture._add(
                ReceivedMail(
                    to=recipient,
                    mail_from=envelope.mail_from or "",
                    subject=str(message.get("Subject", "")),
                    body=body,
                    message=message,
                    tls=tls,
                    login=login,
                )
            )
        return "250 OK: queued"


class _Controller(Controller):
    """aiosmtpd's threaded controller, on an ephemeral port, with its loop passed to every session."""

    def factory(self) -> SMTP:
        # Passing the loop keeps aiosmtpd from looking one up with warnings.catch_warnings(), which
        # is not thread-safe and would race with pytest's warning filters on the main thread.
        return SMTP(self.handler, loop=self.loop, **self.SMTP_kwargs)

    def _trigger_server(self) -> None:
        assert self.server is not None
        self.port = int(self.server.sockets[0].getsockname()[1])  # type: ignore[attr-defined]  # bound to port 0: learn which one
        super()._trigger_server()


class SmtpCapture:
    """A real SMTP server on 127.0.0.1 keeping every mail it receives. See the module's docstring."""

    def __init__(self, *, tls: TlsMode = "none", credentials: tuple[str, str] | None = None) -> None:
        self.host = "127.0.0.1"
        self.port = 0  # known once started
        self.tls: TlsMode = tls
        self.credentials = credentials
        self.certificate_pem = self_signed_certificate()[0] if tls != "none" else b""
        self._received: list[ReceivedMail] = []
        self._handed_out: set[int] = set()  # indexes into _received that wait_for returned
        self._rejected: dict[str, str] = {}
        self._lock = threading.Lock()
        self._controller: _Controller | None = None

    # --- life --------------------------------------------------------------------------------------

    def start(self) -> SmtpCapture:
        if self._controller is not None:
            raise RuntimeError("the SMTP capture is already running")
        smtp: dict[str, Any] = {"server_hostname": "smtp.test", "ident": "smscloud test SMTP"}
        if self.tls == "starttls":
            smtp.update(tls_context=_server_context(), require_starttls=True)
        if self.credentials is not None:
            # AUTH is enforced in handle_MAIL: aiosmtpd's own auth_required warns unless TLS is
            # required for AUTH too, and a plain-text server with AUTH is a case worth testing.
            smtp.update(authenticator=self._authenticate, auth_require_tls=self.tls == "starttls")
        controller = _Controller(
            _Handler(self),
            hostname=self.host,
            port=0,
            ssl_context=_server_context() if self.tls == "tls" else None,
            **smtp,
        )
        controller.start()
        self._controller = controller
        self.port = controller.port
        return self

    def stop(self) -> None:
        controller, self._controller = self._controller, None
        if controller is not None:
            controller.stop()

    def __enter__(self) -> SmtpCapture:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()

    # --- what it received --------------------------------------------------------------------------

    @property
    def received(self) -> list[ReceivedMail]:
        """Every mail received so far, oldest first (one entry per envelope recipient)."""
        with self._lock:
            return list(self._received)

    async def wait_for(self, to: str, timeout: float = 10.0) -> ReceivedMail:
        """The oldest mail to `to` (any case) that no earlier `wait_for` returned, waiting for it if need be.

        Raises TimeoutError, listing what did arrive, if none comes within `timeout` seconds.
        """
        deadline = time.monotonic() + timeout
        while True:
            found = self._take(to)
            if found is not None:
                return found
            if time.monotonic() >= deadline:
                raise self._timeout(to, timeout)
            await asyncio.sleep(0.02)

    def wait_for_blocking(self, to: str, timeout: float = 10.0) -> ReceivedMail:
        """`wait_for` for synchronous tests (Playwright's sync API, say); blocks the calling thread."""
        deadline = time.monotonic() + timeout
        while True:
            found = self._take(to)
            if found is not None:
                return found
            if time.monotonic() >= deadline:
                raise self._timeout(to, timeout)
            time.sleep(0.02)

    # --- behaviour ---------------------------------------------------------------------------------

    def reject(self, address: str, reply: str = "550 5.1.1 Recipient address rejected: no such user") -> None:
        """Answer RCPT TO `address` (any case) with `reply` from now on, e.g. "451 4.3.0 Try again later"."""
        with self._lock:
            self._rejected[address.lower()] = reply

    def accept(self, address: str) -> None:
        """Undo `reject`."""
        with self._lock:
            self._rejected.pop(address.lower(), None)

    def rejection(self, address: str) -> str | None:
        with self._lock:
            return self._rejected.get(address.lower())

    # --- configuration for the code under test -----------------------------------------------------

    def mail_settings(self, **overrides: Any) -> MailSettings:
        """`MailSettings` that send to this server (certificate checks off: it is self-signed)."""
        fields: dict[str, Any] = {
            "smtp_host": self.host,
            "smtp_port": self._running_port(),
            "smtp_tls": self.tls,
            "smtp_username": self.credentials[0] if self.credentials else None,
            "smtp_password": self.credentials[1] if self.credentials else None,
            "smtp_verify_certificate": False,
            "smtp_timeout_s": 10.0,
            "from_address": "smscloud <no-reply@smscloud.test>",
        }
        fields.update(overrides)
        return MailSettings(**fields)

    def environment(self) -> dict[str, str]:
        """The same settings as `SMSCLOUD_MAIL__*` environment variables, for a server in a subprocess."""
        settings = self.mail_settings()
        env = {
            "SMSCLOUD_MAIL__SMTP_HOST": self.host,
            "SMSCLOUD_MAIL__SMTP_PORT": str(settings.smtp_port),
            "SMSCLOUD_MAIL__SMTP_TLS": settings.smtp_tls,
            "SMSCLOUD_MAIL__SMTP_VERIFY_CERTIFICATE": "false",
            "SMSCLOUD_MAIL__SMTP_TIMEOUT_S": str(settings.smtp_timeout_s),
            "SMSCLOUD_MAIL__FROM_ADDRESS": settings.from_address,
        }
        if self.credentials is not None:
            env["SMSCLOUD_MAIL__SMTP_USERNAME"], env["SMSCLOUD_MAIL__SMTP_PASSWORD"] = self.credentials
        return env

    # --- internals ---------------------------------------------------------------------------------

    def _running_port(self) -> int:
        if self._controller is None:
            raise RuntimeError("start the SMTP capture first")
        return self.port

    def _add(self, mail: ReceivedMail) -> None:
        with self._lock:
            self._received.append(mail)

    def _take(self, to: str) -> ReceivedMail | None:
        wanted = to.lower()
        with self._lock:
            for index, mail in enumerate(self._received):
                if index not in self._handed_out and mail.to.lower() == wanted:
                    self._handed_out.add(index)
                    return mail
        return None

    def _timeout(self, to: str, timeout: float) -> TimeoutError:
        arrived = [f"{m.to}: {m.subject}" for m in self.received]
        return TimeoutError(f"no mail to {to} within {timeout:g} s; received: {arrived or 'nothing'}")

    def _authenticate(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, auth_data: Any
    ) -> AuthResult:
        ok = (
            self.credentials is not None
            and isinstance(auth_data, LoginPassword)
            and (auth_data.login.decode(), auth_data.password.decode()) == self.credentials
        )
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)


@pytest.fixture
def smtp_capture() -> Iterator[SmtpCapture]:
    """A plain `SmtpCapture` (no TLS, no AUTH), stopped after the test."""
    with SmtpCapture() as capture:
        yield capture
