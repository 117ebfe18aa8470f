"""What customers type is shown as text, never as markup: in their own pages and in the operators'.

One tenant fills every free-text field it has with markup (its e-mail address, names, remarks,
template content, its browser's name) and an operator answers with markup in a reason; then every
page that shows them is checked to hold them escaped and never raw.
"""

from __future__ import annotations

import httpx
import pytest

from smscloud.bootstrap import Platform, ensure_simulator_carrier
from tests.integration.console.conftest import NewBrowser
from tests.support.console import PNG, add_signature, operator_session, send_test_message, sign_up

pytestmark = pytest.mark.integration

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
# Markup is refused in an address (test_signup), but & and braces are allowed there (RFC 5322 atext).
EMAIL = "tom&jerry{1}@example.com"
RAW = ("<script>alert(1)", "<img src=x", "<svg/onload")


def escaped(payload: str) -> str:
    return payload.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&#34;")


def check(page: httpx.Response, *payloads: str, status: int = 200) -> list[str]:
    """What is wrong with the page: another status, markup of a payload raw, or a payload not shown."""
    where = f"{page.request.method} {page.request.url.path}"
    problems = [f"{where}: {page.status_code}"] if page.status_code != status else []
    problems += [f"{where}: raw {raw}" for raw in RAW if raw in page.text]
    problems += [f"{where}: does not show {payload}" for payload in payloads if escaped(payload) not in page.text]
    return problems


async def test_markup_typed_by_a_customer_is_escaped_on_every_page(platform: Platform, new_browser: NewBrowser) -> None:
    await ensure_simulator_carrier(platform)
    reviewer = new_browser()
    await operator_session(platform, reviewer)
    evil = await sign_up(platform, new_browser(user_agent=SCRIPT), EMAIL)
    b = evil.browser
    problems: list[str] = []

    saved = await b.post(
        "/console/profile",
        {
            "kind": "enterprise",
            "name": SCRIPT,
            "contact_name": SCRIPT,
            "contact_phone": "13800000000",
            "contact_email": "evil@example.com",
            "address": IMG,
        },
    )
    assert saved.status_code == 303
    for path in ("/console", "/console/profile"):
        problems += check(await b.get(path), SCRIPT, EMAIL)

    company = f"{IMG}公司"
    qualification = {
        "company_name": company,
        "credit_code": "91350100M000100Y43",
        "contact_name": SCRIPT,
        "contact_phone": "13800000000",
    }
    licence = {"licence": ("licence.png", PNG, "image/png")}
    assert (await b.post("/console/qualification", qualification, files=licence)).status_code == 303
    first = await platform.qualifications.current_of(evil.tenant_id)
    assert first is not None
    problems += check(await reviewer.get("/operator/reviews/qualification"), company, SCRIPT)
    problems += check(await reviewer.get(f"/operator/reviews/qualification/{first.id}"), company, SCRIPT)
    rejected = await reviewer.post(
        f"/operator/reviews/qualification/{first.id}", {"verdict": "reject", "reason": SCRIPT}
    )
    assert rejected.status_code == 303
    problems += check(await b.get("/console/qualification"), company, SCRIPT)
    problems += check(await b.get("/console/sms"), SCRIPT)
    problems += check(await reviewer.get("/operator/outbox"), EMAIL, SCRIPT)
    problems += check(await reviewer.get("/operator/audit"), SCRIPT)
    assert (await b.post("/console/qualification", qualification, files=licence)).status_code == 303
    second = await platform.qualifications.current_of(evil.tenant_id)
    assert second is not None
    await reviewer.post(f"/operator/reviews/qualification/{second.id}", {"verdict": "approve", "reason": SCRIPT})
    assert (await b.post("/console/sms")).status_code == 303
    problems += check(await b.get("/console"), company)  # the account now carries the company's name
    problems += check(await reviewer.get("/operator/tenants"), company)

    created = await b.post("/console/apps", {"name": SCRIPT})
    assert created.status_code == 303
    problems += check(await b.get("/console/apps"), SCRIPT)
    problems += check(await b.get(created.headers["location"]), SCRIPT)

    signature_form = {
        "SignName": "测试科技",
        "International": "0",
        "SignType": "0",
        "DocumentType": "1",
        "SignPurpose": "0",
        "Remark": IMG,
    }
    proof = {"ProofImage": ("proof.png", PNG, "image/png")}
    assert (await b.post("/console/signatures/new", signature_form, files=proof)).status_code == 303
    (signature,) = await platform.signatures.of_tenant(evil.tenant_id)
    problems += check(await b.get("/console/signatures"), IMG)
    problems += check(await b.get(f"/console/signatures/{signature.id}/edit"), IMG)
    problems += check(await reviewer.get("/operator/reviews/signature"), company)
    problems += check(await reviewer.get(f"/operator/reviews/signature/{signature.id}"), IMG, company)
    rejected_sign = await add_signature(platform, evil, "另一签名", remark=SCRIPT)
    await reviewer.post(f"/operator/reviews/signature/{rejected_sign.id}", {"verdict": "reject", "reason": IMG})
    problems += check(await b.get("/console/signatures"), SCRIPT, IMG)
    await reviewer.post(f"/operator/reviews/signature/{signature.id}", {"verdict": "approve"})

    content = f"{IMG}您的验证码是{{1}}"
    template_form = {
        "TemplateName": SCRIPT,
        "TemplateContent": content,
        "SmsType": "3",
        "International": "0",
        "Remark": SCRIPT,
    }
    assert (await b.post("/console/templates/new", template_form)).status_code == 303
    (template,) = await platform.templates.of_tenant(evil.tenant_id)
    problems += check(await b.get("/console/templates"), SCRIPT, content)
    problems += check(await b.get(f"/console/templates/{template.id}/edit"), SCRIPT, content)
    problems += check(await reviewer.get("/operator/reviews/template"), SCRIPT, content)
    problems += check(await reviewer.get(f"/operator/reviews/template/{template.id}"), SCRIPT, content)
    await reviewer.post(f"/operator/reviews/template/{template.id}", {"verdict": "reject", "reason": IMG})
    problems += check(await b.get("/console/templates"), IMG)
    assert (await b.post(f"/console/templates/{template.id}/edit", template_form)).status_code == 303
    await reviewer.post(f"/operator/reviews/template/{template.id}", {"verdict": "approve"})
    problems += check(await b.get(f"/console/templates/{template.id}/test"), SCRIPT, content, SCRIPT)

    serial = await send_test_message(evil, template.id, "+8613800000001", "1234")
    problems += check(await b.get("/console/records", serial=serial), f"【测试科技】{IMG}您的验证码是1234", SCRIPT)
    problems += check(await b.get("/console/records", phone=IMG), IMG, status=400)  # the filter, not a number
    problems += check(await b.get("/console/security"), SCRIPT, EMAIL)
    problems += check(await reviewer.get("/operator/audit"), IMG)
    problems += check(await reviewer.get("/operator"))

    assert problems == []
