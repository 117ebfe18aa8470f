"""What e-mail addresses and passwords must look like, and when logins are throttled."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from smscloud.domain.shared.errors import InvalidInput
from smscloud.domain.shared.text import EMAIL

__all__ = [
    "MAX_PASSWORD",
    "MIN_PASSWORD",
    "FailureCounts",
    "LoginThrottlePolicy",
    "check_password",
    "normalize_email",
]

MIN_PASSWORD = 8
MAX_PASSWORD = 128


def normalize_email(raw: str, *, field: str = "email") -> str:
    email = raw.strip().lower()
    if not email:
        raise InvalidInput(field, "is required")
    if len(email) > 254 or not EMAIL.fullmatch(email):
        raise InvalidInput(field, "is not an e-mail address")
    return email


def check_password(password: str, *, email: str = "", field: str = "password") -> None:
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(field, f"must be at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise InvalidInput(field, f"must be at most {MAX_PASSWORD} characters")
    if not (re.search(r"[A-Za-z]", password) and re.search(r"\d", password)):
        raise InvalidInput(field, "must contain letters and digits")
    local = email.split("@", 1)[0]
    if len(local) >= 4 and local in password.lower():
        raise InvalidInput(field, "must not contain your e-mail address")


@dataclass(frozen=True, slots=True)
class FailureCounts:
    """Failed logins within the throttle's window."""

    email: int  # for this e-mail address, from anywhere
    ip: int  # from this client address, for any e-mail address
    email_from_ip: int  # for this e-mail address from this client address


@dataclass(frozen=True, slots=True)
class LoginThrottlePolicy:
    """Failed logins counted over `window`. Guessing one account's password from one place is
    stopped after `per_email_from_ip`; that does not lock the owner out, who logs in from
    elsewhere. Guessing it from many places is stopped after `per_email`, trying many accounts
    from one place after `per_ip`."""

    window: timedelta = timedelta(minutes=15)
    per_email_from_ip: int = 5
    per_email: int = 50
    per_ip: int = 30

    def blocked(self, counts: FailureCounts) -> bool:
        return (
            counts.email_from_ip >= self.per_email_from_ip or counts.email >= self.per_email or counts.ip >= self.per_ip
        )
