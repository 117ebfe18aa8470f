"""Independent checks keep every field's problem; the first found stays first."""

from __future__ import annotations

import pytest

from smscloud.domain.shared.errors import InvalidInput
from smscloud.domain.shared.problems import Problems


def _refuse(field: str, reason: str) -> int:
    raise InvalidInput(field, reason)


def test_nothing_found_raises_nothing_and_returns_the_checked_values() -> None:
    problems = Problems()
    assert problems.check(lambda: 7, 0) == 7
    problems.raise_any()


def test_every_field_is_kept_in_the_order_found_and_the_first_leads() -> None:
    problems = Problems()
    assert problems.check(lambda: _refuse("name", "too short"), -1) == -1
    problems.add("phone", "not a number")
    with pytest.raises(InvalidInput) as raised:
        problems.raise_any()
    assert (raised.value.field, raised.value.reason) == ("name", "too short")
    assert [(p.field, p.reason) for p in raised.value.every] == [("name", "too short"), ("phone", "not a number")]


def test_a_field_keeps_its_first_problem() -> None:
    problems = Problems()
    problems.add("name", "too short")
    problems.add("name", "has digits")
    assert "name" in problems and "phone" not in problems
    with pytest.raises(InvalidInput) as raised:
        problems.raise_any()
    assert raised.value.every == (raised.value,)
    assert raised.value.reason == "too short"


def test_a_check_that_found_several_problems_passes_each_on() -> None:
    inner = Problems()
    inner.add("a", "one")
    inner.add("b", "two")

    outer = Problems()
    outer.check(inner.raise_any, None)
    outer.add("c", "three")
    with pytest.raises(InvalidInput) as raised:
        outer.raise_any()
    assert [p.field for p in raised.value.every] == ["a", "b", "c"]
