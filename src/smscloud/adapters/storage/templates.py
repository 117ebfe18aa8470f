"""Templates."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, insert, select, update

from smscloud.adapters.storage import mappers, tables
from smscloud.adapters.storage.database import Database
from smscloud.domain.shared.errors import NotFound
from smscloud.domain.shared.review import ReviewStatus
from smscloud.domain.templates.model import SmsType, Template

__all__ = ["SqlTemplateStore"]

_t = tables.template


class SqlTemplateStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def add(
        self,
        *,
        tenant_id: int,
        name: str,
        content: str,
        sms_type: SmsType,
        international: bool,
        remark: str,
        now: datetime,
    ) -> Template:
        def job(conn: Connection) -> Template:
            row = conn.execute(
                insert(_t)
                .values(
                    tenant_id=tenant_id,
                    name=name,
                    content=content,
                    sms_type=int(sms_type),
                    international=international,
                    remark=remark,
                    status=ReviewStatus.PENDING.value,
                    review_reply="",
                    created_at=now,
                    updated_at=now,
                )
                .returning(*_t.c)
            ).one()
            return mappers.to_template(row)

        return await self._db.write(job)

    async def of_tenant(self, tenant_id: int) -> list[Template]:
        def job(conn: Connection) -> list[Template]:
            rows = conn.execute(
                select(_t).where(_t.c.tenant_id == tenant_id, _t.c.deleted_at.is_(None)).order_by(_t.c.id)
            ).all()
            return [mappers.to_template(row) for row in rows]

        return await self._db.read(job)

    async def set_review(self, *, template_id: int, status: ReviewStatus, reply: str, now: datetime) -> Template:
        def job(conn: Connection) -> Template:
            row = conn.execute(
                update(_t)
                .where(_t.c.id == template_id, _t.c.deleted_at.is_(None))
                .values(status=status.value, review_reply=reply, updated_at=now)
                .returning(*_t.c)
            ).first()
            if row is None:
                raise NotFound("template", template_id)
            return mappers.to_template(row)

        return await self._db.write(job)
