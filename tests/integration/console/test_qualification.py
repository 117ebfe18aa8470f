"""From a new account to SMS enabled: the profile, the enterprise qualification and its review, and
applying for the SMS service."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

import pytest

from smscloud.bootstrap import Platform
from smscloud.domain.accounts.model import TenantKind
from smscloud.domain.shared.clock import FixedClock
from smscloud.domain.shared.review import ReviewStatus
from tests.integration.console.conftest import NewBrowser
from tests.support.console import (
    CREDIT_CODE,
    PDF,
    PNG,
    Account,
    complete_profile,
    enable_sms,
    field_errors,
    notice,
    operator_session,
    problem,
    snapshot,
    text_of,
    with_files_again,
)

pytestmark = pytest.mark.integration

NewAccount = Callable[[str], Awaitable[Account]]
OTHER_CREDIT_CODE = "91440300708461136T"
PROFILE = {
    "kind": "enterprise",
    "name": "福州测试科技有限公司",
    "contact_name": "张三",
    "contact_phone": "13800000000",
    "contact_email": "ann@example.com",
    "address": "",
}
QUALIFICATION = {
    "company_name": "福州测试科技有限公司",
    "credit_code": CREDIT_CODE,
    "contact_name": "张三",
    "contact_phone": "13800000000",
}


def licence(
    data: bytes = PNG, name: str = "licence.png", content_type: str = "image/png"
) -> dict[str, tuple[str, bytes, str]]:
    return {"licence": (name, data, content_type)}


async def test_the_sms_page_says_what_is_missing_and_refuses_until_it_is_there(
    platform: Platform, new_account: NewAccount
) -> None:
    ann = await new_account("ann@example.com")

    page = await ann.browser.get("/console/sms")
    assert page.status_code == 200
    assert "the profile is not complete" in text_of(page)
    refused = await ann.browser.post("/console/sms", page="/console")
    assert refused.status_code == 400
    assert not (await ann.tenant(platform)).sms_enabled

    await complete_profile(platform, ann)  # an enterprise now
    page = await ann.browser.get("/console/sms")
    assert "the enterprise qualification is not submitted or was rejected" in text_of(page)
    assert "the profile is not complete" not in text_of(page)
    assert 'href="/console/qualification"' in page.text


async def test_an_individual_needs_only_the_profile(platform: Platform, new_account: NewAccount) -> None:
    ann = await new_account("ann@example.com")

    saved = await ann.browser.post("/console/profile", {**PROFILE, "kind": "individual", "name": "Ann Lee"})
    assert saved.status_code == 303
    assert saved.headers["location"] == "/console?done=profile_saved"
    assert 'action="/console/sms"' in (await ann.browser.get("/console/sms")).text

    enabled = await ann.browser.post("/console/sms")
    assert enabled.status_code == 303
    assert enabled.headers["location"] == "/console/apps?done=sms_enabled"
    tenant = await ann.tenant(platform)
    assert tenant.sms_enabled and tenant.name == "Ann Lee" and tenant.kind is TenantKind.INDIVIDUAL


@pytest.mark.parametrize(
    ("change", "field", "says"),
    [
        ({"kind": "company"}, "kind", "Choose individual or enterprise."),
        ({"name": "A"}, "name", "must be 2 to 128 characters"),
        ({"contact_phone": "call me"}, "contact_phone", "is not a telephone number"),
        ({"contact_email": "nowhere"}, "contact_email", "is not an e-mail address"),
        ({"name": "ab\x01cd"}, "name", "must not contain control characters"),
        ({"contact_name": "张\u202e三"}, "contact_name", "must not contain control characters"),
        ({"address": "福州市\x1b鼓楼区"}, "address", "must not contain control characters"),
    ],
)
async def test_the_profile_shows_what_is_wrong_next_to_the_field(
    platform: Platform, new_account: NewAccount, change: dict[str, str], field: str, says: str
) -> None:
    ann = await new_account("ann@example.com")

    page = await ann.browser.post("/console/profile", {**PROFILE, **change})

    assert page.status_code == 400
    assert field_errors(page) == {field: says}
    assert await platform.accounts.profile_of(ann.tenant_id) is None


async def test_the_profile_shows_every_wrong_field_at_once(platform: Platform, new_account: NewAccount) -> None:
    ann = await new_account("ann@example.com")

    page = await ann.browser.post(
        "/console/profile",
        {**PROFILE, "name": "A", "contact_name": "", "contact_phone": "call me", "contact_email": "nowhere"},
    )

    assert page.status_code == 400
    assert field_errors(page) == {
        "name": "must be 2 to 128 characters",
        "contact_name": "is required",
        "contact_phone": "is not a telephone number",
        "contact_email": "is not an e-mail address",
    }
    assert await platform.accounts.profile_of(ann.tenant_id) is None


@pytest.mark.parametrize("kind", [None, "company"])
async def test_a_profile_without_a_known_kind_says_so_with_the_other_fields_problems(
    platform: Platform, new_account: NewAccount, kind: str | None
) -> None:
    ann = await new_account("ann@example.com")
    form = {**PROFILE, "name": "A", "contact_email": "nowhere"}
    if kind is None:
        del form["kind"]  # a hand-made request
    else:
        form["kind"] = kind

    page = await ann.browser.post("/console/profile", form)

    assert page.status_code == 400
    assert field_errors(page) == {
        "kind": "Choose individual or enterprise.",
        "name": "must be 2 to 128 characters",
        "contact_email": "is not an e-mail address",
    }
    assert await platform.accounts.profile_of(ann.tenant_id) is None


async def test_the_qualification_shows_every_wrong_field_and_the_missing_licence_at_once(
    platform: Platform, new_account: NewAccount
) -> None:
    ann = await new_account("ann@example.com")
    await complete_profile(platform, ann)
    before = await snapshot(platform)

    page = await ann.browser.post(
        "/console/qualification",
        {**QUALIFICATION, "company_name": "X", "credit_code": "9135010", "contact_phone": "call me"},
    )

    assert page.status_code == 400
    assert field_errors(page) == {
        "company_name": "must be 2 to 128 characters",
        "credit_code": "must be 18 characters",
        "contact_phone": "is not a telephone number",
        "licence": "Upload the business licence (JPEG, PNG or PDF).",
    }
    assert await snapshot(platform) == before


@pytest.mark.parametrize(
    ("change", "files", "field", "says"),
    [
        (
            {"credit_code": "91350100M000100Y44"},
            licence(),
            "credit_code",
            "has a wrong check character; check it against the licence",
        ),
        ({"credit_code": "9135010"}, licence(), "credit_code", "must be 18 characters"),
        (
            {"credit_code": "91350100M000100YI3"},
            licence(),
            "credit_code",
            "may hold only digits and capital letters other than I, O, S, V and Z",
        ),
        ({"company_name": "X"}, licence(), "company_name", "must be 2 to 128 characters"),
        ({}, licence(b"GIF89a" + bytes(16), "licence.gif", "image/gif"), "licence", "must be a JPEG, PNG or PDF file"),
        (
            {},
            licence(b"%PDF" + bytes(5 * 1024 * 1024), "licence.pdf", "application/pdf"),
            "licence",
            "is larger than 5 MB",
        ),
        ({}, licence(b"", "empty.png"), "licence", "is empty; choose a JPEG, PNG or PDF file"),
        ({}, None, "licence", "Upload the business licence (JPEG, PNG or PDF)."),
    ],
)
async def test_a_qualification_with_a_mistake_is_refused_with_a_field_error_and_nothing_stored(
    platform: Platform,
    new_account: NewAccount,
    change: dict[str, str],
    files: dict[str, tuple[str, bytes, str]] | None,
    field: str,
    says: str,
) -> None:
    ann = await new_account("ann@example.com")
    await complete_profile(platform, ann)
    before = await snapshot(platform)

    page = await ann.browser.post("/console/qualification", {**QUALIFICATION, **change}, files=files)

    assert page.status_code == 400
    assert field_errors(page) == with_files_again({field: says}, files)
    assert await snapshot(platform) == before


async def test_an_individual_cannot_submit_a_qualification(platform: Platform, new_account: NewAccount) -> None:
    ann = await new_account("ann@example.com")

    page = await ann.browser.post("/console/qualification", QUALIFICATION, files=licence(), page="/console")

    assert page.status_code == 400
    assert problem(page) == "Qualification is for enterprise accounts: choose enterprise in the profile first."
    assert await platform.qualifications.current_of(ann.tenant_id) is None


async def test_an_individual_using_sms_upgrades_to_an_enterprise_through_the_qualification(
    platform: Platform, new_account: NewAccount, new_browser: NewBrowser
) -> None:
    ann = await new_account("ann@example.com")
    await ann.browser.post("/console/profile", {**PROFILE, "kind": "individual", "name": "Ann Lee"})
    assert (await ann.browser.post("/console/sms")).status_code == 303
    app = await ann.browser.post("/console/apps", {"name": "Shop"}, page="/console/apps")
    assert app.status_code == 303

    # The profile cannot switch the kind, and says where the upgrade is.
    switched = await ann.browser.post("/console/profile", PROFILE)
    assert switched.status_code == 400
    assert field_errors(switched) == {
        "kind": "submit the enterprise qualification: its approval makes the account an enterprise"
    }
    assert 'href="/console/qualification"' in (await ann.browser.get("/console")).text
    page = await ann.browser.get("/console/qualification")
    assert "Upgrade to an enterprise account" in text_of(page)
    assert 'action="/console/qualification"' in page.text

    submitted = await ann.browser.post("/console/qualification", QUALIFICATION, files=licence())
    assert submitted.status_code == 303
    waiting = await ann.tenant(platform)
    assert (waiting.kind, waiting.name, waiting.sms_enabled) == (TenantKind.INDIVIDUAL, "Ann Lee", True)

    reviewer = new_browser()
    await operator_session(platform, reviewer)
    current = await platform.qualifications.current_of(ann.tenant_id)
    assert current is not None
    review_path = f"/operator/reviews/qualification/{current.id}"
    assert "Approval makes this individual account an enterprise" in text_of(await reviewer.get(review_path))
    assert (await reviewer.post(review_path, {"verdict": "approve", "reason": ""})).status_code == 303

    upgraded = await ann.tenant(platform)
    assert (upgraded.kind, upgraded.name, upgraded.sms_enabled) == (
        TenantKind.ENTERPRISE,
        "福州测试科技有限公司",
        True,
    )
    assert [a.name for a in await platform.apps.of_tenant(ann.tenant_id)] == ["Shop"]  # kept
    assert "Upgrade to an enterprise account" not in text_of(await ann.browser.get("/console/qualification"))


async def test_from_profile_to_review_to_rejection_to_approval_to_sms(
    platform: Platform, new_account: NewAccount, new_browser: NewBrowser, clock: FixedClock
) -> None:
    ann = await new_account("ann@example.com")
    reviewer = new_browser()
    operator = await operator_session(platform, reviewer)

    # The enterprise profile leads on to the qualification.
    saved = await ann.browser.post("/console/profile", PROFILE)
    assert saved.headers["location"] == "/console/qualification?done=profile_saved"
    assert notice(await ann.browser.get(saved.headers["location"])) == "The profile is saved."

    # Submitted: waiting for review, with the licence stored.
    submitted = await ann.browser.post(
        "/console/qualification",
        {**QUALIFICATION, "credit_code": OTHER_CREDIT_CODE.lower()},
        files=licence(PDF, "执照.pdf", "application/pdf"),
    )
    assert submitted.status_code == 303
    assert submitted.headers["location"] == "/console/qualification?done=qualification_submitted"
    current = await platform.qualifications.current_of(ann.tenant_id)
    assert current is not None and current.status is ReviewStatus.PENDING
    assert current.credit_code == OTHER_CREDIT_CODE
    page = await ann.browser.get("/console/qualification")
    assert "Under review" in page.text
    assert 'action="/console/qualification"' not in page.text  # nothing to submit while it waits
    assert "the enterprise qualification is waiting for review" in text_of(await ann.browser.get("/console/sms"))
    before = await snapshot(platform)
    again = await ann.browser.post("/console/qualification", QUALIFICATION, files=licence(), page="/console")
    assert again.status_code == 409
    assert problem(again) == "A qualification is already waiting for review or approved."
    assert await snapshot(platform) == before

    # The operator sees it in the queue with how long it has waited.
    clock.advance(3600 + 5 * 60)  # within the idle limit of the sessions (2 h)
    dashboard = await reviewer.get("/operator")
    assert re.search(r'id="queue-qualification".*?<strong class="count"[^>]*>1</strong>', dashboard.text, re.S)
    assert "Oldest has waited 1 h 5 min" in dashboard.text
    queue = await reviewer.get("/operator/reviews/qualification")
    assert "福州测试科技有限公司" in queue.text and OTHER_CREDIT_CODE in queue.text
    assert "1 h 5 min" in queue.text
    assert f'href="/operator/reviews/qualification/{current.id}"' in queue.text
    review_path = f"/operator/reviews/qualification/{current.id}"
    review = await reviewer.get(review_path)
    assert f'href="/operator/documents/{current.licence_document_id}"' in review.text
    document = await reviewer.get(f"/operator/documents/{current.licence_document_id}")
    assert document.status_code == 200
    assert document.headers["content-type"] == "application/pdf"
    assert document.content == PDF

    # Rejecting needs a reason, which the customer then sees and is mailed.
    no_reason = await reviewer.post(review_path, {"verdict": "reject", "reason": "  "})
    assert no_reason.status_code == 400
    assert field_errors(no_reason) == {"reason": "say why it is rejected: the customer sees the reason"}
    still = await platform.qualifications.by_id(current.id)
    assert still is not None and still.status is ReviewStatus.PENDING
    rejected = await reviewer.post(review_path, {"verdict": "reject", "reason": "营业执照不清晰"})
    assert rejected.status_code == 303
    assert rejected.headers["location"] == "/operator/reviews/qualification?done=decided"
    late = await reviewer.post(review_path, {"verdict": "approve"})
    assert late.status_code == 409
    page = await ann.browser.get("/console/qualification")
    assert "Rejected" in page.text and "营业执照不清晰" in page.text
    assert "营业执照不清晰" in (await ann.browser.get("/console/sms")).text
    (mail,) = [
        m for m in await platform.outbox.recent(limit=10) if m.to_address == ann.email and "qualification" in m.subject
    ]
    assert "was rejected" in mail.subject and "营业执照不清晰" in mail.body
    audit = await reviewer.get("/operator/audit")
    assert re.search(r"reviewer@example.com\)</td>\s*<td[^>]*>Qualification rejected</td>", audit.text)
    assert "营业执照不清晰" in audit.text

    # Submitted again, and approved: the account takes the company's name and may apply for SMS.
    page = await ann.browser.get("/console/qualification")
    assert "Submit again" in page.text
    resubmitted = await ann.browser.post("/console/qualification", QUALIFICATION, files=licence())
    assert resubmitted.status_code == 303
    newer = await platform.qualifications.current_of(ann.tenant_id)
    assert newer is not None and newer.id != current.id and newer.status is ReviewStatus.PENDING
    approved = await reviewer.post(f"/operator/reviews/qualification/{newer.id}", {"verdict": "approve"})
    assert approved.status_code == 303
    tenant = await ann.tenant(platform)
    assert (tenant.name, tenant.kind, tenant.sms_enabled) == ("福州测试科技有限公司", TenantKind.ENTERPRISE, False)
    assert "Approved" in (await ann.browser.get("/console/qualification")).text
    sms_page = await ann.browser.get("/console/sms")
    assert "Enable the SMS service" in sms_page.text
    enabled = await ann.browser.post("/console/sms")
    assert enabled.headers["location"] == "/console/apps?done=sms_enabled"
    assert (await ann.tenant(platform)).sms_enabled
    assert 'name="name"' in (await ann.browser.get("/console/apps")).text  # applications can be created
    decisions = [e.action for e in await platform.audit.recent(limit=20, tenant_id=ann.tenant_id)]
    assert decisions[:2] == ["sms.enable", "qualification.approve"]
    assert operator.id in {e.actor.id for e in await platform.audit.recent(limit=20, tenant_id=ann.tenant_id)}


async def test_the_kind_cannot_change_once_the_qualification_is_approved(
    platform: Platform, new_account: NewAccount
) -> None:
    ann = await new_account("ann@example.com")
    await enable_sms(platform, ann)

    page = await ann.browser.post("/console/profile", {**PROFILE, "kind": "individual", "name": "Other name"})

    assert page.status_code == 400
    assert field_errors(page) == {"kind": "cannot change once SMS is enabled or the qualification is approved"}
    kept = await ann.browser.post("/console/profile", {**PROFILE, "name": "Other name", "contact_name": "李四"})
    assert kept.status_code == 303
    tenant = await ann.tenant(platform)
    assert tenant.name == "福州测试科技有限公司"  # an approved enterprise keeps its company's name
    profile = await platform.accounts.profile_of(ann.tenant_id)
    assert profile is not None and profile.contact_name == "李四"


async def test_the_review_says_when_another_account_is_approved_for_the_same_credit_code(
    platform: Platform, new_account: NewAccount, new_browser: NewBrowser
) -> None:
    bob = await new_account("bob@example.com")
    await enable_sms(platform, bob)  # approved for CREDIT_CODE
    carol = await new_account("carol@example.com")
    await complete_profile(platform, carol)
    submitted = await carol.browser.post("/console/qualification", QUALIFICATION, files=licence())
    assert submitted.status_code == 303
    carols = await platform.qualifications.current_of(carol.tenant_id)
    bobs = await platform.qualifications.approved_of(bob.tenant_id)
    assert carols is not None and bobs is not None and carols.credit_code == bobs.credit_code

    reviewer = new_browser()
    await operator_session(platform, reviewer)
    review = await reviewer.get(f"/operator/reviews/qualification/{carols.id}")
    warning = re.search(r'<p class="problem" id="same-company">(.*?)</p>', review.text, re.S)
    assert warning is not None
    assert "Already approved for another account with this code:" in warning.group(1)
    assert f'href="/operator/tenants/{bob.tenant_id}"' in warning.group(1)
    own = await reviewer.get(f"/operator/reviews/qualification/{bobs.id}")  # not flagged for itself
    assert 'id="same-company"' not in own.text
