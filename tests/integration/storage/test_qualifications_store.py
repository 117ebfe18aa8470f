"""Qualification submissions in the database: the newest is current, a decision applies once."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from smscloud.domain.documents.model import DocumentPurpose
from smscloud.domain.qualification.model import Qualification
from smscloud.domain.shared.review import ReviewStatus
from tests.support.builders import NOW, Builder, Stores

pytestmark = pytest.mark.integration

LATER = NOW + timedelta(hours=3)


async def submit(stores: Stores, build: Builder, tenant_id: int, *, at: timedelta = timedelta(0)) -> Qualification:
    licence = await build.document(tenant_id, DocumentPurpose.LICENCE)
    return await stores.qualifications.add(
        tenant_id=tenant_id,
        company_name="深圳市腾讯计算机系统有限公司",
        credit_code="91440300708461136T",
        licence_document_id=licence.id,
        contact_name="张三",
        contact_phone="0755-86013388",
        now=NOW + at,
    )


async def test_a_submission_is_stored_pending(stores: Stores, build: Builder) -> None:
    tenant = await build.tenant()
    licence = await build.document(tenant.id, DocumentPurpose.LICENCE)
    qualification = await stores.qualifications.add(
        tenant_id=tenant.id,
        company_name="深圳市腾讯计算机系统有限公司",
        credit_code="91440300708461136T",
        licence_document_id=licence.id,
        contact_name="张三",
        contact_phone="0755-86013388",
        now=NOW,
    )
    assert (qualification.tenant_id, qualification.company_name, qualification.credit_code) == (
        tenant.id,
        "深圳市腾讯计算机系统有限公司",
        "91440300708461136T",
    )
    assert (qualification.licence_document_id, qualification.contact_name, qualification.contact_phone) == (
        licence.id,
        "张三",
        "0755-86013388",
    )
    assert (qualification.status, qualification.review_reply, qualification.submitted_at) == (
        ReviewStatus.PENDING,
        "",
        NOW,
    )
    assert (qualification.reviewed_at, qualification.reviewed_by) == (None, None)
    assert await stores.qualifications.by_id(qualification.id) == qualification
    assert await stores.qualifications.by_id(qualification.id + 100) is None


async def test_current_is_the_newest_and_approved_the_newest_approved(stores: Stores, build: Builder) -> None:
    tenant = await build.tenant()
    other = await build.tenant()
    assert await stores.qualifications.current_of(tenant.id) is None
    assert await stores.qualifications.approved_of(tenant.id) is None

    rejected = await build.qualification(tenant.id, status=ReviewStatus.REJECTED)
    assert await stores.qualifications.current_of(tenant.id) == rejected
    assert await stores.qualifications.approved_of(tenant.id) is None
    approved = await build.qualification(tenant.id, status=ReviewStatus.APPROVED)
    theirs = await build.qualification(other.id)

    assert await stores.qualifications.current_of(tenant.id) == approved
    assert await stores.qualifications.approved_of(tenant.id) == approved
    assert await stores.qualifications.current_of(other.id) == theirs
    assert await stores.qualifications.approved_of(other.id) is None


async def test_pending_lists_the_oldest_submission_first(stores: Stores, build: Builder) -> None:
    a, b, c, d = [await build.tenant() for _ in range(4)]
    late = await submit(stores, build, a.id, at=timedelta(minutes=5))
    early = await submit(stores, build, b.id, at=timedelta(minutes=1))
    await build.qualification(c.id, status=ReviewStatus.APPROVED)
    await build.qualification(d.id, status=ReviewStatus.REJECTED)
    assert await stores.qualifications.pending(limit=10) == [early, late]
    assert await stores.qualifications.pending(limit=1, offset=1) == [late]
    assert await stores.qualifications.count_pending() == 2


async def test_decide_records_the_review_once(stores: Stores, build: Builder) -> None:
    tenant = await build.tenant()
    operator = await build.operator()
    qualification = await submit(stores, build, tenant.id)
    decided = await stores.qualifications.decide(
        qualification_id=qualification.id,
        status=ReviewStatus.REJECTED,
        reply="执照模糊",
        operator_id=operator.id,
        now=LATER,
    )
    assert decided is not None
    assert (decided.status, decided.review_reply, decided.reviewed_at, decided.reviewed_by) == (
        ReviewStatus.REJECTED,
        "执照模糊",
        LATER,
        operator.id,
    )
    assert decided.submitted_at == NOW
    assert await stores.qualifications.by_id(qualification.id) == decided

    again = await stores.qualifications.decide(
        qualification_id=qualification.id, status=ReviewStatus.APPROVED, reply="", operator_id=None, now=LATER
    )
    assert again is None
    assert await stores.qualifications.by_id(qualification.id) == decided
    unknown = await stores.qualifications.decide(
        qualification_id=999, status=ReviewStatus.APPROVED, reply="", operator_id=None, now=LATER
    )
    assert unknown is None


async def test_of_two_decisions_at_once_exactly_one_is_recorded(stores: Stores, build: Builder) -> None:
    tenant = await build.tenant()
    qualification = await submit(stores, build, tenant.id)
    outcomes = await asyncio.gather(
        *(
            stores.qualifications.decide(
                qualification_id=qualification.id,
                status=ReviewStatus.APPROVED if n % 2 else ReviewStatus.REJECTED,
                reply=str(n),
                operator_id=None,
                now=LATER,
            )
            for n in range(6)
        )
    )
    winners = [outcome for outcome in outcomes if outcome is not None]
    assert len(winners) == 1
    assert await stores.qualifications.by_id(qualification.id) == winners[0]
