"""TLVs: the tag table, typed fields, and raw TLVs that survive a round trip."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smscloud.protocols.smpp import (
    DESTINATION_PORT,
    MESSAGE_PAYLOAD,
    MESSAGE_STATE,
    NETWORK_ERROR_CODE,
    RECEIPTED_MESSAGE_ID,
    SAR_MSG_REF_NUM,
    SAR_SEGMENT_SEQNUM,
    SAR_TOTAL_SEGMENTS,
    SC_INTERFACE_VERSION,
    SOURCE_PORT,
    USER_MESSAGE_REFERENCE,
    DataSm,
    DeliverSm,
    MessageState,
    NetworkErrorCode,
    PduEncodeError,
    SubmitSm,
    Tag,
    Tlv,
    TlvError,
    decode,
    encode,
    find_tlv,
)
from tests.unit.protocols.smpp.strategies import tlvs_strategy


def test_the_tag_table_has_the_44_tags_of_smpp_3_4():
    assert len(Tag) == 44
    assert Tag.MESSAGE_PAYLOAD.value == 0x0424
    assert Tag.RECEIPTED_MESSAGE_ID.value == 0x001E
    assert Tag.ITS_SESSION_INFO.value == 0x1383


@pytest.mark.parametrize(
    ("field", "value", "wire"),
    [
        (MESSAGE_PAYLOAD, b"\x00\x01long text", b"\x00\x01long text"),
        (RECEIPTED_MESSAGE_ID, "0a1f", b"0a1f\0"),
        (MESSAGE_STATE, MessageState.UNDELIVERABLE, b"\x05"),
        (NETWORK_ERROR_CODE, NetworkErrorCode(3, 0x0102), b"\x03\x01\x02"),
        (SAR_MSG_REF_NUM, 0xBEEF, b"\xbe\xef"),
        (SAR_TOTAL_SEGMENTS, 3, b"\x03"),
        (SAR_SEGMENT_SEQNUM, 2, b"\x02"),
        (USER_MESSAGE_REFERENCE, 513, b"\x02\x01"),
        (SOURCE_PORT, 2948, b"\x0b\x84"),
        (DESTINATION_PORT, 9200, b"\x23\xf0"),
        (SC_INTERFACE_VERSION, 0x34, b"\x34"),
    ],
)
def test_typed_fields(field, value, wire):
    item = field.encode(value)
    assert item == Tlv(field.tag, wire)
    assert field.decode(item) == value
    assert field.find([Tlv(0x1400, b""), item]) == value


def test_receipted_message_id_without_its_nul_is_accepted():
    assert RECEIPTED_MESSAGE_ID.decode(Tlv(Tag.RECEIPTED_MESSAGE_ID, b"abc")) == "abc"
    assert RECEIPTED_MESSAGE_ID.decode(Tlv(Tag.RECEIPTED_MESSAGE_ID, b"abc\0\0")) == "abc"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        (RECEIPTED_MESSAGE_ID, "x" * 65),
        (RECEIPTED_MESSAGE_ID, "a\0"),
        (RECEIPTED_MESSAGE_ID, "中"),
        (MESSAGE_STATE, 256),
        (SAR_MSG_REF_NUM, -1),
        (MESSAGE_PAYLOAD, b"x" * 65536),
    ],
)
def test_typed_fields_refuse_values_that_do_not_fit(field, value):
    with pytest.raises(PduEncodeError):
        field.encode(value)


@pytest.mark.parametrize("value", [b"", b"\x01\x02"])
def test_fixed_size_field_with_the_wrong_size(value):
    with pytest.raises(TlvError):
        MESSAGE_STATE.decode(Tlv(Tag.MESSAGE_STATE, value))


def test_decode_checks_the_tag():
    with pytest.raises(ValueError, match="tag"):
        MESSAGE_STATE.decode(Tlv(Tag.SAR_SEGMENT_SEQNUM, b"\x01"))


def test_find_tlv_returns_the_first():
    items = (Tlv(1, b"a"), Tlv(2, b"b"), Tlv(1, b"c"))
    assert find_tlv(items, 1) == Tlv(1, b"a")
    assert find_tlv(items, 3) is None


def test_pdu_accessors():
    pdu = DeliverSm(
        esm_class=0x04,
        tlvs=(
            RECEIPTED_MESSAGE_ID.encode("77"),
            MESSAGE_STATE.encode(MessageState.DELIVERED),
            SAR_MSG_REF_NUM.encode(9),
            SAR_TOTAL_SEGMENTS.encode(2),
            SAR_SEGMENT_SEQNUM.encode(1),
            USER_MESSAGE_REFERENCE.encode(5),
            SOURCE_PORT.encode(1),
            DESTINATION_PORT.encode(2),
            NETWORK_ERROR_CODE.encode(NetworkErrorCode(3, 1)),
        ),
    )
    assert pdu.is_receipt
    assert pdu.receipted_message_id == "77"
    assert pdu.message_state == MessageState.DELIVERED
    assert pdu.sar == (9, 2, 1)
    assert pdu.user_message_reference == 5
    assert (pdu.source_port, pdu.destination_port) == (1, 2)
    assert pdu.network_error_code == (3, 1)
    assert pdu.message_payload is None
    assert pdu.payload == b""


def test_accessors_when_absent():
    pdu = SubmitSm(short_message=b"short", tlvs=(SAR_MSG_REF_NUM.encode(1),))
    assert pdu.sar is None
    assert pdu.receipted_message_id is None
    assert pdu.payload == b"short"
    assert not pdu.has_udh
    assert DataSm().payload == b""


def test_payload_prefers_message_payload():
    pdu = SubmitSm(short_message=b"", tlvs=(MESSAGE_PAYLOAD.encode(b"x" * 1000),))
    assert pdu.payload == b"x" * 1000
    assert decode(encode(pdu)) == pdu


@given(tlvs_strategy)
def test_raw_tlvs_round_trip_in_every_pdu_that_has_them(tlvs):
    for pdu in (SubmitSm(tlvs=tlvs), DeliverSm(tlvs=tlvs), DataSm(tlvs=tlvs)):
        decoded = decode(encode(pdu))
        assert isinstance(decoded, SubmitSm | DeliverSm | DataSm)
        assert decoded.tlvs == tlvs


@given(st.text(st.characters(min_codepoint=1, max_codepoint=255), max_size=64))
def test_receipted_message_id_round_trip(value):
    assert RECEIPTED_MESSAGE_ID.decode(RECEIPTED_MESSAGE_ID.encode(value)) == value


@given(st.integers(0, 0xFF), st.integers(0, 0xFFFF))
def test_network_error_code_round_trip(network_type, error_code):
    value = NetworkErrorCode(network_type, error_code)
    assert NETWORK_ERROR_CODE.decode(NETWORK_ERROR_CODE.encode(value)) == value
