"""What a signature may look like (spec §4.2) and what a request must hold (AddSmsSign, §1.7)."""

from __future__ import annotations

import pytest

from smscloud.domain.shared.errors import InvalidInput
from smscloud.domain.signatures.model import DocumentType, SignatureDraft, SignPurpose, SignType
from smscloud.domain.signatures.rules import check_draft, check_signature_name
from tests.unit.domain import factories as f


@pytest.mark.parametrize("name", ["腾讯", "腾讯云", "QQ音乐", "Acme2024", "一二三四五六七八九十一二"])
def test_valid_domestic_names(name: str) -> None:
    check_signature_name(name, international=False)


@pytest.mark.parametrize(
    "name",
    ["腾", "一二三四五六七八九十一二三", "【腾讯】", "腾 讯", "腾讯!", "Acme Inc", "客服通知", "验证码", ""],
    ids=[
        "1 char",
        "13 chars",
        "brackets",
        "space",
        "punctuation",
        "latin space",
        "generic",
        "generic 2",
        "empty",
    ],
)
def test_invalid_domestic_names(name: str) -> None:
    with pytest.raises(InvalidInput) as invalid:
        check_signature_name(name, international=False)
    assert invalid.value.field == "SignName"


@pytest.mark.parametrize("name", ["Ac", "Acme Inc", "A" * 15, "腾讯 Cloud"])
def test_valid_international_names(name: str) -> None:
    check_signature_name(name, international=True)


@pytest.mark.parametrize(
    "name",
    ["A", "A" * 16, " Acme", "Acme ", "[Acme]", "Acme-Inc", "通知"],
    ids=["1 char", "16 chars", "leading space", "trailing space", "brackets", "dash", "generic"],
)
def test_invalid_international_names(name: str) -> None:
    with pytest.raises(InvalidInput):
        check_signature_name(name, international=True)


# --- a whole request ------------------------------------------------------------------------

# The SignType ↔ DocumentType table of AddSmsSign (spec §1.7), written out independently of the
# code: 0 company (0,1); 1 APP (0,1,2,3,4); 2 website (0,1,2,3,5); 3 official account (0,1,2,3,8);
# 4 trademark (7); 5 government (2,3); 6 mini-program (0,1,2,3,6).
SPEC_TABLE = {
    0: {0, 1},
    1: {0, 1, 2, 3, 4},
    2: {0, 1, 2, 3, 5},
    3: {0, 1, 2, 3, 8},
    4: {7},
    5: {2, 3},
    6: {0, 1, 2, 3, 6},
}
# No longer accepted: types 2, 3, 6 anywhere and 1 for mainland China; documents 5, 6, 8
# anywhere and 4 for mainland China.
SPEC_RETIRED_TYPES = {False: {1, 2, 3, 6}, True: {2, 3, 6}}
SPEC_RETIRED_DOCUMENTS = {False: {4, 5, 6, 8}, True: {5, 6, 8}}


def draft_for(sign_type: SignType, document_type: DocumentType, international: bool) -> SignatureDraft:
    return f.signature_draft(
        name="Acme" if international else "极光科技",
        international=international,
        sign_type=sign_type,
        document_type=document_type,
    )


@pytest.mark.parametrize("international", [False, True], ids=["domestic", "international"])
@pytest.mark.parametrize("document_type", list(DocumentType), ids=lambda d: d.name)
@pytest.mark.parametrize("sign_type", list(SignType), ids=lambda t: t.name)
def test_the_type_and_document_table(sign_type: SignType, document_type: DocumentType, international: bool) -> None:
    draft = draft_for(sign_type, document_type, international)
    accepted = (
        document_type in SPEC_TABLE[sign_type]
        and sign_type not in SPEC_RETIRED_TYPES[international]
        and document_type not in SPEC_RETIRED_DOCUMENTS[international]
    )
    if accepted:
        check_draft(draft)
    else:
        with pytest.raises(InvalidInput) as invalid:
            check_draft(draft)
        assert invalid.value.field in {"SignType", "DocumentType"}


def test_the_table_leaves_something_for_each_region() -> None:
    # Guards the table test above against passing because everything is refused.
    check_draft(draft_for(SignType.COMPANY, DocumentType.THREE_IN_ONE_LICENCE, False))
    check_draft(draft_for(SignType.TRADEMARK, DocumentType.TRADEMARK_CERTIFICATE, False))
    check_draft(draft_for(SignType.GOVERNMENT, DocumentType.SOCIAL_CREDIT_CODE, False))
    check_draft(draft_for(SignType.APP, DocumentType.APP_SCREENSHOT, True))


@pytest.mark.parametrize(
    ("sign_type", "document_type", "international", "field"),
    [
        (SignType.APP, DocumentType.BUSINESS_LICENCE, False, "SignType"),
        (SignType.WEBSITE, DocumentType.BUSINESS_LICENCE, True, "SignType"),
        (SignType.MINI_PROGRAM, DocumentType.MINI_PROGRAM_SCREENSHOT, True, "SignType"),
        (SignType.COMPANY, DocumentType.TRADEMARK_CERTIFICATE, False, "DocumentType"),
        (SignType.GOVERNMENT, DocumentType.BUSINESS_LICENCE, False, "DocumentType"),
    ],
)
def test_the_refusal_names_what_is_wrong(
    sign_type: SignType, document_type: DocumentType, international: bool, field: str
) -> None:
    with pytest.raises(InvalidInput) as invalid:
        check_draft(draft_for(sign_type, document_type, international))
    assert invalid.value.field == field


@pytest.mark.parametrize(
    ("name", "international", "valid"),
    [
        ("腾讯", False, True),
        ("一" * 12, False, True),
        ("一" * 13, False, False),
        ("腾", False, False),
        ("Ac", True, True),
        ("A" * 15, True, True),
        ("A" * 16, True, False),
        ("A", True, False),
        ("客服通知", False, False),
        ("系统通知", False, False),
        (" 极光科技", False, False),
    ],
)
def test_the_name_rules_apply_to_a_request(name: str, international: bool, valid: bool) -> None:
    draft = f.signature_draft(name=name, international=international)
    if valid:
        check_draft(draft)
    else:
        with pytest.raises(InvalidInput) as invalid:
            check_draft(draft)
        assert invalid.value.field == "SignName"


def test_a_proof_document_is_required() -> None:
    with pytest.raises(InvalidInput) as invalid:
        check_draft(f.signature_draft(proof_document_id=None))
    assert invalid.value.field == "ProofImage"


def test_a_signature_on_behalf_of_others_needs_a_power_of_attorney() -> None:
    with pytest.raises(InvalidInput) as invalid:
        check_draft(f.signature_draft(sign_purpose=SignPurpose.ON_BEHALF))
    assert invalid.value.field == "CommissionImage"
    check_draft(f.signature_draft(sign_purpose=SignPurpose.ON_BEHALF, commission_document_id=f.COMMISSION_ID))


def test_a_file_uploaded_with_the_request_counts_as_its_document() -> None:
    check_draft(f.signature_draft(proof_document_id=None), proof_uploaded=True)
    check_draft(f.signature_draft(sign_purpose=SignPurpose.ON_BEHALF), commission_uploaded=True)


def test_own_use_needs_no_power_of_attorney() -> None:
    check_draft(f.signature_draft(sign_purpose=SignPurpose.OWN, commission_document_id=None))


def test_the_remark_is_at_most_500_characters() -> None:
    check_draft(f.signature_draft(remark="r" * 500))
    with pytest.raises(InvalidInput) as invalid:
        check_draft(f.signature_draft(remark="r" * 501))
    assert invalid.value.field == "Remark"


def test_the_remark_may_have_lines_but_no_other_control_characters() -> None:
    check_draft(f.signature_draft(remark="first line\r\nsecond line"))
    with pytest.raises(InvalidInput) as invalid:
        check_draft(f.signature_draft(remark="bell\x07"))
    assert (invalid.value.field, invalid.value.reason) == ("Remark", "must not contain control characters")


def test_every_field_of_a_request_is_checked_at_once_the_name_first() -> None:
    with pytest.raises(InvalidInput) as invalid:
        check_draft(
            f.signature_draft(name="A", proof_document_id=None, sign_purpose=SignPurpose.ON_BEHALF, remark="r" * 501)
        )
    assert [p.field for p in invalid.value.every] == ["SignName", "ProofImage", "CommissionImage", "Remark"]
    assert invalid.value.field == "SignName"  # what an API answers with
