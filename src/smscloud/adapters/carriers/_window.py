"""The SMPP window: at most ``size`` requests awaiting their responses on one bind."""

from __future__ import annotations

import asyncio

__all__ = ["Window"]


class Window:
    """A counting semaphore that also says how many slots are free and lets a caller wait for one.

    A slot is held from `acquire` until `release`; the client releases it when the response
    arrives, times out, or the link is lost.
    """

    def __init__(self, size: int) -> None:
        if size < 1:
            raise ValueError(f"window size must be >= 1, not {size}")
        self.size = size
        self._used = 0
        self._semaphore = asyncio.Semaphore(size)
        self._not_full = asyncio.Event()
        self._not_full.set()

    @property
    def used(self) -> int:
        return self._used

    @property
    def free(self) -> int:
        return self.size - self._used

    async def acquire(self) -> None:
        await self._semaphore.acquire()
        self._used += 1
        if self._used == self.size:
            self._not_full.clear()

    def release(self) -> None:
        if self._used <= 0:
            raise RuntimeError("Window.release() without a matching acquire()")
        self._used -= 1
        self._semaphore.release()
        self._not_full.set()

    async def wait_free(self) -> None:
        """Return once at least one slot is free. The slot is not reserved for the caller."""
        while self._used >= self.size:
            await self._not_full.wait()
