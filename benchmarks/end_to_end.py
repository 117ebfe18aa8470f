"""End to end: messages/s from acceptance to stored delivery receipt, with p50/p99 latency.

Run (after ``make dev``): ``uv run --frozen python -m benchmarks.end_to_end [--messages 100000] [--numbers 200]
[--concurrency 4] [--database-url postgresql://root@127.0.0.1:5432/bench]``

With ``--database-url``, every smscloud table in that PostgreSQL database is emptied first
(TRUNCATE ... RESTART IDENTITY CASCADE; the database is created if missing): never give it a
database whose data you want to keep.

Starts a real `smscloud serve` on the embedded defaults (SQLite unless ``--database-url`` is
given; the built-in simulator, answering with receipts at once unless ``--receipt-delay`` is
given), creates the demo tenant, and sends SendSms requests of `--numbers` numbers each from
`--concurrency` concurrent clients on the same machine, as fast as they are answered (or at
``--rate`` messages/s). It then waits until every accepted message has its delivery receipt
stored (status `delivered` in the database) and reports:

- throughput: messages / (time the last receipt was stored − time the first request was sent);
- per-message latency from acceptance (`created_at`) to the stored receipt (`done_at`);
- per-request latency of SendSms.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from datetime import UTC, datetime
from typing import Any

import aiohttp
from sqlalchemy import func, select

from benchmarks._harness import cpu_per_message, percentile, reset_postgres, signed_send, start_server
from smscloud.adapters.storage import tables
from smscloud.adapters.storage.database import Database, open_database


async def _send_all(
    endpoint: str, demo: dict[str, object], batches: list[list[str]], concurrency: int, rate: float
) -> list[float]:
    """Send every batch; with `rate` (messages/s) > 0, start requests on that schedule (open loop)."""
    latencies: list[float] = []
    queue: asyncio.Queue[list[str]] = asyncio.Queue()
    for batch in batches:
        queue.put_nowait(batch)
    interval = len(batches[0]) / rate if rate > 0 else 0.0
    start = time.perf_counter()
    issued = 0

    async def worker(session: aiohttp.ClientSession) -> None:
        nonlocal issued
        while not queue.empty():
            numbers = queue.get_nowait()
            if interval:
                due = start + issued * interval
                issued += 1
                await asyncio.sleep(max(0.0, due - time.perf_counter()))
            headers, body = signed_send(demo, endpoint, numbers, ["135790"])
            started = time.perf_counter()
            async with session.post(f"http://{endpoint}/", data=body, headers=headers) as response:
                answer = await response.json(content_type=None)
            latencies.append(time.perf_counter() - started)
            statuses = answer["Response"].get("SendStatusSet")
            if not statuses or any(s["Code"] != "Ok" for s in statuses):
                raise RuntimeError(f"not accepted: {str(answer)[:300]}")

    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:
        await asyncio.gather(*(worker(session) for _ in range(concurrency)))
    return latencies


async def _finished(db: Database) -> int:
    """Messages with a final status: counted on the small partial index of reports waiting to be
    pulled (nothing pulls here), not by scanning the message table on the machine being measured."""
    m = tables.message

    def job(conn: Any) -> Any:
        return conn.execute(select(func.count()).select_from(m).where(m.c.report_state == 1)).scalar_one()

    return int(await db.read(job))


async def _delivered(db: Database) -> tuple[int, int]:
    m = tables.message

    def job(conn: Any) -> Any:
        total = conn.execute(select(func.count()).select_from(m)).scalar_one()
        done = conn.execute(select(func.count()).select_from(m).where(m.c.status == "delivered")).scalar_one()
        return int(total), int(done)

    return await db.read(job)


async def _latencies(db: Database) -> tuple[list[float], datetime, datetime]:
    m = tables.message

    def job(conn: Any) -> Any:
        return conn.execute(select(m.c.created_at, m.c.done_at).where(m.c.status == "delivered")).all()

    rows = await db.read(job)
    spans = [(done - created).total_seconds() for created, done in rows]
    return spans, min(r[0] for r in rows), max(r[1] for r in rows)


async def run(args: argparse.Namespace) -> None:
    server = start_server(
        args.database_url,
        {
            "SMSCLOUD_SIMULATOR__RECEIPT_DELAY_S": str(args.receipt_delay),
            "SMSCLOUD_SIMULATOR__WINDOW": str(args.window),
            "SMSCLOUD_SIMULATOR__BINDS": str(args.binds),
            "SMSCLOUD_DISPATCH__CONNECTOR_PROCESSES": str(args.connectors),
        },
    )
    db = open_database(server.database_url)
    try:
        demo = server.demo()
        count = args.messages // args.numbers
        batches = [
            [f"+86139{(20000 + n * args.numbers + k) % 10**8:08d}" for k in range(args.numbers)] for n in range(count)
        ]
        expected = count * args.numbers
        cpu_before = server.cpu_seconds()
        started_wall = datetime.now(UTC)
        started = time.perf_counter()
        request_latencies = await _send_all(server.endpoint, demo, batches, args.concurrency, args.rate)
        accepted_s = time.perf_counter() - started
        deadline = time.monotonic() + 600
        while await _finished(db) < expected and time.monotonic() < deadline:
            # Counting rows costs the machine the benchmark measures: look rarely. The end time
            # comes from the last stored receipt (done_at), not from when this loop notices it.
            await asyncio.sleep(0.5)
        cpu_after = server.cpu_seconds()
        total, done = await _delivered(db)
        spans, _, last_done = await _latencies(db)
    finally:
        await db.close()
        server.stop()
    elapsed = (last_done - started_wall).total_seconds()
    database = "PostgreSQL" if args.database_url else "SQLite"
    offered = f"offered at {args.rate:,.0f} messages/s" if args.rate else "as fast as answered"
    print(f"End to end, {args.numbers} numbers/request, {args.concurrency} clients {offered}, {database}")
    print(f"  messages:            {expected} accepted, {done} delivered with stored receipt (of {total} rows)")
    print(f"  accept rate:         {expected / accepted_s:,.0f} messages/s ({count / accepted_s:,.1f} requests/s)")
    print(f"  end-to-end rate:     {done / elapsed:,.0f} messages/s (first request sent → last receipt stored)")
    p50, p99 = percentile(spans, 0.50) * 1000, percentile(spans, 0.99) * 1000
    print(f"  accept→receipt:      p50 {p50:,.0f} ms, p99 {p99:,.0f} ms")
    print(f"  CPU per message:     {cpu_per_message(cpu_before, cpu_after, expected)}")
    print(
        f"  SendSms latency:     p50 {percentile(request_latencies, 0.50) * 1000:,.1f} ms, "
        f"p99 {percentile(request_latencies, 0.99) * 1000:,.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--numbers", type=int, default=200, help="phone numbers per request")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument(
        "--rate", type=float, default=0, help="offer this many messages/s (open loop); 0: as fast as answered"
    )
    parser.add_argument("--window", type=int, default=256, help="SMPP window of the simulator bind")
    parser.add_argument("--binds", type=int, default=1, help="binds (senders) to the simulator")
    parser.add_argument("--connectors", type=int, default=1, help="connector processes (dispatch.connector_processes)")
    parser.add_argument("--receipt-delay", type=float, default=0.0, help="seconds from submit to receipt")
    parser.add_argument(
        "--database-url",
        default=None,
        help="PostgreSQL URL (default: SQLite in a temporary directory); every smscloud table in it is emptied first",
    )
    args = parser.parse_args()
    if args.database_url:
        reset_postgres(args.database_url)
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
