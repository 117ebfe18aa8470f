"""Phone numbers as the platform sees them: normalised E.164, split as Tencent reports them.

Parsing lives behind the `PhoneNumberParser` port; the adapter (``smscloud.adapters.phone``) implements it
with libphonenumber data, which the domain may not import.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Protocol

__all__ = [
    "MAINLAND_CHINA_COUNTRY_CODE",
    "UNKNOWN_ISO_CODE",
    "InvalidPhoneNumber",
    "PhoneNumber",
    "PhoneNumberParser",
    "from_nation_code",
]

MAINLAND_CHINA_COUNTRY_CODE: Final = "86"
# Tencent's `IsoCode` for a number whose region is unknown.
UNKNOWN_ISO_CODE: Final = "DEF"


@dataclass(frozen=True, slots=True)
class PhoneNumber:
    e164: str  # "+8613711112222"
    country_code: str  # "86"
    subscriber: str  # "13711112222"
    iso_code: str  # "CN", or "DEF" when unknown

    @property
    def domestic(self) -> bool:
        """Mainland China (+86). Hong Kong (+852), Macao (+853) and Taiwan (+886) are international."""
        return self.country_code == MAINLAND_CHINA_COUNTRY_CODE


class InvalidPhoneNumber(Exception):
    """The input is not a number the platform accepts; `raw` is the input as received."""

    def __init__(self, raw: str, reason: str) -> None:
        super().__init__(f"invalid phone number {raw!r}: {reason}")
        self.raw = raw
        self.reason = reason


class PhoneNumberParser(Protocol):
    def parse(self, raw: str) -> PhoneNumber:
        """Normalise `raw` to a `PhoneNumber`, or raise `InvalidPhoneNumber`."""
        ...


def from_nation_code(nationcode: str | int, mobile: str) -> str:
    """The raw E.164 string for the legacy v5 API's ``{"nationcode": "86", "mobile": "137…"}``.

    `nationcode` may come as a JSON string or number. The result is not validated: pass it to a
    `PhoneNumberParser`.
    """
    code = str(nationcode).strip().removeprefix("+")
    return f"+{code}{mobile.strip()}"
