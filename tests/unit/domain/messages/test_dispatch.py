"""Retry backoff for transient submit failures."""

from __future__ import annotations

import pytest

from smscloud.domain.messages.dispatch import retry_delay


@pytest.mark.parametrize(("attempt", "delay"), [(1, 2.0), (2, 4.0), (3, 8.0), (4, 16.0), (5, 30.0), (50, 30.0)])
def test_exponential_backoff_capped(attempt: int, delay: float) -> None:
    assert retry_delay(attempt, base_s=2.0, cap_s=30.0) == delay


@pytest.mark.parametrize("attempt", [0, -3])
def test_attempts_below_one_wait_the_base(attempt: int) -> None:
    assert retry_delay(attempt, base_s=1.5, cap_s=60.0) == 1.5


def test_delay_is_a_float_and_never_exceeds_the_cap() -> None:
    delays = [retry_delay(n, base_s=0.5, cap_s=10.0) for n in range(1, 2000)]
    assert all(isinstance(d, float) for d in delays)
    assert max(delays) == 10.0
    assert delays == sorted(delays)
