"""The language switch: remembered in a cookie, and on the account when signed in; and every page
renders in both languages."""

from __future__ import annotations

import re
from typing import Literal

import pytest
from starlette.routing import Route

from smscloud.adapters.console.app import console_routes
from smscloud.adapters.console.security import LANGUAGE_COOKIE
from smscloud.bootstrap import Platform, console_options, console_services
from smscloud.domain.accounts.service import issue_api_key
from smscloud.domain.apps.service import create_application
from smscloud.domain.identity.model import Language
from smscloud.entrypoints.operators import ensure_first_operator
from tests.integration.console.conftest import NewBrowser
from tests.support.console import (
    Browser,
    add_signature,
    add_template,
    approved_content,
    enable_sms,
    log_in,
    operator_session,
    send_test_message,
    sign_up,
)

pytestmark = pytest.mark.integration


def lang(page_text: str) -> str:
    found = re.search(r'<html lang="([^"]+)">', page_text)
    assert found is not None
    return found.group(1)


async def test_a_visitor_sees_the_browsers_language_or_the_default(new_browser: NewBrowser) -> None:
    chinese = await new_browser(language="zh-CN,zh;q=0.9").get("/console/login")
    english = await new_browser(language="en-US,en;q=0.8").get("/console/login")
    neither = await new_browser(language="fr").get("/console/login")

    assert (lang(chinese.text), lang(english.text), lang(neither.text)) == ("zh-CN", "en", "zh-CN")
    assert "登录 smscloud" in chinese.text and "Log in to smscloud" in english.text


async def test_the_chosen_language_is_remembered_by_cookie(browser: Browser) -> None:
    switched = await browser.post(
        "/console/language", {"language": "zh-CN", "back": "/console/signup"}, page="/console/login"
    )

    assert switched.status_code == 303
    assert switched.headers["location"] == "/console/signup"
    cookie = switched.headers["set-cookie"]
    assert cookie.startswith(f"{LANGUAGE_COOKIE}=zh-CN;") and "Max-Age=31536000" in cookie and "Path=/" in cookie
    page = await browser.get("/console/signup")  # the browser still asks for English
    assert lang(page.text) == "zh-CN" and "注册 smscloud 账号" in page.text

    await browser.post("/console/language", {"language": "en", "back": "/console/signup?x=1"}, page="/console/login")
    assert lang((await browser.get("/console/login")).text) == "en"


@pytest.mark.parametrize("back", ["https://evil.example/", "//evil.example/console", "/operator", "/\\evil.example"])
async def test_the_switch_goes_back_only_to_a_page_of_the_console(browser: Browser, back: str) -> None:
    switched = await browser.post("/console/language", {"language": "en", "back": back}, page="/console/login")
    assert switched.headers["location"] == "/console"


async def test_an_unknown_language_keeps_the_current_one(browser: Browser) -> None:
    switched = await browser.post("/console/language", {"language": "fr"}, page="/console/login")
    assert switched.headers["set-cookie"].startswith(f"{LANGUAGE_COOKIE}=en;")


async def test_a_signed_in_user_keeps_the_language_on_the_account(platform: Platform, new_browser: NewBrowser) -> None:
    ann = await sign_up(platform, new_browser(), "ann@example.com")

    await ann.browser.post("/console/language", {"language": "zh-CN", "back": "/console/keys"}, page="/console")

    user = await platform.users.by_email(ann.email)
    assert user is not None and user.language is Language.ZH_CN
    elsewhere = new_browser(language="en")  # another browser, without the cookie
    await log_in(elsewhere, ann.email)
    assert lang((await elsewhere.get("/console")).text) == "zh-CN"


async def test_an_operator_keeps_the_language_on_the_account(platform: Platform, browser: Browser) -> None:
    operator = await operator_session(platform, browser)

    switched = await browser.post(
        "/operator/language", {"language": "zh-CN", "back": "/operator/audit"}, page="/operator"
    )

    assert switched.headers["location"] == "/operator/audit"
    stored = await platform.operators.by_id(operator.id)
    assert stored is not None and stored.language is Language.ZH_CN
    assert "审计日志" in (await browser.get("/operator/audit")).text


@pytest.mark.parametrize("language", ["zh-CN", "en"])
async def test_every_page_renders_in_both_languages(platform: Platform, new_browser: NewBrowser, language: str) -> None:
    """Each GET route of the console, with real objects, answers 200 in the language."""
    ann = await sign_up(platform, new_browser(language=language), "ann@example.com")
    tenant = await enable_sms(platform, ann)
    signature, approved = await approved_content(platform, ann)
    app = await create_application(store=platform.apps, clock=platform.clock, tenant=tenant, name="shop")
    await issue_api_key(store=platform.accounts, clock=platform.clock, tenant_id=ann.tenant_id)
    pending_sign = await add_signature(platform, ann, "待审签名")
    pending_template = await add_template(platform, ann, "您的订单{1}已发货。", name="发货通知")
    serial = await send_test_message(ann, approved.id, "+8613800000001", "1234")
    qualification = await platform.qualifications.current_of(ann.tenant_id)
    assert qualification is not None and signature.proof_document_id is not None
    operator = new_browser(language=language)
    await operator_session(platform, operator, language=Language(language))
    visitor = new_browser(language=language)
    values = {
        "app_id": app.id,
        "signature_id": pending_sign.id,
        "template_id": pending_template.id,
        "document_id": signature.proof_document_id,
        "token": "not-a-token",
        "tenant_id": ann.tenant_id,
    }
    _, routes = console_routes(console_services(platform), console_options(platform.settings))
    get_routes = [r.path for r in routes if isinstance(r, Route) and r.methods is not None and "GET" in r.methods]
    failures: list[str] = []
    for template in get_routes:
        paths = [re.sub(r"\{(\w+)(?::\w+)?\}", lambda m: str(values.get(m.group(1), "")), template)]
        if template.startswith("/operator/reviews/"):
            paths = [
                template.replace("{kind:str}", kind).replace("{item_id:id}", str(item))
                for kind, item in (
                    ("qualification", qualification.id),
                    ("signature", pending_sign.id),
                    ("template", pending_template.id),
                )
            ]
        elif template == "/console/templates/{template_id:id}/test":
            paths = [f"/console/templates/{approved.id}/test"]
        browser = operator if template.startswith("/operator") and template != "/operator/login" else ann.browser
        if template in ("/console/signup", "/console/login", "/console/forgot", "/console/activate", "/operator/login"):
            browser = visitor
        for path in paths:
            response = await browser.get(path)
            if template == "/console/":
                assert (response.status_code, response.headers["location"]) == (303, "/console")
            elif template in ("/console/login/code", "/operator/login/code"):
                # Without a login waiting for its code, back to the login page (which is checked).
                assert response.status_code == 303, path
            elif response.status_code != (404 if template == "/console/reset/{token}" else 200):
                # A reset link that does not work says so at once (the page is still in the language).
                failures.append(f"{path}: {response.status_code}")
            elif response.headers["content-type"].startswith("text/html") and lang(response.text) != language:
                failures.append(f"{path}: in {lang(response.text)}")
    records = await ann.browser.get("/console/records", serial=serial)
    assert serial in records.text
    assert failures == []


@pytest.mark.parametrize(("default", "name"), [("zh-CN", "管理员"), ("en", "Administrator")])
async def test_the_first_operator_is_named_in_the_default_language(
    platform: Platform, default: Literal["zh-CN", "en"], name: str
) -> None:
    """Its name is shown as stored (in the audit log, beside its address): it is written in the
    language the platform's people read, as its own language is."""
    platform.settings.console.default_language = default

    created = await ensure_first_operator(platform)

    assert created is not None
    operator, _ = created
    assert (operator.name, operator.language) == (name, Language(default))
    assert await ensure_first_operator(platform) is None  # once
