"""Receipts and replies from every bind, stored before they are acknowledged.

The SMPP client hands over the deliver_sm it read together and answers them only when the
handler returns, so a receipt is acknowledged to the carrier only once `ReceiptStore.apply` has
committed it (receipts arriving at once on every bind share one database job; a receipt that
overtakes the write of its submission is stored by that write, see `InFlight`). If storing
fails, the handler raises and the client answers ESME_RX_T_APPN: the carrier delivers again.
The one exception is a reply the database refuses for what it holds (a data error, not a lost
connection): it would be refused at every redelivery, and take the receipts read with it, so that
reply alone is answered ESME_RX_P_APPN and the rest of the batch is stored as usual.

What a deliver_sm is comes from the message type in its esm_class (SMPP 3.4 §5.2.12): 0 is a reply
(mobile originated), 0x04 a delivery receipt. Any other type (SME acknowledgements, intermediate
notifications) is acknowledged and logged, never stored as a reply.

A reply longer than one SMS comes as parts, each a deliver_sm with a concatenation header (UDHI
set, IEI 0x00 or 0x08) or the sar_* TLVs. Each part is decoded on its own and stored as a part
(`ReplyPartStore`, ADR 0010): acknowledged once it is held durably, and the reply is stored whole,
once, with the part that completes it. A reply in one deliver_sm takes the same path as always.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Protocol, TypeVar

import structlog
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError

from smscloud.adapters.carriers.in_flight import InFlight
from smscloud.adapters.carriers.smpp_client import DeliverBatchHandler
from smscloud.domain.carriers.message_ids import ReceiptIds, receipt_form
from smscloud.domain.messages.ports import ReceiptStore
from smscloud.domain.messages.receipts import Receipt, status_from_receipt
from smscloud.domain.messages.replies import ReplyPart, ReplyPartStore
from smscloud.domain.shared.clock import Clock
from smscloud.protocols.smpp import (
    ESM_CLASS_MESSAGE_TYPE_MASK,
    STAT_BY_STATE,
    CommandStatus,
    ConcatInfo,
    DeliverSm,
    EsmClass,
    MessageState,
    PduError,
    TextCodingError,
    TlvError,
    concat_info,
    decode_text,
    parse_receipt,
    parse_udh,
    state_for_stat,
)

__all__ = ["MAX_CARRIER_MSG_ID", "IntakeStore", "ReceiptIntake", "receipt_from_pdu"]

log = structlog.get_logger(__name__)

T = TypeVar("T")

MAX_CARRIER_MSG_ID = 64
"""A submit_sm_resp's message_id is a C-Octet String of at most 65 octets, NUL included (SMPP 3.4
§4.4.2); a receipt naming a longer id is for no message of ours (and would not fit the column)."""

_OK = int(CommandStatus.ESME_ROK)
_REPLY_REFUSED = int(CommandStatus.ESME_RX_P_APPN)  # permanent: the carrier should not deliver it again
_REPLY = int(EsmClass.DEFAULT)
_RECEIPT = int(EsmClass.DELIVERY_RECEIPT)
_STATES = frozenset(int(state) for state in MessageState)
_ASCII_CODINGS = frozenset({0, 1, 3})  # receipt text is ASCII in practice under these
# C0 controls but \t, \n and \r: PostgreSQL text cannot hold a NUL, and none of them is text.
_CONTROLS = {code: "\ufffd" for code in range(0x20) if chr(code) not in "\t\n\r"}
# SQLSTATE classes of errors about the values themselves: data exception, integrity violation.
_DATA_SQLSTATE_CLASSES = frozenset({"22", "23"})


def _receipt_text(pdu: DeliverSm) -> str:
    payload = pdu.payload
    if pdu.data_coding in _ASCII_CODINGS and payload.isascii():
        return payload.decode("ascii")
    try:
        return decode_text(payload, pdu.data_coding, errors="replace")
    except ValueError:  # an alphabet we do not decode
        return payload.decode("latin-1")


def _read_reply(pdu: DeliverSm) -> tuple[str, ConcatInfo | None]:
    """A reply's text, and its place in a concatenated reply (None: it is whole in itself).

    The text is decoded by its data_coding (0 is the GSM 03.38 default alphabet, one septet per
    octet; only 1 is ASCII), after its user data header when UDHI is set. Control characters other
    than tab and line breaks become U+FFFD, so that the text can always be stored. The place comes
    from the header's concatenation element, else from the sar_* TLVs; one that is malformed or
    says "1 of 1" makes the deliver_sm a reply on its own (as does a header that does not parse,
    whose octets are then all kept as text).
    """
    payload = pdu.payload
    concat: ConcatInfo | None = None
    if pdu.has_udh:
        try:
            elements, payload = parse_udh(payload)
        except TextCodingError:  # UDHI set, but no valid header: keep every octet
            elements = []
        concat = concat_info(elements)
    if concat is None:
        concat = _sar(pdu)
    if concat is not None and not (concat.total >= 2 and 1 <= concat.sequence <= concat.total):
        concat = None
    try:
        text = decode_text(payload, pdu.data_coding, errors="replace")
    except ValueError:  # binary data, or an alphabet we do not decode
        text = payload.decode("latin-1")
    return text.translate(_CONTROLS), concat


def _sar(pdu: DeliverSm) -> ConcatInfo | None:
    try:
        return pdu.sar
    except TlvError as error:
        log.warning("reply.malformed_sar", source_addr=pdu.source_addr, error=str(error))
        return None


def _is_data_error(error: BaseException) -> bool:
    """The database refused the values themselves, so storing them again can never succeed.

    False for everything else (the database is down, the connection broke, a bug): refusing the
    whole batch, for the carrier to deliver it again later, is then the right answer.
    """
    if isinstance(error, DataError | IntegrityError):
        return True
    if not isinstance(error, DBAPIError) or error.connection_invalidated:
        return False
    # asyncpg's errors reach SQLAlchemy as plain DBAPIError: the SQLSTATE tells what they are.
    sqlstate = getattr(error.orig, "sqlstate", None) or getattr(error.orig, "pgcode", None)
    return isinstance(sqlstate, str) and sqlstate[:2] in _DATA_SQLSTATE_CLASSES


@dataclass(frozen=True, slots=True)
class _Report:
    """What a receipt says, final or not."""

    carrier_msg_id: str
    stat: str  # the text's word, or the TLV state's when the TLV says otherwise
    message_state: int | None  # the message_state TLV, when present and valid
    err: str

    def receipt(self, carrier_id: int, now: datetime) -> Receipt | None:
        status = status_from_receipt(self.stat, self.message_state)
        if status is None:
            return None
        return Receipt(carrier_id, self.carrier_msg_id, status, self.stat.upper()[:16], self.err[:16], now)


def _read_receipt(pdu: DeliverSm, text: str) -> _Report | None:
    """The id and state a receipt carries, from its TLVs or else its text; None when it has no id
    or no state we can read.

    The message_state TLV decides the state (see `status_from_receipt`). A malformed TLV is passed
    over when the text says the same thing; its `TlvError` is raised only when the text cannot.
    """
    parsed = parse_receipt(text)
    text_id = parsed.message_id.strip() if parsed is not None else ""
    text_stat = parsed.stat.strip() if parsed is not None else ""
    text_state = state_for_stat(text_stat)
    tlv_id = _tlv(lambda: pdu.receipted_message_id, text_can_stand_in=bool(text_id))
    state = _tlv(lambda: pdu.message_state, text_can_stand_in=text_state is not None)
    if state not in _STATES:
        state = None
    carrier_msg_id = (tlv_id or "").strip() or text_id
    if not carrier_msg_id or (state is None and text_state is None):
        return None
    if len(carrier_msg_id) > MAX_CARRIER_MSG_ID:  # no submit_sm_resp can have given it to a message
        return None
    stat = text_stat if state is None or state == text_state else STAT_BY_STATE[MessageState(state)]
    return _Report(carrier_msg_id, stat, state, parsed.err if parsed is not None else "")


def _tlv(read: Callable[[], T | None], *, text_can_stand_in: bool) -> T | None:
    """A TLV's value; None when it is malformed and the receipt text says what it would have."""
    try:
        return read()
    except TlvError:
        if not text_can_stand_in:
            raise
        return None


def receipt_from_pdu(carrier_id: int, pdu: DeliverSm, now: datetime) -> Receipt | None:
    """The final receipt a deliver_sm carries, or None (intermediate, or not a receipt we can read).

    Raises `PduError` when a TLV is malformed and the text cannot stand in for it (the client
    answers with its status).
    """
    report = _read_receipt(pdu, _receipt_text(pdu))
    return None if report is None else report.receipt(carrier_id, now)


class IntakeStore(ReceiptStore, ReplyPartStore, Protocol):
    """Where the intake stores what it reads: receipts, replies, and the parts of long replies."""


class ReceiptIntake:
    def __init__(self, store: IntakeStore, clock: Clock, in_flight: InFlight | None = None) -> None:
        self._store = store
        self._clock = clock
        self.in_flight = in_flight or InFlight()

    def handler_for(self, carrier_id: int, *, receipt_ids: ReceiptIds = ReceiptIds.AS_SENT) -> DeliverBatchHandler:
        """The deliver_sm handler of one carrier, whose receipts write ids as `receipt_ids` says."""

        async def handle(pdus: Sequence[DeliverSm]) -> list[int]:
            now = self._clock.now()
            statuses = [_OK] * len(pdus)
            receipts: list[Receipt] = []
            for index, pdu in enumerate(pdus):
                message_type = pdu.esm_class & ESM_CLASS_MESSAGE_TYPE_MASK
                if message_type == _REPLY:
                    statuses[index] = await self._store_reply(carrier_id, pdu, now)
                elif message_type == _RECEIPT:
                    try:
                        receipt = self._receipt(carrier_id, pdu, now, receipt_ids)
                    except PduError as error:
                        statuses[index] = error.command_status
                        log.warning("receipt.malformed", carrier_id=carrier_id, error=str(error))
                        continue
                    if receipt is not None:
                        receipts.append(receipt)
                else:
                    log.info(
                        "deliver.not_stored",
                        carrier_id=carrier_id,
                        esm_class=f"0x{pdu.esm_class:02x}",
                        source_addr=pdu.source_addr,
                        reason="neither a reply nor a delivery receipt",
                    )
            if receipts:
                await self._apply(receipts, carrier_id, now)
            return statuses

        return handle

    async def _store_reply(self, carrier_id: int, pdu: DeliverSm, now: datetime) -> int:
        """Store one reply, or one part of a long one; the status to answer it with. Raises when
        the database is unavailable."""
        text, concat = _read_reply(pdu)
        try:
            if concat is None:
                await self._store.store_reply(
                    carrier_id=carrier_id,
                    source_addr=pdu.source_addr,
                    destination_addr=pdu.destination_addr,
                    text=text,
                    now=now,
                )
            else:
                part = ReplyPart(
                    carrier_id=carrier_id,
                    source_addr=pdu.source_addr,
                    destination_addr=pdu.destination_addr,
                    reference=concat.reference,
                    total=concat.total,
                    number=concat.sequence,
                    text=text,
                )
                outcome = await self._store.store_reply_part(part=part, now=now)
                log.debug(
                    "reply.part", carrier_id=carrier_id, part=f"{part.number}/{part.total}", outcome=outcome.value
                )
        except Exception as error:
            if not _is_data_error(error):
                raise
            log.error(
                "reply.refused_by_database",
                carrier_id=carrier_id,
                source_addr=pdu.source_addr,
                text=text[:160],
                error=str(error),
            )
            return _REPLY_REFUSED
        return _OK

    def _receipt(
        self, carrier_id: int, pdu: DeliverSm, now: datetime, receipt_ids: ReceiptIds = ReceiptIds.AS_SENT
    ) -> Receipt | None:
        """The final receipt in ``pdu``, its id in the form its message's was stored in, or None
        (logged). Raises `PduError` like `receipt_from_pdu`."""
        text = _receipt_text(pdu)
        report = _read_receipt(pdu, text)
        if report is not None and receipt_ids is not ReceiptIds.AS_SENT:
            report = replace(report, carrier_msg_id=receipt_form(receipt_ids, report.carrier_msg_id))
        if report is None:
            # Acknowledged all the same (the carrier would only send it again), but worth an
            # operator's look: a carrier whose receipts we cannot read leaves messages unfinished.
            log.warning("receipt.unreadable", carrier_id=carrier_id, text=text[:500], tlvs=len(pdu.tlvs))
            return None
        receipt = report.receipt(carrier_id, now)
        if receipt is None:
            log.info("receipt.not_final", carrier_id=carrier_id, carrier_msg_id=report.carrier_msg_id, stat=report.stat)
        return receipt

    async def _apply(self, receipts: list[Receipt], carrier_id: int, now: datetime) -> None:
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
