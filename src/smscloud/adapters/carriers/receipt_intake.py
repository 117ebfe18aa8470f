"""Receipts and replies from every bind, stored in batches before they are acknowledged.

The SMPP client awaits the handler before it answers deliver_sm, so a receipt is acknowledged
to the carrier only once `ReceiptStore.apply` has committed it. Receipts arriving together (at
thousands per second under load) share one database job; if it fails, every waiting handler
raises and the client answers ESME_RX_T_APPN, so the carrier delivers them again.
"""

from __future__ import annotations

import asyncio
import contextlib

import structlog

from smscloud.adapters.carriers.smpp_client import DeliverHandler
from smscloud.domain.messages.ports import ReceiptStore
from smscloud.domain.messages.receipts import Receipt, status_from_receipt
from smscloud.domain.shared.clock import Clock
from smscloud.protocols.smpp import CommandStatus, DeliverSm, MessageState, decode_text, parse_receipt

__all__ = ["ReceiptIntake", "receipt_from_pdu"]

log = structlog.get_logger(__name__)

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


def _text(pdu: DeliverSm) -> str:
    try:
        return decode_text(pdu.payload, pdu.data_coding, errors="replace")
    except Exception:  # an alphabet we do not decode; receipts are ASCII in practice
        return pdu.payload.decode("latin-1")


def receipt_from_pdu(carrier_id: int, pdu: DeliverSm, clock: Clock) -> Receipt | None:
    """The final receipt a deliver_sm carries, or None (intermediate, or not a receipt we can read)."""
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
    return Receipt(carrier_id, carrier_msg_id.strip(), status, stat.upper()[:16], err[:16], clock.now())


class ReceiptIntake:
    def __init__(self, store: ReceiptStore, clock: Clock, *, batch: int = 1000, interval_s: float = 0.002) -> None:
        self._store = store
        self._clock = clock
        self._batch = batch
        self._interval_s = interval_s
        self._pending: list[tuple[Receipt, asyncio.Future[None]]] = []
        self._ready = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._loop(), name="receipt-intake")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        await self._flush()

    def handler_for(self, carrier_id: int) -> DeliverHandler:
        async def handle(pdu: DeliverSm) -> int:
            if pdu.is_receipt:
                receipt = receipt_from_pdu(carrier_id, pdu, self._clock)
                if receipt is None:
                    log.info("receipt.ignored", carrier_id=carrier_id, text=_text(pdu)[:160])
                    return int(CommandStatus.ESME_ROK)
                await self._put(receipt)
                return int(CommandStatus.ESME_ROK)
            await self._store.store_reply(
                carrier_id=carrier_id,
                source_addr=pdu.source_addr,
                destination_addr=pdu.destination_addr,
                text=_text(pdu),
                now=self._clock.now(),
            )
            return int(CommandStatus.ESME_ROK)

        return handle

    async def _put(self, receipt: Receipt) -> None:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._pending.append((receipt, future))
        if len(self._pending) >= self._batch:
            self._ready.set()
        if self._task is None:
            await self._flush()
        await future

    async def _loop(self) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._ready.wait(), self._interval_s)
            self._ready.clear()
            await self._flush()

    async def _flush(self) -> None:
        if not self._pending:
            return
        batch, self._pending = self._pending, []
        try:
            await asyncio.shield(self._store.apply([r for r, _ in batch], now=self._clock.now()))
        except Exception as error:
            log.exception("receipt.store_failed", receipts=len(batch))
            for _, future in batch:
                if not future.done():
                    future.set_exception(error)
            return
        for _, future in batch:
            if not future.done():
                future.set_result(None)
