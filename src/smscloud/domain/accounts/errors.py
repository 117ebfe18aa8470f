"""Why an account action is refused."""

from __future__ import annotations

from smscloud.domain.accounts.rules import Missing
from smscloud.domain.shared.errors import Conflict, Forbidden

__all__ = ["ApiKeyLimitReached", "SmsNotEnabled", "SmsNotReady"]


class SmsNotReady(Forbidden):
    """The account may not apply for SMS yet; `missing` says what to do first."""

    def __init__(self, missing: list[Missing]) -> None:
        super().__init__("the account cannot use SMS yet: " + ", ".join(m.value for m in missing))
        self.missing = missing


class SmsNotEnabled(Forbidden):
    """The account has not applied for the SMS service yet."""


class ApiKeyLimitReached(Conflict):
    """The account holds as many API keys as it may (Tencent: two); delete one first."""
