"""Argon2id password hashes: verified without raising, re-hashed when the costs change."""

from __future__ import annotations

import asyncio

import pytest

from smscloud.adapters.crypto.passwords import Argon2Hasher
from smscloud.domain.identity.ports import PasswordHasher

CHEAP = {"time_cost": 1, "memory_cost": 1024, "parallelism": 1}


@pytest.fixture
def hasher() -> Argon2Hasher:
    return Argon2Hasher(**CHEAP)


def test_it_is_the_domains_password_hasher(hasher: Argon2Hasher) -> None:
    port: PasswordHasher = hasher  # mypy checks the structure
    assert port is hasher


async def test_a_hash_is_argon2id_salted_and_verifies(hasher: Argon2Hasher) -> None:
    first = await hasher.hash("correct horse 1")
    second = await hasher.hash("correct horse 1")
    assert first.startswith("$argon2id$v=19$m=1024,t=1,p=1$")
    assert first != second  # a fresh salt each time
    assert "correct horse" not in first
    assert await hasher.verify(first, "correct horse 1")
    assert await hasher.verify(second, "correct horse 1")


async def test_a_wrong_password_is_false(hasher: Argon2Hasher) -> None:
    hashed = await hasher.hash("correct horse 1")
    assert await hasher.verify(hashed, "correct horse 2") is False
    assert await hasher.verify(hashed, "") is False


@pytest.mark.parametrize(
    "stored",
    [
        "",
        "plaintext",
        "$argon2id$",
        "$argon2id$v=19$m=1024,t=1,p=1$bm90LWJhc2U2NA$bm90LWJhc2U2NA",
        "$2b$12$abcdefghijklmnopqrstuu5aF2mZp2pQ7rQb5S6yEoP3hHkI6W6xO",  # bcrypt
    ],
)
async def test_an_invalid_hash_is_false_and_wants_a_rehash(hasher: Argon2Hasher, stored: str) -> None:
    assert await hasher.verify(stored, "correct horse 1") is False
    assert hasher.needs_rehash(stored) is True


async def test_a_hash_with_other_costs_verifies_and_wants_a_rehash(hasher: Argon2Hasher) -> None:
    stronger = Argon2Hasher(time_cost=2, memory_cost=2048, parallelism=1)
    old = await hasher.hash("correct horse 1")
    assert await stronger.verify(old, "correct horse 1")
    assert stronger.needs_rehash(old)
    assert not stronger.needs_rehash(await stronger.hash("correct horse 1"))
    assert not hasher.needs_rehash(old)


async def test_the_defaults_are_argon2_cffis() -> None:
    assert (await Argon2Hasher().hash("x1")).startswith("$argon2id$v=19$m=65536,t=3,p=4$")


async def test_hashing_leaves_the_event_loop_free() -> None:
    """A slow hash runs on a thread: other tasks on the loop go on meanwhile."""
    hasher = Argon2Hasher(time_cost=3, memory_cost=16 * 1024, parallelism=1)
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0)

    task = asyncio.create_task(ticker())
    await hasher.hash("correct horse 1")
    task.cancel()
    assert ticks > 1
