"""The parts of a concatenated reply: kept until the last one missing, then joined in part order."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from smscloud.domain.messages.replies import (
    HeldPart,
    PartDecision,
    PartOutcome,
    ReplyPart,
    joined_text,
    missing_parts,
    receive_part,
)

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def part(number: int, text: str, *, total: int = 3, reference: int = 7) -> ReplyPart:
    return ReplyPart(
        carrier_id=1,
        source_addr="8613800000009",
        destination_addr="106900",
        reference=reference,
        total=total,
        number=number,
        text=text,
    )


def held(number: int, text: str, *, assembled: bool = False) -> HeldPart:
    return HeldPart(number=number, text=text, received_at=NOW, assembled=assembled)


def arrive(parts: list[ReplyPart]) -> tuple[list[PartOutcome], list[str]]:
    """Feed `parts` one by one as a store would; the outcomes and the replies stored."""
    kept: list[HeldPart] = []
    outcomes: list[PartOutcome] = []
    replies: list[str] = []
    for p in parts:
        decision = receive_part(kept, p)
        outcomes.append(decision.outcome)
        if decision.outcome is PartOutcome.DUPLICATE:
            continue
        if decision.restart:
            if waiting := [h for h in kept if not h.assembled]:
                replies.append(joined_text(waiting))
            kept = []
        kept.append(held(p.number, p.text))
        if decision.text is not None:
            replies.append(decision.text)
            kept = [held(h.number, h.text, assembled=True) for h in kept]
    return outcomes, replies


@pytest.mark.parametrize("order", [(1, 2, 3), (3, 2, 1), (2, 3, 1), (3, 1, 2)])
def test_the_reply_is_whole_when_the_last_missing_part_arrives_in_any_order(order: tuple[int, ...]) -> None:
    texts = {1: "Hello, ", 2: "dear ", 3: "friend"}
    outcomes, replies = arrive([part(n, texts[n]) for n in order])
    assert outcomes == [PartOutcome.KEPT, PartOutcome.KEPT, PartOutcome.COMPLETED]
    assert replies == ["Hello, dear friend"]


def test_a_part_sent_again_while_waiting_is_a_duplicate() -> None:
    outcomes, replies = arrive([part(1, "a", total=2), part(1, "a", total=2), part(2, "b", total=2)])
    assert outcomes == [PartOutcome.KEPT, PartOutcome.DUPLICATE, PartOutcome.COMPLETED]
    assert replies == ["ab"]


def test_a_part_sent_again_after_its_reply_was_stored_is_a_duplicate() -> None:
    outcomes, replies = arrive([part(1, "a", total=2), part(2, "b", total=2), part(2, "b", total=2)])
    assert outcomes == [PartOutcome.KEPT, PartOutcome.COMPLETED, PartOutcome.DUPLICATE]
    assert replies == ["ab"]  # not a second reply, and nothing left waiting


def test_the_same_place_with_another_text_is_a_new_reply_under_a_reference_come_round_again() -> None:
    decision = receive_part([held(1, "old one ")], part(1, "new one ", total=2))
    assert decision == PartDecision(PartOutcome.KEPT, restart=True)
    outcomes, replies = arrive([part(1, "old ", total=2), part(1, "new ", total=2), part(2, "reply", total=2)])
    assert outcomes == [PartOutcome.KEPT, PartOutcome.KEPT, PartOutcome.COMPLETED]
    assert replies == ["old ", "new reply"]  # the earlier one stored with what came of it


def test_an_assembled_reply_under_a_reference_come_round_again_is_not_stored_twice() -> None:
    outcomes, replies = arrive(
        [part(1, "a", total=2), part(2, "b", total=2), part(1, "c", total=2), part(2, "d", total=2)]
    )
    assert outcomes == [PartOutcome.KEPT, PartOutcome.COMPLETED, PartOutcome.KEPT, PartOutcome.COMPLETED]
    assert replies == ["ab", "cd"]


def test_parts_of_a_reply_whose_other_parts_never_came_are_joined_in_order_without_the_gaps() -> None:
    waiting = [held(3, "three"), held(1, "one ")]
    assert joined_text(waiting) == "one three"
    assert missing_parts(waiting, 4) == [2, 4]


@pytest.mark.parametrize(("number", "total"), [(0, 2), (3, 2), (1, 0)])
def test_a_part_has_a_place_within_its_reply(number: int, total: int) -> None:
    with pytest.raises(ValueError, match="is not a place"):
        part(number, "x", total=total)
