"""The messages use cases over in-memory ports: accept a send, pull reports."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from smscloud.adapters.phone.parser import LibPhoneNumberParser
from smscloud.domain.accounts.model import TenantStatus
from smscloud.domain.messages.model import MessageStatus, Report
from smscloud.domain.messages.refusals import Refusal, SendRefused
from smscloud.domain.messages.routing import Route
from smscloud.domain.messages.send import SendRequest
from smscloud.domain.messages.service import (
    MAX_PULL,
    PHONE_PULL_WINDOW,
    accept,
    pull_reports,
    reports_for_phone,
)
from smscloud.domain.shared.clock import FixedClock
from smscloud.domain.shared.errors import InvalidInput, NotFound
from smscloud.domain.shared.review import ReviewStatus
from tests.unit.domain import factories as f
from tests.unit.domain.fakes import FakeCatalog, FakeMessageStore, FakeReportStore, FakeSignal

CARRIER_CN, CARRIER_INTL = 3, 4


def catalog(**overrides: Any) -> FakeCatalog:
    values: dict[str, Any] = {
        "tenants": [f.tenant(), f.tenant(id=f.OTHER_TENANT_ID, name="other")],
        "apps": [f.app(), f.app(id=11, sdk_app_id="1400000002", tenant_id=f.OTHER_TENANT_ID)],
        "templates": [f.template(), f.intl_template()],
        "signatures": [f.signature(), f.intl_signature()],
        "routes": [Route("86", CARRIER_CN), Route("1", CARRIER_INTL)],
    }
    values.update(overrides)
    return FakeCatalog(**values)


class World:
    def __init__(self, cat: FakeCatalog | None = None) -> None:
        self.catalog = cat or catalog()
        self.store = FakeMessageStore()
        self.signal = FakeSignal()
        self.clock = FixedClock(f.NOW)

    async def accept(self, request: SendRequest, *, tenant_id: int = f.TENANT_ID) -> list[Any]:
        return await accept(
            catalog=self.catalog,
            store=self.store,
            signal=self.signal,
            parser=LibPhoneNumberParser(),
            clock=self.clock,
            tenant_id=tenant_id,
            request=request,
            request_id="req-7",
        )


def send(
    phones: list[str] | None = None,
    *,
    template_id: str = "30",
    params: list[str] | None = None,
    sign_name: str = f.SIGN,
    sdk_app_id: str = f.SDK_APP_ID,
    **extra: Any,
) -> SendRequest:
    return SendRequest(
        sdk_app_id=sdk_app_id,
        template_id=template_id,
        phone_numbers=phones if phones is not None else [f.DOMESTIC],
        params=params if params is not None else ["A1"],
        sign_name=sign_name,
        **extra,
    )


# --- accept -------------------------------------------------------------------------------------------


async def test_accepted_numbers_are_stored_once_and_their_carrier_woken() -> None:
    world = World()
    outcomes = await world.accept(send([f.DOMESTIC, "13711113333"]))

    assert [o.accepted for o in outcomes] == [True, True]
    assert [o.phone for o in outcomes] == [f.DOMESTIC, f.DOMESTIC_2]  # normalised
    assert len(world.store.batches) == 1
    stored = world.store.added
    assert [m.serial_no for m in stored] == [o.serial_no for o in outcomes]
    assert all(m.request_id == "req-7" and m.created_at == f.NOW for m in stored)
    assert {m.carrier_id for m in stored} == {CARRIER_CN}
    assert world.signal.woken == [{CARRIER_CN}]


async def test_a_request_refused_before_any_lookup_touches_nothing() -> None:
    world = World()
    with pytest.raises(SendRefused) as refused:
        await world.accept(send([]))
    assert refused.value.refusal is Refusal.EMPTY_PHONE_NUMBER_SET
    assert world.catalog.calls == []
    assert world.store.batches == [] and world.signal.woken == []


@pytest.mark.parametrize(
    ("request_", "refusal"),
    [
        (send([f.DOMESTIC] * 201), Refusal.TOO_MANY_PHONE_NUMBERS),
        (send(session_context="x" * 512), Refusal.SESSION_CONTEXT_TOO_LONG),
        (send(extend_code="12x"), Refusal.INVALID_EXTEND_CODE),
        (send(sdk_app_id="1499999999"), Refusal.APP_NOT_FOUND),
        (send(sdk_app_id="1400000002"), Refusal.APP_NOT_YOURS),
        (send([f.DOMESTIC, f.US]), Refusal.MIXED_DOMESTIC_AND_INTERNATIONAL),
    ],
    ids=["201 numbers", "session context", "extend code", "unknown app", "other's app", "mixed"],
)
async def test_request_level_refusals_store_nothing(request_: SendRequest, refusal: Refusal) -> None:
    world = World()
    with pytest.raises(SendRefused) as refused:
        await world.accept(request_)
    assert refused.value.refusal is refusal
    assert world.store.batches == [] and world.signal.woken == []


async def test_disabled_application_is_refused() -> None:
    from smscloud.domain.apps.model import AppStatus

    world = World(catalog(apps=[f.app(status=AppStatus.DISABLED)]))
    with pytest.raises(SendRefused) as refused:
        await world.accept(send())
    assert refused.value.refusal is Refusal.APP_DISABLED


async def test_suspended_account_is_refused() -> None:
    world = World(catalog(tenants=[f.tenant(status=TenantStatus.SUSPENDED)]))
    with pytest.raises(SendRefused) as refused:
        await world.accept(send())
    assert refused.value.refusal is Refusal.ACCOUNT_SUSPENDED
    assert world.store.batches == []


async def test_unknown_tenant_is_not_found() -> None:
    with pytest.raises(NotFound):
        await World().accept(send(), tenant_id=99)


async def test_when_every_number_is_refused_nothing_is_stored_and_no_one_woken() -> None:
    world = World()
    outcomes = await world.accept(send(["+86123", "garbage"]))
    assert [o.refusal for o in outcomes] == [Refusal.INVALID_PHONE_NUMBER] * 2
    assert world.store.batches == [] and world.signal.woken == []


async def test_an_invalid_number_among_valid_ones_fails_alone() -> None:
    world = World()
    outcomes = await world.accept(send([f.DOMESTIC, "+86123", f.DOMESTIC_2]))
    assert [o.refusal for o in outcomes] == [None, Refusal.INVALID_PHONE_NUMBER, None]
    assert outcomes[1].phone == "+86123"
    assert [m.phone for m in world.store.added] == [f.DOMESTIC, f.DOMESTIC_2]


async def test_only_the_carriers_that_got_messages_are_woken() -> None:
    world = World(catalog(routes=[Route("8613711112222", 5), Route("8613711113333", 6)]))
    await world.accept(send([f.DOMESTIC, f.DOMESTIC_2, f.DOMESTIC]))
    assert world.signal.woken == [{5, 6}]


@pytest.mark.parametrize("template_id", ["", "abc", "-30", "30.0", " 30", "99"])
async def test_a_template_id_that_names_no_template_is_unapproved(template_id: str) -> None:
    world = World()
    outcomes = await world.accept(send(template_id=template_id))
    assert [o.refusal for o in outcomes] == [Refusal.TEMPLATE_UNAPPROVED]
    assert world.store.batches == []


@pytest.mark.parametrize(
    "template_id",
    ["²", "٣٠", "99999999999999999999999"],
    ids=["superscript two", "arabic-indic thirty", "beyond int64"],
)
async def test_template_ids_that_are_not_plain_int64_decimals_name_no_template(template_id: str) -> None:
    world = World()
    outcomes = await world.accept(send(template_id=template_id))
    assert [o.refusal for o in outcomes] == [Refusal.TEMPLATE_UNAPPROVED]
    assert all(call[0] != "template" for call in world.catalog.calls)


async def test_the_signature_is_looked_up_for_the_destination_region() -> None:
    world = World()
    await world.accept(send([f.US], template_id="31", sign_name=f.INTL_SIGN))
    await world.accept(send([f.DOMESTIC]))
    looked_up = [call for call in world.catalog.calls if call[0] == "signature"]
    assert looked_up == [
        ("signature", f.TENANT_ID, f.INTL_SIGN, True),
        ("signature", f.TENANT_ID, f.SIGN, False),
    ]
    assert [m.content for m in world.store.added] == [
        "[Acme]Your order A1 has shipped.",
        "【腾讯云】您的订单A1已发货。",
    ]


async def test_a_domestic_send_naming_an_international_signature_is_refused() -> None:
    world = World()
    outcomes = await world.accept(send(sign_name=f.INTL_SIGN))
    assert [o.refusal for o in outcomes] == [Refusal.SIGNATURE_UNAPPROVED]


async def test_international_send_without_sign_name_does_not_look_for_a_signature() -> None:
    world = World()
    outcomes = await world.accept(send([f.US], template_id="31", sign_name=""))
    assert [o.accepted for o in outcomes] == [True]
    assert not any(call[0] == "signature" for call in world.catalog.calls)
    assert world.store.added[0].content == "Your order A1 has shipped."
    assert world.signal.woken == [{CARRIER_INTL}]


async def test_another_tenants_approved_template_is_unapproved_for_me() -> None:
    world = World(catalog(templates=[f.template(tenant_id=f.OTHER_TENANT_ID)]))
    outcomes = await world.accept(send())
    assert [o.refusal for o in outcomes] == [Refusal.TEMPLATE_UNAPPROVED]


async def test_pending_signature_is_refused() -> None:
    world = World(catalog(signatures=[f.signature(status=ReviewStatus.PENDING)]))
    outcomes = await world.accept(send())
    assert [o.refusal for o in outcomes] == [Refusal.SIGNATURE_UNAPPROVED]


# --- pull_reports -------------------------------------------------------------------------------------


def report(serial: str, phone: str = f.DOMESTIC, status: MessageStatus = MessageStatus.DELIVERED) -> Report:
    return Report(serial, phone, "86", status, "DELIVRD", f.NOW, "", f.SIGN)


async def test_pull_returns_each_report_once_for_the_callers_app() -> None:
    reports = FakeReportStore()
    for n in range(3):
        reports.put(app_id=10, report=report(f"s{n}"), created_at=f.NOW)
    reports.put(app_id=11, report=report("other"), created_at=f.NOW)
    cat = catalog()

    first = await pull_reports(catalog=cat, reports=reports, tenant_id=f.TENANT_ID, sdk_app_id=f.SDK_APP_ID, limit=2)
    second = await pull_reports(catalog=cat, reports=reports, tenant_id=f.TENANT_ID, sdk_app_id=f.SDK_APP_ID, limit=2)
    third = await pull_reports(catalog=cat, reports=reports, tenant_id=f.TENANT_ID, sdk_app_id=f.SDK_APP_ID, limit=2)
    assert [r.serial_no for r in first] == ["s0", "s1"]
    assert [r.serial_no for r in second] == ["s2"]
    assert third == []


@pytest.mark.parametrize("limit", [0, -1, MAX_PULL + 1])
async def test_pull_limit_must_be_1_to_100(limit: int) -> None:
    with pytest.raises(InvalidInput) as invalid:
        await pull_reports(
            catalog=catalog(),
            reports=FakeReportStore(),
            tenant_id=f.TENANT_ID,
            sdk_app_id=f.SDK_APP_ID,
            limit=limit,
        )
    assert invalid.value.field == "Limit"


async def test_pull_limit_100_is_allowed() -> None:
    assert MAX_PULL == 100
    got = await pull_reports(
        catalog=catalog(),
        reports=FakeReportStore(),
        tenant_id=f.TENANT_ID,
        sdk_app_id=f.SDK_APP_ID,
        limit=100,
    )
    assert got == []


@pytest.mark.parametrize(
    ("sdk_app_id", "refusal"), [("1400000002", Refusal.APP_NOT_YOURS), ("1499999999", Refusal.APP_NOT_FOUND)]
)
async def test_pull_only_from_own_existing_app(sdk_app_id: str, refusal: Refusal) -> None:
    reports = FakeReportStore()
    reports.put(app_id=11, report=report("theirs"), created_at=f.NOW)
    with pytest.raises(SendRefused) as refused:
        await pull_reports(catalog=catalog(), reports=reports, tenant_id=f.TENANT_ID, sdk_app_id=sdk_app_id, limit=10)
    assert refused.value.refusal is refusal
    assert not reports.stored[0].pulled


# --- reports_for_phone --------------------------------------------------------------------------------


async def for_phone(reports: FakeReportStore, **overrides: Any) -> list[Report]:
    values: dict[str, Any] = {
        "catalog": catalog(),
        "reports": reports,
        "parser": LibPhoneNumberParser(),
        "clock": FixedClock(f.NOW),
        "tenant_id": f.TENANT_ID,
        "sdk_app_id": f.SDK_APP_ID,
        "phone": f.DOMESTIC,
        "begin": f.NOW - timedelta(days=1),
        "end": None,
        "limit": 10,
    }
    values.update(overrides)
    return await reports_for_phone(**values)


async def test_for_phone_asks_the_store_for_the_normalised_number_of_the_callers_app() -> None:
    reports = FakeReportStore()
    reports.put(app_id=10, report=report("mine"), created_at=f.NOW - timedelta(hours=1))
    reports.put(app_id=10, report=report("theirs", phone=f.DOMESTIC_2), created_at=f.NOW)
    begin, end = f.NOW - timedelta(days=2), f.NOW
    got = await for_phone(reports, phone="13711112222", begin=begin, end=end, limit=5, offset=1)
    assert reports.for_phone_calls == [
        {"app_id": 10, "phone": f.DOMESTIC, "begin": begin, "end": end, "limit": 5, "offset": 1}
    ]
    assert got == []  # offset 1 skips the only match
    assert [r.serial_no for r in await for_phone(reports, phone="13711112222")] == ["mine"]


async def test_for_phone_does_not_consume_the_pull_queue() -> None:
    reports = FakeReportStore()
    reports.put(app_id=10, report=report("s1"), created_at=f.NOW)
    assert len(await for_phone(reports)) == 1
    assert len(await for_phone(reports)) == 1
    assert not reports.stored[0].pulled


async def test_for_phone_window_may_start_exactly_7_days_back_but_not_earlier() -> None:
    assert timedelta(days=7) == PHONE_PULL_WINDOW
    await for_phone(FakeReportStore(), begin=f.NOW - timedelta(days=7))
    with pytest.raises(InvalidInput) as invalid:
        await for_phone(FakeReportStore(), begin=f.NOW - timedelta(days=7, seconds=1))
    assert invalid.value.field == "BeginTime"


async def test_for_phone_end_before_begin_is_invalid() -> None:
    with pytest.raises(InvalidInput) as invalid:
        await for_phone(FakeReportStore(), begin=f.NOW - timedelta(hours=1), end=f.NOW - timedelta(hours=2))
    assert invalid.value.field == "EndTime"


@pytest.mark.parametrize(
    ("field", "values"), [("Limit", {"limit": 0}), ("Limit", {"limit": 101}), ("Offset", {"offset": -1})]
)
async def test_for_phone_paging_is_checked(field: str, values: dict[str, int]) -> None:
    with pytest.raises(InvalidInput) as invalid:
        await for_phone(FakeReportStore(), **values)
    assert invalid.value.field == field


async def test_for_phone_offset_beyond_int64_is_invalid() -> None:
    with pytest.raises(InvalidInput) as invalid:
        await for_phone(FakeReportStore(), offset=2**63)
    assert invalid.value.field == "Offset"


async def test_for_phone_bad_number_is_invalid_input() -> None:
    reports = FakeReportStore()
    with pytest.raises(InvalidInput) as invalid:
        await for_phone(reports, phone="12-34")
    assert invalid.value.field == "PhoneNumber"
    assert reports.for_phone_calls == []


async def test_for_phone_from_another_tenants_app_is_refused() -> None:
    reports = FakeReportStore()
    with pytest.raises(SendRefused) as refused:
        await for_phone(reports, sdk_app_id="1400000002")
    assert refused.value.refusal is Refusal.APP_NOT_YOURS
    assert reports.for_phone_calls == []
