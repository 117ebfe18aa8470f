"""Why a template request is refused."""

from __future__ import annotations

from smscloud.domain.shared.errors import Forbidden

__all__ = ["MarketingNotAllowed", "TemplateAlreadyApproved", "TemplateLimitReached"]


class TemplateAlreadyApproved(Forbidden):
    """An approved template cannot be modified; submit a new one instead."""


class MarketingNotAllowed(Forbidden):
    """Individual accounts may not create marketing templates (spec §4.3)."""


class TemplateLimitReached(Forbidden):
    pass
