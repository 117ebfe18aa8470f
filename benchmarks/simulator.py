"""Throughput of the carrier simulator: submit_sm answered, and delivery receipts delivered and acked.

A tight asyncio ESME (an `asyncio.Protocol` feeding a sans-I/O `Connection(Role.ESME)`; submits
pre-encoded before the clock starts) binds as a transceiver, keeps ``--window`` submit_sm in flight
until ``--count`` are answered, and answers every receipt at once. The simulator runs in a child
process (its own core) with receipt_delay_s=0, unless ``--in-process``.

Run (after ``make dev``): ``uv run --frozen python -m benchmarks.simulator [--count 20000] [--window 256]
[--ledger] [--uvloop]``
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, cast

import structlog
from typing_extensions import override

from smscloud.adapters.simulator import Simulator, SimulatorConfig
from smscloud.protocols.smpp import (
    BindTransceiver,
    CommandStatus,
    Connection,
    DeliverSm,
    Role,
    SubmitSm,
    SubmitSmResp,
    encode,
)

SYSTEM_ID = "bench"
PASSWORD = "bench123"  # noqa: S105 - a throwaway credential for a loopback benchmark


def quiet_logs() -> None:
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))


def simulator_config(port: int, ledger: Path | None) -> SimulatorConfig:
    return SimulatorConfig(
        port=port,
        credentials=[(SYSTEM_ID, PASSWORD)],
        receipt_delay_s=0.0,
        ledger_path=ledger,
        receipt_window=256,
    )


class Esme(asyncio.Protocol):
    def __init__(self, submits: list[bytes], window: int) -> None:
        self.conn = Connection(Role.ESME)
        self.submits = submits
        self.window = window
        self.next_submit = 0
        self.in_flight = 0
        self.responses = 0
        self.refused = 0
        self.receipts = 0
        self.bound = asyncio.get_running_loop().create_future()
        self.submits_done = asyncio.get_running_loop().create_future()
        self.receipts_done = asyncio.get_running_loop().create_future()
        self.transport: asyncio.Transport | None = None
        self.t_submits = 0.0
        self.t_receipts = 0.0

    @override
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)
        self.transport.write(self.conn.send(BindTransceiver(system_id=SYSTEM_ID, password=PASSWORD)))

    def start(self) -> None:
        self.pump([])

    def pump(self, out: list[bytes]) -> None:
        while self.in_flight < self.window and self.next_submit < len(self.submits):
            out.append(self.submits[self.next_submit])
            self.next_submit += 1
            self.in_flight += 1
        if out and self.transport is not None:
            self.transport.write(b"".join(out))

    @override
    def data_received(self, data: bytes) -> None:
        out: list[bytes] = []
        total = len(self.submits)
        for event in self.conn.receive_data(data):
            if isinstance(event, SubmitSmResp):
                self.in_flight -= 1
                self.responses += 1
                if event.command_status != CommandStatus.ESME_ROK:
                    self.refused += 1
                if self.responses == total:
                    self.t_submits = time.perf_counter()
                    self.submits_done.set_result(None)
            elif isinstance(event, DeliverSm):
                out.append(encode(event.response()))
                self.receipts += 1
                if self.receipts == total:
                    self.t_receipts = time.perf_counter()
                    self.receipts_done.set_result(None)
            elif not self.bound.done():
                if getattr(event, "command_status", 1) != 0:
                    raise RuntimeError(f"bind refused: {event!r}")
                self.bound.set_result(None)
        self.pump(out)


def build_submits(count: int) -> list[bytes]:
    # Destinations end in 8: never a test number, so every submit is delivered with a receipt.
    # Sequence 1 is the bind.
    return [
        encode(
            SubmitSm(
                sequence_number=index + 2,
                source_addr="106900",
                destination_addr=f"+861391{index:07d}8",
                registered_delivery=1,
                short_message=f"Your code is {index % 10000:04d}".encode("ascii"),
            )
        )
        for index in range(count)
    ]


async def drive(address: tuple[str, int], count: int, window: int) -> dict[str, Any]:
    submits = build_submits(count)
    loop = asyncio.get_running_loop()
    transport, esme = await loop.create_connection(lambda: Esme(submits, window), *address)
    try:
        await asyncio.wait_for(esme.bound, 10)
        started = time.perf_counter()
        esme.start()
        await asyncio.wait_for(esme.submits_done, 600)
        await asyncio.wait_for(esme.receipts_done, 600)
    finally:
        transport.close()
    submit_s = esme.t_submits - started
    receipt_s = esme.t_receipts - started
    return {
        "count": count,
        "window": window,
        "refused": esme.refused,
        "submit_seconds": round(submit_s, 3),
        "submits_per_s": round(count / submit_s),
        "receipt_seconds": round(receipt_s, 3),
        "receipts_per_s": round(count / receipt_s),
    }


async def serve(port: int, ledger: Path | None) -> None:
    """The child process: run a simulator, print its port, and its stats on SIGTERM."""
    quiet_logs()
    simulator = Simulator(simulator_config(port, ledger))
    _host, bound_port = await simulator.start()
    print(f"LISTENING {bound_port}", flush=True)
    cpu_started = time.process_time()
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    await stop.wait()
    stats: dict[str, Any] = {
        **simulator.stats().as_dict(),
        "cpu_s": round(time.process_time() - cpu_started, 3),
    }
    await simulator.stop()
    print(json.dumps(stats), flush=True)


async def in_process(count: int, window: int, ledger: Path | None) -> dict[str, Any]:
    simulator = Simulator(simulator_config(0, ledger))
    address = await simulator.start()
    try:
        result = await drive(address, count, window)
        await asyncio.sleep(0.05)  # the last deliver_sm_resp reaches the simulator
        result["simulator"] = simulator.stats().as_dict()
    finally:
        await simulator.stop()
    return result


def with_child(count: int, window: int, ledger: Path | None, use_uvloop: bool) -> dict[str, Any]:
    command = [sys.executable, "-m", "benchmarks.simulator", "--serve"]
    if ledger is not None:
        command += ["--ledger-path", str(ledger)]
    if use_uvloop:
        command.append("--uvloop")
    child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env={**os.environ})
    assert child.stdout is not None
    try:
        first = child.stdout.readline().split()
        if first[:1] != ["LISTENING"]:
            raise RuntimeError(f"the simulator did not start: {first!r}")
        result: dict[str, Any] = run(drive(("127.0.0.1", int(first[1])), count, window), use_uvloop)
        time.sleep(0.05)
        child.send_signal(signal.SIGTERM)
        result["simulator"] = json.loads(child.stdout.readline())
        child.wait(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        child.stdout.close()
    return result


def run(coroutine: Any, use_uvloop: bool) -> Any:
    if use_uvloop:
        import uvloop

        return uvloop.run(coroutine)
    return asyncio.run(coroutine)


def main() -> None:
    arguments = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    arguments.add_argument("--count", type=int, default=20_000)
    arguments.add_argument("--window", type=int, default=256)
    arguments.add_argument("--ledger", action="store_true", help="write a ledger (in a temporary dir)")
    arguments.add_argument("--in-process", action="store_true", help="simulator in the client's loop")
    arguments.add_argument("--uvloop", action="store_true", help="run both event loops on uvloop")
    arguments.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    arguments.add_argument("--ledger-path", type=Path, help=argparse.SUPPRESS)
    options = arguments.parse_args()
    if options.serve:
        run(serve(0, options.ledger_path), options.uvloop)
        return
    quiet_logs()
    with tempfile.TemporaryDirectory() as scratch:
        ledger = Path(scratch) / "ledger.jsonl" if options.ledger else None
        if options.in_process:
            result = run(in_process(options.count, options.window, ledger), options.uvloop)
        else:
            result = with_child(options.count, options.window, ledger, options.uvloop)
        if ledger is not None:
            with contextlib.suppress(OSError):
                result["ledger_lines"] = sum(1 for _ in ledger.open("rb"))
    cpu_s = result["simulator"].get("cpu_s")
    if cpu_s:
        result["simulator_cpu_us_per_message"] = round(cpu_s / result["count"] * 1e6, 1)
        result["simulator_capacity_per_cpu_s"] = round(result["count"] / cpu_s)
    mode = "in-process" if options.in_process else "child process"
    loop_name = "uvloop" if options.uvloop else "asyncio"
    print(
        f"simulator ({mode}, {loop_name}, ledger {'on' if ledger else 'off'}): "
        f"{result['count']} submit_sm at window {result['window']}: "
        f"{result['submits_per_s']:,} submit/s ({result['submit_seconds']} s), "
        f"{result['receipts_per_s']:,} receipts/s delivered and acked ({result['receipt_seconds']} s)"
        + (
            f"; simulator CPU {result['simulator_cpu_us_per_message']} us per message"
            f" (= {result['simulator_capacity_per_cpu_s']:,} submit+receipt per CPU second)"
            if cpu_s
            else ""
        )
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
