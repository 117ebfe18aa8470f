"""Rules for free text people type: names, addresses, e-mail addresses."""

from __future__ import annotations

import re

__all__ = ["EMAIL", "has_control_characters"]

# C0 and C1 controls, and the invisible characters that reorder text (bidirectional overrides and
# isolates, directional marks): "Bob\u202eiL" shows reversed to whoever reads it, an operator included.
# Lone surrogates too: no text a person types holds one (they come from bytes that were not
# UTF-8, as a command line's arguments can be), and no database column can store one.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")

# One @; a local part without spaces, quotes or the characters mail headers use as delimiters;
# a domain of letters (any script), digits and hyphens with at least one dot.
EMAIL = re.compile(r"[^@\s<>()\[\]\\,;:\"]{1,64}@[\w-]+(\.[\w-]+)+")


def has_control_characters(text: str) -> bool:
    return _CONTROL.search(text) is not None
