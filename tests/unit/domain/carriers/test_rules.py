"""A carrier's settings are checked all at once, within SMPP 3.4's field sizes; route prefixes are
digits of an international number."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from smscloud.domain.carriers.model import Carrier
from smscloud.domain.carriers.rules import check_carrier, check_prefix
from smscloud.domain.shared.errors import InvalidInput
from tests.support.carrier_settings import carrier_settings

GOOD = carrier_settings()


def problems(carrier: Carrier) -> dict[str, str]:
    with pytest.raises(InvalidInput) as invalid:
        check_carrier(carrier)
    return {p.field: p.reason for p in invalid.value.every}


def test_good_settings_pass() -> None:
    check_carrier(GOOD)
    check_carrier(replace(GOOD, host="10.0.0.7", password="", tps=0, window=1, binds=1))


def test_every_problem_is_told_at_once() -> None:
    bad = replace(GOOD, name="Bad Name", host="", port=0, system_id="", window=0, tps=-1, binds=33)
    assert set(problems(bad)) == {"name", "host", "port", "system_id", "window", "tps", "binds"}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("system_id", "s" * 16),
        ("password", "p" * 9),
        ("system_type", "t" * 13),
        ("source_addr", "1" * 21),
    ],
)
def test_fields_longer_than_smpp_allows_are_refused(field: str, value: str) -> None:
    changes: dict[str, Any] = {field: value}
    assert "SMPP 3.4" in problems(replace(GOOD, **changes))[field]


@pytest.mark.parametrize("value", ["密码", "a\x00b", "tab\there"])
def test_smpp_fields_are_printable_ascii(value: str) -> None:
    assert set(problems(replace(GOOD, password=value))) == {"password"}


def test_the_simulators_name_is_kept_for_the_simulator() -> None:
    assert "simulator" in problems(replace(GOOD, name="simulator"))["name"]


@pytest.mark.parametrize(("given", "stored"), [("86", "86"), ("+852", "852"), ("", ""), (" 1 ", "1")])
def test_prefixes_are_digits(given: str, stored: str) -> None:
    assert check_prefix(given) == stored


@pytest.mark.parametrize("given", ["86a", "+", "1" * 16, "٨٦", "8 6"])
def test_other_prefixes_are_refused(given: str) -> None:
    with pytest.raises(InvalidInput) as invalid:
        check_prefix(given)
    assert invalid.value.field == "prefix"
