"""Optional parameters (TLVs, SMPP 3.4 §5.3): the tag table, the raw `Tlv`, and typed fields.

PDUs keep their TLVs raw, in wire order, as ``tuple[Tlv, ...]``: unknown tags survive a
decode/encode round trip untouched, and nothing is parsed that nobody asked for. The typed fields
below turn raw TLVs into Python values and back::

    tlvs = (RECEIPTED_MESSAGE_ID.encode("4f2a"), MESSAGE_STATE.encode(MessageState.DELIVERED))
    MESSAGE_STATE.find(tlvs)  # -> 2

A typed field raises `TlvError` when the peer sent a value of the wrong size.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Iterable
from enum import IntEnum
from typing import Generic, NamedTuple, TypeVar

from smscloud.protocols.smpp.constants import CommandStatus
from smscloud.protocols.smpp.errors import PduEncodeError, TlvError

__all__ = [
    "ADDITIONAL_STATUS_INFO_TEXT",
    "DELIVERY_FAILURE_REASON",
    "DESTINATION_PORT",
    "MESSAGE_PAYLOAD",
    "MESSAGE_STATE",
    "MORE_MESSAGES_TO_SEND",
    "NETWORK_ERROR_CODE",
    "RECEIPTED_MESSAGE_ID",
    "SAR_MSG_REF_NUM",
    "SAR_SEGMENT_SEQNUM",
    "SAR_TOTAL_SEGMENTS",
    "SC_INTERFACE_VERSION",
    "SOURCE_PORT",
    "USER_MESSAGE_REFERENCE",
    "NetworkErrorCode",
    "Tag",
    "Tlv",
    "TlvField",
    "find_tlv",
]

T = TypeVar("T")


class Tag(IntEnum):
    """The 44 optional parameter tags of SMPP 3.4 (§5.3.2, table 5-3)."""

    DEST_ADDR_SUBUNIT = 0x0005
    DEST_NETWORK_TYPE = 0x0006
    DEST_BEARER_TYPE = 0x0007
    DEST_TELEMATICS_ID = 0x0008
    SOURCE_ADDR_SUBUNIT = 0x000D
    SOURCE_NETWORK_TYPE = 0x000E
    SOURCE_BEARER_TYPE = 0x000F
    SOURCE_TELEMATICS_ID = 0x0010
    QOS_TIME_TO_LIVE = 0x0017
    PAYLOAD_TYPE = 0x0019
    ADDITIONAL_STATUS_INFO_TEXT = 0x001D
    RECEIPTED_MESSAGE_ID = 0x001E
    MS_MSG_WAIT_FACILITIES = 0x0030
    PRIVACY_INDICATOR = 0x0201
    SOURCE_SUBADDRESS = 0x0202
    DEST_SUBADDRESS = 0x0203
    USER_MESSAGE_REFERENCE = 0x0204
    USER_RESPONSE_CODE = 0x0205
    SOURCE_PORT = 0x020A
    DESTINATION_PORT = 0x020B
    SAR_MSG_REF_NUM = 0x020C
    LANGUAGE_INDICATOR = 0x020D
    SAR_TOTAL_SEGMENTS = 0x020E
    SAR_SEGMENT_SEQNUM = 0x020F
    SC_INTERFACE_VERSION = 0x0210
    CALLBACK_NUM_PRES_IND = 0x0302
    CALLBACK_NUM_ATAG = 0x0303
    NUMBER_OF_MESSAGES = 0x0304
    CALLBACK_NUM = 0x0381
    DPF_RESULT = 0x0420
    SET_DPF = 0x0421
    MS_AVAILABILITY_STATUS = 0x0422
    NETWORK_ERROR_CODE = 0x0423
    MESSAGE_PAYLOAD = 0x0424
    DELIVERY_FAILURE_REASON = 0x0425
    MORE_MESSAGES_TO_SEND = 0x0426
    MESSAGE_STATE = 0x0427
    USSD_SERVICE_OP = 0x0501
    DISPLAY_TIME = 0x1201
    SMS_SIGNAL = 0x1203
    MS_VALIDITY = 0x1204
    ALERT_ON_MESSAGE_DELIVERY = 0x130C
    ITS_REPLY_TYPE = 0x1380
    ITS_SESSION_INFO = 0x1383


class Tlv(NamedTuple):
    """One optional parameter as on the wire: a 16-bit tag and its raw value (at most 65535 bytes)."""

    tag: int
    value: bytes


class NetworkErrorCode(NamedTuple):
    """network_error_code (§5.3.2.31): network type (1 ANSI-136, 2 IS-95, 3 GSM) and its error code."""

    network_type: int
    error_code: int


def find_tlv(tlvs: Iterable[Tlv], tag: int) -> Tlv | None:
    """The first TLV with ``tag``, or None."""
    for item in tlvs:
        if item.tag == tag:
            return item
    return None


class TlvField(Generic[T]):
    """A typed view of one tag: ``encode(value) -> Tlv``, ``decode(tlv) -> value``, ``find(tlvs)``."""

    __slots__ = ("_decode", "_encode", "name", "tag")

    def __init__(self, tag: Tag, encode: Callable[[T], bytes], decode: Callable[[bytes], T]) -> None:
        self.tag = tag
        self.name = tag.name.lower()
        self._encode = encode
        self._decode = decode

    def encode(self, value: T) -> Tlv:
        try:
            data = self._encode(value)
        except (struct.error, OverflowError, UnicodeEncodeError, TypeError) as exc:
            raise PduEncodeError(f"{self.name}: cannot encode {value!r}: {exc}") from exc
        if len(data) > 0xFFFF:
            raise PduEncodeError(f"{self.name}: value is {len(data)} bytes, the maximum is 65535")
        return Tlv(self.tag, data)

    def decode(self, tlv: Tlv) -> T:
        if tlv.tag != self.tag:
            raise ValueError(f"{self.name}: got a TLV with tag 0x{tlv.tag:04x}")
        return self._decode(tlv.value)

    def find(self, tlvs: Iterable[Tlv]) -> T | None:
        """The decoded value of the first TLV with this tag, or None when there is none."""
        for item in tlvs:
            if item.tag == self.tag:
                return self._decode(item.value)
        return None


def _octets(value: bytes) -> bytes:
    return bytes(value)


def _unsigned(tag: Tag, size: int) -> tuple[Callable[[int], bytes], Callable[[bytes], int]]:
    packer = struct.Struct({1: ">B", 2: ">H", 4: ">I"}[size])
    name = tag.name.lower()

    def encode(value: int) -> bytes:
        return packer.pack(value)

    def decode(data: bytes) -> int:
        if len(data) != size:
            raise TlvError(
                f"{name}: value is {len(data)} bytes, expected {size}",
                command_status=CommandStatus.ESME_RINVPARLEN,
            )
        return int(packer.unpack(data)[0])

    return encode, decode


def _c_string(tag: Tag, max_size: int) -> tuple[Callable[[str], bytes], Callable[[bytes], str]]:
    """A C-Octet String including its NUL. Decoding is lenient: a missing NUL is accepted."""
    name = tag.name.lower()

    def encode(value: str) -> bytes:
        data = value.encode("latin-1")
        if b"\0" in data:
            raise PduEncodeError(f"{name}: contains a NUL byte")
        if len(data) + 1 > max_size:
            raise PduEncodeError(f"{name}: {len(data)} characters, the maximum is {max_size - 1}")
        return data + b"\0"

    def decode(data: bytes) -> str:
        nul = data.find(b"\0")
        return (data if nul < 0 else data[:nul]).decode("latin-1")

    return encode, decode


_NEC = struct.Struct(">BH")


def _encode_network_error_code(value: NetworkErrorCode) -> bytes:
    return _NEC.pack(value.network_type, value.error_code)


def _decode_network_error_code(data: bytes) -> NetworkErrorCode:
    if len(data) != _NEC.size:
        raise TlvError(
            f"network_error_code: value is {len(data)} bytes, expected 3",
            command_status=CommandStatus.ESME_RINVPARLEN,
        )
    network_type, error_code = _NEC.unpack(data)
    return NetworkErrorCode(network_type, error_code)


def _uint_field(tag: Tag, size: int) -> TlvField[int]:
    encode, decode = _unsigned(tag, size)
    return TlvField(tag, encode, decode)


def _c_string_field(tag: Tag, max_size: int) -> TlvField[str]:
    encode, decode = _c_string(tag, max_size)
    return TlvField(tag, encode, decode)


MESSAGE_PAYLOAD: TlvField[bytes] = TlvField(Tag.MESSAGE_PAYLOAD, _octets, _octets)
RECEIPTED_MESSAGE_ID = _c_string_field(Tag.RECEIPTED_MESSAGE_ID, 65)
ADDITIONAL_STATUS_INFO_TEXT = _c_string_field(Tag.ADDITIONAL_STATUS_INFO_TEXT, 256)
MESSAGE_STATE = _uint_field(Tag.MESSAGE_STATE, 1)
NETWORK_ERROR_CODE: TlvField[NetworkErrorCode] = TlvField(
    Tag.NETWORK_ERROR_CODE, _encode_network_error_code, _decode_network_error_code
)
DELIVERY_FAILURE_REASON = _uint_field(Tag.DELIVERY_FAILURE_REASON, 1)
MORE_MESSAGES_TO_SEND = _uint_field(Tag.MORE_MESSAGES_TO_SEND, 1)
SAR_MSG_REF_NUM = _uint_field(Tag.SAR_MSG_REF_NUM, 2)
SAR_TOTAL_SEGMENTS = _uint_field(Tag.SAR_TOTAL_SEGMENTS, 1)
SAR_SEGMENT_SEQNUM = _uint_field(Tag.SAR_SEGMENT_SEQNUM, 1)
USER_MESSAGE_REFERENCE = _uint_field(Tag.USER_MESSAGE_REFERENCE, 2)
SOURCE_PORT = _uint_field(Tag.SOURCE_PORT, 2)
DESTINATION_PORT = _uint_field(Tag.DESTINATION_PORT, 2)
SC_INTERFACE_VERSION = _uint_field(Tag.SC_INTERFACE_VERSION, 1)
