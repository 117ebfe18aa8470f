"""The test-number table: which destination gets which outcome (pure functions)."""

from __future__ import annotations

import pytest

from smscloud.adapters.simulator import scenarios
from smscloud.adapters.simulator.scenarios import (
    DEFAULT_SCENARIO,
    LONG_REPLY_TEXT,
    NO_DESTINATION,
    SCENARIOS,
    ReceiptOutcome,
    number_suffix,
    scenario_for,
    wants_receipt,
)
from smscloud.protocols.smpp import CommandStatus, MessageState


@pytest.mark.parametrize(
    ("destination", "name", "submit_status", "stat", "err", "throttled"),
    [
        ("+8613800000001", "delivered", CommandStatus.ESME_ROK, "DELIVRD", "000", 0),
        ("+8613800000002", "undeliverable", CommandStatus.ESME_ROK, "UNDELIV", "001", 0),
        ("+8613800000003", "rejected", CommandStatus.ESME_ROK, "REJECTD", "002", 0),
        ("+8613800000004", "expired", CommandStatus.ESME_ROK, "EXPIRED", "003", 0),
        ("+8613800000005", "no receipt", CommandStatus.ESME_ROK, None, None, 0),
        ("+8613800000006", "throttled twice", CommandStatus.ESME_ROK, "DELIVRD", "000", 2),
        ("+8613800000007", "refused", CommandStatus.ESME_RINVDSTADR, None, None, 0),
        ("+8613812345678", "delivered", CommandStatus.ESME_ROK, "DELIVRD", "000", 0),
    ],
)
def test_table(
    destination: str,
    name: str,
    submit_status: CommandStatus,
    stat: str | None,
    err: str | None,
    throttled: int,
) -> None:
    scenario = scenario_for(destination)
    assert scenario.name == name
    assert scenario.submit_status == submit_status
    assert scenario.throttled_attempts == throttled
    if stat is None:
        assert scenario.receipt is None
    else:
        assert scenario.receipt is not None
        assert scenario.receipt.stat == stat
        assert scenario.receipt.err == err


@pytest.mark.parametrize(
    "destination",
    ["+8613800000002", "8613800000002", "13800000002", "0000002", "+44 7700 000002", "+1-202-000-0002"],
)
def test_only_the_last_seven_digits_count(destination: str) -> None:
    assert scenario_for(destination).name == "undeliverable"


@pytest.mark.parametrize("destination", ["+8613800000012", "+8613800000020", "000002", "2", "+861380000001x"])
def test_near_misses_are_delivered(destination: str) -> None:
    assert scenario_for(destination) == DEFAULT_SCENARIO


@pytest.mark.parametrize("destination", ["", "+", "SENDER", "٠٠٠٠٠٠٢"])  # Arabic-Indic digits do not count
def test_no_ascii_digit_is_no_destination(destination: str) -> None:
    assert scenario_for(destination) is NO_DESTINATION
    assert NO_DESTINATION.submit_status == CommandStatus.ESME_RINVDSTADR


def test_number_suffix() -> None:
    assert number_suffix("+86 138 0000 0003") == "0000003"
    assert number_suffix("12") == "12"
    assert number_suffix("") == ""


def test_receipt_outcomes_use_the_matching_message_state() -> None:
    states = {suffix: s.receipt.state for suffix, s in SCENARIOS.items() if s.receipt is not None}
    assert states == {
        "0000001": MessageState.DELIVERED,
        "0000002": MessageState.UNDELIVERABLE,
        "0000003": MessageState.REJECTED,
        "0000004": MessageState.EXPIRED,
        "0000006": MessageState.DELIVERED,
        "0000008": MessageState.DELIVERED,
        "0000009": MessageState.DELIVERED,
    }


def test_only_the_replying_numbers_reply() -> None:
    assert {suffix for suffix, s in SCENARIOS.items() if s.reply is not None} == {"0000008", "0000009"}
    assert SCENARIOS["0000008"].reply == "收到，谢谢"
    assert SCENARIOS["0000009"].reply == LONG_REPLY_TEXT
    assert len(LONG_REPLY_TEXT) > 70  # more than one UCS-2 SMS holds: a concatenated reply


def test_the_module_docstring_documents_every_number() -> None:
    doc = scenarios.__doc__ or ""
    for suffix, scenario in SCENARIOS.items():
        assert f"``{suffix}``    +861380{suffix}" in doc, suffix
        if scenario.receipt is not None:
            assert f"stat:{scenario.receipt.stat} err:{scenario.receipt.err}" in doc
        if scenario.submit_status != CommandStatus.ESME_ROK:
            assert scenario.submit_status.name in doc
    assert "ESME_RTHROTTLED" in doc


@pytest.mark.parametrize(
    ("registered_delivery", "delivered", "failed"),
    [(0x00, False, False), (0x01, True, True), (0x02, False, True), (0x03, True, True), (0x11, True, True)],
)
def test_wants_receipt(registered_delivery: int, delivered: bool, failed: bool) -> None:
    assert wants_receipt(registered_delivery, ReceiptOutcome(MessageState.DELIVERED)) is delivered
    assert wants_receipt(registered_delivery, ReceiptOutcome(MessageState.UNDELIVERABLE, "001")) is failed
