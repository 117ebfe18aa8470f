"""Domain objects for unit tests, with defaults that make a send go through.

Every factory takes keyword overrides; the defaults describe one enterprise tenant (id 1) with an
enabled application, an approved domestic signature "腾讯云" and an approved domestic notification
template "您的订单{1}已发货。". For the console: an active owner of that tenant, its approved
qualification, uploaded documents, and drafts of a signature and a template that pass every rule.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any, ClassVar

from smscloud.domain.accounts.model import Tenant, TenantKind, TenantProfile, TenantStatus
from smscloud.domain.apps.model import Application, AppStatus
from smscloud.domain.documents.model import Document, DocumentPurpose
from smscloud.domain.identity.model import Language, Operator, OperatorStatus, User, UserRole, UserStatus
from smscloud.domain.messages.phone import InvalidPhoneNumber, PhoneNumber
from smscloud.domain.qualification.model import Qualification
from smscloud.domain.shared.review import ReviewStatus
from smscloud.domain.signatures.model import DocumentType, Signature, SignatureDraft, SignPurpose, SignType
from smscloud.domain.templates.model import SmsType, Template, TemplateDraft

# 12:00 in Asia/Shanghai: inside the marketing window.
NOW = datetime(2026, 3, 10, 4, 0, tzinfo=UTC)

TENANT_ID = 1
OTHER_TENANT_ID = 2
SDK_APP_ID = "1400000001"
SIGN = "腾讯云"
INTL_SIGN = "Acme"
DOMESTIC = "+8613711112222"
DOMESTIC_2 = "+8613711113333"
US = "+12025550123"
HK = "+85291234567"

# Unified social credit codes with a correct check character (GB 32100-2015).
CREDIT_CODE = "91440300708461136T"
CREDIT_CODE_2 = "91350100M000100Y43"
COMPANY = "深圳市腾讯计算机系统有限公司"
QUALIFICATION_ID = 40
PROOF_ID = 50  # the tenant's signature proof
COMMISSION_ID = 51  # the tenant's power of attorney
LICENCE_ID = 52  # the tenant's business licence
OWNER_EMAIL = "owner@acme.example"
PASSWORD = "correct horse 7"
OPERATOR_ID = 7


def tenant(**overrides: Any) -> Tenant:
    base = Tenant(
        id=TENANT_ID,
        name="acme",
        kind=TenantKind.ENTERPRISE,
        status=TenantStatus.ACTIVE,
        timezone="Asia/Shanghai",
        created_at=NOW,
    )
    return replace(base, **overrides)


def app(**overrides: Any) -> Application:
    base = Application(
        id=10,
        tenant_id=TENANT_ID,
        sdk_app_id=SDK_APP_ID,
        name="shop",
        app_key="0" * 32,
        status=AppStatus.ACTIVE,
        created_at=NOW,
    )
    return replace(base, **overrides)


def signature(**overrides: Any) -> Signature:
    base = Signature(
        id=20,
        tenant_id=TENANT_ID,
        name=SIGN,
        international=False,
        sign_type=SignType.COMPANY,
        document_type=DocumentType.BUSINESS_LICENCE,
        sign_purpose=SignPurpose.OWN,
        remark="",
        status=ReviewStatus.APPROVED,
        review_reply="",
        created_at=NOW,
        updated_at=NOW,
    )
    return replace(base, **overrides)


def intl_signature(**overrides: Any) -> Signature:
    return signature(**{"id": 21, "name": INTL_SIGN, "international": True, **overrides})


def template(content: str = "您的订单{1}已发货。", **overrides: Any) -> Template:
    """`parameters` is derived from the content, so it is never an override."""
    fields: dict[str, Any] = {
        "id": 30,
        "tenant_id": TENANT_ID,
        "name": "shipping",
        "content": content,
        "sms_type": SmsType.NOTIFICATION,
        "international": False,
        "remark": "",
        "status": ReviewStatus.APPROVED,
        "review_reply": "",
        "created_at": NOW,
        "updated_at": NOW,
    }
    fields.update(overrides)
    return Template(**fields)


def intl_template(content: str = "Your order {1} has shipped.", **overrides: Any) -> Template:
    return template(content, **{"id": 31, "international": True, **overrides})


class TableParser:
    """A `PhoneNumberParser` that knows a handful of numbers: no phone metadata in unit tests."""

    KNOWN: ClassVar[dict[str, PhoneNumber]] = {
        DOMESTIC: PhoneNumber(DOMESTIC, "86", DOMESTIC[3:], "CN"),
        DOMESTIC_2: PhoneNumber(DOMESTIC_2, "86", DOMESTIC_2[3:], "CN"),
        US: PhoneNumber(US, "1", US[2:], "US"),
        HK: PhoneNumber(HK, "852", HK[4:], "HK"),
    }

    def parse(self, raw: str) -> PhoneNumber:
        known = self.KNOWN.get(raw.strip())
        if known is None:
            raise InvalidPhoneNumber(raw, "unknown to the test parser")
        return known


def parse_all(raws: list[str]) -> list[PhoneNumber | InvalidPhoneNumber]:
    parser = TableParser()
    parsed: list[PhoneNumber | InvalidPhoneNumber] = []
    for raw in raws:
        try:
            parsed.append(parser.parse(raw))
        except InvalidPhoneNumber as invalid:
            parsed.append(invalid)
    return parsed


def profile(**overrides: Any) -> TenantProfile:
    base = TenantProfile(
        tenant_id=TENANT_ID,
        contact_name="张三",
        contact_phone="+86 137 1111 2222",
        contact_email="ops@acme.example",
        address="深圳市南山区",
        updated_at=NOW,
    )
    return replace(base, **overrides)


def user(**overrides: Any) -> User:
    """An active owner of the tenant, whose password is `PASSWORD` (see `FakePasswordHasher`)."""
    base = User(
        id=100,
        tenant_id=TENANT_ID,
        email=OWNER_EMAIL,
        role=UserRole.OWNER,
        status=UserStatus.ACTIVE,
        language=Language.ZH_CN,
        created_at=NOW,
        activated_at=NOW,
        last_login_at=None,
        password_hash="plain:" + PASSWORD,
    )
    return replace(base, **overrides)


def operator(**overrides: Any) -> Operator:
    base = Operator(
        id=OPERATOR_ID,
        email="reviewer@smscloud.example",
        name="Reviewer",
        status=OperatorStatus.ACTIVE,
        language=Language.EN,
        created_at=NOW,
        last_login_at=None,
        password_hash="plain:" + PASSWORD,
    )
    return replace(base, **overrides)


def qualification(**overrides: Any) -> Qualification:
    """The tenant's approved qualification."""
    base = Qualification(
        id=QUALIFICATION_ID,
        tenant_id=TENANT_ID,
        company_name=COMPANY,
        credit_code=CREDIT_CODE,
        licence_document_id=LICENCE_ID,
        contact_name="张三",
        contact_phone="+8613711112222",
        status=ReviewStatus.APPROVED,
        review_reply="",
        submitted_at=NOW,
        reviewed_at=NOW,
        reviewed_by=OPERATOR_ID,
    )
    return replace(base, **overrides)


def document(**overrides: Any) -> Document:
    """The tenant's signature proof."""
    base = Document(
        id=PROOF_ID,
        tenant_id=TENANT_ID,
        purpose=DocumentPurpose.SIGN_PROOF,
        filename="proof.jpg",
        content_type="image/jpeg",
        size=4,
        sha256="0" * 64,
        created_at=NOW,
    )
    return replace(base, **overrides)


def documents() -> list[Document]:
    """The tenant's proof, power of attorney and licence."""
    return [
        document(),
        document(id=COMMISSION_ID, purpose=DocumentPurpose.COMMISSION, filename="commission.pdf"),
        document(id=LICENCE_ID, purpose=DocumentPurpose.LICENCE, filename="licence.pdf"),
    ]


def signature_draft(**overrides: Any) -> SignatureDraft:
    """A domestic company signature proven by a business licence: passes every rule."""
    base = SignatureDraft(
        name="极光科技",
        international=False,
        sign_type=SignType.COMPANY,
        document_type=DocumentType.BUSINESS_LICENCE,
        sign_purpose=SignPurpose.OWN,
        proof_document_id=PROOF_ID,
    )
    return replace(base, **overrides)


def template_draft(**overrides: Any) -> TemplateDraft:
    base = TemplateDraft(
        name="shipping",
        content="您的订单{1}已发货。",
        sms_type=SmsType.NOTIFICATION,
        international=False,
    )
    return replace(base, **overrides)
