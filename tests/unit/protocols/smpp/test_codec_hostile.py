"""Untrusted input: malformed frames raise PduError with the status a server should answer with."""

from __future__ import annotations

import struct

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smscloud.protocols.smpp import (
    MESSAGE_STATE,
    NETWORK_ERROR_CODE,
    BindTransceiver,
    BindTransmitterResp,
    CommandId,
    CommandStatus,
    DataSmResp,
    DeliverSm,
    DeliverSmResp,
    EnquireLink,
    FramingError,
    GenericNack,
    Pdu,
    PduEncodeError,
    PduError,
    QuerySmResp,
    SubmitSm,
    SubmitSmResp,
    Tag,
    Tlv,
    TlvError,
    UnknownCommandError,
    decode,
    encode,
    error_response,
    frame_length,
    header_response,
)
from tests.unit.protocols.smpp.strategies import pdus

S = CommandStatus
HEADER = struct.Struct(">IIII")


def frame(command_id: int, body: bytes = b"", *, status: int = 0, seq: int = 42) -> bytes:
    return HEADER.pack(16 + len(body), command_id, status, seq) + body


def submit_body(
    *,
    source: bytes = b"smscloud\0",
    destination: bytes = b"8613800138000\0",
    sm_length: int | None = None,
    short_message: bytes = b"hi",
    tail: bytes = b"",
) -> bytes:
    length = len(short_message) if sm_length is None else sm_length
    return (
        b"\0"  # service_type
        + b"\x05\x00"
        + source
        + b"\x01\x01"
        + destination
        + b"\x00\x00\x00"  # esm_class, protocol_id, priority_flag
        + b"\0\0"  # schedule_delivery_time, validity_period
        + bytes((1, 0, 0, 0, length))
        + short_message
        + tail
    )


def raises_status(data: bytes, status: int, cls: type[PduError] = PduError) -> PduError:
    with pytest.raises(cls) as info:
        decode(data)
    assert info.value.command_status == status, info.value
    return info.value


# The header.


def test_frame_shorter_than_the_header():
    error = raises_status(b"\0\0\0\x10\0\0", S.ESME_RINVCMDLEN, FramingError)
    assert error.sequence_number is None
    assert error.fatal


def test_command_length_not_matching_the_frame():
    data = HEADER.pack(20, CommandId.ENQUIRE_LINK, 0, 9)
    error = raises_status(data, S.ESME_RINVCMDLEN, FramingError)
    assert error.sequence_number == 9
    assert error.command_id == CommandId.ENQUIRE_LINK


def test_frame_length_waits_for_a_whole_header():
    data = frame(CommandId.ENQUIRE_LINK)
    for cut in range(16):
        assert frame_length(data[:cut]) is None
    assert frame_length(data) == 16
    assert frame_length(bytearray(data) + b"more") == 16


@pytest.mark.parametrize("length", [0, 1, 15, 68 * 1024 + 1, 0xFFFFFFFF])
def test_frame_length_rejects_absurd_lengths(length):
    data = HEADER.pack(length, CommandId.SUBMIT_SM, 0, 77)
    with pytest.raises(FramingError) as info:
        frame_length(data)
    assert info.value.command_status == S.ESME_RINVCMDLEN
    assert info.value.sequence_number == 77
    assert isinstance(error_response(info.value), GenericNack)


def test_the_largest_message_payload_a_peer_may_send_is_read():
    largest = DeliverSm(
        sequence_number=9,
        source_addr="8" * 20,
        destination_addr="1" * 20,
        tlvs=(Tlv(Tag.MESSAGE_PAYLOAD, b"x" * 65535),),
    )
    data = encode(largest)
    assert frame_length(data) == len(data)
    read = decode(data)
    assert isinstance(read, DeliverSm)
    assert read.tlvs[0].value == b"x" * 65535


def test_frame_length_cap_is_configurable():
    data = HEADER.pack(2000, CommandId.SUBMIT_SM, 0, 1)
    assert frame_length(data) == 2000
    with pytest.raises(FramingError):
        frame_length(data, max_length=1024)


@pytest.mark.parametrize("command_id", [0x00000099, 0x80000099, CommandId.SUBMIT_MULTI, CommandId.CANCEL_SM])
def test_unknown_or_unsupported_command_id(command_id):
    error = raises_status(frame(command_id, b"whatever"), S.ESME_RINVCMDID, UnknownCommandError)
    assert error.sequence_number == 42
    assert not error.fatal
    assert error_response(error) == GenericNack(sequence_number=42, command_status=S.ESME_RINVCMDID)


# Mandatory fields.


def test_valid_submit_body_helper_decodes():
    pdu = decode(frame(CommandId.SUBMIT_SM, submit_body()))
    assert isinstance(pdu, SubmitSm)
    assert pdu.short_message == b"hi"


def test_c_string_without_terminator_at_end_of_body():
    data = frame(CommandId.SUBMIT_SM, b"\0\x05\x00smsc")
    error = raises_status(data, S.ESME_RINVCMDLEN)
    assert error.sequence_number == 42
    assert error.command_id == CommandId.SUBMIT_SM


def test_over_long_destination_addr():
    data = frame(CommandId.SUBMIT_SM, submit_body(destination=b"1" * 21 + b"\0"))
    error = raises_status(data, S.ESME_RINVDSTADR)
    assert error_response(error) == SubmitSmResp(sequence_number=42, command_status=S.ESME_RINVDSTADR)


def test_over_long_source_addr():
    raises_status(frame(CommandId.SUBMIT_SM, submit_body(source=b"x" * 30 + b"\0")), S.ESME_RINVSRCADR)


def test_longest_addresses_are_accepted():
    data = frame(CommandId.SUBMIT_SM, submit_body(source=b"s" * 20 + b"\0", destination=b"1" * 20 + b"\0"))
    pdu = decode(data)
    assert isinstance(pdu, SubmitSm)
    assert pdu.destination_addr == "1" * 20


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"x" * 16 + b"\0secret\0\0\x34\0\0\0", S.ESME_RINVSYSID),
        (b"esme1\0" + b"p" * 9 + b"\0\0\x34\0\0\0", S.ESME_RINVPASWD),
        (b"esme1\0secret\0" + b"t" * 13 + b"\0\x34\0\0\0", S.ESME_RINVSYSTYP),
        (b"esme1\0secret\0\0\x34\0\0" + b"r" * 41 + b"\0", S.ESME_RBINDFAIL),
        (b"esme1\0secret\0\0\x34\0", S.ESME_RINVCMDLEN),
        (b"esme1\0secret\0\0\x34\0\0\0extra", S.ESME_RINVCMDLEN),
    ],
)
def test_bad_binds(body, status):
    error = raises_status(frame(CommandId.BIND_TRANSCEIVER, body), status)
    response = error_response(error)
    assert response is not None
    # A length that does not fit the command is answered generic_nack (§4.3), the rest in kind.
    expected = CommandId.GENERIC_NACK if status == S.ESME_RINVCMDLEN else CommandId.BIND_TRANSCEIVER_RESP
    assert response.command_id == expected
    assert response.command_status == status


def test_sm_length_above_254():
    body = submit_body(sm_length=255, short_message=b"x" * 255)
    raises_status(frame(CommandId.SUBMIT_SM, body), S.ESME_RINVMSGLEN)


def test_sm_length_beyond_the_body():
    raises_status(frame(CommandId.SUBMIT_SM, submit_body(sm_length=100)), S.ESME_RINVMSGLEN)


def test_body_ends_before_the_fixed_fields():
    body = submit_body()
    cut = body.index(b"\x01\x00\x00\x00\x02")  # registered_delivery .. sm_length
    raises_status(frame(CommandId.SUBMIT_SM, body[: cut + 2]), S.ESME_RINVCMDLEN)


def test_header_only_pdu_with_a_body():
    raises_status(frame(CommandId.ENQUIRE_LINK, b"\0"), S.ESME_RINVCMDLEN)


# TLVs.


def test_truncated_tlv_header():
    body = submit_body(tail=b"\x04\x27\x00")
    raises_status(frame(CommandId.SUBMIT_SM, body), S.ESME_RINVOPTPARSTREAM)


def test_tlv_length_overruns_the_body():
    body = submit_body(tail=b"\x04\x24\x00\x10abc")
    raises_status(frame(CommandId.SUBMIT_SM, body), S.ESME_RINVOPTPARSTREAM)


def test_unknown_tlvs_are_kept_in_order():
    tail = b"\x14\x01\x00\x02hi" + b"\x04\x27\x00\x01\x02" + b"\xff\xff\x00\x00"
    pdu = decode(frame(CommandId.DELIVER_SM, submit_body(tail=tail)))
    assert isinstance(pdu, DeliverSm)
    assert pdu.tlvs == (Tlv(0x1401, b"hi"), Tlv(Tag.MESSAGE_STATE, b"\x02"), Tlv(0xFFFF, b""))
    assert pdu.message_state == 2
    assert encode(pdu) == frame(CommandId.DELIVER_SM, submit_body(tail=tail))


def test_typed_accessor_on_a_malformed_tlv_raises_tlv_error_with_the_pdu_header():
    tail = b"\x04\x27\x00\x02\x02\x02"  # message_state must be 1 byte
    pdu = decode(frame(CommandId.DELIVER_SM, submit_body(tail=tail), seq=5))
    assert isinstance(pdu, DeliverSm)
    with pytest.raises(TlvError) as info:
        _ = pdu.message_state
    assert info.value.command_status == S.ESME_RINVPARLEN
    assert info.value.sequence_number == 5
    assert error_response(info.value) == DeliverSmResp(sequence_number=5, command_status=S.ESME_RINVPARLEN)


def test_network_error_code_of_the_wrong_size():
    with pytest.raises(TlvError):
        NETWORK_ERROR_CODE.decode(Tlv(Tag.NETWORK_ERROR_CODE, b"\x03\x00"))
    assert MESSAGE_STATE.find(()) is None


# Responses with error statuses and no body.


@pytest.mark.parametrize(
    "cls",
    [BindTransmitterResp, SubmitSmResp, DeliverSmResp, DataSmResp, QuerySmResp],
    ids=lambda c: c.__name__,
)
def test_error_response_with_an_empty_body(cls):
    data = frame(cls.command_id, status=S.ESME_RTHROTTLED, seq=3)
    pdu = decode(data)
    assert pdu == cls(sequence_number=3, command_status=S.ESME_RTHROTTLED)
    assert encode(pdu) == data


def test_error_response_with_a_body_is_decoded_too():
    data = frame(CommandId.SUBMIT_SM_RESP, b"\0", status=S.ESME_RSUBMITFAIL)
    assert decode(data) == SubmitSmResp(sequence_number=42, command_status=S.ESME_RSUBMITFAIL)


def test_ok_response_with_an_empty_body_is_tolerated():
    assert decode(frame(CommandId.DELIVER_SM_RESP)) == DeliverSmResp(sequence_number=42)


def test_c_strings_keep_every_byte():
    body = submit_body(source=b"\xe9\xff\x01\0")
    pdu = decode(frame(CommandId.SUBMIT_SM, body))
    assert isinstance(pdu, SubmitSm)
    assert pdu.source_addr == "\xe9\xff\x01"
    assert encode(pdu) == frame(CommandId.SUBMIT_SM, body)


# error_response.


def test_error_response_never_answers_a_generic_nack():
    error = PduError("bad", command_status=S.ESME_RINVCMDLEN, command_id=CommandId.GENERIC_NACK)
    assert error_response(error) is None


@pytest.mark.parametrize(
    "data",
    [
        frame(CommandId.SUBMIT_SM_RESP, b"A" * 70),  # message_id without its NUL
        frame(CommandId.DELIVER_SM_RESP, b"A"),
        frame(CommandId.ENQUIRE_LINK_RESP, b"xx"),
        frame(CommandId.BIND_TRANSCEIVER_RESP, b"x" * 20),
    ],
)
def test_a_malformed_response_is_never_answered(data):
    error = decode_or_error(data)
    assert isinstance(error, PduError)
    assert error_response(error) is None


def test_header_response_reads_a_malformed_response_from_its_header():
    refused = decode_or_error(frame(CommandId.SUBMIT_SM_RESP, b"A" * 70, status=S.ESME_RTHROTTLED, seq=9))
    accepted = decode_or_error(frame(CommandId.SUBMIT_SM_RESP, b"A" * 70, seq=10))
    assert isinstance(refused, PduError)
    assert isinstance(accepted, PduError)
    assert header_response(refused) == SubmitSmResp(sequence_number=9, command_status=S.ESME_RTHROTTLED)
    assert header_response(accepted) == SubmitSmResp(sequence_number=10)  # its message_id is lost
    nack = decode_or_error(frame(CommandId.GENERIC_NACK, b"x", status=S.ESME_RSYSERR, seq=11))
    assert isinstance(nack, PduError)
    assert header_response(nack) == GenericNack(sequence_number=11, command_status=S.ESME_RSYSERR)


def test_header_response_is_none_for_requests_unknown_commands_and_broken_framing():
    truncated = decode_or_error(frame(CommandId.SUBMIT_SM, b"\0\x05"))
    unknown = decode_or_error(frame(0x80000099))
    assert isinstance(truncated, PduError)
    assert isinstance(unknown, PduError)
    with pytest.raises(FramingError) as framing:
        frame_length(HEADER.pack(8, CommandId.SUBMIT_SM_RESP, 0, 3))
    assert [header_response(e) for e in (truncated, unknown, framing.value)] == [None, None, None]


@pytest.mark.parametrize(
    ("data", "sequence_number"),
    [
        (bytes.fromhex("00000012 00000015 00000000 0000000d 7878"), 13),  # enquire_link with a body
        (frame(CommandId.SUBMIT_SM, submit_body()[:10], seq=12), 12),  # body ends inside it
        (frame(CommandId.UNBIND, b"\0", seq=14), 14),
    ],
)
def test_a_length_that_does_not_fit_the_command_is_answered_with_generic_nack(data, sequence_number):
    error = decode_or_error(data)
    assert isinstance(error, PduError)
    assert error.command_status == S.ESME_RINVCMDLEN
    assert error_response(error) == GenericNack(sequence_number=sequence_number, command_status=S.ESME_RINVCMDLEN)


def test_error_response_without_a_header():
    error = FramingError("short", command_status=S.ESME_RINVCMDLEN)
    assert error_response(error) == GenericNack(sequence_number=0, command_status=S.ESME_RINVCMDLEN)


# Encoding refuses what does not fit.


@pytest.mark.parametrize(
    "pdu",
    [
        SubmitSm(destination_addr="1" * 21),
        SubmitSm(source_addr="a\0b"),
        SubmitSm(source_addr="中"),
        SubmitSm(short_message=b"x" * 255),
        SubmitSm(esm_class=256),
        SubmitSm(data_coding=-1),
        SubmitSm(sequence_number=1 << 32),
        SubmitSm(tlvs=(Tlv(Tag.MESSAGE_PAYLOAD, b"x" * 65536),)),
        SubmitSm(tlvs=(Tlv(0x10000, b""),)),
        BindTransceiver(password="123456789"),
        EnquireLink(command_status=-1),
    ],
)
def test_encode_refuses_fields_that_do_not_fit(pdu):
    with pytest.raises(PduEncodeError):
        encode(pdu)


def test_encode_refuses_foreign_classes():
    class Custom(EnquireLink, frozen=True):
        pass

    with pytest.raises(PduEncodeError):
        encode(Custom())


# Fuzzing: nothing but PduError ever escapes decode.


def decode_or_error(data: bytes) -> Pdu | PduError:
    try:
        return decode(data)
    except PduError as exc:
        assert exc.command_status != 0
        return exc


@given(st.binary(max_size=300))
def test_fuzz_random_bytes(data):
    decode_or_error(data)


@given(st.sampled_from(sorted(CommandId)), st.integers(0, 0xFFFFFFFF), st.binary(max_size=300))
def test_fuzz_random_bodies_for_known_commands(command_id, status, body):
    decode_or_error(frame(command_id, body, status=status))


@given(pdus, st.data())
def test_fuzz_mutated_valid_frames(pdu, data):
    raw = bytearray(encode(pdu))
    for _ in range(data.draw(st.integers(1, 4))):
        position = data.draw(st.integers(16, max(16, len(raw) - 1)))
        if position < len(raw):
            raw[position] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(16, len(raw)))
    body = bytes(raw[16:cut])
    decode_or_error(frame(pdu.command_id, body, status=pdu.command_status))


@given(pdus, st.data())
def test_fuzz_every_truncation_of_a_valid_frame(pdu, data):
    raw = encode(pdu)
    cut = data.draw(st.integers(16, len(raw)))
    result = decode_or_error(frame(pdu.command_id, raw[16:cut], status=pdu.command_status))
    if isinstance(result, PduError):
        assert result.sequence_number == 42
