"""How many SMS segments a text takes, and where it is cut.

Two alphabets exist on the wire:

* **GSM 7-bit** (3GPP TS 23.038 default alphabet): a single message holds 160 septets, each part of a
  concatenated message 153 (7 septets go to the UDH). Characters of the basic table take one septet;
  characters of the extension table (``^ { } \\ [ ] ~ | €`` and form feed) take two, an ESC and the
  character, and the pair must never be split across parts.
* **UCS-2** (UTF-16 code units): a single message holds 70 units, each part 67. Characters outside the
  Basic Multilingual Plane (most emoji) take two units, a surrogate pair, which must never be split.

Splitting is greedy and cuts only between characters, so every part is valid text on its own.

The platform's billing rule (Tencent Cloud SMS, spec §4.4) is `segment_for_destination`: mainland China
messages always count as UCS-2 70/67, signature included; international messages use GSM 7-bit 160/153
when every character is GSM, else UCS-2 70/67.

The empty text is one segment of zero units: it is one (empty) message on the wire and is billed as one.

U+001B (ESCAPE) is deliberately *not* a GSM character here, although codecs such as ``gsm0338`` encode
it as the byte 0x1B: on the wire that byte escapes to the extension table and changes the meaning of the
next character, so a text containing it is sent as UCS-2.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

__all__ = [
    "GSM7_BASIC",
    "GSM7_EXTENSION",
    "Alphabet",
    "Segmentation",
    "is_gsm7",
    "segment",
    "segment_for_destination",
    "units",
]


class Alphabet(StrEnum):
    GSM7 = "gsm7"
    UCS2 = "ucs2"


# The GSM 03.38 basic character set, in table order 0x00-0x7F, without 0x1B (ESC, see the module
# docstring). 0x09 is the capital C with cedilla, as in TS 23.038.
GSM7_BASIC: Final[frozenset[str]] = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅå"
    "Δ_ΦΓΛΩΠΨΣΘΞ"  # 0x10-0x1A; 0x1B is ESC
    "ÆæßÉ"
    " !\"#¤%&'()*+,-./"
    "0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNO"
    "PQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmno"
    "pqrstuvwxyzäöñüà"
)

# The GSM 03.38 extension table: each is sent as ESC + one septet, so it counts 2.
GSM7_EXTENSION: Final[frozenset[str]] = frozenset("\f^{}\\[]~|€")

_GSM7_ALL: Final[frozenset[str]] = GSM7_BASIC | GSM7_EXTENSION

# (single-message capacity, per-part capacity of a concatenated message), in units.
_CAPACITY: Final[dict[Alphabet, tuple[int, int]]] = {
    Alphabet.GSM7: (160, 153),
    Alphabet.UCS2: (70, 67),
}

_BMP_END: Final = "\uffff"


@dataclass(frozen=True, slots=True)
class Segmentation:
    """The result of cutting a text: `parts` joined back together give the original text."""

    alphabet: Alphabet
    units: int
    segments: int
    parts: tuple[str, ...]


def is_gsm7(text: str) -> bool:
    """True when every character of `text` is in the GSM 7-bit basic or extension table."""
    return _GSM7_ALL.issuperset(text)


def _char_units(char: str, alphabet: Alphabet) -> int:
    if alphabet is Alphabet.GSM7:
        if char in GSM7_BASIC:
            return 1
        if char in GSM7_EXTENSION:
            return 2
        raise ValueError(f"character {char!r} is not in the GSM 7-bit alphabet")
    return 2 if char > _BMP_END else 1


def units(text: str, alphabet: Alphabet) -> int:
    """The length of `text` in septets (GSM7) or UTF-16 code units (UCS2).

    Raises `ValueError` when `alphabet` is GSM7 and `text` has a character outside it.
    """
    if alphabet is Alphabet.GSM7:
        if not is_gsm7(text):
            raise ValueError("text is not in the GSM 7-bit alphabet")
        return len(text) + sum(1 for char in text if char in GSM7_EXTENSION)
    # "surrogatepass" keeps a lone surrogate (possible in a Python str) at one unit, as on the wire.
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def segment(text: str, alphabet: Alphabet) -> Segmentation:
    """Cut `text` into the parts it is sent as in `alphabet`.

    One part when the text fits a single message (≤ 160 GSM7 / ≤ 70 UCS2 units), otherwise greedy parts
    of ≤ 153 / ≤ 67 units cut only at character boundaries. Raises `ValueError` when `alphabet` is GSM7
    and `text` has a character outside it.
    """
    total = units(text, alphabet)
    single, per_part = _CAPACITY[alphabet]
    if total <= single:
        return Segmentation(alphabet=alphabet, units=total, segments=1, parts=(text,))

    parts: list[str] = []
    start = 0
    used = 0
    for index, char in enumerate(text):
        cost = _char_units(char, alphabet)
        if used + cost > per_part:
            parts.append(text[start:index])
            start = index
            used = 0
        used += cost
    parts.append(text[start:])
    return Segmentation(alphabet=alphabet, units=total, segments=len(parts), parts=tuple(parts))


def segment_for_destination(text: str, *, domestic: bool) -> Segmentation:
    """Segment `text` by the platform's billing rule (spec §4.4).

    `text` is the full message as the handset shows it, the 【signature】 included. Mainland China
    (`domestic`) messages always count as UCS-2; international ones as GSM 7-bit when every character is
    GSM, else UCS-2.
    """
    if not domestic and is_gsm7(text):
        return segment(text, Alphabet.GSM7)
    return segment(text, Alphabet.UCS2)
