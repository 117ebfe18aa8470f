"""SerialNo: Tencent's shape, unique, roughly time-ordered."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from smscloud.domain.messages.serials import new_serial_no

NOW = datetime(2026, 3, 10, 4, 0, 0, 123456, tzinfo=UTC)


def test_shape_is_3000_colon_and_28_digits() -> None:
    assert re.fullmatch(r"3000:[0-9]{28}", new_serial_no(NOW))


def test_serials_at_the_same_instant_are_unique() -> None:
    serials = {new_serial_no(NOW) for _ in range(10_000)}
    assert len(serials) == 10_000


def test_the_leading_digits_are_the_microseconds_since_the_epoch() -> None:
    micros = int(NOW.timestamp() * 1_000_000)
    assert new_serial_no(NOW)[5:21] == f"{micros:016d}"


def test_later_serials_sort_after_earlier_ones() -> None:
    earlier = [new_serial_no(NOW + timedelta(milliseconds=n)) for n in range(100)]
    assert earlier == sorted(earlier)
