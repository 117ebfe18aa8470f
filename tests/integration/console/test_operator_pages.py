"""The operators' pages read as words in both languages: the audit log and a review's history say
what was done and by whom, waiting times are in the operator's language, the tenants list tells an
account whose owner has not activated it yet, and a missing page leads back to the operators' side.
An account's page shows what it has and lets the operator suspend it (its sends refused) and resume it."""

from __future__ import annotations

import re

import httpx
import pytest
from sqlalchemy import Connection, update

from smscloud.adapters.storage import tables
from smscloud.bootstrap import Platform, ensure_simulator_carrier
from smscloud.domain.accounts.model import TenantStatus
from smscloud.domain.audit.model import Actor
from smscloud.domain.identity.model import Language
from smscloud.domain.reviews.model import Decision
from smscloud.domain.shared.clock import FixedClock
from tests.integration.console.conftest import NewBrowser
from tests.support.console import (
    PASSWORD,
    add_template,
    approved_content,
    enable_sms,
    field_errors,
    notice,
    operator_session,
    problem,
    send_test_message,
    sign_up,
    text_of,
)

pytestmark = pytest.mark.integration


def _cells(page: httpx.Response, action: str) -> list[str]:
    """The text of each cell of the audit log's newest row of `action`."""
    found = re.search(rf'<tr data-action="{re.escape(action)}">(.*?)</tr>', page.text, re.S)
    assert found is not None, f"no {action} row"
    cells = re.findall(r"<td[^>]*>(.*?)</td>", found.group(1), re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", cell)).strip() for cell in cells]


@pytest.mark.parametrize(
    ("language", "approved", "submitted", "system", "template"),
    [
        ("en", "Template approved", "Qualification submitted", "System", "Template #"),
        ("zh-CN", "模板已通过", "资质已提交", "系统", "模板 #"),
    ],
)
async def test_the_audit_log_says_what_was_done_and_who_did_it_in_words(
    platform: Platform,
    new_browser: NewBrowser,
    language: str,
    approved: str,
    submitted: str,
    system: str,
    template: str,
) -> None:
    ann = await sign_up(platform, new_browser(), "ann@example.com")
    await enable_sms(platform, ann)  # submitted by Ann, approved by the system
    operator = new_browser(language=language)
    await operator_session(platform, operator, name="Lin", language=Language(language))
    waiting = await add_template(platform, ann)
    decided = await operator.post(f"/operator/reviews/template/{waiting.id}", {"verdict": "approve"})
    assert decided.status_code == 303

    page = await operator.get("/operator/audit")

    assert _cells(page, "template.approve")[1:4] == [
        "Lin (reviewer@example.com)",
        approved,
        f"{template}{waiting.id}",
    ]
    assert f'href="/operator/reviews/template/{waiting.id}"' in page.text
    assert _cells(page, "template.approve")[4] == f"福州测试科技有限公司 #{ann.tenant_id}"
    assert _cells(page, "qualification.submit")[1:3] == ["ann@example.com", submitted]
    assert _cells(page, "qualification.approve")[1] == system
    for code in ("template.approve", "qualification.submit", "sms.enable"):
        assert f">{code}<" not in page.text  # codes only in attributes, never shown
    assert not re.search(r">\s*(user|operator|template|qualification) \d+\s*<", page.text)


async def test_an_actor_the_page_does_not_know_is_named_by_kind_and_number(
    platform: Platform, new_browser: NewBrowser
) -> None:
    ann = await sign_up(platform, new_browser(), "ann@example.com")
    await platform.audit.record(
        actor=Actor.operator(4242),
        action="template.reject",
        subject_kind="template",
        subject_id=7,
        tenant_id=ann.tenant_id,
        detail="",
        now=platform.clock.now(),
    )
    english, chinese = new_browser(), new_browser(language="zh-CN")
    await operator_session(platform, english)
    await operator_session(platform, chinese, "lin@example.com", language=Language.ZH_CN)

    in_english = _cells(await english.get("/operator/audit"), "template.reject")
    in_chinese = _cells(await chinese.get("/operator/audit"), "template.reject")
    assert in_english[1:3] == ["operator #4242", "Template rejected"]
    assert in_chinese[1:3] == ["运营人员 #4242", "模板未通过"]


async def test_a_reviews_history_reads_as_words(platform: Platform, new_browser: NewBrowser) -> None:
    ann = await sign_up(platform, new_browser(), "ann@example.com")
    await enable_sms(platform, ann)
    operator = new_browser(language="zh-CN")
    await operator_session(platform, operator, name="Lin", language=Language.ZH_CN)
    (qualification,) = [
        e for e in await platform.audit.recent(limit=10, tenant_id=ann.tenant_id) if e.action == "qualification.approve"
    ]

    page = await operator.get(f"/operator/reviews/qualification/{qualification.subject_id}")

    found = re.search(r'<ul id="history">(.*?)</ul>', page.text, re.S)
    assert found is not None
    history = [re.sub(r"<[^>]+>", "", item).strip() for item in re.findall(r"<li>(.*?)</li>", found.group(1), re.S)]
    assert [item.split(" · ")[1:3] for item in history] == [["资质已通过", "系统"], ["资质已提交", "ann@example.com"]]


@pytest.mark.parametrize(
    ("language", "dashboard", "queue"),
    [
        ("en", "Oldest has waited 1 d 2 h", "1 d 2 h"),
        ("zh-CN", "最早一项已等待 1 天 2 小时", "1 天 2 小时"),
    ],
)
async def test_waiting_times_are_in_the_operators_language(
    platform: Platform, new_browser: NewBrowser, clock: FixedClock, language: str, dashboard: str, queue: str
) -> None:
    ann = await sign_up(platform, new_browser(), "ann@example.com")
    await enable_sms(platform, ann)
    await add_template(platform, ann)
    clock.advance(26 * 3600 + 59)
    operator = new_browser(language=language)
    await operator_session(platform, operator, language=Language(language))

    assert dashboard in text_of(await operator.get("/operator"))
    listed = text_of(await operator.get("/operator/reviews/template"))
    assert queue in listed
    if language == "zh-CN":
        assert not re.search(r"\d+ (min|h|d)\b", listed)


@pytest.mark.parametrize(
    ("language", "header", "not_activated", "active"),
    [("en", "SMS service", "Not activated yet", "Active"), ("zh-CN", "短信服务", "尚未激活", "已启用")],
)
async def test_the_tenants_list_tells_an_account_whose_owner_has_not_activated_it(
    platform: Platform, new_browser: NewBrowser, language: str, header: str, not_activated: str, active: str
) -> None:
    ann = await sign_up(platform, new_browser(), "ann@example.com")
    signed = await new_browser().post(
        "/console/signup",
        {"email": "bob@example.com", "password": PASSWORD, "password_again": PASSWORD, "terms": "yes"},
    )
    assert signed.status_code == 200
    bob = await platform.users.by_email("bob@example.com")
    assert bob is not None
    operator = new_browser(language=language)
    await operator_session(platform, operator, language=Language(language))

    page = await operator.get("/operator/tenants")

    assert f"<th>{header}</th>" in page.text and "<th>SMS</th>" not in page.text
    rows = dict(re.findall(r'<tr data-tenant="(\d+)">(.*?)</tr>', page.text, re.S))
    assert not_activated in rows[str(bob.tenant_id)] and active not in rows[str(bob.tenant_id)]
    assert active in rows[str(ann.tenant_id)] and not_activated not in rows[str(ann.tenant_id)]


@pytest.mark.parametrize(
    ("path", "back"), [("/operator/reviews/template/999", "/operator"), ("/console/templates/999/edit", "/console")]
)
async def test_a_missing_page_leads_back_to_its_own_side(
    platform: Platform, new_browser: NewBrowser, path: str, back: str
) -> None:
    visitor = new_browser()
    if path.startswith("/operator"):
        await operator_session(platform, visitor)
    else:
        visitor = (await sign_up(platform, visitor, "ann@example.com")).browser

    page = await visitor.get(path)

    assert page.status_code == 404
    assert f'<a href="{back}">Back to the console</a>' in page.text


async def test_an_operator_suspends_an_account_which_then_cannot_send_and_resumes_it(
    platform: Platform, new_browser: NewBrowser
) -> None:
    ann = await sign_up(platform, new_browser(), "ann@example.com")
    await enable_sms(platform, ann)
    _, template = await approved_content(platform, ann)
    await ann.browser.post("/console/apps", {"name": "shop"}, page="/console/apps")
    operator = new_browser()
    await operator_session(platform, operator)
    listed = await operator.get("/operator/tenants")
    assert f'href="/operator/tenants/{ann.tenant_id}"' in listed.text
    page_path = f"/operator/tenants/{ann.tenant_id}"
    page = await operator.get(page_path)
    assert "ann@example.com" in text_of(page) and "shop" in text_of(page)

    no_reason = await operator.post(page_path, {"action": "suspend", "reason": " "})
    assert no_reason.status_code == 400
    assert field_errors(no_reason) == {"reason": "say why: the customer sees the reason"}
    assert (await ann.tenant(platform)).status is TenantStatus.ACTIVE

    suspended = await operator.post(page_path, {"action": "suspend", "reason": "发送内容与模板不符"})
    assert suspended.headers["location"] == f"{page_path}?done=tenant_suspended"
    assert (await ann.tenant(platform)).status is TenantStatus.SUSPENDED
    overview = await ann.browser.get("/console")
    assert "Your account is suspended" in text_of(overview) and "发送内容与模板不符" in text_of(overview)
    (app,) = await platform.apps.of_tenant(ann.tenant_id)
    refused = await ann.browser.post(
        f"/console/templates/{template.id}/test",
        {"app": app.sdk_app_id, "sign": "测试科技", "phone": "+8613800000001", "param1": "1234"},
    )
    assert refused.status_code == 400
    assert problem(refused) == "The account is suspended."
    history = await operator.get(page_path)
    assert "Account suspended" in text_of(history) and "发送内容与模板不符" in text_of(history)

    resumed = await operator.post(page_path, {"action": "resume"})
    assert resumed.headers["location"] == f"{page_path}?done=tenant_resumed"
    assert (await ann.tenant(platform)).status is TenantStatus.ACTIVE
    assert "Your account is suspended" not in text_of(await ann.browser.get("/console"))
    await send_test_message(ann, template.id, "+8613800000001", "1234")
    entries = await platform.audit.recent(limit=5, tenant_id=ann.tenant_id, subject_kind="tenant")
    assert [e.action for e in entries if e.action.startswith("tenant.")] == ["tenant.resume", "tenant.suspend"]
    mails = [m for m in await platform.outbox.recent(limit=20) if m.to_address == "ann@example.com"]
    told = [(m.subject, "发送内容与模板不符" in m.body) for m in mails[:2]]
    assert told == [("Your SMS account may send again", False), ("Your SMS account is suspended", True)]


async def test_suspending_from_a_page_shown_before_the_account_was_suspended_changes_nothing_and_says_so(
    platform: Platform, new_browser: NewBrowser
) -> None:
    ann = await sign_up(platform, new_browser(), "ann@example.com")
    operator = new_browser()
    await operator_session(platform, operator)
    page_path = f"/operator/tenants/{ann.tenant_id}"
    stale = await operator.get(page_path)  # shows the suspension form
    assert 'value="suspend"' in stale.text
    assert (await operator.post(page_path, {"action": "suspend", "reason": "垃圾短信"})).status_code == 303
    before = await platform.audit.recent(limit=10, tenant_id=ann.tenant_id)

    for reason in ("", "另一个原因"):
        again = await operator.post(page_path, {"action": "suspend", "reason": reason}, page="/operator/tenants")
        assert again.status_code == 303
        assert again.headers["location"] == f"{page_path}?done=tenant_suspended_already"
    shown = await operator.get(again.headers["location"])
    assert notice(shown) == "The account is suspended already: nothing changed."
    assert await platform.audit.recent(limit=10, tenant_id=ann.tenant_id) == before
    resumed = await operator.post(page_path, {"action": "resume"})
    assert resumed.headers["location"] == f"{page_path}?done=tenant_resumed"
    resumed_again = await operator.post(page_path, {"action": "resume"}, page="/operator/tenants")
    assert resumed_again.headers["location"] == f"{page_path}?done=tenant_active_already"
    assert notice(await operator.get(resumed_again.headers["location"])) == (
        "The account is not suspended: nothing changed."
    )


async def test_a_deleted_signature_or_template_is_named_in_the_history_without_a_link(
    platform: Platform, new_browser: NewBrowser
) -> None:
    ann = await sign_up(platform, new_browser(), "ann@example.com")
    await enable_sms(platform, ann)
    signature, template = await approved_content(platform, ann)
    kept = await add_template(platform, ann, "您的订单{1}已发货。", name="发货通知", decision=Decision.approved())
    for path in (f"/console/signatures/{signature.id}/delete", f"/console/templates/{template.id}/delete"):
        assert (await ann.browser.post(path, page="/console")).status_code == 303
    operator = new_browser()
    await operator_session(platform, operator)

    for page in (await operator.get("/operator/audit"), await operator.get(f"/operator/tenants/{ann.tenant_id}")):
        assert page.status_code == 200
        assert f'href="/operator/reviews/signature/{signature.id}"' not in page.text
        assert f'href="/operator/reviews/template/{template.id}"' not in page.text
        assert f"Signature #{signature.id} (deleted)" in re.sub(r"<[^>]+>", "", page.text)
        assert f"Template #{template.id} (deleted)" in re.sub(r"<[^>]+>", "", page.text)
        assert f'href="/operator/reviews/template/{kept.id}"' in page.text
        assert 'href="/operator/reviews/qualification/' in page.text
    chinese = new_browser(language="zh-CN")
    await operator_session(platform, chinese, "lin@example.com", language=Language.ZH_CN)
    assert f"模板 #{template.id} （已删除）" in re.sub(r"<[^>]+>", "", (await chinese.get("/operator/audit")).text)


@pytest.mark.parametrize(
    ("language", "title"),
    [("en", "404 Page not found · smscloud"), ("zh-CN", "404 页面不存在 · smscloud")],
)
async def test_an_error_page_is_titled_with_the_errors_name(
    platform: Platform, new_browser: NewBrowser, language: str, title: str
) -> None:
    operator = new_browser(language=language)
    await operator_session(platform, operator, language=Language(language))

    for page in (await operator.get("/operator/reviews/template/999"), await new_browser(language=language).get("/x")):
        assert page.status_code == 404
        assert f"<title>{title}</title>" in page.text


async def test_the_audit_log_filters_to_one_account_and_one_kind_of_subject(
    platform: Platform, new_browser: NewBrowser
) -> None:
    ann = await sign_up(platform, new_browser(), "ann@example.com")
    await enable_sms(platform, ann)
    bob = await sign_up(platform, new_browser(), "bob@example.com")
    await enable_sms(platform, bob, credit_code="91440300708461136T")
    operator = new_browser()
    await operator_session(platform, operator)

    def actions(page: httpx.Response) -> list[str]:
        return re.findall(r'<tr data-action="([^"]+)">', page.text)

    everything = await operator.get("/operator/audit")
    ann_only = await operator.get("/operator/audit", tenant=str(ann.tenant_id))
    ann_qualification = await operator.get("/operator/audit", tenant=str(ann.tenant_id), subject="qualification")

    assert len(actions(everything)) == 2 * len(actions(ann_only))
    assert sorted(actions(ann_only)) == ["qualification.approve", "qualification.submit", "sms.enable"]
    assert sorted(actions(ann_qualification)) == ["qualification.approve", "qualification.submit"]
    assert f'href="/operator/tenants/{ann.tenant_id}"' in ann_only.text
    ignored = await operator.get("/operator/audit", tenant="x", subject="nonsense")
    assert actions(ignored) == actions(everything)


async def test_an_operator_traces_messages_across_accounts(platform: Platform, new_browser: NewBrowser) -> None:
    ann = await sign_up(platform, new_browser(), "ann@example.com")
    await enable_sms(platform, ann)
    _, ann_template = await approved_content(platform, ann)
    await ann.browser.post("/console/apps", {"name": "shop"}, page="/console/apps")
    bob = await sign_up(platform, new_browser(), "bob@example.com")
    await enable_sms(platform, bob, credit_code="91440300708461136T")
    _, bob_template = await approved_content(platform, bob)
    await bob.browser.post("/console/apps", {"name": "shop"}, page="/console/apps")
    ann_serial = await send_test_message(ann, ann_template.id, "+8613800000001", "1234")
    bob_serial = await send_test_message(bob, bob_template.id, "+8613800000001", "5678")
    await send_test_message(bob, bob_template.id, "+8613800000002", "9012")

    def set_carrier_id(conn: Connection) -> None:  # as a submit would have
        conn.execute(
            update(tables.message).where(tables.message.c.serial_no == bob_serial).values(carrier_msg_id="C0FFEE42")
        )

    await platform.db.write(set_carrier_id)
    operator = new_browser()
    await operator_session(platform, operator)

    def serials(page: httpx.Response) -> list[str]:
        return re.findall(r'<tr data-serial="([^"]+)">', page.text)

    assert 'href="/operator/messages"' in (await operator.get("/operator")).text
    by_number = await operator.get("/operator/messages", phone="13800000001")  # read as the API reads it
    assert sorted(serials(by_number)) == sorted([ann_serial, bob_serial])
    assert f'href="/operator/tenants/{ann.tenant_id}"' in by_number.text
    assert serials(await operator.get("/operator/messages", serial=ann_serial)) == [ann_serial]
    assert len(serials(await operator.get("/operator/messages", tenant=str(bob.tenant_id)))) == 2
    by_carrier = await operator.get("/operator/messages", carrier_msg_id="C0FFEE42")
    assert serials(by_carrier) == [bob_serial] and "C0FFEE42" in by_carrier.text
    assert serials(await operator.get("/operator/messages", carrier_msg_id="c0ffee42")) == [bob_serial]
    both = await operator.get("/operator/messages", phone="+8613800000001", tenant=str(ann.tenant_id))
    assert serials(both) == [ann_serial]

    nothing_asked = await operator.get("/operator/messages")
    assert serials(nothing_asked) == [] and "Enter at least one of the above" in text_of(nothing_asked)
    bad = await operator.get("/operator/messages", phone="call me", tenant="x\x00")
    assert bad.status_code == 400
    assert set(field_errors(bad)) == {"phone", "tenant"}
    assert serials(await operator.get("/operator/messages", serial="nope\x00")) == []


async def test_replies_no_message_claimed_are_listed_for_the_operators(
    platform: Platform, new_browser: NewBrowser
) -> None:
    carrier = await ensure_simulator_carrier(platform)
    await platform.receipts.store_reply(
        carrier_id=carrier.id,
        source_addr="8613900000000",
        destination_addr="106900",
        text="<b>退订</b>",
        now=platform.clock.now(),
    )
    operator = new_browser()
    await operator_session(platform, operator)

    page = await operator.get("/operator/replies")

    assert page.status_code == 200
    assert "&lt;b&gt;退订&lt;/b&gt;" in page.text and "8613900000000" in page.text
    assert carrier.name in text_of(page)
    assert 'href="/operator/replies"' in (await operator.get("/operator/messages")).text
