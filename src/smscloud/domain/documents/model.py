"""An uploaded file, kept whole in the database and served only to its tenant and operators."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

__all__ = ["Document", "DocumentPurpose", "Upload"]


class DocumentPurpose(StrEnum):
    LICENCE = "licence"  # business licence for a qualification
    SIGN_PROOF = "sign_proof"  # proof that a signature belongs to the customer
    COMMISSION = "commission"  # power of attorney for a signature used on behalf of others


@dataclass(frozen=True, slots=True)
class Document:
    id: int
    tenant_id: int
    purpose: DocumentPurpose
    filename: str
    content_type: str
    size: int
    sha256: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Upload:
    """A file as it arrived, before it is checked or stored: the name the sender gave it and its bytes."""

    filename: str
    data: bytes
