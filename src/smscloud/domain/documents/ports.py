"""What the documents context needs from the outside world."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from smscloud.domain.documents.model import Document, DocumentPurpose

__all__ = ["DocumentStore"]


class DocumentStore(Protocol):
    async def add(
        self,
        *,
        tenant_id: int,
        purpose: DocumentPurpose,
        filename: str,
        content_type: str,
        data: bytes,
        sha256: str,
        now: datetime,
    ) -> Document: ...

    async def get(self, document_id: int) -> Document | None: ...

    async def content(self, document_id: int) -> bytes | None: ...
