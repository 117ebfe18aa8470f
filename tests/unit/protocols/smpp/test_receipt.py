"""Delivery receipt text: the appendix B format and the variants carriers send."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smscloud.protocols.smpp import (
    STAT_BY_STATE,
    DeliveryReceipt,
    MessageState,
    format_receipt,
    parse_receipt,
    parse_receipt_date,
    receipt_date,
    state_for_stat,
)

STANDARD = (
    "id:0123456789 sub:001 dlvrd:001 submit date:2611271200 done date:2611271201 stat:DELIVRD err:000 text:Your code"
)


def test_standard_receipt():
    receipt = parse_receipt(STANDARD)
    assert receipt == DeliveryReceipt(
        message_id="0123456789",
        submitted="001",
        delivered="001",
        submit_date="2611271200",
        done_date="2611271201",
        stat="DELIVRD",
        err="000",
        text="Your code",
    )
    assert receipt.message_state is MessageState.DELIVERED


def test_format_then_parse():
    receipt = DeliveryReceipt(
        message_id="4f2a",
        stat="UNDELIV",
        submit_date="2611271200",
        done_date="2611271230",
        err="0x0B",
        text="Hello",
    )
    text = format_receipt(receipt)
    assert text == (
        "id:4f2a sub:001 dlvrd:001 submit date:2611271200 done date:2611271230 stat:UNDELIV err:0x0B text:Hello"
    )
    assert parse_receipt(text) == receipt


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # keys in another order, upper case
        (
            "STAT:EXPIRED ID:77 ERR:001 SUB:001 DLVRD:000 SUBMIT DATE:2611271200 DONE DATE:2611280000",
            {
                "message_id": "77",
                "stat": "EXPIRED",
                "err": "001",
                "delivered": "000",
                "done_date": "2611280000",
            },
        ),
        # submit_date with an underscore and seconds, no text
        (
            "id:1 sub:001 dlvrd:001 submit_date:261127120059 done_date:261127120102 stat:DELIVRD err:0",
            {"submit_date": "261127120059", "done_date": "261127120102", "text": "", "err": "0"},
        ),
        # decimal id with leading zeros stays a string
        ("id:000000123 stat:DELIVRD", {"message_id": "000000123", "submitted": ""}),
        # hex id, Text with a capital
        ("id:A1B2C3D4 sub:1 dlvrd:1 stat:DELIVRD err:000 Text:hi", {"message_id": "A1B2C3D4", "text": "hi"}),
        # message text that contains key-like words after the real keys
        (
            "id:5 stat:DELIVRD err:000 text:id: 99 stat: x done",
            {"message_id": "5", "stat": "DELIVRD", "text": "id: 99 stat: x done"},
        ),
        # text before err: a standard key not seen yet ends the text
        ("id:5 stat:UNDELIV text:Hi there err:034", {"text": "Hi there", "err": "034"}),
        # vendor extras, trailing NUL, spaces around colons
        (
            "id : 9 sub:001 dlvrd:001 submit date:2611271200 done date:2611271201"
            " stat : REJECTD err:0 IMSI:460001 text:x\0",
            {"message_id": "9", "stat": "REJECTD", "extra": (("IMSI", "460001"),), "text": "x"},
        ),
        # extra white space between fields
        (
            "id:7   sub:001\tdlvrd:001  stat:ACCEPTD",
            {"message_id": "7", "stat": "ACCEPTD", "delivered": "001"},
        ),
    ],
)
def test_real_world_variants(text, expected):
    receipt = parse_receipt(text)
    assert receipt is not None
    for field, value in expected.items():
        assert getattr(receipt, field) == value, field


@pytest.mark.parametrize(
    "text",
    ["", "hello there", "sub:001 dlvrd:001 stat:DELIVRD", "id:123 sub:001 dlvrd:001", "id: stat:DELIVRD"],
)
def test_not_a_receipt(text):
    assert parse_receipt(text) is None


@pytest.mark.parametrize(
    ("stat", "state"),
    [
        ("DELIVRD", MessageState.DELIVERED),
        ("delivrd", MessageState.DELIVERED),
        ("UNDELIV", MessageState.UNDELIVERABLE),
        ("EXPIRED", MessageState.EXPIRED),
        ("DELETED", MessageState.DELETED),
        ("ACCEPTD", MessageState.ACCEPTED),
        ("UNKNOWN", MessageState.UNKNOWN),
        ("REJECTD", MessageState.REJECTED),
        ("ENROUTE", MessageState.ENROUTE),
        ("DELIVERED", MessageState.DELIVERED),
        ("FAILED", MessageState.UNDELIVERABLE),
        ("BOGUS", None),
    ],
)
def test_state_for_stat(stat, state):
    assert state_for_stat(stat) is state


def test_stat_table_covers_every_state():
    assert set(STAT_BY_STATE) == set(MessageState)
    assert all(len(stat) == 7 for stat in STAT_BY_STATE.values())


def test_receipt_dates():
    shanghai = timezone(timedelta(hours=8))
    assert parse_receipt_date("2611271201", shanghai) == datetime(2026, 11, 27, 12, 1, tzinfo=shanghai)
    assert parse_receipt_date("261127120159", UTC) == datetime(2026, 11, 27, 12, 1, 59, tzinfo=UTC)
    assert parse_receipt_date("2613271201", UTC) is None
    assert parse_receipt_date("26112712", UTC) is None
    assert parse_receipt_date("26112712０1", UTC) is None
    assert receipt_date(datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)) == "2601020304"


values = st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E, exclude_characters=":"), min_size=1, max_size=12)


@given(
    message_id=values,
    stat=st.sampled_from(sorted(STAT_BY_STATE.values())),
    err=values,
    text=st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=20),
)
def test_format_parse_round_trip(message_id, stat, err, text):
    receipt = DeliveryReceipt(
        message_id=message_id,
        stat=stat,
        submit_date="2611271200",
        done_date="2611271201",
        err=err,
        text=text.strip(),
    )
    assert parse_receipt(format_receipt(receipt)) == receipt


@given(st.text(max_size=200))
def test_parse_never_crashes(text):
    parse_receipt(text)
