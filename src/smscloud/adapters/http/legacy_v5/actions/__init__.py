"""The v5 paths this server serves, one module per path family, and the registry of them.

An `Action` names the body it reads, which numbers its `sig` covers (spec §2.2: the "mobile"
variant for sends, none for pulls), and the handler that answers it once the `sig` is verified.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import msgspec

from smscloud.adapters.http.legacy_v5.actions.pull_status import (
    PullStatus4MobileRequest,
    PullStatusRequest,
    pull_status,
    pull_status_for_mobile,
)
from smscloud.adapters.http.legacy_v5.actions.send_sms import (
    SendMultiSms2Request,
    SendSmsRequest,
    send_multi_sms2,
    send_sms,
    signed_mobiles,
)
from smscloud.adapters.http.legacy_v5.context import V5Call
from smscloud.adapters.http.legacy_v5.request import SignedRequest

__all__ = ["ACTIONS", "KNOWN_PATHS", "Action"]


@dataclass(frozen=True, slots=True)
class Action:
    model: type[SignedRequest]
    mobiles: Callable[[Any], list[str] | None]  # the numbers the sig covers, None for "no mobile"
    handle: Callable[[V5Call, Any], Awaitable[msgspec.Struct]]


def _no_mobiles(wire: object) -> None:
    return None


ACTIONS: dict[str, Action] = {
    "/v5/tlssmssvr/sendsms": Action(SendSmsRequest, signed_mobiles, send_sms),
    "/v5/tlssmssvr/sendmultisms2": Action(SendMultiSms2Request, signed_mobiles, send_multi_sms2),
    "/v5/tlssmssvr/pullstatus": Action(PullStatusRequest, _no_mobiles, pull_status),
    "/v5/tlssmssvr/pullstatus4mobile": Action(PullStatus4MobileRequest, _no_mobiles, pull_status_for_mobile),
}

# Every path of the v5 API (spec §0.2): those not in ACTIONS are answered 1030 (not supported
# here), anything else under /v5/ 1011 (no such interface).
_SMS = (
    "sendsms", "sendmultisms2", "sendisms", "pullstatus", "pullstatus4mobile", "querysms4mobile",
    "add_template", "mod_template", "del_template", "get_template", "add_sign", "mod_sign", "del_sign",
    "get_sign", "pullsendstatus", "pullcallbackstatus", "getsmspackages", "uploadvoicefile",
)  # fmt: skip
_VOICE = (
    "sendvoice", "sendcvoice", "sendvoiceprompt", "sendtvoice", "sendfvoice", "uploadvoicefile", "statusvoicefile",
)  # fmt: skip
KNOWN_PATHS = frozenset([*(f"/v5/tlssmssvr/{n}" for n in _SMS), *(f"/v5/tlsvoicesvr/{n}" for n in _VOICE)])
