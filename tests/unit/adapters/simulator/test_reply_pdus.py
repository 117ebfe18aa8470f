"""A handset's answer as the deliver_sm it arrives in: one, or concatenated parts (pure)."""

from __future__ import annotations

from smscloud.adapters.simulator.receipts import reply_pdus
from smscloud.protocols.smpp import DataCoding, DeliverSm, EsmClass, SubmitSm, concat_info, decode_text, parse_udh

SUBMIT = SubmitSm(source_addr="10690012", destination_addr="8613800000009")


def read(pdus: list[DeliverSm]) -> list[tuple[int, int, int, int, str]]:
    """(reference, total, number, data_coding, text) of each part."""
    parts = []
    for pdu in pdus:
        assert pdu.esm_class == EsmClass.UDHI  # message type 0 (mobile originated), with a UDH
        assert (pdu.source_addr, pdu.destination_addr) == ("8613800000009", "10690012")
        elements, body = parse_udh(pdu.short_message)
        place = concat_info(elements)
        assert place is not None
        parts.append(
            (place.reference, place.total, place.sequence, pdu.data_coding, decode_text(body, pdu.data_coding))
        )
    return parts


def test_an_answer_that_fits_one_sms_is_one_deliver_sm_without_a_header() -> None:
    (pdu,) = reply_pdus(submit=SUBMIT, text="收到，谢谢", reference=7)
    assert (pdu.esm_class, pdu.data_coding) == (EsmClass.DEFAULT, DataCoding.UCS2)
    assert decode_text(pdu.short_message, pdu.data_coding) == "收到，谢谢"


def test_a_long_ucs2_answer_is_cut_at_67_characters() -> None:
    text = "好" * 70 + "的"
    assert read(reply_pdus(submit=SUBMIT, text=text, reference=0x1234)) == [
        (0x34, 2, 1, DataCoding.UCS2, "好" * 67),  # an 8-bit reference: the counter's low octet
        (0x34, 2, 2, DataCoding.UCS2, "好" * 3 + "的"),
    ]


def test_a_long_gsm_answer_is_cut_at_153_septets_never_inside_an_escape() -> None:
    text = "a" * 152 + "€" + "b" * 10  # the euro sign takes two septets: it opens the second part
    assert read(reply_pdus(submit=SUBMIT, text=text, reference=1)) == [
        (1, 2, 1, DataCoding.DEFAULT, "a" * 152),
        (1, 2, 2, DataCoding.DEFAULT, "€" + "b" * 10),
    ]
