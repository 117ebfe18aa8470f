from __future__ import annotations

import pytest

from smscloud.adapters.simulator import AttemptCounter


def test_refuses_n_times_then_lets_through_and_starts_over() -> None:
    counter = AttemptCounter()
    assert [counter.refuse("a", 2) for _ in range(3)] == [True, True, False]
    assert len(counter) == 0
    assert counter.refuse("a", 2) is True


def test_keys_are_independent_and_zero_means_never() -> None:
    counter = AttemptCounter()
    assert counter.refuse("a", 1) is True
    assert counter.refuse("b", 1) is True
    assert counter.refuse("a", 1) is False
    assert counter.refuse("c", 0) is False


def test_bounded_forgets_oldest() -> None:
    counter = AttemptCounter(max_keys=2)
    for key in ("a", "b", "c"):
        assert counter.refuse(key, 5)
    assert len(counter) == 2
    assert counter.refuse("a", 1) is True  # "a" was forgotten: refused again as new


def test_max_keys_must_be_positive() -> None:
    with pytest.raises(ValueError, match="max_keys"):
        AttemptCounter(max_keys=0)
