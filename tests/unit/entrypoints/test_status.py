"""`smscloud status` output: an aligned table for people, JSON for scripts."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from smscloud.domain.carriers.model import BIND_REPORT_STALE_AFTER, BindState, ReportedBind
from smscloud.domain.messages.backlog import CarrierBacklog
from smscloud.entrypoints.status import backlog_json, backlog_table, bind_lines, display_width

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
SINCE = NOW - timedelta(minutes=5)
HOLDER = "connector 0 (pid 7 on host)"
BINDS = [
    ReportedBind("simulator", BindState(1, 0, HOLDER, True, SINCE, ""), seen_at=NOW),
    ReportedBind("simulator", BindState(1, 1, HOLDER, False, SINCE, "bind refused: ESME_RBINDFAIL"), seen_at=NOW),
    ReportedBind("中国移动-1", BindState(2, 0, HOLDER, True, SINCE, ""), seen_at=NOW - BIND_REPORT_STALE_AFTER * 2),
]

BACKLOG = [
    CarrierBacklog(
        "simulator",
        binds=2,
        binds_up=1,
        queued=0,
        due=0,
        oldest_due_s=0.0,
        submitting=0,
        submitted=1,
        oldest_submitted_s=3.4,
    ),
    CarrierBacklog(
        "中国移动-1",
        binds=4,
        binds_up=4,
        queued=1200,
        due=1180,
        oldest_due_s=75.6,
        submitting=256,
        submitted=0,
        oldest_submitted_s=0,
    ),
]


def test_the_table_has_a_header_and_a_line_per_carrier_with_the_figures_aligned() -> None:
    lines = backlog_table(BACKLOG).splitlines()
    assert lines[0].split("  ")[0] == "carrier"
    assert [line.split()[0] for line in lines[1:]] == ["simulator", "中国移动-1"]
    assert lines[2].split() == ["中国移动-1", "4/4", "1200", "1180", "76", "s", "256", "0", "0", "s"]
    assert lines[1].split()[-4:] == ["0", "1", "3", "s"]
    assert {display_width(line) for line in lines} == {display_width(lines[0])}  # aligned, wide characters too
    assert display_width("中国移动-1") == 10
    assert backlog_table([]) == "no carriers"


def test_a_disabled_carrier_says_so_instead_of_zero_binds_of_zero() -> None:
    off = CarrierBacklog(
        "old", binds=0, binds_up=0, queued=3, due=3, oldest_due_s=9.0, submitting=0, submitted=0, oldest_submitted_s=0
    )
    assert backlog_table([off]).splitlines()[1].split()[:3] == ["old", "disabled", "3"]


def test_the_json_carries_every_field() -> None:
    parsed = json.loads(backlog_json(BACKLOG, BINDS, now=NOW))
    assert parsed["carriers"][1] == {
        "carrier": "中国移动-1",
        "binds": 4,
        "binds_up": 4,
        "queued": 1200,
        "due": 1180,
        "oldest_due_s": 75.6,
        "submitting": 256,
        "submitted": 0,
        "oldest_submitted_s": 0,
    }
    assert [(b["slot"], b["up"], b["bound"]) for b in parsed["binds"]] == [
        (0, True, True),
        (1, False, False),
        (0, False, True),
    ]
    assert parsed["binds"][1]["last_error"] == "bind refused: ESME_RBINDFAIL"
    assert parsed["binds"][0]["since"] == "2026-11-27T11:55:00+00:00"


def test_each_bind_says_up_or_down_since_when_why_and_who_holds_it() -> None:
    assert bind_lines(BINDS, now=NOW) == [
        f"simulator #0: up since 2026-11-27 11:55:00 UTC, held by {HOLDER}",
        f"simulator #1: down since 2026-11-27 11:55:00 UTC (bind refused: ESME_RBINDFAIL), held by {HOLDER}",
        f"中国移动-1 #0: no report for 60 s (its connector is gone); was {HOLDER}",
    ]
