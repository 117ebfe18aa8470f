from __future__ import annotations

import pytest

from smscloud.adapters.simulator import MessageIdGenerator


def test_prefix_and_counter() -> None:
    ids = MessageIdGenerator(0x9F3C04A1)
    assert [ids.next() for _ in range(2)] == ["9f3c04a100000001", "9f3c04a100000002"]
    assert ids.prefix == "9f3c04a1"


def test_random_prefixes_differ_between_runs() -> None:
    prefixes = {MessageIdGenerator().prefix for _ in range(20)}
    assert len(prefixes) > 1  # 20 draws of 32 bits: a repeat is all but impossible


def test_prefix_must_fit_32_bits() -> None:
    with pytest.raises(ValueError, match="32 bits"):
        MessageIdGenerator(2**32)
