"""Tenants (customer accounts) and their API keys for Tencent Cloud API 3.0."""

from __future__ import annotations

import secrets
import string
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

__all__ = [
    "ApiKey",
    "ApiKeyStatus",
    "Tenant",
    "TenantKind",
    "TenantProfile",
    "TenantStatus",
    "new_secret_id",
    "new_secret_key",
]

_ALNUM = string.ascii_letters + string.digits


class TenantKind(StrEnum):
    INDIVIDUAL = "individual"
    ENTERPRISE = "enterprise"


class TenantStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"


@dataclass(frozen=True, slots=True)
class Tenant:
    id: int
    name: str
    kind: TenantKind
    status: TenantStatus
    timezone: str
    created_at: datetime
    sms_enabled_at: datetime | None = None  # when the account applied for the SMS service (seed 3)

    @property
    def sms_enabled(self) -> bool:
        return self.sms_enabled_at is not None


@dataclass(frozen=True, slots=True)
class TenantProfile:
    """Who to talk to about the account (seed 2.2 "complete the profile")."""

    tenant_id: int
    contact_name: str
    contact_phone: str
    contact_email: str
    address: str
    updated_at: datetime


class ApiKeyStatus(StrEnum):
    ACTIVE = "active"
    DISABLED = "disabled"


@dataclass(frozen=True, slots=True)
class ApiKey:
    """A SecretId/SecretKey pair. The SecretKey is kept in plaintext only in memory: TC3 signing
    needs it, so at rest it is encrypted, not hashed."""

    id: int
    tenant_id: int
    secret_id: str
    secret_key: str
    status: ApiKeyStatus
    created_at: datetime

    @property
    def usable(self) -> bool:
        return self.status is ApiKeyStatus.ACTIVE


def new_secret_id() -> str:
    """`AKID` and 32 letters and digits, the shape of Tencent's SecretIds."""
    return "AKID" + "".join(secrets.choice(_ALNUM) for _ in range(32))


def new_secret_key() -> str:
    return "".join(secrets.choice(_ALNUM) for _ in range(32))
