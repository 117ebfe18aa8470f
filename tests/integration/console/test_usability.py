"""What a customer needs on the spot: the reason of a rejection where it is fixed, a refused number
next to its field, the way back from a filtered or missing page, the terms behind the checkbox."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Awaitable, Callable

import pytest

from smscloud.adapters.console.pages import browser_of
from smscloud.bootstrap import Platform
from smscloud.domain.reviews.model import Decision
from smscloud.domain.templates.model import SmsType
from tests.integration.console.conftest import NewBrowser
from tests.support.console import (
    Account,
    Browser,
    add_template,
    approved_content,
    enable_sms,
    field_errors,
    operator_session,
    problem,
    send_test_message,
    text_of,
)

pytestmark = pytest.mark.integration

NewAccount = Callable[[str], Awaitable[Account]]


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


async def test_the_form_of_a_rejected_template_says_why(platform: Platform, ann: Account, reviewer: Browser) -> None:
    template = await add_template(platform, ann, "您的订单{1}已发货。", name="发货通知")
    await reviewer.post(f"/operator/reviews/template/{template.id}", {"verdict": "reject", "reason": "请说明使用场景"})

    page = await ann.browser.get(f"/console/templates/{template.id}/edit")

    rejection = re.search(r'<div class="card rejected" id="rejection">(.*?)</div>', page.text, re.S)
    assert rejection is not None and "Rejected" in rejection.group(1) and "请说明使用场景" in rejection.group(1)
    assert 'id="rejection"' not in (await ann.browser.get("/console/templates/new")).text


async def test_a_refused_number_of_a_test_send_shows_next_to_the_number(platform: Platform, ann: Account) -> None:
    _, template = await approved_content(platform, ann)
    await ann.browser.post("/console/apps", {"name": "shop"}, page="/console/apps")
    (app,) = await platform.apps.of_tenant(ann.tenant_id)

    page = await ann.browser.post(
        f"/console/templates/{template.id}/test",
        {"app": app.sdk_app_id, "sign": "测试科技", "phone": "12345", "param1": "1234"},
    )

    assert page.status_code == 400
    assert list(field_errors(page)) == ["phone"]


async def test_a_refused_parameter_of_a_test_send_shows_next_to_the_parameter(platform: Platform, ann: Account) -> None:
    _, code_template = await approved_content(platform, ann)  # 您的验证码是{1}…: a verification code
    await ann.browser.post("/console/apps", {"name": "shop"}, page="/console/apps")
    (app,) = await platform.apps.of_tenant(ann.tenant_id)
    notice = await add_template(
        platform,
        ann,
        "您的订单{1}已发货，单号{2}。",
        name="发货",
        sms_type=SmsType.NOTIFICATION,
        decision=Decision.approved(),
    )
    form = {"app": app.sdk_app_id, "sign": "测试科技", "phone": "+8613800000001"}

    not_a_code = await ann.browser.post(f"/console/templates/{code_template.id}/test", {**form, "param1": "12ab"})
    with_link = await ann.browser.post(
        f"/console/templates/{notice.id}/test", {**form, "param1": "A1", "param2": "www.example.com/x"}
    )

    assert not_a_code.status_code == with_link.status_code == 400
    assert problem(not_a_code) == problem(with_link) == ""
    assert field_errors(not_a_code) == {"param1": "A verification code must be 0 to 6 digits."}
    assert field_errors(with_link) == {"param2": "Parameters may not hold links."}


async def test_the_records_of_one_test_send_say_they_are_filtered_and_lead_to_all(
    platform: Platform, ann: Account
) -> None:
    page = await ann.browser.get("/console/records", serial="2026abc")
    assert "Showing only the message with the serial number 2026abc." in text_of(page)
    assert 'href="/console/records"' in page.text
    assert "Showing only" not in text_of(await ann.browser.get("/console/records"))


async def test_a_missing_page_keeps_the_signed_in_navigation(ann: Account) -> None:
    page = await ann.browser.get("/console/apps/999999")
    assert page.status_code == 404
    assert 'action="/console/logout"' in page.text and 'href="/console/apps"' in page.text


async def test_the_terms_behind_the_sign_up_checkbox_can_be_read(new_browser: NewBrowser) -> None:
    visitor = new_browser()
    signup = await visitor.get("/console/signup")
    assert 'href="/console/terms"' in signup.text
    terms = await visitor.get("/console/terms")
    assert terms.status_code == 200
    assert "Every marketing message carries the opt-out wording" in text_of(terms)


async def test_one_session_offers_no_ending_of_others(ann: Account) -> None:
    page = await ann.browser.get("/console/security")
    assert "End every other session" not in text_of(page)


async def test_the_overview_offers_to_apply_only_once_nothing_is_missing(new_account: NewAccount) -> None:
    bob = await new_account("bob@example.com")
    page = await bob.browser.get("/console")
    assert 'href="/console/sms"' not in page.text
    assert "after the steps above" in text_of(page)


@pytest.mark.parametrize(
    ("user_agent", "shown"),
    [
        (
            "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/126.0 Mobile Safari/537.36",
            "Chrome · Android",
        ),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
            "Version/17.5 Mobile/15E148 Safari/604.1",
            "Safari · iOS",
        ),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/126.0 Safari/537.36 Edg/126.0",
            "Edge · Windows",
        ),
        ("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0", "Firefox · Linux"),
        ("curl/8.5.0", "curl/8.5.0"),
        ("", "?"),
    ],
)
def test_a_browser_is_named_in_words(user_agent: str, shown: str) -> None:
    assert browser_of(user_agent) == shown


async def test_a_create_form_sent_twice_creates_one_application(platform: Platform, ann: Account) -> None:
    page = await ann.browser.get("/console/apps")
    newest = re.search(r'name="newest" value="(\d+)"', page.text)
    assert newest is not None
    form = {"name": "shop", "newest": newest.group(1)}

    first = await ann.browser.post("/console/apps", form)
    second = await ann.browser.post("/console/apps", form)  # a double click

    assert first.status_code == 303 and first.headers["location"].startswith("/console/apps/")
    assert second.headers["location"] == "/console/apps?done=app_created_already"
    assert [app.name for app in await platform.apps.of_tenant(ann.tenant_id)] == ["shop"]
    again = await ann.browser.post("/console/apps", {"name": "shop 2"}, page="/console/apps")  # a new form
    assert again.status_code == 303
    assert len(await platform.apps.of_tenant(ann.tenant_id)) == 2


async def test_a_template_form_sent_twice_submits_one_template(platform: Platform, ann: Account) -> None:
    page = await ann.browser.get("/console/templates/new")
    newest = re.search(r'name="newest" value="(\d+)"', page.text)
    assert newest is not None
    form = {
        "TemplateName": "发货通知",
        "TemplateContent": "您的订单{1}已发货。",
        "SmsType": "2",
        "International": "0",
        "Remark": "",
        "newest": newest.group(1),
    }

    first = await ann.browser.post("/console/templates/new", form)
    second = await ann.browser.post("/console/templates/new", form)

    assert first.headers["location"] == "/console/templates?done=template_submitted"
    assert second.headers["location"] == "/console/templates?done=template_submitted_already"
    assert [t.name for t in await platform.templates.of_tenant(ann.tenant_id)] == ["发货通知"]


async def test_a_create_form_sent_back_with_a_mistake_can_be_sent_again(platform: Platform, ann: Account) -> None:
    page = await ann.browser.get("/console/apps")
    newest = re.search(r'name="newest" value="(\d+)"', page.text)
    assert newest is not None
    refused = await ann.browser.post("/console/apps", {"name": " ", "newest": newest.group(1)})
    assert refused.status_code == 400
    kept = re.search(r'name="newest" value="(\d+)"', refused.text)
    assert kept is not None and kept.group(1) == newest.group(1)
    created = await ann.browser.post("/console/apps", {"name": "shop", "newest": kept.group(1)})
    assert created.status_code == 303


async def test_the_send_records_export_as_csv_with_the_filters_applied(platform: Platform, ann: Account) -> None:
    _, template = await approved_content(platform, ann)
    await ann.browser.post("/console/apps", {"name": "shop"}, page="/console/apps")
    first = await send_test_message(ann, template.id, "+8613800000001", "1234")
    await send_test_message(ann, template.id, "+8613800000002", "5678")

    page = await ann.browser.get("/console/records", phone="13800000001")
    assert 'href="/console/records.csv?phone=13800000001"' in page.text
    export = await ann.browser.get("/console/records.csv", phone="13800000001")

    assert export.status_code == 200
    assert export.headers["content-type"] == "text/csv; charset=utf-8"
    assert export.headers["content-disposition"].startswith('attachment; filename="sms-records-')
    assert export.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["SerialNo", "SendTime", "PhoneNumber", "SdkAppId"]
    assert [(row[0], row[2]) for row in rows[1:]] == [(first, "+8613800000001")]
    assert "1234" in rows[1][6]
    everything = await ann.browser.get("/console/records.csv")
    assert len(list(csv.reader(io.StringIO(everything.content.decode("utf-8-sig"))))) == 3


async def test_a_bad_filter_leads_from_the_export_back_to_the_records(ann: Account) -> None:
    export = await ann.browser.get("/console/records.csv", since="yesterday")
    assert export.status_code == 303 and export.headers["location"].startswith("/console/records?")


def test_a_cell_a_spreadsheet_would_run_is_written_as_text() -> None:
    from datetime import UTC, datetime

    from smscloud.adapters.console.routes.records import records_csv
    from smscloud.domain.messages.model import MessageRecord, MessageStatus

    record = MessageRecord(
        id=1,
        serial_no="s1",
        app_id=1,
        phone="+8613800000001",
        sign_name="=cmd",
        template_id=None,
        content='=HYPERLINK("http://x")',
        segments=1,
        status=MessageStatus.DELIVERED,
        error_code="",
        receipt_stat="DELIVRD",
        receipt_err="",
        created_at=datetime(2026, 3, 10, 4, 0, tzinfo=UTC),
        submitted_at=None,
        done_at=None,
    )
    (_, row) = list(csv.reader(io.StringIO(records_csv([record], apps={}, zone="Asia/Shanghai").decode("utf-8-sig"))))
    assert row[1] == "2026-03-10 12:00:00"  # in the account's time zone
    assert row[2] == "+8613800000001"  # a number stays a number
    assert (row[4], row[6]) == ("'=cmd", '\'=HYPERLINK("http://x")')


async def test_the_application_page_shows_a_send_with_the_sdk_filled_in(platform: Platform, ann: Account) -> None:
    import ast
    import html

    signature, template = await approved_content(platform, ann)
    await ann.browser.post("/console/apps", {"name": "shop"}, page="/console/apps")
    (app,) = await platform.apps.of_tenant(ann.tenant_id)

    page = await ann.browser.get(f"/console/apps/{app.id}")

    found = re.search(r'<pre class="code" id="sdk-python"><code>(.*?)</code></pre>', page.text, re.S)
    assert found is not None
    code = html.unescape(found.group(1))
    ast.parse(code)  # it runs as written (only the key is to be filled in)
    assert f'request.SmsSdkAppId = "{app.sdk_app_id}"' in code
    assert f'request.SignName = "{signature.name}"' in code
    assert f'request.TemplateId = "{template.id}"' in code
    assert 'HttpProfile(endpoint="127.0.0.1:8080", protocol="http")' in code
