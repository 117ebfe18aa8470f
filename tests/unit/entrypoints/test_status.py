"""`smscloud status` output: an aligned table for people, JSON for scripts."""

from __future__ import annotations

import json

from smscloud.domain.messages.backlog import CarrierBacklog
from smscloud.entrypoints.status import backlog_json, backlog_table, display_width

BACKLOG = [
    CarrierBacklog("simulator", queued=0, due=0, oldest_due_s=0.0, submitting=0, submitted=1, oldest_submitted_s=3.4),
    CarrierBacklog(
        "中国移动-1", queued=1200, due=1180, oldest_due_s=75.6, submitting=256, submitted=0, oldest_submitted_s=0
    ),
]


def test_the_table_has_a_header_and_a_line_per_carrier_with_the_figures_aligned() -> None:
    lines = backlog_table(BACKLOG).splitlines()
    assert lines[0].split("  ")[0] == "carrier"
    assert [line.split()[0] for line in lines[1:]] == ["simulator", "中国移动-1"]
    assert lines[2].split() == ["中国移动-1", "1200", "1180", "76", "s", "256", "0", "0", "s"]
    assert lines[1].split()[-4:] == ["0", "1", "3", "s"]
    assert {display_width(line) for line in lines} == {display_width(lines[0])}  # aligned, wide characters too
    assert display_width("中国移动-1") == 10
    assert backlog_table([]) == "no carriers"


def test_the_json_carries_every_field() -> None:
    parsed = json.loads(backlog_json(BACKLOG))
    assert parsed["carriers"][1] == {
        "carrier": "中国移动-1",
        "queued": 1200,
        "due": 1180,
        "oldest_due_s": 75.6,
        "submitting": 256,
        "submitted": 0,
        "oldest_submitted_s": 0,
    }
