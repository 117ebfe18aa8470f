"""What status a carrier's delivery receipt means."""

from __future__ import annotations

import pytest

from smscloud.domain.messages.model import MessageStatus
from smscloud.domain.messages.receipts import status_from_receipt

S = MessageStatus


@pytest.mark.parametrize(
    ("stat", "status"),
    [
        ("DELIVRD", S.DELIVERED),
        ("UNDELIV", S.UNDELIVERED),
        ("EXPIRED", S.EXPIRED),
        ("REJECTD", S.REJECTED),
        ("DELETED", S.UNDELIVERED),
        ("UNKNOWN", S.UNDELIVERED),
    ],
)
def test_final_stat_values(stat: str, status: MessageStatus) -> None:
    assert status_from_receipt(stat) is status
    assert status.final


@pytest.mark.parametrize("stat", ["delivrd", " DELIVRD ", "Delivrd\n"])
def test_stat_is_read_case_and_space_insensitively(stat: str) -> None:
    assert status_from_receipt(stat) is S.DELIVERED


@pytest.mark.parametrize("stat", ["ENROUTE", "ACCEPTD", "", "whatever"])
def test_intermediate_or_unknown_stat_without_state_is_not_final(stat: str) -> None:
    assert status_from_receipt(stat) is None


@pytest.mark.parametrize(
    ("state", "status"),
    [
        (2, S.DELIVERED),
        (3, S.EXPIRED),
        (4, S.UNDELIVERED),
        (5, S.UNDELIVERED),
        (7, S.UNDELIVERED),
        (8, S.REJECTED),
    ],
)
def test_message_state_decides_when_stat_does_not(state: int, status: MessageStatus) -> None:
    assert status_from_receipt("", state) is status
    assert status_from_receipt("ACCEPTD", state) is status


@pytest.mark.parametrize("state", [0, 1, 6, 9, None])
def test_non_final_message_states(state: int | None) -> None:
    assert status_from_receipt("", state) is None


def test_the_message_state_wins_over_the_stat_text() -> None:
    # The message_state TLV is normative in SMPP 3.4; the receipt text only informative.
    assert status_from_receipt("UNDELIV", 2) is S.DELIVERED
    assert status_from_receipt("DELIVRD", 5) is S.UNDELIVERED
    assert status_from_receipt("DELIVRD", 1) is None  # ENROUTE: not final, whatever the text says


@pytest.mark.parametrize("state", [0, 9, 255])
def test_a_message_state_smpp_34_does_not_define_leaves_it_to_the_text(state: int) -> None:
    assert status_from_receipt("DELIVRD", state) is S.DELIVERED
