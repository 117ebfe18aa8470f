"""What the applications context needs from the outside world."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from smscloud.domain.apps.model import Application, AppStatus

__all__ = ["AppStore"]


class AppStore(Protocol):
    """Every method is scoped to one tenant: another tenant's applications do not exist here."""

    async def add(self, *, tenant_id: int, sdk_app_id: str, name: str, app_key: str, now: datetime) -> Application: ...

    async def of_tenant(self, tenant_id: int) -> list[Application]: ...

    async def get(self, *, tenant_id: int, app_id: int) -> Application | None: ...

    async def set_app_key(self, *, tenant_id: int, app_id: int, app_key: str, now: datetime) -> Application | None: ...

    async def set_status(self, *, tenant_id: int, app_id: int, status: AppStatus) -> Application | None: ...
