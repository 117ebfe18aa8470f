"""One SmppClient bind against a minimal asyncio SMSC (in the same process, or a child with --fork).

Run (after ``make dev``): ``uv run --frozen python -m benchmarks.smpp_client [--messages 20000] [--window 256]
[--no-dlr] [--fork]``

The SMSC answers every submit_sm at once and, with DLRs on (the default), follows each with a
delivery receipt deliver_sm, which the client hands to an on_deliver that returns ESME_ROK at once
(no storage). By default client and SMSC share one event loop and so one core; ``--fork`` runs the
SMSC in a child process instead. Prints submit_sm/s (all submit_sm_resp back) and submit+DLR msg/s
(all receipts acknowledged too).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import multiprocessing
import struct
import time
from multiprocessing.connection import Connection as Pipe

import structlog

from smscloud.adapters.carriers.smpp_client import SmppClient
from smscloud.protocols.smpp import CommandStatus, DeliverSm, SubmitSm

HEADER = struct.Struct(">IIII")
RECEIPT_TAIL = b" sub:001 dlvrd:001 submit date:2611270000 done date:2611270000 stat:DELIVRD err:000 text:"


def _pdu(command_id: int, status: int, sequence: int, body: bytes = b"") -> bytes:
    return HEADER.pack(16 + len(body), command_id, status, sequence) + body


def _c_string(body: bytes, start: int) -> tuple[bytes, int]:
    end = body.index(b"\0", start)
    return body[start:end], end + 1


class MiniSmsc:
    """Appendix B, as a class: hand-rolled `struct` parsing, no session state."""

    def __init__(self, *, receipts: bool) -> None:
        self.receipts = receipts
        self.server: asyncio.Server | None = None

    async def start(self) -> int:
        self.server = await asyncio.start_server(self._session, "127.0.0.1", 0)
        port: int = self.server.sockets[0].getsockname()[1]
        return port

    async def close(self) -> None:
        if self.server is not None:
            self.server.close()
            await self.server.wait_closed()

    async def _session(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        seq_out, message_id = 0x10000, 0
        try:
            while True:
                length, command, _status, seq = HEADER.unpack(await reader.readexactly(16))
                body = await reader.readexactly(length - 16)
                if command in (1, 2, 9):  # bind_receiver / transmitter / transceiver
                    writer.write(_pdu(0x80000000 | command, 0, seq, b"MINISMSC\0"))
                elif command == 4:  # submit_sm
                    message_id += 1
                    mid = b"%x" % message_id
                    writer.write(_pdu(0x80000004, 0, seq, mid + b"\0"))
                    if self.receipts:
                        _, i = _c_string(body, 0)
                        i += 2
                        src, i = _c_string(body, i)
                        i += 2
                        dst, i = _c_string(body, i)
                        text = b"id:" + mid + RECEIPT_TAIL
                        seq_out += 1
                        writer.write(
                            _pdu(
                                5,
                                0,
                                seq_out,
                                b"\0\1\1" + dst + b"\0\1\1" + src + b"\0"
                                + bytes([4, 0, 0]) + b"\0\0" + bytes([0, 0, 0, 0, len(text)]) + text,
                            )
                        )  # fmt: skip
                elif command == 0x15:  # enquire_link
                    writer.write(_pdu(0x80000015, 0, seq))
                elif command == 6:  # unbind
                    writer.write(_pdu(0x80000006, 0, seq))
                    await writer.drain()
                    break
                elif command & 0x80000000:  # *_resp
                    pass
                else:
                    writer.write(_pdu(0x80000000, 3, seq))  # generic_nack ESME_RINVCMDID
                if writer.transport.get_write_buffer_size() > 65536:
                    await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


def _serve_in_child(receipts: bool, pipe: Pipe) -> None:
    async def serve() -> None:
        smsc = MiniSmsc(receipts=receipts)
        pipe.send(await smsc.start())
        assert smsc.server is not None
        await smsc.server.serve_forever()

    asyncio.run(serve())


async def run(messages: int, window: int, receipts: bool, fork: bool = False) -> tuple[float, float | None]:
    smsc = MiniSmsc(receipts=receipts)
    child: multiprocessing.Process | None = None
    if fork:
        parent_end, child_end = multiprocessing.Pipe()
        child = multiprocessing.Process(target=_serve_in_child, args=(receipts, child_end), daemon=True)
        child.start()
        port = parent_end.recv()
    else:
        port = await smsc.start()
    delivered = 0
    all_delivered = asyncio.Event()

    async def on_deliver(pdu: DeliverSm) -> int:
        nonlocal delivered
        delivered += 1
        if delivered == messages:
            all_delivered.set()
        return CommandStatus.ESME_ROK

    client = SmppClient(
        host="127.0.0.1",
        port=port,
        system_id="bench",
        password="bench",  # noqa: S106 — the mini SMSC accepts any bind
        window=window,
        on_deliver=on_deliver,
        name="bench",
    )
    client_task = asyncio.create_task(client.run())
    try:
        if not await client.wait_bound(5):
            raise RuntimeError("the mini SMSC did not bind")
        pdu = SubmitSm(
            source_addr="10690000",
            destination_addr="8613800000000",
            short_message=b"hello",
            registered_delivery=1 if receipts else 0,
        )
        remaining = messages
        failures = 0

        async def worker() -> None:
            nonlocal remaining, failures
            while remaining > 0:
                remaining -= 1
                response = await client.submit(pdu)
                failures += response.command_status != 0

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(window)))
        submitted = time.perf_counter()
        if failures:
            raise RuntimeError(f"{failures} submits failed")
        submit_rate = messages / (submitted - started)
        dlr_rate = None
        if receipts:
            await asyncio.wait_for(all_delivered.wait(), 60)
            dlr_rate = messages / (time.perf_counter() - started)
        return submit_rate, dlr_rate
    finally:
        await client.stop()
        await client_task
        await smsc.close()
        if child is not None:
            child.terminate()
            child.join()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=20_000)
    parser.add_argument("--window", type=int, default=256)
    parser.add_argument("--no-dlr", action="store_true", help="the SMSC sends no receipts")
    parser.add_argument("--fork", action="store_true", help="run the SMSC in a child process")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    where = "SMSC in a child process" if args.fork else "SMSC in the same event loop"
    for number in range(1, args.runs + 1):
        submit_rate, dlr_rate = asyncio.run(run(args.messages, args.window, not args.no_dlr, args.fork))
        line = f"run {number} ({where}): {args.messages} messages, window {args.window}: {submit_rate:,.0f} submit_sm/s"
        if dlr_rate is not None:
            line += f", {dlr_rate:,.0f} submit+DLR msg/s"
        print(line)


if __name__ == "__main__":
    main()
