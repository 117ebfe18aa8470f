"""The 16-byte PDU header: command_length, command_id, command_status, sequence_number (§3.2)."""

from __future__ import annotations

import struct

from smscloud.protocols.smpp.constants import CommandStatus
from smscloud.protocols.smpp.errors import FramingError

__all__ = ["DEFAULT_MAX_COMMAND_LENGTH", "HEADER", "HEADER_SIZE", "checked_length", "frame_length"]

HEADER = struct.Struct(">IIII")
HEADER_SIZE = HEADER.size

DEFAULT_MAX_COMMAND_LENGTH = 68 * 1024
"""Largest PDU accepted from a peer: a deliver_sm or submit_sm whose message_payload TLV holds the
65,535 octets a TLV length allows, with every other field at its largest (under 1 KiB), fits. A
peer may send such a PDU (SMPP 3.4 §5.3.2.32): refusing it drops the link, and the SMSC delivers
it again on the next bind, for ever."""


def frame_length(buffer: bytes | bytearray | memoryview, *, max_length: int = DEFAULT_MAX_COMMAND_LENGTH) -> int | None:
    """The command_length of the PDU at the start of ``buffer``; None until 16 bytes are there.

    Waiting for the whole header (not just the length) means a bad length is reported together
    with the sequence number, however the bytes were chunked. Raises `FramingError` (status
    ESME_RINVCMDLEN) when the length is below 16 or above ``max_length``: the stream cannot be
    resynchronised after that.
    """
    if len(buffer) < HEADER_SIZE:
        return None
    return checked_length(buffer, 0, max_length)


def checked_length(buffer: bytes | bytearray | memoryview, offset: int, max_length: int) -> int:
    """The command_length of the header at ``offset`` (16 bytes must be there), or `FramingError`."""
    length, command_id, status, sequence_number = HEADER.unpack_from(buffer, offset)
    if length < HEADER_SIZE or length > max_length:
        raise FramingError(
            f"command_length {length} is outside {HEADER_SIZE}..{max_length}",
            command_status=CommandStatus.ESME_RINVCMDLEN,
            sequence_number=sequence_number,
            command_id=command_id,
            header_status=status,
        )
    return int(length)
