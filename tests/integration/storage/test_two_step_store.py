"""Two-step verification in the database: the secret sealed and read back, a step and a recovery
code used once (conditional updates), pending logins found by their token's hash until finished
or expired."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Connection, select

from smscloud.adapters.storage import tables
from smscloud.adapters.storage.two_step import SqlTwoStepStore
from smscloud.domain.identity.model import Language, Principal, UserRole, hash_token
from tests.support.builders import Builder, Stores

pytestmark = pytest.mark.integration


@pytest.fixture
async def ann(stores: Stores, build: Builder) -> Principal:
    tenant = await build.tenant()
    user = await stores.users.add(
        tenant_id=tenant.id,
        email="ann@example.com",
        password_hash="x",
        role=UserRole.OWNER,
        language=Language.EN,
        now=stores.clock.now(),
    )
    return Principal.user(user.id)


def store(stores: Stores) -> SqlTwoStepStore:
    return SqlTwoStepStore(stores.db, stores.box)


async def test_the_secret_is_sealed_at_rest_and_read_back(stores: Stores, ann: Principal) -> None:
    two_step = store(stores)
    assert await two_step.of(ann) is None
    await two_step.enable(ann, secret="JBSWY3DPEHPK3PXP", code_hashes=["a" * 64, "b" * 64], now=stores.clock.now())

    found = await two_step.of(ann)
    assert found is not None
    assert (found.secret, found.last_step, found.recovery_codes_left) == ("JBSWY3DPEHPK3PXP", None, 2)

    def stored(conn: Connection) -> str:
        return str(conn.execute(select(tables.two_step.c.secret)).scalar_one())

    assert "JBSWY3DPEHPK3PXP" not in await stores.db.read(stored)


async def test_a_step_and_a_recovery_code_are_used_once(stores: Stores, ann: Principal) -> None:
    two_step = store(stores)
    await two_step.enable(ann, secret="JBSWY3DPEHPK3PXP", code_hashes=["a" * 64], now=stores.clock.now())

    assert await two_step.use_step(ann, 100) is True
    assert await two_step.use_step(ann, 100) is False  # the same code again
    assert await two_step.use_step(ann, 99) is False  # an older one
    assert await two_step.use_step(ann, 101) is True
    assert await two_step.use_recovery_code(ann, "a" * 64, now=stores.clock.now()) is True
    assert await two_step.use_recovery_code(ann, "a" * 64, now=stores.clock.now()) is False
    found = await two_step.of(ann)
    assert found is not None and (found.last_step, found.recovery_codes_left) == (101, 0)


async def test_turning_it_on_again_replaces_the_secret_and_the_codes_and_off_forgets_them(
    stores: Stores, ann: Principal
) -> None:
    two_step = store(stores)
    await two_step.enable(ann, secret="AAAAAAAAAAAAAAAA", code_hashes=["a" * 64], now=stores.clock.now())
    await two_step.enable(ann, secret="BBBBBBBBBBBBBBBB", code_hashes=["b" * 64, "c" * 64], now=stores.clock.now())
    found = await two_step.of(ann)
    assert found is not None and (found.secret, found.recovery_codes_left) == ("BBBBBBBBBBBBBBBB", 2)
    assert await two_step.use_recovery_code(ann, "a" * 64, now=stores.clock.now()) is False

    assert await two_step.disable(ann) is True
    assert await two_step.disable(ann) is False
    assert await two_step.of(ann) is None


async def test_a_pending_login_is_found_until_finished_or_expired(stores: Stores, ann: Principal) -> None:
    two_step = store(stores)
    now = stores.clock.now()
    await two_step.add_challenge(
        ann,
        token_hash=hash_token("t1"),
        ip="192.0.2.1",
        user_agent="ua",
        now=now,
        expires_at=now + timedelta(minutes=5),
    )
    found = await two_step.challenge(hash_token("t1"), now=now)
    assert found is not None and (found.principal, found.failures) == (ann, 0)
    await two_step.fail_challenge(found.id)
    again = await two_step.challenge(hash_token("t1"), now=now)
    assert again is not None and again.failures == 1
    assert await two_step.challenge(hash_token("t1"), now=now + timedelta(minutes=5)) is None  # expired
    assert await two_step.finish_challenge(found.id, now=now) is True
    assert await two_step.finish_challenge(found.id, now=now) is False
    assert await two_step.challenge(hash_token("t1"), now=now) is None
