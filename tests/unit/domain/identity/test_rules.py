"""What e-mail addresses and passwords must look like, and when logins are throttled."""

from __future__ import annotations

import pytest

from smscloud.domain.identity.rules import (
    MAX_PASSWORD,
    MIN_PASSWORD,
    FailureCounts,
    LoginThrottlePolicy,
    check_password,
    normalize_email,
)
from smscloud.domain.shared.errors import InvalidInput


@pytest.mark.parametrize(
    ("raw", "email"),
    [
        ("a@b.cn", "a@b.cn"),
        ("  Owner@Acme.Example ", "owner@acme.example"),
        ("first.last+tag@mail.example.com", "first.last+tag@mail.example.com"),
        ("张三@例子.中国", "张三@例子.中国"),
        ("tom&jerry{1}@example.com", "tom&jerry{1}@example.com"),
        ("o'brien@example.ie", "o'brien@example.ie"),
    ],
)
def test_addresses_are_trimmed_and_lower_cased(raw: str, email: str) -> None:
    assert normalize_email(raw) == email


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "owner",
        "owner@",
        "@acme.example",
        "owner@acme",
        "owner@@acme.example",
        "ow ner@acme.example",
        "owner@acme..example",
        "owner@.acme.example",
        "owner@acme.example.",
        "x" * 65 + "@acme.example",
        "a@" + "b" * 250 + ".cn",
        "<script>@example.com",
        '"><svg/onload=alert(1)>@example.com',
        "a,b@example.com",
        "owner@exa mple.com",
        "owner@exa<mple.com",
    ],
)
def test_what_is_not_an_address_is_refused(raw: str) -> None:
    with pytest.raises(InvalidInput) as invalid:
        normalize_email(raw)
    assert invalid.value.field == "email"


def test_the_field_can_be_named() -> None:
    with pytest.raises(InvalidInput) as invalid:
        normalize_email("nope", field="contact_email")
    assert invalid.value.field == "contact_email"


@pytest.mark.parametrize("password", ["abcdefg1", "x" * (MAX_PASSWORD - 1) + "1", "correct horse 7", "密码Pass1234"])
def test_good_passwords(password: str) -> None:
    check_password(password, email="owner@acme.example")


@pytest.mark.parametrize(
    "password",
    [
        "abc1",
        "a" * (MIN_PASSWORD - 2) + "1",
        "a" * MAX_PASSWORD + "1",
        "abcdefghij",
        "1234567890",
        "owner2024!",  # holds the local part of the address
        "xxOWNER2024",
    ],
)
def test_weak_passwords_are_refused(password: str) -> None:
    with pytest.raises(InvalidInput) as invalid:
        check_password(password, email="owner@acme.example")
    assert invalid.value.field == "password"


def test_a_short_local_part_may_appear_in_the_password() -> None:
    # "bob" in a password is no giveaway; only local parts of four or more characters count.
    check_password("bobsled2024", email="bob@acme.example")


def test_the_bounds_are_8_and_128() -> None:
    assert (MIN_PASSWORD, MAX_PASSWORD) == (8, 128)
    check_password("abcdefg1")
    check_password("a" * 127 + "1")


@pytest.mark.parametrize(
    ("counts", "blocked"),
    [
        (FailureCounts(email=0, ip=0, email_from_ip=0), False),
        (FailureCounts(email=4, ip=29, email_from_ip=4), False),
        (FailureCounts(email=5, ip=5, email_from_ip=5), True),  # one account guessed from one place
        (FailureCounts(email=49, ip=0, email_from_ip=0), False),  # others failing elsewhere: not locked out
        (FailureCounts(email=50, ip=0, email_from_ip=0), True),  # guessed from many places
        (FailureCounts(email=0, ip=30, email_from_ip=0), True),  # many accounts from one place
    ],
)
def test_logins_are_blocked_after_5_from_one_place_50_in_all_or_30_per_client(
    counts: FailureCounts, blocked: bool
) -> None:
    assert LoginThrottlePolicy().blocked(counts) is blocked
