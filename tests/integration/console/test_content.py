"""Signatures and templates through the console: submit with field errors, review by an operator,
modify (back to review), delete; a test send and the send records with their filters."""

from __future__ import annotations

import html
import re
from collections.abc import Awaitable, Callable

import httpx
import pytest

from smscloud.bootstrap import Platform, ensure_simulator_carrier
from smscloud.domain.audit.model import Actor
from smscloud.domain.messages.model import MessageStatus
from smscloud.domain.reviews.model import Decision
from smscloud.domain.shared.clock import FixedClock
from smscloud.domain.shared.review import ReviewStatus
from smscloud.domain.signatures.model import Signature
from smscloud.domain.templates.model import SmsType, Template
from tests.integration.console.conftest import NewBrowser
from tests.support.console import (
    PDF,
    PNG,
    Account,
    Browser,
    add_template,
    approved_content,
    complete_profile,
    enable_sms,
    field_errors,
    notice,
    operator_session,
    problem,
    record_serials,
    send_test_message,
    snapshot,
    text_of,
    with_files_again,
)

pytestmark = pytest.mark.integration

NewAccount = Callable[[str], Awaitable[Account]]
Files = dict[str, tuple[str, bytes, str]]
SIGNATURE = {
    "SignName": "福州测试",
    "International": "0",
    "SignType": "0",
    "DocumentType": "1",
    "SignPurpose": "0",
    "Remark": "我们公司的简称",
}
PROOF: Files = {"ProofImage": ("营业执照.png", PNG, "image/png")}
TEMPLATE = {
    "TemplateName": "发货通知",
    "TemplateContent": "您的订单{1}已发货，快递单号{2}。",
    "SmsType": "2",
    "International": "0",
    "Remark": "下单后发送",
}


@pytest.fixture
async def ann(platform: Platform, new_account: NewAccount) -> Account:
    account = await new_account("ann@example.com")
    await enable_sms(platform, account)
    return account


@pytest.fixture
async def reviewer(platform: Platform, new_browser: NewBrowser) -> Browser:
    browser = new_browser()
    await operator_session(platform, browser)
    return browser


# --- signatures ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "files", "field", "says"),
    [
        ({"SignName": "【腾讯】"}, PROOF, "SignName", "may only hold Chinese characters, letters and digits"),
        ({"SignName": "验证码"}, PROOF, "SignName", "a generic name does not identify a company or product"),
        ({"SignName": "福"}, PROOF, "SignName", "must be 2 to 12 characters"),
        ({"SignType": "1"}, PROOF, "SignType", "this signature type is no longer accepted"),
        ({"SignType": "x"}, PROOF, "SignType", "choose a signature type"),
        ({"SignType": "4"}, PROOF, "DocumentType", "this document does not prove a signature of this type"),
        ({}, None, "ProofImage", "a proof document is required"),
        (
            {},
            {"ProofImage": ("proof.gif", b"GIF89a" + bytes(9), "image/gif")},
            "ProofImage",
            "must be a JPEG, PNG or PDF file",
        ),
        (
            {"SignPurpose": "1"},
            PROOF,
            "CommissionImage",
            "a power of attorney is required for a signature used on behalf of others",
        ),
        (
            {"SignPurpose": "1"},
            {**PROOF, "CommissionImage": ("letter.txt", b"hello", "text/plain")},
            "CommissionImage",
            "must be a JPEG, PNG or PDF file",
        ),
        ({"Remark": "长" * 501}, PROOF, "Remark", "must be at most 500 characters"),
    ],
)
async def test_a_signature_with_a_mistake_shows_it_next_to_the_field_and_stores_nothing(
    platform: Platform, ann: Account, change: dict[str, str], files: Files | None, field: str, says: str
) -> None:
    before = await snapshot(platform)

    page = await ann.browser.post("/console/signatures/new", {**SIGNATURE, **change}, files=files)

    assert page.status_code == 400
    assert field_errors(page) == with_files_again({field: says}, files)
    assert f'value="{SIGNATURE["SignName"] if "SignName" not in change else change["SignName"]}"' in page.text
    assert await snapshot(platform) == before


@pytest.mark.parametrize("field", ["SignType", "DocumentType", "SignPurpose"])
async def test_a_value_that_is_not_offered_is_refused_at_its_field_with_the_other_mistakes(
    platform: Platform, ann: Account, field: str
) -> None:
    """A hand-made request: the choice that names nothing is said next to it, and the rest of the
    form is still checked."""
    page = await ann.browser.post(
        "/console/signatures/new", {**SIGNATURE, field: "9", "SignName": "福", "Remark": "长" * 501}, files=PROOF
    )

    assert page.status_code == 400
    assert problem(page) == ""
    assert field_errors(page) == with_files_again(
        {
            field: "Choose one of the offered values.",
            "SignName": "must be 2 to 12 characters",
            "Remark": "must be at most 500 characters",
        },
        PROOF,
    )
    assert await platform.signatures.of_tenant(ann.tenant_id) == []


async def test_a_signature_from_submission_through_review_modification_and_deletion(
    platform: Platform, ann: Account, reviewer: Browser
) -> None:
    submitted = await ann.browser.post("/console/signatures/new", SIGNATURE, files=PROOF)
    assert submitted.status_code == 303
    assert submitted.headers["location"] == "/console/signatures?done=signature_submitted"
    (signature,) = await platform.signatures.of_tenant(ann.tenant_id)
    assert (signature.name, signature.status, signature.remark) == ("福州测试", ReviewStatus.PENDING, "我们公司的简称")
    assert signature.qualification_id is not None  # the approved qualification is attached
    page = await ann.browser.get(submitted.headers["location"])
    assert notice(page) == "The signature is submitted for review."
    card = _card(page, "福州测试")
    assert "【福州测试】" in card and "Under review" in card
    assert f'href="/console/signatures/{signature.id}/edit"' in card
    proof = await ann.browser.get(f"/console/documents/{signature.proof_document_id}")
    assert (proof.status_code, proof.headers["content-type"], proof.content) == (200, "image/png", PNG)

    # The operator rejects it with a reason; the customer reads it.
    queue = await reviewer.get("/operator/reviews/signature")
    assert "【福州测试】" in queue.text
    review_path = f"/operator/reviews/signature/{signature.id}"
    review = await reviewer.get(review_path)
    assert (
        "我们公司的简称" in review.text and f'href="/operator/documents/{signature.proof_document_id}"' in review.text
    )
    assert "福州测试科技有限公司" in review.text  # the approved qualification
    rejected = await reviewer.post(review_path, {"verdict": "reject", "reason": "请上传清晰的证明"})
    assert rejected.status_code == 303
    card = _card(await ann.browser.get("/console/signatures"), "福州测试")
    assert "Rejected" in card and "Reason: 请上传清晰的证明" in text_of_html(card)
    audit = await reviewer.get("/operator/audit")
    row = _row(audit, "signature.reject")
    assert "2026-03-10 12:00:00" in row and "reviewer@example.com" in row and "请上传清晰的证明" in row
    assert "请上传清晰的证明" in (await reviewer.get(review_path)).text  # the review page's history

    # Modified (keeping its proof): back to review.
    form = await ann.browser.get(f"/console/signatures/{signature.id}/edit")
    assert 'value="福州测试"' in form.text and "我们公司的简称" in form.text
    modified = await ann.browser.post(f"/console/signatures/{signature.id}/edit", {**SIGNATURE, "Remark": "新的说明"})
    assert modified.status_code == 303
    again = await platform.signatures.get(tenant_id=ann.tenant_id, signature_id=signature.id)
    assert again is not None
    assert (again.status, again.remark, again.proof_document_id) == (
        ReviewStatus.PENDING,
        "新的说明",
        signature.proof_document_id,
    )
    assert "Under review" in _card(await ann.browser.get("/console/signatures"), "福州测试")

    # Approved: it can no longer be modified, only deleted.
    approved = await reviewer.post(review_path, {"verdict": "approve"})
    assert approved.status_code == 303
    card = _card(await ann.browser.get("/console/signatures"), "福州测试")
    assert "Approved" in card and "/edit" not in card
    refused = await ann.browser.post(f"/console/signatures/{signature.id}/edit", SIGNATURE)
    assert refused.status_code == 409
    assert problem(refused) == "An approved signature cannot be modified; submit a new one."
    deleted = await ann.browser.post(f"/console/signatures/{signature.id}/delete", page="/console/signatures")
    assert deleted.headers["location"] == "/console/signatures?done=signature_deleted"
    assert await platform.signatures.of_tenant(ann.tenant_id) == []
    assert "No signatures yet." in (await ann.browser.get("/console/signatures")).text


async def test_a_name_waiting_for_review_cannot_be_submitted_twice(platform: Platform, ann: Account) -> None:
    await ann.browser.post("/console/signatures/new", SIGNATURE, files=PROOF)

    page = await ann.browser.post("/console/signatures/new", SIGNATURE, files=PROOF)

    assert page.status_code == 409
    assert field_errors(page) == with_files_again({"SignName": "This signature is already waiting for review."}, PROOF)
    assert len(await platform.signatures.of_tenant(ann.tenant_id)) == 1


async def test_a_signature_refused_after_its_files_are_read_leaves_no_document(
    platform: Platform, ann: Account, reviewer: Browser
) -> None:
    async def documents() -> list[str]:
        return (await snapshot(platform))["document"]

    await ann.browser.post("/console/signatures/new", SIGNATURE, files=PROOF)
    (signature,) = await platform.signatures.of_tenant(ann.tenant_id)
    stored = await documents()
    files: Files = {**PROOF, "CommissionImage": ("授权书.pdf", PDF, "application/pdf")}
    on_behalf = {**SIGNATURE, "SignPurpose": "1"}

    duplicate = await ann.browser.post("/console/signatures/new", on_behalf, files=files)
    assert duplicate.status_code == 409
    assert field_errors(duplicate) == with_files_again(
        {"SignName": "This signature is already waiting for review."}, files
    )
    await reviewer.post(f"/operator/reviews/signature/{signature.id}", {"verdict": "approve"})
    modified = await ann.browser.post(f"/console/signatures/{signature.id}/edit", on_behalf, files=files)
    assert modified.status_code == 409
    assert problem(modified) == "An approved signature cannot be modified; submit a new one."

    assert await documents() == stored


async def test_a_signature_on_behalf_of_others_carries_its_power_of_attorney(platform: Platform, ann: Account) -> None:
    files: Files = {**PROOF, "CommissionImage": ("授权书.pdf", PDF, "application/pdf")}

    submitted = await ann.browser.post("/console/signatures/new", {**SIGNATURE, "SignPurpose": "1"}, files=files)

    assert submitted.status_code == 303
    (signature,) = await platform.signatures.of_tenant(ann.tenant_id)
    assert signature.commission_document_id is not None
    letter = await ann.browser.get(f"/console/documents/{signature.commission_document_id}")
    assert (letter.status_code, letter.headers["content-type"], letter.content) == (200, "application/pdf", PDF)


# --- templates ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "field", "says"),
    [
        ({"TemplateName": " "}, "TemplateName", "must be 1 to 128 characters"),
        ({"TemplateContent": ""}, "TemplateContent", "must not be empty"),
        (
            {"TemplateContent": "【腾讯】您的订单{1}已发货"},
            "TemplateContent",
            "must not contain 【 or 】: the signature is added when sending",
        ),
        (
            {"TemplateContent": "您的订单{1}已发货{3}"},
            "TemplateContent",
            "parameters must be numbered {1}, {2}, … without gaps",
        ),
        ({"TemplateContent": "您的订单{1}{2}"}, "TemplateContent", "two parameters may not be adjacent"),
        ({"SmsType": "1"}, "TemplateContent", "a marketing template must end with 拒收请回复R"),
        ({"SmsType": "x"}, "SmsType", "choose a template type"),
        ({"SmsType": "9"}, "SmsType", "Choose one of the offered values."),
        ({"Remark": "长" * 501}, "Remark", "must be at most 500 characters"),
        ({"TemplateName": "发货\x1b通知"}, "TemplateName", "must not contain control characters"),
        ({"TemplateContent": "您的订单{1}\u202e已发货"}, "TemplateContent", "must not contain control characters"),
        ({"Remark": "下单后\x07发送"}, "Remark", "must not contain control characters"),
    ],
)
async def test_a_template_with_a_mistake_shows_it_next_to_the_field_and_stores_nothing(
    platform: Platform, ann: Account, change: dict[str, str], field: str, says: str
) -> None:
    before = await snapshot(platform)

    page = await ann.browser.post("/console/templates/new", {**TEMPLATE, **change})

    assert page.status_code == 400
    assert field_errors(page) == {field: says}
    assert await snapshot(platform) == before


@pytest.mark.parametrize("sms_type", ["", "9"])
async def test_a_template_without_a_known_type_says_so_with_the_other_fields_problems(
    platform: Platform, ann: Account, sms_type: str
) -> None:
    before = await snapshot(platform)

    page = await ann.browser.post(
        "/console/templates/new", {**TEMPLATE, "SmsType": sms_type, "TemplateName": "", "TemplateContent": ""}
    )

    assert page.status_code == 400
    assert field_errors(page) == {
        "SmsType": "choose a template type" if sms_type == "" else "Choose one of the offered values.",
        "TemplateName": "must be 1 to 128 characters",
        "TemplateContent": "must not be empty",
    }
    assert await snapshot(platform) == before


async def test_every_wrong_field_of_a_signature_shows_at_once(platform: Platform, ann: Account) -> None:
    before = await snapshot(platform)

    page = await ann.browser.post(
        "/console/signatures/new", {**SIGNATURE, "SignName": "A", "SignPurpose": "1", "Remark": "长" * 501}
    )

    assert page.status_code == 400
    assert field_errors(page) == {
        "SignName": "must be 2 to 12 characters",
        "ProofImage": "a proof document is required",
        "CommissionImage": "a power of attorney is required for a signature used on behalf of others",
        "Remark": "must be at most 500 characters",
    }
    assert await snapshot(platform) == before


async def test_every_wrong_field_of_a_template_shows_at_once(platform: Platform, ann: Account) -> None:
    before = await snapshot(platform)

    page = await ann.browser.post(
        "/console/templates/new", {**TEMPLATE, "TemplateName": " ", "TemplateContent": "", "Remark": "长" * 501}
    )

    assert page.status_code == 400
    assert field_errors(page) == {
        "TemplateName": "must be 1 to 128 characters",
        "TemplateContent": "must not be empty",
        "Remark": "must be at most 500 characters",
    }
    assert await snapshot(platform) == before


async def test_an_individual_cannot_create_a_marketing_template(platform: Platform, new_account: NewAccount) -> None:
    from smscloud.domain.accounts.model import TenantKind

    dan = await new_account("dan@example.com")
    await complete_profile(platform, dan, kind=TenantKind.INDIVIDUAL, name="Dan")
    assert (await dan.browser.post("/console/sms", {})).status_code == 303  # an individual may apply at once
    marketing = {**TEMPLATE, "SmsType": "1", "TemplateContent": "春季大促全场八折，拒收请回复R"}

    page = await dan.browser.post("/console/templates/new", marketing)

    assert page.status_code == 403
    assert field_errors(page) == {"SmsType": "Individual accounts may not create marketing templates."}
    assert await platform.templates.of_tenant(dan.tenant_id) == []


async def test_signatures_and_templates_wait_for_the_sms_service(platform: Platform, new_account: NewAccount) -> None:
    erin = await new_account("erin@example.com")
    await complete_profile(platform, erin)  # an enterprise, its qualification not even submitted
    before = await snapshot(platform)

    form = await erin.browser.get("/console/templates/new")
    assert problem(form) == "Apply for the SMS service before submitting templates."
    page = await erin.browser.post("/console/templates/new", TEMPLATE)
    assert page.status_code == 403
    assert problem(page) == "Apply for the SMS service before submitting templates."
    form = await erin.browser.get("/console/signatures/new")
    assert problem(form) == "Apply for the SMS service before submitting signatures."
    assert "/console/signatures/new" not in (await erin.browser.get("/console")).text
    assert await snapshot(platform) == before


async def test_the_test_page_of_a_template_not_approved_says_so_instead_of_offering_the_form(
    platform: Platform, ann: Account
) -> None:
    await approved_content(platform, ann)
    await ann.browser.post("/console/apps", {"name": "shop"})
    pending = await add_template(platform, ann, "您的订单{1}已发货。", name="发货通知", sms_type=SmsType.NOTIFICATION)
    rejected = await add_template(
        platform, ann, "您好{1}", name="问候", sms_type=SmsType.NOTIFICATION, decision=Decision.rejected("太短")
    )

    waiting = await ann.browser.get(f"/console/templates/{pending.id}/test")
    refused = await ann.browser.get(f"/console/templates/{rejected.id}/test")

    for page in (waiting, refused):
        assert page.status_code == 200
        assert 'name="phone"' not in page.text and '<form method="post" class="stack card"' not in page.text
        assert "Only an approved template can be sent." in text_of(page)
    assert "This template is waiting for review: it can be sent once it is approved." in text_of(waiting)
    assert "This template was rejected: modify it and submit it again." in text_of(refused)
    assert f'href="/console/templates/{rejected.id}/edit"' in refused.text
    (approved,) = [t for t in await platform.templates.of_tenant(ann.tenant_id) if t.status is ReviewStatus.APPROVED]
    assert 'name="phone"' in (await ann.browser.get(f"/console/templates/{approved.id}/test")).text


async def test_a_template_from_submission_through_review_and_modification_to_a_test_send(
    platform: Platform, ann: Account, reviewer: Browser
) -> None:
    await ensure_simulator_carrier(platform)
    await approved_content(platform, ann)  # an approved signature 测试科技 (and a template)
    await ann.browser.post("/console/apps", {"name": "shop"})

    submitted = await ann.browser.post("/console/templates/new", TEMPLATE)
    assert submitted.headers["location"] == "/console/templates?done=template_submitted"
    template = next(t for t in await platform.templates.of_tenant(ann.tenant_id) if t.name == "发货通知")
    assert (template.status, template.parameters, template.remark) == (ReviewStatus.PENDING, 2, "下单后发送")
    row = _template_row(await ann.browser.get("/console/templates"), template.id)
    assert "Under review" in row and f"/console/templates/{template.id}/edit" in row and "/test" not in row
    pending_send = await ann.browser.post(
        f"/console/templates/{template.id}/test", {"phone": "+8613800000001", "param1": "A1", "param2": "SF1"}
    )
    assert pending_send.status_code == 409
    assert problem(pending_send) == "Only an approved template can be sent."

    review_path = f"/operator/reviews/template/{template.id}"
    queue = await reviewer.get("/operator/reviews/template")
    assert "您的订单{1}已发货，快递单号{2}。" in queue.text
    assert (await reviewer.post(review_path, {"verdict": "reject", "reason": "请说明快递公司"})).status_code == 303
    row = _template_row(await ann.browser.get("/console/templates"), template.id)
    assert "Rejected" in row and "请说明快递公司" in row
    audit_row = _row(await reviewer.get("/operator/audit"), "template.reject")
    assert "reviewer@example.com" in audit_row and "2026-03-10 12:00:00" in audit_row

    edit_form = await ann.browser.get(f"/console/templates/{template.id}/edit")
    assert "您的订单{1}已发货，快递单号{2}。" in edit_form.text
    modified = await ann.browser.post(
        f"/console/templates/{template.id}/edit", {**TEMPLATE, "TemplateContent": "您的订单{1}已由顺丰发货，单号{2}。"}
    )
    assert modified.status_code == 303
    again = await platform.templates.get(tenant_id=ann.tenant_id, template_id=template.id)
    assert again is not None and again.status is ReviewStatus.PENDING and "顺丰" in again.content

    assert (await reviewer.post(review_path, {"verdict": "approve"})).status_code == 303
    row = _template_row(await ann.browser.get("/console/templates"), template.id)
    assert "Approved" in row and f"/console/templates/{template.id}/test" in row and "/edit" not in row
    refused = await ann.browser.post(f"/console/templates/{template.id}/edit", TEMPLATE)
    assert refused.status_code == 409
    assert problem(refused) == "An approved template cannot be modified; submit a new one."

    (app,) = await platform.apps.of_tenant(ann.tenant_id)
    test_page = await ann.browser.get(f"/console/templates/{template.id}/test")
    assert 'name="param1"' in test_page.text and 'name="param2"' in test_page.text
    no_phone = await ann.browser.post(
        f"/console/templates/{template.id}/test", {"sign": "测试科技", "phone": " ", "param1": "A1", "param2": "SF1"}
    )
    assert no_phone.status_code == 400
    assert field_errors(no_phone) == {"phone": "Enter a phone number."}
    with_link = await ann.browser.post(
        f"/console/templates/{template.id}/test",
        {
            "app": app.sdk_app_id,
            "sign": "测试科技",
            "phone": "+8613800000001",
            "param1": "http://x.example",
            "param2": "SF1.5",  # a dot, but no link: not marked
        },
    )
    assert with_link.status_code == 400
    assert problem(with_link) == ""
    assert field_errors(with_link) == {"param1": "Parameters may not hold links."}
    both = await ann.browser.post(  # a bad number and a bad parameter: both said at once
        f"/console/templates/{template.id}/test",
        {"app": app.sdk_app_id, "sign": "测试科技", "phone": "12345", "param1": "www.x.example", "param2": "SF1"},
    )
    assert both.status_code == 400
    assert set(field_errors(both)) == {"phone", "param1"}
    assert field_errors(both)["param1"] == "Parameters may not hold links."
    serial = await send_test_message(ann, template.id, "+8613800000001", "A1", "SF1")
    records = await ann.browser.get(f"/console/records?serial={serial}&done=test_sent")
    assert notice(records) == "The test message is accepted; its status is below."
    assert record_serials(records) == [serial]
    row = _record_row(records, serial)
    assert "【测试科技】您的订单A1已由顺丰发货，单号SF1。" in row and "+8613800000001" in row and "Queued" in row

    deleted = await ann.browser.post(f"/console/templates/{template.id}/delete", page="/console/templates")
    assert deleted.headers["location"] == "/console/templates?done=template_deleted"
    assert template.id not in {t.id for t in await platform.templates.of_tenant(ann.tenant_id)}


async def test_a_template_changed_after_the_reviewer_opened_it_is_not_approved(
    platform: Platform, ann: Account, reviewer: Browser, clock: FixedClock
) -> None:
    """The reviewer approves what they saw, or nothing: the customer cannot slip other text past
    a review page that is already open."""
    await ann.browser.post("/console/templates/new", TEMPLATE)
    (template,) = await platform.templates.of_tenant(ann.tenant_id)
    review_path = f"/operator/reviews/template/{template.id}"
    opened = await reviewer.get(review_path)
    seen = re.search(r'name="seen" value="([^"]+)"', opened.text)
    assert seen is not None and "您的订单{1}已发货，快递单号{2}。" in opened.text

    clock.advance(5)
    swapped = {**TEMPLATE, "TemplateContent": "您的订单{1}已发货，领取红包点击{2}。"}
    assert (await ann.browser.post(f"/console/templates/{template.id}/edit", swapped)).status_code == 303

    stale = await reviewer.post(review_path, {"verdict": "approve", "seen": seen.group(1)})
    assert stale.status_code == 409
    assert problem(stale) == "The customer changed this after you opened it. Review it again."
    assert "领取红包点击{2}" in stale.text  # the page now shows what is really waiting
    current = await platform.templates.get(tenant_id=ann.tenant_id, template_id=template.id)
    assert current is not None and current.status is ReviewStatus.PENDING
    assert "template.approve" not in (await reviewer.get("/operator/audit")).text

    assert (await reviewer.post(review_path, {"verdict": "reject", "reason": "不得含红包诱导"})).status_code == 303
    decided = await platform.templates.get(tenant_id=ann.tenant_id, template_id=template.id)
    assert decided is not None and decided.status is ReviewStatus.REJECTED


async def test_a_template_deleted_while_the_reviewer_reads_it_leads_back_to_the_queue(
    platform: Platform, ann: Account, reviewer: Browser
) -> None:
    await ann.browser.post("/console/templates/new", TEMPLATE)
    (template,) = await platform.templates.of_tenant(ann.tenant_id)
    review_path = f"/operator/reviews/template/{template.id}"
    opened = await reviewer.get(review_path)
    seen = re.search(r'name="seen" value="([^"]+)"', opened.text)
    assert seen is not None

    deleted = await ann.browser.post(f"/console/templates/{template.id}/delete", page="/console/templates")
    assert deleted.status_code == 303

    late = await reviewer.post(
        review_path, {"verdict": "approve", "seen": seen.group(1)}, page="/operator/reviews/template"
    )
    assert late.status_code == 303
    assert late.headers["location"] == "/operator/reviews/template?done=withdrawn"
    queue = await reviewer.get(late.headers["location"])
    assert notice(queue) == "The customer deleted that request before the decision: there is nothing to decide."
    assert "template.approve" not in (await reviewer.get("/operator/audit")).text
    no_reason = await reviewer.post(
        review_path, {"verdict": "reject", "reason": "", "seen": seen.group(1)}, page="/operator/reviews/template"
    )
    assert no_reason.headers["location"] == "/operator/reviews/template?done=withdrawn"


@pytest.mark.parametrize("kind", ["template", "signature"])
@pytest.mark.parametrize("reason", ["", "  ", "长" * 501, "\x07", "内容不符"])
async def test_a_decision_on_what_someone_decided_meanwhile_says_so_whatever_its_reason(
    platform: Platform, ann: Account, reviewer: Browser, kind: str, reason: str
) -> None:
    """The reason's field is gone once the item is decided: a stale page's decision is told that
    the item no longer waits, not sent back with a problem the page cannot show."""
    if kind == "template":
        await ann.browser.post("/console/templates/new", TEMPLATE)
        item_id = (await platform.templates.of_tenant(ann.tenant_id))[0].id
    else:
        await ann.browser.post("/console/signatures/new", SIGNATURE, files=PROOF)
        item_id = (await platform.signatures.of_tenant(ann.tenant_id))[0].id
    review_path = f"/operator/reviews/{kind}/{item_id}"
    seen = re.search(r'name="seen" value="([^"]+)"', (await reviewer.get(review_path)).text)
    assert seen is not None
    other, approved = Actor.system(), Decision.approved()  # another reviewer, meanwhile
    if kind == "template":
        decided = (await platform.reviews.decide_template(actor=other, template_id=item_id, decision=approved)).status
    else:
        decided = (await platform.reviews.decide_signature(actor=other, signature_id=item_id, decision=approved)).status
    assert decided is ReviewStatus.APPROVED

    page = await reviewer.post(review_path, {"verdict": "reject", "reason": reason, "seen": seen.group(1)})

    assert page.status_code == 409
    assert problem(page) == "This is not waiting for review any more: someone decided, or it was changed."
    assert field_errors(page) == {}
    still: Template | Signature | None
    if kind == "template":
        still = await platform.templates.get(tenant_id=ann.tenant_id, template_id=item_id)
    else:
        still = await platform.signatures.get(tenant_id=ann.tenant_id, signature_id=item_id)
    assert still is not None and still.status is ReviewStatus.APPROVED


async def test_a_review_reason_may_have_several_lines_but_no_other_control_characters(
    platform: Platform, ann: Account, reviewer: Browser
) -> None:
    await ann.browser.post("/console/templates/new", TEMPLATE)
    (template,) = await platform.templates.of_tenant(ann.tenant_id)
    review_path = f"/operator/reviews/template/{template.id}"

    refused = await reviewer.post(review_path, {"verdict": "reject", "reason": "请说明\u202e快递公司"})
    assert refused.status_code == 400
    assert field_errors(refused) == {"reason": "must not contain control characters"}
    rejected = await reviewer.post(review_path, {"verdict": "reject", "reason": "请说明：\r\n1. 快递公司"})
    assert rejected.status_code == 303
    decided = await platform.templates.get(tenant_id=ann.tenant_id, template_id=template.id)
    assert decided is not None and decided.status is ReviewStatus.REJECTED


def _title(page: httpx.Response) -> str:
    found = re.search(r"<title>(.*?)</title>", page.text, re.S)
    assert found is not None
    return html.unescape(found.group(1))


async def test_each_form_and_review_page_is_titled_with_what_it_is(
    platform: Platform, ann: Account, reviewer: Browser
) -> None:
    await ann.browser.post("/console/templates/new", TEMPLATE)
    (template,) = await platform.templates.of_tenant(ann.tenant_id)
    await ann.browser.post("/console/signatures/new", SIGNATURE, files=PROOF)
    (signature,) = await platform.signatures.of_tenant(ann.tenant_id)
    qualification = await platform.qualifications.current_of(ann.tenant_id)
    assert qualification is not None

    titles = {
        path: _title(await ann.browser.get(path))
        for path in (
            "/console/signatures/new",
            f"/console/signatures/{signature.id}/edit",
            "/console/templates/new",
            f"/console/templates/{template.id}/edit",
        )
    }
    assert list(titles.values()) == [
        "Create a signature · smscloud",
        "Modify the signature · smscloud",
        "Create a template · smscloud",
        "Modify the template · smscloud",
    ]
    assert [
        _title(await reviewer.get(f"/operator/reviews/{kind}/{item_id}"))
        for kind, item_id in (
            ("qualification", qualification.id),
            ("signature", signature.id),
            ("template", template.id),
        )
    ] == [
        "Qualification review: 福州测试科技有限公司 · smscloud",
        "Signature review: 福州测试 · smscloud",
        "Template review: 发货通知 · smscloud",
    ]


async def test_the_send_records_filter_by_number_status_and_date(platform: Platform, ann: Account) -> None:
    _, template = await approved_content(platform, ann)
    await ann.browser.post("/console/apps", {"name": "shop"})
    first = await send_test_message(ann, template.id, "+8613800000001", "1234")
    second = await send_test_message(ann, template.id, "13900000002", "5678")

    async def shown(**query: str) -> list[str]:
        page = await ann.browser.get("/console/records", **query)
        assert page.status_code == 200, text_of(page)
        return record_serials(page)

    assert sorted(await shown()) == sorted([first, second])
    assert await shown(phone="13800000001") == [first]  # as the API reads it: a mainland number
    assert await shown(phone="+8613900000002") == [second]
    assert await shown(phone="+8613700000000") == []
    assert sorted(await shown(status=MessageStatus.QUEUED.value)) == sorted([first, second])
    assert await shown(status=MessageStatus.DELIVERED.value) == []
    assert sorted(await shown(since="2026-03-10", until="2026-03-10")) == sorted([first, second])
    assert await shown(since="2026-03-11") == []
    assert await shown(until="2026-03-09") == []
    assert sorted(await shown(since="0001-01-01", until="9999-12-31")) == sorted([first, second])
    assert await shown(since="9999-12-31") == await shown(until="0001-01-01") == []
    assert await shown(serial=second) == [second]

    for query, field, says in (
        ({"since": "10/03/2026"}, "since", "Enter a date as YYYY-MM-DD."),
        ({"status": "lost"}, "status", "Choose one of the offered values."),
        ({"phone": "call me"}, "phone", "This is not a phone number."),
        ({"since": "2026-12-01", "until": "2026-11-01"}, "until", "The end date is before the start date."),
    ):
        page = await ann.browser.get("/console/records", **query)
        assert page.status_code == 400
        assert field_errors(page) == {field: says}
        assert record_serials(page) == []


# --- helpers ------------------------------------------------------------------------------------


def text_of_html(fragment: str) -> str:
    return re.sub(r"<[^>]+>", "", fragment)


def _card(page: httpx.Response, name: str) -> str:
    found = re.search(rf'<article class="card" aria-label="{re.escape(name)}">(.*?)</article>', page.text, re.S)
    assert found is not None, f"no card of {name}"
    return found.group(1)


def _template_row(page: httpx.Response, template_id: int) -> str:
    found = re.search(rf"<tr>\s*<td[^>]*><code>{template_id}</code></td>(.*?)</tr>", page.text, re.S)
    assert found is not None, f"no row of template {template_id}"
    return found.group(1)


def _record_row(page: httpx.Response, serial: str) -> str:
    found = re.search(rf'<tr data-serial="{re.escape(serial)}">(.*?)</tr>', page.text, re.S)
    assert found is not None
    return found.group(1)


def _row(page: httpx.Response, action: str) -> str:
    rows: list[str] = re.findall(rf'<tr data-action="{re.escape(action)}">(.*?)</tr>', page.text, re.S)
    assert rows, f"no {action} row"
    return rows[0]


async def test_replies_to_the_tenants_messages_are_listed_and_only_its_own(
    platform: Platform, ann: Account, new_account: NewAccount
) -> None:
    from tests.support.builders import message_row

    _, template = await approved_content(platform, ann)
    await ann.browser.post("/console/apps", {"name": "shop"})
    serial = await send_test_message(ann, template.id, "+8613800000001", "1234")
    row = await message_row(platform.db, serial)
    now = platform.clock.now()
    await platform.receipts.store_reply(
        carrier_id=row.carrier_id, source_addr="8613800000001", destination_addr="", text="<b>收到</b>", now=now
    )
    await platform.receipts.store_reply(
        carrier_id=row.carrier_id, source_addr="8613900000009", destination_addr="", text="nobody's", now=now
    )

    page = await ann.browser.get("/console/replies")
    assert page.status_code == 200
    assert "&lt;b&gt;收到&lt;/b&gt;" in page.text and "+8613800000001" in page.text and "shop" in page.text
    assert "nobody" not in page.text
    assert "收到" not in (await ann.browser.get("/console/replies", phone="13900000009")).text
    assert (await ann.browser.get("/console/replies", phone="x")).status_code == 400
    bob = await new_account("bob@example.com")
    await enable_sms(platform, bob, credit_code="91350100M000100Y43")
    assert "收到" not in (await bob.browser.get("/console/replies")).text


@pytest.mark.parametrize("seen", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-23:59", "yesterday"])
async def test_a_decision_naming_no_possible_submission_is_refused(
    platform: Platform, ann: Account, reviewer: Browser, seen: str
) -> None:
    await ann.browser.post("/console/templates/new", TEMPLATE)
    (template,) = await platform.templates.of_tenant(ann.tenant_id)

    page = await reviewer.post(f"/operator/reviews/template/{template.id}", {"verdict": "approve", "seen": seen})

    assert page.status_code == 400
    assert field_errors(page) == {"reason": "the form is incomplete; reload the page and decide again"}
    still = await platform.templates.get(tenant_id=ann.tenant_id, template_id=template.id)
    assert still is not None and still.status is ReviewStatus.PENDING
