"""A plain asyncio ESME for driving the simulator in tests: the sans-I/O `Connection(Role.ESME)`
over an asyncio stream, with request/response correlation and a queue of received deliver_sm."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import Any, TypeVar

import msgspec

from smscloud.protocols.smpp import (
    BindReceiver,
    BindTransceiver,
    BindTransmitter,
    CommandStatus,
    Connection,
    DataCoding,
    DeliverSm,
    EnquireLink,
    GenericNack,
    Pdu,
    PduError,
    Role,
    SmppError,
    SubmitSm,
    SubmitSmResp,
    Unbind,
    encode_text,
)

P = TypeVar("P", bound=Pdu)

AckPolicy = Callable[[DeliverSm], int | None]
"""What to answer a deliver_sm with: a command_status, or None to leave it unanswered."""


def ack_ok(pdu: DeliverSm) -> int | None:
    return CommandStatus.ESME_ROK


class Esme:
    """One SMPP client session. ``deliveries`` holds every deliver_sm received, in order."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.conn = Connection(Role.ESME)
        self.reader = reader
        self.writer = writer
        self.deliveries: asyncio.Queue[DeliverSm] = asyncio.Queue()
        self.ack: AckPolicy = ack_ok
        self.errors: list[PduError] = []
        self.unbinds_received = 0
        self.deaf = False  # True: ignore everything the simulator sends
        self.answer_unbind = True  # False: read the simulator's unbind but never answer it
        self.answer_enquire_link = True  # False: read the simulator's enquire_link but never answer it
        self.received: list[Pdu] = []  # every request from the simulator, in order
        self.eof = asyncio.Event()
        self._pending: dict[int, asyncio.Future[Pdu]] = {}
        self._task = asyncio.get_running_loop().create_task(self._read_loop())

    @classmethod
    async def connect(cls, address: tuple[str, int]) -> Esme:
        reader, writer = await asyncio.open_connection(*address)
        return cls(reader, writer)

    async def request(self, pdu: Pdu, *, timeout: float = 10.0) -> Pdu:
        sequence = self.conn.next_sequence()
        pdu = msgspec.structs.replace(pdu, sequence_number=sequence)
        data = self.conn.send(pdu)
        future: asyncio.Future[Pdu] = asyncio.get_running_loop().create_future()
        self._pending[sequence] = future
        self.writer.write(data)
        try:
            return await asyncio.wait_for(future, timeout)
        finally:
            self._pending.pop(sequence, None)

    async def exchange(self, frame: bytes, sequence: int, *, timeout: float = 10.0) -> Pdu:
        """Write raw bytes (bypassing the client's state machine); return the response to ``sequence``."""
        future: asyncio.Future[Pdu] = asyncio.get_running_loop().create_future()
        self._pending[sequence] = future
        self.writer.write(frame)
        try:
            return await asyncio.wait_for(future, timeout)
        finally:
            self._pending.pop(sequence, None)

    async def bind(
        self,
        system_id: str = "esme1",
        password: str = "secret1",  # noqa: S107 - the test credentials
        *,
        mode: str = "transceiver",
    ) -> Pdu:
        cls: Any = {"transceiver": BindTransceiver, "transmitter": BindTransmitter, "receiver": BindReceiver}[mode]
        return await self.request(cls(system_id=system_id, password=password))

    async def submit(
        self,
        destination: str,
        text: str = "hello",
        *,
        registered_delivery: int = 1,
        short_message: bytes | None = None,
        **fields: Any,
    ) -> SubmitSmResp:
        if short_message is None:
            data_coding = fields.pop("data_coding", DataCoding.DEFAULT)
            short_message = encode_text(text, data_coding)
            fields["data_coding"] = data_coding
        fields.setdefault("source_addr", "106900")
        pdu = SubmitSm(
            destination_addr=destination,
            short_message=short_message,
            registered_delivery=registered_delivery,
            **fields,
        )
        response = await self.request(pdu)
        assert isinstance(response, SubmitSmResp), response
        return response

    async def next_delivery(self, *, timeout: float = 10.0) -> DeliverSm:
        return await asyncio.wait_for(self.deliveries.get(), timeout)

    async def unbind(self) -> Pdu:
        return await self.request(Unbind())

    async def wait_closed_by_peer(self, *, timeout: float = 10.0) -> None:
        await asyncio.wait_for(self.eof.wait(), timeout)

    def write_raw(self, data: bytes) -> None:
        self.writer.write(data)

    async def close(self) -> None:
        if not self.writer.is_closing():
            self.writer.close()
        with contextlib.suppress(ConnectionError, OSError):
            await self.writer.wait_closed()
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task

    async def _read_loop(self) -> None:
        try:
            while True:
                try:
                    data = await self.reader.read(65536)
                except (ConnectionError, OSError):
                    break
                if not data:
                    break
                if self.deaf:
                    continue
                try:
                    events = self.conn.receive_data(data)
                except SmppError:
                    break
                for event in events:
                    self._dispatch(event)
        finally:
            self.eof.set()
            for future in self._pending.values():
                if not future.done():
                    future.set_exception(ConnectionError("the simulator closed the connection"))

    def _dispatch(self, event: Pdu | PduError) -> None:
        if isinstance(event, PduError):
            self.errors.append(event)
            return
        if event.is_response or isinstance(event, GenericNack):
            future = self._pending.get(event.sequence_number)
            if future is not None and not future.done():
                future.set_result(event)
            return
        self.received.append(event)
        if isinstance(event, DeliverSm):
            self.deliveries.put_nowait(event)
            status = self.ack(event)
            if status is not None:
                self._send(event.response(command_status=status))
        elif isinstance(event, Unbind):
            self.unbinds_received += 1
            if self.answer_unbind:
                self._send(event.response())
        elif isinstance(event, EnquireLink) and self.answer_enquire_link:
            self._send(event.response())

    def _send(self, pdu: Pdu) -> None:
        with contextlib.suppress(SmppError):
            if not self.writer.is_closing():
                self.writer.write(self.conn.send(pdu))


async def eventually(predicate: Callable[[], bool], *, timeout: float = 10.0) -> None:
    """Wait until ``predicate()`` is true (polling), or fail after ``timeout`` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError(f"condition not met within {timeout} s")
        await asyncio.sleep(0.005)
