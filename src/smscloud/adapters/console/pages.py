"""Rendering pages: one Jinja2 environment (autoescaping on), and what every page gets."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import jinja2
from starlette.requests import Request
from starlette.responses import HTMLResponse

from smscloud.adapters.console.i18n import Translate, translator
from smscloud.adapters.console.labels import LABELS
from smscloud.domain.audit.model import Actor, ActorKind
from smscloud.domain.identity.model import Operator, User

__all__ = [
    "NOTICES",
    "FormState",
    "Renderer",
    "audit_action",
    "audit_actor",
    "audit_subject",
    "browser_of",
    "translate_reason",
    "waited",
]

_TEMPLATES = Path(__file__).parent / "templates"
# What a page says after a successful form (`?done=<key>` of the post/redirect/get).
NOTICES = {
    "activated": "Your account is active. Log in to continue.",
    "activation_sent": "If the address has an account waiting for activation, a new link is on its way.",
    "logged_out": "You are logged out.",
    "password_reset": "Your password is changed. Log in with the new one.",
    "password_changed": "Your password is changed; your other sessions have ended.",
    "session_revoked": "The session has ended.",
    "sessions_revoked": "Your other sessions have ended.",
    "no_other_sessions": "You have no other session: nothing was ended.",
    "profile_saved": "The profile is saved.",
    "qualification_submitted": "The qualification is submitted for review. You will be told by e-mail.",
    "sms_enabled": "The SMS service is enabled. Create an application to send messages.",
    "app_created": "The application is created.",
    "app_disabled": "The application is disabled: it refuses every send.",
    "app_enabled": "The application is enabled.",
    "key_disabled": "The API key is disabled.",
    "key_enabled": "The API key is enabled.",
    "key_deleted": "The API key is deleted.",
    "key_created_already": "That key was created already; its SecretKey was shown once, when it was created.",
    "app_created_already": "That application was created already: it is in the list below.",
    "template_submitted_already": "That template was submitted already: it is in the list below.",
    "app_key_rotated": (
        "The AppKey is rotated: the old one is refused from now on. Show the AppKey to copy the new one."
    ),
    "signature_submitted": "The signature is submitted for review.",
    "signature_deleted": "The signature is deleted.",
    "template_submitted": "The template is submitted for review.",
    "template_deleted": "The template is deleted.",
    "test_sent": "The test message is accepted; its status is below.",
    "decided": "The decision is recorded and the customer is told.",
    "login_expired": "That login waited too long or too many codes were wrong: log in again.",
    "two_step_off": "Two-step verification is off.",
    "two_step_required": "This platform requires two-step verification of its operators: turn it on to go on.",
    "two_step_reset": "Their two-step verification is off: they log in with the password alone until they turn it on.",
    "tenant_suspended": "The account is suspended: its sends are refused.",
    "tenant_resumed": "The account may send again.",
    "tenant_suspended_already": "The account is suspended already: nothing changed.",
    "tenant_active_already": "The account is not suspended: nothing changed.",
    "withdrawn": "The customer deleted that request before the decision: there is nothing to decide.",
}
_NUMBER = re.compile(r"\d+")


@dataclass(slots=True)
class FormState:
    """A form as the visitor filled it in, and what is wrong with it."""

    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    problem: str = ""  # a message about the form as a whole

    def get(self, name: str, default: str = "") -> str:
        return self.values.get(name, default)

    @property
    def failed(self) -> bool:
        return bool(self.errors or self.problem)


def translate_reason(_: Translate, reason: str) -> str:
    """A domain error's reason in the visitor's language. Reasons carry numbers ("must be 2 to
    12 characters"); the catalogue holds them with {0}, {1}… in place of the numbers."""
    exact = _(reason)
    numbers = _NUMBER.findall(reason)
    if exact != reason or not numbers:
        return exact
    pattern = reason
    for index, number in enumerate(numbers):
        pattern = pattern.replace(number, f"{{{index}}}", 1)
    translated = _(pattern)
    if translated == pattern:
        return reason
    return translated.format(*numbers)


def _when(value: datetime | None, zone: str = "Asia/Shanghai") -> str:
    if value is None:
        return "—"
    return value.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M:%S")


def waited(_: Translate, since: datetime, now: datetime) -> str:
    """How long something has waited, in the visitor's language ("2 h 5 min", "2 小时 5 分钟")."""
    seconds = max(0, int((now - since).total_seconds()))
    if seconds < 3600:
        return _("{minutes} min", minutes=seconds // 60)
    if seconds < 86400:
        return _("{hours} h {minutes} min", hours=seconds // 3600, minutes=seconds % 3600 // 60)
    return _("{days} d {hours} h", days=seconds // 86400, hours=seconds % 86400 // 3600)


def audit_action(_: Translate, action: str) -> str:
    """An audit log action ("qualification.approve") in words; an action without a name as its
    code, rather than nothing."""
    key = f"audit.{action}"
    return _(key) if key in LABELS else action


def audit_subject(_: Translate, kind: str, subject_id: int | None) -> str:
    """What an audit log entry is about: "Template #3"."""
    key = f"subject.{kind}"
    name = _(key) if key in LABELS else kind
    return name if subject_id is None else f"{name} #{subject_id}"


def audit_actor(_: Translate, actor: Actor, *, operators: Mapping[int, Operator], users: Mapping[int, User]) -> str:
    """Who did it: the operator's name or the user's e-mail address where the page has them,
    else "operator #1"."""
    if actor.kind is ActorKind.SYSTEM or actor.id is None:
        return _("actor.system")
    if actor.kind is ActorKind.OPERATOR and actor.id in operators:
        operator = operators[actor.id]
        return f"{operator.name} ({operator.email})" if operator.name else operator.email
    if actor.kind is ActorKind.USER and actor.id in users:
        return users[actor.id].email
    return _(f"actor.{actor.kind.value}", id=actor.id)


# (marker in the User-Agent, name), the first match wins: Edge and Opera also say Chrome, Chrome
# also says Safari.
_BROWSERS = (
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("CriOS/", "Chrome"),
    ("Safari/", "Safari"),
)
_SYSTEMS = (
    ("Android", "Android"),
    ("iPhone", "iOS"),
    ("iPad", "iPadOS"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
)


def browser_of(user_agent: str) -> str:
    """A User-Agent in words ("Chrome on Android"); a program's first word ("curl/8.5"), else "?"."""
    browser = next((name for marker, name in _BROWSERS if marker in user_agent), "")
    system = next((name for marker, name in _SYSTEMS if marker in user_agent), "")
    if browser and system:
        return f"{browser} · {system}"
    if browser or system:
        return browser or system
    return user_agent.split(" ", 1)[0][:40] or "?"


def _mask(secret: str) -> str:
    return secret[:4] + "•" * 8 + secret[-4:] if len(secret) > 8 else "•" * len(secret)


class Renderer:
    def __init__(self) -> None:
        self._env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(_TEMPLATES),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self._env.filters["when"] = _when
        self._env.filters["mask"] = _mask
        self._env.filters["browser"] = browser_of
        self._env.globals["timedelta"] = timedelta

    def page(
        self, request: Request, name: str, *, language: str, status_code: int = 200, **context: Any
    ) -> HTMLResponse:
        _ = translator(language)
        values = {
            "request": request,
            "lang": language,
            "_": _,
            "reason": lambda text: translate_reason(_, text),
            "waited": lambda since, now: waited(_, since, now),
            "audit_action": lambda action: audit_action(_, action),
            "audit_subject": lambda kind, subject_id: audit_subject(_, kind, subject_id),
            "audit_actor": lambda actor, operators, users: audit_actor(_, actor, operators=operators, users=users),
            "path": request.url.path,
            "notice": NOTICES.get(context.pop("notice", "") or request.query_params.get("done", ""), ""),
            "form": context.pop("form", None) or FormState(),
            **context,
        }
        html = self._env.get_template(name).render(values)
        return HTMLResponse(html, status_code=status_code)
