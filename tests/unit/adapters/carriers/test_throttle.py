"""The submit throttle, driven by a fake clock: no sleeping, no timing."""

from __future__ import annotations

import pytest

from smscloud.adapters.carriers._throttle import Throttle


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def sends_within(throttle: Throttle, clock: FakeClock, seconds: float) -> int:
    """How many back-to-back callers get to send before ``clock.now + seconds``."""
    end = clock.now + seconds
    count = 0
    while clock.now + throttle.reserve() < end:
        count += 1
    return count


def test_no_cap_never_waits() -> None:
    clock = FakeClock()
    throttle = Throttle(0, clock=clock)
    assert [throttle.reserve() for _ in range(1000)] == [0.0] * 1000


def test_rate_spaces_sends_evenly() -> None:
    clock = FakeClock()
    throttle = Throttle(10, clock=clock)
    delays = [throttle.reserve() for _ in range(5)]
    assert delays == pytest.approx([0.0, 0.1, 0.2, 0.3, 0.4])


@pytest.mark.parametrize(("rate", "seconds"), [(10, 1.0), (50, 2.0), (200, 1.0), (3.5, 4.0)])
def test_at_most_rate_per_second_once_the_burst_is_spent(rate: float, seconds: float) -> None:
    clock = FakeClock()
    throttle = Throttle(rate, clock=clock)
    assert sends_within(throttle, clock, seconds) == pytest.approx(rate * seconds, abs=1)


def test_burst_lets_that_many_through_at_once_then_paces() -> None:
    clock = FakeClock()
    throttle = Throttle(10, burst=3, clock=clock)
    delays = [throttle.reserve() for _ in range(5)]
    assert delays == pytest.approx([0.0, 0.0, 0.0, 0.1, 0.2])


def test_idle_time_does_not_bank_credit_beyond_the_burst() -> None:
    clock = FakeClock()
    throttle = Throttle(10, clock=clock)
    throttle.reserve()
    clock.now += 60  # a minute idle
    assert throttle.reserve() == 0.0
    assert throttle.reserve() == pytest.approx(0.1)


def test_waiting_callers_are_served_in_booking_order_as_time_passes() -> None:
    clock = FakeClock()
    throttle = Throttle(4, clock=clock)
    first = [throttle.reserve() for _ in range(3)]  # 0, .25, .5
    clock.now += 0.5
    assert first == pytest.approx([0.0, 0.25, 0.5])
    assert throttle.reserve() == pytest.approx(0.25)  # booked after the .5 slot


def test_hold_delays_new_sends_even_without_a_cap() -> None:
    clock = FakeClock()
    throttle = Throttle(0, clock=clock)
    throttle.hold(2.0)
    assert throttle.held_for() == pytest.approx(2.0)
    assert throttle.reserve() == pytest.approx(2.0)
    clock.now += 2.0
    assert throttle.held_for() == 0.0
    assert throttle.reserve() == 0.0


def test_hold_then_rate_applies_after_the_hold() -> None:
    clock = FakeClock()
    throttle = Throttle(10, clock=clock)
    throttle.hold(1.0)
    assert [throttle.reserve() for _ in range(3)] == pytest.approx([1.0, 1.1, 1.2])


def test_a_later_hold_extends_an_earlier_one_never_shortens() -> None:
    clock = FakeClock()
    throttle = Throttle(0, clock=clock)
    throttle.hold(5.0)
    clock.now += 1.0
    throttle.hold(1.0)  # would end at +2: the +5 hold stands
    assert throttle.held_for() == pytest.approx(4.0)
    throttle.hold(10.0)
    assert throttle.held_for() == pytest.approx(10.0)


def test_rejects_nonsense() -> None:
    with pytest.raises(ValueError, match="rate"):
        Throttle(-1)
    with pytest.raises(ValueError, match="burst"):
        Throttle(10, burst=0)
    assert Throttle(25).rate == pytest.approx(25)
    assert Throttle(0).rate == 0
