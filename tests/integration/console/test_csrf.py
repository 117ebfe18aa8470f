"""Every form post of the console is refused without its CSRF token, with a wrong one, and from
another site, and then nothing changes.

The routes come from `console_routes`: a new POST route without a case here fails
`test_every_post_route_has_a_case`.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import pytest
from starlette.routing import Route

from smscloud.adapters.console.app import console_routes
from smscloud.adapters.console.security import ANON_CSRF_COOKIE
from smscloud.bootstrap import Platform, console_options, console_services
from smscloud.domain.accounts.model import TenantKind
from smscloud.domain.accounts.service import issue_api_key
from smscloud.domain.apps.service import create_application
from smscloud.domain.identity.model import Language, Principal
from smscloud.domain.identity.two_step import new_secret, step_of, totp
from tests.integration.console.conftest import NewBrowser
from tests.support.console import (
    PASSWORD,
    PNG,
    Account,
    Browser,
    add_signature,
    add_template,
    approved_content,
    complete_profile,
    enable_sms,
    log_in,
    mail_link,
    operator_session,
    sign_up,
    snapshot,
    text_of,
)

pytestmark = pytest.mark.integration

EVIL = "https://evil.example"
SECRET, OTHER_SECRET = new_secret(), new_secret()


@dataclass(frozen=True, slots=True)
class Case:
    """A form post that would change something if it were accepted."""

    browser: Browser
    path: str
    form: dict[str, str]
    token_page: str  # where the browser finds its token
    files: dict[str, tuple[str, bytes, str]] | None = None
    anonymous: bool = False


def post_routes(platform: Platform) -> set[str]:
    _, routes = console_routes(console_services(platform), console_options(platform.settings))
    return {r.path for r in routes if isinstance(r, Route) and r.methods is not None and "POST" in r.methods}


@pytest.fixture
async def cases(platform: Platform, new_browser: NewBrowser) -> dict[str, Case]:
    """A case for each POST route, by the route's path."""
    ann = await sign_up(platform, new_browser(), "ann@example.com")
    await log_in(new_browser(), ann.email)  # a second session, for "end every other session"
    tenant = await enable_sms(platform, ann)
    _, approved = await approved_content(platform, ann)
    app = await create_application(store=platform.apps, clock=platform.clock, tenant=tenant, name="shop")
    await issue_api_key(store=platform.accounts, clock=platform.clock, tenant_id=ann.tenant_id)
    pending_sign = await add_signature(platform, ann, "待审签名")
    pending_template = await add_template(platform, ann, "您的订单{1}已发货。", name="发货通知")
    to_review = await add_template(platform, ann, "您的快递{1}已到。", name="到件通知")
    cat: Account = await sign_up(platform, new_browser(), "cat@example.com")
    await complete_profile(platform, cat)  # an enterprise without a qualification
    dan: Account = await sign_up(platform, new_browser(), "dan@example.com")
    await complete_profile(platform, dan, kind=TenantKind.INDIVIDUAL, name="Dan")  # may apply for SMS
    operator = new_browser()
    await operator_session(platform, operator)
    anonymous = new_browser()
    await anonymous.post(
        "/console/signup",
        {"email": "eve@example.com", "password": PASSWORD, "password_again": PASSWORD, "terms": "yes"},
    )
    activation = await mail_link(platform, "eve@example.com", "activate")
    await anonymous.post("/console/forgot", {"email": ann.email})
    reset = await mail_link(platform, ann.email, "reset")

    # Two-step verification: gus has it on and has given his password (a login waiting for its
    # code); so has the operator Ida; dan and the operator turn it on.
    gus: Account = await sign_up(platform, new_browser(), "gus@example.com")
    gus_codes = await platform.identity.enable_two_step(
        Principal.user(gus.user_id), secret=SECRET, code=totp(SECRET, step_of(platform.clock.now()))
    )
    gus_waiting = new_browser()
    assert (await gus_waiting.post("/console/login", {"email": gus.email, "password": PASSWORD})).status_code == 303
    ida = await platform.identity.create_operator(
        email="ida@example.com", name="Ida", password=PASSWORD, language=Language.EN
    )
    ida_codes = await platform.identity.enable_two_step(
        Principal.operator(ida.id), secret=SECRET, code=totp(SECRET, step_of(platform.clock.now()))
    )
    ida_waiting = new_browser()
    ida_login = await ida_waiting.post("/operator/login", {"email": "ida@example.com", "password": PASSWORD})
    assert ida_login.status_code == 303
    first_code = totp(OTHER_SECRET, step_of(platform.clock.now()))

    new_password = {"password": "New7password", "password_again": "New7password"}
    signature_form = {
        "SignName": "新的签名",
        "International": "0",
        "SignType": "0",
        "DocumentType": "1",
        "SignPurpose": "0",
        "Remark": "",
    }
    template_form = {
        "TemplateName": "新模板",
        "TemplateContent": "您的验证码是{1}。",
        "SmsType": "3",
        "International": "0",
        "Remark": "",
    }
    a = ann.browser
    return {
        "/console/signup": Case(
            anonymous,
            "/console/signup",
            {"email": "fay@example.com", **new_password, "terms": "yes"},
            "/console/signup",
            anonymous=True,
        ),
        "/console/activate/{token}": Case(anonymous, activation, {}, activation, anonymous=True),
        "/console/activate": Case(
            anonymous, "/console/activate", {"email": "eve@example.com"}, "/console/activate", anonymous=True
        ),
        "/console/login": Case(
            anonymous, "/console/login", {"email": ann.email, "password": PASSWORD}, "/console/login", anonymous=True
        ),
        "/console/logout": Case(a, "/console/logout", {}, "/console"),
        "/console/forgot": Case(anonymous, "/console/forgot", {"email": ann.email}, "/console/forgot", anonymous=True),
        "/console/reset/{token}": Case(anonymous, reset, new_password, reset, anonymous=True),
        "/console/language": Case(a, "/console/language", {"language": "zh-CN", "back": "/console"}, "/console"),
        "/operator/language": Case(
            operator, "/operator/language", {"language": "zh-CN", "back": "/operator"}, "/operator"
        ),
        "/console/profile": Case(
            dan.browser,
            "/console/profile",
            {
                "kind": "individual",
                "name": "Daniel",
                "contact_name": "Dan",
                "contact_phone": "13800000001",
                "contact_email": "dan@example.com",
                "address": "",
            },
            "/console/profile",
        ),
        "/console/qualification": Case(
            cat.browser,
            "/console/qualification",
            {
                "company_name": "福州测试科技有限公司",
                "credit_code": "91350100M000100Y43",
                "contact_name": "张三",
                "contact_phone": "13800000000",
            },
            "/console/qualification",
            files={"licence": ("licence.png", PNG, "image/png")},
        ),
        "/console/sms": Case(dan.browser, "/console/sms", {}, "/console/sms"),
        "/console/security": Case(a, "/console/security", {"action": "revoke_others"}, "/console/security"),
        "/console/apps": Case(a, "/console/apps", {"name": "another"}, "/console/apps"),
        "/console/apps/{app_id:id}": Case(
            a, f"/console/apps/{app.id}", {"action": "rotate"}, f"/console/apps/{app.id}"
        ),
        "/console/keys": Case(a, "/console/keys", {"action": "create"}, "/console/keys"),
        "/console/signatures/new": Case(
            a,
            "/console/signatures/new",
            signature_form,
            "/console/signatures/new",
            files={"ProofImage": ("proof.png", PNG, "image/png")},
        ),
        "/console/signatures/{signature_id:id}/edit": Case(
            a,
            f"/console/signatures/{pending_sign.id}/edit",
            {**signature_form, "SignName": "改过的签名"},
            f"/console/signatures/{pending_sign.id}/edit",
        ),
        "/console/signatures/{signature_id:id}/delete": Case(
            a, f"/console/signatures/{pending_sign.id}/delete", {}, "/console/signatures"
        ),
        "/console/templates/new": Case(a, "/console/templates/new", template_form, "/console/templates/new"),
        "/console/templates/{template_id:id}/edit": Case(
            a,
            f"/console/templates/{pending_template.id}/edit",
            template_form,
            f"/console/templates/{pending_template.id}/edit",
        ),
        "/console/templates/{template_id:id}/delete": Case(
            a, f"/console/templates/{pending_template.id}/delete", {}, "/console/templates"
        ),
        "/console/templates/{template_id:id}/test": Case(
            a,
            f"/console/templates/{approved.id}/test",
            {"app": app.sdk_app_id, "sign": "测试科技", "phone": "+8613800000001", "param1": "1234"},
            f"/console/templates/{approved.id}/test",
        ),
        "/operator/login": Case(
            anonymous,
            "/operator/login",
            {"email": "reviewer@example.com", "password": PASSWORD},
            "/operator/login",
            anonymous=True,
        ),
        "/operator/logout": Case(operator, "/operator/logout", {}, "/operator"),
        "/operator/reviews/{kind:str}/{item_id:id}": Case(
            operator,
            f"/operator/reviews/template/{to_review.id}",
            {"verdict": "approve"},
            f"/operator/reviews/template/{to_review.id}",
        ),
        "/console/login/code": Case(
            gus_waiting, "/console/login/code", {"code": gus_codes[0]}, "/console/login/code", anonymous=True
        ),
        "/operator/login/code": Case(
            ida_waiting, "/operator/login/code", {"code": ida_codes[0]}, "/operator/login/code", anonymous=True
        ),
        "/console/security/two-step": Case(
            dan.browser,
            "/console/security/two-step",
            {"action": "enable", "secret": OTHER_SECRET, "code": first_code},
            "/console/security/two-step",
        ),
        "/operator/security/two-step": Case(
            operator,
            "/operator/security/two-step",
            {"action": "enable", "secret": OTHER_SECRET, "code": first_code},
            "/operator/security/two-step",
        ),
        "/operator/tenants/{tenant_id:id}": Case(
            operator,
            f"/operator/tenants/{dan.tenant_id}",
            {"action": "suspend", "reason": "测试暂停"},
            f"/operator/tenants/{dan.tenant_id}",
        ),
    }


async def test_every_post_route_has_a_case(platform: Platform, cases: dict[str, Case]) -> None:
    assert set(cases) == post_routes(platform)


async def test_each_case_is_accepted_with_its_token(platform: Platform, cases: dict[str, Case]) -> None:
    """The cases are real: with the token and from this site, each post does something."""
    before = await snapshot(platform)
    # Last, the posts that end sessions the others use.
    enders = ["/console/security", "/console/logout", "/operator/logout", "/console/reset/{token}"]
    for route in [*(r for r in cases if r not in enders), *enders]:
        case = cases[route]
        response = await case.browser.post(case.path, case.form, files=case.files, page=case.token_page)
        assert response.status_code in (200, 303), f"{route}: {response.status_code}\n{text_of(response)}"
    assert await snapshot(platform) != before


@pytest.mark.parametrize("attack", ["no token", "wrong token", "foreign origin"])
async def test_every_post_is_refused_without_the_right_token_or_from_another_site(
    platform: Platform, cases: dict[str, Case], attack: str
) -> None:
    failures: list[str] = []
    for route, case in cases.items():
        if case.anonymous:
            await case.browser.get(case.token_page)  # the visitor has a token cookie
            token = case.browser.cookie(ANON_CSRF_COOKIE)
            assert token
        else:
            token = await case.browser.csrf(case.token_page)
        csrf, origin = {
            "no token": ("", None),
            "wrong token": (secrets.token_urlsafe(32), None),
            "foreign origin": (token, EVIL),
        }[attack]
        before = await snapshot(platform)
        response = await case.browser.post(case.path, case.form, files=case.files, csrf=csrf, origin=origin)
        if response.status_code != 403:
            failures.append(f"{route}: {response.status_code}")
        elif "This request was refused." not in text_of(response):
            failures.append(f"{route}: not the error page")
        if await snapshot(platform) != before:
            failures.append(f"{route}: changed the database")
    assert failures == []


async def test_a_referer_of_another_site_or_a_cross_site_fetch_is_refused(browser: Browser) -> None:
    form = {"email": "fay@example.com", "password": PASSWORD, "password_again": PASSWORD, "terms": "yes"}
    token = await browser.csrf("/console/signup")

    by_referer = await browser.post(
        "/console/signup", form, csrf=token, origin=None, headers={"referer": f"{EVIL}/page"}
    )
    cross_site = await browser.post("/console/signup", form, csrf=token, headers={"sec-fetch-site": "cross-site"})
    opaque = await browser.post("/console/signup", form, csrf=token, origin="null")

    assert [by_referer.status_code, cross_site.status_code, opaque.status_code] == [403, 403, 403]
    same_site = await browser.post(
        "/console/signup", form, csrf=token, origin=None, headers={"referer": "http://127.0.0.1:8080/console/signup"}
    )
    assert same_site.status_code == 200


async def test_the_token_of_one_session_does_not_work_in_another(platform: Platform, new_browser: NewBrowser) -> None:
    ann = await sign_up(platform, new_browser(), "ann@example.com")
    bob = await sign_up(platform, new_browser(), "bob@example.com")
    anns_token = await ann.browser.csrf("/console")

    refused = await bob.browser.post("/console/keys", {"action": "create"}, csrf=anns_token)

    assert refused.status_code == 403
    assert await platform.accounts.api_keys_of(bob.tenant_id) == []
