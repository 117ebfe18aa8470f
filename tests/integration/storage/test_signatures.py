"""Signatures in the database: submitted pending, reviewed."""

from __future__ import annotations

from datetime import timedelta

import pytest

from smscloud.domain.shared.errors import NotFound
from smscloud.domain.shared.review import ReviewStatus
from smscloud.domain.signatures.model import DocumentType, SignPurpose, SignType
from tests.support.builders import NOW, Builder, Stores

pytestmark = pytest.mark.integration


async def test_a_signature_is_stored_pending_with_all_its_fields(stores: Stores, build: Builder) -> None:
    tenant = await build.tenant()
    signature = await stores.signatures.add(
        tenant_id=tenant.id,
        name="Acme",
        international=True,
        sign_type=SignType.APP,
        document_type=DocumentType.APP_SCREENSHOT,
        sign_purpose=SignPurpose.ON_BEHALF,
        remark="our app",
        now=NOW,
    )
    assert (signature.tenant_id, signature.name, signature.international) == (tenant.id, "Acme", True)
    assert (signature.sign_type, signature.document_type, signature.sign_purpose) == (
        SignType.APP,
        DocumentType.APP_SCREENSHOT,
        SignPurpose.ON_BEHALF,
    )
    assert (signature.remark, signature.status, signature.review_reply) == (
        "our app",
        ReviewStatus.PENDING,
        "",
    )
    assert signature.created_at == signature.updated_at == NOW
    assert await stores.signatures.of_tenant(tenant.id) == [signature]


async def test_review_updates_status_reply_and_time(stores: Stores, build: Builder) -> None:
    tenant = await build.tenant()
    signature = await build.signature(tenant.id, status=ReviewStatus.PENDING)
    later = NOW + timedelta(hours=2)
    reviewed = await stores.signatures.set_review(
        signature_id=signature.id, status=ReviewStatus.REJECTED, reply="generic name", now=later
    )
    assert (reviewed.status, reviewed.review_reply, reviewed.updated_at, reviewed.created_at) == (
        ReviewStatus.REJECTED,
        "generic name",
        later,
        NOW,
    )
    assert await stores.signatures.of_tenant(tenant.id) == [reviewed]


async def test_reviewing_an_unknown_signature_is_not_found(stores: Stores) -> None:
    with pytest.raises(NotFound):
        await stores.signatures.set_review(signature_id=999, status=ReviewStatus.APPROVED, reply="", now=NOW)


async def test_of_tenant_is_per_tenant(stores: Stores, build: Builder) -> None:
    tenant = await build.tenant()
    other = await build.tenant()
    mine = await build.signature(tenant.id, "我的")
    await build.signature(other.id, "他的")
    assert await stores.signatures.of_tenant(tenant.id) == [mine]
