"""Uploaded documents, kept whole in the database.

The port is not tenant-scoped: `get` returns any document by id, and callers compare its
`tenant_id` with the caller's before serving it or accepting it in a request.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select

from smscloud.adapters.storage import mappers, tables
from smscloud.adapters.storage.database import Database
from smscloud.domain.documents.model import Document, DocumentPurpose

__all__ = ["SqlDocumentStore"]

_d = tables.document
# Everything but the bytes: a description never loads the file.
_DESCRIPTION = tuple(column for column in _d.c if column.name != "data")


class SqlDocumentStore:
    """`DocumentStore` over the document table."""

    def __init__(self, db: Database) -> None:
        self._db = db

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
    ) -> Document:
        values = {
            "tenant_id": tenant_id,
            "purpose": purpose.value,
            "filename": filename,
            "content_type": content_type,
            "size": len(data),
            "sha256": sha256,
            "data": data,
            "created_at": now,
        }

        def job(conn: Connection) -> Any:
            return conn.execute(insert(_d).values(values).returning(*_DESCRIPTION)).one()

        return mappers.to_document(await self._db.write(job))

    async def get(self, document_id: int) -> Document | None:
        def job(conn: Connection) -> Document | None:
            row = conn.execute(select(*_DESCRIPTION).where(_d.c.id == document_id)).first()
            return None if row is None else mappers.to_document(row)

        return await self._db.read(job)

    async def content(self, document_id: int) -> bytes | None:
        def job(conn: Connection) -> bytes | None:
            data = conn.execute(select(_d.c.data).where(_d.c.id == document_id)).scalar_one_or_none()
            return None if data is None else bytes(data)

        return await self._db.read(job)
