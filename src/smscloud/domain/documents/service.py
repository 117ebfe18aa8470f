"""Use cases of documents: accept an upload."""

from __future__ import annotations

import hashlib

from smscloud.domain.documents.model import Document, DocumentPurpose
from smscloud.domain.documents.ports import DocumentStore
from smscloud.domain.documents.rules import DEFAULT_MAX_BYTES, clean_filename, sniff_content_type
from smscloud.domain.shared.clock import Clock

__all__ = ["upload_document"]


async def upload_document(
    *,
    store: DocumentStore,
    clock: Clock,
    tenant_id: int,
    purpose: DocumentPurpose,
    filename: str,
    data: bytes,
    field: str,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Document:
    content_type = sniff_content_type(data, field=field, max_bytes=max_bytes)
    return await store.add(
        tenant_id=tenant_id,
        purpose=purpose,
        filename=clean_filename(filename),
        content_type=content_type,
        data=data,
        sha256=hashlib.sha256(data).hexdigest(),
        now=clock.now(),
    )
