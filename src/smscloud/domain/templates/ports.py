"""What the templates context needs from the outside world."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from smscloud.domain.audit.model import AuditNote
from smscloud.domain.shared.review import ReviewStatus
from smscloud.domain.templates.model import Template, TemplateDraft

__all__ = ["TemplateStore"]


class TemplateStore(Protocol):
    """Tenant-facing methods take the tenant id and never see another tenant's rows."""

    async def add(self, *, tenant_id: int, draft: TemplateDraft, now: datetime) -> Template: ...

    async def get(self, *, tenant_id: int, template_id: int) -> Template | None: ...

    async def of_tenant(
        self,
        tenant_id: int,
        *,
        international: bool | None = None,
        ids: Sequence[int] = (),
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Template]:
        """Live templates, oldest first; `ids` selects, else `limit`/`offset` page."""
        ...

    async def count_of_tenant(self, tenant_id: int) -> int: ...

    async def update(self, *, tenant_id: int, template_id: int, draft: TemplateDraft, now: datetime) -> Template:
        """Replace the request and put it back to review."""
        ...

    async def delete(self, *, tenant_id: int, template_id: int, now: datetime) -> bool: ...

    # --- operators ---

    async def by_id(self, template_id: int) -> Template | None: ...

    async def pending(self, *, limit: int, offset: int = 0) -> list[Template]:
        """What waits for review, longest-waiting first (by when it was last submitted)."""
        ...

    async def count_pending(self) -> int: ...

    async def decide(
        self,
        *,
        template_id: int,
        status: ReviewStatus,
        reply: str,
        reviewer_id: int | None,
        now: datetime,
        seen: datetime | None = None,
        noted: AuditNote | None = None,
    ) -> Template | None:
        """Record the review of a pending template; None if it is not pending (any more), or if
        `seen` is given and the customer changed the request since (its `updated_at` differs).
        `noted` is recorded with the decision, in the same transaction."""
        ...
