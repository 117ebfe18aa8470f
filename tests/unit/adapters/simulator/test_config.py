from __future__ import annotations

import math

import pytest

from smscloud.adapters.simulator import SimulatorConfig


def test_defaults_and_credentials_as_tuples() -> None:
    config = SimulatorConfig(credentials=[("esme1", "secret1")])
    assert config.credentials == (("esme1", "secret1"),)
    assert config.port == 2775
    assert config.ledger_path is None
    assert (config.enquire_link_s, config.idle_timeout_s) == (30.0, 90.0)


def test_link_liveness_can_be_turned_off() -> None:
    config = SimulatorConfig(credentials=[("esme1", "secret1")], enquire_link_s=0, idle_timeout_s=0)
    assert (config.enquire_link_s, config.idle_timeout_s) == (0, 0)
    only_idle = SimulatorConfig(credentials=[("esme1", "secret1")], enquire_link_s=0, idle_timeout_s=5)
    assert only_idle.idle_timeout_s == 5


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"credentials": []}, "at least one"),
        ({"credentials": [("esme1", "simulator")]}, "at most 8"),  # 9 characters: not SMPP 3.4
        ({"credentials": [("a" * 16, "x")]}, "system_id"),
        ({"credentials": [("", "x")]}, "system_id"),
        ({"credentials": [("esme1", "密码")]}, "Latin-1"),
        ({"port": 70000}, "port"),
        ({"receipt_delay_s": -1.0}, "receipt_delay_s"),
        ({"receipt_jitter_s": math.nan}, "receipt_jitter_s"),
        ({"receipt_response_timeout_s": 0.0}, "receipt_response_timeout_s"),
        ({"max_pending_receipts": 0}, "max_pending_receipts"),
        ({"receipt_window": 0}, "receipt_window"),
        ({"smsc_system_id": "x" * 16}, "smsc_system_id"),
        ({"enquire_link_s": -1.0}, "enquire_link_s"),
        ({"idle_timeout_s": math.inf}, "idle_timeout_s"),
        ({"enquire_link_s": 90.0, "idle_timeout_s": 90.0}, "shorter than idle_timeout_s"),
    ],
)
def test_invalid(overrides: dict[str, object], message: str) -> None:
    settings: dict[str, object] = {"credentials": [("esme1", "secret1")], **overrides}
    with pytest.raises(ValueError, match=message):
        SimulatorConfig(**settings)  # type: ignore[arg-type]
