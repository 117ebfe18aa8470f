"""Wake-ups for senders: the API calls `wake()` after storing messages (`DispatchSignal`).

`InProcessSignal` wakes senders in the same process; `Doorbell` rings a connector process on the
same machine. Senders also poll the queue every `dispatch.poll_interval_s`, the safety net for
anything missed (docs/adr/0001-queue.md).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import socket
import struct
from collections.abc import Iterable
from typing import Any

from typing_extensions import override

__all__ = ["Doorbell", "InProcessSignal", "doorbell_address", "listen_for_doorbell"]


class InProcessSignal:
    def __init__(self) -> None:
        self._events: dict[int, asyncio.Event] = {}

    def event_for(self, carrier_id: int) -> asyncio.Event:
        event = self._events.get(carrier_id)
        if event is None:
            event = self._events[carrier_id] = asyncio.Event()
        return event

    def wake(self, carrier_ids: Iterable[int]) -> None:
        for carrier_id in carrier_ids:
            self.event_for(carrier_id).set()


class Doorbell:
    """`DispatchSignal` for an API in another process than the senders: it rings the Unix datagram
    socket each connector listens on (Linux abstract namespace, nothing on disk). Rings made during
    one turn of the event loop go out as one datagram per connector; a connector that is not
    listening is simply not woken (its senders poll the queue anyway)."""

    def __init__(self, *addresses: str) -> None:
        self._addresses = addresses
        self._socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self._socket.setblocking(False)
        self._pending: set[int] = set()
        self._scheduled = False

    def wake(self, carrier_ids: Iterable[int]) -> None:
        self._pending.update(carrier_ids)
        if not self._scheduled:
            self._scheduled = True
            asyncio.get_running_loop().call_soon(self._ring)

    def _ring(self) -> None:
        self._scheduled = False
        ids, self._pending = self._pending, set()
        if not ids:
            return
        datagram = struct.pack(f"!{len(ids)}q", *ids)
        for address in self._addresses:
            with contextlib.suppress(OSError):  # nobody listening, or its buffer is full: it polls
                self._socket.sendto(datagram, address)

    def close(self) -> None:
        self._socket.close()


class _DoorbellProtocol(asyncio.DatagramProtocol):
    def __init__(self, signal: InProcessSignal) -> None:
        self._signal = signal

    @override
    def datagram_received(self, data: bytes, addr: Any) -> None:
        count = len(data) // 8
        self._signal.wake(struct.unpack(f"!{count}q", data[: count * 8]))


async def listen_for_doorbell(address: str, signal: InProcessSignal) -> asyncio.DatagramTransport:
    """Wake `signal`'s senders whenever a `Doorbell` rings `address`. Close the transport to stop."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(address)
    sock.setblocking(False)
    transport, _ = await asyncio.get_running_loop().create_datagram_endpoint(
        lambda: _DoorbellProtocol(signal), sock=sock
    )
    return transport


def doorbell_address(key: str, process_index: int = 0) -> str:
    """An abstract-namespace socket address unique to `key` (say, the data directory) and to the
    connector process it wakes."""
    suffix = f"-{process_index}" if process_index else ""
    return "\0smscloud-dispatch-" + hashlib.sha256(key.encode()).hexdigest()[:24] + suffix
