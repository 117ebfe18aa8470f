"""Signatures: the 【name】 a message carries, approved by an operator before use."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum

from smscloud.domain.shared.review import ReviewStatus

__all__ = ["DocumentType", "SignPurpose", "SignType", "Signature", "SignatureDraft"]


class SignType(IntEnum):
    COMPANY = 0
    APP = 1
    WEBSITE = 2
    OFFICIAL_ACCOUNT = 3
    TRADEMARK = 4
    GOVERNMENT = 5
    MINI_PROGRAM = 6


class DocumentType(IntEnum):
    THREE_IN_ONE_LICENCE = 0
    BUSINESS_LICENCE = 1
    ORGANISATION_CODE = 2
    SOCIAL_CREDIT_CODE = 3
    APP_SCREENSHOT = 4
    WEBSITE_ICP_SCREENSHOT = 5
    MINI_PROGRAM_SCREENSHOT = 6
    TRADEMARK_CERTIFICATE = 7
    OFFICIAL_ACCOUNT_SCREENSHOT = 8


class SignPurpose(IntEnum):
    OWN = 0
    ON_BEHALF = 1


@dataclass(frozen=True, slots=True)
class Signature:
    id: int
    tenant_id: int
    name: str
    international: bool
    sign_type: SignType
    document_type: DocumentType
    sign_purpose: SignPurpose
    remark: str
    status: ReviewStatus
    review_reply: str
    created_at: datetime
    updated_at: datetime
    proof_document_id: int | None = None
    commission_document_id: int | None = None
    qualification_id: int | None = None
    reviewed_at: datetime | None = None

    def usable_for(self, *, tenant_id: int, international: bool) -> bool:
        return self.tenant_id == tenant_id and self.status.usable and self.international == international

    def decorate(self, body: str) -> str:
        """The text as the handset shows it: 【name】 for mainland China, [name] elsewhere."""
        if self.international:
            return f"[{self.name}]{body}"
        return f"【{self.name}】{body}"


@dataclass(frozen=True, slots=True)
class SignatureDraft:
    """What a customer submits (or resubmits) for review."""

    name: str
    international: bool
    sign_type: SignType
    document_type: DocumentType
    sign_purpose: SignPurpose
    proof_document_id: int | None
    commission_document_id: int | None = None
    qualification_id: int | None = None
    remark: str = ""
