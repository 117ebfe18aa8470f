"""The console in-process: a platform on the test database, and browsers that fill in its forms.

::

    platform = await console_platform(database_url, tmp_path)
    browser = Browser(build_asgi_app(platform))
    alice = await sign_up(platform, browser, "alice@example.com")  # signed up, activated, logged in
    await enable_sms(platform, alice)                               # enterprise, approved, SMS on
    sign, template = await approved_content(platform, alice)        # ready for a test send

A `Browser` keeps its own cookies, so two browsers are two people (or one person on two
machines). `post` fills in the CSRF token from the page the form is on, and sends the Origin a
browser would; tests of the CSRF checks pass `csrf=` and `origin=` themselves.

Mail is not sent anywhere (no SMTP is configured): links are read from the outbox.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx
from cryptography.fernet import Fernet
from sqlalchemy import Connection, select
from starlette.types import ASGIApp

from smscloud.adapters.crypto.passwords import Argon2Hasher
from smscloud.adapters.storage import tables
from smscloud.bootstrap import Platform, ensure_simulator_carrier, open_platform
from smscloud.config import DatabaseSettings, MailSettings, Settings
from smscloud.domain.accounts.model import Tenant, TenantKind
from smscloud.domain.accounts.service import apply_for_sms, save_profile
from smscloud.domain.audit.model import Actor
from smscloud.domain.documents.model import DocumentPurpose
from smscloud.domain.documents.service import upload_document
from smscloud.domain.identity.model import Language, Operator
from smscloud.domain.qualification.service import submit_qualification
from smscloud.domain.reviews.model import Decision
from smscloud.domain.shared.clock import FixedClock
from smscloud.domain.signatures.model import DocumentType, Signature, SignatureDraft, SignPurpose, SignType
from smscloud.domain.signatures.service import submit_signature
from smscloud.domain.templates.model import SmsType, Template, TemplateDraft
from smscloud.domain.templates.service import submit_template

__all__ = [
    "BASE_URL",
    "CHOOSE_FILE_AGAIN",
    "CREDIT_CODE",
    "NOW",
    "PASSWORD",
    "PDF",
    "PNG",
    "Account",
    "Browser",
    "add_signature",
    "add_template",
    "approved_content",
    "complete_profile",
    "console_platform",
    "csrf_token",
    "enable_sms",
    "field_errors",
    "log_in",
    "mail_link",
    "notice",
    "operator_session",
    "problem",
    "record_serials",
    "send_test_message",
    "sign_up",
    "snapshot",
    "text_of",
    "with_files_again",
]

BASE_URL = "http://127.0.0.1:8080"
# 12:00 in Asia/Shanghai.
NOW = datetime(2026, 3, 10, 4, 0, tzinfo=UTC)
PASSWORD = "Correct7horse"
CREDIT_CODE = "91350100M000100Y43"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(64)
PDF = b"%PDF-1.4\n" + bytes(64)
_CSRF = re.compile(r'name="csrf_token" value="([^"]*)"')
_SEEN = re.compile(r'<input type="hidden" name="seen" value="([^"]*)"')
_FIELD_ERROR = re.compile(r'<span class="error" id="e-([\w-]+)" role="alert">(.*?)</span>', re.S)
_FIELD_ERROR_NO_ID = re.compile(
    r'<(?:input|select) id="f-([\w-]+)".*?(?:>|</select>)\s*<span class="error" role="alert">(.*?)</span>'
)
_PROBLEM = re.compile(r'<p class="problem" role="alert">(.*?)</p>', re.S)
_NOTICE = re.compile(r'<p class="notice" role="status">(.*?)</p>', re.S)


async def console_platform(
    database_url: str, data_dir: Path, *, clock: FixedClock | None = None, smtp_host: str | None = None
) -> Platform:
    """The platform on `database_url` (already migrated), with a cheap password hasher, a fixed
    clock and, unless `smtp_host` is given, no SMTP server (nothing sends in these tests)."""
    settings = Settings(
        data_dir=str(data_dir),
        secret_keys=[Fernet.generate_key().decode()],
        db=DatabaseSettings(url=database_url, pool_size=2),
        mail=MailSettings(smtp_host=smtp_host),
    )
    return await open_platform(
        settings,
        migrate=False,
        clock=clock or FixedClock(NOW),
        hasher=Argon2Hasher(time_cost=1, memory_cost=1024),
    )


def csrf_token(page: httpx.Response) -> str:
    """The CSRF token of the (first) form on a page."""
    found = _CSRF.search(page.text)
    assert found is not None, f"no form with a CSRF token on {page.url} ({page.status_code})"
    return found.group(1)


def field_errors(page: httpx.Response) -> dict[str, str]:
    """The error shown next to each field of the page's form, by field name."""
    found = {name: html.unescape(text) for name, text in _FIELD_ERROR.findall(page.text)}
    found |= {name: html.unescape(text) for name, text in _FIELD_ERROR_NO_ID.findall(page.text)}
    return found


CHOOSE_FILE_AGAIN = "Choose the file again: files are not kept when a form is sent back."


def with_files_again(expected: dict[str, str], files: Mapping[str, object] | None) -> dict[str, str]:
    """The field errors of a form sent back: `expected`, and each file chosen without a problem of
    its own asks to be chosen again."""
    return expected | {name: CHOOSE_FILE_AGAIN for name in files or {} if name not in expected}


def problem(page: httpx.Response) -> str:
    """The message about the form as a whole, or ""."""
    found = _PROBLEM.search(page.text)
    return html.unescape(found.group(1)) if found else ""


def notice(page: httpx.Response) -> str:
    """What the page says after a successful form, or ""."""
    found = _NOTICE.search(page.text)
    return html.unescape(found.group(1)) if found else ""


def record_serials(page: httpx.Response) -> list[str]:
    """The SerialNo of each row of the send records on the page, top to bottom."""
    return re.findall(r'<tr data-serial="([^"]+)">', page.text)


def text_of(page: httpx.Response) -> str:
    """The page's HTML with character references resolved, for looking for texts."""
    return html.unescape(page.text)


async def snapshot(platform: Platform) -> dict[str, list[str]]:
    """Every row of every table, for checking that a refused request changed nothing."""

    def job(conn: Connection) -> dict[str, list[str]]:
        return {
            table.name: sorted(repr(tuple(row)) for row in conn.execute(select(table)).all())
            for table in tables.metadata.sorted_tables
        }

    return await platform.db.read(job)


class Browser:
    """One browser: its own cookies, English unless told otherwise (Accept-Language)."""

    def __init__(self, app: ASGIApp, *, language: str = "en", user_agent: str = "test-browser") -> None:
        self.http = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),
            base_url=BASE_URL,
            headers={"accept-language": language, "user-agent": user_agent},
        )

    async def get(self, path: str, **params: str) -> httpx.Response:
        return await self.http.get(path, params=params or None)

    async def csrf(self, page: str) -> str:
        return csrf_token(await self._page(page))

    async def _page(self, page: str) -> httpx.Response:
        response = await self.get(page)
        assert response.status_code == 200, f"GET {page}: {response.status_code}"
        return response

    async def post(
        self,
        path: str,
        data: dict[str, str] | None = None,
        *,
        files: dict[str, tuple[str, bytes, str]] | None = None,
        page: str | None = None,
        csrf: str | None = None,
        origin: str | None = BASE_URL,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        """Post a form as the browser would from `page` (default: `path` itself), with its CSRF
        token unless `csrf` is given ("" sends none), and, on a review page, the hidden `seen`
        (which submission the operator saw) unless `data` has one."""
        form = dict(data or {})
        token = csrf
        if csrf is None:
            shown = await self._page(page or path)
            token = csrf_token(shown)
            seen = _SEEN.search(shown.text)
            if seen is not None:
                form.setdefault("seen", html.unescape(seen.group(1)))
        if token:
            form["csrf_token"] = token
        sent = dict(headers or {})
        if origin is not None:
            sent["origin"] = origin
        return await self.http.post(path, data=form, files=files, headers=sent)

    def cookie(self, name: str) -> str | None:
        for cookie in self.http.cookies.jar:
            if cookie.name == name:
                return cookie.value
        return None

    async def aclose(self) -> None:
        await self.http.aclose()


@dataclass(frozen=True, slots=True)
class Account:
    """A signed-up, activated tenant user, and the browser they are logged in with."""

    email: str
    password: str
    user_id: int
    tenant_id: int
    browser: Browser

    async def tenant(self, platform: Platform) -> Tenant:
        tenant = await platform.accounts.tenant(self.tenant_id)
        assert tenant is not None
        return tenant


async def mail_link(platform: Platform, to_address: str, kind: str) -> str:
    """The path of the newest `kind` link ("activate" or "reset") mailed to `to_address`."""
    for mail in await platform.outbox.recent(limit=100):
        if mail.to_address != to_address:
            continue
        found = re.search(rf"{re.escape(BASE_URL)}(/console/{kind}/\S+)", mail.body)
        if found:
            return found.group(1)
    raise AssertionError(f"no {kind} link mailed to {to_address}")


async def log_in(browser: Browser, email: str, password: str = PASSWORD) -> httpx.Response:
    return await browser.post("/console/login", {"email": email, "password": password, "next": "/console"})


async def sign_up(platform: Platform, browser: Browser, email: str, password: str = PASSWORD) -> Account:
    """Sign up through the console, follow the mailed activation link and log in."""
    signed = await browser.post(
        "/console/signup",
        {"email": email, "password": password, "password_again": password, "terms": "yes"},
    )
    assert signed.status_code == 200, signed.text
    link = await mail_link(platform, email, "activate")
    activated = await browser.post(link)
    assert activated.status_code == 303, activated.text
    logged_in = await log_in(browser, email, password)
    assert logged_in.status_code == 303, logged_in.text
    user = await platform.users.by_email(email)
    assert user is not None
    return Account(email, password, user.id, user.tenant_id, browser)


async def operator_session(
    platform: Platform,
    browser: Browser,
    email: str = "reviewer@example.com",
    *,
    name: str = "Reviewer",
    language: Language = Language.EN,
) -> Operator:
    """An operator created as `smscloud operator create` does, logged in with `browser`."""
    operator = await platform.identity.create_operator(email=email, name=name, password=PASSWORD, language=language)
    response = await browser.post("/operator/login", {"email": email, "password": PASSWORD})
    assert response.status_code == 303, response.text
    return operator


async def complete_profile(
    platform: Platform,
    account: Account,
    *,
    kind: TenantKind = TenantKind.ENTERPRISE,
    name: str = "福州测试科技有限公司",
) -> Tenant:
    tenant, _ = await save_profile(
        store=platform.accounts,
        qualifications=platform.qualifications,
        clock=platform.clock,
        tenant=await account.tenant(platform),
        kind=kind,
        name=name,
        contact_name="张三",
        contact_phone="13800000000",
        contact_email=account.email,
    )
    return tenant


async def enable_sms(
    platform: Platform,
    account: Account,
    *,
    company_name: str = "福州测试科技有限公司",
    credit_code: str = CREDIT_CODE,
) -> Tenant:
    """Bring the tenant to "SMS enabled, with an approved enterprise qualification" through the
    use cases the console calls."""
    await complete_profile(platform, account, name=company_name)
    licence = await upload_document(
        store=platform.documents,
        clock=platform.clock,
        tenant_id=account.tenant_id,
        purpose=DocumentPurpose.LICENCE,
        filename="licence.png",
        data=PNG,
        field="licence",
    )
    qualification = await submit_qualification(
        store=platform.qualifications,
        clock=platform.clock,
        tenant=await account.tenant(platform),
        actor=Actor.user(account.user_id),
        company_name=company_name,
        credit_code=credit_code,
        licence_document_id=licence.id,
        contact_name="张三",
        contact_phone="13800000000",
    )
    await platform.reviews.decide_qualification(
        actor=Actor.system(), qualification_id=qualification.id, decision=Decision.approved()
    )
    return await apply_for_sms(
        store=platform.accounts,
        qualifications=platform.qualifications,
        clock=platform.clock,
        tenant=await account.tenant(platform),
        actor=Actor.user(account.user_id),
    )


async def add_signature(
    platform: Platform,
    account: Account,
    name: str = "测试科技",
    *,
    remark: str = "",
    decision: Decision | None = None,
) -> Signature:
    """A domestic company signature with its proof, submitted as the console does, then decided
    (None: left waiting for review)."""
    proof = await upload_document(
        store=platform.documents,
        clock=platform.clock,
        tenant_id=account.tenant_id,
        purpose=DocumentPurpose.SIGN_PROOF,
        filename="proof.png",
        data=PNG,
        field="ProofImage",
    )
    signature = await submit_signature(
        store=platform.signatures,
        documents=platform.documents,
        qualifications=platform.qualifications,
        clock=platform.clock,
        tenant=await account.tenant(platform),
        draft=SignatureDraft(
            name=name,
            international=False,
            sign_type=SignType.COMPANY,
            document_type=DocumentType.BUSINESS_LICENCE,
            sign_purpose=SignPurpose.OWN,
            proof_document_id=proof.id,
            remark=remark,
        ),
    )
    if decision is None:
        return signature
    return await platform.reviews.decide_signature(actor=Actor.system(), signature_id=signature.id, decision=decision)


async def add_template(
    platform: Platform,
    account: Account,
    content: str = "您的验证码是{1}，5分钟内有效。",
    *,
    name: str = "验证码",
    sms_type: SmsType = SmsType.VERIFICATION_CODE,
    remark: str = "",
    decision: Decision | None = None,
) -> Template:
    """A domestic template, submitted as the console does, then decided (None: left waiting)."""
    template = await submit_template(
        store=platform.templates,
        clock=platform.clock,
        tenant=await account.tenant(platform),
        draft=TemplateDraft(name=name, content=content, sms_type=sms_type, international=False, remark=remark),
    )
    if decision is None:
        return template
    return await platform.reviews.decide_template(actor=Actor.system(), template_id=template.id, decision=decision)


async def approved_content(platform: Platform, account: Account) -> tuple[Signature, Template]:
    """An approved signature and verification-code template, and a route to the simulator
    carrier, so that the tenant's sends are accepted."""
    signature = await add_signature(platform, account, decision=Decision.approved())
    template = await add_template(platform, account, decision=Decision.approved())
    await ensure_simulator_carrier(platform)
    return signature, template


async def send_test_message(account: Account, template_id: int, phone: str, *params: str, app: str = "") -> str:
    """Send a test message from the template's page in the console; its SerialNo."""
    page = await account.browser.get(f"/console/templates/{template_id}/test")
    found = re.search(r'<select id="f-app" name="app"><option value="(\d+)"', page.text)
    assert found is not None, text_of(page)
    form = {"app": app or found.group(1), "sign": "测试科技", "phone": phone}
    form |= {f"param{i}": value for i, value in enumerate(params, start=1)}
    sent = await account.browser.post(f"/console/templates/{template_id}/test", form)
    assert sent.status_code == 303, text_of(sent)
    location = httpx.URL(sent.headers["location"])
    assert location.path == "/console/records"
    return location.params["serial"]
