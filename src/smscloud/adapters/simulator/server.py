"""The simulated SMSC: an asyncio TCP server speaking SMPP 3.4, one `_Session` per connection.

::

    simulator = Simulator(SimulatorConfig(port=0, credentials=[("smscloud", "simpass")]))
    host, port = await simulator.start()
    ...
    await simulator.stop()  # unbinds every session, then closes

Each connection is an `asyncio.Protocol` feeding bytes to a sans-I/O `Connection(Role.SMSC)` and
writing what it answers; everything runs on one event loop, with no task per connection. What a
submit_sm gets is decided by `scenarios` (the test numbers), recorded by `ledger`, and its receipt
is carried by `receipts`.

Like a real SMSC, it watches the link: a bound session silent for ``enquire_link_s`` gets an
enquire_link, one silent for ``idle_timeout_s`` (no request, no response) is unbound and closed, and
a connection that does not bind within ``bind_timeout_s`` is closed.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import itertools
import math
import random
import signal
from collections import deque
from collections.abc import Callable
from datetime import timedelta
from typing import Any, cast

import structlog
from typing_extensions import override

from smscloud.adapters.simulator.config import SimulatorConfig
from smscloud.adapters.simulator.ledger import Ledger, LedgerConcat, LedgerEntry
from smscloud.adapters.simulator.message_ids import MessageIdGenerator
from smscloud.adapters.simulator.receipts import PendingReceipt, ReceiptStore, receipt_pdu, reply_pdus, with_sequence
from smscloud.adapters.simulator.scenarios import scenario_for, wants_receipt
from smscloud.adapters.simulator.stats import Counters, SimulatorStats
from smscloud.adapters.simulator.throttle import AttemptCounter
from smscloud.domain.shared.clock import Clock, SystemClock
from smscloud.protocols.smpp import (
    SC_INTERFACE_VERSION,
    SMPP_VERSION_34,
    BindReceiver,
    BindTransceiver,
    BindTransmitter,
    CommandStatus,
    ConcatInfo,
    Connection,
    DataSm,
    DeliverSmResp,
    EnquireLink,
    EnquireLinkResp,
    GenericNack,
    PduError,
    ProtocolStateError,
    QuerySm,
    Role,
    SessionState,
    SmppError,
    SubmitSm,
    SubmitSmResp,
    TextCodingError,
    Unbind,
    UnbindResp,
    concat_info,
    decode_text,
    encode,
    error_response,
    header_response,
    is_smpp_time,
    parse_udh,
)

__all__ = ["Simulator", "run_simulator"]

log = structlog.get_logger(__name__)

_S = CommandStatus
_REFUSED_FOR_GOOD = frozenset({int(_S.ESME_RX_P_APPN), int(_S.ESME_RX_R_APPN)})  # SMPP 3.4 §5.1.3: do not retry
_RECEIVING = frozenset({SessionState.BOUND_RX, SessionState.BOUND_TRX})
_BOUND = frozenset({SessionState.BOUND_TX, SessionState.BOUND_RX, SessionState.BOUND_TRX})
_LOGGED_ERRORS_PER_SESSION = 10  # malformed PDUs logged per session; the rest are only answered

_Bind = BindTransmitter | BindReceiver | BindTransceiver


class Simulator:
    """A simulated SMSC. Not thread-safe: use it from the event loop that started it."""

    def __init__(
        self,
        config: SimulatorConfig,
        *,
        clock: Clock | None = None,
        rng: random.Random | None = None,
        id_prefix: int | None = None,
    ) -> None:
        self.config = config
        self._clock: Clock = clock or SystemClock()
        self._rng = rng or random.Random()  # noqa: S311 - timing jitter and reply references, not secrets
        self._ids = MessageIdGenerator(id_prefix)
        self._throttle = AttemptCounter()
        self._counters = Counters()
        passwords: dict[str, list[bytes]] = {}
        for system_id, password in config.credentials:
            passwords.setdefault(system_id, []).append(password.encode("latin-1"))
        self._passwords = passwords
        self._server: asyncio.Server | None = None
        self._store: ReceiptStore | None = None
        self._ledger: Ledger | None = None
        self._sessions: dict[int, _Session] = {}
        self._session_ids = itertools.count(1)
        # The concatenation references of the handsets' long answers: counting up (8 bits), as a
        # handset's, from anywhere, so that a new run seldom starts where the last one was (the
        # platform keeps a day of assembled parts to know a part sent again).
        self._reply_references = itertools.count(self._rng.randrange(0x100))
        self._stopped: asyncio.Event | None = None
        self._stopping = False
        self._address: tuple[str, int] | None = None

    @property
    def address(self) -> tuple[str, int]:
        """(host, port) the simulator listens on; only after `start()`."""
        if self._address is None:
            raise RuntimeError("the simulator is not started")
        return self._address

    @property
    def message_id_prefix(self) -> str:
        """The 8 hex digits every message_id of this run starts with."""
        return self._ids.prefix

    async def start(self) -> tuple[str, int]:
        """Listen; return the (host, port) bound (the real port when the configured one is 0)."""
        if self._server is not None:
            raise RuntimeError("the simulator is already started")
        loop = asyncio.get_running_loop()
        config = self.config
        self._stopped = asyncio.Event()
        self._stopping = False
        self._counters = Counters()
        self._store = ReceiptStore(
            loop=loop,
            counters=self._counters,
            max_pending=config.max_pending_receipts,
            retry_base_s=config.receipt_retry_base_s,
            retry_max_s=config.receipt_retry_max_s,
        )
        if config.ledger_path is not None:
            self._ledger = Ledger(config.ledger_path)
        try:
            self._server = await loop.create_server(self._new_session, config.host, config.port)
        except BaseException:
            self._close_resources()
            raise
        host, port = self._server.sockets[0].getsockname()[:2]
        self._address = (str(host), int(port))
        log.info(
            "simulator.listening",
            host=self._address[0],
            port=self._address[1],
            system_ids=sorted(self._passwords),
            receipt_delay_s=config.receipt_delay_s,
            ledger=str(config.ledger_path) if config.ledger_path else None,
            message_id_prefix=self._ids.prefix,
        )
        return self._address

    async def stop(self) -> None:
        """Stop listening, unbind every session (waiting up to ``unbind_timeout_s`` for the
        unbind_resp), close them, and drop the receipts still pending. Safe to call twice: a second
        call returns when the first is done."""
        server = self._server
        if server is None:
            return
        if self._stopping:
            if self._stopped is not None:
                await self._stopped.wait()
            return
        self._stopping = True
        server.close()
        sessions = list(self._sessions.values())
        for session in sessions:
            session.begin_shutdown()
        pending = {session.closed for session in sessions}
        if pending:
            _done, pending = await asyncio.wait(pending, timeout=self.config.unbind_timeout_s + 0.5)
        for session in list(self._sessions.values()):
            session.abort()
            pending.add(session.closed)
        if pending:
            await asyncio.wait(pending, timeout=1.0)
        await server.wait_closed()
        stats = self.stats()
        self._close_resources()
        self._server = None
        log.info("simulator.stopped", **stats.as_dict())
        if self._stopped is not None:
            self._stopped.set()

    async def serve_forever(self) -> None:
        """Start if needed, then return once `stop()` has finished."""
        if self._server is None:
            await self.start()
        if self._stopped is not None:
            await self._stopped.wait()

    def stats(self) -> SimulatorStats:
        return self._counters.snapshot(
            sessions_active=len(self._sessions),
            receipts_pending=len(self._store) if self._store is not None else 0,
        )

    # Internals, used by the sessions.

    def _new_session(self) -> _Session:
        return _Session(self, next(self._session_ids))

    def _close_resources(self) -> None:
        if self._store is not None:
            self._store.close()
        if self._ledger is not None:
            self._ledger.close()
            self._ledger = None

    def _receipt_delay(self) -> float:
        delay = self.config.receipt_delay_s
        jitter = self.config.receipt_jitter_s
        if jitter > 0:
            delay += self._rng.uniform(0.0, jitter)
        return delay

    def _check_credentials(self, system_id: str, password: str) -> CommandStatus:
        passwords = self._passwords.get(system_id)
        if passwords is None:
            return _S.ESME_RINVSYSID
        given = password.encode("latin-1")
        # Compare with every password of the system_id, so timing does not tell which matched.
        matched = False
        for expected in passwords:
            matched |= hmac.compare_digest(given, expected)
        return _S.ESME_ROK if matched else _S.ESME_RINVPASWD


class _Session(asyncio.Protocol):
    """One SMPP connection. Bytes come in through `data_received`; answers are written in one
    batch per read; receipts go out within a window of ``receipt_window`` unanswered deliver_sm.

    Liveness costs one clock read per read: `data_received` notes when the peer was last heard,
    and one timer per bound session, re-armed only when it fires, decides when to enquire or close."""

    def __init__(self, simulator: Simulator, session_id: int) -> None:
        self._sim = simulator
        self._session_id = session_id
        self._conn = Connection(Role.SMSC)
        self._loop = asyncio.get_running_loop()
        self._transport: asyncio.Transport | None = None
        self._peer: str = "?"
        self._system_id = ""
        self._attached = False  # routed receipts (bound as receiver or transceiver)
        self._closing = False
        self._unbinding = False
        self._write_paused = False
        self._out: list[bytes] = []
        self._flush_scheduled = False
        self._window = simulator.config.receipt_window
        self._response_timeout_s = simulator.config.receipt_response_timeout_s
        self._inflight: dict[int, tuple[PendingReceipt, float]] = {}  # sequence -> receipt, deadline
        self._backlog: deque[PendingReceipt] = deque()
        self._timeout_timer: asyncio.TimerHandle | None = None
        self._bind_timer: asyncio.TimerHandle | None = None
        self._unbind_timer: asyncio.TimerHandle | None = None
        self._link_timer: asyncio.TimerHandle | None = None
        self._last_rx = self._loop.time()  # when the peer was last heard (loop time)
        self._enquired_at = -math.inf  # when our last enquire_link went out
        self._errors_logged = 0
        self.closed: asyncio.Future[None] = self._loop.create_future()
        self._handlers: dict[type[Any], Callable[[Any], None]] = {
            SubmitSm: self._on_submit,
            DeliverSmResp: self._on_deliver_sm_resp,
            EnquireLink: self._on_enquire_link,
            EnquireLinkResp: self._on_enquire_link_resp,
            BindTransmitter: self._on_bind,
            BindReceiver: self._on_bind,
            BindTransceiver: self._on_bind,
            Unbind: self._on_unbind,
            UnbindResp: self._on_unbind_resp,
            GenericNack: self._on_generic_nack,
            DataSm: self._on_unsupported,
            QuerySm: self._on_unsupported,
        }

    # ReceiptSink.

    @property
    def session_id(self) -> int:
        return self._session_id

    @property
    def system_id(self) -> str:
        return self._system_id

    def load(self) -> int:
        return len(self._inflight) + len(self._backlog)

    def offer(self, receipt: PendingReceipt) -> None:
        # Nothing new goes out after our unbind: the session's receipts are handed back at its close.
        if self._closing or self._unbinding or self._write_paused or len(self._inflight) >= self._window:
            self._backlog.append(receipt)  # handed back to the store if the session closes
        else:
            self._send_receipt(receipt)

    # asyncio.Protocol.

    @override
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # A stream transport (uvloop's TCPTransport is one without subclassing asyncio.Transport).
        self._transport = cast(asyncio.Transport, transport)
        peer = transport.get_extra_info("peername")
        self._peer = f"{peer[0]}:{peer[1]}" if isinstance(peer, tuple) and len(peer) >= 2 else str(peer)
        self._sim._sessions[self._session_id] = self
        self._sim._counters.sessions_opened += 1
        self._bind_timer = self._loop.call_later(self._sim.config.bind_timeout_s, self._on_bind_timeout)
        if self._sim._stopping:
            self._close()

    @override
    def data_received(self, data: bytes) -> None:
        if self._closing:
            return
        self._last_rx = self._loop.time()
        try:
            events = self._conn.receive_data(data)
        except SmppError:
            return
        handlers = self._handlers
        for event in events:
            if self._is_closing():  # a handler closed the session: ignore what followed
                break
            handler = handlers.get(type(event))
            try:
                if handler is not None:
                    handler(event)
                elif isinstance(event, PduError):
                    self._on_pdu_error(event)
                # Any other response (enquire_link_resp, ...) needs nothing.
            except Exception:
                log.exception("simulator.session_error", session=self._session_id, peer=self._peer)
                self._close()
                break
        self._flush()

    @override
    def connection_lost(self, exc: Exception | None) -> None:
        self._closing = True
        for timer in (self._timeout_timer, self._bind_timer, self._unbind_timer, self._link_timer):
            if timer is not None:
                timer.cancel()
        self._conn.close()
        self._out.clear()
        sim = self._sim
        sim._sessions.pop(self._session_id, None)
        if self._attached and sim._store is not None:
            self._attached = False
            unanswered = [receipt for receipt, _deadline in self._inflight.values()]
            unanswered.extend(self._backlog)
            self._inflight.clear()
            self._backlog.clear()
            sim._store.detach(self, unanswered)
        log.info(
            "simulator.session_closed",
            session=self._session_id,
            peer=self._peer,
            system_id=self._system_id or None,
            error=str(exc) if exc else None,
        )
        if not self.closed.done():
            self.closed.set_result(None)

    @override
    def pause_writing(self) -> None:
        self._write_paused = True  # receipts offered meanwhile wait in the backlog, not in memory buffers
        if self._transport is not None:
            self._transport.pause_reading()  # the peer does not read its answers: stop reading

    @override
    def resume_writing(self) -> None:
        self._write_paused = False
        self._last_rx = self._loop.time()  # reading was paused too: the silence counts from now
        if self._transport is not None and not self._closing:
            self._transport.resume_reading()
            self._fill()

    # Shutdown.

    def begin_shutdown(self) -> None:
        """Send unbind (if bound) and close when it is answered, or at once when not bound."""
        if self._closing or self._unbinding:
            return
        if self._conn.state in _BOUND:
            try:
                self._write(self._conn.send(Unbind()))
            except ProtocolStateError:
                self._close()
                return
            self._unbinding = True
            self._flush()
            self._unbind_timer = self._loop.call_later(self._sim.config.unbind_timeout_s, self._close)
        else:
            self._close()

    def abort(self) -> None:
        self._closing = True
        if self._transport is not None:
            self._transport.abort()

    # Handlers.

    def _on_bind(self, pdu: _Bind) -> None:
        sim = self._sim
        status = sim._check_credentials(pdu.system_id, pdu.password)
        if status != _S.ESME_ROK:
            sim._counters.binds_refused += 1
            self._write(self._conn.send(pdu.response(command_status=status)))
            log.info(
                "simulator.bind_refused",
                session=self._session_id,
                peer=self._peer,
                system_id=pdu.system_id,
                status=status.name,
            )
            self._close()
            return
        response = pdu.response(
            system_id=sim.config.smsc_system_id,
            tlvs=(SC_INTERFACE_VERSION.encode(SMPP_VERSION_34),),
        )
        self._write(self._conn.send(response))
        sim._counters.binds_accepted += 1
        self._system_id = pdu.system_id
        if self._bind_timer is not None:
            self._bind_timer.cancel()
            self._bind_timer = None
        log.info(
            "simulator.bound",
            session=self._session_id,
            peer=self._peer,
            system_id=pdu.system_id,
            mode=self._conn.state.name,
        )
        self._arm_link_timer()
        if self._conn.state in _RECEIVING and sim._store is not None and not sim._stopping:
            sim._store.attach(self)
            self._attached = True
            self._fill()

    def _on_submit(self, pdu: SubmitSm) -> None:
        sim = self._sim
        counters = sim._counters
        counters.submits_received += 1
        scenario = scenario_for(pdu.destination_addr)
        if scenario.submit_status != _S.ESME_ROK:
            self._refuse(pdu, scenario.submit_status)
            return
        # What a strict SMSC refuses, so that an ESME's mistakes show here and not at a carrier.
        if not is_smpp_time(pdu.schedule_delivery_time):
            self._refuse(pdu, _S.ESME_RINVSCHED)
            return
        if not is_smpp_time(pdu.validity_period):
            self._refuse(pdu, _S.ESME_RINVEXPIRY)
            return
        try:
            if pdu.short_message and pdu.message_payload is not None:
                # SMPP 3.4 §5.3.2.32: with message_payload, sm_length is 0. No status is named for
                # both at once; which one the ESME meant is unknowable, so neither is sent.
                self._refuse(pdu, _S.ESME_RINVPARLEN)
                return
            payload = pdu.payload
            concat: ConcatInfo | None
            if pdu.has_udh:
                elements, body = parse_udh(payload)
                concat = concat_info(elements)
            else:
                body = payload
                concat = pdu.sar
                if concat is not None and not 1 <= concat.sequence <= concat.total:
                    self._refuse(pdu, _S.ESME_RINVOPTPARAMVAL)  # segment 3 of 2, or 0 of 0
                    return
        except PduError as exc:  # a malformed message_payload or sar_* TLV
            self._refuse(pdu, exc.command_status)
            return
        except TextCodingError:  # UDHI set, but no valid user data header
            self._refuse(pdu, _S.ESME_RINVESMCLASS)
            return
        if scenario.throttled_attempts and sim._throttle.refuse(
            (self._system_id, pdu.destination_addr, payload), scenario.throttled_attempts
        ):
            counters.submits_throttled += 1
            self._write(self._conn.send(pdu.response(command_status=_S.ESME_RTHROTTLED)))
            return
        text = _decode(body, pdu.data_coding)
        message_id = sim._ids.next()
        now = sim._clock.now()
        ledger = sim._ledger
        if ledger is not None:
            entry = LedgerEntry(
                message_id=message_id,
                system_id=self._system_id,
                destination=pdu.destination_addr,
                source=pdu.source_addr,
                text=text,
                udh=None if concat is None else LedgerConcat(concat.reference, concat.total, concat.sequence),
                data_coding=pdu.data_coding,
                received_at=now,
            )
            try:
                ledger.record(entry)
            except (OSError, ValueError) as exc:  # not recorded: not accepted
                log.error("simulator.ledger_write_failed", path=str(ledger.path), error=str(exc))
                self._refuse(pdu, _S.ESME_RSYSERR)
                return
        counters.submits_accepted += 1
        answer_after = sim.config.submit_delay_s
        if answer_after:
            self._loop.call_later(answer_after, self._answer_late, pdu.response(message_id=message_id))
        else:
            self._write(self._conn.send(pdu.response(message_id=message_id)))
        outcome = scenario.receipt
        store = sim._store
        if outcome is None or store is None or not wants_receipt(pdu.registered_delivery, outcome):
            return
        delay = answer_after + sim._receipt_delay()  # counted from the answer, as a carrier's
        deliver = receipt_pdu(
            message_id=message_id,
            submit=pdu,
            outcome=outcome,
            text=text or "",
            submitted_at=now,
            done_at=now + timedelta(seconds=delay),
        )
        store.add(PendingReceipt(message_id, self._system_id, self._session_id, encode(deliver)), delay)
        if scenario.reply is not None and (concat is None or concat.sequence == concat.total):
            # The handset answers a moment after it got the message (its last part, for a long one),
            # in one deliver_sm or, for a long answer, several (routed and retried as receipts are).
            answers = reply_pdus(submit=pdu, text=scenario.reply, reference=next(sim._reply_references))
            for number, answer in enumerate(answers, start=1):
                reply_id = f"{message_id}/reply" if len(answers) == 1 else f"{message_id}/reply/{number}"
                store.add(PendingReceipt(reply_id, self._system_id, self._session_id, encode(answer)), delay + 0.2)

    def _refuse(self, pdu: SubmitSm, status: int) -> None:
        self._sim._counters.submits_refused += 1
        self._write(self._conn.send(pdu.response(command_status=status)))

    def _on_deliver_sm_resp(self, pdu: DeliverSmResp) -> None:
        entry = self._inflight.pop(pdu.sequence_number, None)
        if entry is None:
            return  # an answer after its timeout (the receipt is being retried), or to nothing
        store = self._sim._store
        if store is not None:
            if pdu.command_status == _S.ESME_ROK:
                store.acked(entry[0])
            elif pdu.command_status in _REFUSED_FOR_GOOD:
                store.refused(entry[0])
            else:
                store.failed(entry[0])
        self._fill()

    def _on_generic_nack(self, pdu: GenericNack) -> None:
        entry = self._inflight.pop(pdu.sequence_number, None)
        if entry is None:
            log.info("simulator.generic_nack", session=self._session_id, status=pdu.command_status)
            return
        store = self._sim._store
        if store is not None:
            store.failed(entry[0])
        self._fill()

    def _answer_late(self, response: SubmitSmResp) -> None:
        """A submit_sm_resp held back `submit_delay_s`; a session gone meanwhile gets none."""
        if self._closing:
            return
        try:
            self._write(self._conn.send(response))
        except ProtocolStateError:  # unbound meanwhile: the ESME no longer takes responses
            return

    def _on_enquire_link(self, pdu: EnquireLink) -> None:
        self._write(self._conn.send(pdu.response()))

    def _on_enquire_link_resp(self, pdu: EnquireLinkResp) -> None:
        self._sim._counters.enquire_links_answered += 1  # being heard at all is what keeps the link

    def _on_unbind(self, pdu: Unbind) -> None:
        self._write(self._conn.send(pdu.response()))
        log.info("simulator.unbound", session=self._session_id, system_id=self._system_id)
        self._close()

    def _on_unbind_resp(self, pdu: UnbindResp) -> None:
        if self._unbinding:
            self._close()

    def _on_unsupported(self, pdu: DataSm | QuerySm) -> None:
        self._write(encode(pdu.response(command_status=_S.ESME_RINVCMDID)))

    def _on_pdu_error(self, error: PduError) -> None:
        response = error_response(error)
        if response is not None:
            # Encoded directly: the session's state machine has not seen the request it answers.
            self._write(encode(response))
        # A response with an unreadable body is not answered, but its header still settles what
        # it answers (a deliver_sm_resp's body is only an unused message_id).
        received = header_response(error)
        handler = None if received is None else self._handlers.get(type(received))
        if handler is not None:
            handler(received)
        if self._errors_logged < _LOGGED_ERRORS_PER_SESSION:
            self._errors_logged += 1
            log.info(
                "simulator.pdu_refused",
                session=self._session_id,
                peer=self._peer,
                error=str(error),
                status=_status_name(error.command_status),
                fatal=error.fatal,
            )
        if error.fatal:
            self._close()

    def _on_bind_timeout(self) -> None:
        self._bind_timer = None
        if self._conn.state is SessionState.OPEN and not self._closing:
            self._sim._counters.binds_timed_out += 1
            log.info("simulator.bind_timeout", session=self._session_id, peer=self._peer)
            self._close()

    # Link liveness.

    def _arm_link_timer(self) -> None:
        """Wake when the next enquire_link or the idle close is due; never when both are off."""
        config = self._sim.config
        due = math.inf
        if config.enquire_link_s:
            due = max(self._last_rx, self._enquired_at) + config.enquire_link_s
        if config.idle_timeout_s:
            due = min(due, self._last_rx + config.idle_timeout_s)
        if due < math.inf:
            self._link_timer = self._loop.call_at(due, self._on_link_timer)

    def _on_link_timer(self) -> None:
        self._link_timer = None
        if self._closing or self._unbinding:
            return
        config = self._sim.config
        now = self._loop.time()
        if self._write_paused:
            # Reading is paused while the peer does not read: what it sent may be waiting unread,
            # so its silence is not judged until writing resumes.
            self._last_rx = now
        elif config.idle_timeout_s and now - self._last_rx >= config.idle_timeout_s:
            self._sim._counters.sessions_closed_idle += 1
            log.info(
                "simulator.idle_close",
                session=self._session_id,
                peer=self._peer,
                system_id=self._system_id,
                silent_s=round(now - self._last_rx, 3),
            )
            self.begin_shutdown()  # unbind, and close at its answer or after unbind_timeout_s
            return
        elif config.enquire_link_s and now - max(self._last_rx, self._enquired_at) >= config.enquire_link_s:
            self._enquired_at = now
            self._sim._counters.enquire_links_sent += 1
            self._write(self._conn.send(EnquireLink()))
        self._arm_link_timer()

    # Receipts.

    def _send_receipt(self, receipt: PendingReceipt) -> None:
        conn = self._conn
        if conn.state not in _RECEIVING:  # unbound meanwhile: hand it back when the session closes
            self._backlog.appendleft(receipt)
            self._close()
            return
        # The frame was encoded once, when the receipt was made: only its sequence number changes.
        # (deliver_sm does not change the session state, so bypassing conn.send loses nothing.)
        sequence = conn.next_sequence()
        data = with_sequence(receipt.frame, sequence)
        receipt.last_session = self._session_id
        self._inflight[sequence] = (receipt, self._loop.time() + self._response_timeout_s)
        self._sim._counters.receipts_sent += 1
        self._write(data)
        if self._timeout_timer is None:
            self._arm_timeout()

    def _fill(self) -> None:
        """Send queued receipts, then ones waiting for any session of this system_id, while the
        window has room."""
        store = self._sim._store
        backlog = self._backlog
        inflight = self._inflight
        while len(inflight) < self._window and not (self._closing or self._unbinding or self._write_paused):
            if backlog:
                receipt = backlog.popleft()
            else:
                waiting = store.take_waiting(self._system_id) if store is not None else None
                if waiting is None:
                    return
                receipt = waiting
            if not receipt.done:
                self._send_receipt(receipt)

    def _arm_timeout(self) -> None:
        if self._inflight and not self._closing:
            _receipt, deadline = next(iter(self._inflight.values()))
            self._timeout_timer = self._loop.call_at(deadline, self._on_timeout)

    def _on_timeout(self) -> None:
        self._timeout_timer = None
        now = self._loop.time() + 0.001
        expired: list[int] = []
        for sequence, (_receipt, deadline) in self._inflight.items():
            if deadline > now:
                break
            expired.append(sequence)
        store = self._sim._store
        for sequence in expired:
            receipt, _deadline = self._inflight.pop(sequence)
            if store is not None:
                store.failed(receipt)
        if expired:
            log.info("simulator.receipt_timeout", session=self._session_id, receipts=len(expired))
        self._arm_timeout()
        self._fill()
        self._flush()

    # Output.

    def _write(self, data: bytes) -> None:
        self._out.append(data)
        if not self._flush_scheduled:
            self._flush_scheduled = True
            self._loop.call_soon(self._flush)

    def _flush(self) -> None:
        self._flush_scheduled = False
        out = self._out
        if not out:
            return
        transport = self._transport
        if transport is not None and not transport.is_closing():
            transport.write(out[0] if len(out) == 1 else b"".join(out))
        out.clear()

    def _is_closing(self) -> bool:
        return self._closing

    def _close(self) -> None:
        if self._closing:
            return
        self._flush()
        self._closing = True
        if self._transport is not None:
            self._transport.close()


def _decode(body: bytes, data_coding: int) -> str | None:
    """The text of a message part, or None when data_coding is binary or unknown."""
    try:
        return decode_text(body, data_coding, errors="replace")
    except (TextCodingError, UnicodeError, ValueError):
        return None


def _status_name(status: int) -> str:
    try:
        return CommandStatus(status).name
    except ValueError:
        return f"0x{status:08x}"


async def run_simulator(
    config: SimulatorConfig,
    *,
    clock: Clock | None = None,
    started: Callable[[tuple[str, int]], None] | None = None,
) -> None:
    """Run a simulator until SIGINT or SIGTERM (or until cancelled), then stop it gracefully.

    The entry point for ``smscloud simulator``: ``asyncio.run(run_simulator(config))``. ``started``
    is called with the bound (host, port) once it listens.
    """
    simulator = Simulator(config, clock=clock)
    address = await simulator.start()
    loop = asyncio.get_running_loop()
    stop_requested = asyncio.Event()
    installed: list[signal.Signals] = []
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(signum, stop_requested.set)
            installed.append(signum)
    try:
        if started is not None:
            started(address)
        await stop_requested.wait()
    finally:
        for signum in installed:
            loop.remove_signal_handler(signum)
        await simulator.stop()
