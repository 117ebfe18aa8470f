"""Templates.

Tenant-facing methods match the tenant id in their WHERE clause, so another tenant's template
is neither found nor changed, whatever its id. Deleting is soft (`deleted_at`); a deleted
template is gone for every method here (messages sent with it keep their text).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, func, insert, select, true, update

from smscloud.adapters.storage import mappers, tables
from smscloud.adapters.storage.database import Database
from smscloud.adapters.storage.sql import one_of
from smscloud.domain.shared.errors import NotFound
from smscloud.domain.shared.review import ReviewStatus
from smscloud.domain.templates.model import Template, TemplateDraft

__all__ = ["SqlTemplateStore"]

_t = tables.template
_live = _t.c.deleted_at.is_(None)
_pending = _t.c.status == ReviewStatus.PENDING.value


def _draft_values(draft: TemplateDraft) -> dict[str, Any]:
    return {
        "name": draft.name,
        "content": draft.content,
        "sms_type": int(draft.sms_type),
        "international": draft.international,
        "remark": draft.remark,
    }


def _mine(tenant_id: int, template_id: int) -> ColumnElement[bool]:
    return (_t.c.id == template_id) & (_t.c.tenant_id == tenant_id) & _live


class SqlTemplateStore:
    """`TemplateStore` over the template table."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def add(self, *, tenant_id: int, draft: TemplateDraft, now: datetime) -> Template:
        values = _draft_values(draft) | {
            "tenant_id": tenant_id,
            "status": ReviewStatus.PENDING.value,
            "review_reply": "",
            "created_at": now,
            "updated_at": now,
        }

        def job(conn: Connection) -> Any:
            return conn.execute(insert(_t).values(values).returning(*_t.c)).one()

        return mappers.to_template(await self._db.write(job))

    async def get(self, *, tenant_id: int, template_id: int) -> Template | None:
        return await self._one(_mine(tenant_id, template_id))

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

        def job(conn: Connection) -> list[Template]:
            query = select(_t).where(_t.c.tenant_id == tenant_id, _live).order_by(_t.c.id)
            if international is not None:
                query = query.where(_t.c.international == international)
            if ids:
                query = query.where(one_of(_t.c.id, ids, postgres=conn.dialect.name == "postgresql"))
            else:
                query = query.limit(limit).offset(offset)
            return [mappers.to_template(row) for row in conn.execute(query).all()]

        return await self._db.read(job)

    async def count_of_tenant(self, tenant_id: int) -> int:
        return await self._count(_t.c.tenant_id == tenant_id)

    async def update(self, *, tenant_id: int, template_id: int, draft: TemplateDraft, now: datetime) -> Template:
        """Replace the request and put it back to review: pending, without the last review's reply,
        time or reviewer. Raises NotFound when the tenant has no such live template."""
        values = _draft_values(draft) | {
            "status": ReviewStatus.PENDING.value,
            "review_reply": "",
            "updated_at": now,
            "reviewed_at": None,
            "reviewed_by": None,
        }

        def job(conn: Connection) -> Any:
            return conn.execute(update(_t).where(_mine(tenant_id, template_id)).values(values).returning(*_t.c)).first()

        row = await self._db.write(job)
        if row is None:
            raise NotFound("template", template_id)
        return mappers.to_template(row)

    async def delete(self, *, tenant_id: int, template_id: int, now: datetime) -> bool:
        """Soft-delete; False when the tenant has no such live template."""

        def job(conn: Connection) -> bool:
            result = conn.execute(update(_t).where(_mine(tenant_id, template_id)).values(deleted_at=now))
            return result.rowcount == 1

        return await self._db.write(job)

    # --- operators ---

    async def by_id(self, template_id: int) -> Template | None:
        return await self._one((_t.c.id == template_id) & _live)

    async def pending(self, *, limit: int, offset: int = 0) -> list[Template]:
        """What waits for review, longest-waiting first (by when it was last submitted)."""

        def job(conn: Connection) -> list[Template]:
            rows = conn.execute(
                select(_t).where(_pending, _live).order_by(_t.c.updated_at, _t.c.id).limit(limit).offset(offset)
            ).all()
            return [mappers.to_template(row) for row in rows]

        return await self._db.read(job)

    async def count_pending(self) -> int:
        return await self._count(_pending)

    async def decide(
        self,
        *,
        template_id: int,
        status: ReviewStatus,
        reply: str,
        reviewer_id: int | None,
        now: datetime,
        seen: datetime | None = None,
    ) -> Template | None:
        """Record the review of a pending template; None if it is not pending (any more).

        One conditional UPDATE, so of two reviewers deciding at once exactly one wins. (A pending
        request the customer modifies stays pending, so a decision taken on what the reviewer saw
        before still applies to it: the port carries no version to compare.)"""

        def job(conn: Connection) -> Any:
            return conn.execute(
                update(_t)
                .where(_t.c.id == template_id, _pending, _live, true() if seen is None else _t.c.updated_at == seen)
                .values(status=status.value, review_reply=reply, reviewed_at=now, reviewed_by=reviewer_id)
                .returning(*_t.c)
            ).first()

        row = await self._db.write(job)
        return None if row is None else mappers.to_template(row)

    async def _one(self, where: ColumnElement[bool]) -> Template | None:
        def job(conn: Connection) -> Template | None:
            row = conn.execute(select(_t).where(where)).first()
            return None if row is None else mappers.to_template(row)

        return await self._db.read(job)

    async def _count(self, where: ColumnElement[bool]) -> int:
        def job(conn: Connection) -> int:
            return int(conn.execute(select(func.count()).select_from(_t).where(where, _live)).scalar_one())

        return await self._db.read(job)
