"""The SMPP window: slots, waiting for one, waiting for any to free up."""

from __future__ import annotations

import asyncio

import pytest

from smscloud.adapters.carriers._window import Window


async def test_acquire_blocks_when_full_until_a_release() -> None:
    window = Window(2)
    await window.acquire()
    await window.acquire()
    assert (window.used, window.free) == (2, 0)
    third = asyncio.create_task(window.acquire())
    await asyncio.sleep(0)
    assert not third.done()
    window.release()
    await third
    assert window.used == 2


async def test_wait_free_returns_at_once_or_on_release_without_taking_the_slot() -> None:
    window = Window(1)
    await window.wait_free()
    await window.acquire()
    waiter = asyncio.create_task(window.wait_free())
    await asyncio.sleep(0)
    assert not waiter.done()
    window.release()
    await waiter
    assert window.free == 1


def test_release_without_acquire_and_bad_size_are_errors() -> None:
    with pytest.raises(ValueError, match="window size"):
        Window(0)
    with pytest.raises(RuntimeError, match="without a matching"):
        Window(1).release()
