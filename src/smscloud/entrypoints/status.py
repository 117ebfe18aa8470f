"""`smscloud status`: the pipeline's backlog per carrier, as a table or as JSON."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime

from smscloud.domain.carriers.model import ReportedBind
from smscloud.domain.messages.backlog import CarrierBacklog

__all__ = ["backlog_json", "backlog_table", "bind_lines", "display_width"]

_COLUMNS = ("carrier", "binds up", "queued", "due", "oldest due", "submitting", "awaiting receipt", "oldest awaiting")


def _row(carrier: CarrierBacklog) -> tuple[str, ...]:
    return (
        carrier.carrier,
        f"{carrier.binds_up}/{carrier.binds}" if carrier.binds else "disabled",
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


def _when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC")


def bind_lines(binds: Sequence[ReportedBind], *, now: datetime) -> list[str]:
    """One line per reported bind: up or down since when, why, and which process holds it."""
    lines: list[str] = []
    for bind in binds:
        state = bind.state
        name = f"{bind.carrier} #{state.slot}"
        if not bind.live(now):
            seconds = (now - bind.seen_at).total_seconds()
            lines.append(f"{name}: no report for {seconds:.0f} s (its connector is gone); was {state.holder}")
            continue
        what = "up" if state.bound else "down"
        why = f" ({state.last_error})" if state.last_error and not state.bound else ""
        lines.append(f"{name}: {what} since {_when(state.since)}{why}, held by {state.holder}")
    return lines


def backlog_json(backlog: Sequence[CarrierBacklog], binds: Sequence[ReportedBind], *, now: datetime) -> str:
    return json.dumps(
        {
            "carriers": [asdict(carrier) for carrier in backlog],
            "binds": [
                {
                    "carrier": bind.carrier,
                    "slot": bind.state.slot,
                    "up": bind.up(now),
                    "bound": bind.state.bound,
                    "since": bind.state.since.isoformat(),
                    "seen_at": bind.seen_at.isoformat(),
                    "holder": bind.state.holder,
                    "last_error": bind.state.last_error,
                }
                for bind in binds
            ],
        },
        ensure_ascii=False,
    )
