"""Why a signature request is refused."""

from __future__ import annotations

from smscloud.domain.shared.errors import Conflict, Forbidden

__all__ = ["SignatureAlreadyApproved", "SignatureExists", "SignatureLimitReached"]


class SignatureExists(Conflict):
    """The tenant has this signature already, waiting for review (`pending`) or approved."""

    def __init__(self, name: str, *, pending: bool) -> None:
        state = "waiting for review" if pending else "approved"
        super().__init__(f"the signature {name!r} is {state} already")
        self.pending = pending


class SignatureAlreadyApproved(Forbidden):
    """An approved signature cannot be modified; submit a new one instead."""


class SignatureLimitReached(Forbidden):
    pass
