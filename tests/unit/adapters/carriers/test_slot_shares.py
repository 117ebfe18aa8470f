"""Which connector process goes for which bind slot first."""

from __future__ import annotations

from smscloud.adapters.carriers.manager import owns_slot


def test_one_process_owns_every_slot() -> None:
    assert all(owns_slot(c, s, process_index=0, process_count=1) for c in range(1, 5) for s in range(4))


def test_each_slot_has_exactly_one_owner_and_a_carriers_binds_are_spread() -> None:
    count = 3
    for carrier in range(1, 6):
        owners = [
            [i for i in range(count) if owns_slot(carrier, slot, process_index=i, process_count=count)]
            for slot in range(count)
        ]
        assert all(len(o) == 1 for o in owners)
        assert sorted(o[0] for o in owners) == [0, 1, 2]  # three binds: one in each process


def test_single_bind_carriers_start_at_different_processes() -> None:
    owners = {c: next(i for i in range(2) if owns_slot(c, 0, process_index=i, process_count=2)) for c in (1, 2, 3, 4)}
    assert set(owners.values()) == {0, 1}
