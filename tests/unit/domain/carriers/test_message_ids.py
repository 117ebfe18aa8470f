"""The id of a submit_sm_resp and the id of its receipt meet in one form, whichever way the
carrier writes them."""

from __future__ import annotations

import pytest

from smscloud.domain.carriers.message_ids import ReceiptIds, receipt_form, submitted_form


@pytest.mark.parametrize(
    ("ids", "submitted", "receipted"),
    [
        (ReceiptIds.AS_SENT, "abc-123", "abc-123"),
        (ReceiptIds.CASELESS, "Abc123", "ABC123"),
        (ReceiptIds.HEX, "0A1F", "a1f"),
        (ReceiptIds.HEX, "00000A20", "a20"),
        (ReceiptIds.HEX_THEN_DECIMAL, "00000A20", "2592"),
        (ReceiptIds.DECIMAL_THEN_HEX, "2592", "a20"),
    ],
)
def test_the_two_ids_of_one_message_meet(ids: ReceiptIds, submitted: str, receipted: str) -> None:
    assert submitted_form(ids, submitted) == receipt_form(ids, receipted)


@pytest.mark.parametrize(
    ("ids", "submitted", "receipted"),
    [
        (ReceiptIds.AS_SENT, "Abc123", "ABC123"),
        (ReceiptIds.HEX, "0A1F", "0A20"),
        (ReceiptIds.HEX_THEN_DECIMAL, "A20", "2593"),
    ],
)
def test_the_ids_of_two_messages_stay_apart(ids: ReceiptIds, submitted: str, receipted: str) -> None:
    assert submitted_form(ids, submitted) != receipt_form(ids, receipted)


@pytest.mark.parametrize("ids", list(ReceiptIds))
def test_an_id_that_is_no_number_is_kept_as_it_is(ids: ReceiptIds) -> None:
    assert submitted_form(ids, "unreadable:x-y") == receipt_form(ids, "unreadable:x-y")
    assert submitted_form(ids, "") == ""
    for odd in ("0x1f", "1_000", " 12", "-5", "١٢"):
        assert receipt_form(ReceiptIds.HEX_THEN_DECIMAL, odd) == odd
        assert submitted_form(ReceiptIds.HEX, odd) == odd
