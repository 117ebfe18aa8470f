"""Domain objects for unit tests, with defaults that make a send go through.

Every factory takes keyword overrides; the defaults describe one enterprise tenant (id 1) with an
enabled application, an approved domestic signature "腾讯云" and an approved domestic notification
template "您的订单{1}已发货。".
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any, ClassVar

from smscloud.domain.accounts.model import Tenant, TenantKind, TenantStatus
from smscloud.domain.apps.model import Application, AppStatus
from smscloud.domain.messages.phone import InvalidPhoneNumber, PhoneNumber
from smscloud.domain.shared.review import ReviewStatus
from smscloud.domain.signatures.model import DocumentType, Signature, SignPurpose, SignType
from smscloud.domain.templates.model import SmsType, Template

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
