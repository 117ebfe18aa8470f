"""Run every benchmark, one after the other, and print what each prints.

Run: ``make bench`` (or, after ``make dev``, ``uv run --frozen python -m benchmarks.run_all [--postgres URL]``).

The platform benchmarks start real `smscloud serve` processes. With ``--postgres``, SendSms accept
and end to end (200 numbers per request) run a second time against that PostgreSQL database:
each run first empties every smscloud table in it (TRUNCATE ... RESTART IDENTITY CASCADE) and
creates the database if it is missing. Never give it a database whose data you want to keep.
Every figure is measured on this machine with the load generator on it too: compare runs, not
machines.
"""

from __future__ import annotations

import argparse
import subprocess
import sys

_TWO_BY_TWO = [
    *("-m", "benchmarks.end_to_end", "--messages", "100000", "--rate", "11000", "--concurrency", "16"),
    *("--binds", "2", "--connectors", "2"),
]
STEPS: list[tuple[str, list[str]]] = [
    ("SMPP codec", ["-m", "benchmarks.smpp_codec"]),
    ("Phone number parsing", ["-m", "benchmarks.phone_parse"]),
    ("TC3 verification", ["benchmarks/tc3_verify.py", "1"]),
    ("SMPP client, one bind", ["-m", "benchmarks.smpp_client", "--fork", "--messages", "40000"]),
    ("Simulator", ["-m", "benchmarks.simulator"]),
    ("SendSms accept, 1 number per request (SQLite)", ["-m", "benchmarks.api_accept", "--seconds", "20"]),
    (
        "SendSms accept, 1 number per request, two API processes (SQLite)",
        ["-m", "benchmarks.api_accept", "--seconds", "20", "--api-processes", "2"],
    ),
    ("End to end, 200 numbers per request (SQLite)", ["-m", "benchmarks.end_to_end", "--messages", "100000"]),
    (
        "End to end, offered at 7,500 messages/s (SQLite)",
        ["-m", "benchmarks.end_to_end", "--messages", "100000", "--rate", "7500", "--concurrency", "16"],
    ),
    ("End to end, two binds and two connector processes, offered at 11,000 messages/s (SQLite)", _TWO_BY_TWO),
    (
        "End to end, two binds and two connector processes, receipts 1 s after the submit (SQLite)",
        [*_TWO_BY_TWO, "--receipt-delay", "1"],
    ),
]
POSTGRES_STEPS: list[tuple[str, list[str]]] = [
    ("SendSms accept, 1 number per request (PostgreSQL)", ["-m", "benchmarks.api_accept", "--seconds", "20"]),
    ("End to end, 200 numbers per request (PostgreSQL)", ["-m", "benchmarks.end_to_end", "--messages", "100000"]),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--postgres",
        default=None,
        metavar="URL",
        help="also run two platform benchmarks on this PostgreSQL database; every smscloud table in it is emptied",
    )
    args = parser.parse_args()
    steps = list(STEPS)
    if args.postgres:
        steps += [(title, [*argv, "--database-url", args.postgres]) for title, argv in POSTGRES_STEPS]
    failed = 0
    for title, argv in steps:
        print(f"\n### {title}\n$ python {' '.join(argv)}", flush=True)
        result = subprocess.run([sys.executable, *argv], check=False)
        failed += result.returncode != 0
    if failed:
        raise SystemExit(f"{failed} benchmark(s) failed")


if __name__ == "__main__":
    main()
