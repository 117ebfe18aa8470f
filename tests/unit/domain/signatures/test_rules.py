"""What a signature may look like (spec §4.2)."""

from __future__ import annotations

import pytest

from smscloud.domain.shared.errors import InvalidInput
from smscloud.domain.signatures.rules import check_signature_name


@pytest.mark.parametrize("name", ["腾讯", "腾讯云", "QQ音乐", "Acme2024", "一二三四五六七八九十一二"])
def test_valid_domestic_names(name: str) -> None:
    check_signature_name(name, international=False)


@pytest.mark.parametrize(
    "name",
    ["腾", "一二三四五六七八九十一二三", "【腾讯】", "腾 讯", "腾讯!", "Acme Inc", "客服通知", "验证码", ""],
    ids=[
        "1 char",
        "13 chars",
        "brackets",
        "space",
        "punctuation",
        "latin space",
        "generic",
        "generic 2",
        "empty",
    ],
)
def test_invalid_domestic_names(name: str) -> None:
    with pytest.raises(InvalidInput) as invalid:
        check_signature_name(name, international=False)
    assert invalid.value.field == "SignName"


@pytest.mark.parametrize("name", ["Ac", "Acme Inc", "A" * 15, "腾讯 Cloud"])
def test_valid_international_names(name: str) -> None:
    check_signature_name(name, international=True)


@pytest.mark.parametrize(
    "name",
    ["A", "A" * 16, " Acme", "Acme ", "[Acme]", "Acme-Inc", "通知"],
    ids=["1 char", "16 chars", "leading space", "trailing space", "brackets", "dash", "generic"],
)
def test_invalid_international_names(name: str) -> None:
    with pytest.raises(InvalidInput):
        check_signature_name(name, international=True)
