"""Console users (people of a tenant), operators (the platform's staff) and their sessions."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

__all__ = [
    "ConsoleSession",
    "Language",
    "LoginChallenge",
    "Operator",
    "OperatorStatus",
    "Principal",
    "PrincipalKind",
    "TokenPurpose",
    "User",
    "UserRole",
    "UserStatus",
    "hash_token",
    "new_token",
]


class Language(StrEnum):
    ZH_CN = "zh-CN"
    EN = "en"


class UserRole(StrEnum):
    OWNER = "owner"
    MEMBER = "member"


class UserStatus(StrEnum):
    PENDING = "pending"  # signed up, activation link not yet followed
    ACTIVE = "active"
    DISABLED = "disabled"


@dataclass(frozen=True, slots=True)
class User:
    id: int
    tenant_id: int
    email: str
    role: UserRole
    status: UserStatus
    language: Language
    created_at: datetime
    activated_at: datetime | None
    last_login_at: datetime | None
    password_hash: str = field(repr=False)


class OperatorStatus(StrEnum):
    ACTIVE = "active"
    DISABLED = "disabled"


@dataclass(frozen=True, slots=True)
class Operator:
    id: int
    email: str
    name: str
    status: OperatorStatus
    language: Language
    created_at: datetime
    last_login_at: datetime | None
    password_hash: str = field(repr=False)


class PrincipalKind(StrEnum):
    USER = "user"
    OPERATOR = "operator"


@dataclass(frozen=True, slots=True)
class Principal:
    """Who signs in: a tenant's user or an operator (exactly one of the two ids)."""

    user_id: int | None
    operator_id: int | None

    @classmethod
    def user(cls, user_id: int) -> Principal:
        return cls(user_id, None)

    @classmethod
    def operator(cls, operator_id: int) -> Principal:
        return cls(None, operator_id)


@dataclass(frozen=True, slots=True)
class LoginChallenge:
    """A login whose password was right, waiting for its second step (the browser holds the token)."""

    id: int
    principal: Principal
    ip: str
    user_agent: str
    expires_at: datetime
    failures: int


@dataclass(frozen=True, slots=True)
class ConsoleSession:
    """A login. The browser holds a random token; only its hash is stored, so a stolen
    database does not hold working sessions."""

    id: int
    user_id: int | None
    operator_id: int | None
    csrf_token: str
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    ip: str
    user_agent: str

    @property
    def kind(self) -> PrincipalKind:
        return PrincipalKind.OPERATOR if self.operator_id is not None else PrincipalKind.USER

    def alive(self, *, now: datetime, idle: timedelta) -> bool:
        return self.revoked_at is None and now < self.expires_at and now - self.last_seen_at < idle


class TokenPurpose(StrEnum):
    ACTIVATE = "activate"
    RESET = "reset"


def new_token() -> str:
    """A random token for a cookie or an e-mailed link (256 bits, URL-safe)."""
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """What is stored for a token: its SHA-256, hex. Tokens are random, so no salt is needed."""
    return hashlib.sha256(token.encode()).hexdigest()
