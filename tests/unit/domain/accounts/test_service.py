"""Tenants, their profile, applying for SMS, and API keys."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest

from smscloud.domain.accounts.errors import ApiKeyLimitReached, SmsNotReady
from smscloud.domain.accounts.model import ApiKey, ApiKeyStatus, Tenant, TenantKind, TenantProfile, TenantStatus
from smscloud.domain.accounts.rules import Missing
from smscloud.domain.accounts.service import (
    DEFAULT_TIMEZONE,
    apply_for_sms,
    check_profile,
    create_tenant,
    delete_api_key,
    issue_api_key,
    save_profile,
    set_api_key_enabled,
    set_tenant_suspended,
)
from smscloud.domain.audit.model import Actor
from smscloud.domain.shared.clock import FixedClock
from smscloud.domain.shared.errors import Conflict, InvalidInput, NotFound
from smscloud.domain.shared.review import ReviewStatus
from tests.unit.domain import factories as f
from tests.unit.domain.factories import NOW
from tests.unit.domain.fakes import FakeAccountStore, FakeAuditLog, FakeQualificationStore


async def test_a_new_tenant_is_active_in_shanghai_time_by_default() -> None:
    store = FakeAccountStore()
    tenant = await create_tenant(store=store, clock=FixedClock(NOW), name="  Acme  ", kind=TenantKind.ENTERPRISE)
    assert tenant.name == "Acme"
    assert tenant.kind is TenantKind.ENTERPRISE
    assert tenant.status is TenantStatus.ACTIVE
    assert tenant.timezone == DEFAULT_TIMEZONE == "Asia/Shanghai"
    assert tenant.created_at == NOW
    assert store.all_tenants == [tenant]


async def test_a_tenant_may_have_another_time_zone() -> None:
    tenant = await create_tenant(
        store=FakeAccountStore(),
        clock=FixedClock(NOW),
        name="x",
        kind=TenantKind.INDIVIDUAL,
        timezone="Europe/Paris",
    )
    assert tenant.timezone == "Europe/Paris"


@pytest.mark.parametrize("name", ["", "   ", "x" * 129])
async def test_tenant_name_must_be_1_to_128_characters(name: str) -> None:
    store = FakeAccountStore()
    with pytest.raises(InvalidInput) as invalid:
        await create_tenant(store=store, clock=FixedClock(NOW), name=name, kind=TenantKind.INDIVIDUAL)
    assert invalid.value.field == "name"
    assert store.all_tenants == []


async def test_tenant_name_of_128_characters_is_fine() -> None:
    tenant = await create_tenant(
        store=FakeAccountStore(), clock=FixedClock(NOW), name="x" * 128, kind=TenantKind.INDIVIDUAL
    )
    assert len(tenant.name) == 128


@pytest.mark.parametrize("timezone", ["", "Mars/Olympus_Mons", "../etc/passwd", "Asia/Shanghai "])
async def test_an_unknown_time_zone_is_refused(timezone: str) -> None:
    # Sends and the 2019-07-11 pull API read the tenant's zone; an unknown one would fail them all.
    store = FakeAccountStore()
    with pytest.raises(InvalidInput) as invalid:
        await create_tenant(store=store, clock=FixedClock(NOW), name="x", kind=TenantKind.INDIVIDUAL, timezone=timezone)
    assert invalid.value.field == "timezone"
    assert store.all_tenants == []


async def test_api_keys_have_tencents_shape_and_are_distinct() -> None:
    store = FakeAccountStore()
    keys = [await issue_api_key(store=store, clock=FixedClock(NOW), tenant_id=t) for t in range(50) for _ in (1, 2)]
    for key in keys:
        assert re.fullmatch(r"AKID[A-Za-z0-9]{32}", key.secret_id)
        assert re.fullmatch(r"[A-Za-z0-9]{32}", key.secret_key)
        assert key.status is ApiKeyStatus.ACTIVE and key.usable
        assert key.created_at == NOW
    assert len({k.secret_id for k in keys}) == 100
    assert len({k.secret_key for k in keys}) == 100
    assert store.keys == keys


async def test_an_account_holds_at_most_two_api_keys_disabled_ones_included() -> None:
    store = FakeAccountStore()
    first = await issue_api_key(store=store, clock=FixedClock(NOW), tenant_id=4)
    await issue_api_key(store=store, clock=FixedClock(NOW), tenant_id=4)
    await set_api_key_enabled(store=store, tenant_id=4, key_id=first.id, enabled=False)
    with pytest.raises(ApiKeyLimitReached):
        await issue_api_key(store=store, clock=FixedClock(NOW), tenant_id=4)
    await delete_api_key(store=store, tenant_id=4, key_id=first.id)
    assert (await issue_api_key(store=store, clock=FixedClock(NOW), tenant_id=4)).tenant_id == 4


def test_a_disabled_key_is_not_usable() -> None:
    from dataclasses import replace

    from smscloud.domain.accounts.model import ApiKey

    key = ApiKey(1, 1, "AKIDx", "secret", ApiKeyStatus.ACTIVE, NOW)
    assert key.usable
    assert not replace(key, status=ApiKeyStatus.DISABLED).usable


# --- the profile ----------------------------------------------------------------------------


async def save(
    store: FakeAccountStore,
    qualifications: FakeQualificationStore | None = None,
    *,
    tenant: Tenant | None = None,
    **overrides: Any,
) -> tuple[Tenant, TenantProfile]:
    values: dict[str, Any] = {
        "kind": TenantKind.ENTERPRISE,
        "name": " Acme Ltd ",
        "contact_name": " 张三 ",
        "contact_phone": " +86 137 1111 2222 ",
        "contact_email": " Ops@Acme.Example ",
        "address": " 深圳市南山区 ",
    }
    values.update(overrides)
    the_tenant = tenant or store.all_tenants[0]
    return await save_profile(
        store=store,
        qualifications=qualifications or FakeQualificationStore(),
        clock=FixedClock(NOW),
        tenant=the_tenant,
        **values,
    )


async def test_saving_the_profile_updates_the_tenant_and_stores_a_tidy_profile() -> None:
    store = FakeAccountStore([f.tenant(kind=TenantKind.INDIVIDUAL, name="owner@acme.example")])
    tenant, profile = await save(store)
    assert (tenant.name, tenant.kind) == ("Acme Ltd", TenantKind.ENTERPRISE)
    assert store.all_tenants == [tenant]
    assert profile == TenantProfile(
        tenant_id=f.TENANT_ID,
        contact_name="张三",
        contact_phone="+86 137 1111 2222",
        contact_email="ops@acme.example",
        address="深圳市南山区",
        updated_at=NOW,
    )
    assert store.profiles == {f.TENANT_ID: profile}


async def test_the_address_may_be_left_out() -> None:
    store = FakeAccountStore([f.tenant()])
    _, profile = await save(store, address="")
    assert profile.address == ""


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": " a "}, "name"),
        ({"name": "x" * 129}, "name"),
        ({"name": "Acme\x00Ltd"}, "name"),
        ({"contact_name": "  "}, "contact_name"),
        ({"contact_name": "x" * 65}, "contact_name"),
        ({"contact_phone": "call me"}, "contact_phone"),
        ({"contact_phone": "123"}, "contact_phone"),
        ({"contact_email": "ops"}, "contact_email"),
        ({"contact_email": "ops@localhost"}, "contact_email"),
        ({"contact_email": "o ps@acme.example"}, "contact_email"),
        ({"address": "x" * 257}, "address"),
        ({"address": "line\nbreak"}, "address"),
    ],
)
async def test_a_bad_profile_is_refused_before_anything_is_written(overrides: dict[str, Any], field: str) -> None:
    store = FakeAccountStore([f.tenant()])
    with pytest.raises(InvalidInput) as invalid:
        await save(store, **overrides)
    assert invalid.value.field == field
    assert store.calls == []
    assert store.all_tenants == [f.tenant()]


@pytest.mark.parametrize(
    ("overrides", "field", "reason"),
    [
        ({"name": "ab\x01cd"}, "name", "must not contain control characters"),
        ({"name": "\x01"}, "name", "must be 2 to 128 characters"),  # too short first
        ({"contact_name": "张\u202e三"}, "contact_name", "must not contain control characters"),
        ({"address": "深圳市\x1b南山区"}, "address", "must not contain control characters"),
        ({"address": "x" * 257}, "address", "must be at most 256 characters"),
    ],
)
async def test_a_control_character_is_called_what_it_is(overrides: dict[str, Any], field: str, reason: str) -> None:
    store = FakeAccountStore([f.tenant()])
    with pytest.raises(InvalidInput) as invalid:
        await save(store, **overrides)
    assert (invalid.value.field, invalid.value.reason) == (field, reason)
    assert store.calls == []


def test_the_profiles_fields_are_checked_without_the_account_type() -> None:
    """What a form whose account type names nothing still checks."""
    assert check_profile(
        name=" Acme Ltd ", contact_name=" 张三 ", contact_phone="13711112222", contact_email=" Ops@Acme.Example "
    ) == ("Acme Ltd", "张三", "13711112222", "ops@acme.example", "")
    with pytest.raises(InvalidInput) as invalid:
        check_profile(name="", contact_name="", contact_phone="x", contact_email="ops", address="\x07")
    assert [p.field for p in invalid.value.every] == [
        "name",
        "contact_name",
        "contact_phone",
        "contact_email",
        "address",
    ]


async def test_the_kind_may_change_until_sms_is_enabled() -> None:
    store = FakeAccountStore([f.tenant(kind=TenantKind.ENTERPRISE)])
    tenant, _ = await save(store, kind=TenantKind.INDIVIDUAL)
    assert tenant.kind is TenantKind.INDIVIDUAL


async def test_the_kind_cannot_change_once_sms_is_enabled() -> None:
    store = FakeAccountStore([f.tenant(kind=TenantKind.INDIVIDUAL, sms_enabled_at=NOW)])
    with pytest.raises(InvalidInput) as invalid:
        await save(store, kind=TenantKind.ENTERPRISE)
    assert invalid.value.field == "kind"
    assert store.all_tenants[0].kind is TenantKind.INDIVIDUAL
    assert store.profiles == {}


async def test_the_kind_cannot_change_once_the_qualification_is_approved() -> None:
    store = FakeAccountStore([f.tenant(kind=TenantKind.ENTERPRISE)])
    with pytest.raises(InvalidInput) as invalid:
        await save(store, FakeQualificationStore([f.qualification()]), kind=TenantKind.INDIVIDUAL)
    assert invalid.value.field == "kind"
    assert store.all_tenants[0].kind is TenantKind.ENTERPRISE


async def test_the_kind_cannot_change_while_the_qualification_is_in_review() -> None:
    store = FakeAccountStore([f.tenant(kind=TenantKind.ENTERPRISE)])
    in_review = FakeQualificationStore([f.qualification(status=ReviewStatus.PENDING)])
    with pytest.raises(InvalidInput) as invalid:
        await save(store, in_review, kind=TenantKind.INDIVIDUAL)
    assert (invalid.value.field, invalid.value.reason) == (
        "kind",
        "cannot change while the qualification is waiting for review",
    )
    assert store.all_tenants[0].kind is TenantKind.ENTERPRISE
    rejected = FakeQualificationStore([f.qualification(status=ReviewStatus.REJECTED)])
    tenant, _ = await save(store, rejected, kind=TenantKind.INDIVIDUAL)
    assert tenant.kind is TenantKind.INDIVIDUAL


async def test_with_sms_enabled_the_rest_of_the_profile_may_still_change() -> None:
    store = FakeAccountStore([f.tenant(kind=TenantKind.INDIVIDUAL, sms_enabled_at=NOW)])
    tenant, profile = await save(store, kind=TenantKind.INDIVIDUAL, contact_name="李四")
    assert tenant.kind is TenantKind.INDIVIDUAL
    assert profile.contact_name == "李四"


async def test_an_approved_enterprise_keeps_its_company_name() -> None:
    store = FakeAccountStore([f.tenant(name=f.COMPANY)])
    tenant, _ = await save(store, FakeQualificationStore([f.qualification()]), name="Something Else")
    assert tenant.name == f.COMPANY


async def test_a_pending_qualification_does_not_fix_the_name() -> None:
    store = FakeAccountStore([f.tenant()])
    pending = f.qualification(status=ReviewStatus.PENDING, reviewed_at=None, reviewed_by=None)
    tenant, _ = await save(store, FakeQualificationStore([pending]), name="Acme Two")
    assert tenant.name == "Acme Two"


# --- applying for SMS -----------------------------------------------------------------------


class Applying:
    def __init__(self, tenant: Tenant, *, profile: bool, qualification: ReviewStatus | None = None) -> None:
        self.audit = FakeAuditLog()
        self.store = FakeAccountStore([tenant], audit=self.audit)
        if profile:
            self.store.profiles[tenant.id] = f.profile(tenant_id=tenant.id)
        self.qualifications = FakeQualificationStore(
            [] if qualification is None else [f.qualification(tenant_id=tenant.id, status=qualification)]
        )
        self.clock = FixedClock(NOW)

    async def apply(self, tenant: Tenant) -> Tenant:
        return await apply_for_sms(
            store=self.store,
            qualifications=self.qualifications,
            clock=self.clock,
            tenant=tenant,
            actor=Actor.user(100),
        )


async def test_an_individual_with_a_profile_gets_sms_and_it_is_audited() -> None:
    tenant = f.tenant(kind=TenantKind.INDIVIDUAL)
    world = Applying(tenant, profile=True)
    world.clock.advance(60)
    enabled = await world.apply(tenant)
    assert enabled.sms_enabled
    assert enabled.sms_enabled_at == NOW + timedelta(seconds=60)
    assert world.store.all_tenants == [enabled]
    [entry] = world.audit.entries
    assert entry.actor == Actor.user(100)
    assert (entry.action, entry.subject_kind, entry.subject_id, entry.tenant_id) == (
        "sms.enable",
        "tenant",
        f.TENANT_ID,
        f.TENANT_ID,
    )
    assert entry.at == enabled.sms_enabled_at


async def test_an_approved_enterprise_with_a_profile_gets_sms() -> None:
    tenant = f.tenant(kind=TenantKind.ENTERPRISE)
    world = Applying(tenant, profile=True, qualification=ReviewStatus.APPROVED)
    assert (await world.apply(tenant)).sms_enabled


@pytest.mark.parametrize(
    ("kind", "profile", "qualification", "missing"),
    [
        (TenantKind.INDIVIDUAL, False, None, [Missing.PROFILE]),
        (TenantKind.ENTERPRISE, True, None, [Missing.QUALIFICATION]),
        (TenantKind.ENTERPRISE, True, ReviewStatus.PENDING, [Missing.QUALIFICATION_PENDING]),
        (TenantKind.ENTERPRISE, True, ReviewStatus.REJECTED, [Missing.QUALIFICATION]),
        (TenantKind.ENTERPRISE, False, ReviewStatus.APPROVED, [Missing.PROFILE]),
    ],
)
async def test_an_account_that_is_not_ready_is_told_what_is_missing(
    kind: TenantKind, profile: bool, qualification: ReviewStatus | None, missing: list[Missing]
) -> None:
    tenant = f.tenant(kind=kind)
    world = Applying(tenant, profile=profile, qualification=qualification)
    with pytest.raises(SmsNotReady) as refused:
        await world.apply(tenant)
    assert refused.value.missing == missing
    assert not world.store.all_tenants[0].sms_enabled
    assert world.audit.entries == []


async def test_the_newest_qualification_counts_not_an_older_approved_one() -> None:
    # A resubmission is possible only after a rejection, but the check reads the current one.
    tenant = f.tenant(kind=TenantKind.ENTERPRISE)
    world = Applying(tenant, profile=True, qualification=ReviewStatus.REJECTED)
    world.qualifications.qualifications[99] = f.qualification(id=99, status=ReviewStatus.PENDING)
    with pytest.raises(SmsNotReady) as refused:
        await world.apply(tenant)
    assert refused.value.missing == [Missing.QUALIFICATION_PENDING]


async def test_applying_twice_changes_nothing_the_second_time() -> None:
    tenant = f.tenant(kind=TenantKind.INDIVIDUAL)
    world = Applying(tenant, profile=True)
    enabled = await world.apply(tenant)
    world.clock.advance(3600)
    again = await world.apply(enabled)
    assert again.sms_enabled_at == enabled.sms_enabled_at == NOW
    assert len(world.audit.entries) == 1
    assert [c for c in world.store.calls if c[0] == "enable_sms"] == [("enable_sms", f.TENANT_ID)]


# --- API keys -------------------------------------------------------------------------------


async def two_tenants_with_keys() -> tuple[FakeAccountStore, ApiKey, ApiKey]:
    store = FakeAccountStore()
    mine = await issue_api_key(store=store, clock=FixedClock(NOW), tenant_id=f.TENANT_ID)
    theirs = await issue_api_key(store=store, clock=FixedClock(NOW), tenant_id=f.OTHER_TENANT_ID)
    return store, mine, theirs


async def test_a_key_can_be_disabled_and_enabled_again() -> None:
    store, mine, _ = await two_tenants_with_keys()
    disabled = await set_api_key_enabled(store=store, tenant_id=f.TENANT_ID, key_id=mine.id, enabled=False)
    assert disabled.status is ApiKeyStatus.DISABLED and not disabled.usable
    enabled = await set_api_key_enabled(store=store, tenant_id=f.TENANT_ID, key_id=mine.id, enabled=True)
    assert enabled.status is ApiKeyStatus.ACTIVE
    assert enabled.secret_key == mine.secret_key


async def test_another_tenants_key_cannot_be_switched() -> None:
    store, _, theirs = await two_tenants_with_keys()
    with pytest.raises(NotFound):
        await set_api_key_enabled(store=store, tenant_id=f.TENANT_ID, key_id=theirs.id, enabled=False)
    assert (await store.api_keys_of(f.OTHER_TENANT_ID))[0].status is ApiKeyStatus.ACTIVE


async def test_an_active_key_cannot_be_deleted() -> None:
    store, mine, _ = await two_tenants_with_keys()
    with pytest.raises(Conflict):
        await delete_api_key(store=store, tenant_id=f.TENANT_ID, key_id=mine.id)
    assert await store.api_keys_of(f.TENANT_ID) == [mine]


async def test_a_disabled_key_can_be_deleted() -> None:
    store, mine, theirs = await two_tenants_with_keys()
    await set_api_key_enabled(store=store, tenant_id=f.TENANT_ID, key_id=mine.id, enabled=False)
    await delete_api_key(store=store, tenant_id=f.TENANT_ID, key_id=mine.id)
    assert await store.api_keys_of(f.TENANT_ID) == []
    assert await store.api_keys_of(f.OTHER_TENANT_ID) == [theirs]


@pytest.mark.parametrize("which", ["theirs", "unknown"])
async def test_deleting_a_key_that_is_not_the_tenants_is_not_found(which: str) -> None:
    store, _, theirs = await two_tenants_with_keys()
    await set_api_key_enabled(store=store, tenant_id=f.OTHER_TENANT_ID, key_id=theirs.id, enabled=False)
    key_id = theirs.id if which == "theirs" else 999
    with pytest.raises(NotFound):
        await delete_api_key(store=store, tenant_id=f.TENANT_ID, key_id=key_id)
    assert len(store.keys) == 2
    assert ("delete_api_key", f.TENANT_ID, key_id) not in store.calls


async def test_an_operator_suspends_with_a_reason_and_resumes_both_audited() -> None:
    audit = FakeAuditLog()
    store = FakeAccountStore([f.tenant()], audit=audit)
    operator = Actor.operator(7)

    suspended = await set_tenant_suspended(
        store=store,
        clock=FixedClock(NOW),
        tenant_id=f.TENANT_ID,
        actor=operator,
        suspended=True,
        reason=" 发送诈骗内容 ",
    )
    assert suspended.status is TenantStatus.SUSPENDED
    again = await set_tenant_suspended(
        store=store,
        clock=FixedClock(NOW),
        tenant_id=f.TENANT_ID,
        actor=operator,
        suspended=True,
        reason="x",
    )
    assert again.status is TenantStatus.SUSPENDED  # nothing changed, nothing recorded
    resumed = await set_tenant_suspended(
        store=store, clock=FixedClock(NOW), tenant_id=f.TENANT_ID, actor=operator, suspended=False
    )
    assert resumed.status is TenantStatus.ACTIVE
    assert [(e.action, e.detail, e.actor) for e in audit.entries] == [
        ("tenant.suspend", "发送诈骗内容", operator),
        ("tenant.resume", "", operator),
    ]


@pytest.mark.parametrize("reason", ["", "  ", "r" * 501])
async def test_a_suspension_needs_a_reason_of_at_most_500_characters(reason: str) -> None:
    store = FakeAccountStore([f.tenant()])
    with pytest.raises(InvalidInput) as invalid:
        await set_tenant_suspended(
            store=store,
            clock=FixedClock(NOW),
            tenant_id=f.TENANT_ID,
            actor=Actor.operator(7),
            suspended=True,
            reason=reason,
        )
    assert invalid.value.field == "reason"
    assert (await store.tenant(f.TENANT_ID)) == f.tenant()


@pytest.mark.parametrize("reason", ["", "r" * 501, "\x07"])
async def test_asking_for_the_state_the_account_is_in_needs_no_reason_and_changes_nothing(reason: str) -> None:
    """A page shown before someone else suspended the account still asks for a reason."""
    audit = FakeAuditLog()
    suspended = f.tenant(status=TenantStatus.SUSPENDED)
    store = FakeAccountStore([suspended], audit=audit)

    again = await set_tenant_suspended(
        store=store,
        clock=FixedClock(NOW),
        tenant_id=f.TENANT_ID,
        actor=Actor.operator(7),
        suspended=True,
        reason=reason,
    )

    assert again == suspended
    assert audit.entries == []


async def test_suspending_no_tenant_is_not_found() -> None:
    with pytest.raises(NotFound):
        await set_tenant_suspended(
            store=FakeAccountStore(),
            clock=FixedClock(NOW),
            tenant_id=404,
            actor=Actor.operator(7),
            suspended=True,
            reason="x",
        )
