"""Two-step verification through the console: turned on from the security page with a code of
the app, then asked for after the password at every login (tenant users and operators alike);
recovery codes work once; wrong codes end the pending login; turned off with the password, or by
an operator for someone who lost their phone."""

from __future__ import annotations

import re

import httpx
import pytest

from smscloud.bootstrap import Platform
from smscloud.domain.identity.model import Principal
from smscloud.domain.identity.two_step import CHALLENGE_ATTEMPTS, step_of, totp
from smscloud.domain.shared.clock import FixedClock
from tests.integration.console.conftest import NewBrowser
from tests.support.console import (
    PASSWORD,
    Browser,
    field_errors,
    log_in,
    notice,
    operator_session,
    sign_up,
    text_of,
)

pytestmark = pytest.mark.integration


def secret_on(page: httpx.Response) -> str:
    found = re.search(r'name="secret" value="([A-Z2-7]+)"', page.text)
    assert found is not None, text_of(page)
    return found.group(1)


async def turn_on(browser: Browser, side: str, clock: FixedClock) -> tuple[str, list[str]]:
    setup = await browser.get(f"{side}/security/two-step")
    assert setup.status_code == 200 and "<svg" in setup.text  # the QR code, drawn inline
    secret = secret_on(setup)
    wrong = await browser.post(f"{side}/security/two-step", {"action": "enable", "secret": secret, "code": "000000"})
    assert wrong.status_code == 400
    assert field_errors(wrong) == {"code": "is not the code the app shows now"}
    assert secret_on(wrong) == secret  # the same key, already in the app
    done = await browser.post(
        f"{side}/security/two-step",
        {"action": "enable", "secret": secret, "code": totp(secret, step_of(clock.now()))},
    )
    assert done.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-9]{5}-[a-z2-9]{5})</code></li>", done.text)
    assert len(codes) == 8
    clock.advance(30)  # that code is used; logins need the next
    return secret, codes


async def test_a_user_turns_it_on_and_then_logs_in_with_the_code(
    platform: Platform, new_browser: NewBrowser, clock: FixedClock
) -> None:
    ann = await sign_up(platform, new_browser(), "ann@example.com")
    secret, codes = await turn_on(ann.browser, "/console", clock)
    security = await ann.browser.get("/console/security")
    assert "8 recovery codes left" in text_of(security)

    laptop = new_browser()
    after_password = await log_in(laptop, ann.email)
    assert after_password.status_code == 303
    assert after_password.headers["location"] == "/console/login/code"
    assert (await laptop.get("/console")).status_code == 303  # not logged in yet
    wrong = await laptop.post("/console/login/code", {"code": "123456"})
    assert wrong.status_code == 400
    assert field_errors(wrong) == {"code": "This code is not right. Type the code the app shows now."}
    right = await laptop.post("/console/login/code", {"code": totp(secret, step_of(clock.now()))})
    assert right.headers["location"] == "/console"
    assert (await laptop.get("/console")).status_code == 200

    phone = new_browser()
    await log_in(phone, ann.email)
    assert (await phone.post("/console/login/code", {"code": codes[0].upper()})).status_code == 303
    assert "7 recovery codes left" in text_of(await ann.browser.get("/console/security"))
    reused = new_browser()
    await log_in(reused, ann.email)
    assert (await reused.post("/console/login/code", {"code": codes[0]})).status_code == 400


async def test_wrong_codes_end_the_pending_login(
    platform: Platform, new_browser: NewBrowser, clock: FixedClock
) -> None:
    ann = await sign_up(platform, new_browser(), "ann@example.com")
    await turn_on(ann.browser, "/console", clock)
    guesser = new_browser()
    await log_in(guesser, ann.email)

    for _ in range(CHALLENGE_ATTEMPTS - 1):
        assert (await guesser.post("/console/login/code", {"code": "000000"})).status_code == 400
    last = await guesser.post("/console/login/code", {"code": "000000"})
    assert last.headers["location"] == "/console/login?done=login_expired"
    back = await guesser.get(last.headers["location"])
    assert notice(back) == "That login waited too long or too many codes were wrong: log in again."
    assert (await guesser.get("/console/login/code")).headers["location"] == "/console/login?done=login_expired"
    assert (await guesser.get("/console")).status_code == 303


async def test_turning_it_off_needs_the_password(
    platform: Platform, new_browser: NewBrowser, clock: FixedClock
) -> None:
    ann = await sign_up(platform, new_browser(), "ann@example.com")
    await turn_on(ann.browser, "/console", clock)

    wrong = await ann.browser.post("/console/security/two-step", {"action": "disable", "password": "Wrong7password"})
    assert field_errors(wrong) == {"password": "is not your current password"}
    empty = await ann.browser.post("/console/security/two-step", {"action": "disable", "password": ""})
    assert empty.status_code == 400
    assert field_errors(empty) == {"password": "Enter your current password."}  # as the password page says
    off = await ann.browser.post("/console/security/two-step", {"action": "disable", "password": PASSWORD})
    assert off.headers["location"] == "/console/security?done=two_step_off"
    assert await platform.identity.two_step_of(Principal.user(ann.user_id)) is None
    assert (await log_in(new_browser(), ann.email)).headers["location"] == "/console"


async def test_an_operator_turns_it_on_and_logs_in_with_the_code(
    platform: Platform, new_browser: NewBrowser, clock: FixedClock
) -> None:
    operator = new_browser()
    await operator_session(platform, operator)
    assert "Turn on two-step verification" in text_of(await operator.get("/operator/security"))
    secret, _ = await turn_on(operator, "/operator", clock)
    assert "8 recovery codes left" in text_of(await operator.get("/operator/security"))

    other = new_browser()
    page = await other.post("/operator/login", {"email": "reviewer@example.com", "password": PASSWORD})
    assert page.headers["location"] == "/operator/login/code"
    assert (await other.get("/operator")).status_code == 303
    right = await other.post("/operator/login/code", {"code": totp(secret, step_of(clock.now()))})
    assert right.headers["location"] == "/operator"
    assert (await other.get("/operator")).status_code == 200


async def test_an_operator_turns_it_off_for_someone_who_lost_their_phone(
    platform: Platform, new_browser: NewBrowser, clock: FixedClock
) -> None:
    ann = await sign_up(platform, new_browser(), "ann@example.com")
    await turn_on(ann.browser, "/console", clock)
    operator = new_browser()
    await operator_session(platform, operator)
    page_path = f"/operator/tenants/{ann.tenant_id}"
    assert 'value="reset_two_step"' in (await operator.get(page_path)).text

    reset = await operator.post(page_path, {"action": "reset_two_step", "user_id": str(ann.user_id)})

    assert reset.headers["location"] == f"{page_path}?done=two_step_reset"
    assert await platform.identity.two_step_of(Principal.user(ann.user_id)) is None
    assert (await log_in(new_browser(), ann.email)).headers["location"] == "/console"
    entries = await platform.audit.recent(limit=5, tenant_id=ann.tenant_id)
    assert [(e.action, e.detail) for e in entries][:1] == [("tenant.two_step_reset", "ann@example.com")]
    bob = await sign_up(platform, new_browser(), "bob@example.com")  # another tenant's person: not here
    other = await operator.post(page_path, {"action": "reset_two_step", "user_id": str(bob.user_id)})
    assert other.status_code == 404
