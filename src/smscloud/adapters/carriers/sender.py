"""A sender: one bind slot of one carrier, moving its queued messages onto the wire.

While it holds the lease of its slot, a sender
1. re-queues what a previous holder of the slot left in `submitting` (that holder is dead);
2. keeps an SMPP bind up (the client reconnects by itself);
3. claims due messages of its carrier ahead of sending them, and sends while fewer than one
   window of messages are sent and not yet recorded — so at most one window is in flight at any
   moment, the most a crash can send twice (docs/adr/0001-queue.md);
4. submits each claimed message (a long one as several parts) and records the outcome in
   batches: submitted with the carrier's ids, queued again after a transient error (throttled,
   queue full, timeout, lost link) with exponential backoff, or failed;
5. stores every receipt and reply it receives before the carrier is told they arrived (a receipt
   that overtakes the write of its submission is stored by that same write: `InFlight`);
6. reports its bind's state (bound or not, since when, the last error) when it changes and every
   `BIND_REPORT_INTERVAL`, for `smscloud status` and `/metrics`.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import itertools
import random
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import structlog

from smscloud.adapters.carriers.outbound import build_submits
from smscloud.adapters.carriers.receipt_intake import ReceiptIntake
from smscloud.adapters.carriers.smpp_client import (
    LinkLost,
    NotBound,
    SmppClient,
    SubmitTimeout,
    UnreadableResponse,
)
from smscloud.domain.carriers.message_ids import submitted_form
from smscloud.domain.carriers.model import BIND_REPORT_INTERVAL, BindState, Carrier
from smscloud.domain.carriers.ports import BindReports, LeaseManager
from smscloud.domain.messages.dispatch import SubmitFailed, SubmitResult, SubmitRetry, Submitted, retry_delay
from smscloud.domain.messages.model import MessageStatus, OutboundMessage
from smscloud.domain.messages.ports import DispatchQueue
from smscloud.domain.shared.clock import Clock
from smscloud.protocols.smpp import CommandStatus, Pdu

__all__ = ["CarrierSender", "SenderPolicy", "classify_status"]


def _failed(error: BaseException) -> asyncio.Future[Pdu]:
    future: asyncio.Future[Pdu] = asyncio.get_running_loop().create_future()
    future.set_exception(error)
    return future


log = structlog.get_logger(__name__)

# Statuses worth trying again later: the carrier is busy or the link hiccupped.
_TRANSIENT = frozenset(
    {
        CommandStatus.ESME_RTHROTTLED,
        CommandStatus.ESME_RMSGQFUL,
        CommandStatus.ESME_RSYSERR,
        CommandStatus.ESME_RSUBMITFAIL,
        CommandStatus.ESME_RX_T_APPN,
        CommandStatus.ESME_RINVBNDSTS,
    }
)
_REJECTED = frozenset({CommandStatus.ESME_RX_R_APPN})


@dataclass(frozen=True, slots=True)
class SenderPolicy:
    claim_batch: int = 500
    claim_linger_s: float = 0.01  # pause before claiming again after a claim that was not full
    poll_interval_s: float = 1.0
    max_attempts: int = 10
    retry_base_s: float = 1.0
    retry_cap_s: float = 300.0


def _status_name(status: int) -> str:
    try:
        return CommandStatus(status).name
    except ValueError:
        return f"0x{status:08X}"


def _concat_references() -> Iterator[int]:
    """8-bit concatenation references for this sender's long messages: 0..255 from a random start.

    A handset joins the parts of a long message by sender and reference. Counting from 1 in every
    sender would give two binds (or a restarted process) the same references at the same time, and
    two long messages sent to one handset could then be mixed up.
    """
    start = random.randrange(256)  # noqa: S311 - a concatenation reference, not a secret
    return (reference % 256 for reference in itertools.count(start))


def _unmatchable_id() -> str:
    """A carrier id that no receipt will ever carry, for a part the SMSC accepted in a response
    whose body (its message_id) could not be read.

    Of the three ways to record such a part, queueing it again would send the SMS twice, and
    failing it would report as failed (and let the customer resend) a message the carrier took.
    Recorded as submitted under this id, the message waits for a receipt that cannot match and
    expires (NO_RECEIPT) after the receipt timeout: the truth, that its fate is unknown.
    """
    return f"unreadable:{uuid.uuid4().hex}"


def classify_status(status: int) -> str:
    """ "ok", "retry", "rejected" or "failed" for a submit_sm_resp command_status."""
    if status == CommandStatus.ESME_ROK:
        return "ok"
    if status in _TRANSIENT:
        return "retry"
    if status in _REJECTED:
        return "rejected"
    return "failed"


class CarrierSender:
    def __init__(
        self,
        *,
        carrier: Carrier,
        slot: int,
        queue: DispatchQueue,
        intake: ReceiptIntake,
        leases: LeaseManager,
        wake: asyncio.Event,
        clock: Clock,
        policy: SenderPolicy,
        client_factory: Callable[..., SmppClient] = SmppClient,
        reports: BindReports | None = None,
        holder: str = "",
    ) -> None:
        self.carrier = carrier
        self.slot = f"{carrier.id}:{slot}"
        self._slot_index = slot
        self._reports = reports
        self._holder = holder
        self._bound = False
        self._bound_since = clock.now()
        self._state_changed = asyncio.Event()
        self._queue = queue
        self._intake = intake
        self._leases = leases
        self._wake = wake
        self._clock = clock
        self._policy = policy
        self._client_factory = client_factory
        self._held = 0  # sent (or given up) and not yet recorded: at most one window
        self._freed = asyncio.Event()
        self._results: list[SubmitResult] = []
        self._results_ready = asyncio.Event()
        self._references = _concat_references()
        self.client: SmppClient | None = None
        self._log = log.bind(carrier=carrier.name, slot=self.slot)

    async def run(self) -> None:
        """Hold the slot and send until cancelled."""
        async with self._leases.hold(f"carrier-slot:{self.slot}"):
            released = await self._queue.release_slot(carrier_id=self.carrier.id, slot=self.slot, now=self._clock.now())
            if released:
                self._log.warning("sender.requeued_in_flight", messages=released)
            client = self._client_factory(
                host=self.carrier.host,
                port=self.carrier.port,
                system_id=self.carrier.system_id,
                password=self.carrier.password,
                system_type=self.carrier.system_type,
                window=self.carrier.window,
                tps=float(self.carrier.tps) / max(1, self.carrier.binds),
                on_deliver_batch=self._intake.handler_for(self.carrier.id, receipt_ids=self.carrier.receipt_ids),
                on_state=self._on_state,
                name=f"{self.carrier.name}/{self.slot}",
            )
            self.client = client
            client_task = asyncio.create_task(client.run(), name=f"smpp-{self.slot}")
            recorder = asyncio.create_task(self._record_loop(), name=f"record-{self.slot}")
            reporter = asyncio.create_task(self._report_loop(client), name=f"report-{self.slot}")
            try:
                await self._dispatch_loop(client)
            finally:
                reporter.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await reporter
                await client.stop()  # in-flight submits finish (bounded) and their outcomes are kept
                client_task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await client_task
                recorder.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await recorder
                await self._flush()  # what was submitted before stopping is recorded
                # Claimed and never sent (or sent and never answered): back to the queue now.
                await asyncio.shield(
                    self._queue.release_slot(carrier_id=self.carrier.id, slot=self.slot, now=self._clock.now())
                )
                self._on_state(False)
                await asyncio.shield(self._report(client))

    def _on_state(self, bound: bool) -> None:
        if bound != self._bound:
            self._bound = bound
            self._bound_since = self._clock.now()
        self._state_changed.set()

    async def _report_loop(self, client: SmppClient) -> None:
        while True:
            self._state_changed.clear()
            await self._report(client)
            # asyncio.timeout, not wait_for: on Python 3.11 wait_for can swallow a cancellation that
            # comes as the event is set (the bind going down as the sender stops), and this loop
            # would then run for ever while the stopping sender waits for it.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(BIND_REPORT_INTERVAL.total_seconds()):
                    await self._state_changed.wait()

    async def _report(self, client: SmppClient) -> None:
        if self._reports is None:
            return
        state = BindState(
            carrier_id=self.carrier.id,
            slot=self._slot_index,
            holder=self._holder,
            bound=self._bound,
            since=self._bound_since,
            last_error=client.last_error,
        )
        try:
            await self._reports.report(state, now=self._clock.now())
        except Exception as exc:  # a report is for people watching: it never stops the sending
            self._log.warning("sender.bind_report_failed", error=str(exc) or type(exc).__name__)

    async def _dispatch_loop(self, client: SmppClient) -> None:
        """Claim ahead, send while the window allows.

        Claimed messages wait in `pending` until there is room: only messages *sent* and not yet
        recorded count against the window, because only those could reach the carrier twice if
        this process died now (claimed, unsent ones are simply queued again). The next claim is
        made while the previous batch is being sent, so the database round trip of a claim
        overlaps the carrier's.
        """
        pending: collections.deque[OutboundMessage] = collections.deque()
        claim_size = max(1, min(self._policy.claim_batch, self.carrier.window))
        claiming: asyncio.Task[list[OutboundMessage]] | None = None
        last_claimed = 0
        try:
            while True:
                if not client.bound:
                    await client.wait_bound()
                    continue
                if claiming is None and len(pending) < claim_size:
                    self._wake.clear()
                    # After a short claim, let the queue fill a little before the next one: under a
                    # trickle of messages, claiming a few rows at a time costs a transaction each.
                    linger = self._policy.claim_linger_s if 0 < last_claimed < claim_size else 0.0
                    claiming = asyncio.create_task(self._claim(claim_size, linger))
                if not pending and claiming is not None:
                    batch = await claiming
                    claiming = None
                    last_claimed = len(batch)
                    if not batch:
                        with contextlib.suppress(TimeoutError):
                            async with asyncio.timeout(self._policy.poll_interval_s):  # not wait_for: see above
                                await self._wake.wait()
                    pending.extend(batch)
                    continue
                if self._held >= self.carrier.window:
                    self._freed.clear()
                    await self._freed.wait()
                    continue
                message = pending.popleft()
                self._held += 1
                try:
                    await self._send(client, message)
                except NotBound:
                    # The link went down: this message and the claimed rest go back to the queue.
                    self._done(self._retry(message, "LINK_LOST"))
                    while pending:
                        self._held += 1
                        self._done(self._retry(pending.popleft(), "LINK_LOST"))
        finally:
            if claiming is not None:
                claiming.cancel()  # claimed but unsent: queued again by the slot's next holder

    async def _claim(self, limit: int, linger_s: float = 0.0) -> list[OutboundMessage]:
        if linger_s > 0:
            await asyncio.sleep(linger_s)
        return await self._queue.claim(carrier_id=self.carrier.id, slot=self.slot, limit=limit, now=self._clock.now())

    async def _send(self, client: SmppClient, message: OutboundMessage) -> None:
        """Put the message's submit_sm on the wire; its outcome is collected when the responses come.

        No task per message: the responses' futures call back, so thousands can be in flight.
        """
        pdus = build_submits(message, self.carrier, reference=next(self._references))
        if len(pdus) == 1:
            future = await client.send(pdus[0])
            future.add_done_callback(lambda done: self._done(self._outcome(message, [done])))
            return
        futures: list[asyncio.Future[Pdu]] = []
        try:
            for pdu in pdus:
                futures.append(await client.send(pdu))
        except NotBound:
            if not futures:
                raise
            futures.append(_failed(NotBound("the link went down between the parts")))
        waiting = [len(futures)]

        def part_done(_: asyncio.Future[Pdu]) -> None:
            waiting[0] -= 1
            if waiting[0] == 0:
                self._done(self._outcome(message, futures))

        for future in futures:
            future.add_done_callback(part_done)

    def _outcome(self, message: OutboundMessage, futures: list[asyncio.Future[Pdu]]) -> SubmitResult:
        client = self.client
        ids: list[str] = []
        for future in futures:
            if future.cancelled() or client is None:
                return self._retry(message, "CANCELLED")
            try:
                response = client.response_of(future)
            except UnreadableResponse:
                unmatchable = _unmatchable_id()
                self._log.warning("sender.response_unreadable", message_id=message.id, recorded_as=unmatchable)
                ids.append(unmatchable)
                continue
            except SubmitTimeout:
                return self._retry(message, "SUBMIT_TIMEOUT")
            except (LinkLost, NotBound):
                return self._retry(message, "LINK_LOST")
            except Exception as error:  # pragma: no cover - the client raises only the errors above
                self._log.error("sender.submit_failed", message_id=message.id, error=repr(error))
                return self._retry(message, "INTERNAL")
            verdict = classify_status(response.command_status)
            if verdict == "retry":
                return self._retry(message, _status_name(response.command_status))
            if verdict != "ok":
                status = MessageStatus.REJECTED if verdict == "rejected" else MessageStatus.FAILED
                return SubmitFailed(message.id, _status_name(response.command_status), status)
            if not response.message_id:
                # Mandatory in SMPP 3.4; without it no receipt can find the message, which expires.
                self._log.warning("sender.accepted_without_message_id", message_id=message.id)
            ids.append(submitted_form(self.carrier.receipt_ids, response.message_id))
        self._intake.in_flight.answered(self.carrier.id, ids, single=len(ids) == 1)
        return Submitted(message.id, tuple(ids))

    def _done(self, result: SubmitResult) -> None:
        self._results.append(result)
        self._results_ready.set()

    def _retry(self, message: OutboundMessage, error_code: str) -> SubmitResult:
        if message.attempts >= self._policy.max_attempts:
            return SubmitFailed(message.id, error_code)
        delay = retry_delay(message.attempts, base_s=self._policy.retry_base_s, cap_s=self._policy.retry_cap_s)
        return SubmitRetry(message.id, error_code, delay)

    async def _record_loop(self) -> None:
        """Record outcomes as soon as there are any: one write in flight, the next one taking
        everything that arrived meanwhile (group commit does the rest)."""
        while True:
            await self._results_ready.wait()
            self._results_ready.clear()
            await self._flush()

    def _take_receipts(self, batch: list[SubmitResult]) -> None:
        """Receipts that came before their submission is stored are stored with it, in one write."""
        in_flight = self._intake.in_flight
        carrier_id = self.carrier.id
        for index, result in enumerate(batch):
            if isinstance(result, Submitted) and len(result.carrier_msg_ids) == 1:
                receipt = in_flight.begin_write(carrier_id, result.carrier_msg_ids[0])
                if receipt is not None:
                    batch[index] = Submitted(result.message_id, result.carrier_msg_ids, receipt)

    async def _flush(self) -> None:
        if not self._results:
            return
        batch, self._results = self._results, []
        self._take_receipts(batch)
        while True:
            try:
                # Shielded: stopping the sender must not drop outcomes that are being written.
                await asyncio.shield(self._queue.record(batch, carrier_id=self.carrier.id, now=self._clock.now()))
                break
            except Exception:
                # The messages stay `submitting` until this lands; nothing is lost by waiting.
                self._log.exception("sender.record_failed", results=len(batch))
                await asyncio.sleep(1.0)
        self._intake.in_flight.stored(
            self.carrier.id, (i for result in batch if isinstance(result, Submitted) for i in result.carrier_msg_ids)
        )
        self._held -= len(batch)
        self._freed.set()
