"""The simulator over real TCP, driven by a plain asyncio ESME built on the sans-I/O codec.

Receipts use receipt_delay_s=0 unless a test says otherwise: the simulator then writes a receipt in
the same batch as its submit_sm_resp, so "no receipt" is checked deterministically by a round trip
(enquire_link) on the same session afterwards: anything written before its answer has arrived.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import signal
import struct
import sys
from pathlib import Path
from typing import Any

import pytest

from smscloud.adapters.carriers.smpp_client import SmppClient
from smscloud.adapters.simulator import Simulator, read_ledger
from smscloud.protocols.smpp import (
    SAR_MSG_REF_NUM,
    SAR_SEGMENT_SEQNUM,
    SAR_TOTAL_SEGMENTS,
    BindReceiverResp,
    BindTransceiver,
    BindTransceiverResp,
    BindTransmitterResp,
    CommandStatus,
    DataCoding,
    DeliverSm,
    EnquireLink,
    EnquireLinkResp,
    EsmClass,
    GenericNack,
    MessageState,
    NetworkErrorCode,
    Pdu,
    QuerySm,
    SubmitSm,
    SubmitSmResp,
    Tag,
    Tlv,
    Unbind,
    UnbindResp,
    build_concat_udh,
    encode,
    encode_text,
    parse_receipt,
)
from tests.integration.simulator.conftest import Connect, MakeSimulator
from tests.integration.simulator.esme import Esme, eventually

pytestmark = pytest.mark.integration

S = CommandStatus
HEADER = struct.Struct(">IIII")


async def round_trip(client: Esme) -> None:
    """An enquire_link round trip: everything the simulator wrote before has arrived."""
    response = await client.request(EnquireLink())
    assert isinstance(response, EnquireLinkResp)


def received(client: Esme) -> list[DeliverSm]:
    items: list[DeliverSm] = []
    while not client.deliveries.empty():
        items.append(client.deliveries.get_nowait())
    return items


# Binding.


@pytest.mark.parametrize(
    ("mode", "response_class"),
    [
        ("transmitter", BindTransmitterResp),
        ("receiver", BindReceiverResp),
        ("transceiver", BindTransceiverResp),
    ],
)
async def test_bind_accepted_in_each_mode(
    simulator: Simulator, connect: Connect, mode: str, response_class: type[Pdu]
) -> None:
    client = await connect(simulator, mode=None)
    response = await client.bind("esme1", "secret1", mode=mode)
    assert isinstance(response, response_class)
    assert response.command_status == S.ESME_ROK
    assert response.system_id == "SMSCLOUDSIM"  # type: ignore[attr-defined]
    assert response.sc_interface_version == 0x34  # type: ignore[attr-defined]
    await round_trip(client)
    assert simulator.stats().binds_accepted == 1


async def test_several_credentials(simulator: Simulator, connect: Connect) -> None:
    await connect(simulator, system_id="esme1", password="other1")
    await connect(simulator, system_id="esme2", password="secret2")
    assert simulator.stats().binds_accepted == 2


@pytest.mark.parametrize(
    ("system_id", "password", "status"),
    [
        ("esme1", "wrong", S.ESME_RINVPASWD),
        ("esme1", "secret2", S.ESME_RINVPASWD),  # another system_id's password
        ("nobody", "secret1", S.ESME_RINVSYSID),
    ],
)
async def test_bind_refused_then_closed(
    simulator: Simulator, connect: Connect, system_id: str, password: str, status: int
) -> None:
    client = await connect(simulator, mode=None)
    response = await client.bind(system_id, password)
    assert response.command_status == status
    await client.wait_closed_by_peer()
    await eventually(lambda: simulator.stats().sessions_active == 0)
    assert simulator.stats().binds_refused == 1


@pytest.mark.parametrize("mode", [None, "receiver"])
async def test_submit_needs_a_transmitting_bind(simulator: Simulator, connect: Connect, mode: str | None) -> None:
    client = await connect(simulator, mode=mode)
    submit = SubmitSm(sequence_number=500, destination_addr="+8613800000001", short_message=b"hi")
    response = await client.exchange(encode(submit), 500)
    assert isinstance(response, SubmitSmResp)
    assert response.command_status == S.ESME_RINVBNDSTS
    assert simulator.stats().submits_received == 0


async def test_bind_timeout_closes_idle_connection(make_simulator: MakeSimulator, connect: Connect) -> None:
    simulator = await make_simulator(bind_timeout_s=0.05)
    client = await connect(simulator, mode=None)
    await client.wait_closed_by_peer()
    assert simulator.stats().binds_timed_out == 1
    assert simulator.stats().sessions_closed_idle == 0


# Link liveness. Small timeouts; bounds only where the simulator cannot beat them (nothing closes
# early), generous deadlines elsewhere.


@pytest.mark.parametrize("answer_unbind", [True, False])
async def test_a_silent_session_is_enquired_then_unbound_and_closed(
    make_simulator: MakeSimulator, connect: Connect, answer_unbind: bool
) -> None:
    simulator = await make_simulator(enquire_link_s=0.2, idle_timeout_s=0.5, unbind_timeout_s=0.2)
    client = await connect(simulator, mode=None)
    client.answer_enquire_link = False
    client.answer_unbind = answer_unbind  # False: nothing at all comes from the client once bound
    loop = asyncio.get_running_loop()
    started = loop.time()  # before the bind: the simulator last hears the client after this
    await client.bind()
    await client.wait_closed_by_peer()
    closed_after = loop.time() - started

    kinds = [type(pdu) for pdu in client.received]
    assert kinds[0] is EnquireLink
    assert kinds[-1] is Unbind
    assert set(kinds) == {EnquireLink, Unbind}
    assert client.unbinds_received == 1
    assert closed_after >= 0.5 + (0 if answer_unbind else 0.2) - 0.05  # (timers may fire a hair early)
    await eventually(lambda: simulator.stats().sessions_active == 0)
    stats = simulator.stats()
    assert stats.sessions_closed_idle == 1
    assert stats.enquire_links_sent == kinds.count(EnquireLink)
    assert stats.enquire_links_answered == 0


async def test_a_session_that_answers_enquire_link_stays_bound(make_simulator: MakeSimulator, connect: Connect) -> None:
    simulator = await make_simulator(enquire_link_s=0.1, idle_timeout_s=0.5)
    client = await connect(simulator)  # answers enquire_link, sends nothing else
    await eventually(lambda: simulator.stats().enquire_links_answered >= 8)  # 0.8 s and more: past idle
    assert not client.eof.is_set()
    assert client.unbinds_received == 0
    await round_trip(client)
    stats = simulator.stats()
    assert stats.sessions_closed_idle == 0
    assert stats.sessions_active == 1


async def test_a_session_that_enquires_itself_stays_bound(make_simulator: MakeSimulator, connect: Connect) -> None:
    simulator = await make_simulator(enquire_link_s=0.3, idle_timeout_s=0.6)
    client = await connect(simulator)
    client.answer_enquire_link = False  # it is heard through its own enquire_links alone
    loop = asyncio.get_running_loop()
    until = loop.time() + 1.5
    while loop.time() < until:
        await round_trip(client)
        await asyncio.sleep(0.05)
    assert client.unbinds_received == 0
    assert simulator.stats().sessions_closed_idle == 0


async def test_smpp_client_answers_the_simulators_enquire_links(make_simulator: MakeSimulator) -> None:
    simulator = await make_simulator(enquire_link_s=0.1, idle_timeout_s=0.5)

    async def store(pdu: DeliverSm) -> int:
        return S.ESME_ROK

    host, port = simulator.address
    client = SmppClient(
        host=host,
        port=port,
        system_id="esme1",
        password="secret1",
        on_deliver=store,
        enquire_link_interval_s=0,  # it never enquires itself: only its answers keep the link
        name="test",
    )
    run = asyncio.create_task(client.run())
    try:
        assert await client.wait_bound(10)
        await eventually(lambda: simulator.stats().enquire_links_answered >= 8)  # 0.8 s and more: past idle
        assert client.bound
        assert (client.stats.binds, client.stats.link_losses, client.stats.enquire_links_sent) == (1, 0, 0)
        stats = simulator.stats()
        assert (stats.binds_accepted, stats.sessions_active, stats.sessions_closed_idle) == (1, 1, 0)
    finally:
        await client.stop(timeout_s=1)
        async with asyncio.timeout(10):
            await run


# The test numbers.


@pytest.mark.parametrize(
    ("destination", "stat", "state", "err"),
    [
        ("+8613800000001", "DELIVRD", MessageState.DELIVERED, "000"),
        ("+8613800000002", "UNDELIV", MessageState.UNDELIVERABLE, "001"),
        ("+8613800000003", "REJECTD", MessageState.REJECTED, "002"),
        ("+8613800000004", "EXPIRED", MessageState.EXPIRED, "003"),
        ("+8613812345678", "DELIVRD", MessageState.DELIVERED, "000"),
        ("447700000002", "UNDELIV", MessageState.UNDELIVERABLE, "001"),
    ],
)
async def test_outcome_receipts(
    simulator: Simulator, connect: Connect, destination: str, stat: str, state: MessageState, err: str
) -> None:
    client = await connect(simulator)
    response = await client.submit(destination, "Your code is 1234", source_addr="106900")
    assert response.command_status == S.ESME_ROK
    assert response.message_id.startswith(simulator.message_id_prefix)
    int(response.message_id, 16)

    deliver = await client.next_delivery()
    assert deliver.is_receipt
    assert deliver.esm_class == EsmClass.DELIVERY_RECEIPT
    assert deliver.source_addr == destination
    assert deliver.destination_addr == "106900"
    assert deliver.data_coding == DataCoding.DEFAULT
    assert deliver.receipted_message_id == response.message_id
    assert deliver.message_state == state
    receipt = parse_receipt(deliver.short_message.decode("ascii"))
    assert receipt is not None
    assert receipt.message_id == response.message_id
    assert receipt.stat == stat
    assert receipt.err == err
    assert receipt.submitted == "001"
    assert receipt.delivered == ("001" if state is MessageState.DELIVERED else "000")
    assert receipt.text == "Your code is 1234"
    assert len(receipt.submit_date) == 10
    assert len(receipt.done_date) == 10
    if state is MessageState.DELIVERED:
        assert deliver.network_error_code is None
    else:
        assert deliver.network_error_code == NetworkErrorCode(3, int(err))
    await eventually(lambda: simulator.stats().receipts_acked == 1)


async def test_no_receipt_for_0000005(simulator: Simulator, connect: Connect) -> None:
    client = await connect(simulator)
    silent = await client.submit("+8613800000005")
    assert silent.command_status == S.ESME_ROK
    assert silent.message_id
    await round_trip(client)
    assert received(client) == []
    assert simulator.stats().receipts_scheduled == 0


async def test_throttled_twice_then_accepted(simulator: Simulator, connect: Connect) -> None:
    client = await connect(simulator)
    first = await client.submit("+8613800000006", "throttle me")
    second = await client.submit("+8613800000006", "throttle me")
    other_text = await client.submit("+8613800000006", "another text")  # counted on its own
    third = await client.submit("+8613800000006", "throttle me")
    assert [first.command_status, second.command_status, other_text.command_status] == [
        S.ESME_RTHROTTLED,
        S.ESME_RTHROTTLED,
        S.ESME_RTHROTTLED,
    ]
    assert first.message_id == second.message_id == ""
    assert third.command_status == S.ESME_ROK
    deliver = await client.next_delivery()
    assert deliver.receipted_message_id == third.message_id
    assert deliver.message_state == MessageState.DELIVERED
    again = await client.submit("+8613800000006", "throttle me")  # a new message starts over
    assert again.command_status == S.ESME_RTHROTTLED
    stats = simulator.stats()
    assert stats.submits_throttled == 4
    assert stats.submits_accepted == 1


@pytest.mark.parametrize("destination", ["+8613800000007", "", "+"])
async def test_refused_destination(simulator: Simulator, connect: Connect, destination: str) -> None:
    client = await connect(simulator)
    response = await client.submit(destination)
    assert response.command_status == S.ESME_RINVDSTADR
    assert response.message_id == ""
    await round_trip(client)
    assert received(client) == []
    assert simulator.stats().submits_refused == 1


async def test_registered_delivery_decides_whether_a_receipt_is_sent(simulator: Simulator, connect: Connect) -> None:
    client = await connect(simulator)
    await client.submit("+8613800000001", registered_delivery=0)
    await client.submit("+8613800000002", registered_delivery=0)
    await client.submit("+8613800000001", registered_delivery=2)  # failures only
    failed = await client.submit("+8613800000002", registered_delivery=2)
    await round_trip(client)
    deliveries = received(client)
    assert [deliver.receipted_message_id for deliver in deliveries] == [failed.message_id]


async def test_ucs2_text_in_receipt_and_ledger(make_simulator: MakeSimulator, connect: Connect, tmp_path: Path):
    ledger = tmp_path / "ledger.jsonl"
    simulator = await make_simulator(ledger_path=ledger)
    client = await connect(simulator)
    response = await client.submit("+8613800000001", "验证码 1234，5分钟内有效", data_coding=DataCoding.UCS2)
    deliver = await client.next_delivery()
    receipt = parse_receipt(deliver.short_message.decode("ascii"))
    assert receipt is not None
    assert receipt.text == "??? 1234?5?????"
    [entry] = read_ledger(ledger)
    assert entry.message_id == response.message_id
    assert entry.text == "验证码 1234，5分钟内有效"
    assert entry.data_coding == DataCoding.UCS2


# Where receipts go.


async def test_receipt_goes_to_the_session_the_submit_came_on(simulator: Simulator, connect: Connect) -> None:
    first = await connect(simulator)
    second = await connect(simulator)
    response = await second.submit("+8613800000001")
    deliver = await second.next_delivery()
    assert deliver.receipted_message_id == response.message_id
    await round_trip(first)
    assert received(first) == []


async def test_receipt_from_transmitter_goes_to_receiver(simulator: Simulator, connect: Connect) -> None:
    receiver = await connect(simulator, mode="receiver")
    other_system = await connect(simulator, mode="receiver", system_id="esme2", password="secret2")
    transmitter = await connect(simulator, mode="transmitter")
    response = await transmitter.submit("+8613800000002")
    deliver = await receiver.next_delivery()
    assert deliver.receipted_message_id == response.message_id
    await round_trip(other_system)
    assert received(other_system) == []


async def test_receipt_waits_until_a_receiver_binds(simulator: Simulator, connect: Connect) -> None:
    transmitter = await connect(simulator, mode="transmitter")
    response = await transmitter.submit("+8613800000001")
    assert simulator.stats().receipts_pending == 1
    receiver = await connect(simulator, mode="receiver")
    deliver = await receiver.next_delivery()
    assert deliver.receipted_message_id == response.message_id
    await eventually(lambda: simulator.stats().receipts_pending == 0)


async def test_unanswered_receipt_is_redelivered_on_a_new_session(simulator: Simulator, connect: Connect) -> None:
    first = await connect(simulator)
    first.ack = lambda pdu: None  # never answers deliver_sm
    response = await first.submit("+8613800000001")
    deliver = await first.next_delivery()
    assert deliver.receipted_message_id == response.message_id
    await first.close()

    second = await connect(simulator, mode="receiver")
    again = await second.next_delivery()
    assert again.receipted_message_id == response.message_id
    assert again.short_message == deliver.short_message
    await eventually(lambda: simulator.stats().receipts_acked == 1)
    stats = simulator.stats()
    assert stats.receipts_sent == 2
    assert stats.receipts_pending == 0


async def test_receipt_retried_after_error_response(make_simulator: MakeSimulator, connect: Connect) -> None:
    simulator = await make_simulator(receipt_retry_base_s=0.01)
    client = await connect(simulator)
    statuses = iter([S.ESME_RX_T_APPN, S.ESME_RSYSERR, S.ESME_ROK])
    client.ack = lambda pdu: next(statuses)
    response = await client.submit("+8613800000002")
    deliveries = [await client.next_delivery() for _ in range(3)]
    assert {deliver.receipted_message_id for deliver in deliveries} == {response.message_id}
    await eventually(lambda: simulator.stats().receipts_acked == 1)
    stats = simulator.stats()
    assert stats.receipts_retried == 2
    assert stats.receipts_sent == 3


async def test_receipt_retried_after_timeout(make_simulator: MakeSimulator, connect: Connect) -> None:
    simulator = await make_simulator(receipt_response_timeout_s=0.05, receipt_retry_base_s=0.0)
    client = await connect(simulator)
    answers = iter([None, S.ESME_ROK])
    client.ack = lambda pdu: next(answers)
    response = await client.submit("+8613800000001")
    first = await client.next_delivery()
    second = await client.next_delivery()
    assert first.receipted_message_id == second.receipted_message_id == response.message_id
    assert first.sequence_number != second.sequence_number
    await eventually(lambda: simulator.stats().receipts_acked == 1)
    assert simulator.stats().receipts_retried == 1


@pytest.mark.parametrize("status", [S.ESME_RX_P_APPN, S.ESME_RX_R_APPN])
async def test_a_receipt_refused_for_good_is_not_sent_again(
    make_simulator: MakeSimulator, connect: Connect, status: int
) -> None:
    simulator = await make_simulator(receipt_retry_base_s=0.0, receipt_response_timeout_s=0.05)
    client = await connect(simulator)
    client.ack = lambda pdu: status
    await client.submit("+8613800000001")
    await client.next_delivery()
    await eventually(lambda: simulator.stats().receipts_refused == 1)
    await asyncio.sleep(0.2)  # several retry periods
    stats = simulator.stats()
    assert (stats.receipts_sent, stats.receipts_retried, stats.receipts_pending) == (1, 0, 0)
    assert client.deliveries.empty()


async def test_a_receipt_its_session_does_not_answer_is_retried_on_another_that_reads(
    make_simulator: MakeSimulator, connect: Connect
) -> None:
    simulator = await make_simulator(receipt_response_timeout_s=0.05, receipt_retry_base_s=0.0)
    stuck = await connect(simulator)
    stuck.ack = lambda pdu: None  # reads, never answers
    reader = await connect(simulator, mode="receiver")
    response = await stuck.submit("+8613800000001")
    await stuck.next_delivery()  # first to the session that submitted
    retried = await reader.next_delivery()  # then to the one that answers
    assert retried.receipted_message_id == response.message_id
    await eventually(lambda: simulator.stats().receipts_acked == 1)


async def test_generic_nack_to_receipt_is_retried(make_simulator: MakeSimulator, connect: Connect) -> None:
    simulator = await make_simulator(receipt_retry_base_s=0.0)
    client = await connect(simulator)
    answers = iter([None, S.ESME_ROK])
    client.ack = lambda pdu: next(answers)
    response = await client.submit("+8613800000001")
    first = await client.next_delivery()
    client.write_raw(encode(GenericNack(sequence_number=first.sequence_number, command_status=S.ESME_RSYSERR)))
    second = await client.next_delivery()
    assert second.receipted_message_id == response.message_id
    await eventually(lambda: simulator.stats().receipts_acked == 1)


async def test_receipt_window_holds_the_rest_until_answers_come(
    make_simulator: MakeSimulator, connect: Connect
) -> None:
    simulator = await make_simulator(receipt_window=2)
    client = await connect(simulator)
    client.ack = lambda pdu: None
    ids = [(await client.submit("+8613800000001", f"message {n}")).message_id for n in range(5)]
    await round_trip(client)
    first_two = received(client)
    assert [deliver.receipted_message_id for deliver in first_two] == ids[:2]
    client.ack = lambda pdu: S.ESME_ROK
    for deliver in first_two:
        client.write_raw(client.conn.send(deliver.response()))
    rest = [await client.next_delivery() for _ in range(3)]
    assert [deliver.receipted_message_id for deliver in rest] == ids[2:]
    await eventually(lambda: simulator.stats().receipts_acked == 5)


async def test_pending_cap_drops_the_oldest(make_simulator: MakeSimulator, connect: Connect) -> None:
    simulator = await make_simulator(max_pending_receipts=2)
    transmitter = await connect(simulator, mode="transmitter")
    ids = [(await transmitter.submit("+8613800000001", f"m{n}")).message_id for n in range(3)]
    stats = simulator.stats()
    assert stats.receipts_dropped == 1
    assert stats.receipts_pending == 2
    receiver = await connect(simulator, mode="receiver")
    got = [(await receiver.next_delivery()).receipted_message_id for _ in range(2)]
    assert got == ids[1:]
    await round_trip(receiver)
    assert received(receiver) == []


async def test_receipt_delay_is_applied(make_simulator: MakeSimulator, connect: Connect) -> None:
    simulator = await make_simulator(receipt_delay_s=0.05, receipt_jitter_s=0.01)
    client = await connect(simulator)
    loop = asyncio.get_running_loop()
    started = loop.time()
    response = await client.submit("+8613800000001")
    deliver = await client.next_delivery()
    assert deliver.receipted_message_id == response.message_id
    assert loop.time() - started >= 0.04  # never earlier than the delay (a lower bound only)


async def test_submit_delay_holds_each_answer_and_the_receipt_follows_it(
    make_simulator: MakeSimulator, connect: Connect
) -> None:
    simulator = await make_simulator(submit_delay_s=0.2, receipt_delay_s=0.0)
    client = await connect(simulator)
    loop = asyncio.get_running_loop()
    started = loop.time()
    first, second = await asyncio.gather(client.submit("+8613800000001"), client.submit("+8613800000001"))
    answered = loop.time()
    assert answered - started >= 0.19  # held back (a lower bound only); both in flight at once
    assert first.message_id != second.message_id
    receipts = {(await client.next_delivery()).receipted_message_id for _ in range(2)}
    assert receipts == {first.message_id, second.message_id}  # after the answers, never before


async def test_an_answer_held_back_is_dropped_when_the_session_goes(
    make_simulator: MakeSimulator, connect: Connect
) -> None:
    loop = asyncio.get_running_loop()
    failures: list[dict[str, Any]] = []
    loop.set_exception_handler(lambda _loop, context: failures.append(context))
    try:
        simulator = await make_simulator(submit_delay_s=0.3)
        client = await connect(simulator)
        client._send(SubmitSm(destination_addr="+8613800000001", source_addr="106900", short_message=b"hi"))
        await eventually(lambda: simulator.stats().submits_accepted == 1)
        await client.close()
        await eventually(lambda: simulator.stats().sessions_active == 0)
        await asyncio.sleep(0.5)  # the held answer's time passes with no session to write it to
    finally:
        loop.set_exception_handler(None)
    assert failures == []


# Concatenated messages.


async def test_two_part_udh_message(make_simulator: MakeSimulator, connect: Connect, tmp_path: Path) -> None:
    ledger = tmp_path / "ledger.jsonl"
    simulator = await make_simulator(ledger_path=ledger)
    client = await connect(simulator)
    parts = ["A" * 153, "the end"]
    responses = [
        await client.submit(
            "+8613800000002",
            short_message=build_concat_udh(0x42, 2, seq) + encode_text(part, DataCoding.DEFAULT),
            esm_class=EsmClass.UDHI,
        )
        for seq, part in enumerate(parts, start=1)
    ]
    ids = [response.message_id for response in responses]
    assert all(response.command_status == S.ESME_ROK for response in responses)
    assert len(set(ids)) == 2
    deliveries = [await client.next_delivery() for _ in range(2)]
    assert sorted(deliver.receipted_message_id or "" for deliver in deliveries) == sorted(ids)
    assert all(deliver.message_state == MessageState.UNDELIVERABLE for deliver in deliveries)

    entries = read_ledger(ledger)
    assert [entry.message_id for entry in entries] == ids
    assert [entry.text for entry in entries] == parts
    assert [(e.udh.ref, e.udh.total, e.udh.seq) for e in entries if e.udh] == [(0x42, 2, 1), (0x42, 2, 2)]


async def test_sar_parts_are_separate_messages(make_simulator: MakeSimulator, connect: Connect, tmp_path: Path) -> None:
    ledger = tmp_path / "ledger.jsonl"
    simulator = await make_simulator(ledger_path=ledger)
    client = await connect(simulator)
    ids = []
    for seq, part in enumerate(["first half ", "second half"], start=1):
        response = await client.submit(
            "+8613800000001",
            part,
            tlvs=(
                SAR_MSG_REF_NUM.encode(0x1234),
                SAR_TOTAL_SEGMENTS.encode(2),
                SAR_SEGMENT_SEQNUM.encode(seq),
            ),
        )
        ids.append(response.message_id)
    deliveries = [await client.next_delivery() for _ in range(2)]
    assert [deliver.receipted_message_id for deliver in deliveries] == ids
    entries = read_ledger(ledger)
    assert [(e.udh.ref, e.udh.total, e.udh.seq) for e in entries if e.udh] == [(0x1234, 2, 1), (0x1234, 2, 2)]
    assert [entry.text for entry in entries] == ["first half ", "second half"]


@pytest.mark.parametrize(
    ("fields", "status"),
    [
        ({"validity_period": "garbage"}, S.ESME_RINVEXPIRY),
        ({"schedule_delivery_time": "261328101500032+"}, S.ESME_RINVSCHED),
        (
            {"tlvs": (SAR_MSG_REF_NUM.encode(7), SAR_TOTAL_SEGMENTS.encode(2), SAR_SEGMENT_SEQNUM.encode(3))},
            S.ESME_RINVOPTPARAMVAL,
        ),
        (
            {"tlvs": (SAR_MSG_REF_NUM.encode(7), SAR_TOTAL_SEGMENTS.encode(0), SAR_SEGMENT_SEQNUM.encode(0))},
            S.ESME_RINVOPTPARAMVAL,
        ),
        ({"validity_period": "000002000000000R", "schedule_delivery_time": ""}, S.ESME_ROK),
    ],
    ids=["validity garbage", "schedule month 13", "segment 3 of 2", "segment 0 of 0", "relative validity"],
)
async def test_fields_a_strict_smsc_refuses_are_refused(
    simulator: Simulator, connect: Connect, fields: dict[str, Any], status: int
) -> None:
    client = await connect(simulator)
    response = await client.submit("+8613800000001", **fields)
    assert response.command_status == status


async def test_malformed_udh_is_refused(simulator: Simulator, connect: Connect) -> None:
    client = await connect(simulator)
    response = await client.submit("+8613800000001", short_message=b"\x09\x00\x03", esm_class=EsmClass.UDHI)
    assert response.command_status == S.ESME_RINVESMCLASS


# The ledger.


async def test_ledger_records_accepted_parts_only(
    make_simulator: MakeSimulator, connect: Connect, tmp_path: Path
) -> None:
    ledger = tmp_path / "sub" / "ledger.jsonl"
    simulator = await make_simulator(ledger_path=ledger)
    client = await connect(simulator)
    accepted = [await client.submit("+8613800000001", "one", source_addr="SENDER")]
    for _ in range(3):
        response = await client.submit("+8613800000006", "throttled")
    accepted.append(response)
    await client.submit("+8613800000007", "refused")
    accepted.append(await client.submit("+8613800000005", "silent"))

    entries = read_ledger(ledger)
    assert [entry.message_id for entry in entries] == [response.message_id for response in accepted]
    first = entries[0]
    assert first.system_id == "esme1"
    assert first.destination == "+8613800000001"
    assert first.source == "SENDER"
    assert first.text == "one"
    assert first.udh is None
    assert first.received_at.tzinfo is not None
    assert [entry.text for entry in entries] == ["one", "throttled", "silent"]
    lines = ledger.read_text().splitlines()
    assert len(lines) == 3
    assert '"udh":null' in lines[0]


async def test_odd_payloads_are_accepted_and_recorded(
    make_simulator: MakeSimulator, connect: Connect, tmp_path: Path
) -> None:
    ledger = tmp_path / "ledger.jsonl"
    simulator = await make_simulator(ledger_path=ledger)
    client = await connect(simulator)
    payloads = [
        (DataCoding.DEFAULT, bytes(range(0x60, 0x100)) + b"\x1b"),  # not GSM 03.38; a dangling escape
        (DataCoding.UCS2, b"\xd8\x00\x00"),  # a lone surrogate, odd length
        (DataCoding.BINARY, b"\x00\xff"),
        (0xF4, b"\x01\x02"),  # 8-bit data, message class
        (0x0F, b"??"),  # reserved
    ]
    for data_coding, payload in payloads:
        response = await client.submit("+8613800000001", short_message=payload, data_coding=data_coding)
        assert response.command_status == S.ESME_ROK
    for _ in payloads:
        await client.next_delivery()
    entries = read_ledger(ledger)
    assert [entry.data_coding for entry in entries] == [dc for dc, _ in payloads]
    assert entries[1].text is not None
    assert "\ufffd" in entries[1].text
    assert [entry.text for entry in entries[2:]] == [None, None, None]


# Session housekeeping and hostile input.


async def test_enquire_link_and_unbind(simulator: Simulator, connect: Connect) -> None:
    client = await connect(simulator)
    await round_trip(client)
    response = await client.unbind()
    assert isinstance(response, UnbindResp)
    assert response.command_status == S.ESME_ROK
    await client.wait_closed_by_peer()
    await eventually(lambda: simulator.stats().sessions_active == 0)


@pytest.mark.parametrize("command_id", [0x00000099, 0x00000008, 0x00000021, 0x7FFFFFFF])
async def test_unknown_command_gets_generic_nack(simulator: Simulator, connect: Connect, command_id: int) -> None:
    client = await connect(simulator)
    nack = await client.exchange(HEADER.pack(16, command_id, 0, 77), 77)
    assert isinstance(nack, GenericNack)
    assert nack.command_status == S.ESME_RINVCMDID
    response = await client.submit("+8613800000001")  # the session still works
    assert response.command_status == S.ESME_ROK


async def test_query_sm_is_not_supported(simulator: Simulator, connect: Connect) -> None:
    client = await connect(simulator)
    response = await client.request(QuerySm(message_id="1"))
    assert response.command_status == S.ESME_RINVCMDID


async def test_malformed_submit_gets_its_error_status(simulator: Simulator, connect: Connect) -> None:
    client = await connect(simulator)
    body = b"\0\x01\x01" + b"1" * 21 + b"\0"  # source_addr longer than 20 characters
    response = await client.exchange(HEADER.pack(16 + len(body), 0x00000004, 0, 4242) + body, 4242)
    assert response.command_id == 0x80000004
    assert response.command_status == S.ESME_RINVSRCADR
    await round_trip(client)


@pytest.mark.parametrize(
    ("frame", "sequence_number"),
    [
        (bytes.fromhex("00000012 00000015 00000000 0000000d 7878"), 13),  # enquire_link with a body
        (HEADER.pack(21, 0x00000004, 0, 4242) + b"\0" * 5, 4242),  # submit_sm ending inside its fields
    ],
)
async def test_a_length_that_does_not_fit_the_command_gets_generic_nack(
    simulator: Simulator, connect: Connect, frame: bytes, sequence_number: int
) -> None:
    client = await connect(simulator)
    response = await client.exchange(frame, sequence_number)
    assert isinstance(response, GenericNack)  # SMPP 3.4 §4.3, not the command's own *_resp
    assert response.command_status == S.ESME_RINVCMDLEN
    await round_trip(client)


async def test_submit_with_both_short_message_and_message_payload_is_refused(
    simulator: Simulator, connect: Connect
) -> None:
    client = await connect(simulator)
    both = await client.submit("+8613800000001", tlvs=(Tlv(Tag.MESSAGE_PAYLOAD, b"payload"),))
    payload_only = await client.submit(
        "+8613800000001", short_message=b"", tlvs=(Tlv(Tag.MESSAGE_PAYLOAD, b"payload"),)
    )
    assert both.command_status == S.ESME_RINVPARLEN
    assert payload_only.command_status == S.ESME_ROK


async def test_a_malformed_deliver_sm_resp_is_not_answered_and_settles_its_receipt(
    make_simulator: MakeSimulator, connect: Connect
) -> None:
    simulator = await make_simulator(receipt_retry_base_s=0.0, receipt_response_timeout_s=0.2)
    client = await connect(simulator)
    client.ack = lambda pdu: None
    await client.submit("+8613800000001")
    deliver = await client.next_delivery()
    malformed = HEADER.pack(16 + 70, 0x80000005, 0, deliver.sequence_number) + b"A" * 70  # message_id, no NUL
    answer = asyncio.ensure_future(client.exchange(malformed, deliver.sequence_number))
    await eventually(lambda: simulator.stats().receipts_acked == 1)
    await round_trip(client)
    assert not answer.done()  # no generic_nack (nor anything else) came back
    answer.cancel()
    assert received(client) == []  # and the receipt was not sent again
    assert simulator.stats().receipts_retried == 0


@pytest.mark.parametrize(
    "frame",
    [
        HEADER.pack(5, 4, 0, 1),  # command_length below 16
        HEADER.pack(0xFFFFFFFF, 4, 0, 1),  # absurdly long
        HEADER.pack(1_000_000, 4, 0, 1),  # above the 64 KiB cap
    ],
)
async def test_bad_command_length_nacks_and_closes(simulator: Simulator, connect: Connect, frame: bytes) -> None:
    client = await connect(simulator)
    nack = await client.exchange(frame, 1)
    assert isinstance(nack, GenericNack)
    assert nack.command_status == S.ESME_RINVCMDLEN
    await client.wait_closed_by_peer()


async def test_hostile_bytes_do_not_hurt_the_simulator(simulator: Simulator, connect: Connect) -> None:
    rng = random.Random(1234)
    host, port = simulator.address
    blobs = [rng.randbytes(rng.randrange(1, 4096)) for _ in range(30)]
    # Valid headers with random bodies, for every command id the codec knows, bound and not.
    for command_id in (1, 2, 3, 4, 5, 6, 9, 0x0B, 0x15, 0x103, 0x80000004, 0x80000005, 0x80000000):
        body = rng.randbytes(rng.randrange(0, 300))
        blobs.append(HEADER.pack(16 + len(body), command_id, rng.randrange(2**32), 9) + body)
    bound = encode(_bind_pdu())
    for blob in blobs:
        for prefix in (b"", bound):
            reader, writer = await asyncio.open_connection(host, port)
            writer.write(prefix + blob)
            writer.write_eof()
            with contextlib.suppress(ConnectionError, TimeoutError):
                await asyncio.wait_for(reader.read(), 10)  # until the simulator closes
            writer.close()
            await writer.wait_closed()
    # Still answering, and every hostile session is gone.
    client = await connect(simulator)
    response = await client.submit("+8613800000001")
    assert response.command_status == S.ESME_ROK
    await client.next_delivery()
    await eventually(lambda: simulator.stats().sessions_active == 1)


def _bind_pdu() -> Pdu:
    return BindTransceiver(sequence_number=1, system_id="esme1", password="secret1")


async def test_peer_vanishing_mid_pdu(simulator: Simulator, connect: Connect) -> None:
    host, port = simulator.address
    _reader, writer = await asyncio.open_connection(host, port)
    writer.write(encode(_bind_pdu()) + HEADER.pack(200, 4, 0, 2) + b"\x00" * 10)
    await writer.drain()
    writer.close()
    await writer.wait_closed()
    await eventually(lambda: simulator.stats().sessions_active == 0)
    client = await connect(simulator)
    await round_trip(client)


# Many sessions, and stopping.


async def test_concurrent_sessions(simulator: Simulator, connect: Connect) -> None:
    clients = [await connect(simulator) for _ in range(5)]

    async def run(client: Esme, n: int) -> None:
        ids = [(await client.submit(f"+86138{n:02d}{i:04d}8", f"text {i}")).message_id for i in range(40)]
        got = [(await client.next_delivery()).receipted_message_id for _ in ids]
        assert got == ids

    await asyncio.gather(*(run(client, n) for n, client in enumerate(clients)))
    await eventually(lambda: simulator.stats().receipts_acked == 200)
    stats = simulator.stats()
    assert stats.submits_accepted == 200
    assert stats.sessions_active == 5


async def test_message_ids_are_unique_across_runs(make_simulator: MakeSimulator, connect: Connect) -> None:
    ids = set()
    for _ in range(2):
        simulator = await make_simulator()
        client = await connect(simulator)
        for _ in range(3):
            ids.add((await client.submit("+8613800000005")).message_id)
    assert len(ids) == 6


async def test_stop_unbinds_bound_sessions(make_simulator: MakeSimulator, connect: Connect) -> None:
    simulator = await make_simulator()
    bound = await connect(simulator)
    unbound = await connect(simulator, mode=None)
    host, port = simulator.address
    await simulator.stop()
    assert bound.unbinds_received == 1
    await bound.wait_closed_by_peer()
    await unbound.wait_closed_by_peer()
    assert simulator.stats().sessions_active == 0
    with pytest.raises(OSError):
        _reader, writer = await asyncio.open_connection(host, port)
        writer.close()
        await writer.wait_closed()
    await simulator.stop()  # twice is fine


async def test_nothing_is_delivered_on_a_session_after_its_unbind(
    make_simulator: MakeSimulator, connect: Connect
) -> None:
    simulator = await make_simulator(receipt_delay_s=0, unbind_timeout_s=0.5)
    sender = await connect(simulator)
    sender.ack = lambda pdu: None  # holds its receipts unanswered
    for _ in range(3):
        await sender.submit("+8613800000001")
    for _ in range(3):
        await sender.next_delivery()
    receiver = await connect(simulator, mode="receiver")
    receiver.answer_unbind = False  # stays open until the unbind times out

    # The sender answers the unbind and goes: its unanswered receipts must not follow the
    # receiver's unbind down the receiver's session.
    await simulator.stop()

    kinds = [type(pdu).__name__ for pdu in receiver.received]
    assert "Unbind" in kinds
    assert "DeliverSm" not in kinds[kinds.index("Unbind") :]


async def test_stop_does_not_wait_forever_for_unbind_resp(make_simulator: MakeSimulator, connect: Connect) -> None:
    simulator = await make_simulator(unbind_timeout_s=0.05)
    client = await connect(simulator)
    client.deaf = True  # the simulator's unbind is never answered
    await asyncio.wait_for(simulator.stop(), 10)
    await client.wait_closed_by_peer()
    assert client.unbinds_received == 0


async def test_serve_forever_returns_after_stop(make_simulator: MakeSimulator) -> None:
    simulator = await make_simulator()
    serving = asyncio.create_task(simulator.serve_forever())
    await asyncio.sleep(0)
    assert not serving.done()
    await simulator.stop()
    await asyncio.wait_for(serving, 10)


def test_runs_on_uvloop() -> None:
    """uvicorn runs `smscloud serve` on uvloop when installed: the embedded simulator must work there
    (uvloop's transports do not subclass asyncio.Transport)."""
    import uvloop

    from smscloud.adapters.simulator import SimulatorConfig

    async def scenario() -> None:
        simulator = Simulator(SimulatorConfig(port=0, credentials=[("esme1", "secret1")], receipt_delay_s=0))
        await simulator.start()
        client = await Esme.connect(simulator.address)
        try:
            assert (await client.bind()).command_status == S.ESME_ROK
            response = await client.submit("+8613800000003")
            deliver = await client.next_delivery()
            assert deliver.receipted_message_id == response.message_id
            assert deliver.message_state == MessageState.REJECTED
            await simulator.stop()
            assert client.unbinds_received == 1
        finally:
            await client.close()
            await simulator.stop()

    uvloop.run(scenario())


RUN_SIMULATOR = """
import asyncio
from smscloud.adapters.simulator import SimulatorConfig, run_simulator

config = SimulatorConfig(port=0, credentials=[("esme1", "secret1")], receipt_delay_s=0)
asyncio.run(run_simulator(config, started=lambda address: print("LISTENING", address[1], flush=True)))
print("STOPPED", flush=True)
"""


async def test_run_simulator_stops_gracefully_on_sigterm() -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        RUN_SIMULATOR,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    assert process.stdout is not None
    client: Esme | None = None
    try:
        line = b""
        while not line.startswith(b"LISTENING"):
            line = await asyncio.wait_for(process.stdout.readline(), 30)
            assert line, "the simulator exited before listening"
        client = await Esme.connect(("127.0.0.1", int(line.split()[1])))
        assert (await client.bind()).command_status == S.ESME_ROK
        response = await client.submit("+8613800000004")
        assert (await client.next_delivery()).receipted_message_id == response.message_id
        process.send_signal(signal.SIGTERM)
        await client.wait_closed_by_peer()
        assert client.unbinds_received == 1
        stdout, stderr = await asyncio.wait_for(process.communicate(), 30)
        assert process.returncode == 0, stderr.decode()
        assert b"STOPPED" in stdout
    finally:
        if client is not None:
            await client.close()
        if process.returncode is None:
            process.kill()
            await process.wait()
