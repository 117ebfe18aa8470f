"""Two-step verification: time-based one-time passwords (TOTP, RFC 6238, as every authenticator
app speaks: HMAC-SHA1, 6 digits, 30-second steps) and one-time recovery codes.

Pure functions: the secret, the code of a step, which step a typed code matches (a step either
side of now, for a phone's clock that is off by a little), the otpauth:// link an app scans, and
recovery codes. The service (service.py) keeps the last step used, so a code works once.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import struct
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote, urlencode

__all__ = [
    "CHALLENGE_ATTEMPTS",
    "DIGITS",
    "RECOVERY_CODES",
    "STEP_SECONDS",
    "TwoStep",
    "matching_step",
    "new_recovery_codes",
    "new_secret",
    "normalize_recovery_code",
    "otpauth_uri",
    "step_of",
    "totp",
]

STEP_SECONDS = 30
DIGITS = 6
RECOVERY_CODES = 8  # shown once when two-step verification is turned on; each works once
CHALLENGE_ATTEMPTS = 5  # wrong codes one password login may try before it must start again
_DRIFT = 1  # steps either side of now that are accepted
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i


@dataclass(frozen=True, slots=True)
class TwoStep:
    """A person's two-step verification: the shared secret (base32) and the last step used."""

    secret: str
    last_step: int | None
    enabled_at: datetime
    recovery_codes_left: int


def new_secret() -> str:
    """160 random bits in base32 without padding, as authenticator apps take them."""
    return base64.b32encode(secrets.token_bytes(20)).decode().rstrip("=")


def _key(secret: str) -> bytes:
    padded = secret.upper() + "=" * (-len(secret) % 8)
    return base64.b32decode(padded)


def step_of(at: datetime) -> int:
    return int(at.timestamp()) // STEP_SECONDS


def totp(secret: str, step: int) -> str:
    """The code of `step` (RFC 4226 dynamic truncation of HMAC-SHA1 over the step counter)."""
    digest = hmac.new(_key(secret), struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**DIGITS).zfill(DIGITS)


def matching_step(secret: str, code: str, *, now: datetime, after: int | None = None) -> int | None:
    """The step within the drift of `now` whose code `code` is (spaces ignored), later than
    `after` (a step used before does not work again); None when there is none."""
    typed = code.replace(" ", "").replace("-", "")
    if len(typed) != DIGITS or not typed.isascii() or not typed.isdigit():
        return None
    current = step_of(now)
    for step in range(current - _DRIFT, current + _DRIFT + 1):
        if (after is None or step > after) and hmac.compare_digest(totp(secret, step), typed):
            return step
    return None


def otpauth_uri(secret: str, *, account: str, issuer: str) -> str:
    """The link an authenticator app reads from the QR code."""
    label = quote(f"{issuer}:{account}", safe=":@")
    query = urlencode({"secret": secret, "issuer": issuer, "digits": DIGITS, "period": STEP_SECONDS})
    return f"otpauth://totp/{label}?{query}"


def new_recovery_codes(count: int = RECOVERY_CODES) -> list[str]:
    """Codes of ten characters (about 49 bits each) written as xxxxx-xxxxx."""
    codes = []
    for _ in range(count):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    return codes


def normalize_recovery_code(raw: str) -> str:
    """A recovery code as stored (hashed): lower case, without spaces or the hyphen."""
    return "".join(raw.lower().split()).replace("-", "")
