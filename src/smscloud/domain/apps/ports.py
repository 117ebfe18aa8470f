"""What the applications context needs from the outside world."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from smscloud.domain.apps.model import Application

__all__ = ["AppStore"]


class AppStore(Protocol):
    async def add(self, *, tenant_id: int, sdk_app_id: str, name: str, app_key: str, now: datetime) -> Application: ...

    async def of_tenant(self, tenant_id: int) -> list[Application]: ...
