"""The unified social credit code (GB 32100-2015), the other fields of a submission, and who may submit."""

from __future__ import annotations

import pytest

from smscloud.domain.accounts.model import TenantKind
from smscloud.domain.qualification.rules import (
    CREDIT_CODE_CHARS,
    check_contact,
    check_qualification,
    credit_code_check_char,
    may_submit_qualification,
    normalize_credit_code,
)
from smscloud.domain.shared.errors import InvalidInput
from tests.unit.domain import factories as f

VALID = "91350100M000100Y43"


@pytest.mark.parametrize("code", [VALID, "91440300708461136T", "91110000802100433B"])
def test_real_codes_pass_their_check_character(code: str) -> None:
    assert credit_code_check_char(code[:17]) == code[17]
    assert normalize_credit_code(code) == code


def test_a_code_is_read_in_capitals_without_spaces() -> None:
    assert normalize_credit_code(" 9135 0100m0 00100y43 ") == VALID


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("9135010", "must be 18 characters"),
        ("  ", "is required"),
        ("91350100M000100YI3", "may hold only digits and capital letters other than I, O, S, V and Z"),
        ("01350100M000100Y43", "does not start with a registration authority code"),
        ("91350100M000100Y44", "has a wrong check character; check it against the licence"),
    ],
)
def test_a_wrong_code_says_what_is_wrong(code: str, reason: str) -> None:
    with pytest.raises(InvalidInput) as invalid:
        normalize_credit_code(code)
    assert (invalid.value.field, invalid.value.reason) == ("credit_code", reason)


def test_every_single_character_change_is_caught() -> None:
    """The check character catches any one mistyped character of the first 17."""
    for position in range(17):
        for char in CREDIT_CODE_CHARS:
            if char == VALID[position]:
                continue
            typo = VALID[:position] + char + VALID[position + 1 :]
            if typo[0] not in "123456789ABCDEFGNY":
                continue
            with pytest.raises(InvalidInput):
                normalize_credit_code(typo)


def test_a_submission_reports_every_wrong_field_at_once() -> None:
    with pytest.raises(InvalidInput) as invalid:
        check_qualification(company_name="X", credit_code="123", contact_name=" ", contact_phone="call me")
    assert [p.field for p in invalid.value.every] == ["company_name", "credit_code", "contact_name", "contact_phone"]


def test_a_submission_is_returned_trimmed_and_normalized() -> None:
    assert check_qualification(
        company_name=" 福州测试科技有限公司 ",
        credit_code=VALID.lower(),
        contact_name=" 张三 ",
        contact_phone=" 13800000000 ",
    ) == ("福州测试科技有限公司", VALID, "张三", "13800000000")


@pytest.mark.parametrize(
    ("kind", "sms", "may"),
    [
        (TenantKind.ENTERPRISE, False, True),
        (TenantKind.ENTERPRISE, True, True),
        (TenantKind.INDIVIDUAL, True, True),  # the upgrade
        (TenantKind.INDIVIDUAL, False, False),  # chooses enterprise in the profile instead
    ],
)
def test_who_may_submit(kind: TenantKind, sms: bool, may: bool) -> None:
    tenant = f.tenant(kind=kind, sms_enabled_at=f.NOW if sms else None)
    assert may_submit_qualification(tenant) is may


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("张\x01三", "must not contain control characters"),
        ("x" * 65, "must be 1 to 64 characters"),
        ("", "is required"),
    ],
)
def test_a_contact_name_says_what_is_wrong(name: str, reason: str) -> None:
    with pytest.raises(InvalidInput) as invalid:
        check_contact(name, "13800000000")
    assert (invalid.value.field, invalid.value.reason) == ("contact_name", reason)
