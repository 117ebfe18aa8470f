"""SMPP time strings (§7.1.1): empty, absolute or relative, and nothing else."""

from __future__ import annotations

import pytest

from smscloud.protocols.smpp import is_smpp_time


@pytest.mark.parametrize(
    "value",
    ["", "261128101500032+", "261231235959948-", "000002000000000R", "990000000000000R"],
    ids=["empty", "absolute +8h", "absolute -12h", "relative 2 days", "relative 99 years"],
)
def test_well_formed_times_pass(value: str) -> None:
    assert is_smpp_time(value)


@pytest.mark.parametrize(
    "value",
    [
        "garbage",
        "261128101500032",  # no sign
        "261128101500032*",
        "261328101500032+",  # month 13
        "261100101500032+",  # day 0
        "261128241500032+",  # hour 24
        "261128101500049+",  # 49 quarter hours from UTC
        "000002000000100R",  # relative with tenths
        "２61128101500032+",  # a digit that is not ASCII
        "2611281015000320+",
    ],
)
def test_anything_else_fails(value: str) -> None:
    assert not is_smpp_time(value)
