"""The console's send records: a tenant's messages, newest first, filtered; never another tenant's."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest

from smscloud.domain.messages.model import MessageRecord, MessageStatus, NewMessage
from tests.support.builders import NOW, Builder, Sender, Stores, message_row

pytestmark = pytest.mark.integration

CN = "+8613711112222"
CN_2 = "+8613711113333"


@dataclass(frozen=True)
class Sent:
    acme: Sender
    other: Sender
    delivered: NewMessage  # CN, 3 h ago
    undelivered: NewMessage  # CN_2, 2 h ago
    queued: NewMessage  # CN, 1 h ago
    theirs: NewMessage  # another tenant's, CN, 1 h ago


@pytest.fixture
async def sent(build: Builder) -> Sent:
    acme = await build.sender()
    other = await build.sender(route_prefix=None)
    [delivered] = await build.add_messages(acme, phone=CN, created_at=NOW - timedelta(hours=3))
    await build.deliver(acme.carrier.id, [delivered])
    [undelivered] = await build.add_messages(acme, phone=CN_2, created_at=NOW - timedelta(hours=2))
    await build.deliver(acme.carrier.id, [undelivered], stat="UNDELIV")
    [queued] = await build.add_messages(acme, phone=CN, created_at=NOW - timedelta(hours=1))
    [theirs] = await build.add_messages(other, phone=CN, created_at=NOW - timedelta(hours=1))
    return Sent(acme, other, delivered, undelivered, queued, theirs)


def serials(records: list[MessageRecord]) -> list[str]:
    return [record.serial_no for record in records]


async def test_records_are_the_tenants_newest_first(stores: Stores, sent: Sent) -> None:
    records = await stores.history.records(tenant_id=sent.acme.tenant.id, limit=10)
    assert serials(records) == [sent.queued.serial_no, sent.undelivered.serial_no, sent.delivered.serial_no]
    theirs = await stores.history.records(tenant_id=sent.other.tenant.id, limit=10)
    assert serials(theirs) == [sent.theirs.serial_no]


async def test_records_page(stores: Stores, sent: Sent) -> None:
    tenant_id = sent.acme.tenant.id
    assert serials(await stores.history.records(tenant_id=tenant_id, limit=2)) == [
        sent.queued.serial_no,
        sent.undelivered.serial_no,
    ]
    assert serials(await stores.history.records(tenant_id=tenant_id, limit=2, offset=2)) == [sent.delivered.serial_no]


async def test_a_phone_matches_whole_with_or_without_plus(stores: Stores, sent: Sent) -> None:
    tenant_id = sent.acme.tenant.id
    expected = [sent.queued.serial_no, sent.delivered.serial_no]
    assert serials(await stores.history.records(tenant_id=tenant_id, phone=CN, limit=10)) == expected
    assert serials(await stores.history.records(tenant_id=tenant_id, phone=CN[1:], limit=10)) == expected
    assert serials(await stores.history.records(tenant_id=tenant_id, phone=f" {CN} ", limit=10)) == expected
    assert await stores.history.records(tenant_id=tenant_id, phone=CN[:-1], limit=10) == []
    assert len(await stores.history.records(tenant_id=tenant_id, phone="", limit=10)) == 3


async def test_since_is_inclusive_and_until_exclusive(stores: Stores, sent: Sent) -> None:
    tenant_id = sent.acme.tenant.id
    two_hours_ago = NOW - timedelta(hours=2)
    assert serials(await stores.history.records(tenant_id=tenant_id, since=two_hours_ago, limit=10)) == [
        sent.queued.serial_no,
        sent.undelivered.serial_no,
    ]
    assert serials(await stores.history.records(tenant_id=tenant_id, until=two_hours_ago, limit=10)) == [
        sent.delivered.serial_no
    ]
    window = await stores.history.records(
        tenant_id=tenant_id, since=two_hours_ago, until=two_hours_ago + timedelta(seconds=1), limit=10
    )
    assert serials(window) == [sent.undelivered.serial_no]


async def test_records_filter_by_status(stores: Stores, sent: Sent) -> None:
    tenant_id = sent.acme.tenant.id
    by_status = {
        status: serials(await stores.history.records(tenant_id=tenant_id, status=status, limit=10))
        for status in (MessageStatus.DELIVERED, MessageStatus.UNDELIVERED, MessageStatus.QUEUED, MessageStatus.FAILED)
    }
    assert by_status == {
        MessageStatus.DELIVERED: [sent.delivered.serial_no],
        MessageStatus.UNDELIVERED: [sent.undelivered.serial_no],
        MessageStatus.QUEUED: [sent.queued.serial_no],
        MessageStatus.FAILED: [],
    }
    filtered = await stores.history.records(
        tenant_id=tenant_id, phone=CN, status=MessageStatus.DELIVERED, since=NOW - timedelta(hours=4), limit=10
    )
    assert serials(filtered) == [sent.delivered.serial_no]


async def test_a_record_holds_what_the_console_shows(stores: Stores, sent: Sent) -> None:
    record = await stores.history.record(tenant_id=sent.acme.tenant.id, serial_no=sent.delivered.serial_no)
    row = await message_row(stores.db, sent.delivered.serial_no)
    assert record == MessageRecord(
        id=row.id,
        serial_no=sent.delivered.serial_no,
        app_id=sent.acme.app.id,
        phone=CN,
        sign_name=sent.acme.signature.name,
        template_id=sent.acme.template.id,
        content=sent.delivered.content,
        segments=1,
        status=MessageStatus.DELIVERED,
        error_code="",
        receipt_stat="DELIVRD",
        receipt_err="000",
        created_at=NOW - timedelta(hours=3),
        submitted_at=NOW,
        done_at=NOW,
    )
    queued = await stores.history.record(tenant_id=sent.acme.tenant.id, serial_no=sent.queued.serial_no)
    assert queued is not None
    assert (queued.status, queued.submitted_at, queued.done_at, queued.receipt_stat) == (
        MessageStatus.QUEUED,
        None,
        None,
        "",
    )


async def test_another_tenants_record_is_not_found(stores: Stores, sent: Sent) -> None:
    assert await stores.history.record(tenant_id=sent.other.tenant.id, serial_no=sent.delivered.serial_no) is None
    assert await stores.history.record(tenant_id=sent.acme.tenant.id, serial_no=sent.theirs.serial_no) is None
    assert await stores.history.record(tenant_id=sent.acme.tenant.id, serial_no="no-such-serial") is None
