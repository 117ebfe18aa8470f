"""Operator accounts from the command line, checked by logging in to a running `smscloud serve`.

The first start creates the first operator and prints its password once; `smscloud operator
create|password|list` manage more, with the server's own settings.
"""

from __future__ import annotations

import re
import subprocess

import httpx
import pytest

from smscloud.entrypoints.operators import FIRST_OPERATOR_EMAIL
from tests.support.server import ServerProcess

pytestmark = pytest.mark.e2e

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
_PRINTED_PASSWORD = re.compile(r"^\s*password: (\S+)$", re.MULTILINE)


def printed_password(text: str) -> str:
    (password,) = _PRINTED_PASSWORD.findall(text)
    return str(password)


def operator_session(server: ServerProcess, email: str, password: str) -> httpx.Client | None:
    """A client logged in to the operator console, or None when the login is refused."""
    base = f"http://{server.endpoint}"
    browser = httpx.Client(base_url=base, follow_redirects=False, timeout=30)
    page = browser.get("/operator/login")
    assert page.status_code == 200
    csrf = _CSRF.search(page.text)
    assert csrf is not None
    answer = browser.post(
        "/operator/login",
        data={"email": email, "password": password, "csrf_token": csrf.group(1)},
        headers={"Origin": base},
    )
    if answer.status_code != 303:
        assert answer.status_code == 400, answer.text
        assert "Wrong e-mail address or password" in answer.text or "密码" in answer.text
        browser.close()
        return None
    assert answer.headers["location"] == "/operator"
    assert "sc_operator" in browser.cookies
    assert signed_in(browser)
    return browser


def signed_in(browser: httpx.Client) -> bool:
    """Whether the client's operator session opens the dashboard (else: back to the login page)."""
    answer = browser.get("/operator")
    if answer.status_code == 200:
        return True
    assert answer.status_code in (302, 303, 307) and "/operator/login" in answer.headers["location"]
    return False


def can_log_in(server: ServerProcess, email: str, password: str) -> bool:
    browser = operator_session(server, email, password)
    if browser is None:
        return False
    browser.close()
    return True


def test_the_first_start_prints_the_first_operators_password_once(server: ServerProcess) -> None:
    banner = "".join(server.output)
    assert "The first operator account was created" in banner
    assert f"e-mail: {FIRST_OPERATOR_EMAIL}" in banner
    password = printed_password(banner)
    assert can_log_in(server, FIRST_OPERATOR_EMAIL, password)
    assert not can_log_in(server, FIRST_OPERATOR_EMAIL, password + "x")

    assert server.stop() == 0
    server.start()
    again = "".join(server.output)
    assert "smscloud is running." in again
    assert "first operator" not in again and not _PRINTED_PASSWORD.search(again)
    assert can_log_in(server, FIRST_OPERATOR_EMAIL, password)  # the same account, the same password


def create(server: ServerProcess, email: str, name: str, *options: str) -> subprocess.CompletedProcess[str]:
    return server.command("operator", "create", "--email", email, "--name", name, *options, check=False)


def change_password(server: ServerProcess, email: str, *options: str) -> subprocess.CompletedProcess[str]:
    return server.command("operator", "password", "--email", email, *options, check=False)


def test_operator_create_password_and_list(server: ServerProcess) -> None:
    created = create(server, "Reviewer@Example.com", "Reviewer Li")
    assert created.returncode == 0, created.stderr
    assert re.search(r"^operator reviewer@example\.com created \(id \d+\)$", created.stdout, re.MULTILINE)
    password = printed_password(created.stdout)
    assert len(password) >= 12
    browser = operator_session(server, "reviewer@example.com", password)
    assert browser is not None

    chosen = create(server, "chosen@example.com", "Chosen", "--password", "Picked2026pw")
    assert chosen.returncode == 0 and not _PRINTED_PASSWORD.search(chosen.stdout)  # the caller knows it
    assert can_log_in(server, "chosen@example.com", "Picked2026pw")

    # Refusals: exit code 1 and one line that says why, no traceback, nothing created.
    refusals = {
        "password: must be at least 8 characters": create(server, "weak@example.com", "Weak", "--password", "weak"),
        "password: must contain letters and digits": create(
            server, "weak@example.com", "Weak", "--password", "onlyletters"
        ),
        "password: must not contain your e-mail address": create(
            server, "picked@example.com", "Picked", "--password", "Picked2027pw"
        ),
        "reviewer@example.com is registered already": create(server, "REVIEWER@example.com", "Again"),
        "--language must be zh-CN or en": create(server, "lang@example.com", "Lang", "--language", "fr"),
        "name: must be 1 to 64 characters": create(server, "nameless@example.com", " "),
    }
    for message, refused in refusals.items():
        assert (refused.returncode, refused.stderr.strip(), refused.stdout) == (1, f"smscloud: {message}", "")

    changed = change_password(server, "reviewer@example.com")
    assert "password of reviewer@example.com changed" in changed.stdout
    new_password = printed_password(changed.stdout)
    assert new_password != password
    assert not signed_in(browser)  # a new password ends the account's console sessions
    browser.close()
    assert not can_log_in(server, "reviewer@example.com", password)
    assert can_log_in(server, "reviewer@example.com", new_password)

    too_short = change_password(server, "reviewer@example.com", "--password", "short1")
    assert (too_short.returncode, too_short.stderr.strip()) == (1, "smscloud: password: must be at least 8 characters")
    assert can_log_in(server, "reviewer@example.com", new_password)  # unchanged
    unknown = change_password(server, "nobody@example.com")
    assert (unknown.returncode, unknown.stderr.strip()) == (
        1,
        "smscloud: no operator with the e-mail address nobody@example.com",
    )
    chosen_again = change_password(server, "chosen@example.com", "--password", "Another2026pw")
    assert chosen_again.returncode == 0 and not _PRINTED_PASSWORD.search(chosen_again.stdout)
    assert can_log_in(server, "chosen@example.com", "Another2026pw")

    listed = server.command("operator", "list", check=False)
    assert listed.returncode == 0, listed.stderr
    rows = [line.split("\t") for line in listed.stdout.splitlines()]
    assert [row[1] for row in rows] == [FIRST_OPERATOR_EMAIL, "reviewer@example.com", "chosen@example.com"]
    by_email = {row[1]: row for row in rows}
    assert by_email["reviewer@example.com"][2:4] == ["Reviewer Li", "active"]
    assert by_email["reviewer@example.com"][4].startswith("last login: 20")  # it has logged in
    assert by_email[FIRST_OPERATOR_EMAIL][4] == "last login: never"


def test_operator_disable_and_enable(server: ServerProcess) -> None:
    assert create(server, "second@example.com", "Second", "--password", "Harbour2026pw").returncode == 0
    browser = operator_session(server, "second@example.com", "Harbour2026pw")
    assert browser is not None and signed_in(browser)

    disabled = server.command("operator", "disable", "--email", "SECOND@example.com", check=False)
    assert (disabled.returncode, disabled.stdout.strip()) == (0, "operator SECOND@example.com disabled"), (
        disabled.stderr
    )
    assert not signed_in(browser)  # its sessions ended at once
    browser.close()
    assert not can_log_in(server, "second@example.com", "Harbour2026pw")
    listed = {row.split("\t")[1]: row.split("\t")[3] for row in server.command("operator", "list").stdout.splitlines()}
    assert listed["second@example.com"] == "disabled"

    enabled = server.command("operator", "enable", "--email", "second@example.com", check=False)
    assert enabled.returncode == 0, enabled.stderr
    assert can_log_in(server, "second@example.com", "Harbour2026pw")

    # Refusals: the last active operator stays, an unknown address is named.
    assert server.command("operator", "disable", "--email", "second@example.com").returncode == 0
    last = server.command("operator", "disable", "--email", FIRST_OPERATOR_EMAIL, check=False)
    assert (last.returncode, last.stderr.strip()) == (
        1,
        "smscloud: operator: the last active operator cannot be disabled",
    )
    unknown = server.command("operator", "enable", "--email", "nobody@example.com", check=False)
    assert (unknown.returncode, unknown.stderr.strip()) == (
        1,
        "smscloud: no operator with the e-mail address nobody@example.com",
    )
