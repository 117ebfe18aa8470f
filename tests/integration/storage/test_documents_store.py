"""Uploaded documents in the database: described without their bytes, read back whole."""

from __future__ import annotations

import hashlib

import pytest

from smscloud.domain.documents.model import DocumentPurpose
from tests.support.builders import NOW, PNG, Builder, Stores

pytestmark = pytest.mark.integration

PDF = b"%PDF-1.7\n" + bytes(range(256)) * 40  # every byte value, 10 KiB


async def test_a_document_round_trips_with_its_bytes(stores: Stores, build: Builder) -> None:
    tenant = await build.tenant()
    document = await stores.documents.add(
        tenant_id=tenant.id,
        purpose=DocumentPurpose.LICENCE,
        filename="营业执照.pdf",
        content_type="application/pdf",
        data=PDF,
        sha256=hashlib.sha256(PDF).hexdigest(),
        now=NOW,
    )
    assert document.id > 0
    assert (document.tenant_id, document.purpose, document.filename, document.content_type) == (
        tenant.id,
        DocumentPurpose.LICENCE,
        "营业执照.pdf",
        "application/pdf",
    )
    assert (document.size, document.sha256, document.created_at) == (len(PDF), hashlib.sha256(PDF).hexdigest(), NOW)
    assert await stores.documents.get(document.id) == document
    content = await stores.documents.content(document.id)
    assert type(content) is bytes
    assert content == PDF


async def test_documents_are_kept_apart(stores: Stores, build: Builder) -> None:
    tenant = await build.tenant()
    other = await build.tenant()
    mine = await build.document(tenant.id, DocumentPurpose.SIGN_PROOF, PNG)
    theirs = await build.document(other.id, DocumentPurpose.COMMISSION, PNG + b"x")
    assert await stores.documents.get(mine.id) == mine
    assert await stores.documents.get(theirs.id) == theirs
    # The port is not tenant-scoped: the tenant id is there for the caller to check.
    assert (mine.tenant_id, theirs.tenant_id) == (tenant.id, other.id)
    assert await stores.documents.content(theirs.id) == PNG + b"x"


async def test_an_unknown_document_is_none(stores: Stores) -> None:
    assert await stores.documents.get(999) is None
    assert await stores.documents.content(999) is None
