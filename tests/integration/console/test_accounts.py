"""Tenant accounts in the console: sign up, activate, log in and out, throttling, passwords, sessions."""

from __future__ import annotations

import html
from collections.abc import Awaitable, Callable

import pytest

from smscloud.adapters.console.security import USER_COOKIE
from smscloud.bootstrap import Platform
from smscloud.domain.identity.model import UserStatus
from smscloud.domain.identity.service import SIGNUPS_PER_ADDRESS
from smscloud.domain.shared.clock import FixedClock
from tests.integration.console.conftest import NewBrowser
from tests.support.console import (
    PASSWORD,
    Account,
    Browser,
    field_errors,
    log_in,
    mail_link,
    notice,
    problem,
    text_of,
)

pytestmark = pytest.mark.integration

NewAccount = Callable[[str], Awaitable[Account]]


def signup_form(email: str, password: str = PASSWORD, again: str | None = None, terms: str = "yes") -> dict[str, str]:
    return {
        "email": email,
        "password": password,
        "password_again": password if again is None else again,
        "terms": terms,
    }


async def nothing_saved(platform: Platform) -> None:
    assert await platform.accounts.tenants(limit=10) == []
    assert await platform.outbox.recent(limit=10) == []


# --- sign up ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("form", "field", "says"),
    [
        (signup_form("not-an-address"), "email", "is not an e-mail address"),
        (signup_form("<script>@example.com"), "email", "is not an e-mail address"),
        (signup_form(""), "email", "is required"),
        (signup_form("ann@example.com", "short1"), "password", "must be at least 8 characters"),
        (signup_form("ann@example.com", "onlyletters"), "password", "must contain letters and digits"),
        (signup_form("ann@example.com", again="Different7horse"), "password_again", "The two passwords differ."),
        (signup_form("ann@example.com", terms=""), "terms", "Accept the terms of service to continue."),
    ],
)
async def test_sign_up_shows_what_is_wrong_next_to_the_field_and_saves_nothing(
    platform: Platform, browser: Browser, form: dict[str, str], field: str, says: str
) -> None:
    page = await browser.post("/console/signup", form)

    assert page.status_code == 400
    assert field_errors(page) == {field: says}
    assert f'value="{html.escape(form["email"], quote=True)}"'.replace("&#x27;", "&#39;") in page.text  # kept
    ticked = '<input type="checkbox" name="terms" value="yes" checked>' in page.text
    assert ticked is (form["terms"] == "yes")  # kept as it was
    # the password is not
    assert PASSWORD not in page.text
    await nothing_saved(platform)


async def test_an_empty_sign_up_form_says_everything_that_is_missing_at_once(
    platform: Platform, browser: Browser
) -> None:
    page = await browser.post("/console/signup", signup_form("", "", terms=""))

    assert page.status_code == 400
    assert field_errors(page) == {
        "email": "is required",
        "password": "must be at least 8 characters",
        "terms": "Accept the terms of service to continue.",
    }
    await nothing_saved(platform)


async def test_sign_up_sends_an_activation_link_and_the_account_waits_for_it(
    platform: Platform, browser: Browser
) -> None:
    page = await browser.post("/console/signup", signup_form("Ann@Example.com"))

    assert page.status_code == 200
    assert "We sent an activation link to ann@example.com." in text_of(page)
    user = await platform.users.by_email("ann@example.com")
    assert user is not None and user.status is UserStatus.PENDING
    (mail,) = await platform.outbox.recent(limit=10)
    assert mail.to_address == "ann@example.com"
    assert (await mail_link(platform, "ann@example.com", "activate")).startswith("/console/activate/")


async def test_a_registered_address_cannot_sign_up_again(
    platform: Platform, new_account: NewAccount, new_browser: NewBrowser
) -> None:
    await new_account("ann@example.com")
    (first,) = await platform.accounts.tenants(limit=10)

    page = await new_browser().post("/console/signup", signup_form("ANN@example.com"))

    assert page.status_code == 400
    assert field_errors(page) == {"email": "This e-mail address is registered already: log in, or reset the password."}
    assert [t.id for t in await platform.accounts.tenants(limit=10)] == [first.id]
    assert len(await platform.outbox.recent(limit=10)) == 1


async def test_sign_ups_from_one_address_are_limited(platform: Platform, new_browser: NewBrowser) -> None:
    for n in range(SIGNUPS_PER_ADDRESS):
        page = await new_browser().post("/console/signup", signup_form(f"user{n}@example.com"))
        assert page.status_code == 200
    mails = len(await platform.outbox.recent(limit=100))

    page = await new_browser().post("/console/signup", signup_form("one.more@example.com"))

    assert page.status_code == 429
    assert problem(page) == "Too many accounts were opened from your network. Try again in 60 minutes."
    assert await platform.users.by_email("one.more@example.com") is None
    assert len(await platform.outbox.recent(limit=100)) == mails


# --- activation ---------------------------------------------------------------------------------


async def test_the_activation_link_shows_a_button_and_only_the_post_activates(
    platform: Platform, browser: Browser
) -> None:
    await browser.post("/console/signup", signup_form("ann@example.com"))
    link = await mail_link(platform, "ann@example.com", "activate")

    shown = await browser.get(link)
    assert shown.status_code == 200
    assert f'<form method="post" action="{link}"' in shown.text
    user = await platform.users.by_email("ann@example.com")
    assert user is not None and user.status is UserStatus.PENDING  # a mail scanner's GET does nothing

    activated = await browser.post(link)
    assert activated.status_code == 303
    assert activated.headers["location"] == "/console/login?email=ann%40example.com&done=activated"
    user = await platform.users.by_email("ann@example.com")
    assert user is not None and user.status is UserStatus.ACTIVE
    login_page = await browser.get(activated.headers["location"])
    assert notice(login_page) == "Your account is active. Log in to continue."
    assert 'value="ann@example.com"' in login_page.text

    used = await browser.post(link)
    assert used.status_code == 400
    assert "The link is invalid, expired or already used." in text_of(used)


async def test_an_address_with_a_plus_comes_back_intact_after_activation(platform: Platform, browser: Browser) -> None:
    await browser.post("/console/signup", signup_form("ann+sms@example.com"))

    activated = await browser.post(await mail_link(platform, "ann+sms@example.com", "activate"))

    login_page = await browser.get(activated.headers["location"])
    assert 'value="ann+sms@example.com"' in login_page.text


async def test_a_made_up_activation_link_does_not_work(browser: Browser) -> None:
    page = await browser.post("/console/activate/not-a-token", page="/console/activate/not-a-token")
    assert page.status_code == 400
    assert "This link does not work" in page.text


async def test_a_new_activation_link_can_be_asked_for(platform: Platform, browser: Browser, clock: FixedClock) -> None:
    await browser.post("/console/signup", signup_form("ann@example.com"))
    first = await mail_link(platform, "ann@example.com", "activate")
    clock.advance(60)  # one link mail a minute per address

    sent = await browser.post("/console/activate", {"email": "ann@example.com"})
    assert sent.status_code == 303
    assert sent.headers["location"] == "/console/login?done=activation_sent"
    second = await mail_link(platform, "ann@example.com", "activate")
    assert second != first
    assert (await browser.post(second)).status_code == 303

    unknown = await browser.post("/console/activate", {"email": "nobody@example.com"})
    assert unknown.status_code == 303  # the same answer: the form does not tell who has an account
    assert len(await platform.outbox.recent(limit=10)) == 2


# --- logging in and out -------------------------------------------------------------------------


async def test_a_wrong_password_is_refused_without_a_session(new_account: NewAccount, new_browser: NewBrowser) -> None:
    ann = await new_account("ann@example.com")
    other = new_browser()

    page = await log_in(other, ann.email, "Wrong7password")

    assert page.status_code == 400
    assert problem(page) == "Wrong e-mail address or password."
    assert other.cookie(USER_COOKIE) is None
    assert (await other.get("/console")).status_code == 303


async def test_an_account_not_activated_yet_cannot_log_in(browser: Browser) -> None:
    await browser.post("/console/signup", signup_form("ann@example.com"))

    page = await log_in(browser, "ann@example.com")

    assert page.status_code == 400
    assert problem(page) == "This account is not activated yet: follow the link in the activation e-mail."
    assert 'href="/console/activate"' in page.text
    assert browser.cookie(USER_COOKIE) is None


async def test_after_five_failures_even_the_right_password_waits(
    new_account: NewAccount, new_browser: NewBrowser, clock: FixedClock
) -> None:
    ann = await new_account("ann@example.com")
    other = new_browser()
    for _ in range(5):
        assert (await log_in(other, ann.email, "Wrong7password")).status_code == 400

    throttled = await log_in(other, ann.email, ann.password)
    assert throttled.status_code == 429
    assert problem(throttled) == "Too many failed logins. Try again in 15 minutes."
    assert other.cookie(USER_COOKIE) is None

    clock.advance(15 * 60 + 1)
    assert (await log_in(other, ann.email, ann.password)).status_code == 303


async def test_logging_in_goes_where_the_visitor_was_going_and_nowhere_else(
    new_account: NewAccount, new_browser: NewBrowser
) -> None:
    ann = await new_account("ann@example.com")
    other = new_browser()

    asked = await other.get("/console/keys")
    assert asked.status_code == 303
    assert asked.headers["location"] == "/console/login?next=%2Fconsole%2Fkeys"
    page = await other.get(asked.headers["location"])
    assert 'name="next" value="/console/keys"' in page.text
    done = await other.post(
        "/console/login", {"email": ann.email, "password": ann.password, "next": "/console/keys"}, page="/console/login"
    )
    assert done.headers["location"] == "/console/keys"

    for elsewhere in ("https://evil.example/", "//evil.example/console", "/\\evil.example"):
        third = new_browser()
        away = await third.post("/console/login", {"email": ann.email, "password": ann.password, "next": elsewhere})
        assert away.status_code == 303
        assert away.headers["location"] == "/console"


async def test_logging_out_ends_the_session(new_account: NewAccount, new_browser: NewBrowser) -> None:
    ann = await new_account("ann@example.com")
    token = ann.browser.cookie(USER_COOKIE)
    assert token

    out = await ann.browser.post("/console/logout", page="/console")

    assert out.status_code == 303
    assert out.headers["location"] == "/console/login?done=logged_out"
    assert ann.browser.cookie(USER_COOKIE) is None
    assert notice(await ann.browser.get(out.headers["location"])) == "You are logged out."
    replay = new_browser()
    replay.http.cookies.set(USER_COOKIE, token, domain="127.0.0.1", path="/console")
    assert (await replay.get("/console")).status_code == 303  # the old cookie is dead


# --- passwords ----------------------------------------------------------------------------------


async def test_a_password_reset_link_works_once_and_ends_every_session(
    platform: Platform, new_account: NewAccount, new_browser: NewBrowser
) -> None:
    ann = await new_account("ann@example.com")
    forgetful = new_browser()

    asked = await forgetful.post("/console/forgot", {"email": ann.email})
    assert asked.status_code == 200
    assert "a link to choose a new password is on its way" in text_of(asked)
    link = await mail_link(platform, ann.email, "reset")
    assert (await forgetful.get(link)).status_code == 200

    differing = await forgetful.post(link, {"password": "New7password", "password_again": "Other7password"})
    assert differing.status_code == 400
    assert field_errors(differing) == {"password_again": "The two passwords differ."}
    both = await forgetful.post(link, {"password": "short", "password_again": "shorter"})
    assert field_errors(both) == {
        "password": "must be at least 8 characters",
        "password_again": "The two passwords differ.",
    }
    weak = await forgetful.post(link, {"password": "short", "password_again": "short"})
    assert weak.status_code == 400
    assert field_errors(weak) == {"password": "must be at least 8 characters"}

    done = await forgetful.post(link, {"password": "New7password", "password_again": "New7password"})
    assert done.status_code == 303
    assert done.headers["location"] == "/console/login?email=ann%40example.com&done=password_reset"
    assert (await ann.browser.get("/console")).status_code == 303  # the logged-in browser is logged out
    used = await forgetful.get(link)  # says so before anyone types a password twice
    assert used.status_code == 404
    assert "This link does not work" in used.text and 'name="password"' not in used.text
    again = await forgetful.post(
        link, {"password": "Third7password", "password_again": "Third7password"}, page="/console/forgot"
    )
    assert again.status_code == 400
    assert "This link does not work" in again.text
    assert (await log_in(new_browser(), ann.email, ann.password)).status_code == 400
    assert (await log_in(new_browser(), ann.email, "New7password")).status_code == 303


async def test_asking_to_reset_an_unknown_address_says_the_same_and_sends_nothing(
    platform: Platform, browser: Browser
) -> None:
    page = await browser.post("/console/forgot", {"email": "nobody@example.com"})
    assert page.status_code == 200
    assert "a link to choose a new password is on its way" in text_of(page)
    assert await platform.outbox.recent(limit=10) == []


@pytest.mark.parametrize(
    ("path", "email", "says"),
    [("/console/forgot", "", "is required"), ("/console/activate", "nonsense", "is not an e-mail address")],
)
async def test_a_mistyped_address_is_pointed_out_before_any_link_is_promised(
    platform: Platform, browser: Browser, path: str, email: str, says: str
) -> None:
    page = await browser.post(path, {"email": email})
    assert page.status_code == 400
    assert field_errors(page) == {"email": says}
    assert await platform.outbox.recent(limit=10) == []


async def test_changing_the_password_keeps_this_session_and_ends_the_others(
    new_account: NewAccount, new_browser: NewBrowser
) -> None:
    ann = await new_account("ann@example.com")
    laptop = new_browser()
    assert (await log_in(laptop, ann.email)).status_code == 303

    wrong = await ann.browser.post(
        "/console/security",
        {
            "action": "password",
            "current_password": "Wrong7password",
            "new_password": "New7password",
            "new_password_again": "New7password",
        },
    )
    assert wrong.status_code == 400
    assert field_errors(wrong) == {"current_password": "is not your current password"}
    differing = await ann.browser.post(
        "/console/security",
        {
            "action": "password",
            "current_password": ann.password,
            "new_password": "New7password",
            "new_password_again": "Newer7password",
        },
    )
    assert field_errors(differing) == {"new_password_again": "The two passwords differ."}
    empty = await ann.browser.post(
        "/console/security",
        {"action": "password", "current_password": "", "new_password": "", "new_password_again": ""},
    )
    assert field_errors(empty) == {
        "current_password": "Enter your current password.",
        "new_password": "must be at least 8 characters",
    }
    assert (await laptop.get("/console")).status_code == 200  # nothing changed yet

    changed = await ann.browser.post(
        "/console/security",
        {
            "action": "password",
            "current_password": ann.password,
            "new_password": "New7password",
            "new_password_again": "New7password",
        },
    )
    assert changed.status_code == 303
    assert changed.headers["location"] == "/console/security?done=password_changed"
    assert (await ann.browser.get("/console")).status_code == 200
    assert (await laptop.get("/console")).status_code == 303
    assert (await log_in(new_browser(), ann.email, ann.password)).status_code == 400
    assert (await log_in(new_browser(), ann.email, "New7password")).status_code == 303


# --- sessions -----------------------------------------------------------------------------------


async def test_the_sessions_list_shows_each_browser_and_ends_another(
    platform: Platform, new_account: NewAccount, new_browser: NewBrowser
) -> None:
    ann = await new_account("ann@example.com")
    phone = new_browser(user_agent="Ann's phone")
    assert (await log_in(phone, ann.email)).status_code == 303

    page = await ann.browser.get("/console/security")
    assert page.status_code == 200
    assert "This session" in page.text
    assert "Ann&#39;s phone" in page.text
    sessions = await platform.sessions.live_of(user_id=ann.user_id, now=platform.clock.now())
    assert len(sessions) == 2
    phone_session = next(s for s in sessions if s.user_agent == "Ann's phone")
    assert f'name="session_id" value="{phone_session.id}"' in page.text

    ended = await ann.browser.post("/console/security", {"action": "revoke", "session_id": str(phone_session.id)})
    assert ended.status_code == 303
    assert ended.headers["location"] == "/console/security?done=session_revoked"
    assert (await phone.get("/console")).status_code == 303
    assert (await ann.browser.get("/console")).status_code == 200
    assert [s.user_agent for s in await platform.sessions.live_of(user_id=ann.user_id, now=platform.clock.now())] == [
        "test-browser"
    ]


@pytest.mark.parametrize("whose", ["someone else's", "no one's", "ended"])
async def test_a_session_that_is_not_ones_own_and_open_cannot_be_ended_and_the_page_says_so(
    platform: Platform, new_account: NewAccount, new_browser: NewBrowser, whose: str
) -> None:
    ann = await new_account("ann@example.com")
    bob = await new_account("bob@example.com")
    (bobs,) = await platform.sessions.live_of(user_id=bob.user_id, now=platform.clock.now())
    session_id = {"someone else's": bobs.id, "no one's": 999, "ended": 0}[whose]
    if whose == "ended":
        phone = new_browser()
        await log_in(phone, ann.email)
        live = await platform.sessions.live_of(user_id=ann.user_id, now=platform.clock.now())
        session_id = max(s.id for s in live)
        await phone.post("/console/logout", page="/console")

    page = await ann.browser.post("/console/security", {"action": "revoke", "session_id": str(session_id)})

    assert page.status_code == 404
    assert problem(page) == "No session of yours with that number is open: nothing was ended."
    assert notice(page) == "" and "The session has ended." not in page.text
    assert (await bob.browser.get("/console")).status_code == 200
    assert (await ann.browser.get("/console")).status_code == 200


async def test_ending_every_other_session(new_account: NewAccount, new_browser: NewBrowser) -> None:
    ann = await new_account("ann@example.com")
    others = [new_browser(), new_browser()]
    for other in others:
        await log_in(other, ann.email)

    ended = await ann.browser.post("/console/security", {"action": "revoke_others"})

    assert ended.headers["location"] == "/console/security?done=sessions_revoked"
    assert notice(await ann.browser.get(ended.headers["location"])) == "Your other sessions have ended."
    assert [(await other.get("/console")).status_code for other in others] == [303, 303]
    assert (await ann.browser.get("/console")).status_code == 200
    again = await ann.browser.post("/console/security", {"action": "revoke_others"})
    assert again.headers["location"] == "/console/security?done=no_other_sessions"
    assert notice(await ann.browser.get(again.headers["location"])) == "You have no other session: nothing was ended."
