"""Whether a JSON request carries a NUL character, which no field of either API can hold (and
PostgreSQL's text cannot store)."""

from __future__ import annotations

import msgspec

__all__ = ["holds_nul", "json_holds_nul"]

_ESCAPED_NUL = b"\\u0000"


def holds_nul(value: object) -> bool:
    """A NUL in any string of decoded JSON or form parameters, keys included."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(holds_nul(k) or holds_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(holds_nul(v) for v in value)
    return False


def json_holds_nul(body: bytes) -> bool:
    """A NUL in a JSON body. JSON can only carry one escaped (a raw control character is invalid
    JSON), so a body without the escape is decoded no further; one with it is decoded to be sure,
    since `\\\\u0000` (an escaped backslash, then the text u0000) is no NUL. A body that is not JSON
    holds none: the request's own decoding refuses it with its error."""
    if _ESCAPED_NUL not in body:
        return False
    try:
        return holds_nul(msgspec.json.decode(body))
    except (msgspec.DecodeError, UnicodeDecodeError, RecursionError):
        return False
