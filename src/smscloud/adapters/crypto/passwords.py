"""`PasswordHasher` on Argon2id (argon2-cffi).

The defaults are argon2-cffi's (RFC 9106's low-memory profile: 3 passes over 64 MiB, 4 lanes).
Tests pass cheap costs, e.g. ``Argon2Hasher(time_cost=1, memory_cost=1024)``. A hash made with
other costs still verifies, and `needs_rehash` says so, so that the next login re-hashes it.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import argon2
from argon2.exceptions import InvalidHashError, VerificationError

__all__ = ["Argon2Hasher"]


class Argon2Hasher:
    def __init__(
        self,
        *,
        time_cost: int = argon2.DEFAULT_TIME_COST,
        memory_cost: int = argon2.DEFAULT_MEMORY_COST,
        parallelism: int = argon2.DEFAULT_PARALLELISM,
        threads: int = 2,
    ) -> None:
        self._hasher = argon2.PasswordHasher(
            time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism, type=argon2.Type.ID
        )
        # Hashing runs on these threads (argon2-cffi releases the GIL), never on the event loop;
        # at most `threads` hashes at once bound the memory a flood of logins can take.
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="argon2")

    async def hash(self, password: str) -> str:
        return await asyncio.get_running_loop().run_in_executor(self._pool, self._hash_here, password)

    async def verify(self, password_hash: str, password: str) -> bool:
        """True when the password matches; False on a mismatch or a hash that is not Argon2."""
        return await asyncio.get_running_loop().run_in_executor(self._pool, self._verify_here, password_hash, password)

    def _hash_here(self, password: str) -> str:
        return self._hasher.hash(password)

    def _verify_here(self, password_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, password_hash: str) -> bool:
        """True when the hash was made with other parameters (or is not a valid Argon2 hash)."""
        try:
            return self._hasher.check_needs_rehash(password_hash)
        except InvalidHashError:
            return True
