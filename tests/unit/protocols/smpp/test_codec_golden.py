"""Golden PDUs: hand-laid-out bytes in tests/data/smpp/*.hex, decoded and re-encoded byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest

from smscloud.protocols.smpp import (
    AlertNotification,
    BindReceiver,
    BindTransceiver,
    BindTransceiverResp,
    BindTransmitter,
    CommandStatus,
    DataCoding,
    DataSm,
    DataSmResp,
    DeliverSm,
    DeliverSmResp,
    EnquireLink,
    EnquireLinkResp,
    GenericNack,
    MessageState,
    NetworkErrorCode,
    Outbind,
    Pdu,
    QuerySm,
    QuerySmResp,
    SubmitSm,
    SubmitSmResp,
    Tag,
    Tlv,
    Unbind,
    UnbindResp,
    decode,
    decode_text,
    encode,
    frame_length,
    parse_receipt,
    parse_udh,
)

DATA = Path(__file__).parents[3] / "data" / "smpp"

DLR_TEXT = b"id:a1b2c3 sub:001 dlvrd:001 submit date:2611271200 done date:2611271201 stat:DELIVRD err:000 text:"

EXPECTED: dict[str, Pdu] = {
    "bind_transceiver": BindTransceiver(sequence_number=1, system_id="esme1", password="secret"),
    "bind_transceiver_resp": BindTransceiverResp(
        sequence_number=1, system_id="NODESMSC", tlvs=(Tlv(Tag.SC_INTERFACE_VERSION, b"\x34"),)
    ),
    "bind_transceiver_resp_bindfail": BindTransceiverResp(
        sequence_number=1, command_status=CommandStatus.ESME_RBINDFAIL
    ),
    "bind_transmitter": BindTransmitter(
        sequence_number=0x7FFFFFFF,
        system_id="esme1",
        password="secret",
        system_type="SMPP",
        addr_ton=1,
        addr_npi=1,
        address_range="^86",
    ),
    "bind_receiver": BindReceiver(sequence_number=2, system_id="esme1", password="secret"),
    "submit_sm_ucs2": SubmitSm(
        sequence_number=2,
        source_addr_ton=5,
        source_addr="smscloud",
        dest_addr_ton=1,
        dest_addr_npi=1,
        destination_addr="8613800138000",
        registered_delivery=1,
        data_coding=DataCoding.UCS2,
        short_message="你好😀".encode("utf-16-be"),
    ),
    "submit_sm_gsm_udh": SubmitSm(
        sequence_number=3,
        source_addr_ton=5,
        source_addr="smscloud",
        dest_addr_ton=1,
        dest_addr_npi=1,
        destination_addr="8613800138000",
        esm_class=0x40,
        registered_delivery=1,
        short_message=bytes.fromhex("0500037f0201") + b"Hello \x1be\x1b<\x1b>",
    ),
    "submit_sm_resp": SubmitSmResp(sequence_number=2, message_id="a1b2c3"),
    "submit_sm_resp_throttled": SubmitSmResp(sequence_number=2, command_status=CommandStatus.ESME_RTHROTTLED),
    "deliver_sm_receipt": DeliverSm(
        sequence_number=7,
        source_addr_ton=1,
        source_addr_npi=1,
        source_addr="8613800138000",
        dest_addr_ton=5,
        destination_addr="smscloud",
        esm_class=0x04,
        short_message=DLR_TEXT,
        tlvs=(
            Tlv(Tag.RECEIPTED_MESSAGE_ID, b"a1b2c3\0"),
            Tlv(Tag.MESSAGE_STATE, b"\x02"),
            Tlv(Tag.NETWORK_ERROR_CODE, b"\x03\x00\x00"),
        ),
    ),
    "deliver_sm_resp": DeliverSmResp(sequence_number=7),
    "deliver_sm_unknown_tlv": DeliverSm(
        sequence_number=8,
        source_addr_ton=1,
        source_addr_npi=1,
        source_addr="8613800138000",
        destination_addr="10690000",
        short_message=b"TD",
        tlvs=(Tlv(0x1401, bytes.fromhex("deadbeef")), Tlv(Tag.MORE_MESSAGES_TO_SEND, b"")),
    ),
    "data_sm_payload": DataSm(
        sequence_number=9,
        service_type="WAP",
        source_addr_ton=5,
        source_addr="smscloud",
        dest_addr_ton=1,
        dest_addr_npi=1,
        destination_addr="8613800138000",
        registered_delivery=1,
        data_coding=DataCoding.LATIN_1,
        tlvs=(
            Tlv(Tag.MESSAGE_PAYLOAD, b"hello via message_payload"),
            Tlv(Tag.SAR_MSG_REF_NUM, b"\x12\x34"),
            Tlv(Tag.SAR_TOTAL_SEGMENTS, b"\x03"),
            Tlv(Tag.SAR_SEGMENT_SEQNUM, b"\x01"),
        ),
    ),
    "data_sm_resp": DataSmResp(
        sequence_number=9, message_id="ff01", tlvs=(Tlv(Tag.ADDITIONAL_STATUS_INFO_TEXT, b"ok\0"),)
    ),
    "query_sm": QuerySm(sequence_number=10, message_id="a1b2c3", source_addr_ton=5, source_addr="smscloud"),
    "query_sm_resp": QuerySmResp(
        sequence_number=10,
        message_id="a1b2c3",
        final_date="261127120100000+",
        message_state=MessageState.DELIVERED,
    ),
    "outbind": Outbind(sequence_number=11, system_id="NODESMSC", password="secret"),
    "alert_notification": AlertNotification(
        sequence_number=12,
        source_addr_ton=1,
        source_addr_npi=1,
        source_addr="8613800000001",
        esme_addr="106900",
        tlvs=(Tlv(Tag.MS_AVAILABILITY_STATUS, b"\x00"),),
    ),
    "generic_nack": GenericNack(sequence_number=5, command_status=CommandStatus.ESME_RINVCMDID),
    "enquire_link": EnquireLink(sequence_number=3),
    "enquire_link_resp": EnquireLinkResp(sequence_number=3),
    "unbind": Unbind(sequence_number=4),
    "unbind_resp": UnbindResp(sequence_number=4),
}


def load_hex(name: str) -> bytes:
    """The bytes of tests/data/smpp/<name>.hex: '#' starts a comment, white space is ignored."""
    text = (DATA / f"{name}.hex").read_text(encoding="utf-8")
    return bytes.fromhex("".join(line.split("#", 1)[0] for line in text.splitlines()))


def test_every_golden_file_has_an_expectation():
    files = {path.stem for path in DATA.glob("*.hex")}
    assert files == set(EXPECTED)


def test_every_golden_file_starts_with_a_comment_line():
    for path in DATA.glob("*.hex"):
        assert path.read_text(encoding="utf-8").startswith("# "), path.name


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_golden_decode(name):
    frame = load_hex(name)
    assert frame_length(frame) == len(frame)
    assert decode(frame) == EXPECTED[name]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_golden_encode(name):
    assert encode(EXPECTED[name]).hex() == load_hex(name).hex()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_golden_decode_then_encode_is_identity(name):
    frame = load_hex(name)
    assert encode(decode(frame)) == frame


def test_receipt_golden_typed_accessors():
    pdu = decode(load_hex("deliver_sm_receipt"))
    assert isinstance(pdu, DeliverSm)
    assert pdu.is_receipt
    assert pdu.receipted_message_id == "a1b2c3"
    assert pdu.message_state == MessageState.DELIVERED
    assert pdu.network_error_code == NetworkErrorCode(network_type=3, error_code=0)
    receipt = parse_receipt(decode_text(pdu.payload, pdu.data_coding))
    assert receipt is not None
    assert receipt.message_id == "a1b2c3"
    assert receipt.message_state is MessageState.DELIVERED


def test_ucs2_golden_text():
    pdu = decode(load_hex("submit_sm_ucs2"))
    assert isinstance(pdu, SubmitSm)
    assert decode_text(pdu.short_message, pdu.data_coding) == "你好😀"


def test_udh_golden_text():
    pdu = decode(load_hex("submit_sm_gsm_udh"))
    assert isinstance(pdu, SubmitSm)
    assert pdu.has_udh
    elements, payload = parse_udh(pdu.short_message)
    assert [element.iei for element in elements] == [0]
    assert decode_text(payload, pdu.data_coding) == "Hello €[]"


def test_data_sm_golden_accessors():
    pdu = decode(load_hex("data_sm_payload"))
    assert isinstance(pdu, DataSm)
    assert pdu.payload == b"hello via message_payload"
    assert pdu.sar == (0x1234, 3, 1)
