"""The handsets that answer: …0000008 in one deliver_sm, …0000009 in concatenated parts."""

from __future__ import annotations

import pytest

from smscloud.adapters.simulator import Simulator
from smscloud.adapters.simulator.scenarios import LONG_REPLY_TEXT, REPLY_TEXT
from smscloud.protocols.smpp import (
    CommandStatus,
    DataCoding,
    DeliverSm,
    EsmClass,
    build_concat_udh,
    concat_info,
    decode_text,
    encode_text,
    parse_udh,
)
from tests.integration.simulator.conftest import Connect
from tests.integration.simulator.esme import Esme

pytestmark = pytest.mark.integration


async def replies(client: Esme, count: int) -> list[DeliverSm]:
    """The next `count` deliver_sm that are not receipts (the receipt comes first, or in between)."""
    found: list[DeliverSm] = []
    while len(found) < count:
        deliver = await client.next_delivery()
        if not deliver.is_receipt:
            found.append(deliver)
    return found


async def test_the_short_reply_comes_in_one_deliver_sm(simulator: Simulator, connect: Connect) -> None:
    client = await connect(simulator)
    assert (await client.submit("+8613800000008", "hi")).command_status == CommandStatus.ESME_ROK
    (reply,) = await replies(client, 1)
    assert (reply.esm_class, reply.source_addr, reply.destination_addr) == (
        EsmClass.DEFAULT,
        "+8613800000008",
        "106900",
    )
    assert decode_text(reply.short_message, reply.data_coding) == REPLY_TEXT


async def test_the_long_reply_comes_in_concatenated_parts(simulator: Simulator, connect: Connect) -> None:
    client = await connect(simulator)
    assert (await client.submit("8613800000009", "hi", source_addr="10690012")).command_status == CommandStatus.ESME_ROK
    parts = await replies(client, 2)

    texts, places = [], []
    for part in parts:
        assert part.esm_class == EsmClass.DEFAULT | EsmClass.UDHI  # a mobile-originated message, with a UDH
        assert (part.source_addr, part.destination_addr) == ("8613800000009", "10690012")
        assert part.data_coding == DataCoding.UCS2
        elements, body = parse_udh(part.short_message)
        assert [element.iei for element in elements] == [0x00]  # concatenation, 8-bit reference
        places.append(concat_info(elements))
        texts.append(decode_text(body, part.data_coding))
    assert [(place.total, place.sequence) for place in places if place] == [(2, 1), (2, 2)]
    assert len({place.reference for place in places if place}) == 1
    assert "".join(texts) == LONG_REPLY_TEXT
    assert simulator.stats().receipts_scheduled == 3  # the receipt and the two parts


async def test_a_long_message_is_answered_once_after_its_last_part(simulator: Simulator, connect: Connect) -> None:
    client = await connect(simulator)
    for seq, text in enumerate(["A" * 153, "the end"], start=1):
        response = await client.submit(
            "+8613800000008",
            short_message=build_concat_udh(0x42, 2, seq) + encode_text(text, DataCoding.DEFAULT),
            esm_class=EsmClass.UDHI,
        )
        assert response.command_status == CommandStatus.ESME_ROK
    (reply,) = await replies(client, 1)
    assert decode_text(reply.short_message, reply.data_coding) == REPLY_TEXT
    assert simulator.stats().receipts_scheduled == 3  # two receipts, one reply
