"""Templates: the stored requests and their reviews.

The rows are `ReviewedRows` (adapters/storage/reviewed.py): tenant-scoped, soft-deleted, decided
by one conditional UPDATE.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from smscloud.adapters.storage import mappers, tables
from smscloud.adapters.storage.database import Database
from smscloud.adapters.storage.reviewed import ReviewedRows
from smscloud.domain.audit.model import AuditNote
from smscloud.domain.shared.review import ReviewStatus
from smscloud.domain.templates.model import Template, TemplateDraft

__all__ = ["SqlTemplateStore"]

_t = tables.template


def _draft_values(draft: TemplateDraft) -> dict[str, Any]:
    return {
        "name": draft.name,
        "content": draft.content,
        "sms_type": int(draft.sms_type),
        "international": draft.international,
        "remark": draft.remark,
    }


class SqlTemplateStore:
    """`TemplateStore` over the template table."""

    def __init__(self, db: Database) -> None:
        self._rows = ReviewedRows(db, _t, mappers.to_template, "template")

    async def add(self, *, tenant_id: int, draft: TemplateDraft, now: datetime) -> Template:
        return await self._rows.add(tenant_id=tenant_id, values=_draft_values(draft), now=now)

    async def get(self, *, tenant_id: int, template_id: int) -> Template | None:
        return await self._rows.get(tenant_id=tenant_id, item_id=template_id)

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
        return await self._rows.of_tenant(tenant_id, international=international, ids=ids, limit=limit, offset=offset)

    async def count_of_tenant(self, tenant_id: int) -> int:
        return await self._rows.count_of_tenant(tenant_id)

    async def update(self, *, tenant_id: int, template_id: int, draft: TemplateDraft, now: datetime) -> Template:
        """Replace the request and put it back to review. Raises NotFound when the tenant has no
        such live template."""
        return await self._rows.update(tenant_id=tenant_id, item_id=template_id, values=_draft_values(draft), now=now)

    async def delete(self, *, tenant_id: int, template_id: int, now: datetime) -> bool:
        """Soft-delete; False when the tenant has no such live template."""
        return await self._rows.delete(tenant_id=tenant_id, item_id=template_id, now=now)

    # --- operators ---

    async def by_id(self, template_id: int) -> Template | None:
        return await self._rows.by_id(template_id)

    async def pending(self, *, limit: int, offset: int = 0) -> list[Template]:
        """What waits for review, longest-waiting first (by when it was last submitted)."""
        return await self._rows.pending(limit=limit, offset=offset)

    async def count_pending(self) -> int:
        return await self._rows.count_pending()

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
        """Record the review of a pending template; None if it is not pending (any more) or was
        modified since `seen`."""
        return await self._rows.decide(
            item_id=template_id,
            status=status,
            reply=reply,
            reviewer_id=reviewer_id,
            now=now,
            seen=seen,
            noted=noted,
        )
