"""Why a console login or account action is refused."""

from __future__ import annotations

from smscloud.domain.shared.errors import Conflict, Forbidden, InvalidInput

__all__ = [
    "AccountDisabled",
    "BadCode",
    "BadCredentials",
    "EmailTaken",
    "LinkInvalid",
    "LoginThrottled",
    "NotActivated",
    "SignUpThrottled",
]


class BadCredentials(Forbidden):
    """Unknown e-mail or wrong password; deliberately the same error for both."""


class BadCode(Forbidden):
    """The second step of a login failed; `expired` when the pending login is over (unknown,
    out of time, or out of attempts) and the password must be given again."""

    def __init__(self, message: str, *, expired: bool) -> None:
        super().__init__(message)
        self.expired = expired


class NotActivated(Forbidden):
    """The password is right but the activation link was not followed yet."""


class AccountDisabled(Forbidden):
    pass


class LoginThrottled(Forbidden):
    def __init__(self, retry_after_s: int) -> None:
        super().__init__(f"too many failed logins; try again in {retry_after_s} s")
        self.retry_after_s = retry_after_s


class SignUpThrottled(Forbidden):
    """Too many accounts were opened from this client address lately."""

    def __init__(self, retry_after_s: int) -> None:
        super().__init__(f"too many sign-ups from this address; try again in {retry_after_s} s")
        self.retry_after_s = retry_after_s


class EmailTaken(Conflict):
    pass


class LinkInvalid(InvalidInput):
    """An activation or reset link that is unknown, used or expired."""

    def __init__(self) -> None:
        super().__init__("token", "this link is invalid, expired or already used")
