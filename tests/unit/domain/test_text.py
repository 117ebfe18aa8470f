"""Free text people type: what counts as a control character."""

from __future__ import annotations

import pytest

from smscloud.domain.shared.text import has_control_characters


@pytest.mark.parametrize("text", ["Bob Li", "腾讯科技（深圳）有限公司", "O'Brien & Sons", "Zoë"])
def test_ordinary_names_are_fine(text: str) -> None:
    assert not has_control_characters(text)


@pytest.mark.parametrize(
    "text",
    [
        "a\x00b",
        "line\nbreak",
        "tab\tbed",
        "del\x7f",
        "c1\x85",
        "Bob\u202eiL",
        "x\u2066y\u2069",
        "mark\u200f",
        "not utf-8 \udcff",
        "half a pair \ud83d",
    ],
)
def test_controls_and_reordering_characters_are_found(text: str) -> None:
    assert has_control_characters(text)
