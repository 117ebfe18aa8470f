"""Test numbers: what the simulator does with a submit_sm, chosen by its destination.

The outcome depends only on the **last seven digits** of destination_addr. Everything that is not a
digit (``+``, spaces, dashes) is ignored, so any country's numbers work: ``+8613800000002``,
``8613800000002``, ``13800000002`` and ``+447700000002`` all end in ``0000002``.

=============  ==============  =========================================  ===========================
last 7 digits  example         submit_sm_resp                             receipt (deliver_sm)
=============  ==============  =========================================  ===========================
``0000001``    +8613800000001  ESME_ROK                                   ``stat:DELIVRD err:000``, 2
``0000002``    +8613800000002  ESME_ROK                                   ``stat:UNDELIV err:001``, 5
``0000003``    +8613800000003  ESME_ROK                                   ``stat:REJECTD err:002``, 8
``0000004``    +8613800000004  ESME_ROK                                   ``stat:EXPIRED err:003``, 3
``0000005``    +8613800000005  ESME_ROK                                   none, ever
``0000006``    +8613800000006  ESME_RTHROTTLED to the first 2 attempts    ``stat:DELIVRD err:000``, 2
                               of one (destination, text); ESME_ROK to
                               the 3rd
``0000007``    +8613800000007  ESME_RINVDSTADR (a permanent refusal)      none
``0000008``    +8613800000008  ESME_ROK                                   ``stat:DELIVRD err:000``, 2;
                                                                          then the handset replies
                                                                          "收到，谢谢" (a deliver_sm
                                                                          with esm_class 0)
``0000009``    +8613800000009  ESME_ROK                                   ``stat:DELIVRD err:000``, 2;
                                                                          then the handset replies
                                                                          `LONG_REPLY_TEXT` (75
                                                                          characters: two deliver_sm,
                                                                          UCS-2, each with a
                                                                          concatenation UDH)
any other      +8613812345678  ESME_ROK                                   ``stat:DELIVRD err:000``, 2
no digits      (empty)         ESME_RINVDSTADR                            none
=============  ==============  =========================================  ===========================

The number after each receipt is its message_state TLV (`MessageState`: 2 DELIVERED, 3 EXPIRED,
5 UNDELIVERABLE, 8 REJECTED). A receipt is sent only when the submit_sm's registered_delivery asks
for one: 0x01 for every final outcome, 0x02 for failures only. Failed receipts also carry a
network_error_code TLV (GSM, the ``err`` number). Receipts arrive after the configured
``receipt_delay_s``; each part of a concatenated message (UDH or sar_* TLVs) is a submit of its own,
with its own message_id and its own receipt. A handset replies once to a concatenated message,
after its last part.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from smscloud.protocols.smpp import STAT_BY_STATE, CommandStatus, MessageState, RegisteredDelivery

__all__ = [
    "DEFAULT_SCENARIO",
    "LONG_REPLY_TEXT",
    "NO_DESTINATION",
    "REPLY_TEXT",
    "SCENARIOS",
    "ReceiptOutcome",
    "Scenario",
    "number_suffix",
    "scenario_for",
    "wants_receipt",
]

SUFFIX_LENGTH = 7
REPLY_TEXT = "收到，谢谢"
"""What the handset of test number …0000008 answers."""
LONG_REPLY_TEXT = (
    "您好，短信已收到。请问这次的订单能不能改到本周六上午十点以后再送？"
    "如果周六不方便，周日全天我都在家，也可以直接放在小区门口的快递柜里。麻烦您了，谢谢！"
)
"""What the handset of test number …0000009 answers: longer than one SMS (70 UCS-2 characters), so
it comes as a concatenated reply of two parts."""


@dataclass(frozen=True, slots=True)
class ReceiptOutcome:
    """The final state a receipt reports, and its ``err`` value (three digits)."""

    state: MessageState
    err: str = "000"

    @property
    def stat(self) -> str:
        """The receipt's 7-letter ``stat`` word (DELIVRD, UNDELIV, ...)."""
        return STAT_BY_STATE[self.state]

    @property
    def delivered(self) -> bool:
        return self.state is MessageState.DELIVERED


@dataclass(frozen=True, slots=True)
class Scenario:
    """What happens to a submit_sm: its response status, throttling, and the receipt (None: none)."""

    name: str
    receipt: ReceiptOutcome | None
    submit_status: CommandStatus = CommandStatus.ESME_ROK
    throttled_attempts: int = 0  # attempts of one (destination, text) answered ESME_RTHROTTLED first
    reply: str | None = None  # what the handset answers after the receipt (a mobile-originated message)


_DELIVERED = ReceiptOutcome(MessageState.DELIVERED)

DEFAULT_SCENARIO = Scenario("delivered", _DELIVERED)
"""Any destination that is not a test number: accepted, then delivered."""

NO_DESTINATION = Scenario("no destination", None, submit_status=CommandStatus.ESME_RINVDSTADR)
"""A destination_addr without a single digit."""

SCENARIOS: Mapping[str, Scenario] = MappingProxyType(
    {
        "0000001": Scenario("delivered", _DELIVERED),
        "0000002": Scenario("undeliverable", ReceiptOutcome(MessageState.UNDELIVERABLE, "001")),
        "0000003": Scenario("rejected", ReceiptOutcome(MessageState.REJECTED, "002")),
        "0000004": Scenario("expired", ReceiptOutcome(MessageState.EXPIRED, "003")),
        "0000005": Scenario("no receipt", None),
        "0000006": Scenario("throttled twice", _DELIVERED, throttled_attempts=2),
        "0000007": Scenario("refused", None, submit_status=CommandStatus.ESME_RINVDSTADR),
        "0000008": Scenario("delivered, then replied to", _DELIVERED, reply=REPLY_TEXT),
        "0000009": Scenario("delivered, then replied to at length", _DELIVERED, reply=LONG_REPLY_TEXT),
    }
)
"""The test numbers, by the last seven digits of the destination (see the module docstring)."""

_DIGITS = frozenset("0123456789")


def number_suffix(destination_addr: str) -> str:
    """The last seven ASCII digits of ``destination_addr`` (fewer when it has fewer)."""
    plain = destination_addr.lstrip("+")
    if plain.isascii() and plain.isdigit():  # the usual case, fast
        return plain[-SUFFIX_LENGTH:]
    digits = "".join(char for char in destination_addr if char in _DIGITS)
    return digits[-SUFFIX_LENGTH:]


def scenario_for(destination_addr: str) -> Scenario:
    """The `Scenario` for a submit_sm to ``destination_addr``."""
    suffix = number_suffix(destination_addr)
    if not suffix:
        return NO_DESTINATION
    return SCENARIOS.get(suffix, DEFAULT_SCENARIO)


def wants_receipt(registered_delivery: int, outcome: ReceiptOutcome) -> bool:
    """Whether registered_delivery asks for a receipt with this outcome (§5.2.17, bits 0-1).

    0x01 asks for every final outcome, 0x02 for failures only; 0x03 is reserved and read as 0x01.
    """
    mode = registered_delivery & 0x03
    if mode == RegisteredDelivery.SMSC_RECEIPT_ON_FAILURE:
        return not outcome.delivered
    return mode != 0
