"""ReceiptIntake and long replies: each part read (header, TLVs, its own data_coding) and handed
over as a part; the in-memory store joins them as the port says."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy.exc import DBAPIError
from structlog.testing import capture_logs

from smscloud.domain.messages.replies import PartOutcome, ReplyPart
from smscloud.protocols.smpp import (
    SAR_MSG_REF_NUM,
    SAR_SEGMENT_SEQNUM,
    SAR_TOTAL_SEGMENTS,
    CommandStatus,
    DataCoding,
    DeliverSm,
    EsmClass,
    Tag,
    Tlv,
    build_concat_udh,
    encode_text,
)
from tests.unit.adapters.carriers.test_receipt_intake import Store, handle

S = CommandStatus
OK = S.ESME_ROK


def udh_part(
    text: str,
    *,
    reference: int,
    total: int,
    number: int,
    ref16: bool = False,
    data_coding: int = DataCoding.UCS2,
    source: str = "8613800000009",
) -> DeliverSm:
    return DeliverSm(
        source_addr=source,
        destination_addr="106900",
        esm_class=EsmClass.UDHI,
        data_coding=data_coding,
        short_message=build_concat_udh(reference, total, number, ref16=ref16) + encode_text(text, data_coding),
    )


def sar_part(text: str, *, reference: int, total: int, number: int) -> DeliverSm:
    return DeliverSm(
        source_addr="8613800000009",
        destination_addr="106900",
        data_coding=DataCoding.UCS2,
        short_message=encode_text(text, DataCoding.UCS2),
        tlvs=(
            SAR_MSG_REF_NUM.encode(reference),
            SAR_TOTAL_SEGMENTS.encode(total),
            SAR_SEGMENT_SEQNUM.encode(number),
        ),
    )


@pytest.mark.parametrize("ref16", [False, True], ids=["8-bit reference", "16-bit reference"])
async def test_udh_parts_out_of_order_make_one_reply_in_part_order(ref16: bool) -> None:
    store = Store()
    reference = 0x1234 if ref16 else 0x9C
    pdus = [
        udh_part("谢谢！", reference=reference, total=3, number=3, ref16=ref16),
        udh_part("您好，短信已收到。", reference=reference, total=3, number=1, ref16=ref16),
        udh_part("周六上午送到。", reference=reference, total=3, number=2, ref16=ref16),
    ]
    assert await handle(store, *pdus) == [OK, OK, OK]
    assert store.replies == ["您好，短信已收到。周六上午送到。谢谢！"]
    assert [(p.reference, p.total, p.number) for p in store.parts] == [(reference, 3, n) for n in (3, 1, 2)]


async def test_sar_tlv_parts_make_one_reply() -> None:
    store = Store()
    pdus = [
        sar_part("Part two.", reference=513, total=2, number=2),
        sar_part("Part one, ", reference=513, total=2, number=1),
    ]
    assert await handle(store, *pdus) == [OK, OK]
    assert store.replies == ["Part one, Part two."]
    assert store.parts[0] == ReplyPart(1, "8613800000009", "106900", 513, 2, 2, "Part two.")


async def test_each_part_is_decoded_by_its_own_data_coding() -> None:
    store = Store()
    gsm = udh_part("Price: 5€ @ ", reference=3, total=2, number=1, data_coding=DataCoding.DEFAULT)
    ucs2 = udh_part("周六", reference=3, total=2, number=2, data_coding=DataCoding.UCS2)
    assert await handle(store, gsm, ucs2) == [OK, OK]
    assert store.replies == ["Price: 5€ @ 周六"]


async def test_a_part_the_carrier_sends_again_is_acknowledged_and_makes_no_second_reply() -> None:
    store = Store()
    one = udh_part("a", reference=1, total=2, number=1)
    two = udh_part("b", reference=1, total=2, number=2)
    assert await handle(store, one, one, two, two) == [OK, OK, OK, OK]
    assert store.replies == ["ab"]


async def test_parts_of_replies_from_two_numbers_are_not_mixed() -> None:
    store = Store()
    pdus = [
        udh_part("A1 ", reference=5, total=2, number=1, source="8613800000001"),
        udh_part("B1 ", reference=5, total=2, number=1, source="8613800000002"),
        udh_part("B2", reference=5, total=2, number=2, source="8613800000002"),
        udh_part("A2", reference=5, total=2, number=2, source="8613800000001"),
    ]
    assert await handle(store, *pdus) == [OK, OK, OK, OK]
    assert store.replies == ["B1 B2", "A1 A2"]


@pytest.mark.parametrize(
    ("pdu", "text"),
    [
        (udh_part("whole", reference=4, total=1, number=1), "whole"),  # "1 of 1": a reply on its own
        (
            DeliverSm(  # the sar_* TLVs say part 3 of 2: not a place in a reply
                source_addr="8613800000009",
                short_message=b"odd",
                data_coding=DataCoding.IA5,
                tlvs=(SAR_MSG_REF_NUM.encode(1), SAR_TOTAL_SEGMENTS.encode(2), SAR_SEGMENT_SEQNUM.encode(3)),
            ),
            "odd",
        ),
        (
            DeliverSm(  # a malformed sar_total_segments (two octets): the text is kept as a reply
                source_addr="8613800000009",
                short_message=b"kept",
                data_coding=DataCoding.IA5,
                tlvs=(
                    SAR_MSG_REF_NUM.encode(1),
                    Tlv(Tag.SAR_TOTAL_SEGMENTS, b"\x00\x02"),
                    SAR_SEGMENT_SEQNUM.encode(1),
                ),
            ),
            "kept",
        ),
    ],
    ids=["one of one", "place out of range", "malformed sar"],
)
async def test_what_is_not_a_place_in_a_long_reply_is_stored_as_a_reply(pdu: DeliverSm, text: str) -> None:
    store = Store()
    with capture_logs():
        assert await handle(store, pdu) == [OK]
    assert store.replies == [text]
    assert store.parts == []


async def test_a_part_the_database_refuses_fails_alone() -> None:
    class CharacterNotInRepertoire(Exception):
        sqlstate = "22021"

    refused = DBAPIError("INSERT INTO mo_part ...", {}, CharacterNotInRepertoire("invalid byte sequence"))

    class Refusing(Store):
        async def store_reply_part(self, *, part: ReplyPart, now: datetime) -> PartOutcome:
            if part.text == "poison":
                raise refused
            return await super().store_reply_part(part=part, now=now)

    store = Refusing()
    with capture_logs():
        statuses = await handle(
            store,
            udh_part("poison", reference=1, total=2, number=1),
            udh_part("fine", reference=2, total=1, number=1),
        )
    assert statuses == [S.ESME_RX_P_APPN, OK]
    assert store.replies == ["fine"]
