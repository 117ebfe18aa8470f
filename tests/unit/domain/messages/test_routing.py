"""Choosing a carrier: the longest matching prefix, then the priority."""

from __future__ import annotations

from smscloud.domain.messages.routing import Route, choose_carrier


def test_no_routes_no_carrier() -> None:
    assert choose_carrier([], "+8613711112222") is None


def test_no_matching_prefix_no_carrier() -> None:
    assert choose_carrier([Route("1", 1), Route("44", 2)], "+8613711112222") is None


def test_empty_prefix_matches_every_number() -> None:
    assert choose_carrier([Route("", 5)], "+8613711112222") == 5
    assert choose_carrier([Route("", 5)], "+12025550123") == 5


def test_the_longest_prefix_wins_whatever_the_order_or_priority() -> None:
    routes = [Route("86137", 3, priority=0), Route("", 1, priority=100), Route("86", 2, priority=50)]
    assert choose_carrier(routes, "+8613711112222") == 3
    assert choose_carrier(routes, "+8613811112222") == 2
    assert choose_carrier(routes, "+12025550123") == 1


def test_priority_breaks_a_tie_between_equal_prefixes() -> None:
    assert choose_carrier([Route("86", 1, priority=1), Route("86", 2, priority=9)], "+8613711112222") == 2
    assert choose_carrier([Route("86", 2, priority=9), Route("86", 1, priority=1)], "+8613711112222") == 2


def test_prefixes_are_matched_without_the_plus() -> None:
    assert choose_carrier([Route("+86", 1)], "+8613711112222") is None
    assert choose_carrier([Route("86", 1)], "8613711112222") == 1


def test_a_prefix_longer_than_the_number_does_not_match() -> None:
    assert choose_carrier([Route("86137111122223", 1)], "+8613711112222") is None
