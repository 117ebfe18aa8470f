"""Text on the wire: short_message bytes for a data_coding, and the user data header (UDH).

``encode_text`` / ``decode_text`` handle the alphabets an SMSC actually uses:

* 0 (SMSC default): the GSM 03.38 default alphabet with its extension table, one septet per octet
  (unpacked, as SMPP carries it), through the ``gsm0338`` package;
* 1 (IA5): ASCII; 3: Latin-1; 6: ISO-8859-5; 7: ISO-8859-8;
* 8 (UCS-2): UTF-16BE, so characters outside the BMP travel as surrogate pairs;
* GSM 03.38 data coding groups some SMSCs pass through (0x10-0x1F, 0xC0-0xEF, 0xF0-0xFF, e.g. 0xF0 and
  0x18 for "flash" messages).

Splitting text into segments is not done here (see the domain's splitter): these functions encode
the segments they are given.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterable
from typing import Any, NamedTuple

import gsm0338

from smscloud.protocols.smpp.constants import DataCoding
from smscloud.protocols.smpp.errors import TextCodingError

__all__ = [
    "GSM_CODEC",
    "ConcatInfo",
    "InformationElement",
    "build_concat_udh",
    "build_udh",
    "concat_info",
    "decode_text",
    "encode_text",
    "parse_udh",
    "text_codec",
]

GSM_CODEC = "gsm03.38"
"""Python codec name of the GSM 03.38 default alphabet, registered by the ``gsm0338`` package."""

IEI_CONCAT_8BIT = 0x00
IEI_CONCAT_16BIT = 0x08

_CODECS: dict[int, str] = {
    DataCoding.DEFAULT: GSM_CODEC,
    DataCoding.IA5: "ascii",
    DataCoding.LATIN_1: "latin-1",
    DataCoding.CYRILLIC: "iso8859-5",
    DataCoding.LATIN_HEBREW: "iso8859-8",
    DataCoding.UCS2: "utf-16-be",
}


class InformationElement(NamedTuple):
    """One information element of a user data header: identifier and data (3GPP TS 23.040 §9.2.3.24)."""

    iei: int
    data: bytes


class ConcatInfo(NamedTuple):
    """Where a segment sits in a concatenated message: from a UDH IE, or from the sar_* TLVs."""

    reference: int
    total: int
    sequence: int


def text_codec(data_coding: int) -> str | None:
    """The Python codec for ``data_coding``, or None when it carries binary or unsupported data."""
    name = _CODECS.get(data_coding)
    if name is not None:
        return name
    # 0x00-0x0F are SMPP's own values (above); GSM 03.38 groups with bit 5 set are compressed.
    if 0x10 <= data_coding <= 0x1F or 0x40 <= data_coding <= 0x5F:  # general / auto-deletion group
        return _general_alphabet(data_coding)
    if 0xC0 <= data_coding <= 0xDF:  # message waiting indication, GSM default alphabet
        return GSM_CODEC
    if 0xE0 <= data_coding <= 0xEF:  # message waiting indication, UCS-2
        return "utf-16-be"
    if data_coding >= 0xF0:  # data coding / message class: bit 2 selects 8-bit data
        return None if data_coding & 0x04 else GSM_CODEC
    return None


def _general_alphabet(data_coding: int) -> str | None:
    alphabet = (data_coding >> 2) & 0x03
    if alphabet == 0:
        return GSM_CODEC
    if alphabet == 2:
        return "utf-16-be"
    return None


def _codec_or_raise(data_coding: int) -> str:
    name = text_codec(data_coding)
    if name is None:
        raise TextCodingError(f"data_coding 0x{data_coding:02x} is not a text alphabet this codec supports")
    return name


def encode_text(text: str, data_coding: int, *, errors: str = "strict") -> bytes:
    """``text`` as short_message octets for ``data_coding``; UnicodeEncodeError if not representable."""
    name = _codec_or_raise(data_coding)
    if name == GSM_CODEC:
        return _gsm_encode(text, errors)
    return text.encode(name, errors)


def decode_text(data: bytes, data_coding: int, *, errors: str = "strict") -> str:
    """short_message octets (without UDH) as text. Use ``errors="replace"`` for input from carriers."""
    name = _codec_or_raise(data_coding)
    if name == GSM_CODEC:
        return _gsm_decode(data, errors)
    return data.decode(name, errors)


# GSM 03.38. The ``gsm0338`` codec works character by character in Python (about 0.3 us per
# character); the tables below, built from that codec, give the same bytes through str.translate.
# U+001B is not in them: 0x1B is the escape to the extension table, not a character.
_GSM: Any = gsm0338.Codec()
_ESCAPE = 0x1B


def _build_gsm_tables() -> tuple[frozenset[str], dict[int, str], dict[int, str], dict[int, str]]:
    encodable: set[str] = set()
    encode_table: dict[int, str] = {}
    decode_table: dict[int, str] = {}
    extension_table: dict[int, str] = {}
    for octet in range(0x80):
        if octet == _ESCAPE:
            continue
        char: str = _GSM.decode(bytes((octet,)))[0]
        decode_table[octet] = char
        encodable.add(char)
    for octet in range(0x80):
        try:
            char = _GSM.decode(bytes((_ESCAPE, octet)))[0]
        except UnicodeDecodeError:
            continue
        extension_table[octet] = char
        encodable.add(char)
    for char in encodable:
        encoded: bytes = _GSM.encode(char)[0]
        encode_table[ord(char)] = encoded.decode("latin-1")
    return frozenset(encodable), encode_table, decode_table, extension_table


_GSM_ENCODABLE, _GSM_ENCODE_TABLE, _GSM_DECODE_TABLE, _GSM_EXTENSION_TABLE = _build_gsm_tables()


def _gsm_encode(text: str, errors: str) -> bytes:
    if _GSM_ENCODABLE.issuperset(text):
        return text.translate(_GSM_ENCODE_TABLE).encode("latin-1")
    # Not through gsm0338 here: it encodes U+001B as a bare 0x1B, which would escape the next
    # character (so "\x1be" would arrive as "€").
    handler = codecs.lookup_error(errors)
    parts: list[str] = []
    pos = 0
    size = len(text)
    while pos < size:
        char = text[pos]
        if char in _GSM_ENCODABLE:
            parts.append(_GSM_ENCODE_TABLE[ord(char)])
            pos += 1
            continue
        end = pos + 1
        while end < size and text[end] not in _GSM_ENCODABLE:
            end += 1
        error = UnicodeEncodeError(GSM_CODEC, text, pos, end, "character not in the GSM 03.38 alphabet")
        replacement, pos = handler(error)
        if isinstance(replacement, bytes):
            parts.append(replacement.decode("latin-1"))
        elif _GSM_ENCODABLE.issuperset(replacement):
            parts.append(replacement.translate(_GSM_ENCODE_TABLE))
        else:
            raise error
    return "".join(parts).encode("latin-1")


def _gsm_decode(data: bytes, errors: str) -> str:
    if data.isascii() and _ESCAPE not in data:
        return data.decode("latin-1").translate(_GSM_DECODE_TABLE)
    # Not through gsm0338 here: it calls an escape before a character outside the extension table
    # an error, and drops a final escape, where 3GPP TS 23.038 §6.2.1.1 says what to display.
    handler = codecs.lookup_error(errors)
    parts: list[str] = []
    pos = 0
    size = len(data)
    while pos < size:
        octet = data[pos]
        if octet == _ESCAPE:
            char, used = _gsm_escaped(data[pos + 1] if pos + 1 < size else None)
            if char is not None:
                parts.append(char)
                pos += used
                continue
        elif octet < 0x80:
            parts.append(_GSM_DECODE_TABLE[octet])
            pos += 1
            continue
        end = pos + (2 if octet == _ESCAPE else 1)
        error = UnicodeDecodeError(GSM_CODEC, data, pos, end, "octet outside the GSM 03.38 alphabet")
        replacement, pos = handler(error)
        parts.append(replacement if isinstance(replacement, str) else replacement.decode("latin-1"))
    return "".join(parts)


def _gsm_escaped(following: int | None) -> tuple[str | None, int]:
    """What an escape (0x1B) followed by ``following`` stands for, and how many octets it takes.

    TS 23.038 §6.2.1.1: a code missing from the extension table is shown as the basic table's
    character; 0x1B 0x1B (kept for a further extension table) and an escape the receiver does not
    understand (here, one that ends the message) as a space. None: ``following`` is not a septet.
    """
    if following is None:
        return " ", 1
    if following == _ESCAPE:
        return " ", 2
    extension = _GSM_EXTENSION_TABLE.get(following)
    if extension is not None:
        return extension, 2
    basic = _GSM_DECODE_TABLE.get(following)
    return basic, 2


# User data header.


def build_udh(elements: Iterable[InformationElement]) -> bytes:
    """A UDH (with its UDHL length octet) holding ``elements``."""
    body = bytearray()
    for iei, data in elements:
        if not 0 <= iei <= 0xFF or len(data) > 0xFF:
            raise TextCodingError(f"information element 0x{iei:x} with {len(data)} bytes does not fit")
        body += bytes((iei, len(data)))
        body += data
    if len(body) > 0xFF:
        raise TextCodingError(f"user data header of {len(body)} bytes is too long")
    return bytes((len(body),)) + bytes(body)


def build_concat_udh(ref: int, total: int, seq: int, *, ref16: bool = False) -> bytes:
    """The UDH of one segment of a concatenated message (IEI 0x00, or 0x08 for a 16-bit reference)."""
    if not 1 <= total <= 0xFF or not 1 <= seq <= total:
        raise TextCodingError(f"segment {seq} of {total} is not a valid concatenation position")
    if ref16:
        if not 0 <= ref <= 0xFFFF:
            raise TextCodingError(f"16-bit concatenation reference {ref} is out of range")
        return bytes((6, IEI_CONCAT_16BIT, 4, ref >> 8, ref & 0xFF, total, seq))
    if not 0 <= ref <= 0xFF:
        raise TextCodingError(f"8-bit concatenation reference {ref} is out of range")
    return bytes((5, IEI_CONCAT_8BIT, 3, ref, total, seq))


def parse_udh(short_message: bytes) -> tuple[list[InformationElement], bytes]:
    """Split a short_message that starts with a UDH into its information elements and the payload.

    Raises `TextCodingError` when the header is truncated or its elements overrun it.
    """
    if not short_message:
        raise TextCodingError("short_message is empty, there is no user data header")
    end = 1 + short_message[0]
    if end > len(short_message):
        raise TextCodingError(f"UDH length {end - 1} exceeds the {len(short_message)}-byte short_message")
    elements: list[InformationElement] = []
    pos = 1
    while pos < end:
        if end - pos < 2:
            raise TextCodingError("truncated information element in the user data header")
        iei = short_message[pos]
        size = short_message[pos + 1]
        pos += 2
        if pos + size > end:
            raise TextCodingError(f"information element 0x{iei:02x} overruns the user data header")
        elements.append(InformationElement(iei, short_message[pos : pos + size]))
        pos += size
    return elements, short_message[end:]


def concat_info(elements: Iterable[InformationElement]) -> ConcatInfo | None:
    """The concatenation IE among ``elements`` (the last valid one, as TS 23.040 says), or None."""
    found: ConcatInfo | None = None
    for iei, data in elements:
        if iei == IEI_CONCAT_8BIT and len(data) == 3:
            info = ConcatInfo(data[0], data[1], data[2])
        elif iei == IEI_CONCAT_16BIT and len(data) == 4:
            info = ConcatInfo((data[0] << 8) | data[1], data[2], data[3])
        else:
            continue
        if 1 <= info.sequence <= info.total:
            found = info
    return found
