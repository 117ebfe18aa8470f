"""Use cases of accounts: create tenants, issue API keys."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from smscloud.domain.accounts.model import ApiKey, Tenant, TenantKind, new_secret_id, new_secret_key
from smscloud.domain.accounts.ports import AccountStore
from smscloud.domain.shared.clock import Clock
from smscloud.domain.shared.errors import InvalidInput

__all__ = ["DEFAULT_TIMEZONE", "create_tenant", "issue_api_key"]

DEFAULT_TIMEZONE = "Asia/Shanghai"


async def create_tenant(
    *, store: AccountStore, clock: Clock, name: str, kind: TenantKind, timezone: str = DEFAULT_TIMEZONE
) -> Tenant:
    name = name.strip()
    if not 1 <= len(name) <= 128:
        raise InvalidInput("name", "must be 1 to 128 characters")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as unknown:
        raise InvalidInput("timezone", "must be an IANA time zone such as Asia/Shanghai") from unknown
    return await store.add_tenant(name=name, kind=kind, timezone=timezone, now=clock.now())


async def issue_api_key(*, store: AccountStore, clock: Clock, tenant_id: int) -> ApiKey:
    """A new SecretId/SecretKey pair; the caller shows the SecretKey once."""
    return await store.add_api_key(
        tenant_id=tenant_id, secret_id=new_secret_id(), secret_key=new_secret_key(), now=clock.now()
    )
