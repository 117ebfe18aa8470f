"""What a visitor types that the database cannot take: an id or page beyond what it holds, digits
that are not ASCII (they name nothing: 404, or no change), NUL characters (dropped; PostgreSQL's
text cannot hold them). None of it fails the request."""

from __future__ import annotations

import re

import pytest
from starlette.routing import Route

from smscloud.adapters.console.app import console_routes
from smscloud.bootstrap import Platform, console_options, console_services
from tests.integration.console.conftest import NewBrowser
from tests.support.console import PASSWORD, Browser, enable_sms, operator_session, sign_up, snapshot

pytestmark = pytest.mark.integration

TOO_BIG = "9223372036854775808"  # 2**63, one past the largest BIGINT
FAR_TOO_BIG = "99999999999999999999999"
BEYOND_PYTHON = "1" * 4301  # more digits than Python's int() will read


def id_routes(platform: Platform, prefix: str) -> list[tuple[str, list[str]]]:
    """(path template, methods) of the routes with an integer id in their path."""
    _, routes = console_routes(console_services(platform), console_options(platform.settings))
    return [
        (r.path, sorted(r.methods or ()))
        for r in routes
        if isinstance(r, Route) and ":id}" in r.path and r.path.startswith(prefix)
    ]


def filled(template: str, number: str) -> str:
    return re.sub(r"\{(\w+):id\}", number, template).replace("{kind:str}", "template")


@pytest.mark.parametrize("number", [TOO_BIG, FAR_TOO_BIG, BEYOND_PYTHON])
async def test_an_id_beyond_the_database_is_not_found(platform: Platform, new_browser: NewBrowser, number: str) -> None:
    ann = await sign_up(platform, new_browser(), "ann@example.com")
    operator = new_browser()
    await operator_session(platform, operator)
    failures: list[str] = []
    for browser, prefix, token_page in ((ann.browser, "/console", "/console"), (operator, "/operator", "/operator")):
        routes = id_routes(platform, prefix)
        assert routes
        for template, methods in routes:
            path = filled(template, number)
            for method in methods:
                if method == "HEAD":
                    continue
                response = await (browser.get(path) if method == "GET" else browser.post(path, {}, page=token_page))
                if response.status_code != 404:
                    failures.append(f"{method} {path}: {response.status_code}")
    assert failures == []


@pytest.mark.parametrize("number", [TOO_BIG, FAR_TOO_BIG, "²", "٣"])
async def test_a_key_or_session_number_that_names_nothing_changes_nothing(
    platform: Platform, browser: Browser, number: str
) -> None:
    ann = await sign_up(platform, browser, "ann@example.com")
    await ann.browser.post("/console/keys", {"action": "create"})
    before = await snapshot(platform)

    for action in ("disable", "enable", "delete"):
        response = await ann.browser.post("/console/keys", {"action": action, "key_id": number})
        assert response.status_code == 404, action
    ended = await ann.browser.post("/console/security", {"action": "revoke", "session_id": number})

    assert ended.status_code == 404  # as the keys: it does not say that a session has ended
    assert await snapshot(platform) == before
    assert (await ann.browser.get("/console")).status_code == 200


@pytest.mark.parametrize("page", [TOO_BIG, FAR_TOO_BIG, BEYOND_PYTHON, "²", "0", "-1"])
async def test_a_page_number_that_names_nothing_shows_the_first_page(
    platform: Platform, new_browser: NewBrowser, page: str
) -> None:
    ann = await sign_up(platform, new_browser(), "ann@example.com")
    operator = new_browser()
    await operator_session(platform, operator)

    responses = [await ann.browser.get(path, page=page) for path in ("/console/records", "/console/replies")]
    responses += [
        await operator.get(path, page=page) for path in ("/operator/tenants", "/operator/outbox", "/operator/audit")
    ]

    assert [r.status_code for r in responses] == [200, 200, 200, 200, 200]


async def test_nul_characters_are_dropped_from_what_is_typed(platform: Platform, new_browser: NewBrowser) -> None:
    visitor = new_browser()
    signed = await visitor.post(
        "/console/signup",
        {"email": "ann\x00@example.com", "password": PASSWORD, "password_again": PASSWORD, "terms": "yes"},
    )
    assert signed.status_code == 200
    assert await platform.users.by_email("ann@example.com") is not None
    for path, form in (
        ("/console/login", {"email": "ann\x00@example.com", "password": PASSWORD}),
        ("/console/forgot", {"email": "ann\x00@example.com"}),
        ("/operator/login", {"email": "op\x00@example.com", "password": PASSWORD}),
    ):
        assert (await new_browser().post(path, form)).status_code in (200, 400), path

    bob = await sign_up(platform, new_browser(), "bob@example.com")
    await enable_sms(platform, bob)
    created = await bob.browser.post("/console/apps", {"name": "sh\x00op"})
    assert created.status_code == 303
    assert [app.name for app in await platform.apps.of_tenant(bob.tenant_id)] == ["shop"]
    assert (await bob.browser.get("/console/records", serial="a\x00b", phone="\x00")).status_code == 200
