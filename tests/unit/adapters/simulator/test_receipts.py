"""Receipt building (pure) and the pending-receipt store, with fake sessions."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import msgspec

from smscloud.adapters.simulator import (
    PendingReceipt,
    ReceiptOutcome,
    ReceiptStore,
    receipt_pdu,
    receipt_text,
    with_sequence,
)
from smscloud.adapters.simulator.stats import Counters
from smscloud.protocols.smpp import (
    EsmClass,
    MessageState,
    NetworkErrorCode,
    SubmitSm,
    Ton,
    decode,
    encode,
    parse_receipt,
)

SUBMITTED = datetime(2026, 11, 27, 11, 41, 30, tzinfo=UTC)
DONE = datetime(2026, 11, 27, 11, 42, 5, tzinfo=UTC)


def test_receipt_pdu() -> None:
    submit = SubmitSm(
        source_addr_ton=Ton.ALPHANUMERIC,
        source_addr="SMSCLOUD",
        dest_addr_ton=Ton.INTERNATIONAL,
        destination_addr="8613800000002",
    )
    pdu = receipt_pdu(
        message_id="9f3c04a100000001",
        submit=submit,
        outcome=ReceiptOutcome(MessageState.UNDELIVERABLE, "001"),
        text="Your verification code is 1234",
        submitted_at=SUBMITTED,
        done_at=DONE,
    )
    assert pdu.esm_class == EsmClass.DELIVERY_RECEIPT
    assert (pdu.source_addr_ton, pdu.source_addr) == (Ton.INTERNATIONAL, "8613800000002")
    assert (pdu.dest_addr_ton, pdu.destination_addr) == (Ton.ALPHANUMERIC, "SMSCLOUD")
    assert pdu.short_message == (
        b"id:9f3c04a100000001 sub:001 dlvrd:000 submit date:2611271141 done date:2611271142"
        b" stat:UNDELIV err:001 text:Your verification co"
    )
    assert pdu.receipted_message_id == "9f3c04a100000001"
    assert pdu.message_state == MessageState.UNDELIVERABLE
    assert pdu.network_error_code == NetworkErrorCode(3, 1)
    encode(pdu)  # fits the wire format


def test_delivered_receipt_has_no_network_error() -> None:
    pdu = receipt_pdu(
        message_id="1",
        submit=SubmitSm(destination_addr="1"),
        outcome=ReceiptOutcome(MessageState.DELIVERED),
        text="",
        submitted_at=SUBMITTED,
        done_at=DONE,
    )
    parsed = parse_receipt(pdu.short_message.decode())
    assert parsed is not None
    assert (parsed.stat, parsed.delivered, parsed.err) == ("DELIVRD", "001", "000")
    assert pdu.network_error_code is None


def test_receipt_text_keeps_only_characters_ascii_and_gsm_agree_on() -> None:
    assert receipt_text("Hello, World! 1+1=2?") == "Hello, World! 1+1=2?"
    assert receipt_text("a@b_c$d{é}验") == "a?b?c?d????"
    assert len(receipt_text("x" * 100)) == 20


class FakeSink:
    def __init__(self, session_id: int, system_id: str = "esme1") -> None:
        self.session_id = session_id
        self.system_id = system_id
        self.got: list[PendingReceipt] = []

    def load(self) -> int:
        return len(self.got)

    def offer(self, receipt: PendingReceipt) -> None:
        self.got.append(receipt)


def pending(message_id: str, origin: int = 0, system_id: str = "esme1") -> PendingReceipt:
    return PendingReceipt(message_id, system_id, origin, b"")


def make_store(counters: Counters | None = None, *, max_pending: int = 100) -> ReceiptStore:
    return ReceiptStore(
        loop=asyncio.get_running_loop(),
        counters=counters or Counters(),
        max_pending=max_pending,
        retry_base_s=0.0,
        retry_max_s=0.0,
    )


async def test_routes_to_origin_else_least_loaded() -> None:
    store = make_store()
    first, second, other = FakeSink(1), FakeSink(2), FakeSink(3, "esme2")
    for sink in (first, second, other):
        store.attach(sink)
    store.add(pending("a", origin=2), 0)
    store.add(pending("b", origin=2), 0)
    store.add(pending("c", origin=99), 0)  # origin gone (or a transmitter): least loaded
    assert [r.message_id for r in first.got] == ["c"]
    assert [r.message_id for r in second.got] == ["a", "b"]
    assert other.got == []
    store.close()


async def test_waits_for_a_receiver_and_hands_over_in_order() -> None:
    store = make_store()
    store.add(pending("a"), 0)
    store.add(pending("b"), 0)
    assert len(store) == 2
    assert store.take_waiting("esme2") is None
    assert [store.take_waiting("esme1"), store.take_waiting("esme1")] != [None, None]
    assert store.take_waiting("esme1") is None
    store.close()


async def test_delay_and_retry_go_through_the_timer() -> None:
    counters = Counters()
    store = make_store(counters)
    sink = FakeSink(1)
    store.attach(sink)
    receipt = pending("a", origin=1)
    store.add(receipt, 0.01)
    assert sink.got == []
    while not sink.got:
        await asyncio.sleep(0.005)
    store.failed(receipt)
    assert receipt.failures == 1
    while len(sink.got) < 2:
        await asyncio.sleep(0.005)
    store.acked(receipt)
    store.acked(receipt)  # twice counts once
    assert len(store) == 0
    assert (counters.receipts_retried, counters.receipts_acked) == (1, 1)
    store.close()


async def test_detach_reroutes_unanswered_receipts() -> None:
    store = make_store()
    first, second = FakeSink(1), FakeSink(2)
    store.attach(first)
    store.attach(second)
    store.add(pending("a", origin=1), 0)
    store.detach(first, first.got)
    assert [r.message_id for r in second.got] == ["a"]
    store.detach(second, second.got)
    waiting = store.take_waiting("esme1")
    assert waiting is not None
    assert waiting.message_id == "a"
    store.close()


async def test_cap_drops_the_oldest() -> None:
    counters = Counters()
    store = make_store(counters, max_pending=2)
    receipts = [pending(str(n)) for n in range(3)]
    for receipt in receipts:
        store.add(receipt, 0)
    assert receipts[0].done
    assert counters.receipts_dropped == 1
    assert [store.take_waiting("esme1"), store.take_waiting("esme1")] == receipts[1:]
    store.close()


def test_with_sequence_only_changes_the_sequence_number() -> None:
    pdu = receipt_pdu(
        message_id="abc",
        submit=SubmitSm(destination_addr="8613800000001", source_addr="106900"),
        outcome=ReceiptOutcome(MessageState.DELIVERED),
        text="hi",
        submitted_at=SUBMITTED,
        done_at=SUBMITTED,
    )
    frame = encode(pdu)
    assert decode(with_sequence(frame, 0x7FFFFFFF)) == msgspec.structs.replace(pdu, sequence_number=0x7FFFFFFF)
