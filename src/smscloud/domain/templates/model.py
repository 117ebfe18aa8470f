"""Body templates with {1}…{n} parameters, approved by an operator before use."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from enum import IntEnum

from smscloud.domain.shared.review import ReviewStatus

__all__ = ["SmsType", "Template", "TemplateDraft", "parameter_count", "render"]

_PLACEHOLDER = re.compile(r"\{(\d+)\}")


class SmsType(IntEnum):
    """Tencent's SmsType since 2024-05-16."""

    MARKETING = 1
    NOTIFICATION = 2
    VERIFICATION_CODE = 3


def parameter_count(content: str) -> int:
    """The highest {n} in the content (parameters are numbered from 1 without gaps)."""
    numbers = [int(n) for n in _PLACEHOLDER.findall(content)]
    return max(numbers, default=0)


def render(content: str, params: list[str]) -> str:
    """Substitute {1}…{n}; the caller has checked that there are exactly n parameters."""

    def substitute(match: re.Match[str]) -> str:
        index = int(match.group(1)) - 1
        return params[index] if 0 <= index < len(params) else match.group(0)

    return _PLACEHOLDER.sub(substitute, content)


@dataclass(frozen=True, slots=True)
class Template:
    id: int
    tenant_id: int
    name: str
    content: str
    sms_type: SmsType
    international: bool
    remark: str
    status: ReviewStatus
    review_reply: str
    created_at: datetime
    updated_at: datetime
    reviewed_at: datetime | None = None
    parameters: int = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "parameters", parameter_count(self.content))

    def usable_by(self, tenant_id: int) -> bool:
        return self.tenant_id == tenant_id and self.status.usable


@dataclass(frozen=True, slots=True)
class TemplateDraft:
    """What a customer submits (or resubmits) for review."""

    name: str
    content: str
    sms_type: SmsType
    international: bool
    remark: str = ""
