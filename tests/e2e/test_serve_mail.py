"""The activation mail of a console sign-up, from a running `smscloud serve` to a real SMTP server,
and, without one, into serve's log; either way its link activates the account."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.server import ServerProcess, server_process
from tests.support.smtp import SmtpCapture

pytestmark = pytest.mark.e2e

PASSWORD = "Signup2026pw"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def _csrf(page: httpx.Response) -> str:
    assert page.status_code == 200, page.text
    found = _CSRF.search(page.text)
    assert found is not None
    return found.group(1)


class Browser:
    """A cookie-keeping client of the console that sends forms as a browser on the same site does."""

    def __init__(self, server: ServerProcess) -> None:
        self.origin = f"http://{server.endpoint}"
        self.http = httpx.Client(base_url=self.origin, follow_redirects=False, timeout=30)

    def submit(self, path: str, fields: dict[str, str], *, form_page: str | None = None) -> httpx.Response:
        """GET the form's page for its CSRF token, then POST the form."""
        token = _csrf(self.http.get(form_page or path))
        return self.http.post(path, data={**fields, "csrf_token": token}, headers={"Origin": self.origin})

    def sign_up(self, email: str) -> httpx.Response:
        fields = {"email": email, "password": PASSWORD, "password_again": PASSWORD, "terms": "yes"}
        return self.submit("/console/signup", fields)

    def log_in(self, email: str) -> httpx.Response:
        return self.submit("/console/login", {"email": email, "password": PASSWORD})

    def activate(self, link: str) -> httpx.Response:
        path = link.removeprefix(self.origin)
        assert path.startswith("/console/activate/")
        return self.submit(path, {})

    def close(self) -> None:
        self.http.close()


def _activates(server: ServerProcess, email: str, link: str) -> None:
    """Before the link: no login. The link (once): activated. After: logged in."""
    browser = Browser(server)
    try:
        refused = browser.log_in(email)
        assert refused.status_code == 400
        assert "not activated" in refused.text or "激活" in refused.text
        activated = browser.activate(link)
        assert activated.status_code == 303, activated.text
        assert activated.headers["location"].startswith("/console/login?")
        assert "done=activated" in activated.headers["location"]
        logged_in = browser.log_in(email)
        assert logged_in.status_code == 303 and logged_in.headers["location"] == "/console"
        assert "sc_session" in browser.http.cookies
        assert browser.http.get("/console").status_code == 200
        again = browser.activate(link)
        assert again.status_code == 400  # the link is used up
    finally:
        browser.close()


@pytest.fixture
def smtp() -> Iterator[SmtpCapture]:
    with SmtpCapture() as capture:
        yield capture


def _started(database_url: str, data_dir: Path, env: dict[str, str]) -> ServerProcess:
    process = server_process(data_dir, database_url, extra_env=env)
    process.start()
    return process


def test_with_smtp_the_activation_mail_is_delivered_and_its_link_activates(
    database_url: str, tmp_path: Path, smtp: SmtpCapture
) -> None:
    server = _started(database_url, tmp_path / "data", smtp.environment())
    try:
        assert f"e-mail: through 127.0.0.1:{smtp.port}" in "".join(server.output)
        browser = Browser(server)
        answer = browser.sign_up("New.Customer@Example.com")
        browser.close()
        assert answer.status_code == 200, answer.text
        mail = smtp.wait_for_blocking("new.customer@example.com", timeout=30)
        assert mail.mail_from == "no-reply@smscloud.test" and not mail.tls
        (link,) = [link for link in mail.links if "/console/activate/" in link]
        assert link.startswith(f"http://{server.endpoint}/console/activate/")
        _activates(server, "new.customer@example.com", link)
        assert [m.to for m in smtp.received] == ["new.customer@example.com"]  # sent once
    finally:
        server.stop()


def test_without_smtp_the_activation_link_is_in_the_log(database_url: str, tmp_path: Path) -> None:
    server = _started(database_url, tmp_path / "data", {"SMSCLOUD_LOG_LEVEL": "INFO"})
    try:
        assert "no SMTP server set" in "".join(server.output)
        browser = Browser(server)
        assert browser.sign_up("offline@example.com").status_code == 200
        browser.close()
        pattern = re.compile(rf"http://{re.escape(server.endpoint)}/console/activate/[A-Za-z0-9_\-]+")
        deadline, links = time.monotonic() + 10, list[str]()
        while not links and time.monotonic() < deadline:
            logged = "".join(server.output)
            links = pattern.findall(logged)
            time.sleep(0.05)
        (link,) = set(links)
        (line,) = [line for line in server.output if link in line]
        assert "mail kept in the outbox" in line and "offline@example.com" in line
        _activates(server, "offline@example.com", link)
    finally:
        server.stop()
