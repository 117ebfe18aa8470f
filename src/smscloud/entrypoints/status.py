"""`smscloud status`: the pipeline's backlog per carrier, as a table or as JSON."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Sequence
from dataclasses import asdict

from smscloud.domain.messages.backlog import CarrierBacklog

__all__ = ["backlog_json", "backlog_table", "display_width"]

_COLUMNS = ("carrier", "queued", "due", "oldest due", "submitting", "awaiting receipt", "oldest awaiting")


def _row(carrier: CarrierBacklog) -> tuple[str, ...]:
    return (
        carrier.carrier,
        str(carrier.queued),
        str(carrier.due),
        f"{carrier.oldest_due_s:.0f} s",
        str(carrier.submitting),
        str(carrier.submitted),
        f"{carrier.oldest_submitted_s:.0f} s",
    )


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _pad(cell: str, width: int, *, left: bool) -> str:
    padding = " " * (width - display_width(cell))
    return cell + padding if left else padding + cell


def backlog_table(backlog: Sequence[CarrierBacklog]) -> str:
    """One line per carrier under a header, figures right-aligned; says so when there is no carrier."""
    if not backlog:
        return "no carriers"
    rows = [_COLUMNS, *(_row(carrier) for carrier in backlog)]
    widths = [max(display_width(row[i]) for row in rows) for i in range(len(_COLUMNS))]
    lines = [
        "  ".join(_pad(cell, width, left=i == 0) for i, (cell, width) in enumerate(zip(row, widths, strict=True)))
        for row in rows
    ]
    return "\n".join(lines)


def backlog_json(backlog: Sequence[CarrierBacklog]) -> str:
    return json.dumps({"carriers": [asdict(carrier) for carrier in backlog]}, ensure_ascii=False)
