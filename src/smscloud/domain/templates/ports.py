"""What the templates context needs from the outside world."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from smscloud.domain.shared.review import ReviewStatus
from smscloud.domain.templates.model import SmsType, Template

__all__ = ["TemplateStore"]


class TemplateStore(Protocol):
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
    ) -> Template: ...

    async def of_tenant(self, tenant_id: int) -> list[Template]: ...

    async def set_review(self, *, template_id: int, status: ReviewStatus, reply: str, now: datetime) -> Template: ...
