"""Receipts and replies from every bind, stored before they are acknowledged.

The SMPP client hands over the deliver_sm it read together and answers them only when the
handler returns, so a receipt is acknowledged to the carrier only once `ReceiptStore.apply` has
committed it (receipts arriving at once on every bind share one database job; a receipt that
overtakes the write of its submission is stored by that write, see `InFlight`). If storing
fails, the handler raises and the client answers ESME_RX_T_APPN: the carrier delivers again.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from datetime import datetime

import structlog

from smscloud.adapters.carriers.in_flight import InFlight
from smscloud.adapters.carriers.smpp_client import DeliverBatchHandler
from smscloud.domain.messages.ports import ReceiptStore
from smscloud.domain.messages.receipts import Receipt, status_from_receipt
from smscloud.domain.shared.clock import Clock
from smscloud.protocols.smpp import CommandStatus, DeliverSm, MessageState, PduError, decode_text, parse_receipt

__all__ = ["ReceiptIntake", "receipt_from_pdu"]

log = structlog.get_logger(__name__)

_OK = int(CommandStatus.ESME_ROK)
_STAT_FOR_STATE = {
    MessageState.DELIVERED: "DELIVRD",
    MessageState.EXPIRED: "EXPIRED",
    MessageState.DELETED: "DELETED",
    MessageState.UNDELIVERABLE: "UNDELIV",
    MessageState.ACCEPTED: "ACCEPTD",
    MessageState.UNKNOWN: "UNKNOWN",
    MessageState.REJECTED: "REJECTD",
    MessageState.ENROUTE: "ENROUTE",
}
_ASCII_CODINGS = frozenset({0, 1, 3})  # receipt text is ASCII in practice under these


def _text(pdu: DeliverSm) -> str:
    payload = pdu.payload
    if pdu.data_coding in _ASCII_CODINGS and payload.isascii():
        return payload.decode("ascii")
    try:
        return decode_text(payload, pdu.data_coding, errors="replace")
    except Exception:  # an alphabet we do not decode
        return payload.decode("latin-1")


def receipt_from_pdu(carrier_id: int, pdu: DeliverSm, now: datetime) -> Receipt | None:
    """The final receipt a deliver_sm carries, or None (intermediate, or not a receipt we can read).

    Raises `PduError` when a TLV is malformed (the client answers with its status).
    """
    parsed = parse_receipt(_text(pdu))
    carrier_msg_id = pdu.receipted_message_id or (parsed.message_id if parsed else "")
    state = pdu.message_state
    stat = parsed.stat if parsed and parsed.stat else ""
    if not stat and state is not None:
        with contextlib.suppress(ValueError):
            stat = _STAT_FOR_STATE[MessageState(state)]
    if not carrier_msg_id or not stat:
        return None
    status = status_from_receipt(stat, state)
    if status is None:
        return None
    err = parsed.err if parsed else ""
    return Receipt(carrier_id, carrier_msg_id.strip(), status, stat.upper()[:16], err[:16], now)


class ReceiptIntake:
    def __init__(self, store: ReceiptStore, clock: Clock, in_flight: InFlight | None = None) -> None:
        self._store = store
        self._clock = clock
        self.in_flight = in_flight or InFlight()

    def handler_for(self, carrier_id: int) -> DeliverBatchHandler:
        async def handle(pdus: Sequence[DeliverSm]) -> list[int]:
            now = self._clock.now()
            statuses = [_OK] * len(pdus)
            receipts: list[Receipt] = []
            for index, pdu in enumerate(pdus):
                if not pdu.is_receipt:
                    await self._store.store_reply(
                        carrier_id=carrier_id,
                        source_addr=pdu.source_addr,
                        destination_addr=pdu.destination_addr,
                        text=_text(pdu),
                        now=now,
                    )
                    continue
                try:
                    receipt = receipt_from_pdu(carrier_id, pdu, now)
                except PduError as error:
                    statuses[index] = error.command_status
                    log.warning("receipt.malformed", carrier_id=carrier_id, error=str(error))
                    continue
                if receipt is None:
                    log.info("receipt.ignored", carrier_id=carrier_id, text=_text(pdu)[:160])
                else:
                    receipts.append(receipt)
            if receipts:
                in_flight = self.in_flight
                handed_over: list[asyncio.Future[None]] = []
                own: list[Receipt] = []
                for receipt in receipts:
                    stored_with_submission = in_flight.hand_over(receipt)
                    if stored_with_submission is None:
                        own.append(receipt)
                    else:
                        handed_over.append(stored_with_submission)
                if own:
                    await in_flight.wait_stored(carrier_id, (r.carrier_msg_id for r in own))
                    await self._store.apply(own, now=now)
                if handed_over:
                    await asyncio.wait(handed_over)
            return statuses

        return handle
