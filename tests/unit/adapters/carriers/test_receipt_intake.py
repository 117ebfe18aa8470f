"""ReceiptIntake's deliver_sm handler: what is stored as a reply or a receipt, and what is answered."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from sqlalchemy.exc import DBAPIError, OperationalError
from structlog.testing import capture_logs

from smscloud.adapters.carriers.receipt_intake import ReceiptIntake
from smscloud.domain.carriers.message_ids import ReceiptIds
from smscloud.domain.messages.model import MessageStatus
from smscloud.domain.messages.receipts import Receipt
from smscloud.domain.messages.replies import HeldPart, PartOutcome, ReplyPart, joined_text, receive_part
from smscloud.domain.shared.clock import FixedClock
from smscloud.protocols.smpp import (
    MESSAGE_STATE,
    RECEIPTED_MESSAGE_ID,
    CommandStatus,
    DataCoding,
    DeliverSm,
    EsmClass,
    MessageState,
    Tag,
    Tlv,
    build_concat_udh,
    encode_text,
)

NOW = datetime(2026, 1, 1, tzinfo=UTC)
S = CommandStatus
CANONICAL = b"id:4f2a sub:001 dlvrd:001 submit date:2601010000 done date:2601010000 stat:DELIVRD err:000 text:hi"


class Store:
    """The intake's store in memory; ``refuse`` makes store_reply raise for replies holding that text.

    Parts of long replies are held as the port says (`receive_part` decides): ``parts`` records
    every part handed over, ``replies`` the replies stored, whole or completed from parts.
    """

    def __init__(self, refuse: dict[str, Exception] | None = None) -> None:
        self.replies: list[str] = []
        self.receipts: list[Receipt] = []
        self.parts: list[ReplyPart] = []
        self.held: dict[tuple[object, ...], list[HeldPart]] = {}
        self.refuse = refuse or {}

    async def store_reply_part(self, *, part: ReplyPart, now: datetime) -> PartOutcome:
        self.parts.append(part)
        key = (part.carrier_id, part.source_addr, part.destination_addr, part.reference, part.total)
        held = self.held.setdefault(key, [])
        decision = receive_part(held, part)
        if decision.outcome is PartOutcome.DUPLICATE:
            return decision.outcome
        if decision.restart:
            if waiting := [h for h in held if not h.assembled]:
                self.replies.append(joined_text(waiting))
            held.clear()
        held.append(HeldPart(part.number, part.text, now))
        if decision.text is not None:
            self.replies.append(decision.text)
            held[:] = [replace(h, assembled=True) for h in held]
        return decision.outcome

    async def flush_reply_parts(self, *, received_before: datetime) -> int:
        return 0

    async def apply(self, receipts: Sequence[Receipt], *, now: datetime) -> None:
        self.receipts.extend(receipts)

    async def store_reply(
        self, *, carrier_id: int, source_addr: str, destination_addr: str, text: str, now: datetime
    ) -> None:
        for marker, error in self.refuse.items():
            if marker in text:
                raise error
        self.replies.append(text)

    async def rematch(self, *, now: datetime) -> int:
        return 0

    async def expire_unanswered(self, *, submitted_before: datetime, now: datetime) -> int:
        return 0


async def handle(store: Store, *pdus: DeliverSm) -> list[int]:
    handler = ReceiptIntake(store, FixedClock(NOW)).handler_for(1)
    return list(await handler(pdus))


def reply(short_message: bytes, *, data_coding: int = DataCoding.DEFAULT, esm_class: int = 0) -> DeliverSm:
    return DeliverSm(
        source_addr="8613800000001",
        destination_addr="106900",
        esm_class=esm_class,
        data_coding=data_coding,
        short_message=short_message,
    )


def receipt(short_message: bytes = CANONICAL, tlvs: tuple[Tlv, ...] = ()) -> DeliverSm:
    return DeliverSm(esm_class=EsmClass.DELIVERY_RECEIPT, short_message=short_message, tlvs=tlvs)


# Replies.

GSM_TEXT = "Grüße @ $5 _x_ ¿? {€}"


@pytest.mark.parametrize(
    ("pdu", "text"),
    [
        (reply(encode_text(GSM_TEXT, DataCoding.DEFAULT)), GSM_TEXT),  # 0: GSM 03.38, not ASCII
        (reply(b"meet @ 5", data_coding=DataCoding.IA5), "meet @ 5"),  # 1: ASCII
        (reply("回复 TD".encode("utf-16-be"), data_coding=DataCoding.UCS2), "回复 TD"),
        (
            reply(
                build_concat_udh(9, 1, 1) + encode_text("One of one", DataCoding.DEFAULT),
                esm_class=EsmClass.UDHI,
            ),
            "One of one",  # the header stripped; "part 1 of 1" is a whole reply
        ),
        (reply(b"\x09abc", esm_class=EsmClass.UDHI), "Çabc"),  # no valid header: every octet kept
    ],
)
async def test_reply_text_is_decoded_by_its_data_coding(pdu: DeliverSm, text: str) -> None:
    store = Store()
    assert await handle(store, pdu) == [S.ESME_ROK]
    assert store.replies == [text]


async def test_reply_never_carries_a_nul_or_other_control_characters() -> None:
    store = Store()
    ucs2 = reply("a\0b\x07c\td\ne\rf\x1b".encode("utf-16-be"), data_coding=DataCoding.UCS2)
    latin1 = reply(b"x\0y", data_coding=DataCoding.LATIN_1)
    assert await handle(store, ucs2, latin1) == [S.ESME_ROK, S.ESME_ROK]
    assert store.replies == ["a\ufffdb\ufffdc\td\ne\rf\ufffd", "x\ufffdy"]


async def test_a_reply_the_database_refuses_fails_alone() -> None:
    class CharacterNotInRepertoire(Exception):
        sqlstate = "22021"

    refused = DBAPIError("INSERT INTO mo_message ...", {}, CharacterNotInRepertoire("invalid byte sequence"))
    store = Store(refuse={"poison": refused})
    with capture_logs() as logs:
        statuses = await handle(store, receipt(), reply(b"poison"), reply(b"fine"))
    assert statuses == [S.ESME_ROK, S.ESME_RX_P_APPN, S.ESME_ROK]
    assert [r.carrier_msg_id for r in store.receipts] == ["4f2a"]  # the receipt is stored all the same
    assert store.replies == ["fine"]
    assert [entry["log_level"] for entry in logs if entry["event"] == "reply.refused_by_database"] == ["error"]


@pytest.mark.parametrize(
    "error",
    [
        OperationalError("INSERT INTO mo_message ...", {}, ConnectionRefusedError("connection refused")),
        DBAPIError("INSERT INTO mo_message ...", {}, Exception("gone"), connection_invalidated=True),
        RuntimeError("database is closed"),
    ],
    ids=["operational", "connection_invalidated", "other"],
)
async def test_a_reply_that_cannot_be_stored_because_the_database_is_down_refuses_the_batch(
    error: Exception,
) -> None:
    store = Store(refuse={"hello": error})
    with pytest.raises(type(error)):
        await handle(store, receipt(), reply(b"hello"))  # the client answers ESME_RX_T_APPN to all


# Other message types.


@pytest.mark.parametrize(
    "esm_class",
    [
        EsmClass.DELIVERY_ACK,
        EsmClass.MANUAL_USER_ACK,
        EsmClass.CONVERSATION_ABORT,
        EsmClass.INTERMEDIATE_DELIVERY_NOTIFICATION,
        EsmClass.INTERMEDIATE_DELIVERY_NOTIFICATION | EsmClass.UDHI,
    ],
)
async def test_deliver_sm_that_is_neither_a_reply_nor_a_receipt_is_acknowledged_not_stored(esm_class: int) -> None:
    store = Store()
    with capture_logs() as logs:
        assert await handle(store, reply(CANONICAL, esm_class=esm_class)) == [S.ESME_ROK]
    assert store.replies == []
    assert store.receipts == []
    assert [entry["log_level"] for entry in logs if entry["event"] == "deliver.not_stored"] == ["info"]


# Receipts.


async def test_the_message_state_tlv_decides_over_the_receipt_text() -> None:
    store = Store()
    pdu = receipt(CANONICAL, (MESSAGE_STATE.encode(MessageState.UNDELIVERABLE),))
    assert await handle(store, pdu) == [S.ESME_ROK]
    (stored,) = store.receipts
    assert (stored.carrier_msg_id, stored.status, stored.stat) == ("4f2a", MessageStatus.UNDELIVERED, "UNDELIV")


@pytest.mark.parametrize(
    ("receipt_ids", "stored_id"),
    [(ReceiptIds.AS_SENT, "4f2a"), (ReceiptIds.HEX, "20266"), (ReceiptIds.CASELESS, "4f2a")],
)
async def test_a_receipts_id_is_stored_in_its_carriers_form(receipt_ids: ReceiptIds, stored_id: str) -> None:
    store = Store()
    handler = ReceiptIntake(store, FixedClock(NOW)).handler_for(1, receipt_ids=receipt_ids)
    assert list(
        await handler(
            [receipt(CANONICAL.replace(b"4f2a", b"4F2A") if receipt_ids is ReceiptIds.CASELESS else CANONICAL)]
        )
    ) == [S.ESME_ROK]
    (stored,) = store.receipts
    assert stored.carrier_msg_id == stored_id


async def test_a_receipt_from_tlvs_alone() -> None:
    store = Store()
    pdu = receipt(b"", (RECEIPTED_MESSAGE_ID.encode("x1"), MESSAGE_STATE.encode(MessageState.DELIVERED)))
    assert await handle(store, pdu) == [S.ESME_ROK]
    (stored,) = store.receipts
    assert (stored.carrier_msg_id, stored.status, stored.stat) == ("x1", MessageStatus.DELIVERED, "DELIVRD")


async def test_a_malformed_message_state_falls_back_to_a_readable_text() -> None:
    store = Store()
    assert await handle(store, receipt(CANONICAL, (Tlv(Tag.MESSAGE_STATE, b"\x02\x00"),))) == [S.ESME_ROK]
    (stored,) = store.receipts
    assert (stored.carrier_msg_id, stored.status) == ("4f2a", MessageStatus.DELIVERED)


async def test_a_malformed_tlv_with_no_text_to_stand_in_is_refused_with_its_status() -> None:
    store = Store()
    pdu = receipt(b"", (RECEIPTED_MESSAGE_ID.encode("x1"), Tlv(Tag.MESSAGE_STATE, b"\x02\x00")))
    with capture_logs():
        assert await handle(store, pdu) == [S.ESME_RINVPARLEN]
    assert store.receipts == []


@pytest.mark.parametrize(
    "text",
    [
        b"\xff\xfe garbage",
        b"id:abc sub:001 dlvrd:001",
        b"stat:DELIVRD err:000",
        b"id:abc stat:FOOBAR err:000",
        b"id:" + b"9" * 65 + b" stat:DELIVRD err:000",  # longer than any message_id we were given
    ],
)
async def test_an_unreadable_receipt_is_acknowledged_with_a_warning_that_shows_it(text: bytes) -> None:
    store = Store()
    with capture_logs() as logs:
        assert await handle(store, receipt(text)) == [S.ESME_ROK]
    assert store.receipts == []
    (warning,) = [entry for entry in logs if entry["event"] == "receipt.unreadable"]
    assert warning["log_level"] == "warning"
    assert text[2:].decode("ascii", "replace") in warning["text"]  # what the carrier sent, for an operator


async def test_an_intermediate_receipt_is_acknowledged_quietly() -> None:
    store = Store()
    with capture_logs() as logs:
        assert await handle(store, receipt(b"id:abc stat:ENROUTE err:000")) == [S.ESME_ROK]
    assert store.receipts == []
    assert [entry["log_level"] for entry in logs if entry["event"].startswith("receipt.")] == ["info"]
