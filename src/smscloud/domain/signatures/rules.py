"""What a signature request may look like (spec §4.2 and AddSmsSign in §1.7)."""

from __future__ import annotations

import re

from smscloud.domain.shared.errors import InvalidInput
from smscloud.domain.shared.problems import Problems
from smscloud.domain.shared.text import has_control_characters
from smscloud.domain.signatures.model import DocumentType, SignatureDraft, SignPurpose, SignType

__all__ = [
    "DOCUMENTS_FOR",
    "DOMESTIC_LENGTH",
    "INTERNATIONAL_LENGTH",
    "MAX_REMARK",
    "MAX_SIGNATURES",
    "RETIRED_DOCUMENTS",
    "RETIRED_SIGN_TYPES",
    "check_draft",
    "check_signature_name",
]

DOMESTIC_LENGTH = (2, 12)
INTERNATIONAL_LENGTH = (2, 15)
MAX_REMARK = 500
MAX_SIGNATURES = 100  # signatures a tenant may hold at once (SignNumberLimit)
# Chinese characters, ASCII letters and digits; international signatures may also hold spaces.
_DOMESTIC = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]+")
_INTERNATIONAL = re.compile(r"[\u4e00-\u9fffA-Za-z0-9 ]+")
_GENERIC_NAMES = frozenset({"客服通知", "系统通知", "短信通知", "验证码", "通知", "测试"})

# Which documents prove which kind of signature.
DOCUMENTS_FOR: dict[SignType, frozenset[DocumentType]] = {
    SignType.COMPANY: frozenset({DocumentType.THREE_IN_ONE_LICENCE, DocumentType.BUSINESS_LICENCE}),
    SignType.APP: frozenset(
        {
            DocumentType.THREE_IN_ONE_LICENCE,
            DocumentType.BUSINESS_LICENCE,
            DocumentType.ORGANISATION_CODE,
            DocumentType.SOCIAL_CREDIT_CODE,
            DocumentType.APP_SCREENSHOT,
        }
    ),
    SignType.WEBSITE: frozenset(
        {
            DocumentType.THREE_IN_ONE_LICENCE,
            DocumentType.BUSINESS_LICENCE,
            DocumentType.ORGANISATION_CODE,
            DocumentType.SOCIAL_CREDIT_CODE,
            DocumentType.WEBSITE_ICP_SCREENSHOT,
        }
    ),
    SignType.OFFICIAL_ACCOUNT: frozenset(
        {
            DocumentType.THREE_IN_ONE_LICENCE,
            DocumentType.BUSINESS_LICENCE,
            DocumentType.ORGANISATION_CODE,
            DocumentType.SOCIAL_CREDIT_CODE,
            DocumentType.OFFICIAL_ACCOUNT_SCREENSHOT,
        }
    ),
    SignType.TRADEMARK: frozenset({DocumentType.TRADEMARK_CERTIFICATE}),
    SignType.GOVERNMENT: frozenset({DocumentType.ORGANISATION_CODE, DocumentType.SOCIAL_CREDIT_CODE}),
    SignType.MINI_PROGRAM: frozenset(
        {
            DocumentType.THREE_IN_ONE_LICENCE,
            DocumentType.BUSINESS_LICENCE,
            DocumentType.ORGANISATION_CODE,
            DocumentType.SOCIAL_CREDIT_CODE,
            DocumentType.MINI_PROGRAM_SCREENSHOT,
        }
    ),
}
# Tencent no longer accepts these (spec §1.7 AddSmsSign): website, official account and
# mini-program signatures anywhere, APP signatures for mainland China.
RETIRED_SIGN_TYPES: dict[bool, frozenset[SignType]] = {
    False: frozenset({SignType.APP, SignType.WEBSITE, SignType.OFFICIAL_ACCOUNT, SignType.MINI_PROGRAM}),
    True: frozenset({SignType.WEBSITE, SignType.OFFICIAL_ACCOUNT, SignType.MINI_PROGRAM}),
}
RETIRED_DOCUMENTS: dict[bool, frozenset[DocumentType]] = {
    False: frozenset(
        {
            DocumentType.APP_SCREENSHOT,
            DocumentType.WEBSITE_ICP_SCREENSHOT,
            DocumentType.MINI_PROGRAM_SCREENSHOT,
            DocumentType.OFFICIAL_ACCOUNT_SCREENSHOT,
        }
    ),
    True: frozenset(
        {
            DocumentType.WEBSITE_ICP_SCREENSHOT,
            DocumentType.MINI_PROGRAM_SCREENSHOT,
            DocumentType.OFFICIAL_ACCOUNT_SCREENSHOT,
        }
    ),
}


def check_signature_name(name: str, *, international: bool) -> None:
    low, high = INTERNATIONAL_LENGTH if international else DOMESTIC_LENGTH
    if len(name) > high:
        raise InvalidInput("SignName", f"must be at most {high} characters")
    if len(name) < low:
        raise InvalidInput("SignName", f"must be {low} to {high} characters")
    pattern = _INTERNATIONAL if international else _DOMESTIC
    if not pattern.fullmatch(name) or name != name.strip():
        raise InvalidInput("SignName", "may only hold Chinese characters, letters and digits")
    if name in _GENERIC_NAMES:
        raise InvalidInput("SignName", "a generic name does not identify a company or product")


def check_draft(draft: SignatureDraft, *, proof_uploaded: bool = False, commission_uploaded: bool = False) -> None:
    """Every rule a request must pass on its own (ownership of documents is checked by the service);
    every field's problem is raised at once, the first in this order deciding an API's error code.

    A file uploaded with the request but not stored yet counts as its document.
    """
    problems = Problems()
    problems.check(lambda: check_signature_name(draft.name, international=draft.international), None)
    if draft.sign_type in RETIRED_SIGN_TYPES[draft.international]:
        problems.add("SignType", "this signature type is no longer accepted")
    if draft.document_type not in DOCUMENTS_FOR[draft.sign_type]:
        problems.add("DocumentType", "this document does not prove a signature of this type")
    elif draft.document_type in RETIRED_DOCUMENTS[draft.international]:
        problems.add("DocumentType", "this document type is no longer accepted")
    if draft.proof_document_id is None and not proof_uploaded:
        problems.add("ProofImage", "a proof document is required")
    commission = draft.commission_document_id is not None or commission_uploaded
    if draft.sign_purpose is SignPurpose.ON_BEHALF and not commission:
        problems.add("CommissionImage", "a power of attorney is required for a signature used on behalf of others")
    if len(draft.remark) > MAX_REMARK:
        problems.add("Remark", f"must be at most {MAX_REMARK} characters")
    elif has_control_characters(draft.remark.replace("\n", " ").replace("\r", " ")):  # lines are fine
        problems.add("Remark", "must not contain control characters")
    problems.raise_any()
