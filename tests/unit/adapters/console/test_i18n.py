"""Every English text the console shows has its Chinese: the texts in the templates, the texts the
routes pass to `kit.say`/`kit.problem`, the notices and error pages, the names of values, and the
reasons of the domain errors a form can show."""

from __future__ import annotations

import ast
import importlib
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from enum import Enum
from pathlib import Path

import pytest

import smscloud.adapters.console as console_package
import smscloud.domain as domain_package
from smscloud.adapters.console.i18n import negotiate, translator
from smscloud.adapters.console.labels import LABELS
from smscloud.adapters.console.pages import NOTICES, audit_action, audit_actor, audit_subject, translate_reason, waited
from smscloud.adapters.console.zh_cn import TEXTS
from smscloud.domain.accounts.model import ApiKeyStatus, TenantKind, TenantStatus
from smscloud.domain.accounts.rules import Missing
from smscloud.domain.apps.model import AppStatus
from smscloud.domain.audit.model import Actor
from smscloud.domain.messages.model import MessageStatus
from smscloud.domain.messages.refusals import Refusal
from smscloud.domain.notifications.model import MailState
from smscloud.domain.reviews.model import ReviewKind
from smscloud.domain.shared.review import ReviewStatus
from smscloud.domain.signatures.model import DocumentType, SignType
from smscloud.domain.templates.model import SmsType

CONSOLE = Path(console_package.__file__).parent
DOMAIN = Path(domain_package.__file__).parent
# The domain contexts whose use cases the console's forms call (their InvalidInput reasons show
# next to fields); `messages` is the API's and its reasons are the API's.
FORM_CONTEXTS = ("accounts", "apps", "documents", "identity", "qualification", "reviews", "signatures", "templates")
# Names of values, shown as _("<prefix>" ~ value).
LABELLED: dict[str, tuple[type[Enum], ...]] = {
    "review.": (ReviewStatus,),
    "status.": (MessageStatus, AppStatus, ApiKeyStatus, TenantStatus),
    "kind.": (TenantKind,),
    "signtype.": (SignType,),
    "doctype.": (DocumentType,),
    "smstype.": (SmsType,),
    "queue.": (ReviewKind,),
    "mail.": (MailState,),
    "missing.": (Missing,),
    "refusal.": (Refusal,),
}
_LITERAL = re.compile(r"""\b_\(\s*"([^"]*)"\s*[,)]|\b_\(\s*'([^']*)'\s*[,)]""")
_PREFIX = re.compile(r"""\b_\(\s*["']([a-z]+\.)["']\s*~""")
_VARIABLE = re.compile(r"\b_\(\s*([a-z_]+)\s*\)")
_NAV = re.compile(r'\("/(?:console|operator)[^"]*", "([^"]+)"\)')
_PLACEHOLDER = re.compile(r"\{\w*\}")
zh = translator("zh-CN")


def template_sources() -> Iterator[tuple[str, str]]:
    for path in sorted((CONSOLE / "templates").rglob("*.html")):
        yield str(path.relative_to(CONSOLE)), path.read_text(encoding="utf-8")


def template_texts() -> set[str]:
    texts: set[str] = set()
    for _, source in template_sources():
        texts |= {a or b for a, b in _LITERAL.findall(source)}
        texts |= set(_NAV.findall(source))
    return texts


def _calls(tree: ast.AST) -> Iterator[ast.Call]:
    return (node for node in ast.walk(tree) if isinstance(node, ast.Call))


def _name(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def _strings(node: ast.expr | None) -> set[str]:
    """The texts an expression can be: a literal, either branch of a conditional."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return _strings(node.body) | _strings(node.orelse)
    return set()


def route_texts() -> set[str]:
    """Literal texts the console's Python passes to be translated (directly, or through a
    variable assigned a literal)."""
    texts: set[str] = set()
    for path in sorted(CONSOLE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        assigned: dict[str, set[str]] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        assigned.setdefault(target.id, set()).update(_strings(node.value))
        for call in _calls(tree):
            name = _name(call)
            if name in ("say", "problem"):  # kit.say(visit, text), kit.problem(state, visit, text)
                args = call.args[1:] if name == "say" else call.args[2:]
            elif name == "_choice":  # _choice(state, field, kind, reason)
                args = call.args[3:]
            elif name == "HTTPException":  # shown on the error page
                args = call.args[1:]
            elif name == "_":  # _(text, **values), as pages.py writes waiting times
                args = call.args
            else:
                continue
            for arg in args[:1]:
                texts |= assigned.get(arg.id, set()) if isinstance(arg, ast.Name) else _strings(arg)
    return texts


def error_page_texts() -> set[str]:
    """The messages of the error page: the values of the table in app._error_page and its default."""
    tree = ast.parse((CONSOLE / "app.py").read_text(encoding="utf-8"))
    (function,) = (n for n in ast.walk(tree) if isinstance(n, ast.AsyncFunctionDef) and n.name == "_error_page")
    texts: set[str] = set()
    for node in ast.walk(function):
        if isinstance(node, ast.Dict):
            texts |= {v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)}
        elif isinstance(node, ast.Call) and _name(node) == "get" and len(node.args) == 2:
            default = node.args[1]
            if isinstance(default, ast.Constant) and isinstance(default.value, str):
                texts.add(default.value)
    return texts


def domain_reasons() -> set[str]:
    """The reasons of InvalidInput in the form contexts, as raised: module constants filled in,
    other values (computed limits) as a number."""
    reasons: set[str] = set()
    for context in FORM_CONTEXTS:
        for path in sorted((DOMAIN / context).glob("*.py")):
            module = importlib.import_module(f"smscloud.domain.{context}.{path.stem}")
            for call in _calls(ast.parse(path.read_text(encoding="utf-8"))):
                if _name(call) != "InvalidInput" or len(call.args) < 2:
                    continue
                reason = call.args[1]
                if isinstance(reason, ast.Constant) and isinstance(reason.value, str):
                    reasons.add(reason.value)
                elif isinstance(reason, ast.JoinedStr):
                    reasons.add("".join(_part(module, value) for value in reason.values))
    return reasons


def _part(module: object, value: ast.expr) -> str:
    if isinstance(value, ast.Constant):
        return str(value.value)
    if isinstance(value, ast.FormattedValue) and isinstance(value.value, ast.Name):
        return str(getattr(module, value.value.id, 5))
    return "5"


def test_the_collectors_find_the_texts() -> None:
    """Guards the regular expressions and the AST walk: they must find texts we know are there."""
    assert {"Sign up", "Overview", "Welcome, {name}"} <= template_texts()
    assert {
        "The two passwords differ.",
        "Choose one of the offered values.",
        "choose a signature type",
    } <= route_texts()
    assert "the form has expired; reload the page and try again" in route_texts()
    assert "{hours} h {minutes} min" in route_texts()
    assert {"This request was refused.", "The request could not be handled."} <= error_page_texts()
    assert {"is not an e-mail address", "must be at least 8 characters", "is larger than 5 MB"} <= domain_reasons()
    assert "a marketing template must end with 拒收请回复R" in domain_reasons()


@pytest.mark.parametrize(
    "source", ["templates", "routes", "notices", "error pages"], ids=["templates", "routes", "notices", "errors"]
)
def test_every_text_has_its_chinese(source: str) -> None:
    texts = {
        "templates": template_texts,
        "routes": route_texts,
        "notices": lambda: set(NOTICES.values()),
        "error pages": error_page_texts,
    }[source]()
    assert texts
    missing = sorted(text for text in texts if text not in TEXTS and text not in LABELS)
    assert missing == []


def test_every_translation_keeps_the_placeholders() -> None:
    differing = {
        text: chinese
        for text, chinese in TEXTS.items()
        if sorted(_PLACEHOLDER.findall(text)) != sorted(_PLACEHOLDER.findall(chinese))
    }
    assert differing == {}


def test_every_reason_a_form_can_show_has_its_chinese() -> None:
    untranslated = sorted(reason for reason in domain_reasons() if translate_reason(zh, reason) == reason)
    assert untranslated == []


def test_every_value_shown_by_name_has_a_name_in_both_languages() -> None:
    prefixes: set[str] = set()
    for _, source in template_sources():
        prefixes |= set(_PREFIX.findall(source))
    for path in sorted((CONSOLE / "routes").glob("*.py")):
        prefixes |= set(re.findall(r'f"([a-z]+\.)\{', path.read_text(encoding="utf-8")))
    assert prefixes - set(LABELLED) == set(), "a new kind of value: add it to LABELLED"
    missing = [
        f"{prefix}{member.value}"
        for prefix in prefixes
        for enum in LABELLED[prefix]
        for member in enum
        if not all(LABELS.get(f"{prefix}{member.value}", ("", "")))
    ]
    assert missing == []


def test_templates_translate_only_known_variables() -> None:
    """_(variable) is allowed for the few variables whose values are checked above."""
    variables = {name for _, source in template_sources() for name in _VARIABLE.findall(source)}
    assert variables <= {"label", "notice", "message", "detail"}


@pytest.mark.parametrize(
    ("chosen", "accept", "default", "expected"),
    [
        ("en", "zh-CN,zh;q=0.9", "zh-CN", "en"),
        (None, "en-GB,en;q=0.9", "zh-CN", "en"),
        (None, "zh-TW", "en", "zh-CN"),
        (None, "fr-FR", "en", "en"),
        ("fr", "", "zh-CN", "zh-CN"),
    ],
)
def test_the_language_is_the_choice_then_the_browser_then_the_default(
    chosen: str | None, accept: str, default: str, expected: str
) -> None:
    assert negotiate(chosen=chosen, accept_language=accept, default=default) == expected


def recorded_audit_actions() -> set[str]:
    """The actions the domain writes to the audit log: `audit.record(action="sms.enable", ...)` or
    `AuditNote(action=..., ...)`, and the reviews' `f"{kind.value}.{verb}"` for each queue and verb."""
    actions: set[str] = set()
    for path in sorted(DOMAIN.rglob("*.py")):
        for call in _calls(ast.parse(path.read_text(encoding="utf-8"))):
            if _name(call) not in ("record", "AuditNote"):
                continue
            assert not call.args or _name(call) != "AuditNote", f"{path}: name the AuditNote's fields"
            for keyword in call.keywords:
                if keyword.arg != "action":
                    continue
                branches = [keyword.value.body, keyword.value.orelse] if isinstance(keyword.value, ast.IfExp) else []
                if isinstance(keyword.value, ast.Constant) and isinstance(keyword.value.value, str):
                    actions.add(keyword.value.value)
                elif branches and all(isinstance(b, ast.Constant) and isinstance(b.value, str) for b in branches):
                    actions |= {b.value for b in branches if isinstance(b, ast.Constant) and isinstance(b.value, str)}
                elif ast.unparse(keyword.value) == "f'{kind.value}.{verb}'":
                    actions |= {f"{kind.value}.{verb}" for kind in ReviewKind for verb in ("approve", "reject")}
                else:
                    raise AssertionError(f"{path}: an audit action this test cannot read: {ast.unparse(keyword.value)}")
    return actions


def test_every_audit_action_has_a_name_in_both_languages() -> None:
    actions = recorded_audit_actions()
    assert {"qualification.submit", "template.reject", "sms.enable"} <= actions
    missing = sorted(action for action in actions if not all(LABELS.get(f"audit.{action}", ("", ""))))
    assert missing == []
    kinds = {action.split(".", 1)[0] for action in actions} - {"sms"} | {"tenant"}
    assert sorted(kind for kind in kinds if not all(LABELS.get(f"subject.{kind}", ("", "")))) == []


def test_audit_entries_read_as_words_in_both_languages() -> None:
    en = translator("en")
    assert (audit_action(en, "qualification.approve"), audit_action(zh, "qualification.approve")) == (
        "Qualification approved",
        "资质已通过",
    )
    assert audit_action(zh, "something.new") == "something.new"  # an action without a name: its code
    assert (audit_subject(en, "template", 1), audit_subject(zh, "template", 1)) == ("Template #1", "模板 #1")
    operator = Actor.operator(1)
    assert (audit_actor(en, operator, operators={}, users={}), audit_actor(zh, operator, operators={}, users={})) == (
        "operator #1",
        "运营人员 #1",
    )
    assert audit_actor(zh, Actor.user(7), operators={}, users={}) == "用户 #7"
    assert audit_actor(zh, Actor.system(), operators={}, users={}) == "系统"


@pytest.mark.parametrize(
    ("seconds", "english", "chinese"),
    [
        (59, "0 min", "0 分钟"),
        (3900, "1 h 5 min", "1 小时 5 分钟"),
        (2 * 86400 + 3 * 3600, "2 d 3 h", "2 天 3 小时"),
    ],
)
def test_waiting_times_are_in_the_visitors_language(seconds: int, english: str, chinese: str) -> None:
    now = datetime(2026, 3, 10, tzinfo=UTC)
    since = now - timedelta(seconds=seconds)
    assert (waited(translator("en"), since, now), waited(zh, since, now)) == (english, chinese)
