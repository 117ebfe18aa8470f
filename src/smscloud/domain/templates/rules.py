"""What a template body may look like (spec §4.3)."""

from __future__ import annotations

import re

from smscloud.domain.shared.errors import InvalidInput
from smscloud.domain.shared.problems import Problems
from smscloud.domain.shared.text import has_control_characters
from smscloud.domain.templates.model import SmsType, TemplateDraft

__all__ = [
    "FORBIDDEN_SYMBOLS",
    "MARKETING_OPT_OUT",
    "MAX_REMARK",
    "MAX_TEMPLATES",
    "MAX_TEMPLATE_CHARS",
    "check_draft",
    "check_template_content",
]

MAX_TEMPLATE_CHARS = 500
MAX_REMARK = 500
MAX_TEMPLATES = 500  # templates a tenant may hold at once (TemplateNumberLimit)
MARKETING_OPT_OUT = "拒收请回复R"
_PLACEHOLDER = re.compile(r"\{(\d+)\}")
_ADJACENT = re.compile(r"\{\d+\}\{\d+\}")
# "{ 1 }", "{1 }", "｛1｝": meant as a parameter, but not one; sent as it stands, it would surprise.
_MALFORMED_PLACEHOLDER = re.compile(r"[{｛]\s*\d+\s*[}｝]")
# A link runs over the characters a URL may hold (RFC 3986), so Chinese text after a constant link
# (which has no spaces to end it) is not taken for part of it.
_LINK = re.compile(r"(https?://|www\.)[A-Za-z0-9\-._~:/?#@!$&'()*+,;=%\[\]{}]*", re.I)
# Symbols a mainland template may not hold (spec §4.3: "no special symbols such as ¥ ★ ^_^ & ☞ ✓ ※");
# "&" inside a constant link is part of the link, not a symbol.
FORBIDDEN_SYMBOLS = ("¥", "￥", "★", "☆", "☞", "✓", "✔", "※", "^_^", "&")
_SYMBOLS_TEXT = " ".join(FORBIDDEN_SYMBOLS)
_IN_LINK = re.compile(r"(https?://|www\.)[A-Za-z0-9\-._~:/?#@!$&'()*+,;=%\[\]]*\{\d+\}|\{\d+\}\.[a-z]{2,}", re.I)


def _has_controls_beyond_lines(text: str) -> bool:
    """Control characters other than line breaks (a body and a remark may have several lines)."""
    return has_control_characters(text.replace("\n", " ").replace("\r", " "))


def check_template_content(content: str, *, sms_type: SmsType, international: bool) -> None:
    if not content.strip():
        raise InvalidInput("TemplateContent", "must not be empty")
    if len(content) > MAX_TEMPLATE_CHARS:
        raise InvalidInput("TemplateContent", f"must be at most {MAX_TEMPLATE_CHARS} characters")
    if _has_controls_beyond_lines(content):
        raise InvalidInput("TemplateContent", "must not contain control characters")
    if "【" in content or "】" in content:
        raise InvalidInput("TemplateContent", "must not contain 【 or 】: the signature is added when sending")
    if any(not _PLACEHOLDER.fullmatch(m.group()) for m in _MALFORMED_PLACEHOLDER.finditer(content)):
        raise InvalidInput("TemplateContent", "write parameters as {1}, {2}, … without spaces, in half-width braces")
    numbers = [int(n) for n in _PLACEHOLDER.findall(content)]
    if sorted(set(numbers)) != list(range(1, len(set(numbers)) + 1)):
        raise InvalidInput("TemplateContent", "parameters must be numbered {1}, {2}, … without gaps")
    if numbers and not _PLACEHOLDER.sub("", content).strip():
        raise InvalidInput("TemplateContent", "must not consist of parameters only")
    if _ADJACENT.search(content):
        raise InvalidInput("TemplateContent", "two parameters may not be adjacent")
    if _IN_LINK.search(content):
        raise InvalidInput("TemplateContent", "a parameter may not be part of a link")
    if not international:
        outside_links = _LINK.sub(" ", content)
        if any(symbol in outside_links for symbol in FORBIDDEN_SYMBOLS):
            raise InvalidInput("TemplateContent", f"must not contain the special symbols {_SYMBOLS_TEXT}")
    if sms_type is SmsType.MARKETING and not international and not content.rstrip().endswith(MARKETING_OPT_OUT):
        raise InvalidInput("TemplateContent", f"a marketing template must end with {MARKETING_OPT_OUT}")
    if sms_type is SmsType.VERIFICATION_CODE and international and "code" not in content.lower():
        raise InvalidInput("TemplateContent", 'an international verification template must contain "code"')


def check_draft(draft: TemplateDraft) -> None:
    """Every field's problem at once, the first in this order deciding an API's error code."""
    problems = Problems()
    if not 1 <= len(draft.name.strip()) <= 128:
        problems.add("TemplateName", "must be 1 to 128 characters")
    elif has_control_characters(draft.name):
        problems.add("TemplateName", "must not contain control characters")
    problems.check(
        lambda: check_template_content(draft.content, sms_type=draft.sms_type, international=draft.international),
        None,
    )
    if len(draft.remark) > MAX_REMARK:
        problems.add("Remark", f"must be at most {MAX_REMARK} characters")
    elif _has_controls_beyond_lines(draft.remark):
        problems.add("Remark", "must not contain control characters")
    problems.raise_any()
