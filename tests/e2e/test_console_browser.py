"""A new customer walks the whole access procedure in a real browser (issue #3).

Debian's Chromium (headless, driven by Playwright) against a real `smscloud serve` that sends its
mail to a real SMTP server (`SmtpCapture`): sign up, activate from the mail, log in, complete an
enterprise profile, submit the qualification, have an operator approve it (in a second browser
context), apply for SMS, create an application, submit a signature and a template, have the
operator approve both, send a test message to the simulator's "delivered" number and watch its
record turn delivered; the operator sees the simulator's bind up on the carriers page. Then the
same pages at a phone's width, and the language switch.

Every step leaves a full-page screenshot, numbered in order (01-signup.png, …), in
$SMSCLOUD_ARTIFACTS, else tests/artifacts/console/.

The tenant's browser speaks Chinese (the console's default language), the operator's English; the
texts to look for come from the console's own catalogue (`translator`), so a changed translation
does not break the test, while a missing label or button does.
"""

from __future__ import annotations

import contextlib
import os
import re
import struct
import time
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, FilePayload, Page, ViewportSize, expect, sync_playwright

from smscloud.adapters.console.i18n import translator
from tests.support.server import ServerProcess, server_process
from tests.support.smtp import SmtpCapture

pytestmark = pytest.mark.e2e

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(os.environ.get("SMSCLOUD_ARTIFACTS") or Path(__file__).parents[1] / "artifacts" / "console")

zh = translator("zh-CN")
en = translator("en")

EMAIL = "owner@qingtian.example"
PASSWORD = "Sunny-Day-2026"
COMPANY = "深圳市晴天科技有限公司"
CREDIT_CODE = "91440300708461136T"
SIGN_NAME = "晴天科技"
TEMPLATE_NAME = "登录验证码"
TEMPLATE_CONTENT = "您的验证码是{1}，5分钟内有效。"
CODE = "246810"
DELIVERED_NUMBER = "+8613800000001"  # the simulator delivers numbers ending in 0000001
DELIVERY_TIMEOUT_S = 30.0
PHONE: ViewportSize = {"width": 390, "height": 844}


def _png(width: int = 64, height: int = 40) -> bytes:
    """A small valid PNG (a plain grey picture): the console sniffs uploads' content."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\xc8" * width for _ in range(height))  # filter 0, 8-bit grey
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def _upload(name: str) -> FilePayload:
    return {"name": name, "mimeType": "image/png", "buffer": _png()}


class Screenshots:
    """Full-page screenshots, numbered in the order taken."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.taken: list[Path] = []

    def take(self, page: Page, name: str) -> None:
        path = self.folder / f"{len(self.taken) + 1:02d}-{name}.png"
        page.screenshot(path=path, full_page=True)
        self.taken.append(path)


# --- fixtures --------------------------------------------------------------------------------------


@pytest.fixture
def chromium() -> str:
    if not CHROMIUM.exists():
        if os.environ.get("SMSCLOUD_REQUIRE_BROWSER"):
            pytest.fail(f"{CHROMIUM} is missing and SMSCLOUD_REQUIRE_BROWSER is set: apt-get install chromium")
        pytest.skip(f"the browser test needs Debian's Chromium at {CHROMIUM} (apt-get install chromium)")
    return str(CHROMIUM)


@pytest.fixture
def smtp() -> Iterator[SmtpCapture]:
    with SmtpCapture() as capture:
        yield capture


@pytest.fixture
def mailing_server(chromium: str, database_url: str, tmp_path: Path, smtp: SmtpCapture) -> Iterator[ServerProcess]:
    process = server_process(tmp_path / "data", database_url, smtp.environment())
    process.start()
    try:
        yield process
    finally:
        process.stop()


@pytest.fixture
def browser(chromium: str, mailing_server: ServerProcess) -> Iterator[Browser]:
    # Started after the server and its database: Playwright's sync API keeps an event loop running
    # on this thread, and the database fixtures call asyncio.run().
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, headless=True)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def shots() -> Screenshots:
    return Screenshots(ARTIFACTS)


def first_operator(server: ServerProcess, timeout: float = 10.0) -> tuple[str, str]:
    """The first operator's e-mail and password, printed once in the banner of `serve`."""
    pattern = re.compile(r"The first operator account was created.*?\n\s+e-mail: (\S+)\n\s+password: (\S+)\n", re.S)
    deadline = time.monotonic() + timeout
    while (found := pattern.search("".join(server.output))) is None:
        assert time.monotonic() < deadline, "no first operator in the output of serve:\n" + "".join(server.output)
        time.sleep(0.05)
    return found[1], found[2]


# --- the walk --------------------------------------------------------------------------------------


def test_a_new_customer_walks_from_sign_up_to_a_delivered_message(
    browser: Browser, mailing_server: ServerProcess, smtp: SmtpCapture, shots: Screenshots
) -> None:
    base_url = f"http://{mailing_server.endpoint}"
    tenant_context = browser.new_context(base_url=base_url, locale="zh-CN", viewport={"width": 1280, "height": 900})
    operator_context = browser.new_context(base_url=base_url, locale="en-US", viewport={"width": 1280, "height": 900})
    tenant, operator = tenant_context.new_page(), operator_context.new_page()

    try:
        sign_up_and_activate(tenant, smtp, shots, base_url)
        log_in(tenant, shots)
        complete_profile_and_qualification(tenant, shots)

        log_in_operator(operator, mailing_server, shots)
        approve(operator, shots, queue="qualification", row_text=COMPANY)
        assert_review_mail(smtp, f"您的资质「{COMPANY}」已通过审核", base_url + "/console/qualification")

        apply_for_sms_and_create_application(tenant, shots)
        submit_signature_and_template(tenant, shots)

        approve(operator, shots, queue="signature", row_text=f"【{SIGN_NAME}】")
        approve(operator, shots, queue="template", row_text=TEMPLATE_NAME)
        assert_review_mail(smtp, f"您的短信签名「{SIGN_NAME}」已通过审核", base_url + "/console/signatures")
        assert_review_mail(smtp, f"您的短信正文模板「{TEMPLATE_NAME}」已通过审核", base_url + "/console/templates")

        send_test_message(tenant, shots)
        wait_until_delivered(tenant, shots)
        see_the_carrier_bound(operator, shots)

        check_phone_width(browser, tenant_context, shots, base_url)
        switch_language(tenant, shots)
    except BaseException:
        for name, page in (("tenant", tenant), ("operator", operator)):  # where it stopped, for the reader
            with contextlib.suppress(Exception):
                page.screenshot(path=shots.folder / f"failed-{name}.png", full_page=True)
        raise
    finally:
        tenant_context.close()
        operator_context.close()


def sign_up_and_activate(page: Page, smtp: SmtpCapture, shots: Screenshots, base_url: str) -> None:
    page.goto("/console/signup")
    expect(page.get_by_role("heading", name=zh("Create your smscloud account"))).to_be_visible()
    page.get_by_label(zh("E-mail address"), exact=True).fill(EMAIL)
    page.get_by_label(zh("Password"), exact=True).fill(PASSWORD)
    page.get_by_label(zh("Password again"), exact=True).fill(PASSWORD)
    page.get_by_label(zh("I accept the terms of service."), exact=True).check()
    shots.take(page, "signup")
    page.get_by_role("button", name=zh("Sign up"), exact=True).click()
    expect(page.get_by_role("heading", name=zh("Check your e-mail"))).to_be_visible()
    expect(page.get_by_text(EMAIL)).to_be_visible()
    shots.take(page, "signup-check-mail")

    mail = smtp.wait_for_blocking(EMAIL, timeout=30)
    assert mail.subject == "激活您的 smscloud 账号"
    [link] = mail.links
    assert link.startswith(f"{base_url}/console/activate/")

    page.goto(link)
    expect(page.get_by_role("heading", name=zh("Activate your account"))).to_be_visible()
    shots.take(page, "activate")
    page.get_by_role("button", name=zh("Activate"), exact=True).click()
    expect(page).to_have_url(re.compile(r"/console/login\?"))
    expect(page.get_by_role("status")).to_have_text(zh("Your account is active. Log in to continue."))


def log_in(page: Page, shots: Screenshots) -> None:
    expect(page.get_by_label(zh("E-mail address"), exact=True)).to_have_value(EMAIL)
    page.get_by_label(zh("Password"), exact=True).fill(PASSWORD)
    shots.take(page, "login")
    page.get_by_role("button", name=zh("Log in"), exact=True).click()
    expect(page).to_have_url(re.compile(r"/console$"))
    expect(page.get_by_role("heading", name=zh("Getting started"))).to_be_visible()
    shots.take(page, "overview")


def complete_profile_and_qualification(page: Page, shots: Screenshots) -> None:
    page.get_by_role("link", name=zh("Complete the profile"), exact=True).click()
    expect(page).to_have_url(re.compile(r"/console/profile$"))
    page.get_by_label(zh("kind.enterprise"), exact=True).check()
    page.get_by_label(zh("Your name, or the company's name"), exact=True).fill(COMPANY)
    page.get_by_label(zh("Contact person"), exact=True).fill("王晴")
    page.get_by_label(zh("Contact phone"), exact=True).fill("+8613912345678")
    expect(page.get_by_label(zh("Contact e-mail"), exact=True)).to_have_value(EMAIL)
    page.get_by_label(zh("Address (optional)"), exact=True).fill("广东省深圳市南山区科技园")
    shots.take(page, "profile")
    page.get_by_role("button", name=zh("Save"), exact=True).click()

    # An enterprise goes on to its qualification, with what the profile said filled in.
    expect(page).to_have_url(re.compile(r"/console/qualification\?"))
    expect(page.get_by_role("status")).to_have_text(zh("The profile is saved."))
    expect(page.get_by_label(zh("Company name (as on the licence)"), exact=True)).to_have_value(COMPANY)
    page.get_by_label(zh("Unified social credit code"), exact=True).fill(CREDIT_CODE)
    page.get_by_label(zh("Business licence"), exact=True).set_input_files(_upload("licence.png"))
    expect(page.get_by_label(zh("Contact person"), exact=True)).to_have_value("王晴")
    expect(page.get_by_label(zh("Contact phone"), exact=True)).to_have_value("+8613912345678")
    shots.take(page, "qualification")
    page.get_by_role("button", name=zh("Submit for review"), exact=True).click()
    expect(page.get_by_role("status")).to_have_text(
        zh("The qualification is submitted for review. You will be told by e-mail.")
    )
    expect(page.get_by_text(zh("review.pending"), exact=True)).to_be_visible()
    shots.take(page, "qualification-submitted")


def log_in_operator(page: Page, server: ServerProcess, shots: Screenshots) -> None:
    email, password = first_operator(server)
    page.goto("/operator/login")
    page.get_by_label(en("E-mail address"), exact=True).fill(email)
    page.get_by_label(en("Password"), exact=True).fill(password)
    shots.take(page, "operator-login")
    page.get_by_role("button", name=en("Log in"), exact=True).click()
    expect(page).to_have_url(re.compile(r"/operator$"))
    # The first operator's account speaks the console's default language, Chinese; this one reads English.
    page.get_by_role("button", name="English", exact=True).click()
    expect(page.get_by_role("heading", name=en("Review queues"))).to_be_visible()


def approve(page: Page, shots: Screenshots, *, queue: str, row_text: str) -> None:
    """As the operator: open the queue from the dashboard, review the request, approve it."""
    page.get_by_role("link", name=en("Review queues"), exact=True).click()
    card = page.locator(f"#queue-{queue}")
    expect(card.locator(".count")).to_have_text("1")
    shots.take(page, f"operator-queues-{queue}")
    card.click()
    expect(page.get_by_role("heading", name=en(f"queue.{queue}"))).to_be_visible()
    page.get_by_role("row").filter(has_text=row_text).get_by_role("link", name=en("Review")).click()
    expect(page.get_by_role("heading", name=re.compile(f"^{en('Review')}:"))).to_contain_text(row_text.strip("【】"))
    shots.take(page, f"operator-review-{queue}")
    if queue != "template":  # the upload reaches the reviewer as it was sent
        href = page.get_by_role("link", name=en("Open the document"), exact=True).get_attribute("href")
        assert href is not None
        document = page.request.get(href)
        assert document.ok
        assert document.headers["content-type"] == "image/png"
        assert document.body() == _png()
    page.get_by_role("button", name=en("Approve"), exact=True).click()
    expect(page.get_by_role("status")).to_have_text(en("The decision is recorded and the customer is told."))
    expect(page.get_by_text(en("Nothing waits for review."))).to_be_visible()
    shots.take(page, f"operator-approved-{queue}")


def assert_review_mail(smtp: SmtpCapture, subject: str, link: str) -> None:
    mail = smtp.wait_for_blocking(EMAIL, timeout=30)
    assert mail.subject == subject
    assert mail.links == [link]


def apply_for_sms_and_create_application(page: Page, shots: Screenshots) -> None:
    page.reload()  # the qualification page, now approved
    expect(page.get_by_text(zh("review.approved"), exact=True)).to_be_visible()
    page.get_by_role("link", name=zh("Apply for the SMS service"), exact=True).click()
    expect(page).to_have_url(re.compile(r"/console/sms$"))
    shots.take(page, "sms-apply")
    page.get_by_role("button", name=zh("Enable the SMS service"), exact=True).click()

    expect(page).to_have_url(re.compile(r"/console/apps\?"))
    expect(page.get_by_role("status")).to_have_text(
        zh("The SMS service is enabled. Create an application to send messages.")
    )
    page.get_by_label(zh("Application name"), exact=True).fill("晴天商城")
    shots.take(page, "apps")
    page.get_by_role("button", name=zh("Create application"), exact=True).click()
    expect(page).to_have_url(re.compile(r"/console/apps/\d+\?"))
    expect(page.get_by_role("heading", name="晴天商城")).to_be_visible()
    expect(page.locator("#sdk-app-id")).to_have_text(re.compile(r"^\d+$"))
    shots.take(page, "app-created")


def submit_signature_and_template(page: Page, shots: Screenshots) -> None:
    page.get_by_role("navigation").get_by_role("link", name=zh("Signatures"), exact=True).click()
    page.get_by_role("link", name=zh("Create a domestic signature"), exact=True).click()
    page.get_by_label(zh("Signature"), exact=True).fill(SIGN_NAME)
    page.get_by_label(zh("Signature type"), exact=True).select_option(label=zh("signtype.0"))
    page.get_by_label(zh("Proof document type"), exact=True).select_option(label=zh("doctype.1"))
    page.get_by_label(zh("Proof document"), exact=True).set_input_files(_upload("licence.png"))
    page.get_by_label(zh("Remark (optional)"), exact=True).fill("公司全称的简称")
    shots.take(page, "signature-form")
    page.get_by_role("button", name=zh("Submit for review"), exact=True).click()
    expect(page.get_by_role("status")).to_have_text(zh("The signature is submitted for review."))
    card = page.get_by_role("article", name=SIGN_NAME)
    expect(card).to_contain_text(f"【{SIGN_NAME}】")
    expect(card).to_contain_text(zh("review.pending"))
    shots.take(page, "signature-submitted")

    page.get_by_role("navigation").get_by_role("link", name=zh("Templates"), exact=True).click()
    page.get_by_role("link", name=zh("Create a domestic template"), exact=True).click()
    page.get_by_label(zh("Template name"), exact=True).fill(TEMPLATE_NAME)
    page.get_by_label(zh("smstype.3"), exact=True).check()
    page.get_by_label(zh("Content"), exact=True).fill(TEMPLATE_CONTENT)
    page.get_by_label(zh("Remark (optional)"), exact=True).fill("用户登录时发送")
    shots.take(page, "template-form")
    page.get_by_role("button", name=zh("Submit for review"), exact=True).click()
    expect(page.get_by_role("status")).to_have_text(zh("The template is submitted for review."))
    row = page.get_by_role("row").filter(has_text=TEMPLATE_NAME)
    expect(row).to_contain_text(TEMPLATE_CONTENT)
    expect(row).to_contain_text(zh("review.pending"))
    shots.take(page, "template-submitted")


def send_test_message(page: Page, shots: Screenshots) -> None:
    page.reload()  # the templates, now approved
    row = page.get_by_role("row").filter(has_text=TEMPLATE_NAME)
    expect(row).to_contain_text(zh("review.approved"))
    row.get_by_role("link", name=zh("Send a test"), exact=True).click()
    expect(page.get_by_role("heading", name=zh("Send a test message"))).to_be_visible()
    expect(page.get_by_label(zh("Signature"), exact=True)).to_have_value(SIGN_NAME)
    page.get_by_label(zh("Phone number"), exact=True).fill(DELIVERED_NUMBER)
    page.get_by_label(zh("Parameter {n}", n=1), exact=True).fill(CODE)
    shots.take(page, "send-test")
    page.get_by_role("button", name=zh("Send"), exact=True).click()
    expect(page).to_have_url(re.compile(r"/console/records\?serial="))
    expect(page.get_by_role("status")).to_have_text(zh("The test message is accepted; its status is below."))


def wait_until_delivered(page: Page, shots: Screenshots) -> None:
    """Reload the record (bounded) until the simulator's receipt has made it delivered."""
    row = page.locator("#records tbody tr").filter(has_text=DELIVERED_NUMBER)
    expect(row).to_contain_text(f"【{SIGN_NAME}】" + TEMPLATE_CONTENT.replace("{1}", CODE))
    shots.take(page, "records-accepted")
    deadline = time.monotonic() + DELIVERY_TIMEOUT_S
    while (status := row.locator(".badge").inner_text()) != zh("status.delivered"):
        assert time.monotonic() < deadline, f"the message is still {status!r} after {DELIVERY_TIMEOUT_S:g} s"
        page.wait_for_timeout(300)
        page.reload()
    expect(row).to_contain_text("DELIVRD")

    # The whole list, as the customer reaches it from the navigation.
    page.get_by_role("navigation").get_by_role("link", name=zh("Send records"), exact=True).click()
    expect(page.locator("#records tbody tr").filter(has_text=DELIVERED_NUMBER)).to_contain_text(zh("status.delivered"))
    shots.take(page, "records-delivered")


def see_the_carrier_bound(page: Page, shots: Screenshots) -> None:
    """As the operator: the carriers page shows the simulator's bind up and nothing waiting."""
    page.get_by_role("navigation").get_by_role("link", name="Carriers", exact=True).click()
    expect(page.get_by_role("heading", name="Carriers")).to_be_visible()
    row = page.locator('#carriers tr[data-carrier="simulator"]')
    expect(row.locator("td").nth(1)).to_have_text("1/1")
    expect(row.locator("td").nth(3)).to_have_text("0")  # nothing due: the message went out
    expect(page.locator("section").filter(has_text="simulator")).to_contain_text("up since")
    shots.take(page, "operator-carriers")


def check_phone_width(browser: Browser, signed_in: BrowserContext, shots: Screenshots, base_url: str) -> None:
    """At a phone's width the pages fit: nothing wider than the screen, no sideways scrolling."""
    phone = browser.new_context(
        base_url=base_url,
        locale="zh-CN",
        viewport=PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        storage_state=signed_in.storage_state(),
    )
    page = phone.new_page()
    for path, name in [
        ("/console", "overview"),
        ("/console/apps", "apps"),
        ("/console/signatures", "signatures"),
        ("/console/templates", "templates"),
        ("/console/signatures/new", "signature-form"),
        ("/console/records", "records"),
    ]:
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[1] == PHONE["width"], f"{path}: the page is laid out {widths[1]} px wide, not the phone's"
        assert widths[0] <= widths[1], f"{path}: {widths[0]} px of content on a {widths[1]} px wide screen"
        shots.take(page, f"phone-{name}")
    phone.close()


def switch_language(page: Page, shots: Screenshots) -> None:
    """English and back through the header's switch; the choice holds across page loads."""
    page.goto("/console/templates")
    nav = page.get_by_role("navigation")
    expect(nav.get_by_role("link", name=zh("Send records"), exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="中文")).to_have_attribute("aria-pressed", "true")

    page.get_by_role("button", name="English", exact=True).click()
    expect(page).to_have_url(re.compile(r"/console/templates$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text(en("SMS body templates"))
    shots.take(page, "language-en")
    page.goto("/console")
    expect(nav.get_by_role("link", name=en("Send records"), exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name=en("Getting started"))).to_be_visible()

    page.get_by_role("button", name="中文", exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    page.reload()
    expect(page.get_by_role("heading", name=zh("Getting started"))).to_be_visible()
    expect(nav.get_by_role("link", name=zh("Send records"), exact=True)).to_be_visible()
    shots.take(page, "language-zh")
