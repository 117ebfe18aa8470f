"""Text on the wire: GSM 03.38, IA5, Latin-1, UCS-2, data coding groups, and the UDH helpers."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smscloud.protocols.smpp import (
    GSM_CODEC,
    ConcatInfo,
    DataCoding,
    InformationElement,
    TextCodingError,
    build_concat_udh,
    build_udh,
    concat_info,
    decode_text,
    encode_text,
    parse_udh,
    text_codec,
)
from smscloud.protocols.smpp import text as text_module

GSM_EXTENSION = "€{}[]~\\^|"


def test_gsm_basic_characters():
    assert encode_text("@£$¥", DataCoding.DEFAULT) == b"\x00\x01\x02\x03"
    assert encode_text("Hello _!", DataCoding.DEFAULT) == b"Hello \x11!"
    assert decode_text(b"\x00\x11\x7f", DataCoding.DEFAULT) == "@_à"


@pytest.mark.parametrize(
    ("char", "wire"),
    [
        ("€", b"\x1b\x65"),
        ("{", b"\x1b\x28"),
        ("}", b"\x1b\x29"),
        ("[", b"\x1b\x3c"),
        ("]", b"\x1b\x3e"),
        ("~", b"\x1b\x3d"),
        ("\\", b"\x1b\x2f"),
        ("^", b"\x1b\x14"),
        ("|", b"\x1b\x40"),
        ("\f", b"\x1b\x0a"),
    ],
)
def test_gsm_extension_characters_take_two_octets(char, wire):
    assert encode_text(char, DataCoding.DEFAULT) == wire
    assert decode_text(wire, DataCoding.DEFAULT) == char


def test_gsm_extension_characters_in_text():
    text = f"Price: 5{GSM_EXTENSION}!"
    encoded = encode_text(text, DataCoding.DEFAULT)
    assert len(encoded) == len(text) + len(GSM_EXTENSION)
    assert decode_text(encoded, DataCoding.DEFAULT) == text


def test_gsm_refuses_characters_outside_the_alphabet():
    with pytest.raises(UnicodeEncodeError):
        encode_text("你好", DataCoding.DEFAULT)
    with pytest.raises(UnicodeEncodeError):
        encode_text("`", DataCoding.DEFAULT)
    assert encode_text("a`b", DataCoding.DEFAULT, errors="replace") == b"a?b"


def test_gsm_decoding_of_bad_octets():
    with pytest.raises(UnicodeDecodeError):
        decode_text(b"\x80", DataCoding.DEFAULT)
    with pytest.raises(UnicodeDecodeError):
        decode_text(b"\x1b\x80", DataCoding.DEFAULT)
    assert decode_text(b"a\x80b", DataCoding.DEFAULT, errors="replace") == "a\ufffdb"
    assert decode_text(b"a\x1b\x80b", DataCoding.DEFAULT, errors="replace") == "a\ufffdb"


@pytest.mark.parametrize("errors", ["strict", "replace"])
@pytest.mark.parametrize(
    ("data", "text"),
    [
        (b"a\x1b\x41b", "aAb"),  # not in the extension table: the basic table's character (TS 23.038)
        (b"\x1b\x00", "@"),
        (b"\x1b\x0d", "\r"),
        (b"\x1b\x1b", " "),  # kept for a further extension table: shown as a space
        (b"\x1b\x1b\x65", " e"),
        (b"ab\x1b", "ab "),  # an escape that ends the message escapes nothing: a space
        (b"\x1b\x65\x1b\x3c", "€["),
    ],
)
def test_gsm_escape_sequences_outside_the_extension_table(data, text, errors):
    assert decode_text(data, DataCoding.DEFAULT, errors=errors) == text


gsm_text = st.text(st.sampled_from(sorted(text_module._GSM_ENCODABLE)), max_size=200)


@given(gsm_text)
def test_gsm_fast_path_matches_the_gsm0338_codec(text):
    encoded = encode_text(text, DataCoding.DEFAULT)
    assert encoded == text.encode(GSM_CODEC)
    assert decode_text(encoded, DataCoding.DEFAULT) == encoded.decode(GSM_CODEC) == text


@given(st.binary(max_size=100))
def test_gsm_decode_of_any_septets_never_raises_and_matches_the_gsm0338_codec_where_it_decodes(data):
    data = bytes(b & 0x7F for b in data)
    decoded = decode_text(data, DataCoding.DEFAULT)
    try:
        expected = data.decode(GSM_CODEC)
    except UnicodeDecodeError:
        return  # an escape outside the extension table, which gsm0338 refuses (see above)
    # gsm0338 drops a final escape, where TS 23.038 says to show a space.
    assert decoded == expected + (" " if data.endswith(b"\x1b") else "")


@given(st.text(max_size=50))
def test_gsm_encode_of_any_text_encodes_or_raises_unicode_error(text):
    try:
        encoded = encode_text(text, DataCoding.DEFAULT)
    except UnicodeEncodeError:
        return
    assert decode_text(encoded, DataCoding.DEFAULT) == text


def test_ucs2_with_an_emoji_uses_a_surrogate_pair():
    encoded = encode_text("Hi 😀", DataCoding.UCS2)
    assert encoded == b"\x00H\x00i\x00 \xd8\x3d\xde\x00"
    assert decode_text(encoded, DataCoding.UCS2) == "Hi 😀"


@given(st.text(max_size=70))
def test_ucs2_round_trip(text):
    assert decode_text(encode_text(text, DataCoding.UCS2), DataCoding.UCS2) == text


def test_ucs2_rejects_odd_lengths_and_lone_surrogates():
    with pytest.raises(UnicodeDecodeError):
        decode_text(b"\x00a\x00", DataCoding.UCS2)
    with pytest.raises(UnicodeDecodeError):
        decode_text(b"\xd8\x3d", DataCoding.UCS2)


def test_ia5_and_latin1():
    assert encode_text("abc", DataCoding.IA5) == b"abc"
    with pytest.raises(UnicodeEncodeError):
        encode_text("é", DataCoding.IA5)
    assert encode_text("café", DataCoding.LATIN_1) == b"caf\xe9"
    assert decode_text(b"caf\xe9", DataCoding.LATIN_1) == "café"


@pytest.mark.parametrize(
    ("data_coding", "codec"),
    [
        (0x00, GSM_CODEC),
        (0x01, "ascii"),
        (0x03, "latin-1"),
        (0x06, "iso8859-5"),
        (0x08, "utf-16-be"),
        (0x10, GSM_CODEC),  # general group, class 0 (flash)
        (0x18, "utf-16-be"),  # general group, UCS-2, class 0
        (0x14, None),  # general group, 8-bit
        (0x2C, None),  # compressed
        (0xC0, GSM_CODEC),
        (0xE8, "utf-16-be"),
        (0xF0, GSM_CODEC),  # flash GSM-7
        (0xF4, None),  # 8-bit data, class 0
        (0x02, None),
        (0x04, None),
        (0x05, None),
    ],
)
def test_text_codec(data_coding, codec):
    assert text_codec(data_coding) == codec


@pytest.mark.parametrize("data_coding", [0x02, 0x04, 0xF5])
def test_binary_data_coding_is_not_text(data_coding):
    with pytest.raises(TextCodingError):
        encode_text("x", data_coding)
    with pytest.raises(TextCodingError):
        decode_text(b"x", data_coding)


# UDH.


def test_build_concat_udh_8_bit():
    assert build_concat_udh(0x7F, 2, 1) == bytes.fromhex("0500037f0201")


def test_build_concat_udh_16_bit():
    assert build_concat_udh(0x1234, 3, 3, ref16=True) == bytes.fromhex("0608041234" + "0303")


@pytest.mark.parametrize(
    ("ref", "total", "seq", "ref16"),
    [
        (256, 2, 1, False),
        (-1, 2, 1, False),
        (0x10000, 2, 1, True),
        (1, 0, 0, False),
        (1, 2, 3, False),
        (1, 256, 1, False),
    ],
)
def test_build_concat_udh_refuses_bad_values(ref, total, seq, ref16):
    with pytest.raises(TextCodingError):
        build_concat_udh(ref, total, seq, ref16=ref16)


def test_parse_udh_and_concat_info():
    message = build_concat_udh(9, 2, 2) + b"tail"
    elements, payload = parse_udh(message)
    assert elements == [InformationElement(0x00, b"\x09\x02\x02")]
    assert payload == b"tail"
    assert concat_info(elements) == ConcatInfo(reference=9, total=2, sequence=2)


def test_parse_udh_with_several_elements():
    udh = build_udh([InformationElement(0x05, b"\x0b\x84\x23\xf0"), InformationElement(0x08, b"\x01\x02\x03\x01")])
    elements, payload = parse_udh(udh + b"body")
    assert payload == b"body"
    assert concat_info(elements) == (0x0102, 3, 1)


def test_concat_info_ignores_invalid_elements():
    assert concat_info([]) is None
    assert concat_info([InformationElement(0x00, b"\x01\x02")]) is None  # wrong length
    assert concat_info([InformationElement(0x00, b"\x01\x02\x03")]) is None  # seq > total
    assert concat_info([InformationElement(0x00, b"\x01\x00\x00")]) is None
    last = [InformationElement(0x00, b"\x01\x02\x01"), InformationElement(0x00, b"\x02\x02\x02")]
    assert concat_info(last) == (2, 2, 2)


@pytest.mark.parametrize(
    "message",
    [b"", b"\x05\x00\x03\x01", b"\x03\x00\x03\x01\x02\x01", b"\x01\x00", b"\x02\x00\x05"],
)
def test_parse_udh_refuses_malformed_headers(message):
    with pytest.raises(TextCodingError):
        parse_udh(message)


@given(st.binary(max_size=40))
def test_parse_udh_never_crashes(message):
    try:
        elements, payload = parse_udh(message)
    except TextCodingError:
        return
    assert build_udh(elements) + payload == message


def test_two_part_ucs2_message():
    parts = ["第一部分😀", "第二部分"]
    messages = [build_concat_udh(7, 2, i + 1) + encode_text(p, DataCoding.UCS2) for i, p in enumerate(parts)]
    rebuilt = []
    for message in messages:
        elements, payload = parse_udh(message)
        info = concat_info(elements)
        assert info is not None
        rebuilt.append((info.sequence, decode_text(payload, DataCoding.UCS2)))
    assert "".join(text for _, text in sorted(rebuilt)) == "".join(parts)


def test_escape_character_is_not_encodable():
    # gsm0338 writes U+001B as a bare 0x1B, which turns the next character into an extension one
    with pytest.raises(UnicodeEncodeError):
        encode_text("\x1be", DataCoding.DEFAULT)
    assert encode_text("a\x1be", DataCoding.DEFAULT, errors="replace") == b"a?e"
    assert encode_text("a\x1b中e", DataCoding.DEFAULT, errors="ignore") == b"ae"


def test_error_handlers_in_the_gsm_slow_path():
    assert encode_text("x中文y", DataCoding.DEFAULT, errors="replace") == b"x??y"  # one per character
    assert encode_text("x中y", DataCoding.DEFAULT, errors="xmlcharrefreplace") == b"x&#20013;y"
    with pytest.raises(UnicodeEncodeError) as info:
        encode_text("ab中文cd", DataCoding.DEFAULT)
    assert (info.value.start, info.value.end) == (2, 4)
