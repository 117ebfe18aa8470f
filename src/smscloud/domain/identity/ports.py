"""What the identity context needs from the outside world."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from smscloud.domain.audit.model import AuditNote
from smscloud.domain.identity.model import (
    ConsoleSession,
    Language,
    LoginChallenge,
    Operator,
    OperatorStatus,
    Principal,
    TokenPurpose,
    User,
    UserRole,
)
from smscloud.domain.identity.rules import FailureCounts
from smscloud.domain.identity.two_step import TwoStep

__all__ = [
    "LoginFailures",
    "OperatorStore",
    "PasswordHasher",
    "SessionStore",
    "TokenStore",
    "TwoStepStore",
    "UserStore",
]


class PasswordHasher(Protocol):
    """Async because a good hash is slow on purpose (tenths of a second): it must not hold up the
    event loop the API shares with the console."""

    async def hash(self, password: str) -> str: ...

    async def verify(self, password_hash: str, password: str) -> bool: ...

    def needs_rehash(self, password_hash: str) -> bool: ...


class UserStore(Protocol):
    async def add(
        self,
        *,
        tenant_id: int,
        email: str,
        password_hash: str,
        role: UserRole,
        language: Language,
        now: datetime,
        signup_ip: str | None = None,
    ) -> User:
        """Raises EmailTaken when the address is registered already. `signup_ip`: the client
        address a sign-up came from (kept to limit sign-ups per address)."""
        ...

    async def signups_since(self, *, ip: str, since: datetime) -> list[datetime]:
        """When each account signed up from client address `ip` after `since` was created, oldest first."""
        ...

    async def by_email(self, email: str) -> User | None: ...

    async def by_id(self, user_id: int) -> User | None: ...

    async def of_tenant(self, tenant_id: int) -> list[User]: ...

    async def activate(self, user_id: int, *, now: datetime) -> User: ...

    async def set_password(
        self,
        user_id: int,
        password_hash: str,
        *,
        sessions_end_at: datetime | None = None,
        keep_session: int | None = None,
    ) -> None:
        """With `sessions_end_at` (a password change), every live console session of the user but
        `keep_session` is revoked at that time in the same transaction; without it (a rehash at
        login), the sessions are left alone."""
        ...

    async def set_language(self, user_id: int, language: Language) -> None: ...

    async def record_login(self, user_id: int, *, now: datetime) -> None: ...


class OperatorStore(Protocol):
    """Changes made by someone else than the operator (created, disabled, a password set) take
    a `noted` audit entry, recorded in the same transaction (its subject_id None on `add`: the
    new operator's). With `sessions_end_at`, every live console session of the operator is
    revoked at that time in the same transaction too (a password set or a disabling; not a
    rehash at login)."""

    async def add(
        self,
        *,
        email: str,
        name: str,
        password_hash: str,
        language: Language,
        now: datetime,
        noted: AuditNote | None = None,
    ) -> Operator:
        """Raises EmailTaken when the address is registered already."""
        ...

    async def by_email(self, email: str) -> Operator | None: ...

    async def by_id(self, operator_id: int) -> Operator | None: ...

    async def count(self) -> int: ...

    async def all(self) -> list[Operator]: ...

    async def set_password(
        self,
        operator_id: int,
        password_hash: str,
        *,
        noted: AuditNote | None = None,
        sessions_end_at: datetime | None = None,
    ) -> None: ...

    async def set_language(self, operator_id: int, language: Language) -> None: ...

    async def set_status(
        self,
        operator_id: int,
        status: OperatorStatus,
        *,
        noted: AuditNote | None = None,
        sessions_end_at: datetime | None = None,
    ) -> None: ...

    async def record_login(self, operator_id: int, *, now: datetime) -> None: ...


class SessionStore(Protocol):
    async def add(
        self,
        *,
        token_hash: str,
        user_id: int | None,
        operator_id: int | None,
        csrf_token: str,
        now: datetime,
        expires_at: datetime,
        ip: str,
        user_agent: str,
    ) -> ConsoleSession: ...

    async def by_token_hash(self, token_hash: str) -> ConsoleSession | None: ...

    async def touch(self, session_id: int, *, now: datetime) -> None: ...

    async def revoke(self, session_id: int, *, now: datetime) -> None: ...

    async def revoke_all(
        self, *, user_id: int | None = None, operator_id: int | None = None, now: datetime, keep: int | None = None
    ) -> int:
        """Revoke every live session of the user or operator except `keep`; returns how many."""
        ...

    async def live_of(
        self, *, user_id: int | None = None, operator_id: int | None = None, now: datetime
    ) -> list[ConsoleSession]: ...


class TokenStore(Protocol):
    async def add(
        self, *, user_id: int, purpose: TokenPurpose, token_hash: str, now: datetime, expires_at: datetime
    ) -> None: ...

    async def consume(self, *, token_hash: str, purpose: TokenPurpose, now: datetime) -> int | None:
        """Mark an unused, unexpired token used and return its user id, atomically; None otherwise."""
        ...

    async def peek(self, *, token_hash: str, purpose: TokenPurpose, now: datetime) -> int | None:
        """The user id of an unused, unexpired token, leaving it unused; None otherwise."""
        ...

    async def issued_since(self, *, user_id: int, purpose: TokenPurpose, since: datetime) -> list[datetime]:
        """When the user's tokens of this purpose were made, from `since` on (any order)."""
        ...


class LoginFailures(Protocol):
    async def record(self, *, email: str, ip: str, now: datetime) -> None: ...

    async def count_since(self, *, email: str, ip: str, since: datetime) -> FailureCounts:
        """Failures since `since`: for this e-mail, from this address, and both."""
        ...

    async def clear(self, *, email: str) -> None: ...


class TwoStepStore(Protocol):
    """Two-step verification of users and operators (domain/identity/two_step.py)."""

    async def of(self, principal: Principal) -> TwoStep | None: ...

    async def enable(self, principal: Principal, *, secret: str, code_hashes: list[str], now: datetime) -> None:
        """Turn it on with this secret and these recovery codes (replacing any earlier ones)."""
        ...

    async def disable(self, principal: Principal, *, noted: AuditNote | None = None) -> bool:
        """Turn it off, forgetting the secret and the recovery codes, with `noted` recorded in the
        same transaction; False (nothing recorded) if it was off."""
        ...

    async def use_step(self, principal: Principal, step: int) -> bool:
        """Record `step` as used if it is later than the last one used, atomically; False if not
        (the code was used already, or another login used a later one)."""
        ...

    async def use_recovery_code(self, principal: Principal, code_hash: str, *, now: datetime) -> bool:
        """Mark an unused recovery code of this person used, atomically; False if there is none."""
        ...

    async def add_challenge(
        self, principal: Principal, *, token_hash: str, ip: str, user_agent: str, now: datetime, expires_at: datetime
    ) -> None: ...

    async def challenge(self, token_hash: str, *, now: datetime) -> LoginChallenge | None:
        """The open challenge (not finished, not expired) with this token's hash."""
        ...

    async def fail_challenge(self, challenge_id: int) -> None: ...

    async def finish_challenge(self, challenge_id: int, *, now: datetime) -> bool:
        """Mark it finished, atomically; False if it was finished already."""
        ...
