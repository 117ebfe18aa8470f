"""A sans-I/O SMPP session, in the manner of h11: bytes in, events out; PDUs in, bytes out.

::

    conn = Connection(Role.ESME)
    sock.sendall(conn.send(BindTransceiver(system_id="esme1", password="secret")))
    for event in conn.receive_data(sock.recv(65536)):
        ...  # a Pdu, or a PduError to answer with pdus.error_response(event)

The connection frames the byte stream (any chunking), decodes PDUs, numbers outgoing requests,
and follows the session state of SMPP 3.4 §2.2-§2.3 (OPEN, BOUND_TX/RX/TRX, UNBOUND, CLOSED),
refusing to send what the state or the role does not allow. Windowing, timers and futures belong
to the asyncio adapter that moves the bytes, not here.
"""

from __future__ import annotations

from enum import Enum
from typing import TypeAlias

import msgspec

from smscloud.protocols.smpp._framing import DEFAULT_MAX_COMMAND_LENGTH, HEADER_SIZE, checked_length
from smscloud.protocols.smpp.codec import decode, encode
from smscloud.protocols.smpp.constants import RESPONSE_BIT, CommandId, CommandStatus
from smscloud.protocols.smpp.errors import (
    FramingError,
    PduError,
    ProtocolStateError,
    UnexpectedPduError,
)
from smscloud.protocols.smpp.pdus import Pdu

__all__ = ["MAX_SEQUENCE_NUMBER", "Connection", "Event", "Role", "SessionState"]

MAX_SEQUENCE_NUMBER = 0x7FFFFFFF
"""Sequence numbers run 1..0x7FFFFFFF and then wrap to 1 (§5.1.4)."""

Event: TypeAlias = Pdu | PduError
"""What `Connection.receive_data` returns: a decoded PDU, or the error a frame turned into."""


class Role(Enum):
    """Which end of the session this `Connection` plays."""

    ESME = "esme"
    SMSC = "smsc"

    __hash__ = object.__hash__  # members are singletons; Enum's own hash runs in Python


class SessionState(Enum):
    """SMPP session states (§2.2). UNBOUND: unbind was answered; CLOSED: `close()` was called."""

    OPEN = "open"
    BOUND_TX = "bound_tx"
    BOUND_RX = "bound_rx"
    BOUND_TRX = "bound_trx"
    UNBOUND = "unbound"
    CLOSED = "closed"

    __hash__ = object.__hash__  # members are singletons; Enum's own hash runs in Python


_S = SessionState
_BOUND = frozenset({_S.BOUND_TX, _S.BOUND_RX, _S.BOUND_TRX})
_TX = frozenset({_S.BOUND_TX, _S.BOUND_TRX})
_RX = frozenset({_S.BOUND_RX, _S.BOUND_TRX})
_NOT_CLOSED = frozenset(_S) - {_S.CLOSED}

_BIND_TARGET = {
    CommandId.BIND_TRANSMITTER: _S.BOUND_TX,
    CommandId.BIND_RECEIVER: _S.BOUND_RX,
    CommandId.BIND_TRANSCEIVER: _S.BOUND_TRX,
}
# Commands that never change the session state, as plain ints for a fast membership test.
_STATELESS = frozenset(
    int(command)
    for command in (
        CommandId.SUBMIT_SM,
        CommandId.SUBMIT_SM_RESP,
        CommandId.DELIVER_SM,
        CommandId.DELIVER_SM_RESP,
        CommandId.DATA_SM,
        CommandId.DATA_SM_RESP,
        CommandId.ENQUIRE_LINK,
        CommandId.ENQUIRE_LINK_RESP,
        CommandId.QUERY_SM,
        CommandId.QUERY_SM_RESP,
    )
)

# Which side may send each request, and in which states (§2.3, table 2-1). enquire_link is
# accepted in every state but CLOSED, as SMPP 5.0 allows and most SMSCs do.
_ALLOWED: dict[tuple[Role, int], frozenset[SessionState]] = {
    (Role.ESME, CommandId.BIND_TRANSMITTER): frozenset({_S.OPEN}),
    (Role.ESME, CommandId.BIND_RECEIVER): frozenset({_S.OPEN}),
    (Role.ESME, CommandId.BIND_TRANSCEIVER): frozenset({_S.OPEN}),
    (Role.SMSC, CommandId.OUTBIND): frozenset({_S.OPEN}),
    (Role.ESME, CommandId.UNBIND): _BOUND,
    (Role.SMSC, CommandId.UNBIND): _BOUND,
    (Role.ESME, CommandId.SUBMIT_SM): _TX,
    (Role.ESME, CommandId.QUERY_SM): _TX,
    (Role.ESME, CommandId.DATA_SM): _TX,
    (Role.SMSC, CommandId.DELIVER_SM): _RX,
    (Role.SMSC, CommandId.DATA_SM): _RX,
    (Role.SMSC, CommandId.ALERT_NOTIFICATION): _RX,
    (Role.ESME, CommandId.ENQUIRE_LINK): _NOT_CLOSED,
    (Role.SMSC, CommandId.ENQUIRE_LINK): _NOT_CLOSED,
}


def _name(command_id: int) -> str:
    return CommandId(command_id).name.lower()


def _states(states: frozenset[SessionState]) -> str:
    return " or ".join(sorted(state.name for state in states))


class Connection:
    """One SMPP session seen from ``role``. Not thread-safe; one per TCP connection."""

    def __init__(self, role: Role, *, max_command_length: int = DEFAULT_MAX_COMMAND_LENGTH) -> None:
        self.role = role
        self._peer = Role.SMSC if role is Role.ESME else Role.ESME
        self._max_command_length = max_command_length
        self._state = SessionState.OPEN
        self._sequence = 0
        self._buffer = bytearray()
        self._broken = False
        self._pending_bind: int | None = None  # command_id of the bind awaiting its response
        self._pending_bind_sequence = 0
        self._unbinding = False

    @property
    def state(self) -> SessionState:
        return self._state

    def next_sequence(self) -> int:
        """The next sequence number for a request: 1, 2, ... 0x7FFFFFFF, then 1 again."""
        self._sequence = self._sequence % MAX_SEQUENCE_NUMBER + 1
        return self._sequence

    def send(self, pdu: Pdu) -> bytes:
        """The bytes to write for ``pdu``, after checking it against the session state.

        A request with sequence_number 0 gets the next one; to correlate the response, set
        ``sequence_number=conn.next_sequence()`` yourself instead. Raises `ProtocolStateError`
        when the state or the role forbids the PDU, and `PduEncodeError` when a field does not
        fit; in both cases the state is unchanged.
        """
        if self._state is SessionState.CLOSED:
            raise ProtocolStateError(f"cannot send {_name(pdu.command_id)}: the connection is closed")
        if pdu.is_response:
            self._check_local_response(pdu)
        else:
            problem = self._request_problem(self.role, pdu)
            if problem is not None:
                raise ProtocolStateError(problem[0])
            if pdu.sequence_number == 0:
                pdu = msgspec.structs.replace(pdu, sequence_number=self.next_sequence())
        data = encode(pdu)
        self._apply(pdu)
        return data

    def send_request(self, pdu: Pdu) -> tuple[int, bytes]:
        """Number request ``pdu`` with the next sequence number and encode it, without copying it:
        returns (sequence_number, bytes). The PDU's own sequence_number is ignored. Raises like
        `send`."""
        if self._state is SessionState.CLOSED:
            raise ProtocolStateError(f"cannot send {_name(pdu.command_id)}: the connection is closed")
        if pdu.is_response:
            raise ProtocolStateError(f"{_name(pdu.command_id)} is a response, not a request")
        problem = self._request_problem(self.role, pdu)
        if problem is not None:
            raise ProtocolStateError(problem[0])
        sequence = self.next_sequence()
        if pdu.command_id in _BIND_TARGET:  # the session remembers a bind's sequence number
            pdu = msgspec.structs.replace(pdu, sequence_number=sequence)
            data = encode(pdu)
        else:
            data = encode(pdu, sequence_number=sequence)
        self._apply(pdu)
        return sequence, data

    def receive_data(self, data: bytes) -> list[Event]:
        """Feed bytes read from the transport; get every PDU (or error) they complete.

        Never raises for what the peer sent: a frame that does not decode becomes a `PduError` in
        the list, a PDU the peer may not send now an `UnexpectedPduError` (holding the PDU). After
        a fatal `FramingError` the stream cannot be resynchronised: later calls return nothing and
        the transport should be closed once the generic_nack is written.
        """
        if self._state is SessionState.CLOSED:
            raise ProtocolStateError("cannot receive data: the connection is closed")
        if self._broken:
            return []
        buffer = self._buffer
        buffer += data
        events: list[Event] = []
        pos = 0
        available = len(buffer)
        while available - pos >= HEADER_SIZE:
            try:
                length = checked_length(buffer, pos, self._max_command_length)
            except FramingError as exc:
                events.append(exc)
                self._broken = True
                buffer.clear()
                return events
            if available - pos < length:
                break
            frame = bytes(buffer[pos : pos + length])
            pos += length
            try:
                pdu = decode(frame)
            except PduError as exc:
                events.append(exc)
                continue
            events.append(self._received(pdu))
        del buffer[:pos]
        return events

    def close(self) -> None:
        """The transport is gone: nothing more can be sent or received."""
        self._state = SessionState.CLOSED
        self._buffer.clear()

    # Internals.

    def _request_problem(self, sender: Role, pdu: Pdu) -> tuple[str, int] | None:
        """Why ``sender`` may not send request ``pdu`` now (message and status), or None."""
        command_id = pdu.command_id
        allowed = _ALLOWED.get((sender, command_id))
        if allowed is None:
            return f"{_name(command_id)} is not sent by the {sender.name}", CommandStatus.ESME_RINVCMDID
        if command_id in _BIND_TARGET and (self._pending_bind is not None or self._state in _BOUND):
            return (
                f"{_name(command_id)}: the session is already bound or binding ({self._state.name})",
                CommandStatus.ESME_RALYBND,
            )
        if self._state not in allowed:
            hint = " (bind first)" if self._state is SessionState.OPEN else ""
            return (
                f"{_name(command_id)} needs a {_states(allowed)} session; it is {self._state.name}{hint}",
                CommandStatus.ESME_RINVBNDSTS,
            )
        return None

    def _check_local_response(self, pdu: Pdu) -> None:
        """Only a successful bind response needs its bind; error responses may always be sent."""
        request_id = pdu.command_id & ~RESPONSE_BIT
        if (
            request_id in _BIND_TARGET
            and pdu.command_status == CommandStatus.ESME_ROK
            and not self._answers_pending_bind(pdu, request_id)
        ):
            raise ProtocolStateError(
                f"{_name(pdu.command_id)}: no {_name(request_id)} with sequence_number"
                f" {pdu.sequence_number} is waiting for it"
            )

    def _answers_pending_bind(self, pdu: Pdu, request_id: int) -> bool:
        return self._pending_bind == request_id and pdu.sequence_number == self._pending_bind_sequence

    def _received(self, pdu: Pdu) -> Event:
        if not pdu.is_response:
            problem = self._request_problem(self._peer, pdu)
            if problem is not None:
                message, status = problem
                return UnexpectedPduError(message, pdu=pdu, command_status=status)
        self._apply(pdu)
        return pdu

    def _apply(self, pdu: Pdu) -> None:
        """Update the session state for a PDU that was sent or received (already checked)."""
        command_id = pdu.command_id
        if command_id in _STATELESS:  # the traffic itself: nothing to update (the hot path)
            return
        if command_id in _BIND_TARGET:
            self._pending_bind = command_id
            self._pending_bind_sequence = pdu.sequence_number
        elif command_id == CommandId.UNBIND:
            self._unbinding = True
        elif command_id == CommandId.UNBIND_RESP:
            if self._unbinding and pdu.command_status == CommandStatus.ESME_ROK:
                self._state = SessionState.UNBOUND
            self._unbinding = False
        elif command_id == CommandId.GENERIC_NACK:
            if self._pending_bind is not None and pdu.sequence_number == self._pending_bind_sequence:
                self._pending_bind = None  # the bind was refused as undecodable; it may be retried
        elif pdu.is_response:
            request_id = command_id & ~RESPONSE_BIT
            if request_id in _BIND_TARGET and self._answers_pending_bind(pdu, request_id):
                self._pending_bind = None
                if pdu.command_status == CommandStatus.ESME_ROK:
                    self._state = _BIND_TARGET[CommandId(request_id)]
