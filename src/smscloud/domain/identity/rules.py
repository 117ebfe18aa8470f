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
class LoginThrottlePolicy:
    """Failed logins counted over `window`: per e-mail address (guessing one account's
    password) and per client address (trying many accounts)."""

    window: timedelta = timedelta(minutes=15)
    per_email: int = 5
    per_ip: int = 30

    def blocked(self, *, email_failures: int, ip_failures: int) -> bool:
        return email_failures >= self.per_email or ip_failures >= self.per_ip
