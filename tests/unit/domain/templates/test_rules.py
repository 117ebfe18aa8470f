"""What a template body may look like (spec §4.3)."""

from __future__ import annotations

import pytest

from smscloud.domain.shared.errors import InvalidInput
from smscloud.domain.templates.model import SmsType
from smscloud.domain.templates.rules import MARKETING_OPT_OUT, MAX_TEMPLATE_CHARS, check_draft, check_template_content
from tests.unit.domain import factories as f

NOTE = SmsType.NOTIFICATION


@pytest.mark.parametrize(
    ("content", "sms_type", "international"),
    [
        ("您的验证码是{1}，5分钟内有效。", SmsType.VERIFICATION_CODE, False),
        ("{1}先生，您的订单{2}已发货，{1}。", NOTE, False),
        ("您已成功注册。", NOTE, False),
        ("春季大促，全场八折，拒收请回复R", SmsType.MARKETING, False),
        ("春季大促{1}，拒收请回复R  ", SmsType.MARKETING, False),
        ("Your verification code is {1}.", SmsType.VERIFICATION_CODE, True),
        ("Big sale today", SmsType.MARKETING, True),  # the opt-out text is a mainland rule
        ("x" * MAX_TEMPLATE_CHARS, NOTE, False),
        ("visit https://example.com/help for {1}", NOTE, False),  # a constant link
    ],
)
def test_valid_templates(content: str, sms_type: SmsType, international: bool) -> None:
    check_template_content(content, sms_type=sms_type, international=international)


@pytest.mark.parametrize(
    ("content", "sms_type", "international"),
    [
        ("", NOTE, False),
        ("   ", NOTE, False),
        ("x" * (MAX_TEMPLATE_CHARS + 1), NOTE, False),
        ("【腾讯云】您的订单已发货", NOTE, False),
        ("订单已发货】", NOTE, False),
        ("订单{2}已发货", NOTE, False),
        ("订单{1}{3}", NOTE, False),
        ("订单{0}", NOTE, False),
        ("{1}", NOTE, False),
        (" {1} {2} ", NOTE, False),
        ("订单{1}{2}已发货", NOTE, False),
        ("点击 https://x.com/{1} 查看", NOTE, False),
        ("点击 www.{1}.com 查看", NOTE, False),
        ("点击 {1}.com 查看", NOTE, False),
        ("春季大促，全场八折", SmsType.MARKETING, False),
        ("拒收请回复R，春季大促", SmsType.MARKETING, False),
        ("Your number is {1}.", SmsType.VERIFICATION_CODE, True),
    ],
    ids=[
        "empty",
        "blank",
        "501 chars",
        "signature brackets",
        "closing bracket",
        "starts at {2}",
        "gap",
        "{0}",
        "only a parameter",
        "only parameters",
        "adjacent parameters",
        "parameter in a url",
        "parameter in a www host",
        "parameter as a domain",
        "marketing without opt-out",
        "opt-out not at the end",
        "international code without 'code'",
    ],
)
def test_invalid_templates(content: str, sms_type: SmsType, international: bool) -> None:
    with pytest.raises(InvalidInput) as invalid:
        check_template_content(content, sms_type=sms_type, international=international)
    assert invalid.value.field == "TemplateContent"


def test_the_opt_out_text_is_tencents() -> None:
    assert MARKETING_OPT_OUT == "拒收请回复R"


@pytest.mark.parametrize(
    "content",
    ["您的订单{1}已发货，详情见 https://example.com/orders", "您的验证码{1}。", "订单{1}.谢谢"],
)
def test_a_parameter_near_but_outside_a_link_is_fine(content: str) -> None:
    check_template_content(content, sms_type=NOTE, international=False)


@pytest.mark.parametrize(
    "content",
    ["详情见https://example.com，您的验证码为{1}。", "官网www.example.com，订单{1}已发货"],
)
def test_a_constant_link_before_a_parameter_in_chinese_text_is_fine(content: str) -> None:
    check_template_content(content, sms_type=NOTE, international=False)


def test_a_marketing_template_may_hold_parameters() -> None:
    check_template_content(
        f"尊敬的{{1}}，春季大促。{MARKETING_OPT_OUT}", sms_type=SmsType.MARKETING, international=False
    )


@pytest.mark.parametrize("name", ["", "   ", "n" * 129])
def test_a_draft_needs_a_name_of_1_to_128_characters(name: str) -> None:
    with pytest.raises(InvalidInput) as invalid:
        check_draft(f.template_draft(name=name))
    assert invalid.value.field == "TemplateName"


def test_a_draft_remark_is_at_most_500_characters() -> None:
    check_draft(f.template_draft(remark="r" * 500))
    with pytest.raises(InvalidInput) as invalid:
        check_draft(f.template_draft(remark="r" * 501))
    assert invalid.value.field == "Remark"


def test_a_draft_body_is_checked() -> None:
    with pytest.raises(InvalidInput) as invalid:
        check_draft(f.template_draft(content="{1}{2}"))
    assert invalid.value.field == "TemplateContent"


@pytest.mark.parametrize("symbol", ["¥", "￥", "★", "☞", "✓", "※", "^_^", "&"])
def test_a_mainland_template_may_not_hold_special_symbols(symbol: str) -> None:
    with pytest.raises(InvalidInput) as invalid:
        check_template_content(f"您好，订单{{1}}已签收{symbol}", sms_type=NOTE, international=False)
    assert (invalid.value.field, invalid.value.reason) == (
        "TemplateContent",
        "must not contain the special symbols ¥ ￥ ★ ☆ ☞ ✓ ✔ ※ ^_^ &",
    )


def test_an_ampersand_inside_a_constant_link_is_part_of_the_link() -> None:
    check_template_content("订单{1}详情见 https://example.com/o?a=1&b=2 谢谢", sms_type=NOTE, international=False)


def test_the_symbol_rule_is_a_mainland_rule() -> None:
    check_template_content("Terms & conditions apply, code {1}", sms_type=NOTE, international=True)


@pytest.mark.parametrize("content", ["验证码{ 1 }，5分钟有效", "验证码{1 }", "验证码｛1｝", "订单{1}，取件码{ 2}"])
def test_a_parameter_written_with_spaces_or_full_width_braces_is_pointed_out(content: str) -> None:
    with pytest.raises(InvalidInput) as invalid:
        check_template_content(content, sms_type=NOTE, international=False)
    assert invalid.value.reason == "write parameters as {1}, {2}, … without spaces, in half-width braces"


def test_every_field_of_a_draft_is_checked_at_once_the_name_first() -> None:
    with pytest.raises(InvalidInput) as invalid:
        check_draft(f.template_draft(name="", content="{1}{2}", remark="r" * 501))
    assert [p.field for p in invalid.value.every] == ["TemplateName", "TemplateContent", "Remark"]
    assert invalid.value.field == "TemplateName"  # what an API answers with


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name": "ship\x1bping"}, "TemplateName"),
        ({"name": "ship\nping"}, "TemplateName"),  # a name is one line
        ({"content": "您的订单{1}\u202e已发货。"}, "TemplateContent"),
        ({"content": "您的订单{1}\t已发货。"}, "TemplateContent"),
        ({"remark": "下单后\x07发送"}, "Remark"),
    ],
)
def test_a_draft_may_not_hold_control_characters(change: dict[str, str], field: str) -> None:
    with pytest.raises(InvalidInput) as invalid:
        check_draft(f.template_draft(**change))
    assert (invalid.value.field, invalid.value.reason) == (field, "must not contain control characters")


def test_a_body_and_a_remark_may_have_several_lines() -> None:
    check_draft(f.template_draft(content="您的订单{1}已发货。\r\n感谢惠顾", remark="下单后发送\n每单一条"))
