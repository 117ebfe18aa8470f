"""Replies: matched, when stored, to the last message sent to the number; pulled once per application."""

from __future__ import annotations

from datetime import timedelta

import pytest

from smscloud.adapters.storage import tables
from smscloud.domain.messages.replies import REPLY_WINDOW
from tests.support.builders import Builder, Stores, table_row

pytestmark = pytest.mark.integration

PHONE = "+8613800000008"


async def reply(
    stores: Stores, carrier_id: int, text: str, *, source: str = "8613800000008", to: str = "106900"
) -> None:
    await stores.receipts.store_reply(
        carrier_id=carrier_id, source_addr=source, destination_addr=to, text=text, now=stores.clock.now()
    )


async def test_a_reply_belongs_to_the_app_that_last_sent_to_the_number(stores: Stores, build: Builder) -> None:
    first, second = await build.sender(), await build.sender()
    await build.add_messages(first, phone=PHONE, carrier_id=first.carrier.id)
    stores.clock.advance(60)
    await build.add_messages(second, phone=PHONE, carrier_id=first.carrier.id)
    stores.clock.advance(60)

    await reply(stores, first.carrier.id, "R")

    assert await stores.replies.pull(app_id=first.app.id, limit=10) == []
    (pulled,) = await stores.replies.pull(app_id=second.app.id, limit=10)
    assert (pulled.phone, pulled.country_code, pulled.subscriber, pulled.text) == (PHONE, "86", "13800000008", "R")
    assert pulled.sign_name == second.signature.name and pulled.received_at == stores.clock.now()
    assert await stores.replies.pull(app_id=second.app.id, limit=10) == []  # each once
    begin = stores.clock.now() - timedelta(hours=1)
    found = await stores.replies.for_phone(app_id=second.app.id, phone=PHONE, begin=begin, end=None, limit=10, offset=0)
    assert found == [pulled]  # the by-number pull reads, pulled or not


@pytest.mark.parametrize("source", ["+8613800000008", "13800000008", "008613800000008"])
async def test_the_number_is_found_in_its_international_or_national_form(
    stores: Stores, build: Builder, source: str
) -> None:
    sender = await build.sender()
    await build.add_messages(sender, phone=PHONE)
    await reply(stores, sender.carrier.id, "好的", source=source)
    assert [r.text for r in await stores.replies.pull(app_id=sender.app.id, limit=10)] == ["好的"]


async def test_the_extension_code_picks_the_message_replied_to(stores: Stores, build: Builder) -> None:
    shop, bank = await build.sender(), await build.sender()
    await build.add_messages(shop, phone=PHONE, carrier_id=shop.carrier.id, extend_code="12")
    stores.clock.advance(60)
    await build.add_messages(bank, phone=PHONE, carrier_id=shop.carrier.id)  # later, no code
    await reply(stores, shop.carrier.id, "TD", to="10690012")  # the carrier's long number 106900 + "12"

    (answered,) = await stores.replies.pull(app_id=shop.app.id, limit=10)
    assert (answered.text, answered.extend_code) == ("TD", "12")
    assert await stores.replies.pull(app_id=bank.app.id, limit=10) == []


async def test_a_reply_to_nothing_sent_lately_is_kept_but_nobody_pulls_it(stores: Stores, build: Builder) -> None:
    sender = await build.sender()
    await build.add_messages(sender, phone=PHONE)
    stores.clock.advance(REPLY_WINDOW.total_seconds() + 1)
    await reply(stores, sender.carrier.id, "late")
    await reply(stores, sender.carrier.id, "stranger", source="8613900000000")
    other = await build.carrier()
    await reply(stores, other.id, "another carrier")

    assert await stores.replies.pull(app_id=sender.app.id, limit=10) == []
    unclaimed = await stores.replies.unclaimed(limit=10)
    assert [(r.text, r.source_addr, r.carrier_id) for r in unclaimed] == [
        ("another carrier", "8613800000008", other.id),
        ("stranger", "8613900000000", sender.carrier.id),
        ("late", "8613800000008", sender.carrier.id),
    ]  # newest first, with the carrier's name
    assert unclaimed[0].carrier == other.name and unclaimed[2].carrier == sender.carrier.name
    assert [r.text for r in await stores.replies.unclaimed(limit=1, offset=1)] == ["stranger"]
    kept = [await table_row(stores.db, tables.mo_message, row_id) for row_id in (1, 2, 3)]
    assert [(row.text, row.tenant_id, row.pull_state) for row in kept] == [
        ("late", None, 0),
        ("stranger", None, 0),
        ("another carrier", None, 0),
    ]
