"""Phone-number parsing throughput: mainland mobiles (fast path) and international numbers.

Run (after ``make dev``): ``uv run --frozen python -m benchmarks.phone_parse [--seconds 1.0]``
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Sequence

from smscloud.adapters.phone import LibPhoneNumberParser
from smscloud.domain.messages.phone import PhoneNumberParser

INTERNATIONAL = [
    "+12025550123",
    "+442079460123",
    "+447400123456",
    "+6581234567",
    "+85251234567",
    "+85366123456",
    "+886912345678",
    "+4915123456789",
    "+33612345678",
    "+61412345678",
    "+861088888888",  # a mainland fixed line also takes the phonenumbers path
]


def mainland_mobiles(count: int, rng: random.Random) -> list[str]:
    forms = ["+86{}", "{}", "0086{}", "86{}"]
    return [rng.choice(forms).format(f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}") for _ in range(count)]


def rate(parser: PhoneNumberParser, numbers: Sequence[str], seconds: float) -> float:
    """Parses per second, repeating `numbers` for at least `seconds`."""
    done = 0
    start = time.perf_counter()
    deadline = start + seconds
    while True:
        for raw in numbers:
            parser.parse(raw)
        done += len(numbers)
        now = time.perf_counter()
        if now >= deadline:
            return done / (now - start)


def main() -> None:
    arguments = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    arguments.add_argument("--seconds", type=float, default=1.0, help="time per measurement")
    seconds: float = arguments.parse_args().seconds

    parser = LibPhoneNumberParser()
    mobiles = mainland_mobiles(10_000, random.Random(2024))
    for raw in INTERNATIONAL:  # fail loudly rather than time exceptions
        parser.parse(raw)
    print(f"mainland mobiles (fast path): {rate(parser, mobiles, seconds):>10,.0f} parses/s")
    print(f"international (phonenumbers): {rate(parser, INTERNATIONAL, seconds):>10,.0f} parses/s")


if __name__ == "__main__":
    main()
