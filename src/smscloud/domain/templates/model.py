"""Body templates with {1}…{n} parameters, approved by an operator before use."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from enum import IntEnum

from smscloud.domain.shared.review import ReviewStatus

__all__ = ["SmsType", "Template", "TemplateDraft", "parameter_count", "read_parameters", "render"]

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


def read_parameters(content: str, text: str) -> list[str] | None:
    """The parameters with which `render(content, params) == text`, or None if no parameters do.

    The inverse of `render`, for sends that give the finished text instead of the parameters (the
    legacy v5 API's free-text `msg`). Each constant piece of the content is looked for at its
    earliest place after the previous one, as a glob matcher does, so the time is linear in the
    text whatever the text holds (a backtracking regular expression could be made to take hours).
    Where two readings exist the earlier parameters are the shorter ones. A parameter used twice
    must have the same value both times.
    """
    numbers = [int(n) for n in _PLACEHOLDER.findall(content)]
    if sorted(set(numbers)) != list(range(1, len(set(numbers)) + 1)):
        return None  # parameters with gaps render ambiguously; approved templates have none
    pieces = _PLACEHOLDER.split(content)[::2]  # the constants around the placeholders
    first, last = pieces[0], pieces[-1]
    if not numbers:
        return [] if text == content else None
    if len(text) < len(first) + len(last) or not (text.startswith(first) and text.endswith(last)):
        return None
    stop = len(text) - len(last)
    position = len(first)
    values: list[str] = []
    for piece in pieces[1:-1]:
        found = text.find(piece, position, stop)
        if found < 0:
            return None
        values.append(text[position:found])
        position = found + len(piece)
    values.append(text[position:stop])
    params: dict[int, str] = {}
    for number, value in zip(numbers, values, strict=True):
        if params.setdefault(number, value) != value:
            return None
    ordered = [params[n] for n in range(1, len(params) + 1)]
    return ordered if render(content, ordered) == text else None


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
