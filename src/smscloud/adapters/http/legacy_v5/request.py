"""What every v5 request body has: the `sig` and `time` it is signed with; and the `tel` of sends."""

from __future__ import annotations

import msgspec

from smscloud.domain.messages.phone import from_nation_code

__all__ = ["SignedRequest", "Tel"]


class SignedRequest(msgspec.Struct, kw_only=True):
    """Both default to "missing", which is answered with its own code (1003 for `sig`, 1004 for `time`)."""

    sig: str = ""
    time: int | None = None


class Tel(msgspec.Struct):
    """A number as v5 sends carry it. `nationcode` comes as a string or, from qcloudsms_py's group
    send, as a number (spec §0.2.5); `mobile` is taken as a string or number alike."""

    nationcode: str | int
    mobile: str | int

    @property
    def signed(self) -> str:
        """The number as the `sig` covers it: `mobile` exactly as sent."""
        return str(self.mobile)

    @property
    def raw_phone(self) -> str:
        """The E.164 string to parse (not validated here)."""
        return from_nation_code(self.nationcode, str(self.mobile))
