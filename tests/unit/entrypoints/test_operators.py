"""The passwords `smscloud operator create|password` make up when none is given."""

from __future__ import annotations

import secrets
from collections.abc import Iterator, Sequence

import pytest

from smscloud.domain.identity.rules import check_password
from smscloud.entrypoints import operators


def test_a_made_up_password_passes_the_rules_for_the_address_it_is_for(monkeypatch: pytest.MonkeyPatch) -> None:
    # The first draw holds the address's name, which the rules refuse for that address alone.
    draws: Iterator[str] = iter("xrevieweraaaaa11" + "Nothing2seeHere1")

    def choice(alphabet: Sequence[str]) -> str:
        return next(draws)

    monkeypatch.setattr(secrets, "choice", choice)
    password = operators.new_password(email="reviewer@example.com")
    assert password == "Nothing2seeHere1"
    check_password(password, email="reviewer@example.com")


def test_made_up_passwords_differ() -> None:
    passwords = {operators.new_password() for _ in range(20)}
    assert len(passwords) == 20
    for password in passwords:
        check_password(password, email=operators.FIRST_OPERATOR_EMAIL)
