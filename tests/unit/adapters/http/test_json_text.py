"""A NUL is found wherever decoded JSON carries one, and only there."""

from __future__ import annotations

import pytest

from smscloud.adapters.http.json_text import holds_nul, json_holds_nul


@pytest.mark.parametrize(
    "body",
    [
        b'{"a": "x\\u0000"}',
        b'{"a": ["ok", {"b": "\\u0000"}]}',
        b'{"\\u0000": 1}',
        b'{"a": "\\\\\\u0000"}',  # an escaped backslash, then an escaped NUL
    ],
)
def test_an_escaped_nul_anywhere_is_found(body: bytes) -> None:
    assert json_holds_nul(body)


@pytest.mark.parametrize(
    "body",
    [
        b'{"a": "C:\\\\u0000x"}',  # an escaped backslash, then the text u0000
        b'{"a": "x"}',
        b'{"a": "\\u0000',  # not JSON: the request's decoding refuses it
        b"",
    ],
)
def test_text_that_only_looks_like_a_nul_is_none(body: bytes) -> None:
    assert not json_holds_nul(body)


def test_form_parameters_are_searched_keys_and_values() -> None:
    assert holds_nul({"PhoneNumberSet.0": "1\x00"})
    assert holds_nul({"\x00": "1"})
    assert not holds_nul({"a": "b", "n": 1})
