"""Rendering pages: one Jinja2 environment (autoescaping on), and what every page gets."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import jinja2
from starlette.requests import Request
from starlette.responses import HTMLResponse

from smscloud.adapters.console.i18n import Translate, translator

__all__ = ["NOTICES", "FormState", "Renderer", "translate_reason"]

_TEMPLATES = Path(__file__).parent / "templates"
# What a page says after a successful form (`?done=<key>` of the post/redirect/get).
NOTICES = {
    "activated": "Your account is active. Log in to continue.",
    "activation_sent": "If the address has an account waiting for activation, a new link is on its way.",
    "logged_out": "You are logged out.",
    "password_reset": "Your password is changed. Log in with the new one.",
    "password_changed": "Your password is changed; your other sessions have ended.",
    "session_revoked": "The session has ended.",
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
    "app_key_rotated": (
        "The AppKey is rotated: the old one is refused from now on. Show the AppKey to copy the new one."
    ),
    "signature_submitted": "The signature is submitted for review.",
    "signature_deleted": "The signature is deleted.",
    "template_submitted": "The template is submitted for review.",
    "template_deleted": "The template is deleted.",
    "test_sent": "The test message is accepted; its status is below.",
    "decided": "The decision is recorded and the customer is told.",
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


def _waited(since: datetime, now: datetime) -> str:
    seconds = max(0, int((now - since).total_seconds()))
    if seconds < 3600:
        return f"{seconds // 60} min"
    if seconds < 86400:
        return f"{seconds // 3600} h {seconds % 3600 // 60} min"
    return f"{seconds // 86400} d {seconds % 86400 // 3600} h"


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
        self._env.globals["waited"] = _waited
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
            "path": request.url.path,
            "notice": NOTICES.get(context.pop("notice", "") or request.query_params.get("done", ""), ""),
            "form": context.pop("form", None) or FormState(),
            **context,
        }
        html = self._env.get_template(name).render(values)
        return HTMLResponse(html, status_code=status_code)
