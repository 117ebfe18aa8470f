"""The official legacy v5 SDK (`qcloudsms_py`), pointed at a local smscloud.

The SDK has no endpoint setting: each sender keeps its full URL (`https://yun.tim.qq.com/v5/...`)
in `_url`, and the spec (§2.6) names replacing it as the way to point the SDK elsewhere; with an
`http://` URL it speaks plain HTTP. That attribute is all that is changed of the SDK's requests.

On Python >= 3.9 the SDK cannot read any answer (`json.loads(..., encoding=...)`, spec §2.7, upstream
issue qcloudsms/qcloudsms_py#16): `fix_response_json` replaces that one method, after the request
has been made and answered, as every user of the SDK on a current Python must.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
import qcloudsms_py.httpclient
from qcloudsms_py import SmsMobileStatusPuller, SmsMultiSender, SmsSingleSender, SmsStatusPuller


def fix_response_json(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(qcloudsms_py.httpclient.HTTPResponse, "json", lambda self: json.loads(self.body))


def _at(sender: Any, endpoint: str, path: str) -> Any:
    default = "https://yun.tim.qq.com" + path
    assert sender._url == default, f"the SDK's URL changed: {sender._url}"
    sender._url = f"http://{endpoint}{path}"
    return sender


@dataclass(frozen=True)
class V5Clients:
    single: Any
    multi: Any
    status: Any
    mobile_status: Any


def v5_clients(endpoint: str, sdk_app_id: str | int, app_key: str) -> V5Clients:
    """The SDK's senders and pullers for `sdk_app_id`/`app_key`, sending to `endpoint` (host:port)."""
    appid = int(sdk_app_id)
    return V5Clients(
        single=_at(SmsSingleSender(appid, app_key), endpoint, "/v5/tlssmssvr/sendsms"),
        multi=_at(SmsMultiSender(appid, app_key), endpoint, "/v5/tlssmssvr/sendmultisms2"),
        status=_at(SmsStatusPuller(appid, app_key), endpoint, "/v5/tlssmssvr/pullstatus"),
        mobile_status=_at(SmsMobileStatusPuller(appid, app_key), endpoint, "/v5/tlssmssvr/pullstatus4mobile"),
    )
