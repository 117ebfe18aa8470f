"""The message status machine and the report a customer sees."""

from __future__ import annotations

import itertools

import pytest

from smscloud.domain.messages.model import FINAL_STATUSES, MessageStatus, Report, can_move
from tests.unit.domain.factories import NOW

S = MessageStatus

ALLOWED = {
    (S.QUEUED, S.SUBMITTING),
    (S.QUEUED, S.EXPIRED),
    (S.QUEUED, S.FAILED),
    (S.SUBMITTING, S.SUBMITTED),
    (S.SUBMITTING, S.QUEUED),
    (S.SUBMITTING, S.FAILED),
    (S.SUBMITTING, S.REJECTED),
    (S.SUBMITTED, S.DELIVERED),
    (S.SUBMITTED, S.UNDELIVERED),
    (S.SUBMITTED, S.EXPIRED),
    (S.SUBMITTED, S.REJECTED),
}


@pytest.mark.parametrize(("source", "target"), sorted(ALLOWED))
def test_allowed_moves(source: MessageStatus, target: MessageStatus) -> None:
    assert can_move(source, target)


@pytest.mark.parametrize(
    ("source", "target"),
    [pair for pair in itertools.product(S, S) if pair not in ALLOWED],
)
def test_every_other_move_is_forbidden(source: MessageStatus, target: MessageStatus) -> None:
    assert not can_move(source, target)


def test_final_statuses_never_move_again() -> None:
    for final in FINAL_STATUSES:
        assert not any(can_move(final, target) for target in S)


def test_final_statuses() -> None:
    assert {S.DELIVERED, S.UNDELIVERED, S.EXPIRED, S.REJECTED, S.FAILED} == FINAL_STATUSES
    assert [s for s in S if s.final] == [s for s in S if s in FINAL_STATUSES]
    assert not S.QUEUED.final and not S.SUBMITTING.final and not S.SUBMITTED.final


def test_only_delivered_is_a_success() -> None:
    assert [s for s in S if s.success] == [S.DELIVERED]


def test_every_non_final_status_can_reach_a_final_one() -> None:
    for status in S:
        if status.final:
            continue
        reachable = {status}
        frontier = [status]
        while frontier:
            current = frontier.pop()
            for target in S:
                if can_move(current, target) and target not in reachable:
                    reachable.add(target)
                    frontier.append(target)
        assert reachable & FINAL_STATUSES, status


@pytest.mark.parametrize(
    ("phone", "country_code", "subscriber"),
    [
        ("+8613711112222", "86", "13711112222"),
        ("+12025550123", "1", "2025550123"),
        ("+85291234567", "852", "91234567"),
    ],
)
def test_report_subscriber_is_the_number_without_country_code(phone: str, country_code: str, subscriber: str) -> None:
    report = Report("3000:1", phone, country_code, S.DELIVERED, "DELIVRD", NOW, "", "")
    assert report.subscriber == subscriber
