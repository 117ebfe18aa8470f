"""What a signature may look like (spec §4.2)."""

from __future__ import annotations

import re

from smscloud.domain.shared.errors import InvalidInput

__all__ = ["DOMESTIC_LENGTH", "INTERNATIONAL_LENGTH", "check_signature_name"]

DOMESTIC_LENGTH = (2, 12)
INTERNATIONAL_LENGTH = (2, 15)
# Chinese characters, ASCII letters and digits; international signatures may also hold spaces.
_DOMESTIC = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]+")
_INTERNATIONAL = re.compile(r"[\u4e00-\u9fffA-Za-z0-9 ]+")
_GENERIC_NAMES = frozenset({"客服通知", "系统通知", "短信通知", "验证码", "通知", "测试"})


def check_signature_name(name: str, *, international: bool) -> None:
    low, high = INTERNATIONAL_LENGTH if international else DOMESTIC_LENGTH
    if not low <= len(name) <= high:
        raise InvalidInput("SignName", f"must be {low} to {high} characters")
    pattern = _INTERNATIONAL if international else _DOMESTIC
    if not pattern.fullmatch(name) or name != name.strip():
        raise InvalidInput("SignName", "may only hold Chinese characters, letters and digits")
    if name in _GENERIC_NAMES:
        raise InvalidInput("SignName", "a generic name does not identify a company or product")
