"""Use cases of applications."""

from __future__ import annotations

from smscloud.domain.apps.model import Application, new_app_key, new_sdk_app_id
from smscloud.domain.apps.ports import AppStore
from smscloud.domain.shared.clock import Clock
from smscloud.domain.shared.errors import InvalidInput

__all__ = ["create_application"]


async def create_application(*, store: AppStore, clock: Clock, tenant_id: int, name: str) -> Application:
    name = name.strip()
    if not 1 <= len(name) <= 128:
        raise InvalidInput("name", "must be 1 to 128 characters")
    return await store.add(
        tenant_id=tenant_id, sdk_app_id=new_sdk_app_id(), name=name, app_key=new_app_key(), now=clock.now()
    )
