"""Replies and receipts from an SMSC, through SmppClient and ReceiptIntake into the real database
(SQLite or PostgreSQL, per SMSCLOUD_TEST_DATABASE)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Connection, select
from structlog.testing import capture_logs

from smscloud.adapters.carriers.receipt_intake import ReceiptIntake
from smscloud.adapters.carriers.smpp_client import SmppClient
from smscloud.adapters.storage import tables
from smscloud.adapters.storage.database import Database
from smscloud.adapters.storage.receipts import SqlReceiptStore
from smscloud.domain.shared.clock import FixedClock
from smscloud.protocols.smpp import CommandStatus, DataCoding, DeliverSm, EsmClass, encode_text
from tests.support.fake_smsc import FakeSmsc, FakeSmscSession, eventually

pytestmark = pytest.mark.integration

NOW = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture
async def smsc() -> AsyncIterator[FakeSmsc]:
    async with FakeSmsc() as fake:
        yield fake


async def replies(db: Database) -> list[Any]:
    def job(conn: Connection) -> list[Any]:
        mo = tables.mo_message
        return list(conn.execute(select(mo.c.source_addr, mo.c.text).order_by(mo.c.id)).all())

    return await db.read(job)


async def test_replies_are_stored_decoded_and_without_nul_next_to_their_receipt(db: Database, smsc: FakeSmsc) -> None:
    intake = ReceiptIntake(SqlReceiptStore(db), FixedClock(NOW))
    client = SmppClient(
        host="127.0.0.1",
        port=smsc.port,
        system_id="esme1",
        password="secret",
        on_deliver_batch=intake.handler_for(1),
        name="test",
    )
    with capture_logs():
        session = await deliver_three(client, smsc)
    sequences = sorted(session.deliver_responses)
    statuses = {sequence: session.deliver_responses[sequence].command_status for sequence in sequences}
    assert list(statuses.values()) == [CommandStatus.ESME_ROK] * 3
    assert await replies(db) == [("8613800000002", "TD\ufffd 退订"), ("8613800000003", "Meet @ 5 ¿")]


async def deliver_three(client: SmppClient, smsc: FakeSmsc) -> FakeSmscSession:
    """A receipt and two replies, written together so that the client reads them as one batch."""
    run = asyncio.create_task(client.run())
    try:
        assert await client.wait_bound(5)
        session = smsc.session
        for pdu in (
            DeliverSm(
                source_addr="8613800000001",
                esm_class=EsmClass.DELIVERY_RECEIPT,
                short_message=b"id:4f2a stat:DELIVRD err:000",
            ),
            DeliverSm(
                source_addr="8613800000002",
                data_coding=DataCoding.UCS2,
                short_message="TD\0 退订".encode("utf-16-be"),  # PostgreSQL text cannot hold the NUL
            ),
            DeliverSm(source_addr="8613800000003", short_message=encode_text("Meet @ 5 ¿", DataCoding.DEFAULT)),
        ):
            session.deliver(pdu)
        await eventually(lambda: len(smsc.deliver_responses) == 3)
    finally:
        await client.stop(timeout_s=1)
        await asyncio.wait_for(run, 10)
    return session
