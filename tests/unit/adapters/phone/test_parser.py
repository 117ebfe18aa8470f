from __future__ import annotations

import phonenumbers
import pytest
from hypothesis import given
from hypothesis import strategies as st

from smscloud.adapters.phone import LibPhoneNumberParser
from smscloud.domain.messages.phone import (
    InvalidPhoneNumber,
    PhoneNumber,
    PhoneNumberParser,
    from_nation_code,
)

PARSER: PhoneNumberParser = LibPhoneNumberParser()  # also checks the port is implemented, for mypy

MAINLAND = PhoneNumber(e164="+8613711112222", country_code="86", subscriber="13711112222", iso_code="CN")


# --- accepted forms -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "+8613711112222",  # E.164
        "008613711112222",  # international prefix
        "8613711112222",  # country code without '+'
        "13711112222",  # bare mainland mobile, defaults to +86
        "+86013711112222",  # trunk prefix after the country code
        "0086013711112222",
        " +8613711112222\n",  # surrounding whitespace is trimmed
        "\t13711112222 ",
    ],
)
def test_mainland_mobile_forms(raw: str) -> None:
    assert PARSER.parse(raw) == MAINLAND


def test_tencent_describe_phone_number_info_example() -> None:
    assert PARSER.parse("+86018501234444") == PhoneNumber(
        e164="+8618501234444", country_code="86", subscriber="18501234444", iso_code="CN"
    )


@pytest.mark.parametrize(
    ("raw", "e164", "subscriber"),
    [
        ("+861088888888", "+861088888888", "1088888888"),  # Beijing fixed line
        ("+8601088888888", "+861088888888", "1088888888"),  # with the trunk prefix
        ("00861088888888", "+861088888888", "1088888888"),
    ],
)
def test_mainland_fixed_lines_go_through_phonenumbers(raw: str, e164: str, subscriber: str) -> None:
    assert PARSER.parse(raw) == PhoneNumber(e164=e164, country_code="86", subscriber=subscriber, iso_code="CN")


# Documented test numbers per country, all valid for phonenumbers 9.0:
INTERNATIONAL = [
    # US: 555-0100..0199 is NANPA's fictional range; phonenumbers has no notion of it and accepts it.
    ("+12025550123", "1", "2025550123", "US"),
    # UK: Ofcom's drama range for London, 020 7946 0000..0999 (the mobile drama range 07700 900xxx
    # is *rejected* by phonenumbers, see below).
    ("+442079460123", "44", "2079460123", "GB"),
    ("+447400123456", "44", "7400123456", "GB"),  # phonenumbers' example GB mobile
    # Singapore and Hong Kong have no fictional ranges; these are phonenumbers' example mobiles.
    ("+6581234567", "65", "81234567", "SG"),
    ("+85251234567", "852", "51234567", "HK"),
    ("+85366123456", "853", "66123456", "MO"),
    ("+886912345678", "886", "912345678", "TW"),
]


@pytest.mark.parametrize(("raw", "country_code", "subscriber", "iso_code"), INTERNATIONAL)
def test_international_numbers(raw: str, country_code: str, subscriber: str, iso_code: str) -> None:
    number = PARSER.parse(raw)
    assert number == PhoneNumber(e164=raw, country_code=country_code, subscriber=subscriber, iso_code=iso_code)
    assert not number.domestic


def test_iso_code_follows_the_region_not_the_country_code() -> None:
    # +44 7911 is allocated to Guernsey, which has its own ISO code.
    assert PARSER.parse("+447911123456").iso_code == "GG"


def test_non_geographic_number_has_unknown_iso_code() -> None:
    # phonenumbers gives region "001" for +800 (international freephone): not an ISO code.
    number = PARSER.parse("+80012345678")
    assert number.country_code == "800"
    assert number.iso_code == "DEF"


# --- rejections -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "abc",
        "+",
        "++8613711112222",
        "+86",
        "+86abc",
        "+8613711112222x",
        "+86 137 1111 2222",  # inner spaces: Tencent wants clean numbers
        "+86-137-1111-2222",
        "137-1111-2222",
        "(+86)13711112222",
        "+8613711112222\n+1",
        "+86１3711112222",  # fullwidth digit
        "＋8613711112222",  # fullwidth plus
        "+86١٣٧١١١١٢٢٢٢",  # Arabic-Indic digits match \d but are not ASCII
        "+861371111222",  # too short: 10 digits after 86
        "+8613",
        "1371111222",  # bare, 10 digits
        "+86137111122223",  # too long: 12 digits after 86
        "137111122223",
        "+123456789012345678",  # over 17 digits, refused before phonenumbers
        "+8612345678901",  # bad mainland prefix 12
        "12345678901",  # bare, bad prefix
        "23711112222",
        "+8610123",  # too short for a Beijing fixed line
        "+447700900123",  # Ofcom's drama mobile range: phonenumbers calls it invalid
        "+999123456789",  # unassigned country code
        "+0086137",
        "004420794601",  # only 0086 may stand for '+'
        "4420794601",  # only mainland numbers may omit '+'
        "861088888888",  # without '+', 86 must be followed by a mobile
        "86013711112222",
    ],
)
def test_rejected(raw: str) -> None:
    with pytest.raises(InvalidPhoneNumber) as excinfo:
        PARSER.parse(raw)
    assert excinfo.value.raw == raw
    assert excinfo.value.reason
    assert repr(raw) in str(excinfo.value)


# --- the fast path --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "+8613711112222",
        "+8613800000002",  # a simulator test number
        "+8614012345678",  # IoT range 140: phonenumbers calls it invalid; the fast path accepts it
        "+8619212345678",
        "13900000001",
    ],
)
def test_mainland_mobiles_never_call_phonenumbers(raw: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError("phonenumbers was called on the fast path")

    for name in ("parse", "is_valid_number", "region_code_for_number", "format_number"):
        monkeypatch.setattr(phonenumbers, name, forbidden)  # the module the parser calls
    number = PARSER.parse(raw)
    assert number.country_code == "86"
    assert number.iso_code == "CN"
    assert number.domestic
    assert number.e164 == "+86" + number.subscriber


def test_fast_path_agrees_with_phonenumbers_where_both_apply() -> None:
    for raw in ["+8613711112222", "+8618501234444", "+86018501234444", "+8619912345678"]:
        reference = phonenumbers.parse(raw, None)
        assert phonenumbers.is_valid_number(reference)
        number = PARSER.parse(raw)
        assert number.e164 == phonenumbers.format_number(reference, phonenumbers.PhoneNumberFormat.E164)
        assert number.subscriber == phonenumbers.national_significant_number(reference)
        assert number.iso_code == phonenumbers.region_code_for_number(reference)


# --- domain helpers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("country_code", "domestic"),
    [("86", True), ("852", False), ("853", False), ("886", False), ("1", False), ("8", False)],
)
def test_domestic_means_mainland_only(country_code: str, domestic: bool) -> None:
    number = PhoneNumber(e164=f"+{country_code}123", country_code=country_code, subscriber="123", iso_code="DEF")
    assert number.domestic is domestic


@pytest.mark.parametrize(
    ("nationcode", "mobile", "expected"),
    [
        ("86", "13711112222", "+8613711112222"),
        (86, "13711112222", "+8613711112222"),
        (" 86 ", " 13711112222 ", "+8613711112222"),
        ("+86", "13711112222", "+8613711112222"),
        ("852", "51234567", "+85251234567"),
    ],
)
def test_from_nation_code(nationcode: str | int, mobile: str, expected: str) -> None:
    raw = from_nation_code(nationcode, mobile)
    assert raw == expected
    assert PARSER.parse(raw).e164 == expected


def test_from_nation_code_does_not_validate() -> None:
    with pytest.raises(InvalidPhoneNumber):
        PARSER.parse(from_nation_code("86", "137 1111 2222"))


# --- idempotence ----------------------------------------------------------------------------------

country_codes = st.sampled_from(["1", "7", "20", "33", "39", "44", "49", "61", "65", "81", "86", "852", "853", "886"])


@st.composite
def raw_numbers(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["e164", "mainland_mobile", "mainland_forms", "digits"]))
    if kind == "e164":
        return "+" + draw(country_codes) + draw(st.text("0123456789", min_size=4, max_size=13))
    mobile = "1" + draw(st.sampled_from("3456789")) + draw(st.text("0123456789", min_size=9, max_size=9))
    if kind == "mainland_mobile":
        return mobile
    if kind == "mainland_forms":
        return draw(st.sampled_from(["+86", "0086", "86", "+860", "0086 0"])).replace(" ", "") + mobile
    return draw(st.sampled_from(["", "+", "00"])) + draw(st.text("0123456789", min_size=1, max_size=18))


@given(raw_numbers())
def test_accepted_numbers_reparse_to_themselves(raw: str) -> None:
    try:
        number = PARSER.parse(raw)
    except InvalidPhoneNumber:
        return
    assert PARSER.parse(number.e164) == number
    assert number.e164 == f"+{number.country_code}{number.subscriber}"
    assert len(number.e164) <= 16  # '+' and at most 15 digits
    assert number.e164[1:].isascii()
    assert number.e164[1:].isdigit()
    assert number.domestic is (number.country_code == "86")


def _example_numbers() -> list[tuple[str, str]]:
    """(expected iso code, E.164) of each region's example mobile and fixed line."""
    examples = []
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        for kind in (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE):
            example = phonenumbers.example_number_for_type(region, kind)
            if example is not None:
                # Shared ranges resolve to one region: Åland's example is Finland's (AX → FI).
                iso_code = phonenumbers.region_code_for_number(example)
                assert iso_code is not None
                e164 = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164)
                examples.append((iso_code, e164))
    return examples


def test_every_regions_example_numbers_parse_and_reparse_to_themselves() -> None:
    examples = _example_numbers()
    assert len(examples) > 400
    for iso_code, e164 in examples:
        number = PARSER.parse(e164)
        assert number.e164 == e164
        assert number.iso_code == iso_code
        assert PARSER.parse(number.e164) == number
