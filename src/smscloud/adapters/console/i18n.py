"""The console in Chinese and English.

Texts are written in English in the code and templates (`_("Sign up")`); `zh_cn.TEXTS` holds
their Chinese. A text without a translation is shown in English rather than not at all, and
tests/unit/adapters/console/test_i18n.py checks that every text in the templates has one.
"""

from __future__ import annotations

from collections.abc import Callable

from smscloud.adapters.console.labels import LABELS
from smscloud.adapters.console.zh_cn import TEXTS

__all__ = ["LANGUAGES", "Translate", "negotiate", "translator"]

LANGUAGES = ("zh-CN", "en")
Translate = Callable[..., str]


def translator(language: str) -> Translate:
    """`_(text, **values)`: the text in the language, with {placeholders} filled in."""
    zh = language == "zh-CN"
    table = TEXTS if zh else {}

    def translate(text: str, /, **values: object) -> str:
        label = LABELS.get(text)
        found = label[1 if zh else 0] if label else table.get(text, text)
        return found.format(**values) if values else found

    return translate


def negotiate(*, chosen: str | None, accept_language: str, default: str) -> str:
    """The visitor's language: their explicit choice, else their browser's first known one."""
    if chosen in LANGUAGES:
        return chosen
    for part in accept_language.split(","):
        tag = part.split(";", 1)[0].strip().lower()
        if tag.startswith("zh"):
            return "zh-CN"
        if tag.startswith("en"):
            return "en"
    return default if default in LANGUAGES else "zh-CN"
