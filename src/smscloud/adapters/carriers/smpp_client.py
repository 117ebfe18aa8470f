"""An asyncio SMPP 3.4 ESME: one bind_transceiver to a carrier's SMSC, kept up until `stop()`.

The transport only moves bytes; every PDU goes through the sans-I/O
`smscloud.protocols.smpp.Connection`, which frames, decodes, numbers and checks it. This module
adds what needs a clock and a socket::

    client = SmppClient(host="smsc.example", port=2775, system_id="esme1", password="secret",
                        window=10, tps=50, on_deliver=store_then_status)
    task = asyncio.create_task(client.run())        # connect, bind, serve; reconnects by itself
    await client.wait_bound()
    resp = await client.submit(SubmitSm(destination_addr="8613800000000", short_message=b"hi"))
    await client.stop()                             # drain, unbind, close; run() returns

Rules (research/deps.md §1.5, DESIGN.md §3):

* **Receipts are acknowledged only once stored.** Each deliver_sm is handed to ``on_deliver`` in
  its own task (at most ``deliver_concurrency`` at once), and its deliver_sm_resp is written only
  after the handler returns, with the status it returned. A handler that raises gets
  ESME_RX_T_APPN (the SMSC delivers again later), except a `PduError` (a malformed TLV, say),
  whose own status is answered since retrying cannot fix it. Once our unbind is sent, new
  deliver_sm are answered ESME_RX_T_APPN without calling the handler: they could no longer be
  acknowledged.
* **The reader never waits for the handlers.** Responses to our submits and enquire_links are
  read however slow the handlers are (a reader that stopped would time submits out that the SMSC
  answered, and they would be sent twice). deliver_sm beyond the running handlers wait in memory
  (at most ``deliver_backlog`` of them) for a free handler; beyond that they are answered
  ESME_RX_T_APPN at once, and the SMSC delivers them again later. Waiting ones whose link is lost
  before their turn are dropped unanswered: the SMSC delivers them again on the next bind.
* **Window.** At most ``window`` submit_sm await their responses; `submit` waits for a slot. The
  slot is freed by the response, the response timeout, or the loss of the link.
* **Throttle.** Submits are spaced by a token bucket of ``tps`` per second (no cap when 0,
  ``burst`` 1). When a submit_sm_resp (or a generic_nack) says ESME_RTHROTTLED, no new submit_sm
  is sent for ``throttle_pause_s`` from that response; each further throttled response restarts
  the pause. Submits already past the bucket when the pause starts go out as booked (at most a
  window's worth). The throttled response itself is returned to the caller, who requeues it.
* **Outcomes of a submit.** Every command_status, error or not, comes back as the
  `SubmitSmResp` (so the caller can treat ESME_RTHROTTLED and ESME_RMSGQFUL as retryable); a
  generic_nack answering a submit_sm comes back as a `SubmitSmResp` with the nack's status.
  Exceptions are for when there is no answer; they say whether the submit_sm may have reached the
  SMSC. The sequence number is assigned here; the one on the PDU passed in is ignored.
* **Link.** An enquire_link goes out after ``enquire_link_interval_s`` without any byte from the
  SMSC; no answer within ``response_timeout_s`` means the link is dead. Loss of the link (EOF,
  reset, dead, unbind from the SMSC, unrecoverable framing) fails every pending submit with
  `LinkLost` and reconnects after an exponential backoff with jitter. The backoff starts again
  from its shortest delay only once a bind has stayed up for ``stable_bind_s``: an SMSC that
  accepts the bind and drops the link at once is retried less and less often, not hammered. A
  refused bind is logged at error level with its status; ESME_RINVPASWD and ESME_RINVSYSID
  (credentials, an operator error) wait the longest backoff, or until `update_credentials`.
* **Malformed PDUs from the SMSC** are answered as the codec says (`error_response`: the
  request's own ``*_resp`` or generic_nack, with the error's status); the session goes on unless
  the framing is lost, in which case the link is dropped and rebuilt. A malformed *response* is
  never answered: its readable header completes the request it answers (`header_response`), with
  its status when that is an error, and with `UnreadableResponse` when the SMSC accepted a
  submit_sm whose message_id we cannot read (waiting for the timeout would get it sent again).

Errors raised by `submit`::

    SmppClientError
    ├── NotBound            nothing was sent: no bound session (not yet, link down, unbinding, stopped)
    ├── LinkLost            the submit_sm was sent, the link dropped before its response: outcome unknown
    ├── SubmitTimeout       the submit_sm was sent, no response in response_timeout_s: outcome unknown
    └── UnreadableResponse  the SMSC accepted the submit_sm (status 0), but the body of its response,
                            and so the message_id, could not be read: do not send it again

`PduEncodeError` (a ``ValueError``) comes through unchanged when the PDU does not fit SMPP 3.4.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import dataclasses
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeAlias, TypeVar

import structlog

from smscloud.adapters.carriers._backoff import Backoff
from smscloud.adapters.carriers._throttle import Throttle
from smscloud.adapters.carriers._window import Window
from smscloud.protocols.smpp import (
    AlertNotification,
    BindTransceiver,
    BindTransceiverResp,
    CommandId,
    CommandStatus,
    Connection,
    DataSm,
    DeliverSm,
    EnquireLink,
    EnquireLinkResp,
    GenericNack,
    Outbind,
    Pdu,
    PduError,
    ProtocolStateError,
    Role,
    SmppError,
    SubmitSm,
    SubmitSmResp,
    Unbind,
    UnbindResp,
    encode,
    error_response,
    header_response,
)

__all__ = [
    "DeliverBatchHandler",
    "DeliverHandler",
    "LinkLost",
    "NotBound",
    "SmppClient",
    "SmppClientError",
    "SmppClientStats",
    "StateHandler",
    "SubmitTimeout",
    "UnreadableResponse",
]

log = structlog.get_logger(__name__)

DeliverHandler: TypeAlias = Callable[[DeliverSm], Awaitable[int]]
"""Stores a deliver_sm (receipt or MO) durably, then returns the command_status to answer."""

DeliverBatchHandler: TypeAlias = Callable[[Sequence[DeliverSm]], Awaitable[Sequence[int]]]
"""Stores the deliver_sm read together durably, then returns one command_status for each."""

StateHandler: TypeAlias = Callable[[bool], None]
"""Called with True when the bind comes up and False when it goes down."""

T = TypeVar("T")

_READ_SIZE = 64 * 1024
_WRITE_HIGH_WATER = 64 * 1024  # drain the transport above this many buffered bytes
_CLOSE_TIMEOUT_S = 1.0
_CREDENTIAL_STATUSES = frozenset({CommandStatus.ESME_RINVPASWD, CommandStatus.ESME_RINVSYSID})
_HEADER_ONLY_RESPONSES = (EnquireLinkResp, UnbindResp, GenericNack)  # nothing is lost with their body


class SmppClientError(Exception):
    """Base class of the errors `SmppClient.submit` raises."""


class NotBound(SmppClientError):
    """There is no bound session to send on; the submit_sm was not sent."""


class LinkLost(SmppClientError):
    """The link dropped after the submit_sm was sent and before its response arrived."""


class SubmitTimeout(SmppClientError):
    """No response to the submit_sm within the response timeout; the SMSC may still have it."""


class UnreadableResponse(SmppClientError):
    """The SMSC accepted the request (command_status 0), but the body of its response, the
    submit_sm's message_id, could not be read. The SMSC has the message: sending it again would
    deliver it twice, and no receipt can be matched to it."""


@dataclasses.dataclass(slots=True)
class SmppClientStats:
    """Counters since the client was made, for metrics. Only ever incremented."""

    connects: int = 0  # TCP connections opened
    reconnects: int = 0  # connection attempts after the first
    binds: int = 0  # bind_transceiver accepted
    bind_failures: int = 0  # bind refused, nacked or unanswered
    link_losses: int = 0  # a bound link went down for any reason but stop()
    dead_links: int = 0  # ...of which: enquire_link unanswered
    submitted: int = 0  # submit_sm written
    responses: int = 0  # submit_sm_resp (or generic_nack) matched to a submit_sm
    throttled: int = 0  # ...of which: ESME_RTHROTTLED
    nacks: int = 0  # ...of which: generic_nack
    unreadable: int = 0  # ...of which: accepted, but the body could not be read (UnreadableResponse)
    timeouts: int = 0  # submit_sm without a response in time
    lost_in_flight: int = 0  # submit_sm failed with LinkLost
    late_responses: int = 0  # responses to nothing pending (after a timeout, say)
    delivers: int = 0  # deliver_sm handed to the handler (answered when it returns)
    deliver_errors: int = 0  # ...of which the handler raised
    delivers_deferred: int = 0  # deliver_sm answered ESME_RX_T_APPN at once: too many waited for a handler
    enquire_links_sent: int = 0
    bad_pdus: int = 0  # undecodable or unexpected PDUs from the SMSC


def _status_name(status: int) -> str:
    try:
        return CommandStatus(status).name
    except ValueError:
        return f"0x{status:08X}"


class _Link:
    """One TCP connection and the SMPP session on it.

    Writes made during one turn of the event loop go out together, in one ``transport.write``
    at the end of the turn: a window of submit_sm (or of deliver_sm_resp) costs one system call,
    not one each.
    """

    __slots__ = (
        "_flush_scheduled",
        "_loop",
        "_out",
        "_out_size",
        "conn",
        "last_rx",
        "log",
        "pending",
        "reader",
        "unbinding",
        "up",
        "writer",
    )

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, logger: Any) -> None:
        self._loop = asyncio.get_running_loop()
        self.log = logger
        self.conn = Connection(Role.ESME)
        self.reader = reader
        self.writer = writer
        # seq -> (expected response command_id, future, deadline); in the order sent, so deadlines ascend
        self.pending: dict[int, tuple[int, asyncio.Future[Pdu], float]] = {}
        self.last_rx = self._loop.time()
        self.up = True  # False once the transport is gone or going
        self.unbinding = False  # our unbind is on its way
        self._out: list[bytes] = []
        self._out_size = 0
        self._flush_scheduled = False

    def write(self, pdu: Pdu) -> None:
        """Encode and queue ``pdu``; raises `ProtocolStateError` or `PduEncodeError`."""
        self.write_bytes(self.conn.send(pdu))

    def send_request(self, pdu: Pdu, expect: int, timeout_s: float) -> asyncio.Future[Pdu]:
        """Number, encode and queue request ``pdu``; the future gets its response (or the
        generic_nack), `TimeoutError` after ``timeout_s`` (see `expire`), or `LinkLost`."""
        sequence, data = self.conn.send_request(pdu)
        loop = self._loop  # (kept: asyncio.get_running_loop() costs a getpid() system call)
        future: asyncio.Future[Pdu] = loop.create_future()
        self.pending[sequence] = (expect, future, loop.time() + timeout_s)
        self.write_bytes(data)
        return future

    def expire(self, now: float) -> int:
        """Fail requests whose deadline has passed with `TimeoutError`; returns how many."""
        expired: list[int] = []
        for sequence, (_expected, _future, deadline) in self.pending.items():
            if deadline > now:
                break
            expired.append(sequence)
        for sequence in expired:
            future = self.pending.pop(sequence)[1]
            if not future.done():
                future.set_exception(TimeoutError())
        return len(expired)

    def write_bytes(self, data: bytes) -> None:
        self._out.append(data)
        self._out_size += len(data)
        if not self._flush_scheduled:
            self._flush_scheduled = True
            self._loop.call_soon(self.flush)

    def flush(self) -> None:
        """Hand what is queued to the transport now."""
        self._flush_scheduled = False
        if not self._out:
            return
        data = b"".join(self._out)
        self._out.clear()
        self._out_size = 0
        if not self.writer.transport.is_closing():
            self.writer.write(data)

    def respond(self, pdu: Pdu) -> bool:
        """Write a response if the link is still up; False when it could not be sent."""
        if not self.up:
            return False
        try:
            self.write(pdu)
        except SmppError as exc:
            self.log.warning("smpp.response_not_sent", command=type(pdu).__name__, error=str(exc))
            return False
        return True

    def should_drain(self) -> bool:
        return self._out_size + self.writer.transport.get_write_buffer_size() > _WRITE_HIGH_WATER

    async def drain(self) -> None:
        """Wait for the transport to take the bytes if too many are buffered (backpressure)."""
        if self.should_drain():
            self.flush()
            await self.writer.drain()

    def fail_pending(self) -> int:
        """Fail every request awaiting a response with `LinkLost`; returns how many."""
        failed = 0
        for _expected, future, _deadline in self.pending.values():
            if not future.done():
                future.set_exception(LinkLost("the SMPP link was lost before the response arrived"))
                failed += 1
        self.pending.clear()
        return failed


class SmppClient:
    """One ESME bind (transceiver) to an SMSC, reconnected until `stop()`. See the module docstring."""

    def __init__(
        self,
        *,
        host: str,
        port: int,
        system_id: str,
        password: str,
        system_type: str = "",
        window: int = 10,
        tps: float = 0,
        on_deliver: DeliverHandler | None = None,
        on_deliver_batch: DeliverBatchHandler | None = None,
        on_state: StateHandler | None = None,
        enquire_link_interval_s: float = 30,
        response_timeout_s: float = 10,
        connect_timeout_s: float = 5,
        reconnect_backoff: tuple[float, float] = (0.5, 30.0),
        stable_bind_s: float = 30.0,
        throttle_pause_s: float = 1.0,
        deliver_concurrency: int = 256,
        deliver_backlog: int = 10_000,
        name: str = "",
    ) -> None:
        if response_timeout_s <= 0 or connect_timeout_s <= 0:
            raise ValueError("timeouts must be positive")
        if enquire_link_interval_s < 0 or throttle_pause_s < 0 or stable_bind_s < 0:
            raise ValueError("intervals must be >= 0")
        if deliver_concurrency < 1:
            raise ValueError("deliver_concurrency must be >= 1")
        if deliver_backlog < 0:
            raise ValueError("deliver_backlog must be >= 0")
        if (on_deliver is None) == (on_deliver_batch is None):
            raise ValueError("give exactly one of on_deliver and on_deliver_batch")
        self.host = host
        self.port = port
        self.name = name or f"{system_id}@{host}:{port}"
        self._system_id = system_id
        self._password = password
        self._system_type = system_type
        encode(self._bind_pdu())  # fail now, not at every reconnect, when a credential cannot be sent
        self._on_deliver = on_deliver
        self._on_deliver_batch = on_deliver_batch
        self._on_state = on_state
        self._enquire_link_interval_s = enquire_link_interval_s
        self._response_timeout_s = response_timeout_s
        self._connect_timeout_s = connect_timeout_s
        self._throttle_pause_s = throttle_pause_s
        self._window = Window(window)
        self._throttle = Throttle(tps)
        self._backoff = Backoff(*reconnect_backoff)
        self._stable_bind_s = stable_bind_s
        self._deliver_limit = deliver_concurrency
        self._deliver_backlog = deliver_backlog
        self._deliver_tasks: set[asyncio.Task[None]] = set()
        self._deliver_waiting: collections.deque[tuple[_Link, list[DeliverSm]]] = collections.deque()
        self._deliver_waiting_pdus = 0
        self._link: _Link | None = None  # set while bound
        self._bound_event = asyncio.Event()
        self._stop_event = asyncio.Event()
        self._wake = asyncio.Event()  # cuts a reconnect backoff short
        self._done = asyncio.Event()
        self._running = False
        self._stopping = False
        self._stop_timeout_s = 5.0
        self._log = log.bind(smpp_client=self.name, host=host, port=port)
        self.stats = SmppClientStats()
        # Why the last connect or bind failed, or the last link ended without our unbind ("" if none).
        self.last_error = ""

    # Public API.

    @property
    def bound(self) -> bool:
        """The bind is up and taking submits (False from the moment `stop` is called)."""
        return self._link is not None and not self._stopping

    @property
    def window(self) -> int:
        return self._window.size

    @property
    def window_free(self) -> int:
        """Window slots not held by a submit (in flight, or waiting for the throttle)."""
        return self._window.free

    @property
    def throttled_for_s(self) -> float:
        """Seconds left of the pause that an ESME_RTHROTTLED started; 0 when none."""
        return self._throttle.held_for()

    async def wait_window(self) -> None:
        """Return once a window slot is free (it is not reserved for the caller)."""
        await self._window.wait_free()

    async def wait_bound(self, timeout_s: float | None = None) -> bool:
        """Wait until the bind is up; False if ``timeout_s`` passed first or `stop` was called."""
        if self._link is None and not self._stopping:
            waits = (
                asyncio.ensure_future(self._bound_event.wait()),
                asyncio.ensure_future(self._stop_event.wait()),
            )
            try:
                await asyncio.wait(waits, timeout=timeout_s, return_when=asyncio.FIRST_COMPLETED)
            finally:
                for wait in waits:
                    wait.cancel()
        return self.bound

    def update_credentials(
        self, *, system_id: str | None = None, password: str | None = None, system_type: str | None = None
    ) -> None:
        """Use new credentials from the next bind on, and cut a pending reconnect backoff short."""
        new = (
            self._system_id if system_id is None else system_id,
            self._password if password is None else password,
            self._system_type if system_type is None else system_type,
        )
        old = (self._system_id, self._password, self._system_type)
        self._system_id, self._password, self._system_type = new
        try:
            encode(self._bind_pdu())
        except ValueError:
            self._system_id, self._password, self._system_type = old
            raise
        self._backoff.reset()
        self._wake.set()

    async def run(self) -> None:
        """Connect, bind and serve; after any loss, reconnect with backoff. Returns after `stop()`.

        Never raises but `CancelledError`; a cancelled run drops the link without unbinding.
        """
        if self._running:
            raise RuntimeError(f"SmppClient {self.name}: run() is already running")
        self._running = True
        self._done.clear()
        first = True
        try:
            while not self._stopping:
                if not first:
                    self.stats.reconnects += 1
                first = False
                try:
                    await self._connect_and_serve()
                except Exception:
                    self._log.exception("smpp.client_error")
                if not self._stopping:  # (stop() may have been called meanwhile)
                    await self._pause(self._backoff.next_delay())
        finally:
            await self._cancel_delivers()
            self._running = False
            self._done.set()
            self._log.info("smpp.stopped")

    async def stop(self, timeout_s: float = 5) -> None:
        """Stop taking submits, let in-flight submits and receipts finish (up to ``timeout_s``),
        unbind (up to ``response_timeout_s`` more), close the link, and wait for `run` to return.
        The client cannot be started again."""
        if not self._stopping:
            self._stop_timeout_s = timeout_s
            self._stopping = True
            self._stop_event.set()
            self._wake.set()
        if self._running:
            await self._done.wait()

    async def submit(self, pdu: SubmitSm) -> SubmitSmResp:
        """Send ``pdu`` within the window and the rate, and return the SMSC's response, whatever its
        status. Raises `NotBound`, `LinkLost` or `SubmitTimeout` (see the module docstring)."""
        sent = await self.send(pdu)
        await asyncio.wait((sent,))
        return self.response_of(sent)

    async def send(self, pdu: SubmitSm) -> asyncio.Future[Pdu]:
        """Wait for a window slot and the rate, send ``pdu``, and return the future of its raw
        response; read it with `response_of` once done. The slot is freed when it completes.

        For callers that keep many submits in flight: no task per submit, and a callback added to
        the future runs as soon as the response is read (before any deliver_sm read with it is
        handled). Raises `NotBound` if nothing was sent.
        """
        if not self.bound:
            raise NotBound(f"{self.name} is not bound")
        await self._window.acquire()
        try:
            delay = self._throttle.reserve()
            if delay > 0:
                await asyncio.sleep(delay)
            link = self._link
            if link is None or self._stopping or link.unbinding or not link.up:
                raise NotBound(f"{self.name} is not bound")
            try:
                sent = link.send_request(pdu, CommandId.SUBMIT_SM_RESP, self._response_timeout_s)
            except ProtocolStateError as exc:
                raise NotBound(f"{self.name}: {exc}") from None
        except BaseException:
            self._window.release()
            raise
        self.stats.submitted += 1
        sent.add_done_callback(self._submitted)
        if link.should_drain():
            with contextlib.suppress(OSError, TimeoutError):  # a dead link fails `sent` with LinkLost
                async with asyncio.timeout(self._response_timeout_s):
                    await link.drain()
        return sent

    def response_of(self, sent: asyncio.Future[Pdu]) -> SubmitSmResp:
        """The outcome of a done `send`: its `SubmitSmResp` (a generic_nack comes back as one with
        the nack's status), or `SubmitTimeout` / `LinkLost` raised."""
        error = sent.exception()
        if isinstance(error, TimeoutError):
            raise SubmitTimeout(f"no submit_sm_resp from {self.name} within {self._response_timeout_s} s")
        if error is not None:
            raise error
        response = sent.result()
        if isinstance(response, SubmitSmResp):
            return response
        status = response.command_status or CommandStatus.ESME_RSYSERR
        return SubmitSmResp(sequence_number=response.sequence_number, command_status=status)

    def _submitted(self, sent: asyncio.Future[Pdu]) -> None:
        """Free the window slot and account for the outcome (stats, the throttle pause)."""
        self._window.release()
        if sent.cancelled():
            return
        error = sent.exception()
        if error is None:
            self._count_response(sent.result())
        elif isinstance(error, UnreadableResponse):
            self.stats.responses += 1
            self.stats.unreadable += 1
        elif isinstance(error, TimeoutError):
            self.stats.timeouts += 1
            self._log.warning("smpp.submit_timeout", timeout_s=self._response_timeout_s)

    # Submitting.

    def _count_response(self, response: Pdu) -> None:
        self.stats.responses += 1
        status = response.command_status
        if isinstance(response, GenericNack):
            self.stats.nacks += 1
            status = status or CommandStatus.ESME_RSYSERR
            self._log.warning("smpp.submit_nacked", status=_status_name(status))
        if status == CommandStatus.ESME_RTHROTTLED:
            self.stats.throttled += 1
            self._throttle.hold(self._throttle_pause_s)
            self._log.info("smpp.throttled", pause_s=self._throttle_pause_s)

    async def _request(self, link: _Link, pdu: Pdu, expect: int) -> Pdu:
        """Send request ``pdu`` on ``link`` and return its response (the ``expect`` PDU or a
        generic_nack). Raises `NotBound` if the link is down, `LinkLost` if it goes down before
        the answer, `TimeoutError` after ``response_timeout_s``, `ProtocolStateError` when the
        session may not send ``pdu`` now."""
        if not link.up:
            raise NotBound(f"{self.name}: the link is down")
        future = link.send_request(pdu, expect, self._response_timeout_s)
        if link.should_drain():
            try:
                async with asyncio.timeout(self._response_timeout_s):
                    await link.drain()
            except OSError as exc:
                raise LinkLost(f"{self.name}: {exc}") from None
        return await future

    async def _sweep(self, link: _Link) -> None:
        """Fail requests that outlived the response timeout (one timer per link, not per request)."""
        interval = min(1.0, max(0.01, self._response_timeout_s / 4))
        loop = asyncio.get_running_loop()
        while True:
            await asyncio.sleep(interval)
            link.expire(loop.time())

    # Connecting and serving.

    def _bind_pdu(self) -> BindTransceiver:
        return BindTransceiver(system_id=self._system_id, password=self._password, system_type=self._system_type)

    async def _pause(self, delay: float) -> None:
        """Sleep ``delay`` seconds, or less if `stop` or `update_credentials` wakes us."""
        self._log.debug("smpp.reconnect_in", delay_s=round(delay, 3))
        self._wake.clear()
        if self._stopping:
            return
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(delay):
                await self._wake.wait()

    async def _unless_stopping(self, awaitable: Awaitable[T]) -> T | None:
        """Await ``awaitable``, or cancel it and return None if `stop` is called meanwhile."""
        task = asyncio.ensure_future(awaitable)
        stopper = asyncio.ensure_future(self._stop_event.wait())
        try:
            await asyncio.wait((task, stopper), return_when=asyncio.FIRST_COMPLETED)
        finally:
            stopper.cancel()
            if not task.done():
                task.cancel()
                await asyncio.wait((task,))
        if task.cancelled():
            return None
        return task.result()

    async def _open_connection(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        # asyncio.timeout, not wait_for, which on Python 3.11 can swallow a cancellation that comes
        # as the connection opens (leaving a task that cannot be stopped).
        async with asyncio.timeout(self._connect_timeout_s):
            return await asyncio.open_connection(self.host, self.port)

    async def _connect_and_serve(self) -> None:
        try:
            opened = await self._unless_stopping(self._open_connection())
        except (OSError, TimeoutError) as exc:
            self.last_error = f"connect to {self.host}:{self.port} failed: {str(exc) or type(exc).__name__}"
            self._log.warning("smpp.connect_failed", error=str(exc) or type(exc).__name__)
            return
        if opened is None:
            return
        reader, writer = opened
        self.stats.connects += 1
        link = _Link(reader, writer, self._log)
        reader_task = asyncio.create_task(self._read_loop(link), name=f"smpp-read-{self.name}")
        sweeper = asyncio.create_task(self._sweep(link), name=f"smpp-sweep-{self.name}")
        tasks: list[asyncio.Task[None]] = [reader_task]
        bound_at: float | None = None
        try:
            if not await self._bind(link):
                return
            bound_at = asyncio.get_running_loop().time()
            if self._enquire_link_interval_s > 0:
                tasks.append(asyncio.create_task(self._keepalive(link), name=f"smpp-keepalive-{self.name}"))
            stopper = asyncio.create_task(self._wait_stop())
            tasks.append(stopper)
            await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
            if self._stopping and link.up and not reader_task.done():
                await self._close_gracefully(link, reader_task)
            else:
                self.stats.link_losses += 1
        finally:
            link.up = False
            if bound_at is not None:
                self._settle_backoff(bound_at)
            if self._link is link:
                self._set_bound(None)
            lost = link.fail_pending()
            if lost:
                self.stats.lost_in_flight += lost
                self._log.warning("smpp.in_flight_lost", requests=lost)
            for task in (*tasks, sweeper):
                task.cancel()
            await asyncio.gather(*tasks, sweeper, return_exceptions=True)
            link.flush()  # an unbind_resp or a last generic_nack
            link.conn.close()
            await self._close_transport(writer)

    async def _wait_stop(self) -> None:
        await self._stop_event.wait()

    def _settle_backoff(self, bound_at: float) -> None:
        """A bind that lasted ``stable_bind_s`` was a success: reconnect soon. One that did not
        (bound, then dropped or unbound at once) counts as a failure, so the backoff keeps growing."""
        if asyncio.get_running_loop().time() - bound_at >= self._stable_bind_s:
            self._backoff.reset()

    async def _bind(self, link: _Link) -> bool:
        """Send bind_transceiver; True once bound, False (logged) otherwise."""
        try:
            response = await self._unless_stopping(
                self._request(link, self._bind_pdu(), CommandId.BIND_TRANSCEIVER_RESP)
            )
        except TimeoutError:
            self.stats.bind_failures += 1
            self.last_error = f"no bind_transceiver_resp within {self._response_timeout_s:g} s"
            self._log.warning("smpp.bind_timeout", timeout_s=self._response_timeout_s)
            return False
        except UnreadableResponse:
            self.stats.bind_failures += 1
            self.last_error = "bind_transceiver_resp unreadable"
            self._log.error("smpp.bind_response_unreadable")
            return False
        except SmppClientError as exc:
            self.last_error = f"link lost while binding: {exc}"
            self._log.warning("smpp.bind_link_lost", error=str(exc))
            return False
        if response is None:
            return False
        status = response.command_status
        if status != CommandStatus.ESME_ROK or not isinstance(response, BindTransceiverResp):
            self.stats.bind_failures += 1
            if status in _CREDENTIAL_STATUSES:
                self._backoff.exhaust()
            self.last_error = f"bind refused: {_status_name(status)}"
            self._log.error(
                "smpp.bind_refused",
                status=_status_name(status),
                system_id=self._system_id,
                nack=isinstance(response, GenericNack),
            )
            return False
        self.stats.binds += 1
        if not link.up:  # accepted, and the link was gone before we saw it: no bind to report
            self.last_error = self.last_error or "the SMSC closed the connection after accepting the bind"
            self._log.warning("smpp.bind_lost_at_once", error=self.last_error)
            return False
        self._set_bound(link)
        self._log.info("smpp.bound", smsc_system_id=response.system_id)
        return True

    def _set_bound(self, link: _Link | None) -> None:
        self._link = link
        if link is None:
            self._bound_event.clear()
            self._log.info("smpp.unbound")
        else:
            self._bound_event.set()
        if self._on_state is not None:
            try:
                self._on_state(link is not None)
            except Exception:
                self._log.exception("smpp.on_state_failed")

    async def _keepalive(self, link: _Link) -> None:
        """Send enquire_link after an idle interval; return when one goes unanswered."""
        loop = asyncio.get_running_loop()
        interval = self._enquire_link_interval_s
        while True:
            idle_left = link.last_rx + interval - loop.time()
            if idle_left > 0:
                await asyncio.sleep(idle_left)
                continue
            self.stats.enquire_links_sent += 1
            try:
                await self._request(link, EnquireLink(), CommandId.ENQUIRE_LINK_RESP)
            except TimeoutError:
                self.stats.dead_links += 1
                self.last_error = "link dead: no enquire_link_resp"
                self._log.warning("smpp.link_dead", reason="no enquire_link_resp")
                return
            except (SmppClientError, ProtocolStateError):
                return
            link.last_rx = loop.time()

    async def _close_gracefully(self, link: _Link, reader_task: asyncio.Task[None]) -> None:
        """Wait for in-flight submits and receipts (bounded), then unbind."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self._stop_timeout_s
        while not reader_task.done():
            waiting: set[asyncio.Future[Any]] = {future for _, future, _ in link.pending.values()}
            waiting.update(self._deliver_tasks)
            left = deadline - loop.time()
            if not waiting or left <= 0:
                break
            waiting.add(reader_task)
            await asyncio.wait(waiting, timeout=left, return_when=asyncio.FIRST_COMPLETED)
        if reader_task.done():
            return
        link.unbinding = True
        try:
            await self._request(link, Unbind(), CommandId.UNBIND_RESP)
        except TimeoutError:
            self._log.warning("smpp.unbind_timeout")
        except (SmppClientError, ProtocolStateError) as exc:
            self._log.warning("smpp.unbind_failed", error=str(exc))
        else:
            self._log.info("smpp.unbind_sent")

    async def _close_transport(self, writer: asyncio.StreamWriter) -> None:
        writer.close()
        try:
            async with asyncio.timeout(_CLOSE_TIMEOUT_S):
                await writer.wait_closed()
        except TimeoutError:
            writer.transport.abort()
            await asyncio.sleep(0)  # let the transport run connection_lost
        except OSError:
            pass

    # Reading.

    async def _read_loop(self, link: _Link) -> None:
        """Feed the socket to the session and act on what comes out; returns when the link ends."""
        loop = asyncio.get_running_loop()
        reader = link.reader
        try:
            while True:
                data = await reader.read(_READ_SIZE)
                if not data:
                    if not self._stopping:
                        self.last_error = "the SMSC closed the connection"
                    self._log.info("smpp.peer_closed")
                    return
                link.last_rx = loop.time()
                delivers: list[DeliverSm] = []
                end = False
                for event in link.conn.receive_data(data):
                    if isinstance(event, PduError):
                        if self._on_bad_pdu(link, event):
                            end = True
                            break
                    elif event.is_response:
                        self._on_response(link, event)
                    elif isinstance(event, DeliverSm):
                        delivers.append(event)
                    elif self._on_request(link, event):
                        end = True
                        break
                if delivers:
                    self._accept_delivers(link, delivers)
                if end:
                    return
        except OSError as exc:
            self.last_error = f"read failed: {str(exc) or type(exc).__name__}"
            self._log.info("smpp.read_failed", error=str(exc) or type(exc).__name__)
        finally:
            link.up = False

    def _on_response(self, link: _Link, pdu: Pdu) -> None:
        entry = link.pending.get(pdu.sequence_number)
        is_nack = isinstance(pdu, GenericNack)
        if entry is None or (entry[0] != pdu.command_id and not is_nack):
            # Worth an operator's eye: a response after its request timed out (a submit that may go
            # out twice), or an SMSC answering with the wrong sequence number or command.
            self.stats.late_responses += 1
            self._log.warning(
                "smpp.unmatched_response",
                command=type(pdu).__name__,
                sequence_number=pdu.sequence_number,
                status=_status_name(pdu.command_status),
            )
            return
        del link.pending[pdu.sequence_number]
        future = entry[1]
        if not future.done():
            future.set_result(pdu)

    def _on_request(self, link: _Link, pdu: Pdu) -> bool:
        """Answer a request from the SMSC other than deliver_sm; True when the link must end."""
        if isinstance(pdu, EnquireLink):
            link.respond(pdu.response())
            return False
        if isinstance(pdu, Unbind):
            link.respond(pdu.response())
            self.last_error = "the SMSC unbound"
            self._log.info("smpp.unbound_by_peer")
            return True
        if isinstance(pdu, DataSm):
            # Receipts and MO come as deliver_sm here; data_sm is refused visibly, not dropped.
            self._log.warning("smpp.data_sm_refused", source_addr=pdu.source_addr)
            link.respond(pdu.response(command_status=CommandStatus.ESME_RINVCMDID))
            return False
        if isinstance(pdu, Outbind):  # has no response; we are already binding or bound
            self._log.warning("smpp.outbind_ignored")
            return False
        if isinstance(pdu, AlertNotification):  # has no response; we never ask for them (set_dpf)
            self._log.info("smpp.alert_notification", source_addr=pdu.source_addr, esme_addr=pdu.esme_addr)
            return False
        self._log.warning("smpp.request_refused", command=type(pdu).__name__)
        link.respond(GenericNack(sequence_number=pdu.sequence_number, command_status=CommandStatus.ESME_RINVCMDID))
        return False

    def _on_bad_pdu(self, link: _Link, error: PduError) -> bool:
        """Answer a PDU that did not decode or was not allowed; True when the stream is lost.

        A malformed response gets no answer, but completes the request it answers from its header.
        """
        self.stats.bad_pdus += 1
        answer = error_response(error)
        self._log.warning(
            "smpp.bad_pdu",
            error=str(error),
            status=_status_name(error.command_status),
            sequence_number=error.sequence_number,
            fatal=error.fatal,
        )
        if answer is not None:
            link.respond(answer)
        response = header_response(error)
        if response is not None:
            self._on_unreadable_response(link, response)
        return error.fatal

    def _on_unreadable_response(self, link: _Link, response: Pdu) -> None:
        """A response whose header was readable and whose body was not (``response`` has the
        header's status and default body fields).

        A refusal, or a response that has nothing in its body, completes its request as usual. An
        acceptance whose body mattered (a submit_sm_resp's message_id) fails it with
        `UnreadableResponse`: left pending, it would time out and the sender would send the SMS a
        second time.
        """
        if response.command_status != CommandStatus.ESME_ROK or isinstance(response, _HEADER_ONLY_RESPONSES):
            self._on_response(link, response)
            return
        entry = link.pending.get(response.sequence_number)
        if entry is None or entry[0] != response.command_id:
            self.stats.late_responses += 1
            return
        del link.pending[response.sequence_number]
        future = entry[1]
        if not future.done():
            future.set_exception(
                UnreadableResponse(f"{type(response).__name__} from {self.name} accepted the request, body unreadable")
            )

    # Receipts and MO.

    def _accept_delivers(self, link: _Link, pdus: list[DeliverSm]) -> None:
        """Hand the deliver_sm read together to the handler: with a batch handler all in one task
        (one slot), else one task (and slot) each; without a free slot they wait their turn, or,
        when too many wait already, are answered ESME_RX_T_APPN. Never blocks the reader."""
        if link.unbinding:
            for pdu in pdus:
                link.respond(pdu.response(command_status=CommandStatus.ESME_RX_T_APPN))
            return
        batches = [pdus] if self._on_deliver_batch is not None else [[pdu] for pdu in pdus]
        for batch in batches:
            if len(self._deliver_tasks) < self._deliver_limit and not self._deliver_waiting:
                self._start_deliver(link, batch)
            elif self._deliver_waiting_pdus + len(batch) <= self._deliver_backlog:
                self._deliver_waiting.append((link, batch))
                self._deliver_waiting_pdus += len(batch)
            else:
                self.stats.delivers_deferred += len(batch)
                self._log.warning("smpp.deliver_deferred", count=len(batch), waiting=self._deliver_waiting_pdus)
                for pdu in batch:
                    link.respond(pdu.response(command_status=CommandStatus.ESME_RX_T_APPN))

    def _start_deliver(self, link: _Link, batch: list[DeliverSm]) -> None:
        task = asyncio.get_running_loop().create_task(self._deliver(link, batch))
        self._deliver_tasks.add(task)
        task.add_done_callback(self._deliver_done)

    def _deliver_done(self, task: asyncio.Task[None]) -> None:
        """A handler slot is free: the longest-waiting batch takes it (one of a lost link is
        dropped unanswered, one of a link being unbound is answered ESME_RX_T_APPN)."""
        self._deliver_tasks.discard(task)
        while self._deliver_waiting and len(self._deliver_tasks) < self._deliver_limit:
            link, batch = self._deliver_waiting.popleft()
            self._deliver_waiting_pdus -= len(batch)
            if not link.up:
                continue
            if link.unbinding:
                for pdu in batch:
                    link.respond(pdu.response(command_status=CommandStatus.ESME_RX_T_APPN))
                continue
            self._start_deliver(link, batch)

    async def _statuses(self, pdus: list[DeliverSm]) -> list[int]:
        if self._on_deliver_batch is not None:
            answered = [int(status) for status in await self._on_deliver_batch(pdus)]
            if len(answered) != len(pdus):
                raise RuntimeError(f"the deliver handler answered {len(answered)} statuses for {len(pdus)} PDUs")
            return answered
        handler = self._on_deliver
        if handler is None:  # pragma: no cover - the constructor requires one of the two
            raise RuntimeError("no deliver handler")
        return [int(await handler(pdu)) for pdu in pdus]

    def _failed_deliver(self, pdu: DeliverSm, error: BaseException) -> int:
        self.stats.deliver_errors += 1
        if isinstance(error, PduError):
            self._log.warning("smpp.deliver_malformed", error=str(error), status=_status_name(error.command_status))
            return error.command_status
        self._log.error(
            "smpp.deliver_handler_failed",
            sequence_number=pdu.sequence_number,
            exc_info=(type(error), error, error.__traceback__),
        )
        return int(CommandStatus.ESME_RX_T_APPN)

    async def _deliver(self, link: _Link, pdus: list[DeliverSm]) -> None:
        try:
            statuses = await self._statuses(pdus)
        except Exception as error:
            statuses = [self._failed_deliver(pdu, error) for pdu in pdus]
        self.stats.delivers += len(pdus)
        for pdu, status in zip(pdus, statuses, strict=True):
            if not link.respond(pdu.response(command_status=status)):
                self._log.warning("smpp.deliver_unacknowledged", sequence_number=pdu.sequence_number)
                return
        with contextlib.suppress(OSError):
            await link.drain()

    async def _cancel_delivers(self) -> None:
        self._deliver_waiting.clear()
        self._deliver_waiting_pdus = 0
        tasks = list(self._deliver_tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
