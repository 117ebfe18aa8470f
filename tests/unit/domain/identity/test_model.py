"""Tokens and sessions of the console."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest

from smscloud.domain.identity.model import ConsoleSession, PrincipalKind, hash_token, new_token
from tests.unit.domain.factories import NOW

IDLE = timedelta(hours=2)


def session(**overrides: object) -> ConsoleSession:
    values: dict[str, object] = {
        "id": 1,
        "user_id": 100,
        "operator_id": None,
        "csrf_token": "csrf",
        "created_at": NOW,
        "last_seen_at": NOW,
        "expires_at": NOW + timedelta(days=7),
        "revoked_at": None,
        "ip": "192.0.2.1",
        "user_agent": "test",
    }
    values.update(overrides)
    return ConsoleSession(**values)  # type: ignore[arg-type]


def test_tokens_are_random_and_url_safe() -> None:
    tokens = {new_token() for _ in range(100)}
    assert len(tokens) == 100
    for token in tokens:
        assert re.fullmatch(r"[A-Za-z0-9_-]{43}", token)  # 32 bytes, base64url without padding


def test_a_token_is_stored_as_its_sha256() -> None:
    assert hash_token("abc") == hashlib.sha256(b"abc").hexdigest()
    assert hash_token("abc") != hash_token("abd")


def test_a_session_belongs_to_a_user_or_an_operator() -> None:
    assert session().kind is PrincipalKind.USER
    assert session(user_id=None, operator_id=7).kind is PrincipalKind.OPERATOR


@pytest.mark.parametrize(
    ("overrides", "at", "alive"),
    [
        ({}, NOW, True),
        ({}, NOW + IDLE - timedelta(seconds=1), True),
        ({}, NOW + IDLE, False),  # idle too long
        ({"last_seen_at": NOW + timedelta(days=6, hours=23)}, NOW + timedelta(days=7) - timedelta(seconds=1), True),
        ({"last_seen_at": NOW + timedelta(days=6, hours=23)}, NOW + timedelta(days=7), False),  # expired
        ({"revoked_at": NOW}, NOW, False),
    ],
)
def test_a_session_is_alive_until_revoked_expired_or_idle(
    overrides: dict[str, object], at: object, alive: bool
) -> None:
    assert session(**overrides).alive(now=at, idle=IDLE) is alive  # type: ignore[arg-type]
