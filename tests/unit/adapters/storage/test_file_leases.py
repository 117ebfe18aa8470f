"""FileLeases: one holder per lease name on a machine, released when the holder exits or dies."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from smscloud.adapters.storage.leases import FileLeases


async def test_a_second_holder_waits_until_the_first_lets_go(tmp_path: Path) -> None:
    first, second = FileLeases(tmp_path, retry_s=0.01), FileLeases(tmp_path, retry_s=0.01)
    order: list[str] = []
    release = asyncio.Event()

    async def hold(leases: FileLeases, who: str, until: asyncio.Event | None) -> None:
        async with leases.hold("carrier-slot:1:0"):
            order.append(f"{who} in")
            if until is not None:
                await until.wait()
            order.append(f"{who} out")

    holding = asyncio.create_task(hold(first, "first", release))
    await asyncio.sleep(0.05)
    waiting = asyncio.create_task(hold(second, "second", None))
    await asyncio.sleep(0.1)
    assert order == ["first in"]
    release.set()
    await asyncio.wait_for(asyncio.gather(holding, waiting), 5)
    assert order == ["first in", "first out", "second in", "second out"]


async def test_different_names_are_held_at_once(tmp_path: Path) -> None:
    leases = FileLeases(tmp_path, retry_s=10)
    async with leases.hold("carrier-slot:1:0"), leases.hold("carrier-slot:1:1"):
        names = sorted(p.read_text().split(" ", 1)[1].strip() for p in tmp_path.glob("*.lease"))
    assert names == ["carrier-slot:1:0", "carrier-slot:1:1"]


async def test_a_waiter_that_is_cancelled_leaves_the_lease_free(tmp_path: Path) -> None:
    leases = FileLeases(tmp_path, retry_s=0.01)
    async with leases.hold("x"):
        waiter = asyncio.create_task(FileLeases(tmp_path, retry_s=0.01).hold("x").__aenter__())
        await asyncio.sleep(0.05)
        waiter.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiter
    async with asyncio.timeout(1), leases.hold("x"):
        pass


async def test_a_lease_held_by_a_killed_process_is_free_again(tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import asyncio, sys
                from pathlib import Path
                from smscloud.adapters.storage.leases import FileLeases

                async def main():
                    async with FileLeases(Path({str(tmp_path)!r})).hold("carrier-slot:9:0"):
                        print("held", flush=True)
                        await asyncio.sleep(3600)

                asyncio.run(main())
                """
            ),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        leases = FileLeases(tmp_path, retry_s=0.02)
        with pytest.raises(TimeoutError):
            async with asyncio.timeout(0.3), leases.hold("carrier-slot:9:0"):
                pass
        holder.kill()  # SIGKILL: no clean-up code runs
        holder.wait()
        async with asyncio.timeout(5), leases.hold("carrier-slot:9:0"):
            pass
    finally:
        holder.kill()
        holder.wait()
        if holder.stdout is not None:
            holder.stdout.close()
