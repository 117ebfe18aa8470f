"""A long reply over real SMPP: the built-in simulator's handset …0000009 answers in two
concatenated deliver_sm, which SmppClient and ReceiptIntake store in the real database (SQLite or
PostgreSQL, per SMSCLOUD_TEST_DATABASE) as one reply with the whole text."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy import Connection, select

from smscloud.adapters.carriers.receipt_intake import ReceiptIntake
from smscloud.adapters.carriers.smpp_client import SmppClient
from smscloud.adapters.simulator import Simulator, SimulatorConfig
from smscloud.adapters.simulator.scenarios import LONG_REPLY_TEXT
from smscloud.adapters.storage import tables
from smscloud.adapters.storage.database import Database
from smscloud.protocols.smpp import CommandStatus, DataCoding, RegisteredDelivery, SubmitSm, encode_text
from tests.support.builders import Builder, Stores, make_stores
from tests.support.fake_smsc import eventually

pytestmark = pytest.mark.integration

PHONE = "+8613800000009"


@pytest.fixture
async def simulator() -> AsyncIterator[Simulator]:
    simulator = Simulator(SimulatorConfig(port=0, credentials=[("smscloud", "simulate")], receipt_delay_s=0.0))
    await simulator.start()
    try:
        yield simulator
    finally:
        await simulator.stop()


async def stored(db: Database) -> list[tuple[str, int | None]]:
    def job(conn: Connection) -> list[tuple[str, int | None]]:
        mo = tables.mo_message
        return [(row.text, row.app_id) for row in conn.execute(select(mo.c.text, mo.c.app_id).order_by(mo.c.id))]

    return await db.read(job)


async def test_the_simulators_long_reply_is_stored_as_one_reply_with_the_whole_text(
    db: Database, simulator: Simulator
) -> None:
    stores: Stores = make_stores(db)
    build = Builder(stores)
    sender = await build.sender()
    await build.add_messages(sender, phone=PHONE)  # the message the handset answers
    host, port = simulator.address
    client = SmppClient(
        host=host,
        port=port,
        system_id="smscloud",
        password="simulate",
        on_deliver_batch=ReceiptIntake(stores.receipts, stores.clock).handler_for(sender.carrier.id),
        name="test",
    )
    run = asyncio.create_task(client.run())
    try:
        assert await client.wait_bound(5)
        response = await client.submit(
            SubmitSm(
                source_addr="106900",
                destination_addr=PHONE.removeprefix("+"),
                registered_delivery=RegisteredDelivery.SMSC_RECEIPT,
                data_coding=DataCoding.UCS2,
                short_message=encode_text("【腾讯云】您的订单A1已发货。", DataCoding.UCS2),
            )
        )
        assert response.command_status == CommandStatus.ESME_ROK
        # The receipt, then the reply's two parts, each acknowledged once stored.
        await eventually(lambda: simulator.stats().receipts_acked == 3, timeout=10)
    finally:
        await client.stop(timeout_s=1)
        await asyncio.wait_for(run, 10)

    assert await stored(db) == [(LONG_REPLY_TEXT, sender.app.id)]
    begin = stores.clock.now() - timedelta(hours=1)
    (reply,) = await stores.replies.for_phone(
        app_id=sender.app.id, phone=PHONE, begin=begin, end=None, limit=10, offset=0
    )
    assert (reply.text, reply.sign_name) == (LONG_REPLY_TEXT, sender.signature.name)
