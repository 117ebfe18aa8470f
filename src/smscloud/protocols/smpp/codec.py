"""PDU <-> bytes, without I/O: ``encode(pdu)``, ``decode(frame)``, ``frame_length(buffer)``.

Decoding treats every byte as hostile (PDUs come from carriers): it never reads past the frame,
enforces the SMPP 3.4 maximum size of every C-Octet String, and raises `PduError` (or a subclass)
carrying the command_status a server should answer with and, when the header was readable, the
sequence_number and command_id:

=========================================================  ========================
problem                                                    command_status
=========================================================  ========================
frame shorter than 16 bytes, command_length != frame size  ESME_RINVCMDLEN (FramingError)
unknown or unsupported command_id                          ESME_RINVCMDID (UnknownCommandError)
body ends inside a mandatory field, or has trailing bytes  ESME_RINVCMDLEN
C-Octet String with no NUL within its maximum size         the field's code (ESME_RINVSRCADR, ...)
sm_length above 254 or beyond the body                     ESME_RINVMSGLEN
TLV header or value running past the body                  ESME_RINVOPTPARSTREAM
=========================================================  ========================

Responses with a non-zero command_status usually come with an empty body (§4.4.2); any response
with an empty body decodes to its defaults, and `encode` writes an empty body for a response
whose status is non-zero and whose body fields are all at their defaults.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from typing import Any, TypeVar

from smscloud.protocols.smpp._framing import (
    DEFAULT_MAX_COMMAND_LENGTH,
    HEADER,
    HEADER_SIZE,
    frame_length,
)
from smscloud.protocols.smpp.constants import CommandId, CommandStatus
from smscloud.protocols.smpp.errors import FramingError, PduEncodeError, PduError, UnknownCommandError
from smscloud.protocols.smpp.pdus import (
    AlertNotification,
    BindReceiver,
    BindReceiverResp,
    BindTransceiver,
    BindTransceiverResp,
    BindTransmitter,
    BindTransmitterResp,
    DataSm,
    DataSmResp,
    DeliverSm,
    DeliverSmResp,
    EnquireLink,
    EnquireLinkResp,
    GenericNack,
    Outbind,
    Pdu,
    QuerySm,
    QuerySmResp,
    SubmitSm,
    SubmitSmResp,
    Unbind,
    UnbindResp,
    _Bind,
    _BindResp,
    _MessageResp,
    _ShortMessage,
)
from smscloud.protocols.smpp.tlv import Tag, Tlv

__all__ = ["DEFAULT_MAX_COMMAND_LENGTH", "MAX_SHORT_MESSAGE_LENGTH", "decode", "encode", "frame_length"]

MAX_SHORT_MESSAGE_LENGTH = 254
"""sm_length's maximum (§5.2.22); longer content goes in message_payload or is segmented."""

_S = CommandStatus
_TL = struct.Struct(">HH")
_SM_TAIL = struct.Struct(">BBBBB")  # registered_delivery .. sm_length
_TAGS: dict[int, int] = {tag.value: tag for tag in Tag}

P = TypeVar("P", bound=Pdu)
BindT = TypeVar("BindT", bound=_Bind)
BindRespT = TypeVar("BindRespT", bound=_BindResp)
MessageRespT = TypeVar("MessageRespT", bound=_MessageResp)
ShortMessageT = TypeVar("ShortMessageT", bound=_ShortMessage)

# Maximum sizes of C-Octet Strings, NUL included (§4), and the status for a value that is too long.
_SERVICE_TYPE = (6, _S.ESME_RINVSERTYP, "service_type")
_SOURCE_ADDR = (21, _S.ESME_RINVSRCADR, "source_addr")
_DESTINATION_ADDR = (21, _S.ESME_RINVDSTADR, "destination_addr")
_DATA_SM_SOURCE_ADDR = (65, _S.ESME_RINVSRCADR, "source_addr")
_DATA_SM_DESTINATION_ADDR = (65, _S.ESME_RINVDSTADR, "destination_addr")
_ESME_ADDR = (65, _S.ESME_RINVDSTADR, "esme_addr")
_SCHEDULE_DELIVERY_TIME = (17, _S.ESME_RINVSCHED, "schedule_delivery_time")
_VALIDITY_PERIOD = (17, _S.ESME_RINVEXPIRY, "validity_period")
_SYSTEM_ID = (16, _S.ESME_RINVSYSID, "system_id")
_PASSWORD = (9, _S.ESME_RINVPASWD, "password")
_SYSTEM_TYPE = (13, _S.ESME_RINVSYSTYP, "system_type")
_ADDRESS_RANGE = (41, _S.ESME_RBINDFAIL, "address_range")
_MESSAGE_ID = (65, _S.ESME_RINVMSGID, "message_id")
_FINAL_DATE = (17, _S.ESME_RINVPARLEN, "final_date")

_CString = tuple[int, CommandStatus, str]


class _Malformed(Exception):
    """Raised inside body decoders; `decode` adds the header's sequence number and command id."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


# Decoding.


def decode(frame: bytes) -> Pdu:
    """The PDU in ``frame``, which must hold exactly one PDU (header included).

    Raises `PduError` (see the module docstring for which status goes with which problem).
    """
    if type(frame) is not bytes:
        frame = bytes(frame)
    size = len(frame)
    if size < HEADER_SIZE:
        raise FramingError(
            f"frame of {size} bytes is shorter than the 16-byte header",
            command_status=_S.ESME_RINVCMDLEN,
        )
    length, command_id, status, sequence_number = HEADER.unpack_from(frame)
    if length != size:
        raise FramingError(
            f"command_length {length} does not match the {size}-byte frame",
            command_status=_S.ESME_RINVCMDLEN,
            sequence_number=sequence_number,
            command_id=command_id,
            header_status=status,
        )
    decoder = _DECODERS.get(command_id)
    if decoder is None:
        raise UnknownCommandError(
            f"command_id 0x{command_id:08x} is unknown or not supported",
            command_status=_S.ESME_RINVCMDID,
            sequence_number=sequence_number,
            command_id=command_id,
            header_status=status,
        )
    try:
        return decoder(frame, sequence_number, status)
    except _Malformed as exc:
        name = CommandId(command_id).name.lower()
        raise PduError(
            f"{name}: {exc}",
            command_status=exc.status,
            sequence_number=sequence_number,
            command_id=command_id,
            header_status=status,
        ) from None


def _c_string(data: bytes, pos: int, spec: _CString) -> tuple[str, int]:
    max_size, status, name = spec
    end = len(data)
    limit = pos + max_size
    nul = data.find(b"\0", pos, limit if limit < end else end)
    if nul < 0:
        if limit <= end:
            raise _Malformed(status, f"{name} has no NUL terminator within {max_size} bytes")
        raise _Malformed(_S.ESME_RINVCMDLEN, f"body ends inside {name}")
    return data[pos:nul].decode("latin-1"), nul + 1


def _need(data: bytes, pos: int, count: int, name: str) -> None:
    if pos + count > len(data):
        raise _Malformed(_S.ESME_RINVCMDLEN, f"body ends before {name}")


def _tlvs(data: bytes, pos: int) -> tuple[Tlv, ...]:
    end = len(data)
    if pos >= end:
        return ()
    found: list[Tlv] = []
    tags = _TAGS
    while pos < end:
        if pos + 4 > end:
            raise _Malformed(_S.ESME_RINVOPTPARSTREAM, f"{end - pos} stray bytes where a TLV should start")
        tag, size = _TL.unpack_from(data, pos)
        pos += 4
        stop = pos + size
        if stop > end:
            raise _Malformed(_S.ESME_RINVOPTPARSTREAM, f"TLV 0x{tag:04x} of {size} bytes overruns the body")
        found.append(Tlv(tags.get(tag, tag), data[pos:stop]))
        pos = stop
    return tuple(found)


def _no_trailing_bytes(data: bytes, pos: int) -> None:
    if pos != len(data):
        raise _Malformed(_S.ESME_RINVCMDLEN, f"{len(data) - pos} unexpected bytes after the mandatory fields")


def _decode_header_only(cls: type[P]) -> Callable[[bytes, int, int], P]:
    def decode_header_only(data: bytes, sequence_number: int, status: int) -> P:
        _no_trailing_bytes(data, HEADER_SIZE)
        return cls(sequence_number=sequence_number, command_status=status)

    return decode_header_only


def _decode_bind(cls: type[BindT]) -> Callable[[bytes, int, int], BindT]:
    def decode_bind(data: bytes, sequence_number: int, status: int) -> BindT:
        system_id, pos = _c_string(data, HEADER_SIZE, _SYSTEM_ID)
        password, pos = _c_string(data, pos, _PASSWORD)
        system_type, pos = _c_string(data, pos, _SYSTEM_TYPE)
        _need(data, pos, 3, "interface_version")
        interface_version, addr_ton, addr_npi = data[pos], data[pos + 1], data[pos + 2]
        address_range, pos = _c_string(data, pos + 3, _ADDRESS_RANGE)
        _no_trailing_bytes(data, pos)
        return cls(
            sequence_number=sequence_number,
            command_status=status,
            system_id=system_id,
            password=password,
            system_type=system_type,
            interface_version=interface_version,
            addr_ton=addr_ton,
            addr_npi=addr_npi,
            address_range=address_range,
        )

    return decode_bind


def _decode_bind_resp(cls: type[BindRespT]) -> Callable[[bytes, int, int], BindRespT]:
    def decode_bind_resp(data: bytes, sequence_number: int, status: int) -> BindRespT:
        if len(data) == HEADER_SIZE:
            return cls(sequence_number=sequence_number, command_status=status)
        system_id, pos = _c_string(data, HEADER_SIZE, _SYSTEM_ID)
        return cls(
            sequence_number=sequence_number,
            command_status=status,
            system_id=system_id,
            tlvs=_tlvs(data, pos),
        )

    return decode_bind_resp


def _decode_message_resp(cls: type[MessageRespT]) -> Callable[[bytes, int, int], MessageRespT]:
    def decode_message_resp(data: bytes, sequence_number: int, status: int) -> MessageRespT:
        if len(data) == HEADER_SIZE:
            return cls(sequence_number=sequence_number, command_status=status)
        message_id, pos = _c_string(data, HEADER_SIZE, _MESSAGE_ID)
        return cls(
            sequence_number=sequence_number,
            command_status=status,
            message_id=message_id,
            tlvs=_tlvs(data, pos),
        )

    return decode_message_resp


def _decode_short_message(cls: type[ShortMessageT]) -> Callable[[bytes, int, int], ShortMessageT]:
    # The hot path of every submit_sm and deliver_sm, so the C-Octet Strings are found inline; any
    # problem is re-checked by `_c_string` / `_need`, which raise the precise error.
    def decode_short_message(data: bytes, sequence_number: int, status: int) -> ShortMessageT:
        end = len(data)
        find = data.find
        pos = HEADER_SIZE
        nul = find(b"\0", pos, pos + 6)
        if nul < 0:
            _c_string(data, pos, _SERVICE_TYPE)
        service_type = data[pos:nul].decode("latin-1")
        pos = nul + 3
        if pos > end:
            _need(data, nul + 1, 2, "source_addr_ton")
        nul = find(b"\0", pos, pos + 21)
        if nul < 0:
            _c_string(data, pos, _SOURCE_ADDR)
        source_addr = data[pos:nul].decode("latin-1")
        pos = nul + 3
        if pos > end:
            _need(data, nul + 1, 2, "dest_addr_ton")
        nul = find(b"\0", pos, pos + 21)
        if nul < 0:
            _c_string(data, pos, _DESTINATION_ADDR)
        destination_addr = data[pos:nul].decode("latin-1")
        flags = nul + 1  # esm_class, protocol_id, priority_flag
        pos = nul + 4
        if pos > end:
            _need(data, flags, 3, "esm_class")
        nul = find(b"\0", pos, pos + 17)
        if nul < 0:
            _c_string(data, pos, _SCHEDULE_DELIVERY_TIME)
        schedule_delivery_time = data[pos:nul].decode("latin-1")
        pos = nul + 1
        nul = find(b"\0", pos, pos + 17)
        if nul < 0:
            _c_string(data, pos, _VALIDITY_PERIOD)
        validity_period = data[pos:nul].decode("latin-1")
        pos = nul + 1
        if pos + 5 > end:
            _need(data, pos, 5, "registered_delivery")
        registered_delivery, replace_if_present_flag, data_coding, sm_default_msg_id, sm_length = _SM_TAIL.unpack_from(
            data, pos
        )
        pos += 5
        if sm_length > MAX_SHORT_MESSAGE_LENGTH:
            raise _Malformed(_S.ESME_RINVMSGLEN, f"sm_length {sm_length} is above 254")
        stop = pos + sm_length
        if stop > end:
            raise _Malformed(_S.ESME_RINVMSGLEN, f"sm_length {sm_length} runs past the body")
        return cls(
            sequence_number=sequence_number,
            command_status=status,
            service_type=service_type,
            source_addr_ton=data[HEADER_SIZE + len(service_type) + 1],
            source_addr_npi=data[HEADER_SIZE + len(service_type) + 2],
            source_addr=source_addr,
            dest_addr_ton=data[flags - len(destination_addr) - 3],
            dest_addr_npi=data[flags - len(destination_addr) - 2],
            destination_addr=destination_addr,
            esm_class=data[flags],
            protocol_id=data[flags + 1],
            priority_flag=data[flags + 2],
            schedule_delivery_time=schedule_delivery_time,
            validity_period=validity_period,
            registered_delivery=registered_delivery,
            replace_if_present_flag=replace_if_present_flag,
            data_coding=data_coding,
            sm_default_msg_id=sm_default_msg_id,
            short_message=data[pos:stop],
            tlvs=_tlvs(data, stop) if stop < end else (),
        )

    return decode_short_message


def _decode_data_sm(data: bytes, sequence_number: int, status: int) -> DataSm:
    service_type, pos = _c_string(data, HEADER_SIZE, _SERVICE_TYPE)
    _need(data, pos, 2, "source_addr_ton")
    source_addr_ton, source_addr_npi = data[pos], data[pos + 1]
    source_addr, pos = _c_string(data, pos + 2, _DATA_SM_SOURCE_ADDR)
    _need(data, pos, 2, "dest_addr_ton")
    dest_addr_ton, dest_addr_npi = data[pos], data[pos + 1]
    destination_addr, pos = _c_string(data, pos + 2, _DATA_SM_DESTINATION_ADDR)
    _need(data, pos, 3, "esm_class")
    return DataSm(
        sequence_number=sequence_number,
        command_status=status,
        service_type=service_type,
        source_addr_ton=source_addr_ton,
        source_addr_npi=source_addr_npi,
        source_addr=source_addr,
        dest_addr_ton=dest_addr_ton,
        dest_addr_npi=dest_addr_npi,
        destination_addr=destination_addr,
        esm_class=data[pos],
        registered_delivery=data[pos + 1],
        data_coding=data[pos + 2],
        tlvs=_tlvs(data, pos + 3),
    )


def _decode_alert_notification(data: bytes, sequence_number: int, status: int) -> AlertNotification:
    _need(data, HEADER_SIZE, 2, "source_addr_ton")
    source_addr_ton, source_addr_npi = data[HEADER_SIZE], data[HEADER_SIZE + 1]
    source_addr, pos = _c_string(data, HEADER_SIZE + 2, _DATA_SM_SOURCE_ADDR)
    _need(data, pos, 2, "esme_addr_ton")
    esme_addr_ton, esme_addr_npi = data[pos], data[pos + 1]
    esme_addr, pos = _c_string(data, pos + 2, _ESME_ADDR)
    return AlertNotification(
        sequence_number=sequence_number,
        command_status=status,
        source_addr_ton=source_addr_ton,
        source_addr_npi=source_addr_npi,
        source_addr=source_addr,
        esme_addr_ton=esme_addr_ton,
        esme_addr_npi=esme_addr_npi,
        esme_addr=esme_addr,
        tlvs=_tlvs(data, pos),
    )


def _decode_outbind(data: bytes, sequence_number: int, status: int) -> Outbind:
    system_id, pos = _c_string(data, HEADER_SIZE, _SYSTEM_ID)
    password, pos = _c_string(data, pos, _PASSWORD)
    _no_trailing_bytes(data, pos)
    return Outbind(sequence_number=sequence_number, command_status=status, system_id=system_id, password=password)


def _decode_query_sm(data: bytes, sequence_number: int, status: int) -> QuerySm:
    message_id, pos = _c_string(data, HEADER_SIZE, _MESSAGE_ID)
    _need(data, pos, 2, "source_addr_ton")
    source_addr_ton, source_addr_npi = data[pos], data[pos + 1]
    source_addr, pos = _c_string(data, pos + 2, _SOURCE_ADDR)
    _no_trailing_bytes(data, pos)
    return QuerySm(
        sequence_number=sequence_number,
        command_status=status,
        message_id=message_id,
        source_addr_ton=source_addr_ton,
        source_addr_npi=source_addr_npi,
        source_addr=source_addr,
    )


def _decode_query_sm_resp(data: bytes, sequence_number: int, status: int) -> QuerySmResp:
    if len(data) == HEADER_SIZE:
        return QuerySmResp(sequence_number=sequence_number, command_status=status)
    message_id, pos = _c_string(data, HEADER_SIZE, _MESSAGE_ID)
    final_date, pos = _c_string(data, pos, _FINAL_DATE)
    _need(data, pos, 2, "message_state")
    message_state, error_code = data[pos], data[pos + 1]
    _no_trailing_bytes(data, pos + 2)
    return QuerySmResp(
        sequence_number=sequence_number,
        command_status=status,
        message_id=message_id,
        final_date=final_date,
        message_state=message_state,
        error_code=error_code,
    )


_DECODERS: dict[int, Callable[[bytes, int, int], Pdu]] = {
    CommandId.GENERIC_NACK: _decode_header_only(GenericNack),
    CommandId.BIND_RECEIVER: _decode_bind(BindReceiver),
    CommandId.BIND_RECEIVER_RESP: _decode_bind_resp(BindReceiverResp),
    CommandId.BIND_TRANSMITTER: _decode_bind(BindTransmitter),
    CommandId.BIND_TRANSMITTER_RESP: _decode_bind_resp(BindTransmitterResp),
    CommandId.BIND_TRANSCEIVER: _decode_bind(BindTransceiver),
    CommandId.BIND_TRANSCEIVER_RESP: _decode_bind_resp(BindTransceiverResp),
    CommandId.OUTBIND: _decode_outbind,
    CommandId.ALERT_NOTIFICATION: _decode_alert_notification,
    CommandId.QUERY_SM: _decode_query_sm,
    CommandId.QUERY_SM_RESP: _decode_query_sm_resp,
    CommandId.SUBMIT_SM: _decode_short_message(SubmitSm),
    CommandId.SUBMIT_SM_RESP: _decode_message_resp(SubmitSmResp),
    CommandId.DELIVER_SM: _decode_short_message(DeliverSm),
    CommandId.DELIVER_SM_RESP: _decode_message_resp(DeliverSmResp),
    CommandId.UNBIND: _decode_header_only(Unbind),
    CommandId.UNBIND_RESP: _decode_header_only(UnbindResp),
    CommandId.ENQUIRE_LINK: _decode_header_only(EnquireLink),
    CommandId.ENQUIRE_LINK_RESP: _decode_header_only(EnquireLinkResp),
    CommandId.DATA_SM: _decode_data_sm,
    CommandId.DATA_SM_RESP: _decode_message_resp(DataSmResp),
}


# Encoding.


def encode(pdu: Pdu, *, sequence_number: int | None = None) -> bytes:
    """The wire bytes of ``pdu``, header included; ``sequence_number`` overrides the PDU's own
    (so a session can number a request without copying it).

    Raises `PduEncodeError` when a field does not fit: a C-Octet String too long for its field, with
    a NUL or a character outside Latin-1, an integer out of range, short_message above 254 bytes.
    """
    encoder = _ENCODERS.get(type(pdu))
    if encoder is None:
        raise PduEncodeError(f"{type(pdu).__name__} is not a PDU type this codec encodes")
    sequence = pdu.sequence_number if sequence_number is None else sequence_number
    try:
        body = encoder(pdu)
        return HEADER.pack(HEADER_SIZE + len(body), pdu.command_id, pdu.command_status, sequence) + body
    except PduEncodeError:
        raise
    except (struct.error, ValueError, TypeError, OverflowError) as exc:
        raise PduEncodeError(f"{type(pdu).__name__}: {exc}") from exc


def _c(value: str, spec: _CString) -> bytes:
    if not value:
        return b"\0"
    max_size, _status, name = spec
    try:
        raw = value.encode("latin-1")
    except UnicodeEncodeError as exc:
        raise PduEncodeError(f"{name} {value!r} has characters outside Latin-1") from exc
    if len(raw) >= max_size:
        raise PduEncodeError(f"{name} {value!r} is {len(raw)} bytes, the maximum is {max_size - 1}")
    if b"\0" in raw:
        raise PduEncodeError(f"{name} {value!r} contains a NUL byte")
    return raw + b"\0"


def _encode_tlvs(tlvs: tuple[Tlv, ...]) -> bytes:
    if not tlvs:
        return b""
    parts: list[bytes] = []
    for tag, value in tlvs:
        if len(value) > 0xFFFF:
            raise PduEncodeError(f"TLV 0x{tag:04x} value is {len(value)} bytes, the maximum is 65535")
        parts.append(_TL.pack(tag, len(value)))
        parts.append(value)
    return b"".join(parts)


def _encode_header_only(pdu: Pdu) -> bytes:
    return b""


def _encode_bind(pdu: _Bind) -> bytes:
    return b"".join(
        (
            _c(pdu.system_id, _SYSTEM_ID),
            _c(pdu.password, _PASSWORD),
            _c(pdu.system_type, _SYSTEM_TYPE),
            bytes((pdu.interface_version, pdu.addr_ton, pdu.addr_npi)),
            _c(pdu.address_range, _ADDRESS_RANGE),
        )
    )


def _encode_bind_resp(pdu: _BindResp) -> bytes:
    if pdu.command_status and not pdu.system_id and not pdu.tlvs:
        return b""
    return _c(pdu.system_id, _SYSTEM_ID) + _encode_tlvs(pdu.tlvs)


def _encode_message_resp(pdu: _MessageResp) -> bytes:
    if pdu.command_status and not pdu.message_id and not pdu.tlvs:
        return b""
    return _c(pdu.message_id, _MESSAGE_ID) + _encode_tlvs(pdu.tlvs)


def _encode_short_message(pdu: _ShortMessage) -> bytes:
    short_message = pdu.short_message
    if len(short_message) > MAX_SHORT_MESSAGE_LENGTH:
        raise PduEncodeError(f"short_message is {len(short_message)} bytes, the maximum is 254 (use message_payload)")
    return b"".join(
        (
            _c(pdu.service_type, _SERVICE_TYPE),
            bytes((pdu.source_addr_ton, pdu.source_addr_npi)),
            _c(pdu.source_addr, _SOURCE_ADDR),
            bytes((pdu.dest_addr_ton, pdu.dest_addr_npi)),
            _c(pdu.destination_addr, _DESTINATION_ADDR),
            bytes((pdu.esm_class, pdu.protocol_id, pdu.priority_flag)),
            _c(pdu.schedule_delivery_time, _SCHEDULE_DELIVERY_TIME),
            _c(pdu.validity_period, _VALIDITY_PERIOD),
            bytes(
                (
                    pdu.registered_delivery,
                    pdu.replace_if_present_flag,
                    pdu.data_coding,
                    pdu.sm_default_msg_id,
                    len(short_message),
                )
            ),
            short_message,
            _encode_tlvs(pdu.tlvs),
        )
    )


def _encode_data_sm(pdu: DataSm) -> bytes:
    return b"".join(
        (
            _c(pdu.service_type, _SERVICE_TYPE),
            bytes((pdu.source_addr_ton, pdu.source_addr_npi)),
            _c(pdu.source_addr, _DATA_SM_SOURCE_ADDR),
            bytes((pdu.dest_addr_ton, pdu.dest_addr_npi)),
            _c(pdu.destination_addr, _DATA_SM_DESTINATION_ADDR),
            bytes((pdu.esm_class, pdu.registered_delivery, pdu.data_coding)),
            _encode_tlvs(pdu.tlvs),
        )
    )


def _encode_alert_notification(pdu: AlertNotification) -> bytes:
    return b"".join(
        (
            bytes((pdu.source_addr_ton, pdu.source_addr_npi)),
            _c(pdu.source_addr, _DATA_SM_SOURCE_ADDR),
            bytes((pdu.esme_addr_ton, pdu.esme_addr_npi)),
            _c(pdu.esme_addr, _ESME_ADDR),
            _encode_tlvs(pdu.tlvs),
        )
    )


def _encode_outbind(pdu: Outbind) -> bytes:
    return _c(pdu.system_id, _SYSTEM_ID) + _c(pdu.password, _PASSWORD)


def _encode_query_sm(pdu: QuerySm) -> bytes:
    return b"".join(
        (
            _c(pdu.message_id, _MESSAGE_ID),
            bytes((pdu.source_addr_ton, pdu.source_addr_npi)),
            _c(pdu.source_addr, _SOURCE_ADDR),
        )
    )


def _encode_query_sm_resp(pdu: QuerySmResp) -> bytes:
    if (
        pdu.command_status
        and not pdu.message_id
        and not pdu.final_date
        and not pdu.message_state
        and not pdu.error_code
    ):
        return b""
    return b"".join(
        (
            _c(pdu.message_id, _MESSAGE_ID),
            _c(pdu.final_date, _FINAL_DATE),
            bytes((pdu.message_state, pdu.error_code)),
        )
    )


_ENCODERS: dict[type[Pdu], Callable[[Any], bytes]] = {
    GenericNack: _encode_header_only,
    BindReceiver: _encode_bind,
    BindReceiverResp: _encode_bind_resp,
    BindTransmitter: _encode_bind,
    BindTransmitterResp: _encode_bind_resp,
    BindTransceiver: _encode_bind,
    BindTransceiverResp: _encode_bind_resp,
    Outbind: _encode_outbind,
    AlertNotification: _encode_alert_notification,
    QuerySm: _encode_query_sm,
    QuerySmResp: _encode_query_sm_resp,
    SubmitSm: _encode_short_message,
    SubmitSmResp: _encode_message_resp,
    DeliverSm: _encode_short_message,
    DeliverSmResp: _encode_message_resp,
    Unbind: _encode_header_only,
    UnbindResp: _encode_header_only,
    EnquireLink: _encode_header_only,
    EnquireLinkResp: _encode_header_only,
    DataSm: _encode_data_sm,
    DataSmResp: _encode_message_resp,
}
