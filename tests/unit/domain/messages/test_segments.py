from __future__ import annotations

import gsm0338  # noqa: F401 - registers the "gsm03.38" codec
import pytest
import smsutil
from hypothesis import given, settings
from hypothesis import strategies as st

from smscloud.domain.messages.segments import (
    GSM7_BASIC,
    GSM7_EXTENSION,
    Alphabet,
    Segmentation,
    is_gsm7,
    segment,
    segment_for_destination,
    units,
)

CJK = "短"
EMOJI = "😀"  # U+1F600, a surrogate pair in UTF-16

SINGLE = {Alphabet.GSM7: 160, Alphabet.UCS2: 70}
PER_PART = {Alphabet.GSM7: 153, Alphabet.UCS2: 67}


# --- the tricky cases of deps.md §3 -------------------------------------------------------------


def test_160_gsm_chars_are_one_segment() -> None:
    result = segment_for_destination("a" * 160, domestic=False)
    assert result == Segmentation(alphabet=Alphabet.GSM7, units=160, segments=1, parts=("a" * 160,))


def test_161_gsm_chars_are_two_segments() -> None:
    result = segment_for_destination("a" * 161, domestic=False)
    assert result.alphabet is Alphabet.GSM7
    assert result.units == 161
    assert result.parts == ("a" * 153, "a" * 8)


def test_extension_char_counts_two_and_pushes_over_160() -> None:
    result = segment_for_destination("a" * 159 + "€", domestic=False)
    assert result.alphabet is Alphabet.GSM7
    assert result.units == 161
    assert result.parts == ("a" * 153, "a" * 6 + "€")


def test_escape_pair_is_never_split_across_parts() -> None:
    result = segment_for_destination("a" * 152 + "{" + "b" * 10, domestic=False)
    assert result.units == 164
    # '{' is ESC + 0x28: 152 + 2 = 154 > 153, so it opens the second part whole.
    assert result.parts == ("a" * 152, "{" + "b" * 10)
    assert [units(part, Alphabet.GSM7) for part in result.parts] == [152, 12]


def test_backtick_is_not_gsm_so_the_text_is_ucs2() -> None:
    text = "§ price `quoted`"
    assert not is_gsm7(text)
    result = segment_for_destination(text, domestic=False)
    assert result == Segmentation(alphabet=Alphabet.UCS2, units=16, segments=1, parts=(text,))


@pytest.mark.parametrize(("count", "segments"), [(70, 1), (71, 2)])
def test_cjk_70_and_71(count: int, segments: int) -> None:
    result = segment_for_destination(CJK * count, domestic=False)
    assert result.alphabet is Alphabet.UCS2
    assert result.units == count
    assert result.segments == segments


def test_71_cjk_split_67_and_4() -> None:
    assert segment(CJK * 71, Alphabet.UCS2).parts == (CJK * 67, CJK * 4)


def test_emoji_at_the_part_boundary_is_not_split() -> None:
    text = CJK * 66 + EMOJI + CJK * 4
    result = segment_for_destination(text, domestic=True)
    assert result.units == 72
    # 66 + 2 = 68 > 67: the surrogate pair moves whole to the second part.
    assert result.parts == (CJK * 66, EMOJI + CJK * 4)
    assert result.segments == 2


def test_emoji_filling_a_part_exactly_stays_in_it() -> None:
    result = segment(CJK * 65 + EMOJI + CJK * 4, Alphabet.UCS2)
    assert result.parts == (CJK * 65 + EMOJI, CJK * 4)


def test_tencent_150_characters_are_3_segments() -> None:
    # spec §4.4: "150 → 67+67+16 = 3", signature and its brackets included.
    text = "【腾讯云】" + "您的验证码是1234，请于5分钟内填写。" * 5
    text += "啊" * (150 - len(text))
    assert len(text) == 150
    result = segment_for_destination(text, domestic=True)
    assert result.alphabet is Alphabet.UCS2
    assert [len(part) for part in result.parts] == [67, 67, 16]


# --- the billing rule -----------------------------------------------------------------------------


def test_domestic_is_always_ucs2_even_for_pure_ascii() -> None:
    text = "【Acme】" + "x" * 100
    assert segment_for_destination(text, domestic=True).segments == 2  # 106 chars at 70/67
    assert segment_for_destination("x" * 106, domestic=False).segments == 1  # GSM 160


def test_domestic_counts_the_signature() -> None:
    body = "好" * 67
    assert segment_for_destination(body, domestic=True).segments == 1
    assert segment_for_destination("【签名】" + body, domestic=True).segments == 2  # 71 characters


def test_international_non_gsm_falls_back_to_ucs2() -> None:
    result = segment_for_destination("Your code is 1234 😀", domestic=False)
    assert result.alphabet is Alphabet.UCS2
    assert result.units == 20


@pytest.mark.parametrize("domestic", [True, False])
def test_empty_text_is_one_segment_of_zero_units(domestic: bool) -> None:
    result = segment_for_destination("", domestic=domestic)
    assert result.units == 0
    assert result.segments == 1
    assert result.parts == ("",)


# --- units ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "alphabet", "expected"),
    [
        ("", Alphabet.GSM7, 0),
        ("abc", Alphabet.GSM7, 3),
        ("^{}\\[]~|€\f", Alphabet.GSM7, 20),
        ("@£$¥\n\rÅΔ", Alphabet.GSM7, 8),
        ("abc", Alphabet.UCS2, 3),
        ("短信", Alphabet.UCS2, 2),
        (EMOJI, Alphabet.UCS2, 2),
        ("€" + EMOJI + "a", Alphabet.UCS2, 4),
    ],
)
def test_units(text: str, alphabet: Alphabet, expected: int) -> None:
    assert units(text, alphabet) == expected


@pytest.mark.parametrize("text", ["`", "短", EMOJI, "\x1b", "ç"])
def test_gsm7_units_reject_non_gsm_text(text: str) -> None:
    with pytest.raises(ValueError, match="GSM 7-bit"):
        units(text, Alphabet.GSM7)
    with pytest.raises(ValueError, match="GSM 7-bit"):
        segment(text, Alphabet.GSM7)


def test_lone_surrogate_counts_one_unit() -> None:
    assert units("\ud83d", Alphabet.UCS2) == 1


# --- the character sets against the gsm0338 codec ------------------------------------------------


def test_gsm_sets_match_the_gsm0338_codec() -> None:
    one_byte: set[str] = set()
    two_bytes: set[str] = set()
    for code_point in range(0x10000):  # every GSM character is in the BMP (the highest is € U+20AC)
        char = chr(code_point)
        try:
            encoded = char.encode("gsm03.38")
        except UnicodeEncodeError:
            continue
        (one_byte if len(encoded) == 1 else two_bytes).add(char)
    # ESC encodes as one byte but is not a character a user can send: it would shift the next one.
    assert one_byte - {"\x1b"} == GSM7_BASIC
    assert two_bytes == GSM7_EXTENSION
    assert "`" not in GSM7_BASIC | GSM7_EXTENSION
    assert len(GSM7_BASIC) == 127
    assert len(GSM7_EXTENSION) == 10


def test_escape_character_is_not_gsm() -> None:
    # smsutil counts a lone U+001B as a GSM character (one septet); we send such a text as UCS-2.
    assert not is_gsm7("a\x1bb")
    assert smsutil.split("a\x1bb").encoding == "gsm0338"
    assert segment_for_destination("a\x1bb", domestic=False).alphabet is Alphabet.UCS2


# --- properties -----------------------------------------------------------------------------------

gsm_basic = st.sampled_from(sorted(GSM7_BASIC))
gsm_extension = st.sampled_from(sorted(GSM7_EXTENSION))
cjk = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
emoji = st.characters(min_codepoint=0x1F300, max_codepoint=0x1FAFF)


@st.composite
def texts(draw: st.DrawFn) -> str:
    # One character mix per text, so that pure-GSM and pure-CJK texts are common, not just mixtures.
    alphabet = draw(
        st.sampled_from(
            [
                gsm_basic,
                st.one_of(gsm_basic, gsm_extension),
                gsm_extension,
                cjk,
                st.one_of(cjk, emoji),
                st.one_of(gsm_basic, emoji),
                st.one_of(gsm_basic, gsm_extension, cjk, emoji),
            ]
        )
    )
    return draw(st.text(alphabet=alphabet, min_size=0, max_size=600))


def _wire_units(part: str, alphabet: Alphabet) -> list[bytes]:
    """The part as it goes on the wire, one bytes object per code unit (GSM septet or UTF-16 unit)."""
    if alphabet is Alphabet.GSM7:
        encoded = part.encode("gsm03.38")
        return [encoded[i : i + 1] for i in range(len(encoded))]
    encoded = part.encode("utf-16-be", "surrogatepass")
    return [encoded[i : i + 2] for i in range(0, len(encoded), 2)]


def _check_invariants(text: str, result: Segmentation) -> None:
    alphabet = result.alphabet
    assert "".join(result.parts) == text
    assert result.segments == len(result.parts) >= 1
    assert result.units == units(text, alphabet)
    assert sum(units(part, alphabet) for part in result.parts) == result.units
    if result.segments == 1:
        assert result.units <= SINGLE[alphabet]
        assert result.parts == (text,)
        return
    assert result.units > SINGLE[alphabet]
    for index, part in enumerate(result.parts):
        assert part
        assert units(part, alphabet) <= PER_PART[alphabet]
        wire = _wire_units(part, alphabet)
        # No part ends inside a pair: not on a GSM escape, nor on a high surrogate,
        if alphabet is Alphabet.GSM7:
            assert wire[-1] != b"\x1b"
        else:
            assert not 0xD800 <= int.from_bytes(wire[-1]) <= 0xDBFF
            assert not 0xDC00 <= int.from_bytes(wire[0]) <= 0xDFFF
        # and every part decodes alone to itself.
        assert b"".join(wire).decode("gsm03.38" if alphabet is Alphabet.GSM7 else "utf-16-be") == part
        # Greedy: the next part's first character would not have fitted.
        if index + 1 < len(result.parts):
            following = result.parts[index + 1][0]
            assert units(part + following, alphabet) > PER_PART[alphabet]


@settings(max_examples=300)
@given(texts(), st.booleans())
def test_segment_for_destination_invariants(text: str, domestic: bool) -> None:
    result = segment_for_destination(text, domestic=domestic)
    expected = Alphabet.GSM7 if not domestic and is_gsm7(text) else Alphabet.UCS2
    assert result.alphabet is expected
    _check_invariants(text, result)


@settings(max_examples=300)
@given(texts())
def test_international_matches_smsutil(text: str) -> None:
    ours = segment_for_destination(text, domestic=False)
    theirs = smsutil.split(text)
    assert ours.segments == len(theirs.parts)
    assert ours.parts == tuple(part.content for part in theirs.parts)
    if text:  # smsutil calls the empty text non-GSM; both count it as one segment
        assert (ours.alphabet is Alphabet.GSM7) == (theirs.encoding == "gsm0338")


@settings(max_examples=300)
@given(texts())
def test_domestic_matches_smsutil_unicode_split(text: str) -> None:
    ours = segment_for_destination(text, domestic=True)
    theirs = smsutil.unicode_split(text)
    assert ours.segments == len(theirs.parts)
    assert ours.parts == tuple(part.content for part in theirs.parts)
    assert ours.units * 2 == theirs.total_bytes


@given(st.text(max_size=300))
def test_ucs2_handles_any_text(text: str) -> None:
    _check_invariants(text, segment(text, Alphabet.UCS2))
