"""What the audit context needs from the outside world."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from smscloud.domain.audit.model import Actor, AuditEntry

__all__ = ["AuditLog"]


class AuditLog(Protocol):
    async def record(
        self,
        *,
        actor: Actor,
        action: str,
        subject_kind: str,
        subject_id: int | None,
        tenant_id: int | None,
        detail: str,
        now: datetime,
    ) -> None: ...

    async def recent(
        self, *, limit: int, offset: int = 0, tenant_id: int | None = None, subject_kind: str | None = None
    ) -> list[AuditEntry]:
        """Newest first."""
        ...
