"""Tenant and operator sessions stay apart; cookies and headers; idle sessions end; operators' login."""

from __future__ import annotations

import pytest

from smscloud.adapters.console.security import ANON_CSRF_COOKIE, OPERATOR_COOKIE, USER_COOKIE
from smscloud.bootstrap import Platform
from smscloud.domain.identity.model import Language
from smscloud.domain.shared.clock import FixedClock
from tests.integration.console.conftest import NewBrowser
from tests.support.console import PASSWORD, Browser, operator_session, problem, sign_up

pytestmark = pytest.mark.integration

TENANT_PAGES = ("/console", "/console/apps", "/console/keys", "/console/records", "/console/security")
OPERATOR_PAGES = ("/operator", "/operator/reviews/template", "/operator/tenants", "/operator/outbox", "/operator/audit")


def with_cookie(browser: Browser, name: str, value: str) -> Browser:
    """The browser holding a cookie for every path, as a forged or misplaced cookie would be."""
    browser.http.cookies.set(name, value, domain="127.0.0.1", path="/")
    return browser


async def test_operator_pages_need_an_operator_session(platform: Platform, new_browser: NewBrowser) -> None:
    ann = await sign_up(platform, new_browser(), "ann@example.com")
    token = ann.browser.cookie(USER_COOKIE)
    assert token

    for browser in (
        ann.browser,  # its cookie is not even sent to /operator
        with_cookie(new_browser(), USER_COOKIE, token),
        with_cookie(new_browser(), OPERATOR_COOKIE, token),  # a tenant's session is no operator's
    ):
        for path in OPERATOR_PAGES:
            response = await browser.get(path)
            assert (response.status_code, response.headers.get("location")) == (303, "/operator/login"), path


async def test_tenant_pages_refuse_an_operator_session(platform: Platform, new_browser: NewBrowser) -> None:
    operator = new_browser()
    await operator_session(platform, operator)
    token = operator.cookie(OPERATOR_COOKIE)
    assert token

    for browser in (
        operator,
        with_cookie(new_browser(), OPERATOR_COOKIE, token),
        with_cookie(new_browser(), USER_COOKIE, token),  # an operator's session is no tenant's
    ):
        for path in TENANT_PAGES:
            response = await browser.get(path)
            assert response.status_code == 303, path
            assert response.headers["location"].startswith("/console/login?next="), path


async def test_one_browser_holds_a_tenant_and_an_operator_session_apart(
    platform: Platform, new_browser: NewBrowser
) -> None:
    ann = await sign_up(platform, new_browser(), "ann@example.com")
    await operator_session(platform, ann.browser)

    assert (await ann.browser.get("/console")).status_code == 200
    assert (await ann.browser.get("/operator")).status_code == 200
    await ann.browser.post("/operator/logout", page="/operator")
    assert (await ann.browser.get("/operator")).status_code == 303
    assert (await ann.browser.get("/console")).status_code == 200


async def test_session_cookies_are_http_only_same_site_and_scoped(platform: Platform, new_browser: NewBrowser) -> None:
    visitor = new_browser()
    first = await visitor.get("/console/login")
    assert _cookie_header(first.headers.get_list("set-cookie"), ANON_CSRF_COOKIE) == {
        "httponly",
        "samesite=lax",
        "path=/",
    }

    await sign_up(platform, new_browser(), "ann@example.com")
    logged_in = await new_browser().post("/console/login", {"email": "ann@example.com", "password": PASSWORD})
    assert _cookie_header(logged_in.headers.get_list("set-cookie"), USER_COOKIE) == {
        "httponly",
        "samesite=lax",
        "path=/console",
    }
    operator = new_browser()
    await platform.identity.create_operator(email="op@example.com", name="Op", password=PASSWORD, language=Language.EN)
    op_login = await operator.post("/operator/login", {"email": "op@example.com", "password": PASSWORD})
    assert _cookie_header(op_login.headers.get_list("set-cookie"), OPERATOR_COOKIE) == {
        "httponly",
        "samesite=lax",
        "path=/operator",
    }


def _cookie_header(headers: list[str], name: str) -> set[str]:
    (header,) = (h for h in headers if h.startswith(f"{name}="))
    return {part.strip().lower() for part in header.split(";")[1:]}


async def test_every_page_carries_the_security_headers(platform: Platform, new_browser: NewBrowser) -> None:
    ann = await sign_up(platform, new_browser(), "ann@example.com")
    for response in (
        await new_browser().get("/console/login"),
        await ann.browser.get("/console"),
        await ann.browser.get("/console/no-such-page"),
        await ann.browser.post("/console/keys", {"action": "create"}, csrf="wrong"),
    ):
        headers = response.headers
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert "form-action 'self'" in headers["content-security-policy"]
        assert headers["x-frame-options"] == "DENY"
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["cache-control"] == "no-store"
        assert headers["referrer-policy"] == "same-origin"


async def test_an_unknown_page_is_a_404_page(browser: Browser) -> None:
    page = await browser.get("/console/no-such-page")
    assert page.status_code == 404
    assert "There is nothing here" in page.text


async def test_a_session_idle_for_two_hours_ends(
    platform: Platform, new_browser: NewBrowser, clock: FixedClock
) -> None:
    ann = await sign_up(platform, new_browser(), "ann@example.com")

    clock.advance(119 * 60)
    assert (await ann.browser.get("/console")).status_code == 200  # used: the idle time starts again
    clock.advance(119 * 60)
    assert (await ann.browser.get("/console")).status_code == 200
    clock.advance(2 * 3600 + 1)
    assert (await ann.browser.get("/console")).status_code == 303


async def test_an_operator_with_a_wrong_password_is_refused_and_then_throttled(
    platform: Platform, new_browser: NewBrowser, clock: FixedClock
) -> None:
    operator = new_browser()
    await operator_session(platform, new_browser())  # creates reviewer@example.com

    wrong = await operator.post("/operator/login", {"email": "reviewer@example.com", "password": "Wrong7password"})
    assert wrong.status_code == 400
    assert problem(wrong) == "Wrong e-mail address or password."
    for _ in range(4):
        await operator.post("/operator/login", {"email": "reviewer@example.com", "password": "Wrong7password"})
    throttled = await operator.post("/operator/login", {"email": "reviewer@example.com", "password": PASSWORD})
    assert throttled.status_code == 429
    assert operator.cookie(OPERATOR_COOKIE) is None
    clock.advance(15 * 60 + 1)
    assert (
        await operator.post("/operator/login", {"email": "reviewer@example.com", "password": PASSWORD})
    ).status_code == 303
    assert (await operator.get("/operator/login")).headers["location"] == "/operator"  # logged in already
