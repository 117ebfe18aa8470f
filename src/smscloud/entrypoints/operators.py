"""Operator accounts from the command line: the first one at first start, more with `smscloud operator`."""

from __future__ import annotations

import secrets
import string

from smscloud.bootstrap import Platform
from smscloud.domain.audit.model import Actor
from smscloud.domain.identity.errors import EmailTaken
from smscloud.domain.identity.model import Language, Operator
from smscloud.domain.identity.rules import check_password
from smscloud.domain.shared.errors import InvalidInput

__all__ = ["FIRST_OPERATOR_EMAIL", "ensure_first_operator", "new_password"]

FIRST_OPERATOR_EMAIL = "admin@smscloud.local"
# The first operator's name in the console's default language (its language too): a name is
# shown as stored, so it is written once in the language the platform's people read.
_FIRST_OPERATOR_NAME = {Language.ZH_CN: "管理员", Language.EN: "Administrator"}
_ALPHABET = string.ascii_letters + string.digits


def new_password(length: int = 16, *, email: str = FIRST_OPERATOR_EMAIL) -> str:
    """A random password the password rules accept for `email` (letters and digits)."""
    while True:
        password = "".join(secrets.choice(_ALPHABET) for _ in range(length))
        try:
            check_password(password, email=email)
        except InvalidInput:
            continue
        return password


async def ensure_first_operator(platform: Platform) -> tuple[Operator, str] | None:
    """Create the first operator when there is none; returns it with its password (shown once).

    Two processes starting at once on one PostgreSQL may both see no operator; the store's unique
    e-mail address lets only one of them create it (the other gets EmailTaken and returns None).
    """
    if await platform.operators.count() > 0:
        return None
    password = new_password()
    language = Language(platform.settings.console.default_language)
    try:
        operator = await platform.identity.create_operator(
            email=FIRST_OPERATOR_EMAIL,
            name=_FIRST_OPERATOR_NAME[language],
            password=password,
            language=language,
            actor=Actor.system(),
        )
    except EmailTaken:
        return None
    return operator, password
