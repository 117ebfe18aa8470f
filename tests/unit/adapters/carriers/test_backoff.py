"""Reconnect backoff: exponential, capped, jittered."""

from __future__ import annotations

import pytest

from smscloud.adapters.carriers._backoff import Backoff


def test_doubles_up_to_the_cap_without_jitter_at_the_top() -> None:
    backoff = Backoff(0.5, 4.0, uniform=lambda: 1.0)  # factor 0.5 + 0.5*1.0 = 1
    assert [backoff.next_delay() for _ in range(6)] == [0.5, 1.0, 2.0, 4.0, 4.0, 4.0]


def test_jitter_takes_between_half_and_all_of_the_delay() -> None:
    low = Backoff(1.0, 8.0, uniform=lambda: 0.0)
    assert [low.next_delay() for _ in range(4)] == [0.5, 1.0, 2.0, 4.0]
    default = Backoff(1.0, 8.0)
    for expected in (1.0, 2.0, 4.0, 8.0, 8.0):
        assert expected / 2 <= default.next_delay() <= expected


def test_reset_starts_over_and_exhaust_jumps_to_the_cap() -> None:
    backoff = Backoff(0.5, 30.0, uniform=lambda: 1.0)
    backoff.exhaust()
    assert backoff.next_delay() == 30.0
    backoff.reset()
    assert backoff.next_delay() == 0.5


def test_many_failures_do_not_overflow() -> None:
    backoff = Backoff(0.5, 30.0, uniform=lambda: 1.0)
    for _ in range(10_000):
        delay = backoff.next_delay()
    assert delay == 30.0


def test_rejects_nonsense() -> None:
    with pytest.raises(ValueError, match="base"):
        Backoff(0, 1)
    with pytest.raises(ValueError, match="base"):
        Backoff(2, 1)
