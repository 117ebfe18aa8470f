"""Errors of the SMPP codec and session.

::

    SmppError                     base of everything raised here
    ├── PduError                  peer bytes that are not a valid PDU; carries the command_status to answer
    │   ├── FramingError          the 16-byte header is unusable (command_length); the stream cannot resync
    │   ├── UnknownCommandError   command_id is not one this codec decodes (ESME_RINVCMDID); frame skipped
    │   ├── TlvError              a known TLV has a value of the wrong size or shape (raised by accessors)
    │   └── UnexpectedPduError    a well-formed PDU the peer may not send now (state or direction)
    ├── PduEncodeError            we were asked to encode a field that does not fit SMPP 3.4 (also ValueError)
    ├── ProtocolStateError        we tried to send a PDU the session state or our role does not allow
    └── TextCodingError           data_coding / UDH values `text.py` cannot handle (also ValueError)

A session answers a `PduError` with `pdus.error_response(error)`: the matching ``*_resp`` when the
offending PDU was a request whose header was readable and whose length fitted its command, nothing
when it was a response, else ``generic_nack``. A malformed response still says, in its header,
what became of the request it answers: `pdus.header_response(error)`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from smscloud.protocols.smpp.constants import CommandStatus

if TYPE_CHECKING:
    from smscloud.protocols.smpp.pdus import Pdu

__all__ = [
    "FramingError",
    "PduEncodeError",
    "PduError",
    "ProtocolStateError",
    "SmppError",
    "TextCodingError",
    "TlvError",
    "UnexpectedPduError",
    "UnknownCommandError",
]


class SmppError(Exception):
    """Base class of every error raised by `smscloud.protocols.smpp`."""


class PduError(SmppError):
    """Bytes from the peer that do not decode to a valid PDU.

    ``command_status`` is what a server should answer with. ``sequence_number`` and ``command_id``
    are set when the header could be read, so the answer can carry them; ``header_status`` is then
    the command_status the header itself carried, which for a malformed response is the peer's
    verdict on our request (readable even when the body is not).
    """

    fatal: ClassVar[bool] = False
    """True when the byte stream cannot be resynchronised: the connection must be dropped."""

    command_status: int
    sequence_number: int | None
    command_id: int | None
    header_status: int | None

    def __init__(
        self,
        message: str,
        *,
        command_status: int = CommandStatus.ESME_RSYSERR,
        sequence_number: int | None = None,
        command_id: int | None = None,
        header_status: int | None = None,
    ) -> None:
        super().__init__(message)
        self.command_status = command_status
        self.sequence_number = sequence_number
        self.command_id = command_id
        self.header_status = header_status


class FramingError(PduError):
    """The header's command_length is impossible (< 16, or above the configured cap)."""

    fatal = True


class UnknownCommandError(PduError):
    """The frame is well delimited but its command_id is unknown or unsupported."""


class TlvError(PduError):
    """A known optional parameter has a malformed value."""


class UnexpectedPduError(PduError):
    """A valid PDU that the peer may not send in the current session state or in its role.

    The decoded PDU is kept in ``pdu``.
    """

    def __init__(
        self,
        message: str,
        *,
        pdu: Pdu,
        command_status: int = CommandStatus.ESME_RINVBNDSTS,
    ) -> None:
        super().__init__(
            message,
            command_status=command_status,
            sequence_number=pdu.sequence_number,
            command_id=pdu.command_id,
            header_status=pdu.command_status,
        )
        self.pdu = pdu


class PduEncodeError(SmppError, ValueError):
    """A PDU field does not fit the SMPP 3.4 wire format (too long, out of range, embedded NUL...)."""


class ProtocolStateError(SmppError):
    """The local side tried to send a PDU that the session state or its role does not allow."""


class TextCodingError(SmppError, ValueError):
    """A data_coding value `text.py` cannot encode or decode, or a malformed user data header."""
