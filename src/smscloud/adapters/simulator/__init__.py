"""The built-in carrier simulator: an SMSC speaking SMPP 3.4 on a TCP port, with test numbers.

`Simulator` (configured by `SimulatorConfig`) answers binds, submit_sm, enquire_link and unbind,
sends delivery receipts, and enquires silent sessions and closes dead ones; `scenarios` documents
the test numbers (``+8613800000002`` is undeliverable, and so on); `ledger` records every accepted
message part. `run_simulator` runs one until a signal.
"""

from __future__ import annotations

from smscloud.adapters.simulator.config import MAX_PASSWORD_LENGTH, MAX_SYSTEM_ID_LENGTH, SimulatorConfig
from smscloud.adapters.simulator.ledger import Ledger, LedgerConcat, LedgerEntry, read_ledger
from smscloud.adapters.simulator.message_ids import MessageIdGenerator
from smscloud.adapters.simulator.receipts import (
    RECEIPT_TEXT_LENGTH,
    PendingReceipt,
    ReceiptSink,
    ReceiptStore,
    receipt_pdu,
    receipt_text,
    with_sequence,
)
from smscloud.adapters.simulator.scenarios import (
    DEFAULT_SCENARIO,
    NO_DESTINATION,
    SCENARIOS,
    ReceiptOutcome,
    Scenario,
    number_suffix,
    scenario_for,
    wants_receipt,
)
from smscloud.adapters.simulator.server import Simulator, run_simulator
from smscloud.adapters.simulator.stats import Counters, SimulatorStats
from smscloud.adapters.simulator.throttle import AttemptCounter

__all__ = [
    "DEFAULT_SCENARIO",
    "MAX_PASSWORD_LENGTH",
    "MAX_SYSTEM_ID_LENGTH",
    "NO_DESTINATION",
    "RECEIPT_TEXT_LENGTH",
    "SCENARIOS",
    "AttemptCounter",
    "Counters",
    "Ledger",
    "LedgerConcat",
    "LedgerEntry",
    "MessageIdGenerator",
    "PendingReceipt",
    "ReceiptOutcome",
    "ReceiptSink",
    "ReceiptStore",
    "Scenario",
    "Simulator",
    "SimulatorConfig",
    "SimulatorStats",
    "number_suffix",
    "read_ledger",
    "receipt_pdu",
    "receipt_text",
    "run_simulator",
    "scenario_for",
    "wants_receipt",
    "with_sequence",
]
