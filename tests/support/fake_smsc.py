"""A scriptable SMSC for tests: `asyncio.start_server` plus the sans-I/O `Connection(Role.SMSC)`.

::

    async with FakeSmsc(password="secret") as smsc:
        client = SmppClient(host="127.0.0.1", port=smsc.port, ...)
        ...
        await eventually(lambda: len(smsc.submits) == 3)

Scripting knobs, all plain attributes that a test may change at any time:

* ``system_id`` / ``password``: the credentials a bind must carry; anything else is refused with
  ``credentials_status`` and the connection closed (as real SMSCs do).
* ``bind_status``: when not None, every bind is refused with it (ESME_RALYBND, ESME_RSYSERR, ...).
* ``on_submit``: ``async (SubmitSm) -> Pdu | None`` deciding each submit_sm's answer. Return the
  response to send (any status, or a `GenericNack`), or None to drop it. It runs in its own task,
  so it may wait on an event to delay the answer. The default answers ESME_ROK with ids 1, 2, ...
* ``answer_enquire_link``: False to leave enquire_link unanswered (a dead link).

What the client did is recorded: ``received`` (every PDU), ``submits``, ``deliver_responses``,
``outstanding`` / ``max_outstanding`` (submit_sm received and not yet answered or dropped),
``sessions`` (one `FakeSmscSession` per TCP connection, with ``deliver``, ``enquire_link``,
``unbind``, ``write_raw`` and ``abort`` to act on the client).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
from collections.abc import Awaitable, Callable
from types import TracebackType

import msgspec

from smscloud.protocols.smpp import (
    BindReceiver,
    BindTransceiver,
    BindTransmitter,
    CommandStatus,
    Connection,
    DeliverSm,
    DeliverSmResp,
    EnquireLink,
    EnquireLinkResp,
    Pdu,
    PduError,
    Role,
    SessionState,
    SubmitSm,
    Unbind,
    UnbindResp,
    error_response,
)

__all__ = ["FakeSmsc", "FakeSmscSession", "SubmitScript", "eventually"]

SubmitScript = Callable[[SubmitSm], Awaitable[Pdu | None]]


async def eventually(predicate: Callable[[], bool], timeout: float = 5.0, interval: float = 0.002) -> None:
    """Poll ``predicate`` until it holds; fail the test after ``timeout`` seconds."""
    async with asyncio.timeout(timeout):
        while not predicate():
            await asyncio.sleep(interval)


class FakeSmscSession:
    """One ESME connection as the fake SMSC sees it."""

    def __init__(self, smsc: FakeSmsc, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.smsc = smsc
        self.conn = Connection(Role.SMSC)
        self.reader = reader
        self.writer = writer
        self.received: list[Pdu] = []
        self.deliver_responses: dict[int, DeliverSmResp] = {}
        self.enquire_link_responses: dict[int, EnquireLinkResp] = {}
        self.unbind_responses: list[UnbindResp] = []
        self.tasks: set[asyncio.Task[None]] = set()
        self.closed = False

    @property
    def bound(self) -> bool:
        return self.conn.state in (SessionState.BOUND_TRX, SessionState.BOUND_RX, SessionState.BOUND_TX)

    def send(self, pdu: Pdu) -> Pdu:
        """Write ``pdu`` (a request gets the next sequence number); returns what was sent."""
        if not pdu.is_response and pdu.sequence_number == 0:
            pdu = msgspec.structs.replace(pdu, sequence_number=self.conn.next_sequence())
        self.writer.write(self.conn.send(pdu))
        return pdu

    def deliver(self, pdu: DeliverSm) -> int:
        """Send a deliver_sm; its response lands in ``deliver_responses[sequence_number]``."""
        return self.send(pdu).sequence_number

    def enquire_link(self) -> int:
        return self.send(EnquireLink()).sequence_number

    def unbind(self) -> int:
        return self.send(Unbind()).sequence_number

    def write_raw(self, data: bytes) -> None:
        self.writer.write(data)

    def abort(self) -> None:
        """Drop the TCP connection without a word."""
        self.closed = True
        self.writer.transport.abort()

    async def serve(self) -> None:
        try:
            while True:
                data = await self.reader.read(65536)
                if not data:
                    return
                for event in self.conn.receive_data(data):
                    if isinstance(event, PduError):
                        answer = error_response(event)
                        if answer is not None:
                            self.writer.write(self.conn.send(answer))
                        if event.fatal:
                            return
                        continue
                    self.received.append(event)
                    self.smsc.received.append(event)
                    if not self._handle(event):
                        await self.writer.drain()
                        return
        except OSError:
            return
        finally:
            self.closed = True
            for task in list(self.tasks):
                task.cancel()
            await asyncio.gather(*self.tasks, return_exceptions=True)
            self.conn.close()
            self.writer.close()
            with contextlib.suppress(OSError):
                await self.writer.wait_closed()

    def _handle(self, pdu: Pdu) -> bool:
        """Act on one PDU from the client; False to close the connection."""
        smsc = self.smsc
        if isinstance(pdu, BindTransceiver | BindTransmitter | BindReceiver):
            smsc.binds.append(pdu)
            status = smsc.bind_status
            if status is None and (pdu.system_id != smsc.system_id or pdu.password != smsc.password):
                status = smsc.credentials_status
            self.writer.write(self.conn.send(pdu.response(command_status=status or 0, system_id="FAKESMSC")))
            return status is None and not smsc.close_after_bind
        if isinstance(pdu, EnquireLink):
            if smsc.answer_enquire_link:
                self.writer.write(self.conn.send(pdu.response()))
            return True
        if isinstance(pdu, Unbind):
            self.writer.write(self.conn.send(pdu.response()))
            return False
        if isinstance(pdu, SubmitSm):
            smsc.submits.append(pdu)
            smsc.outstanding += 1
            smsc.max_outstanding = max(smsc.max_outstanding, smsc.outstanding)
            task = asyncio.get_running_loop().create_task(self._answer_submit(pdu))
            self.tasks.add(task)
            task.add_done_callback(self.tasks.discard)
            return True
        if isinstance(pdu, DeliverSmResp):
            self.deliver_responses[pdu.sequence_number] = pdu
            smsc.deliver_responses.append(pdu)
        elif isinstance(pdu, EnquireLinkResp):
            self.enquire_link_responses[pdu.sequence_number] = pdu
        elif isinstance(pdu, UnbindResp):
            self.unbind_responses.append(pdu)
        return True

    async def _answer_submit(self, pdu: SubmitSm) -> None:
        script = self.smsc.on_submit or self.smsc.accept_submit
        try:
            answer = await script(pdu)
        finally:
            self.smsc.outstanding -= 1
        if answer is None:
            self.smsc.dropped.append(pdu)
        elif not self.closed:
            self.smsc.answered.append(answer)
            self.writer.write(self.conn.send(answer))


class FakeSmsc:
    """See the module docstring."""

    def __init__(self, *, system_id: str = "esme1", password: str = "secret") -> None:  # noqa: S107
        self.system_id = system_id
        self.password = password
        self.credentials_status: int = CommandStatus.ESME_RINVPASWD
        self.bind_status: int | None = None
        self.close_after_bind = False  # accept a bind, then close the connection in the same breath
        self.answer_enquire_link = True
        self.on_submit: SubmitScript | None = None
        self.sessions: list[FakeSmscSession] = []
        self.binds: list[Pdu] = []
        self.received: list[Pdu] = []
        self.submits: list[SubmitSm] = []
        self.answered: list[Pdu] = []
        self.dropped: list[SubmitSm] = []
        self.deliver_responses: list[DeliverSmResp] = []
        self.outstanding = 0
        self.max_outstanding = 0
        self._message_ids = itertools.count(1)
        self._server: asyncio.Server | None = None
        self._handlers: set[asyncio.Task[None]] = set()

    async def accept_submit(self, pdu: SubmitSm) -> Pdu | None:
        """The default answer: ESME_ROK with the next message id (hex)."""
        return pdu.response(message_id=f"{next(self._message_ids):x}")

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("FakeSmsc is not started")
        port: int = self._server.sockets[0].getsockname()[1]
        return port

    @property
    def session(self) -> FakeSmscSession:
        """The newest connection."""
        return self.sessions[-1]

    def bound_sessions(self) -> list[FakeSmscSession]:
        return [session for session in self.sessions if session.bound and not session.closed]

    def of_type(self, kind: type[Pdu]) -> list[Pdu]:
        return [pdu for pdu in self.received if isinstance(pdu, kind)]

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
        for session in self.sessions:
            if not session.closed:
                session.abort()
        for task in list(self._handlers):
            task.cancel()
        await asyncio.gather(*self._handlers, return_exceptions=True)
        if self._server is not None:
            await self._server.wait_closed()

    async def __aenter__(self) -> FakeSmsc:
        await self.start()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._handlers.add(task)
        session = FakeSmscSession(self, reader, writer)
        self.sessions.append(session)
        try:
            await session.serve()
        finally:
            if task is not None:
                self._handlers.discard(task)
