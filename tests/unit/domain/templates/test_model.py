"""Template parameters: counting and rendering {1}…{n}."""

from __future__ import annotations

import pytest

from smscloud.domain.shared.review import ReviewStatus
from smscloud.domain.templates.model import parameter_count, render
from tests.unit.domain import factories as f


@pytest.mark.parametrize(
    ("content", "count"),
    [
        ("没有参数。", 0),
        ("验证码{1}", 1),
        ("{1}先生，您的订单{2}已发货，{1}。", 2),
        ("{3} {1} {2}", 3),
        ("花括号 {a} {} {-1} 不是参数", 0),
        ("{12}", 12),
    ],
)
def test_parameter_count_is_the_highest_placeholder(content: str, count: int) -> None:
    assert parameter_count(content) == count


def test_render_substitutes_every_occurrence_in_place() -> None:
    assert render("{1}先生，订单{2}，{1}", ["张", "A9"]) == "张先生，订单A9，张"


def test_render_does_not_reinterpret_substituted_values() -> None:
    assert render("{1}-{2}", ["{2}", "x"]) == "{2}-x"


def test_render_leaves_placeholders_without_a_value() -> None:
    assert render("{1}{2}{0}", ["a"]) == "a{2}{0}"


def test_render_without_placeholders_is_identity() -> None:
    assert render("您已成功注册。", []) == "您已成功注册。"


def test_template_knows_its_parameter_count() -> None:
    assert f.template("{1} and {2}").parameters == 2
    assert f.template("none").parameters == 0


@pytest.mark.parametrize(
    ("status", "tenant_id", "usable"),
    [
        (ReviewStatus.APPROVED, f.TENANT_ID, True),
        (ReviewStatus.PENDING, f.TENANT_ID, False),
        (ReviewStatus.REJECTED, f.TENANT_ID, False),
        (ReviewStatus.APPROVED, f.OTHER_TENANT_ID, False),
    ],
)
def test_only_the_owner_may_use_an_approved_template(status: ReviewStatus, tenant_id: int, usable: bool) -> None:
    assert f.template(status=status, tenant_id=tenant_id).usable_by(f.TENANT_ID) is usable
