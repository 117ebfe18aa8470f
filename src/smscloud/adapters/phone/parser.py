"""`PhoneNumberParser` on top of `phonenumbers` (Google libphonenumber's metadata).

Accepted forms (Tencent Cloud SMS, spec §4.7 and §1.7), after trimming surrounding whitespace:

* E.164 ``+<country code><number>``: ``+8613711112222``, ``+12025550123``;
* mainland China only: ``0086<number>``, ``86<mobile>`` and a bare 11-digit mobile ``1[3-9]xxxxxxxxx``,
  all read as +86.

Anything else with a character other than a leading ``+`` and ASCII digits is rejected (Tencent requires
clean numbers: no spaces, dashes or brackets). The mainland trunk prefix after the country code is dropped,
as Tencent's DescribePhoneNumberInfo does: ``+86018501234444`` → ``+8618501234444``.

Mainland mobiles (``1[3-9]`` and 9 more digits) take a fast path that never calls `phonenumbers`: the API
parses thousands of numbers a second, and simulator test numbers such as ``+8613800000002`` must be
accepted whatever libphonenumber's allocation tables say. Every other number must pass
`phonenumbers.is_valid_number`.

Only the core `phonenumbers` module is imported: `phonenumbers.geocoder` costs about 100 MB of RSS.
"""

from __future__ import annotations

import re
from typing import Final

import phonenumbers

from smscloud.domain.messages.phone import (
    MAINLAND_CHINA_COUNTRY_CODE,
    UNKNOWN_ISO_CODE,
    InvalidPhoneNumber,
    PhoneNumber,
)

__all__ = ["LibPhoneNumberParser"]

# [0-9], not \d: \d also matches non-ASCII digits such as "１" (fullwidth) or "٣" (Arabic-Indic).
_SHAPE: Final = re.compile(r"\+?[0-9]+")
_MAINLAND_MOBILE: Final = re.compile(r"1[3-9][0-9]{9}")
_MAINLAND_INTERNATIONAL_PREFIX: Final = "00" + MAINLAND_CHINA_COUNTRY_CODE
_MAINLAND_ISO_CODE: Final = "CN"
_TRUNK_PREFIX: Final = "0"
# E.164 allows 15 digits; leave room for a trunk prefix, and let phonenumbers judge the rest.
_MAX_DIGITS: Final = 17
_NOT_ISO_CODES: Final = frozenset({phonenumbers.UNKNOWN_REGION, phonenumbers.REGION_CODE_FOR_NON_GEO_ENTITY})


class LibPhoneNumberParser:
    """Normalises raw API input to `PhoneNumber`; raises `InvalidPhoneNumber`."""

    def parse(self, raw: str) -> PhoneNumber:
        text = raw.strip()
        if not text:
            raise InvalidPhoneNumber(raw, "empty")
        if _SHAPE.fullmatch(text) is None:
            raise InvalidPhoneNumber(raw, "only a leading '+' and digits are allowed")
        digits = _international_digits(raw, text)
        if len(digits) > _MAX_DIGITS:
            raise InvalidPhoneNumber(raw, "too long")

        if digits.startswith(MAINLAND_CHINA_COUNTRY_CODE):
            national = digits[len(MAINLAND_CHINA_COUNTRY_CODE) :].removeprefix(_TRUNK_PREFIX)
            if _MAINLAND_MOBILE.fullmatch(national) is not None:
                return PhoneNumber(
                    e164=f"+{MAINLAND_CHINA_COUNTRY_CODE}{national}",
                    country_code=MAINLAND_CHINA_COUNTRY_CODE,
                    subscriber=national,
                    iso_code=_MAINLAND_ISO_CODE,
                )
        return _parse_with_metadata(raw, digits)


def _international_digits(raw: str, text: str) -> str:
    """The country code and number, without '+', of a `text` already known to be '+'/digits only."""
    if text.startswith("+"):
        return text[1:]
    if text.startswith(_MAINLAND_INTERNATIONAL_PREFIX):
        return MAINLAND_CHINA_COUNTRY_CODE + text[len(_MAINLAND_INTERNATIONAL_PREFIX) :]
    if _MAINLAND_MOBILE.fullmatch(text) is not None:
        return MAINLAND_CHINA_COUNTRY_CODE + text
    if text.startswith(MAINLAND_CHINA_COUNTRY_CODE) and (
        _MAINLAND_MOBILE.fullmatch(text[len(MAINLAND_CHINA_COUNTRY_CODE) :]) is not None
    ):
        return text
    raise InvalidPhoneNumber(raw, "expected E.164 '+<country code><number>'")


def _parse_with_metadata(raw: str, digits: str) -> PhoneNumber:
    try:
        number = phonenumbers.parse("+" + digits, None)
    except phonenumbers.NumberParseException as exc:
        raise InvalidPhoneNumber(raw, str(exc)) from None
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhoneNumber(raw, "not a valid number for its country")
    region = phonenumbers.region_code_for_number(number)
    return PhoneNumber(
        e164=phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164),
        country_code=str(number.country_code),
        subscriber=phonenumbers.national_significant_number(number),
        iso_code=_iso_code(region),
    )


def _iso_code(region: str | None) -> str:
    # None or "ZZ" when unknown; "001" for non-geographic codes such as +800, which have no ISO code.
    if region is None or region in _NOT_ISO_CODES:
        return UNKNOWN_ISO_CODE
    return region
