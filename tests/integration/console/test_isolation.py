"""One tenant never sees or changes another's applications, keys, signatures, templates, documents
or messages through the console.

Tenant B has one of everything; tenant A asks for each of B's objects by its id, on every route
that takes an id. The routes come from `console_routes`: a new route with a path parameter and no
case here fails `test_every_route_with_an_id_is_covered`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from starlette.routing import Route

from smscloud.adapters.console.app import console_routes
from smscloud.bootstrap import Platform, console_options, console_services
from smscloud.domain.accounts.service import issue_api_key
from smscloud.domain.apps.service import create_application
from tests.integration.console.conftest import NewBrowser
from tests.support.console import (
    PNG,
    Account,
    add_signature,
    add_template,
    approved_content,
    enable_sms,
    record_serials,
    send_test_message,
    sign_up,
    snapshot,
    text_of,
)

pytestmark = pytest.mark.integration

# Routes with a path parameter that names no tenant's object.
NOT_OWNED = {
    "/console/activate/{token}": "a one-time link, checked by its hash",
    "/console/reset/{token}": "a one-time link, checked by its hash",
    "/operator/reviews/{kind:str}": "operators only (test_operator_pages_send_a_tenant_to_the_operators_login)",
    "/operator/reviews/{kind:str}/{item_id:id}": "operators only (as above)",
    "/operator/documents/{document_id:id}": "operators only (as above)",
    "/operator/tenants/{tenant_id:id}": "operators only (as above)",
}


@dataclass(frozen=True, slots=True)
class Objects:
    """One of everything a tenant owns."""

    account: Account
    app_id: int
    sdk_app_id: str
    app_key: str
    key_id: int
    signature_id: int  # waiting for review, so it may be modified
    template_id: int  # waiting for review
    approved_template_id: int
    document_id: int
    serial_no: str
    phone: str


async def tenant_with_everything(platform: Platform, account: Account, phone: str) -> Objects:
    tenant = await enable_sms(platform, account)
    signature, approved = await approved_content(platform, account)
    app = await create_application(store=platform.apps, clock=platform.clock, tenant=tenant, name="shop")
    key = await issue_api_key(store=platform.accounts, clock=platform.clock, tenant_id=account.tenant_id)
    pending_sign = await add_signature(platform, account, "待审签名")
    pending_template = await add_template(platform, account, "您的订单{1}已发货。", name="发货通知")
    serial = await send_test_message(account, approved.id, phone, "1234")
    assert signature.proof_document_id is not None
    return Objects(
        account=account,
        app_id=app.id,
        sdk_app_id=app.sdk_app_id,
        app_key=app.app_key,
        key_id=key.id,
        signature_id=pending_sign.id,
        template_id=pending_template.id,
        approved_template_id=approved.id,
        document_id=signature.proof_document_id,
        serial_no=serial,
        phone=phone,
    )


@dataclass(frozen=True, slots=True)
class Attempt:
    method: str
    path: str
    form: dict[str, str] | None = None
    files: dict[str, tuple[str, bytes, str]] | None = None


def attempts_on(b: Objects) -> dict[str, list[Attempt]]:
    """What A tries on B's objects, by the route template it goes to."""
    sign_form = {"SignName": "偷改签名", "International": "0", "SignType": "0", "DocumentType": "1", "SignPurpose": "0"}
    template_form = {"TemplateName": "x", "TemplateContent": "偷改{1}", "SmsType": "3", "International": "0"}
    return {
        "/console/apps/{app_id:id}": [
            Attempt("GET", f"/console/apps/{b.app_id}"),
            *(Attempt("POST", f"/console/apps/{b.app_id}", {"action": a}) for a in ("reveal", "rotate", "disable")),
            Attempt("POST", f"/console/apps/{b.app_id}", {"action": "enable"}),
        ],
        "/console/signatures/{signature_id:id}/edit": [
            Attempt("GET", f"/console/signatures/{b.signature_id}/edit"),
            Attempt(
                "POST",
                f"/console/signatures/{b.signature_id}/edit",
                sign_form,
                {"ProofImage": ("proof.png", PNG, "image/png")},
            ),
        ],
        "/console/signatures/{signature_id:id}/delete": [
            Attempt("POST", f"/console/signatures/{b.signature_id}/delete", {})
        ],
        "/console/templates/{template_id:id}/edit": [
            Attempt("GET", f"/console/templates/{b.template_id}/edit"),
            Attempt("POST", f"/console/templates/{b.template_id}/edit", template_form),
        ],
        "/console/templates/{template_id:id}/delete": [
            Attempt("POST", f"/console/templates/{b.template_id}/delete", {}),
            Attempt("POST", f"/console/templates/{b.approved_template_id}/delete", {}),
        ],
        "/console/templates/{template_id:id}/test": [
            Attempt("GET", f"/console/templates/{b.approved_template_id}/test"),
            Attempt(
                "POST",
                f"/console/templates/{b.approved_template_id}/test",
                {"app": b.sdk_app_id, "sign": "测试科技", "phone": "+8613800000001", "param1": "1234"},
            ),
        ],
        "/console/documents/{document_id:id}": [Attempt("GET", f"/console/documents/{b.document_id}")],
    }


def id_routes(platform: Platform) -> set[str]:
    _, routes = console_routes(console_services(platform), console_options(platform.settings))
    return {r.path for r in routes if isinstance(r, Route) and "{" in r.path}


@pytest.fixture
async def tenants(platform: Platform, new_browser: NewBrowser) -> tuple[Objects, Objects]:
    a = await tenant_with_everything(
        platform, await sign_up(platform, new_browser(), "a@example.com"), "+8613800000001"
    )
    b = await tenant_with_everything(
        platform, await sign_up(platform, new_browser(), "b@example.com"), "+8613900000001"
    )
    return a, b


async def test_every_route_with_an_id_is_covered(platform: Platform, tenants: tuple[Objects, Objects]) -> None:
    _, b = tenants
    assert id_routes(platform) == set(attempts_on(b)) | set(NOT_OWNED)


async def test_a_tenant_gets_404_for_every_object_of_another_and_changes_nothing(
    platform: Platform, tenants: tuple[Objects, Objects]
) -> None:
    a, b = tenants
    before = await snapshot(platform)
    failures: list[str] = []
    for route, attempts in attempts_on(b).items():
        for attempt in attempts:
            if attempt.method == "GET":
                response = await a.account.browser.get(attempt.path)
            else:
                response = await a.account.browser.post(
                    attempt.path, attempt.form, files=attempt.files, page="/console"
                )
            if response.status_code != 404:
                failures.append(f"{attempt.method} {attempt.path} ({route}): {response.status_code}")
            for secret in (b.app_key, b.sdk_app_id, "待审签名", "发货通知"):
                if secret in response.text:
                    failures.append(f"{attempt.method} {attempt.path}: shows {secret}")
    assert failures == []
    assert await snapshot(platform) == before


async def test_the_key_actions_refuse_another_tenants_key(platform: Platform, tenants: tuple[Objects, Objects]) -> None:
    a, b = tenants
    before = await snapshot(platform)
    for action in ("disable", "enable", "delete"):
        response = await a.account.browser.post("/console/keys", {"action": action, "key_id": str(b.key_id)})
        assert response.status_code == 404, action
    assert await snapshot(platform) == before
    keys_page = await a.account.browser.get("/console/keys")
    (b_key,) = await platform.accounts.api_keys_of(b.account.tenant_id)
    assert b_key.secret_id not in keys_page.text


async def test_the_records_of_another_tenant_are_not_found_by_serial_or_number(
    platform: Platform, tenants: tuple[Objects, Objects]
) -> None:
    a, b = tenants

    by_serial = await a.account.browser.get("/console/records", serial=b.serial_no)
    by_phone = await a.account.browser.get("/console/records", phone=b.phone)
    everything = await a.account.browser.get("/console/records")

    assert by_serial.status_code == by_phone.status_code == everything.status_code == 200
    assert record_serials(by_serial) == record_serials(by_phone) == []
    assert "No messages match." in by_serial.text
    assert record_serials(everything) == [a.serial_no]  # A does see its own


async def test_a_tenants_lists_show_only_its_own(platform: Platform, tenants: tuple[Objects, Objects]) -> None:
    a, b = tenants
    for path in ("/console", "/console/apps", "/console/signatures", "/console/templates", "/console/keys"):
        page = await a.account.browser.get(path)
        assert page.status_code == 200
        assert b.sdk_app_id not in page.text, path
        for id_link in (
            f"/console/apps/{b.app_id}",
            f"/console/signatures/{b.signature_id}/",
            f"/console/templates/{b.template_id}/",
            f"/console/documents/{b.document_id}",
        ):
            assert id_link not in page.text, path


async def test_a_test_send_through_another_tenants_application_is_refused(
    platform: Platform, tenants: tuple[Objects, Objects]
) -> None:
    a, b = tenants
    before = await snapshot(platform)

    refused = await a.account.browser.post(
        f"/console/templates/{a.approved_template_id}/test",
        {"app": b.sdk_app_id, "sign": "测试科技", "phone": "+8613800000001", "param1": "1234"},
    )

    assert refused.status_code == 400
    assert "The application does not exist." in text_of(refused)
    assert await snapshot(platform) == before


async def test_operator_pages_send_a_tenant_to_the_operators_login(
    platform: Platform, tenants: tuple[Objects, Objects]
) -> None:
    a, b = tenants
    pending = await platform.templates.by_id(b.template_id)
    assert pending is not None
    for path in (
        "/operator",
        "/operator/reviews/template",
        f"/operator/reviews/template/{b.template_id}",
        f"/operator/documents/{b.document_id}",
        "/operator/tenants",
        f"/operator/tenants/{b.account.tenant_id}",
        "/operator/messages",
        "/operator/replies",
        "/operator/outbox",
        "/operator/audit",
    ):
        response = await a.account.browser.get(path)
        assert (response.status_code, response.headers.get("location")) == (303, "/operator/login"), path
    decided = await a.account.browser.post(
        f"/operator/reviews/template/{b.template_id}", {"verdict": "approve"}, page="/console"
    )
    assert (decided.status_code, decided.headers.get("location")) == (303, "/operator/login")
    assert await platform.templates.by_id(b.template_id) == pending
