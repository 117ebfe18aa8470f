"""Console users, operators, sessions, one-time tokens and failed logins in the database."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Connection, func, select, update

from smscloud.adapters.storage import identity as identity_storage
from smscloud.adapters.storage import tables
from smscloud.adapters.storage.identity import FAILURES_KEPT
from smscloud.domain.audit.model import Actor, AuditNote
from smscloud.domain.identity.errors import EmailTaken
from smscloud.domain.identity.model import (
    ConsoleSession,
    Language,
    OperatorStatus,
    PrincipalKind,
    TokenPurpose,
    User,
    UserRole,
    UserStatus,
    hash_token,
    new_token,
)
from smscloud.domain.identity.rules import FailureCounts
from smscloud.domain.shared.errors import NotFound
from tests.support.builders import NOW, Builder, Stores

pytestmark = pytest.mark.integration

LATER = NOW + timedelta(hours=1)


async def add_user(stores: Stores, tenant_id: int, email: str = "owner@example.com") -> User:
    return await stores.users.add(
        tenant_id=tenant_id,
        email=email,
        password_hash="$argon2id$hash",
        role=UserRole.OWNER,
        language=Language.ZH_CN,
        now=NOW,
    )


async def open_session(
    stores: Stores,
    *,
    user_id: int | None = None,
    operator_id: int | None = None,
    token: str | None = None,
    expires_at: Any = None,
) -> ConsoleSession:
    return await stores.sessions.add(
        token_hash=hash_token(token or new_token()),
        user_id=user_id,
        operator_id=operator_id,
        csrf_token="csrf",
        now=NOW,
        expires_at=expires_at or NOW + timedelta(days=7),
        ip="203.0.113.7",
        user_agent="Firefox",
    )


async def count_rows(stores: Stores, table: Any) -> int:
    def job(conn: Connection) -> int:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())

    return await stores.db.read(job)


# --- users ---------------------------------------------------------------------------------------


async def test_a_user_is_added_pending_and_found(stores: Stores, build: Builder) -> None:
    tenant = await build.tenant()
    user = await add_user(stores, tenant.id)
    assert user.id > 0
    assert (user.tenant_id, user.email, user.role, user.status, user.language) == (
        tenant.id,
        "owner@example.com",
        UserRole.OWNER,
        UserStatus.PENDING,
        Language.ZH_CN,
    )
    assert (user.created_at, user.activated_at, user.last_login_at, user.password_hash) == (
        NOW,
        None,
        None,
        "$argon2id$hash",
    )
    assert await stores.users.by_email("owner@example.com") == user
    assert await stores.users.by_id(user.id) == user
    assert await stores.users.by_email("nobody@example.com") is None
    assert await stores.users.by_id(user.id + 100) is None


async def test_signups_since_counts_the_accounts_opened_from_one_address(stores: Stores, build: Builder) -> None:
    tenant = await build.tenant()

    async def sign_up(email: str, ip: str | None, at_minutes: int) -> None:
        await stores.users.add(
            tenant_id=tenant.id,
            email=email,
            password_hash="$argon2id$hash",
            role=UserRole.OWNER,
            language=Language.EN,
            now=NOW + timedelta(minutes=at_minutes),
            signup_ip=ip,
        )

    await sign_up("a@example.com", "192.0.2.1", 0)
    await sign_up("b@example.com", "192.0.2.1", 10)
    await sign_up("c@example.com", "2001:db8::1", 20)
    await sign_up("d@example.com", None, 30)  # made otherwise than by a sign-up

    assert await stores.users.signups_since(ip="192.0.2.1", since=NOW - timedelta(minutes=1)) == [
        NOW,
        NOW + timedelta(minutes=10),
    ]
    assert await stores.users.signups_since(ip="192.0.2.1", since=NOW) == [NOW + timedelta(minutes=10)]
    assert await stores.users.signups_since(ip="2001:db8::1", since=NOW) == [NOW + timedelta(minutes=20)]
    assert await stores.users.signups_since(ip="198.51.100.7", since=NOW - timedelta(days=1)) == []


async def test_of_tenant_lists_only_the_tenants_users(stores: Stores, build: Builder) -> None:
    tenant = await build.tenant()
    other = await build.tenant()
    first = await add_user(stores, tenant.id, "a@example.com")
    await add_user(stores, other.id, "b@example.com")
    second = await add_user(stores, tenant.id, "c@example.com")
    assert await stores.users.of_tenant(tenant.id) == [first, second]


async def test_an_email_is_registered_once(stores: Stores, build: Builder) -> None:
    tenant = await build.tenant()
    other = await build.tenant()
    await add_user(stores, tenant.id, "same@example.com")
    with pytest.raises(EmailTaken):
        await add_user(stores, other.id, "same@example.com")
    assert len(await stores.users.of_tenant(other.id)) == 0


async def test_of_concurrent_sign_ups_with_one_address_exactly_one_succeeds(stores: Stores, build: Builder) -> None:
    tenants = [await build.tenant() for _ in range(4)]
    outcomes = await asyncio.gather(
        *(add_user(stores, tenant.id, "race@example.com") for tenant in tenants), return_exceptions=True
    )
    users = [outcome for outcome in outcomes if isinstance(outcome, User)]
    assert len(users) == 1
    assert all(isinstance(outcome, EmailTaken) for outcome in outcomes if outcome is not users[0])
    assert await stores.users.by_email("race@example.com") == users[0]


async def test_activate_makes_a_pending_user_active_once(stores: Stores, build: Builder) -> None:
    tenant = await build.tenant()
    user = await add_user(stores, tenant.id)
    active = await stores.users.activate(user.id, now=LATER)
    assert active == replace(user, status=UserStatus.ACTIVE, activated_at=LATER)
    again = await stores.users.activate(user.id, now=LATER + timedelta(days=1))
    assert again == active


async def test_activate_leaves_a_disabled_user_disabled(stores: Stores, build: Builder) -> None:
    tenant = await build.tenant()
    user = await add_user(stores, tenant.id)

    def disable(conn: Connection) -> None:
        u = tables.user_account
        conn.execute(update(u).where(u.c.id == user.id).values(status=UserStatus.DISABLED.value))

    await stores.db.write(disable)
    assert (await stores.users.activate(user.id, now=LATER)).status is UserStatus.DISABLED


async def test_activating_an_unknown_user_is_not_found(stores: Stores) -> None:
    with pytest.raises(NotFound):
        await stores.users.activate(999, now=NOW)


async def test_password_language_and_login_time_change_only_that_user(stores: Stores, build: Builder) -> None:
    tenant = await build.tenant()
    user = await add_user(stores, tenant.id, "a@example.com")
    other = await add_user(stores, tenant.id, "b@example.com")
    await stores.users.set_password(user.id, "$argon2id$new")
    await stores.users.set_language(user.id, Language.EN)
    await stores.users.record_login(user.id, now=LATER)
    assert await stores.users.by_id(user.id) == replace(
        user, password_hash="$argon2id$new", language=Language.EN, last_login_at=LATER
    )
    assert await stores.users.by_id(other.id) == other


# --- operators -----------------------------------------------------------------------------------


async def test_an_operator_is_added_active_and_found(stores: Stores) -> None:
    assert await stores.operators.count() == 0
    operator = await stores.operators.add(
        email="reviewer@example.com", name="审核员", password_hash="$argon2id$h", language=Language.EN, now=NOW
    )
    assert (operator.email, operator.name, operator.status, operator.language, operator.created_at) == (
        "reviewer@example.com",
        "审核员",
        OperatorStatus.ACTIVE,
        Language.EN,
        NOW,
    )
    assert (operator.last_login_at, operator.password_hash) == (None, "$argon2id$h")
    assert await stores.operators.by_email("reviewer@example.com") == operator
    assert await stores.operators.by_id(operator.id) == operator
    assert await stores.operators.by_email("owner@example.com") is None
    assert await stores.operators.by_id(operator.id + 100) is None
    assert await stores.operators.count() == 1
    assert await stores.operators.all() == [operator]


async def test_an_operator_address_is_registered_once_apart_from_users(stores: Stores, build: Builder) -> None:
    tenant = await build.tenant()
    await add_user(stores, tenant.id, "shared@example.com")
    first = await build.operator("shared@example.com")  # users and operators are separate
    with pytest.raises(EmailTaken):
        await build.operator("shared@example.com")
    assert await stores.operators.all() == [first]


async def test_operator_password_language_and_login_time(stores: Stores, build: Builder) -> None:
    operator = await build.operator()
    other = await build.operator()
    await stores.operators.set_password(operator.id, "$argon2id$new")
    await stores.operators.set_language(operator.id, Language.ZH_CN)
    await stores.operators.record_login(operator.id, now=LATER)
    assert await stores.operators.by_id(operator.id) == replace(
        operator, password_hash="$argon2id$new", language=Language.ZH_CN, last_login_at=LATER
    )
    assert await stores.operators.by_id(other.id) == other
    assert await stores.operators.all() == [await stores.operators.by_id(operator.id), other]


# --- sessions ------------------------------------------------------------------------------------


async def test_a_session_is_found_by_the_hash_of_its_token(stores: Stores, build: Builder) -> None:
    tenant = await build.tenant()
    user = await add_user(stores, tenant.id)
    session = await open_session(stores, user_id=user.id, token="cookie-token")
    assert (session.user_id, session.operator_id, session.kind) == (user.id, None, PrincipalKind.USER)
    assert (session.created_at, session.last_seen_at, session.revoked_at) == (NOW, NOW, None)
    assert (session.csrf_token, session.ip, session.user_agent) == ("csrf", "203.0.113.7", "Firefox")
    assert await stores.sessions.by_token_hash(hash_token("cookie-token")) == session
    assert await stores.sessions.by_token_hash("cookie-token") is None  # the token itself is not stored

    operator = await build.operator()
    theirs = await open_session(stores, operator_id=operator.id)
    assert theirs.kind is PrincipalKind.OPERATOR


async def test_a_session_belongs_to_exactly_one_principal(stores: Stores) -> None:
    with pytest.raises(ValueError, match="exactly one"):
        await open_session(stores)


async def test_touch_moves_last_seen_forward_on_live_sessions_only(stores: Stores, build: Builder) -> None:
    tenant = await build.tenant()
    user = await add_user(stores, tenant.id)
    session = await open_session(stores, user_id=user.id, token="t")
    await stores.sessions.touch(session.id, now=LATER)
    await stores.sessions.touch(session.id, now=NOW + timedelta(minutes=1))  # late writes do not go back
    touched = await stores.sessions.by_token_hash(hash_token("t"))
    assert touched == replace(session, last_seen_at=LATER)

    await stores.sessions.revoke(session.id, now=LATER)
    await stores.sessions.touch(session.id, now=LATER + timedelta(hours=1))
    revoked = await stores.sessions.by_token_hash(hash_token("t"))
    assert revoked == replace(session, last_seen_at=LATER, revoked_at=LATER)


async def test_revoke_keeps_the_first_time(stores: Stores, build: Builder) -> None:
    tenant = await build.tenant()
    user = await add_user(stores, tenant.id)
    session = await open_session(stores, user_id=user.id, token="t")
    await stores.sessions.revoke(session.id, now=LATER)
    await stores.sessions.revoke(session.id, now=LATER + timedelta(hours=1))
    revoked = await stores.sessions.by_token_hash(hash_token("t"))
    assert revoked is not None and revoked.revoked_at == LATER
    assert not revoked.alive(now=LATER, idle=timedelta(hours=2))


async def test_live_of_and_revoke_all_see_only_that_principals_live_sessions(stores: Stores, build: Builder) -> None:
    tenant = await build.tenant()
    user = await add_user(stores, tenant.id, "a@example.com")
    other = await add_user(stores, tenant.id, "b@example.com")
    operator = await build.operator()
    first = await open_session(stores, user_id=user.id)
    second = await open_session(stores, user_id=user.id)
    kept = await open_session(stores, user_id=user.id)
    expired = await open_session(stores, user_id=user.id, expires_at=NOW + timedelta(minutes=30))
    revoked = await open_session(stores, user_id=user.id)
    await stores.sessions.revoke(revoked.id, now=NOW)
    others = await open_session(stores, user_id=other.id)
    operators = await open_session(stores, operator_id=operator.id)

    assert await stores.sessions.live_of(user_id=user.id, now=NOW) == [first, second, kept, expired]
    assert await stores.sessions.live_of(user_id=user.id, now=LATER) == [first, second, kept]
    assert await stores.sessions.live_of(operator_id=operator.id, now=LATER) == [operators]

    assert await stores.sessions.revoke_all(user_id=user.id, now=LATER, keep=kept.id) == 2
    assert await stores.sessions.live_of(user_id=user.id, now=LATER) == [kept]
    assert await stores.sessions.live_of(user_id=other.id, now=LATER) == [others]
    assert await stores.sessions.live_of(operator_id=operator.id, now=LATER) == [operators]

    assert await stores.sessions.revoke_all(operator_id=operator.id, now=LATER) == 1
    assert await stores.sessions.live_of(operator_id=operator.id, now=LATER) == []
    assert await stores.sessions.revoke_all(user_id=user.id, now=LATER) == 1
    assert await stores.sessions.live_of(user_id=user.id, now=LATER) == []


async def test_revoke_all_and_live_of_need_one_principal(stores: Stores) -> None:
    with pytest.raises(ValueError, match="exactly one"):
        await stores.sessions.revoke_all(now=NOW)
    with pytest.raises(ValueError, match="exactly one"):
        await stores.sessions.live_of(user_id=1, operator_id=1, now=NOW)


# --- password and status changes that end sessions ----------------------------------------------


def operator_note(operator_id: int, action: str) -> AuditNote:
    return AuditNote(
        actor=Actor.operator(operator_id + 100),
        action=action,
        subject_kind="operator",
        subject_id=operator_id,
        tenant_id=None,
        detail="",
        at=LATER,
    )


def break_ending_sessions(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the revoke fail after the row's own UPDATE ran, as a crash between the two would."""

    def boom(*args: object, **kwargs: object) -> int:
        raise RuntimeError("the process died here")

    monkeypatch.setattr(identity_storage, "_end_sessions", boom)


async def test_a_password_change_ends_the_users_other_live_sessions_then(stores: Stores, build: Builder) -> None:
    tenant = await build.tenant()
    user = await add_user(stores, tenant.id, "a@example.com")
    other = await add_user(stores, tenant.id, "b@example.com")
    operator = await build.operator()
    first = await open_session(stores, user_id=user.id, token="first")
    kept = await open_session(stores, user_id=user.id)
    expired = await open_session(stores, user_id=user.id, token="expired", expires_at=NOW + timedelta(minutes=30))
    others = await open_session(stores, user_id=other.id)
    operators = await open_session(stores, operator_id=operator.id)

    await stores.users.set_password(user.id, "$argon2id$new", sessions_end_at=LATER, keep_session=kept.id)

    assert await stores.users.by_id(user.id) == replace(user, password_hash="$argon2id$new")
    assert await stores.sessions.live_of(user_id=user.id, now=LATER) == [kept]
    assert await stores.sessions.by_token_hash(hash_token("first")) == replace(first, revoked_at=LATER)
    assert await stores.sessions.by_token_hash(hash_token("expired")) == expired  # over already: left as it was
    assert await stores.sessions.live_of(user_id=other.id, now=LATER) == [others]
    assert await stores.sessions.live_of(operator_id=operator.id, now=LATER) == [operators]

    await stores.users.set_password(user.id, "$argon2id$newer", sessions_end_at=LATER)
    assert await stores.sessions.live_of(user_id=user.id, now=LATER) == []


async def test_a_rehash_ends_no_session(stores: Stores, build: Builder) -> None:
    tenant = await build.tenant()
    user = await add_user(stores, tenant.id)
    operator = await build.operator()
    mine = [await open_session(stores, user_id=user.id), await open_session(stores, user_id=user.id)]
    theirs = await open_session(stores, operator_id=operator.id)

    await stores.users.set_password(user.id, "$argon2id$rehashed")
    await stores.operators.set_password(operator.id, "$argon2id$rehashed")

    assert (await stores.users.by_id(user.id), await stores.operators.by_id(operator.id)) == (
        replace(user, password_hash="$argon2id$rehashed"),
        replace(operator, password_hash="$argon2id$rehashed"),
    )
    assert await stores.sessions.live_of(user_id=user.id, now=LATER) == mine
    assert await stores.sessions.live_of(operator_id=operator.id, now=LATER) == [theirs]


async def test_setting_an_operators_password_or_disabling_them_ends_their_sessions_then(
    stores: Stores, build: Builder
) -> None:
    operator = await build.operator()
    other = await build.operator()
    await open_session(stores, operator_id=operator.id)
    await open_session(stores, operator_id=operator.id)
    others = await open_session(stores, operator_id=other.id, token="others")

    await stores.operators.set_password(
        operator.id, "$argon2id$new", noted=operator_note(operator.id, "operator.password_set"), sessions_end_at=LATER
    )
    assert await stores.sessions.live_of(operator_id=operator.id, now=LATER) == []
    assert await stores.sessions.live_of(operator_id=other.id, now=LATER) == [others]

    await stores.operators.set_status(other.id, OperatorStatus.DISABLED, sessions_end_at=LATER)
    assert (await stores.operators.by_id(other.id)) == replace(other, status=OperatorStatus.DISABLED)
    assert await stores.sessions.by_token_hash(hash_token("others")) == replace(others, revoked_at=LATER)

    again = await open_session(stores, operator_id=other.id)
    await stores.operators.set_status(other.id, OperatorStatus.ACTIVE)  # enabling ends nothing
    assert await stores.sessions.live_of(operator_id=other.id, now=LATER) == [again]
    assert [e.action for e in await stores.audit.recent(limit=10)] == ["operator.password_set"]


async def test_a_password_change_whose_sessions_cannot_end_is_not_made(
    stores: Stores, build: Builder, monkeypatch: pytest.MonkeyPatch
) -> None:
    tenant = await build.tenant()
    user = await add_user(stores, tenant.id)
    session = await open_session(stores, user_id=user.id)
    break_ending_sessions(monkeypatch)

    with pytest.raises(RuntimeError, match="died"):
        await stores.users.set_password(user.id, "$argon2id$new", sessions_end_at=LATER)

    assert await stores.users.by_id(user.id) == user  # one transaction: the new hash is rolled back
    assert await stores.sessions.live_of(user_id=user.id, now=LATER) == [session]
    await stores.users.set_password(user.id, "$argon2id$rehashed")  # a rehash does not end sessions
    assert (await stores.users.by_id(user.id)) == replace(user, password_hash="$argon2id$rehashed")


@pytest.mark.parametrize("change", ["password", "status"])
async def test_an_operator_change_whose_sessions_cannot_end_is_not_made_nor_audited(
    stores: Stores, build: Builder, monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    operator = await build.operator()
    session = await open_session(stores, operator_id=operator.id)
    break_ending_sessions(monkeypatch)

    with pytest.raises(RuntimeError, match="died"):
        if change == "password":
            noted = operator_note(operator.id, "operator.password_set")
            await stores.operators.set_password(operator.id, "$argon2id$new", noted=noted, sessions_end_at=LATER)
        else:
            noted = operator_note(operator.id, "operator.disable")
            await stores.operators.set_status(operator.id, OperatorStatus.DISABLED, noted=noted, sessions_end_at=LATER)

    assert await stores.operators.by_id(operator.id) == operator
    assert await stores.audit.recent(limit=10) == []
    assert await stores.sessions.live_of(operator_id=operator.id, now=LATER) == [session]


# --- one-time tokens -----------------------------------------------------------------------------


async def add_token(
    stores: Stores,
    user_id: int,
    token: str,
    purpose: TokenPurpose = TokenPurpose.ACTIVATE,
    valid: timedelta = LATER - NOW,
) -> None:
    await stores.tokens.add(
        user_id=user_id, purpose=purpose, token_hash=hash_token(token), now=NOW, expires_at=NOW + valid
    )


async def test_a_token_is_consumed_once(stores: Stores, build: Builder) -> None:
    tenant = await build.tenant()
    user = await add_user(stores, tenant.id)
    await add_token(stores, user.id, "link")
    consume = stores.tokens.consume
    assert await consume(token_hash=hash_token("link"), purpose=TokenPurpose.ACTIVATE, now=NOW) == user.id
    assert await consume(token_hash=hash_token("link"), purpose=TokenPurpose.ACTIVATE, now=NOW) is None

    def used_at(conn: Connection) -> Any:
        t = tables.auth_token
        return conn.execute(select(t.c.used_at).where(t.c.token_hash == hash_token("link"))).scalar_one()

    assert await stores.db.read(used_at) == NOW


async def test_a_token_serves_only_its_purpose(stores: Stores, build: Builder) -> None:
    tenant = await build.tenant()
    user = await add_user(stores, tenant.id)
    await add_token(stores, user.id, "reset-link", TokenPurpose.RESET)
    consume = stores.tokens.consume
    assert await consume(token_hash=hash_token("reset-link"), purpose=TokenPurpose.ACTIVATE, now=NOW) is None
    assert await consume(token_hash=hash_token("reset-link"), purpose=TokenPurpose.RESET, now=NOW) == user.id


async def test_an_expired_or_unknown_token_is_refused(stores: Stores, build: Builder) -> None:
    tenant = await build.tenant()
    user = await add_user(stores, tenant.id)
    await add_token(stores, user.id, "link", valid=timedelta(hours=1))
    consume = stores.tokens.consume
    expiry = NOW + timedelta(hours=1)
    assert await consume(token_hash=hash_token("link"), purpose=TokenPurpose.ACTIVATE, now=expiry) is None
    assert await consume(token_hash=hash_token("other"), purpose=TokenPurpose.ACTIVATE, now=NOW) is None
    just_before = expiry - timedelta(microseconds=1)
    assert await consume(token_hash=hash_token("link"), purpose=TokenPurpose.ACTIVATE, now=just_before) == user.id


async def test_peek_leaves_a_token_unused(stores: Stores, build: Builder) -> None:
    tenant = await build.tenant()
    user = await add_user(stores, tenant.id)
    await add_token(stores, user.id, "link", TokenPurpose.RESET)
    for _ in range(2):
        assert await stores.tokens.peek(token_hash=hash_token("link"), purpose=TokenPurpose.RESET, now=NOW) == user.id
    assert await stores.tokens.peek(token_hash=hash_token("link"), purpose=TokenPurpose.ACTIVATE, now=NOW) is None
    assert await stores.tokens.consume(token_hash=hash_token("link"), purpose=TokenPurpose.RESET, now=NOW) == user.id
    assert await stores.tokens.peek(token_hash=hash_token("link"), purpose=TokenPurpose.RESET, now=NOW) is None


async def test_issued_since_lists_the_users_tokens_of_a_purpose(stores: Stores, build: Builder) -> None:
    tenant = await build.tenant()
    user, other = await add_user(stores, tenant.id), await add_user(stores, tenant.id, "other@example.com")
    await add_token(stores, user.id, "a")
    await add_token(stores, user.id, "b", TokenPurpose.RESET)
    await add_token(stores, other.id, "c")
    issued = stores.tokens.issued_since
    assert await issued(user_id=user.id, purpose=TokenPurpose.ACTIVATE, since=NOW) == [NOW]
    assert await issued(user_id=user.id, purpose=TokenPurpose.ACTIVATE, since=NOW + timedelta(seconds=1)) == []


async def test_of_concurrent_uses_of_one_link_exactly_one_wins(stores: Stores, build: Builder) -> None:
    tenant = await build.tenant()
    user = await add_user(stores, tenant.id)
    await add_token(stores, user.id, "link", TokenPurpose.RESET)
    outcomes = await asyncio.gather(
        *(stores.tokens.consume(token_hash=hash_token("link"), purpose=TokenPurpose.RESET, now=NOW) for _ in range(8))
    )
    assert sorted(outcomes, key=lambda outcome: outcome is None) == [user.id] + [None] * 7


# --- failed logins -------------------------------------------------------------------------------


async def test_failures_are_counted_by_email_and_by_address(stores: Stores) -> None:
    failures = stores.login_failures
    await failures.record(email="a@example.com", ip="198.51.100.1", now=NOW)
    await failures.record(email="a@example.com", ip="198.51.100.2", now=NOW + timedelta(minutes=1))
    await failures.record(email="b@example.com", ip="198.51.100.1", now=NOW + timedelta(minutes=2))
    assert await failures.count_since(email="a@example.com", ip="198.51.100.1", since=NOW) == FailureCounts(2, 2, 1)
    later = NOW + timedelta(minutes=1)
    assert await failures.count_since(email="a@example.com", ip="198.51.100.1", since=later) == FailureCounts(1, 1, 0)
    assert await failures.count_since(email="c@example.com", ip="198.51.100.9", since=NOW) == FailureCounts(0, 0, 0)


async def test_clear_forgets_only_that_emails_failures(stores: Stores) -> None:
    failures = stores.login_failures
    await failures.record(email="a@example.com", ip="198.51.100.1", now=NOW)
    await failures.record(email="a@example.com", ip="198.51.100.1", now=NOW)
    await failures.record(email="b@example.com", ip="198.51.100.1", now=NOW)
    await failures.clear(email="a@example.com")
    assert await failures.count_since(email="a@example.com", ip="198.51.100.1", since=NOW) == FailureCounts(0, 1, 0)
    assert await failures.count_since(email="b@example.com", ip="198.51.100.2", since=NOW) == FailureCounts(1, 0, 0)


async def test_recording_prunes_failures_older_than_a_day(stores: Stores) -> None:
    failures = stores.login_failures
    old = NOW - FAILURES_KEPT - timedelta(seconds=1)
    await failures.record(email="a@example.com", ip="198.51.100.1", now=old)
    await failures.record(email="b@example.com", ip="198.51.100.2", now=NOW - FAILURES_KEPT)
    await failures.record(email="c@example.com", ip="198.51.100.3", now=NOW)
    assert await count_rows(stores, tables.login_failure) == 2
    assert await failures.count_since(email="a@example.com", ip="198.51.100.1", since=old) == FailureCounts(0, 0, 0)
    assert await failures.count_since(email="b@example.com", ip="198.51.100.2", since=old) == FailureCounts(1, 1, 1)
