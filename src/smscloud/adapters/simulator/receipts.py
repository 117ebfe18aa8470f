"""Delivery receipts: building the deliver_sm, and holding it until a receiver acknowledges it.

A receipt lives in the `ReceiptStore` from the submit_sm that asked for it until a deliver_sm_resp
with ESME_ROK answers it. Meanwhile it is, in turn:

* **scheduled**: waiting for its due time (``receipt_delay_s``, or a retry backoff);
* **routed** to a receiver or transceiver session bound with the same system_id: the session the
  submit came on when it can receive, else the least loaded other one. The session sends it when
  its window has room (`ReceiptSink.offer`);
* **waiting**, when no such session is bound, in memory until one binds, like a real SMSC;
* **in flight** until the deliver_sm_resp. A non-OK response, a generic_nack or a timeout sends it
  back to *scheduled* with a backoff (doubling, capped); a session that closes hands its unanswered
  receipts back to be routed again at once.

At most ``max_pending`` receipts are held; beyond that the oldest is dropped (and logged). Receipts
are kept in memory only: a restart of the simulator loses them, as the ledger does not.
"""

from __future__ import annotations

import asyncio
import functools
import heapq
import itertools
import re
import string
import struct
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

import structlog

from smscloud.adapters.simulator.scenarios import ReceiptOutcome
from smscloud.adapters.simulator.stats import Counters
from smscloud.domain.messages.segments import Alphabet, is_gsm7, segment
from smscloud.protocols.smpp import (
    MESSAGE_STATE,
    NETWORK_ERROR_CODE,
    RECEIPTED_MESSAGE_ID,
    DataCoding,
    DeliverSm,
    DeliveryReceipt,
    EsmClass,
    NetworkErrorCode,
    SubmitSm,
    Tlv,
    build_concat_udh,
    encode_text,
    format_receipt,
    receipt_date,
)

__all__ = [
    "RECEIPT_TEXT_LENGTH",
    "PendingReceipt",
    "ReceiptSink",
    "ReceiptStore",
    "receipt_pdu",
    "receipt_text",
    "reply_pdu",
    "reply_pdus",
    "with_sequence",
]

log = structlog.get_logger(__name__)

RECEIPT_TEXT_LENGTH = 20
"""How many characters of the message a receipt's ``text:`` carries (SMPP 3.4 appendix B)."""

GSM_NETWORK = 3
"""network_type of the network_error_code TLV for GSM (§5.3.2.31)."""

# Characters that are the same octet in ASCII and in the GSM 03.38 default alphabet, so a receipt
# reads the same whichever of the two the client decodes data_coding 0 with. Others become '?'.
_SAME_IN_ASCII_AND_GSM = frozenset(
    char
    for char in string.printable
    if char.isprintable() and encode_text(char, DataCoding.DEFAULT, errors="ignore") == char.encode()
)

_DROP_LOG_EVERY = 10_000
_SEQUENCE = struct.Struct(">I")


_NOT_SAME = re.compile("[^" + re.escape("".join(sorted(_SAME_IN_ASCII_AND_GSM))) + "]")


def receipt_text(text: str) -> str:
    """The first characters of a message as a receipt's ``text:`` shows them (see above)."""
    return _NOT_SAME.sub("?", text[:RECEIPT_TEXT_LENGTH])


@functools.lru_cache(maxsize=8)
def _minute_stamp(minute: datetime) -> str:
    """`receipt_date` of a whole minute: receipts come in runs within the same minute."""
    return receipt_date(minute)


def receipt_pdu(
    *,
    message_id: str,
    submit: SubmitSm,
    outcome: ReceiptOutcome,
    text: str,
    submitted_at: datetime,
    done_at: datetime,
) -> DeliverSm:
    """The deliver_sm reporting ``outcome`` for the submit_sm that got ``message_id``.

    The addresses are the submit's, swapped; esm_class says "SMSC delivery receipt"; the
    short_message is the appendix B text (dates in the time zone of the datetimes given); the TLVs
    are receipted_message_id, message_state, and for a failure network_error_code.
    """
    submit_date = _minute_stamp(submitted_at.replace(second=0, microsecond=0))
    receipt = DeliveryReceipt(
        message_id=message_id,
        stat=outcome.stat,
        submitted="001",
        delivered="001" if outcome.delivered else "000",
        submit_date=submit_date,
        done_date=submit_date if done_at == submitted_at else _minute_stamp(done_at.replace(second=0, microsecond=0)),
        err=outcome.err,
        text=receipt_text(text),
    )
    tlvs: tuple[Tlv, ...] = (
        RECEIPTED_MESSAGE_ID.encode(message_id),
        MESSAGE_STATE.encode(outcome.state),
    )
    if not outcome.delivered:
        tlvs += (NETWORK_ERROR_CODE.encode(NetworkErrorCode(GSM_NETWORK, int(outcome.err))),)
    return _answering(
        submit,
        esm_class=EsmClass.DELIVERY_RECEIPT,
        data_coding=DataCoding.DEFAULT,
        short_message=format_receipt(receipt).encode("ascii"),
        tlvs=tlvs,
    )


def reply_pdu(*, submit: SubmitSm, text: str) -> DeliverSm:
    """The deliver_sm of a handset answering the submit_sm: a mobile-originated message (esm_class
    0) from the submit's destination to its source (the long number, extension code included), in
    the GSM default alphabet where the text allows, else UCS-2."""
    try:
        data_coding, payload = DataCoding.DEFAULT, encode_text(text, DataCoding.DEFAULT)
    except ValueError:
        data_coding, payload = DataCoding.UCS2, encode_text(text, DataCoding.UCS2)
    return _answering(submit, esm_class=EsmClass.DEFAULT, data_coding=data_coding, short_message=payload)


def reply_pdus(*, submit: SubmitSm, text: str, reference: int) -> list[DeliverSm]:
    """The deliver_sm a handset's answer arrives as: one (`reply_pdu`) when the text fits a single
    SMS, else one per part, cut as a handset cuts it (GSM 7-bit 153 / UCS-2 67 characters, never
    inside one), each with a concatenation header (IEI 0x00: ``reference`` & 0xFF, an 8-bit reference
    as handsets use) and UDHI set."""
    alphabet = Alphabet.GSM7 if is_gsm7(text) else Alphabet.UCS2
    parts = segment(text, alphabet).parts
    if len(parts) == 1:
        return [reply_pdu(submit=submit, text=text)]
    data_coding = DataCoding.DEFAULT if alphabet is Alphabet.GSM7 else DataCoding.UCS2
    return [
        _answering(
            submit,
            esm_class=EsmClass.DEFAULT | EsmClass.UDHI,
            data_coding=data_coding,
            short_message=build_concat_udh(reference & 0xFF, len(parts), number) + encode_text(part, data_coding),
        )
        for number, part in enumerate(parts, start=1)
    ]


def _answering(
    submit: SubmitSm, *, esm_class: int, data_coding: int, short_message: bytes, tlvs: tuple[Tlv, ...] = ()
) -> DeliverSm:
    """A deliver_sm going back the way the submit_sm came: its addresses swapped."""
    return DeliverSm(
        source_addr_ton=submit.dest_addr_ton,
        source_addr_npi=submit.dest_addr_npi,
        source_addr=submit.destination_addr,
        dest_addr_ton=submit.source_addr_ton,
        dest_addr_npi=submit.source_addr_npi,
        destination_addr=submit.source_addr,
        esm_class=esm_class,
        data_coding=data_coding,
        short_message=short_message,
        tlvs=tlvs,
    )


def with_sequence(frame: bytes, sequence: int) -> bytes:
    """An encoded PDU with its sequence_number (header bytes 12-15) replaced."""
    return frame[:12] + _SEQUENCE.pack(sequence) + frame[16:]


@dataclass(slots=True, eq=False)
class PendingReceipt:
    """One receipt on its way: its deliver_sm, encoded once (sequence_number 0, set by `with_sequence`
    at each sending), and where it goes."""

    message_id: str
    system_id: str
    origin: int  # session_id of the session the submit_sm came on
    frame: bytes
    failures: int = 0  # deliveries that were refused or timed out so far
    last_session: int | None = None  # session_id of the session it was last sent on
    done: bool = False  # acknowledged or dropped: skip it wherever it still sits


class ReceiptSink(Protocol):
    """A bound receiver or transceiver session, as the store sees it."""

    @property
    def session_id(self) -> int: ...

    @property
    def system_id(self) -> str: ...

    def load(self) -> int:
        """Receipts this session holds (in flight and queued): routing picks the least loaded."""
        ...

    def offer(self, receipt: PendingReceipt) -> None:
        """Send ``receipt`` now if the window has room, else queue it in the session."""
        ...


class ReceiptStore:
    """Every pending receipt: scheduling, routing to sessions, retries, the cap. One event loop."""

    def __init__(
        self,
        *,
        loop: asyncio.AbstractEventLoop,
        counters: Counters,
        max_pending: int,
        retry_base_s: float,
        retry_max_s: float,
    ) -> None:
        self._loop = loop
        self._counters = counters
        self._max_pending = max_pending
        self._retry_base_s = retry_base_s
        self._retry_max_s = retry_max_s
        self._pending: dict[str, PendingReceipt] = {}  # by message_id, oldest first
        self._heap: list[tuple[float, int, PendingReceipt]] = []
        self._tiebreak = itertools.count()
        self._timer: asyncio.TimerHandle | None = None
        self._timer_at = 0.0
        self._sinks: dict[str, dict[int, ReceiptSink]] = {}
        self._waiting: dict[str, deque[PendingReceipt]] = {}
        self._closed = False

    def __len__(self) -> int:
        return len(self._pending)

    def add(self, receipt: PendingReceipt, delay_s: float) -> None:
        """Hold ``receipt`` and route it after ``delay_s`` seconds (at once when 0)."""
        if self._closed:
            return
        self._counters.receipts_scheduled += 1
        if len(self._pending) >= self._max_pending:
            self._drop_oldest()
        self._pending[receipt.message_id] = receipt
        if delay_s <= 0:
            self._route(receipt)
        else:
            self._schedule(receipt, self._loop.time() + delay_s)

    def acked(self, receipt: PendingReceipt) -> None:
        """The receipt was answered with ESME_ROK: forget it."""
        if self._forget(receipt):
            self._counters.receipts_acked += 1

    def refused(self, receipt: PendingReceipt) -> None:
        """The receipt was refused for good (ESME_RX_P_APPN, ESME_RX_R_APPN): forget it, as an
        SMSC does, rather than deliver it again for ever."""
        if self._forget(receipt):
            self._counters.receipts_refused += 1

    def _forget(self, receipt: PendingReceipt) -> bool:
        """Mark `receipt` done; False if it was already."""
        if receipt.done:
            return False
        receipt.done = True
        self._pending.pop(receipt.message_id, None)
        return True

    def failed(self, receipt: PendingReceipt) -> None:
        """The receipt was refused or not answered in time: send it again after a backoff."""
        if receipt.done or self._closed:
            return
        self._counters.receipts_retried += 1
        receipt.failures += 1
        exponent = min(receipt.failures - 1, 30)
        delay = min(self._retry_base_s * 2.0**exponent, self._retry_max_s)
        self._schedule(receipt, self._loop.time() + delay)

    def attach(self, sink: ReceiptSink) -> None:
        """A session bound as receiver or transceiver: route receipts to it from now on."""
        self._sinks.setdefault(sink.system_id, {})[sink.session_id] = sink

    def detach(self, sink: ReceiptSink, unanswered: Iterable[PendingReceipt]) -> None:
        """A session is gone: route the receipts it had not got answered to the others (or wait)."""
        sinks = self._sinks.get(sink.system_id)
        if sinks is not None:
            sinks.pop(sink.session_id, None)
            if not sinks:
                del self._sinks[sink.system_id]
        for receipt in unanswered:
            if not receipt.done and not self._closed:
                self._route(receipt)

    def take_waiting(self, system_id: str) -> PendingReceipt | None:
        """The oldest receipt waiting for a session of ``system_id``, or None."""
        queue = self._waiting.get(system_id)
        while queue:
            receipt = queue.popleft()
            if not receipt.done:
                return receipt
        if queue is not None:
            del self._waiting[system_id]
        return None

    def close(self) -> None:
        """Stop: cancel the timer and forget every pending receipt."""
        self._closed = True
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        for receipt in self._pending.values():
            receipt.done = True
        self._pending.clear()
        self._heap.clear()
        self._waiting.clear()
        self._sinks.clear()

    # Internals.

    def _route(self, receipt: PendingReceipt) -> None:
        sinks = self._sinks.get(receipt.system_id)
        if sinks:
            # First to the session that submitted the message; a retry to another session if there
            # is one (the last may be stuck while another reads), the least loaded.
            sink = sinks.get(receipt.origin) if receipt.failures == 0 else None
            if sink is None:
                sink = min(sinks.values(), key=lambda s: (s.session_id == receipt.last_session, s.load()))
            sink.offer(receipt)
            return
        queue = self._waiting.get(receipt.system_id)
        if queue is None:
            queue = self._waiting[receipt.system_id] = deque()
        queue.append(receipt)
        while queue and queue[0].done:  # dropped receipts at the head: let them go now
            queue.popleft()

    def _schedule(self, receipt: PendingReceipt, due: float) -> None:
        heapq.heappush(self._heap, (due, next(self._tiebreak), receipt))
        if self._timer is None or due < self._timer_at:
            self._arm()

    def _arm(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self._heap and not self._closed:
            self._timer_at = self._heap[0][0]
            self._timer = self._loop.call_at(self._timer_at, self._on_timer)

    def _on_timer(self) -> None:
        self._timer = None
        horizon = self._loop.time() + 0.001
        heap = self._heap
        while heap and heap[0][0] <= horizon:
            receipt = heapq.heappop(heap)[2]
            if not receipt.done:
                self._route(receipt)
        self._arm()

    def _drop_oldest(self) -> None:
        message_id = next(iter(self._pending))
        receipt = self._pending.pop(message_id)
        receipt.done = True
        self._counters.receipts_dropped += 1
        dropped = self._counters.receipts_dropped
        if dropped == 1 or dropped % _DROP_LOG_EVERY == 0:
            log.warning(
                "simulator.receipt_dropped",
                message_id=message_id,
                system_id=receipt.system_id,
                max_pending=self._max_pending,
                dropped_so_far=dropped,
            )
