"""What a qualification must hold: the unified social credit code of GB 32100-2015 with its check
character, a company name, a contact; and who may submit one."""

from __future__ import annotations

import re

from smscloud.domain.accounts.model import Tenant, TenantKind
from smscloud.domain.shared.errors import InvalidInput
from smscloud.domain.shared.problems import Problems
from smscloud.domain.shared.text import has_control_characters

__all__ = [
    "CREDIT_CODE_CHARS",
    "check_company_name",
    "check_contact",
    "check_qualification",
    "credit_code_check_char",
    "may_submit_qualification",
    "normalize_credit_code",
]

# The 31 characters of a credit code: digits and capitals without I, O, S, V, Z.
CREDIT_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_VALUE = {char: value for value, char in enumerate(CREDIT_CODE_CHARS)}
# Registration authorities (first character) of GB 32100-2015.
_AUTHORITIES = frozenset("123456789ABCDEFGNY")
_PHONE = re.compile(r"\+?[0-9][0-9\- ]{5,30}")


def may_submit_qualification(tenant: Tenant) -> bool:
    """An enterprise account, or an individual one already using SMS that upgrades: approval makes
    it an enterprise named after the company, and until then it goes on sending as an individual.
    An individual not using SMS yet chooses enterprise in its profile instead."""
    return tenant.kind is TenantKind.ENTERPRISE or tenant.sms_enabled


def credit_code_check_char(first17: str) -> str:
    """The 18th character that the first 17 of a credit code call for."""
    total = sum(_VALUE[char] * weight for char, weight in zip(first17, _WEIGHTS, strict=True))
    return CREDIT_CODE_CHARS[(31 - total % 31) % 31]


def normalize_credit_code(raw: str, *, field: str = "credit_code") -> str:
    code = raw.strip().upper().replace(" ", "")
    if not code:
        raise InvalidInput(field, "is required")
    if len(code) != 18:
        raise InvalidInput(field, "must be 18 characters")
    if any(char not in _VALUE for char in code):
        raise InvalidInput(field, "may hold only digits and capital letters other than I, O, S, V and Z")
    if code[0] not in _AUTHORITIES:
        raise InvalidInput(field, "does not start with a registration authority code")
    if credit_code_check_char(code[:17]) != code[17]:
        raise InvalidInput(field, "has a wrong check character; check it against the licence")
    return code


def check_company_name(raw: str, *, field: str = "company_name") -> str:
    name = raw.strip()
    if not name:
        raise InvalidInput(field, "is required")
    if not 2 <= len(name) <= 128:
        raise InvalidInput(field, "must be 2 to 128 characters")
    if has_control_characters(name):
        raise InvalidInput(field, "must not contain control characters")
    return name


def check_contact(name: str, phone: str) -> tuple[str, str]:
    """The contact's name and telephone, trimmed; a problem with either, or both, raised."""
    name = name.strip()
    phone = phone.strip()
    problems = Problems()
    if not name:
        problems.add("contact_name", "is required")
    elif len(name) > 64:
        problems.add("contact_name", "must be 1 to 64 characters")
    elif has_control_characters(name):
        problems.add("contact_name", "must not contain control characters")
    if not phone:
        problems.add("contact_phone", "is required")
    elif not _PHONE.fullmatch(phone):
        problems.add("contact_phone", "is not a telephone number")
    problems.raise_any()
    return name, phone


def check_qualification(
    *, company_name: str, credit_code: str, contact_name: str, contact_phone: str
) -> tuple[str, str, str, str]:
    """Every field of a submission, normalized; every field's problem raised at once."""
    problems = Problems()
    company_name = problems.check(lambda: check_company_name(company_name), company_name)
    credit_code = problems.check(lambda: normalize_credit_code(credit_code), credit_code)
    contact_name, contact_phone = problems.check(
        lambda: check_contact(contact_name, contact_phone), (contact_name, contact_phone)
    )
    problems.raise_any()
    return company_name, credit_code, contact_name, contact_phone
