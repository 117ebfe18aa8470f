"""The rows of a table of requests for review (signatures, templates), shared by their stores.

Tenant-facing methods match the tenant id in their WHERE clause, so another tenant's request is
neither found nor changed, whatever its id. Deleting is soft (`deleted_at`); a deleted request is
gone for every method here (messages sent with it keep their text).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, Connection, Table, func, insert, select, true, update

from smscloud.adapters.storage.audit import add_audit_entry
from smscloud.adapters.storage.database import Database
from smscloud.adapters.storage.sql import one_of
from smscloud.domain.audit.model import AuditNote
from smscloud.domain.shared.errors import NotFound
from smscloud.domain.shared.review import ReviewStatus

__all__ = ["ReviewedRows"]

T = TypeVar("T")


class ReviewedRows(Generic[T]):
    """`table`'s live rows as `to_model` makes them; `what` names a request in NotFound errors."""

    def __init__(self, db: Database, table: Table, to_model: Callable[[Any], T], what: str) -> None:
        self._db = db
        self._t = table
        self._to_model = to_model
        self._what = what
        self._live = table.c.deleted_at.is_(None)
        self._pending = table.c.status == ReviewStatus.PENDING.value

    def _mine(self, tenant_id: int, item_id: int) -> ColumnElement[bool]:
        t = self._t
        return (t.c.id == item_id) & (t.c.tenant_id == tenant_id) & self._live

    async def add(self, *, tenant_id: int, values: dict[str, Any], now: datetime) -> T:
        row_values = values | {
            "tenant_id": tenant_id,
            "status": ReviewStatus.PENDING.value,
            "review_reply": "",
            "created_at": now,
            "updated_at": now,
        }

        def job(conn: Connection) -> Any:
            return conn.execute(insert(self._t).values(row_values).returning(*self._t.c)).one()

        return self._to_model(await self._db.write(job))

    async def get(self, *, tenant_id: int, item_id: int) -> T | None:
        return await self._one(self._mine(tenant_id, item_id))

    async def by_id(self, item_id: int) -> T | None:
        return await self._one((self._t.c.id == item_id) & self._live)

    async def where(self, condition: ColumnElement[bool]) -> list[T]:
        """Live rows matching `condition`, oldest first."""

        def job(conn: Connection) -> list[T]:
            rows = conn.execute(select(self._t).where(condition, self._live).order_by(self._t.c.id)).all()
            return [self._to_model(row) for row in rows]

        return await self._db.read(job)

    async def of_tenant(
        self,
        tenant_id: int,
        *,
        international: bool | None = None,
        ids: Sequence[int] = (),
        limit: int | None = None,
        offset: int = 0,
    ) -> list[T]:
        """Live requests, oldest first; `ids` selects, else `limit`/`offset` page."""
        t = self._t

        def job(conn: Connection) -> list[T]:
            query = select(t).where(t.c.tenant_id == tenant_id, self._live).order_by(t.c.id)
            if international is not None:
                query = query.where(t.c.international == international)
            if ids:
                query = query.where(one_of(t.c.id, ids, postgres=conn.dialect.name == "postgresql"))
            else:
                query = query.limit(limit).offset(offset)
            return [self._to_model(row) for row in conn.execute(query).all()]

        return await self._db.read(job)

    async def count_of_tenant(self, tenant_id: int) -> int:
        return await self._count(self._t.c.tenant_id == tenant_id)

    async def update(self, *, tenant_id: int, item_id: int, values: dict[str, Any], now: datetime) -> T:
        """Replace the request and put it back to review: pending, without the last review's reply,
        time or reviewer. Raises NotFound when the tenant has no such live request."""
        row_values = values | {
            "status": ReviewStatus.PENDING.value,
            "review_reply": "",
            "updated_at": now,
            "reviewed_at": None,
            "reviewed_by": None,
        }

        def job(conn: Connection) -> Any:
            statement = update(self._t).where(self._mine(tenant_id, item_id)).values(row_values)
            return conn.execute(statement.returning(*self._t.c)).first()

        row = await self._db.write(job)
        if row is None:
            raise NotFound(self._what, item_id)
        return self._to_model(row)

    async def delete(self, *, tenant_id: int, item_id: int, now: datetime) -> bool:
        """Soft-delete; False when the tenant has no such live request."""

        def job(conn: Connection) -> bool:
            result = conn.execute(update(self._t).where(self._mine(tenant_id, item_id)).values(deleted_at=now))
            return result.rowcount == 1

        return await self._db.write(job)

    # --- operators ---

    async def pending(self, *, limit: int, offset: int = 0) -> list[T]:
        """What waits for review, longest-waiting first (by when it was last submitted)."""
        t = self._t

        def job(conn: Connection) -> list[T]:
            query = select(t).where(self._pending, self._live).order_by(t.c.updated_at, t.c.id)
            return [self._to_model(row) for row in conn.execute(query.limit(limit).offset(offset)).all()]

        return await self._db.read(job)

    async def count_pending(self) -> int:
        return await self._count(self._pending)

    async def decide(
        self,
        *,
        item_id: int,
        status: ReviewStatus,
        reply: str,
        reviewer_id: int | None,
        now: datetime,
        seen: datetime | None = None,
        noted: AuditNote | None = None,
    ) -> T | None:
        """Record the review of a pending request; None if it is not pending (any more), or if
        `seen` is given and the request was modified since (its `updated_at` differs).

        One conditional UPDATE, so of two reviewers deciding at once exactly one wins, and a
        decision never lands on a submission its reviewer did not see; `noted` is recorded in the
        same transaction when the decision is."""
        t = self._t
        unchanged = true() if seen is None else t.c.updated_at == seen

        def job(conn: Connection) -> Any:
            row = conn.execute(
                update(t)
                .where(t.c.id == item_id, self._pending, self._live, unchanged)
                .values(status=status.value, review_reply=reply, reviewed_at=now, reviewed_by=reviewer_id)
                .returning(*t.c)
            ).first()
            if row is not None and noted is not None:
                add_audit_entry(conn, noted)
            return row

        row = await self._db.write(job)
        return None if row is None else self._to_model(row)

    async def _one(self, where: ColumnElement[bool]) -> T | None:
        def job(conn: Connection) -> T | None:
            row = conn.execute(select(self._t).where(where)).first()
            return None if row is None else self._to_model(row)

        return await self._db.read(job)

    async def _count(self, where: ColumnElement[bool]) -> int:
        def job(conn: Connection) -> int:
            query = select(func.count()).select_from(self._t).where(where, self._live)
            return int(conn.execute(query).scalar_one())

        return await self._db.read(job)
