"""The audit log in the database: recorded as given, read newest first, filtered."""

from __future__ import annotations

from datetime import timedelta

import pytest

from smscloud.domain.audit.model import Actor, ActorKind, AuditEntry
from tests.support.builders import NOW, Stores

pytestmark = pytest.mark.integration


async def record(
    stores: Stores, action: str, *, minutes: int, tenant_id: int | None = 7, subject_kind: str = "signature"
) -> None:
    await stores.audit.record(
        actor=Actor.operator(3),
        action=action,
        subject_kind=subject_kind,
        subject_id=minutes,
        tenant_id=tenant_id,
        detail=f"at {minutes}",
        now=NOW + timedelta(minutes=minutes),
    )


async def test_an_entry_is_recorded_as_given(stores: Stores) -> None:
    await stores.audit.record(
        actor=Actor.system(),
        action="sms.enable",
        subject_kind="tenant",
        subject_id=None,
        tenant_id=None,
        detail="",
        now=NOW,
    )
    await stores.audit.record(
        actor=Actor.user(5),
        action="qualification.submit",
        subject_kind="qualification",
        subject_id=9,
        tenant_id=2,
        detail="深圳市腾讯计算机系统有限公司 91440300708461136T",
        now=NOW,
    )
    newest, oldest = await stores.audit.recent(limit=10)
    assert newest == AuditEntry(
        id=newest.id,
        at=NOW,
        actor=Actor(ActorKind.USER, 5),
        action="qualification.submit",
        subject_kind="qualification",
        subject_id=9,
        tenant_id=2,
        detail="深圳市腾讯计算机系统有限公司 91440300708461136T",
    )
    assert (oldest.actor, oldest.subject_id, oldest.tenant_id, oldest.detail) == (Actor.system(), None, None, "")
    assert oldest.id < newest.id


async def test_recent_is_newest_first_in_pages(stores: Stores) -> None:
    await record(stores, "signature.approve", minutes=2)
    await record(stores, "signature.reject", minutes=0)
    await record(stores, "template.approve", minutes=1, subject_kind="template")
    actions = [entry.action for entry in await stores.audit.recent(limit=10)]
    assert actions == ["signature.approve", "template.approve", "signature.reject"]
    assert [entry.action for entry in await stores.audit.recent(limit=1, offset=1)] == ["template.approve"]


async def test_recent_filters_by_tenant_and_subject(stores: Stores) -> None:
    await record(stores, "signature.approve", minutes=0, tenant_id=1)
    await record(stores, "template.approve", minutes=1, tenant_id=1, subject_kind="template")
    await record(stores, "signature.reject", minutes=2, tenant_id=2)
    await record(stores, "operator.create", minutes=3, tenant_id=None, subject_kind="operator")

    def actions(entries: list[AuditEntry]) -> list[str]:
        return [entry.action for entry in entries]

    assert actions(await stores.audit.recent(limit=10, tenant_id=1)) == ["template.approve", "signature.approve"]
    assert actions(await stores.audit.recent(limit=10, subject_kind="signature")) == [
        "signature.reject",
        "signature.approve",
    ]
    assert actions(await stores.audit.recent(limit=10, tenant_id=2, subject_kind="template")) == []
    assert actions(await stores.audit.recent(limit=10, subject_kind="operator")) == ["operator.create"]
