"""SendSms accept throughput: requests/s answered "Ok" after a durable write, with p50/p99 latency.

Run (after ``make dev``): ``uv run --frozen python -m benchmarks.api_accept [--numbers 1] [--seconds 20]
[--connections 64] [--api-processes 1] [--database-url postgresql://root@127.0.0.1:5432/bench]``

With ``--database-url``, every smscloud table in that PostgreSQL database is emptied first
(TRUNCATE ... RESTART IDENTITY CASCADE; the database is created if missing): never give it a
database whose data you want to keep.

Starts a real `smscloud serve` (on SQLite unless ``--database-url`` is given), which runs its
connector and, by default, the built-in simulator as processes of their own beside it
(docs/adr/0006-processes.md), so accepted messages are also being sent while the load runs;
creates the demo tenant, pre-signs a pool of SendSms requests (TC3, each to different numbers),
and drives them with wrk (install it with `apt-get install wrk`) from the same machine. Every
answer is checked for `"Code":"Ok"`; at the end the message rows in the database are counted, so
the figure is of durably accepted messages, not just of answers.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from sqlalchemy import func, select

from benchmarks._harness import reset_postgres, signed_send, start_server
from smscloud.adapters.storage import tables
from smscloud.adapters.storage.database import open_database

LUA = r"""
local requests = {}
local index = 0
bad = 0

local function split(line, sep)
  local out = {}
  for piece in string.gmatch(line, "([^" .. sep .. "]+)") do table.insert(out, piece) end
  return out
end

init = function(args)
  for line in io.lines(args[1]) do
    local fields = split(line, "\1")
    local headers = {}
    for i = 2, #fields do
      local name, value = string.match(fields[i], "^([^:]+): (.*)$")
      headers[name] = value
    end
    table.insert(requests, wrk.format("POST", "/", headers, fields[1]))
  end
  index = math.random(#requests)
end

request = function()
  index = index % #requests + 1
  return requests[index]
end

response = function(status, headers, body)
  if status ~= 200 or not string.find(body, '"Code":"Ok"', 1, true) then bad = bad + 1 end
end

local threads = {}
setup = function(thread) table.insert(threads, thread) end

done = function(summary, latency, requests)
  local failures = 0
  for _, thread in ipairs(threads) do failures = failures + thread:get("bad") end
  io.write(string.format("RESULT requests=%d seconds=%.3f bad=%d p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f\n",
    summary.requests, summary.duration / 1e6, failures,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000))
end
"""


async def count_messages(url: str) -> int:
    db = open_database(url)
    try:
        return int(await db.read(lambda c: c.execute(select(func.count()).select_from(tables.message)).scalar_one()))
    finally:
        await db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--numbers", type=int, default=1, help="phone numbers per request")
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--pool", type=int, default=20000, help="distinct pre-signed requests")
    parser.add_argument(
        "--database-url",
        default=None,
        help="PostgreSQL URL (default: SQLite in a temporary directory); every smscloud table in it is emptied first",
    )
    parser.add_argument("--api-processes", type=int, default=1, help="processes answering HTTP (api.processes)")
    parser.add_argument("--simulator", default="embedded", choices=["embedded", "external", "off"])
    args = parser.parse_args()
    wrk = shutil.which("wrk")
    if wrk is None:
        raise SystemExit("wrk is needed: apt-get install wrk")
    if args.database_url:
        reset_postgres(args.database_url)
    server = start_server(
        args.database_url,
        {"SMSCLOUD_SIMULATOR__MODE": args.simulator, "SMSCLOUD_API__PROCESSES": str(args.api_processes)},
    )
    try:
        demo = server.demo()
        work = Path(tempfile.mkdtemp(prefix="smscloud-wrk-"))
        pool = work / "requests.txt"
        with pool.open("w") as out:
            for n in range(args.pool):
                numbers = [f"+86137{(10000 + n * args.numbers + k) % 10**8:08d}" for k in range(args.numbers)]
                headers, body = signed_send(demo, server.endpoint, numbers, ["135790"])
                line = [body.decode()] + [f"{k}: {v}" for k, v in headers.items()]
                out.write("\x01".join(line) + "\n")
        (work / "accept.lua").write_text(LUA)
        before = asyncio.run(count_messages(server.database_url))
        result = subprocess.run(
            [
                wrk,
                "-t1",
                f"-c{args.connections}",
                f"-d{args.seconds}s",
                "-s",
                str(work / "accept.lua"),
                f"http://{server.endpoint}/",
                "--",
                str(pool),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        stored = asyncio.run(count_messages(server.database_url)) - before
    finally:
        server.stop()
    match = re.search(r"RESULT (.*)", result.stdout)
    if match is None:
        raise SystemExit(result.stdout + result.stderr)
    fields: dict[str, str] = dict(item.split("=", 1) for item in match.group(1).split())
    requests, seconds, bad = int(fields["requests"]), float(fields["seconds"]), int(fields["bad"])
    database = "PostgreSQL" if args.database_url else "SQLite"
    print(f"SendSms accept, {args.numbers} number(s)/request, {database}, simulator {args.simulator}")
    print(f"  requests:        {requests} in {seconds:.1f} s, not Ok: {bad}")
    print(
        f"  throughput:      {requests / seconds:,.0f} requests/s = {requests * args.numbers / seconds:,.0f} messages/s"
    )
    print(f"  stored messages: {stored} (expected {(requests - bad) * args.numbers})")
    print(f"  latency:         p50 {fields['p50_ms']} ms, p90 {fields['p90_ms']} ms, p99 {fields['p99_ms']} ms")


if __name__ == "__main__":
    main()
