"""Two submissions at the same moment: the database keeps one (migration 0005's unique indexes)."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from smscloud.adapters.storage.database import Database
from smscloud.adapters.storage.migrate import head_revision, upgrade
from smscloud.domain.shared.errors import Conflict
from smscloud.domain.shared.review import ReviewStatus
from smscloud.domain.signatures.errors import SignatureExists
from smscloud.domain.signatures.model import DocumentType, SignatureDraft, SignPurpose, SignType
from tests.support.builders import Builder, make_stores

pytestmark = pytest.mark.integration

DRAFT = SignatureDraft(
    name="并发签名",
    international=False,
    sign_type=SignType.COMPANY,
    document_type=DocumentType.BUSINESS_LICENCE,
    sign_purpose=SignPurpose.OWN,
    proof_document_id=None,
)


async def test_of_two_qualifications_submitted_at_once_one_is_kept(db: Database) -> None:
    stores = make_stores(db)
    build = Builder(stores)
    tenant = await build.tenant()
    licence = await build.document(tenant.id)

    async def submit() -> object:
        return await stores.qualifications.add(
            tenant_id=tenant.id,
            company_name="腾讯科技（深圳）有限公司",
            credit_code="91440300708461136T",
            licence_document_id=licence.id,
            contact_name="张三",
            contact_phone="13800000000",
            now=stores.clock.now(),
        )

    outcomes = await asyncio.gather(submit(), submit(), return_exceptions=True)
    assert sorted(type(o).__name__ for o in outcomes) == ["Conflict", "Qualification"]
    # Rejected, it may be submitted again; approved, never.
    current = await stores.qualifications.current_of(tenant.id)
    assert current is not None
    await stores.qualifications.decide(
        qualification_id=current.id,
        status=ReviewStatus.REJECTED,
        reply="blurred",
        operator_id=None,
        now=current.submitted_at,
    )
    again = await submit()
    await stores.qualifications.decide(
        qualification_id=again.id,  # type: ignore[attr-defined]
        status=ReviewStatus.APPROVED,
        reply="",
        operator_id=None,
        now=current.submitted_at,
    )
    with pytest.raises(Conflict):
        await submit()


async def test_of_two_signatures_of_one_name_submitted_at_once_one_is_kept(db: Database) -> None:
    stores = make_stores(db)
    tenant = await Builder(stores).tenant()
    now = stores.clock.now()

    outcomes = await asyncio.gather(
        stores.signatures.add(tenant_id=tenant.id, draft=DRAFT, now=now),
        stores.signatures.add(tenant_id=tenant.id, draft=DRAFT, now=now),
        return_exceptions=True,
    )
    refused = [o for o in outcomes if isinstance(o, BaseException)]
    assert len(refused) == 1 and isinstance(refused[0], SignatureExists) and refused[0].pending
    [kept] = await stores.signatures.named(tenant_id=tenant.id, name=DRAFT.name, international=False)

    await stores.signatures.decide(
        signature_id=kept.id, status=ReviewStatus.APPROVED, reply="", reviewer_id=None, now=now
    )
    with pytest.raises(SignatureExists) as approved:
        await stores.signatures.add(tenant_id=tenant.id, draft=DRAFT, now=now)
    assert not approved.value.pending
    # The same name abroad is another signature; a deleted one blocks nothing.
    await stores.signatures.add(tenant_id=tenant.id, draft=replace(DRAFT, international=True), now=now)
    assert await stores.signatures.delete(tenant_id=tenant.id, signature_id=kept.id, now=now)
    await stores.signatures.add(tenant_id=tenant.id, draft=DRAFT, now=now)


async def test_the_migration_settles_duplicates_made_before_it(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    await upgrade(url, "0004")
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO tenant (id, name, kind, status, timezone, created_at) "
                "VALUES (1, 't', 'enterprise', 'active', 'Asia/Shanghai', 0)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO document (id, tenant_id, purpose, filename, content_type, size, sha256, data, "
                "created_at) VALUES (1, 1, 'licence', 'l.png', 'image/png', 1, '', x'00', 0)"
            )
        )
        for row_id, status in ((1, "pending"), (2, "pending"), (3, "rejected")):
            conn.execute(
                text(
                    "INSERT INTO qualification (id, tenant_id, company_name, credit_code, licence_document_id, "
                    "contact_name, contact_phone, status, submitted_at) VALUES (:id, 1, 'c', 'x', 1, 'n', 'p', :s, 0)"
                ),
                {"id": row_id, "s": status},
            )
        for row_id, status in ((1, "pending"), (2, "approved"), (3, "pending")):
            conn.execute(
                text(
                    "INSERT INTO signature (id, tenant_id, name, international, sign_type, document_type, "
                    "sign_purpose, status, created_at, updated_at) VALUES (:id, 1, '重复', 0, 0, 1, 0, :s, 0, 5)"
                ),
                {"id": row_id, "s": status},
            )
    await upgrade(url)
    with engine.begin() as conn:
        qualifications = conn.execute(text("SELECT id, status FROM qualification ORDER BY id")).all()
        signatures = conn.execute(text("SELECT id, deleted_at IS NULL FROM signature ORDER BY id")).all()
        revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    engine.dispose()
    assert revision == head_revision()
    assert [tuple(r) for r in qualifications] == [(1, "rejected"), (2, "pending"), (3, "rejected")]  # the newest kept
    assert [tuple(r) for r in signatures] == [(1, 0), (2, 1), (3, 0)]  # the approved one kept
