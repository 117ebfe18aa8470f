"""The API 3.0 actions of the `sms` service, one module per action family, and their registry."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from smscloud.adapters.http.tencent_v3.actions.pull_reply_status import (
    pull_sms_reply_status,
    pull_sms_reply_status_by_phone_number,
)
from smscloud.adapters.http.tencent_v3.actions.pull_send_status import (
    pull_sms_send_status,
    pull_sms_send_status_by_phone_number,
)
from smscloud.adapters.http.tencent_v3.actions.send_sms import send_sms
from smscloud.adapters.http.tencent_v3.actions.signatures import (
    add_sms_sign,
    delete_sms_sign,
    describe_sms_sign_list,
    modify_sms_sign,
)
from smscloud.adapters.http.tencent_v3.actions.templates import (
    add_sms_template,
    delete_sms_template,
    describe_sms_template_list,
    modify_sms_template,
)
from smscloud.adapters.http.tencent_v3.auth import SignedCall
from smscloud.adapters.http.tencent_v3.context import CallContext
from smscloud.adapters.http.tencent_v3.errors import ApiError

__all__ = ["BUILT_ACTIONS", "KNOWN_ACTIONS", "VERSIONS", "Handler", "resolve"]

Handler = Callable[[CallContext, SignedCall], Awaitable[Any]]

VERSIONS = ("2021-01-11", "2019-07-11")

_BOTH = (
    "SendSms",
    "PullSmsSendStatus",
    "PullSmsSendStatusByPhoneNumber",
    "PullSmsReplyStatus",
    "PullSmsReplyStatusByPhoneNumber",
    "AddSmsSign",
    "ModifySmsSign",
    "DeleteSmsSign",
    "DescribeSmsSignList",
    "AddSmsTemplate",
    "ModifySmsTemplate",
    "DeleteSmsTemplate",
    "DescribeSmsTemplateList",
    "SendStatusStatistics",
    "CallbackStatusStatistics",
    "SmsPackagesStatistics",
)
KNOWN_ACTIONS: dict[str, frozenset[str]] = {
    "2021-01-11": frozenset((*_BOTH, "DescribePhoneNumberInfo", "ReportConversion", "SendMultiGlobalSms")),
    "2019-07-11": frozenset(_BOTH),
}

BUILT_ACTIONS: dict[str, Handler] = {
    "SendSms": send_sms,
    "PullSmsSendStatus": pull_sms_send_status,
    "PullSmsSendStatusByPhoneNumber": pull_sms_send_status_by_phone_number,
    "PullSmsReplyStatus": pull_sms_reply_status,
    "PullSmsReplyStatusByPhoneNumber": pull_sms_reply_status_by_phone_number,
    "AddSmsSign": add_sms_sign,
    "ModifySmsSign": modify_sms_sign,
    "DeleteSmsSign": delete_sms_sign,
    "DescribeSmsSignList": describe_sms_sign_list,
    "AddSmsTemplate": add_sms_template,
    "ModifySmsTemplate": modify_sms_template,
    "DeleteSmsTemplate": delete_sms_template,
    "DescribeSmsTemplateList": describe_sms_template_list,
}


def resolve(version: str, action: str) -> Handler:
    """The handler of an action, or the error Tencent answers for it."""
    known = KNOWN_ACTIONS.get(version)
    if known is None:
        raise ApiError("NoSuchVersion", f"The API version `{version}` does not exist for the sms service.")
    if action not in known:
        raise ApiError("InvalidAction", f"The action `{action}` does not exist in version {version}.")
    handler = BUILT_ACTIONS.get(action)
    if handler is None:
        raise ApiError(
            "UnsupportedOperation",
            f"The action `{action}` is not available on this smscloud installation yet.",
        )
    return handler
