"""Signatures in the database: submitted pending, listed, modified, deleted, decided once; every
tenant-facing method sees only the tenant's own rows."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from smscloud.adapters.storage import tables
from smscloud.domain.documents.model import DocumentPurpose
from smscloud.domain.shared.errors import NotFound
from smscloud.domain.shared.review import ReviewStatus
from smscloud.domain.signatures.model import DocumentType, Signature, SignatureDraft, SignPurpose, SignType
from tests.support.builders import NOW, Builder, Stores, table_row

pytestmark = pytest.mark.integration

LATER = NOW + timedelta(hours=2)


def draft(name: str = "腾讯云", **changes: object) -> SignatureDraft:
    base = SignatureDraft(
        name=name,
        international=False,
        sign_type=SignType.COMPANY,
        document_type=DocumentType.BUSINESS_LICENCE,
        sign_purpose=SignPurpose.OWN,
        proof_document_id=None,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


async def add(stores: Stores, tenant_id: int, name: str = "腾讯云", **changes: object) -> Signature:
    return await stores.signatures.add(tenant_id=tenant_id, draft=draft(name, **changes), now=NOW)


async def decide(stores: Stores, signature: Signature, status: ReviewStatus = ReviewStatus.APPROVED) -> Signature:
    decided = await stores.signatures.decide(
        signature_id=signature.id, status=status, reply="", reviewer_id=None, now=LATER
    )
    assert decided is not None
    return decided


# --- add, get --------------------------------------------------------------------------------------


async def test_a_signature_is_stored_pending_with_all_its_fields(stores: Stores, build: Builder) -> None:
    tenant = await build.tenant()
    proof = await build.document(tenant.id, DocumentPurpose.SIGN_PROOF)
    commission = await build.document(tenant.id, DocumentPurpose.COMMISSION)
    qualification = await build.qualification(tenant.id, status=ReviewStatus.APPROVED)
    signature = await stores.signatures.add(
        tenant_id=tenant.id,
        draft=SignatureDraft(
            name="Acme",
            international=True,
            sign_type=SignType.APP,
            document_type=DocumentType.APP_SCREENSHOT,
            sign_purpose=SignPurpose.ON_BEHALF,
            proof_document_id=proof.id,
            commission_document_id=commission.id,
            qualification_id=qualification.id,
            remark="our app",
        ),
        now=NOW,
    )
    assert (signature.tenant_id, signature.name, signature.international) == (tenant.id, "Acme", True)
    assert (signature.sign_type, signature.document_type, signature.sign_purpose) == (
        SignType.APP,
        DocumentType.APP_SCREENSHOT,
        SignPurpose.ON_BEHALF,
    )
    assert (signature.proof_document_id, signature.commission_document_id, signature.qualification_id) == (
        proof.id,
        commission.id,
        qualification.id,
    )
    assert (signature.remark, signature.status, signature.review_reply) == ("our app", ReviewStatus.PENDING, "")
    assert signature.created_at == signature.updated_at == NOW
    assert signature.reviewed_at is None
    assert await stores.signatures.get(tenant_id=tenant.id, signature_id=signature.id) == signature
    assert await stores.signatures.by_id(signature.id) == signature
    assert await stores.signatures.of_tenant(tenant.id) == [signature]


async def test_unknown_ids_are_none(stores: Stores, build: Builder) -> None:
    tenant = await build.tenant()
    assert await stores.signatures.get(tenant_id=tenant.id, signature_id=999) is None
    assert await stores.signatures.by_id(999) is None


# --- tenant isolation ------------------------------------------------------------------------------


async def test_another_tenant_can_neither_see_nor_change_a_signature(stores: Stores, build: Builder) -> None:
    owner = await build.tenant()
    stranger = await build.tenant()
    mine = await add(stores, owner.id, "我的")
    theirs = await add(stores, stranger.id, "他的")

    assert await stores.signatures.get(tenant_id=stranger.id, signature_id=mine.id) is None
    assert await stores.signatures.named(tenant_id=stranger.id, name="我的", international=False) == []
    assert await stores.signatures.of_tenant(stranger.id) == [theirs]
    assert await stores.signatures.of_tenant(stranger.id, ids=[mine.id]) == []
    assert await stores.signatures.count_of_tenant(stranger.id) == 1
    with pytest.raises(NotFound):
        await stores.signatures.update(tenant_id=stranger.id, signature_id=mine.id, draft=draft("改了"), now=LATER)
    assert await stores.signatures.delete(tenant_id=stranger.id, signature_id=mine.id, now=LATER) is False

    assert await stores.signatures.get(tenant_id=owner.id, signature_id=mine.id) == mine  # untouched
    row = await table_row(stores.db, tables.signature, mine.id)
    assert row.deleted_at is None and row.name == "我的"


# --- lists -----------------------------------------------------------------------------------------


async def test_named_finds_every_live_signature_of_the_name_and_region(stores: Stores, build: Builder) -> None:
    tenant = await build.tenant()
    rejected = await decide(stores, await add(stores, tenant.id, "同名"), ReviewStatus.REJECTED)
    gone = await add(stores, tenant.id, "同名")
    await stores.signatures.delete(tenant_id=tenant.id, signature_id=gone.id, now=LATER)
    pending = await add(stores, tenant.id, "同名")
    await add(stores, tenant.id, "同名", international=True)
    await add(stores, tenant.id, "别名")

    assert await stores.signatures.named(tenant_id=tenant.id, name="同名", international=False) == [rejected, pending]
    assert [
        s.international for s in await stores.signatures.named(tenant_id=tenant.id, name="同名", international=True)
    ] == [True]


async def test_of_tenant_filters_by_region_and_pages_oldest_first(stores: Stores, build: Builder) -> None:
    tenant = await build.tenant()
    signatures = [await add(stores, tenant.id, f"签名{n}", international=n % 2 == 1) for n in range(5)]
    gone = await add(stores, tenant.id, "删掉的")
    await stores.signatures.delete(tenant_id=tenant.id, signature_id=gone.id, now=LATER)

    assert await stores.signatures.of_tenant(tenant.id) == signatures
    assert await stores.signatures.of_tenant(tenant.id, international=False) == signatures[0::2]
    assert await stores.signatures.of_tenant(tenant.id, international=True) == signatures[1::2]
    assert await stores.signatures.of_tenant(tenant.id, limit=2) == signatures[:2]
    assert await stores.signatures.of_tenant(tenant.id, limit=2, offset=2) == signatures[2:4]
    assert await stores.signatures.of_tenant(tenant.id, offset=4) == signatures[4:]
    assert await stores.signatures.count_of_tenant(tenant.id) == 5


async def test_ids_select_regardless_of_paging(stores: Stores, build: Builder) -> None:
    tenant = await build.tenant()
    signatures = [await add(stores, tenant.id, f"签名{n}") for n in range(4)]
    gone = await add(stores, tenant.id, "删掉的")
    await stores.signatures.delete(tenant_id=tenant.id, signature_id=gone.id, now=LATER)

    wanted = [signatures[3].id, signatures[1].id, gone.id, 999]
    assert await stores.signatures.of_tenant(tenant.id, ids=wanted, limit=1, offset=5) == [signatures[1], signatures[3]]
    assert await stores.signatures.of_tenant(tenant.id, ids=wanted, international=True) == []


# --- update, delete --------------------------------------------------------------------------------


async def test_update_replaces_the_request_and_puts_it_back_to_review(stores: Stores, build: Builder) -> None:
    tenant = await build.tenant()
    operator = await build.operator()
    proof = await build.document(tenant.id)
    signature = await add(stores, tenant.id, "旧名")
    rejected = await stores.signatures.decide(
        signature_id=signature.id, status=ReviewStatus.REJECTED, reply="模糊", reviewer_id=operator.id, now=LATER
    )
    assert rejected is not None and rejected.reviewed_at == LATER

    modified_at = LATER + timedelta(hours=1)
    updated = await stores.signatures.update(
        tenant_id=tenant.id,
        signature_id=signature.id,
        draft=draft("新名", proof_document_id=proof.id, remark="清楚了"),
        now=modified_at,
    )
    assert (updated.id, updated.name, updated.proof_document_id, updated.remark) == (
        signature.id,
        "新名",
        proof.id,
        "清楚了",
    )
    assert (updated.status, updated.review_reply, updated.reviewed_at) == (ReviewStatus.PENDING, "", None)
    assert (updated.created_at, updated.updated_at) == (NOW, modified_at)
    assert await stores.signatures.get(tenant_id=tenant.id, signature_id=signature.id) == updated
    row = await table_row(stores.db, tables.signature, signature.id)
    assert row.reviewed_by is None


async def test_delete_is_soft_and_once(stores: Stores, build: Builder) -> None:
    tenant = await build.tenant()
    signature = await decide(stores, await add(stores, tenant.id))
    assert await stores.signatures.delete(tenant_id=tenant.id, signature_id=signature.id, now=LATER) is True

    assert await stores.signatures.get(tenant_id=tenant.id, signature_id=signature.id) is None
    assert await stores.signatures.by_id(signature.id) is None
    assert await stores.signatures.of_tenant(tenant.id) == []
    assert await stores.signatures.count_of_tenant(tenant.id) == 0
    row = await table_row(stores.db, tables.signature, signature.id)
    assert row is not None and row.deleted_at == LATER and row.status == "approved"

    assert await stores.signatures.delete(tenant_id=tenant.id, signature_id=signature.id, now=LATER) is False
    with pytest.raises(NotFound):
        await stores.signatures.update(tenant_id=tenant.id, signature_id=signature.id, draft=draft(), now=LATER)
    assert (
        await stores.signatures.decide(
            signature_id=signature.id, status=ReviewStatus.APPROVED, reply="", reviewer_id=None, now=LATER
        )
        is None
    )


# --- review ----------------------------------------------------------------------------------------


async def test_pending_lists_the_longest_waiting_first(stores: Stores, build: Builder) -> None:
    a, b = await build.tenant(), await build.tenant()
    first = await stores.signatures.add(tenant_id=a.id, draft=draft("第一"), now=NOW)
    second = await stores.signatures.add(tenant_id=b.id, draft=draft("第二"), now=NOW + timedelta(minutes=1))
    third = await stores.signatures.add(tenant_id=a.id, draft=draft("第三"), now=NOW + timedelta(minutes=2))
    await decide(stores, await stores.signatures.add(tenant_id=a.id, draft=draft("已批"), now=NOW))
    gone = await stores.signatures.add(tenant_id=b.id, draft=draft("删了"), now=NOW)
    await stores.signatures.delete(tenant_id=b.id, signature_id=gone.id, now=LATER)
    # Modified: submitted again now, so it waits at the back of the line.
    first = await stores.signatures.update(
        tenant_id=a.id, signature_id=first.id, draft=draft("第一改"), now=NOW + timedelta(minutes=3)
    )

    assert await stores.signatures.pending(limit=10) == [second, third, first]
    assert await stores.signatures.pending(limit=1, offset=1) == [third]
    assert await stores.signatures.count_pending() == 3


async def test_decide_records_the_review_of_a_pending_signature(stores: Stores, build: Builder) -> None:
    tenant = await build.tenant()
    operator = await build.operator()
    signature = await add(stores, tenant.id)
    decided = await stores.signatures.decide(
        signature_id=signature.id, status=ReviewStatus.APPROVED, reply="好", reviewer_id=operator.id, now=LATER
    )
    assert decided is not None
    assert (decided.status, decided.review_reply, decided.reviewed_at) == (ReviewStatus.APPROVED, "好", LATER)
    assert decided.updated_at == NOW  # when it was submitted: a decision is not a submission
    row = await table_row(stores.db, tables.signature, signature.id)
    assert row.reviewed_by == operator.id
    assert decided.usable_for(tenant_id=tenant.id, international=False)


async def test_a_decision_on_a_submission_changed_since_it_was_seen_is_not_recorded(
    stores: Stores, build: Builder
) -> None:
    tenant = await build.tenant()
    signature = await add(stores, tenant.id)
    stale = signature.updated_at - timedelta(microseconds=1)

    async def approve(seen: datetime) -> Signature | None:
        return await stores.signatures.decide(
            signature_id=signature.id, status=ReviewStatus.APPROVED, reply="", reviewer_id=None, now=LATER, seen=seen
        )

    assert await approve(stale) is None
    assert await stores.signatures.by_id(signature.id) == signature
    decided = await approve(signature.updated_at)
    assert decided is not None and decided.status is ReviewStatus.APPROVED


async def test_only_a_pending_signature_is_decided(stores: Stores, build: Builder) -> None:
    tenant = await build.tenant()
    rejected = await decide(stores, await add(stores, tenant.id), ReviewStatus.REJECTED)
    again = await stores.signatures.decide(
        signature_id=rejected.id, status=ReviewStatus.APPROVED, reply="", reviewer_id=None, now=LATER
    )
    assert again is None
    assert await stores.signatures.by_id(rejected.id) == rejected
    assert (
        await stores.signatures.decide(
            signature_id=999, status=ReviewStatus.APPROVED, reply="", reviewer_id=None, now=LATER
        )
        is None
    )


async def test_of_two_decisions_at_once_exactly_one_is_recorded(stores: Stores, build: Builder) -> None:
    tenant = await build.tenant()
    signature = await add(stores, tenant.id)
    outcomes = await asyncio.gather(
        *(
            stores.signatures.decide(
                signature_id=signature.id,
                status=ReviewStatus.APPROVED if n % 2 else ReviewStatus.REJECTED,
                reply=str(n),
                reviewer_id=None,
                now=LATER,
            )
            for n in range(6)
        )
    )
    winners = [outcome for outcome in outcomes if outcome is not None]
    assert len(winners) == 1
    assert await stores.signatures.by_id(signature.id) == winners[0]
