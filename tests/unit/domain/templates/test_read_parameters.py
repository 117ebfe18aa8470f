"""`read_parameters`: the parameters that render a template into a given text (the inverse of `render`)."""

from __future__ import annotations

import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smscloud.domain.templates.model import read_parameters, render


@pytest.mark.parametrize(
    ("content", "text", "params"),
    [
        ("您的验证码是{1}，5分钟内有效。", "您的验证码是1234，5分钟内有效。", ["1234"]),
        ("您的订单{1}已发货，预计{2}送达。", "您的订单A1已发货，预计明天送达。", ["A1", "明天"]),
        ("{1}到了", "快递到了", ["快递"]),
        ("到了{1}", "到了门口", ["门口"]),
        ("没有参数。", "没有参数。", []),
        ("a{1}b{1}c", "axbxc", ["x"]),
        ("{2}和{1}", "乙和甲", ["甲", "乙"]),
        ("码{1}。", "码。", [""]),
    ],
)
def test_reads_the_parameters(content: str, text: str, params: list[str]) -> None:
    assert read_parameters(content, text) == params


@pytest.mark.parametrize(
    ("content", "text"),
    [
        ("您的验证码是{1}，5分钟内有效。", "您的验证码是1234，10分钟内有效。"),
        ("没有参数。", "没有参数"),
        ("a{1}b{1}c", "axbyc"),  # one parameter, two values
        ("{1}到了", "到"),
        ("{1}和{3}", "甲和丙"),  # a gap in the numbering
    ],
)
def test_a_text_the_template_does_not_render_reads_as_none(content: str, text: str) -> None:
    assert read_parameters(content, text) is None


def test_an_ambiguous_text_reads_with_the_earlier_parameters_shortest() -> None:
    assert read_parameters("{1}到{2}", "北京到上海到广州") == ["北京", "上海到广州"]


def test_a_text_built_to_make_a_backtracking_matcher_slow_is_read_at_once() -> None:
    started = time.monotonic()
    assert read_parameters("{1},{2},{3},{4},{5},{6}!", "," * 5000) is None
    assert time.monotonic() - started < 0.5


_TEXT = st.text(alphabet="ab,{}1到了", max_size=12)


@given(
    constants=st.lists(st.text(alphabet="ab,到了", min_size=1, max_size=4), min_size=2, max_size=5),
    values=st.lists(_TEXT, min_size=4, max_size=4),
)
def test_whatever_it_reads_renders_the_same_text(constants: list[str], values: list[str]) -> None:
    content = "".join(f"{c}{{{i + 1}}}" for i, c in enumerate(constants[:-1])) + constants[-1]
    count = len(constants) - 1
    text = render(content, values[:count])
    params = read_parameters(content, text)
    assert params is not None and len(params) == count
    assert render(content, params) == text
