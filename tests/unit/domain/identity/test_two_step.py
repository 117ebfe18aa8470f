"""TOTP as authenticator apps compute it (RFC 6238's test vectors), the steps a typed code may
match, and recovery codes."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from smscloud.domain.identity.two_step import (
    RECOVERY_CODES,
    matching_step,
    new_recovery_codes,
    new_secret,
    normalize_recovery_code,
    otpauth_uri,
    step_of,
    totp,
)

# RFC 6238 appendix B: the SHA-1 key is the ASCII "12345678901234567890"; the 8-digit codes there
# end in these 6 digits.
RFC_SECRET = base64.b32encode(b"12345678901234567890").decode()


@pytest.mark.parametrize(
    ("unix", "code"),
    [(59, "287082"), (1111111109, "081804"), (1111111111, "050471"), (1234567890, "005924"), (2000000000, "279037")],
)
def test_the_codes_of_rfc_6238(unix: int, code: str) -> None:
    assert totp(RFC_SECRET, step_of(datetime.fromtimestamp(unix, UTC))) == code


def test_a_new_secret_is_160_bits_of_base32_without_padding() -> None:
    secret = new_secret()
    assert len(secret) == 32 and "=" not in secret
    assert len(base64.b32decode(secret)) == 20
    assert new_secret() != secret


def test_a_code_matches_its_step_or_one_either_side_and_only_after_the_last_used() -> None:
    now = datetime(2026, 11, 28, 12, 0, 15, tzinfo=UTC)
    step = step_of(now)
    assert matching_step(RFC_SECRET, totp(RFC_SECRET, step), now=now) == step
    assert matching_step(RFC_SECRET, totp(RFC_SECRET, step - 1), now=now) == step - 1  # a slow phone
    assert matching_step(RFC_SECRET, totp(RFC_SECRET, step + 1), now=now) == step + 1  # a fast one
    assert matching_step(RFC_SECRET, totp(RFC_SECRET, step - 2), now=now) is None
    assert matching_step(RFC_SECRET, totp(RFC_SECRET, step), now=now, after=step) is None  # used already
    later = now + timedelta(seconds=30)
    assert matching_step(RFC_SECRET, totp(RFC_SECRET, step + 1), now=later, after=step) == step + 1


@pytest.mark.parametrize("typed", ["", "12345", "1234567", "abcdef", "１２３４５６", "12 34 5x"])
def test_what_is_not_six_ascii_digits_matches_nothing(typed: str) -> None:
    assert matching_step(RFC_SECRET, typed, now=datetime(2026, 11, 28, tzinfo=UTC)) is None


def test_spaces_and_a_hyphen_in_a_typed_code_are_ignored() -> None:
    now = datetime(2026, 11, 28, tzinfo=UTC)
    code = totp(RFC_SECRET, step_of(now))
    assert matching_step(RFC_SECRET, f"{code[:3]} {code[3:]}", now=now) == step_of(now)
    assert matching_step(RFC_SECRET, f"{code[:3]}-{code[3:]}", now=now) == step_of(now)


def test_the_link_an_app_scans() -> None:
    uri = otpauth_uri("JBSWY3DPEHPK3PXP", account="ann@example.com", issuer="smscloud")
    parts = urlsplit(uri)
    assert (parts.scheme, parts.netloc, parts.path) == ("otpauth", "totp", "/smscloud:ann@example.com")
    assert parse_qs(parts.query) == {
        "secret": ["JBSWY3DPEHPK3PXP"],
        "issuer": ["smscloud"],
        "digits": ["6"],
        "period": ["30"],
    }


def test_recovery_codes_are_distinct_and_typed_loosely() -> None:
    codes = new_recovery_codes()
    assert len(set(codes)) == RECOVERY_CODES
    assert all(len(code) == 11 and code[5] == "-" for code in codes)
    assert normalize_recovery_code(f" {codes[0].upper()} ") == codes[0].replace("-", "")
