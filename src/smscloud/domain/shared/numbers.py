"""Whole numbers people and programs write as text: ids in paths, page numbers, ids in requests."""

from __future__ import annotations

__all__ = ["MAX_INT64", "whole_number"]

MAX_INT64 = 2**63 - 1  # the largest id the database holds (BIGINT)


def whole_number(raw: str, *, maximum: int = MAX_INT64) -> int | None:
    """`raw` as a whole number written in ASCII digits, or None when it is not one or exceeds
    `maximum`. `str.isdigit` alone also takes "²" (which `int` refuses) and "٣٠" (which `int`
    reads as 30); and the digits are counted before `int` reads them, since Python refuses to read
    more than 4,300 digits (and reading them costs time whoever sent them)."""
    if not (raw.isascii() and raw.isdigit()) or len(raw.lstrip("0")) > len(str(maximum)):
        return None
    value = int(raw)
    return value if value <= maximum else None
