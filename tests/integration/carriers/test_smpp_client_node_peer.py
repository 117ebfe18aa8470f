"""SmppClient against an independent SMSC: node-smpp (tests/peers/node_smsc/smsc.js).

The peer answers every submit_sm and then sends a delivery receipt for it; what it decoded from
our PDUs comes back as JSON lines (`NodeSmsc.records`).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from structlog.testing import capture_logs

from smscloud.adapters.carriers.smpp_client import SmppClient
from smscloud.protocols.smpp import (
    CommandStatus,
    DeliverSm,
    MessageState,
    RegisteredDelivery,
    SubmitSm,
    decode_text,
    parse_receipt,
)
from tests.peers.node_smsc import NodeSmsc, node_smsc_fixture
from tests.support.fake_smsc import eventually

pytestmark = pytest.mark.integration

node_smsc = node_smsc_fixture()

MESSAGES = 200
WINDOW = 10


class Receipts:
    def __init__(self) -> None:
        self.pdus: list[DeliverSm] = []

    async def store(self, pdu: DeliverSm) -> int:
        self.pdus.append(pdu)
        return CommandStatus.ESME_ROK


@pytest.fixture
async def running() -> AsyncIterator[list[tuple[SmppClient, asyncio.Task[None]]]]:
    runs: list[tuple[SmppClient, asyncio.Task[None]]] = []
    try:
        yield runs
    finally:
        for client, task in runs:
            await asyncio.wait_for(client.stop(timeout_s=2), 10)
            await asyncio.wait_for(task, 10)


def start(
    runs: list[tuple[SmppClient, asyncio.Task[None]]], peer: NodeSmsc, receipts: Receipts, **options: object
) -> SmppClient:
    client = SmppClient(
        host=peer.host,
        port=peer.port,
        system_id="esme1",
        password=str(options.pop("password", "secret")),
        window=WINDOW,
        on_deliver=receipts.store,
        response_timeout_s=5,
        reconnect_backoff=(0.05, 0.2),
        name="node-peer",
    )
    runs.append((client, asyncio.create_task(client.run())))
    return client


async def test_window_of_submits_and_every_receipt_through_on_deliver(
    node_smsc: NodeSmsc, running: list[tuple[SmppClient, asyncio.Task[None]]]
) -> None:
    receipts = Receipts()
    client = start(running, node_smsc, receipts)
    assert await client.wait_bound(10)

    submits = [
        SubmitSm(
            source_addr="10690000",
            destination_addr=f"86138{n:08d}",
            short_message=f"message {n}".encode(),
            registered_delivery=RegisteredDelivery.SMSC_RECEIPT,
        )
        for n in range(MESSAGES)
    ]
    responses = await asyncio.gather(*(client.submit(pdu) for pdu in submits))
    assert {response.command_status for response in responses} == {CommandStatus.ESME_ROK}
    message_ids = {response.message_id for response in responses}
    assert len(message_ids) == MESSAGES
    assert client.window_free == WINDOW

    await eventually(lambda: len(receipts.pdus) == MESSAGES, timeout=20)
    assert {pdu.receipted_message_id for pdu in receipts.pdus} == message_ids
    for pdu in receipts.pdus:
        assert pdu.is_receipt
        assert pdu.message_state == MessageState.DELIVERED
        parsed = parse_receipt(decode_text(pdu.payload, pdu.data_coding))
        assert parsed is not None
        assert parsed.message_id == pdu.receipted_message_id
        assert parsed.stat == "DELIVRD"
    assert client.stats.delivers == MESSAGES

    await asyncio.wait_for(client.stop(), 10)
    # What node-smpp decoded: every submit_sm, every receipt acknowledged with ESME_ROK, an unbind.
    seen = node_smsc.wait_for_count("submit_sm", MESSAGES)
    assert {record["destination_addr"] for record in seen} == {pdu.destination_addr for pdu in submits}
    acks = node_smsc.wait_for_count("deliver_sm_resp", MESSAGES)
    assert {record["command_status"] for record in acks} == {0}
    node_smsc.wait_for_pdu("unbind")


async def test_wrong_password_is_refused_until_fixed(
    node_smsc: NodeSmsc, running: list[tuple[SmppClient, asyncio.Task[None]]]
) -> None:
    with capture_logs() as logs:
        client = start(running, node_smsc, Receipts(), password="wrong")
        await eventually(lambda: client.stats.bind_failures >= 1, timeout=10)
    assert not client.bound
    refused = next(entry for entry in logs if entry["event"] == "smpp.bind_refused")
    assert (refused["log_level"], refused["status"]) == ("error", "ESME_RBINDFAIL")

    client.update_credentials(password="secret")
    assert await client.wait_bound(10)
    assert (await client.submit(SubmitSm(destination_addr="8613800000000"))).command_status == 0
