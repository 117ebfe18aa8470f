"""What the accounts context needs from the outside world."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from smscloud.domain.accounts.model import ApiKey, ApiKeyStatus, Tenant, TenantKind, TenantProfile, TenantStatus
from smscloud.domain.audit.model import AuditNote

__all__ = ["AccountStore", "Credentials"]


class Credentials(Protocol):
    """Read side used to authenticate API calls; may be cached."""

    async def api_key(self, secret_id: str) -> ApiKey | None:
        """The key with this SecretId (secret in plaintext), or None."""
        ...

    async def tenant(self, tenant_id: int) -> Tenant | None: ...


class AccountStore(Protocol):
    async def add_tenant(self, *, name: str, kind: TenantKind, timezone: str, now: datetime) -> Tenant: ...

    async def tenant_named(self, name: str) -> Tenant | None: ...

    async def tenant(self, tenant_id: int) -> Tenant | None: ...

    async def tenants(self, *, limit: int, offset: int = 0) -> list[Tenant]:
        """Newest first, for operators."""
        ...

    async def update_tenant(self, tenant_id: int, *, name: str, kind: TenantKind) -> Tenant: ...

    async def set_tenant_status(
        self, tenant_id: int, status: TenantStatus, *, noted: AuditNote | None = None
    ) -> Tenant:
        """Recorded with `noted` in the same transaction; raises NotFound when there is no such tenant."""
        ...

    async def enable_sms(self, tenant_id: int, *, now: datetime, noted: AuditNote | None = None) -> Tenant:
        """Set when the tenant applied for SMS (the first time is kept), with `noted` the first time."""
        ...

    async def profile_of(self, tenant_id: int) -> TenantProfile | None: ...

    async def save_profile(self, profile: TenantProfile) -> TenantProfile: ...

    async def add_api_key(self, *, tenant_id: int, secret_id: str, secret_key: str, now: datetime) -> ApiKey: ...

    async def api_keys_of(self, tenant_id: int) -> list[ApiKey]: ...

    async def set_api_key_status(self, *, tenant_id: int, key_id: int, status: ApiKeyStatus) -> ApiKey | None:
        """None when the tenant has no such key."""
        ...

    async def delete_api_key(self, *, tenant_id: int, key_id: int) -> bool:
        """False when the tenant has no such key."""
        ...
