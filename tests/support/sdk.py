"""The official Tencent Cloud SDK, pointed at a local smscloud."""

from __future__ import annotations

from typing import Any

from tencentcloud.common import credential
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.sms.v20190711 import sms_client as sms_client_2019
from tencentcloud.sms.v20210111 import sms_client as sms_client_2021


def client(
    endpoint: str,
    secret_id: str,
    secret_key: str,
    *,
    version: str = "2021-01-11",
    method: str = "POST",
    sign_method: str = "TC3-HMAC-SHA256",
    token: str | None = None,
) -> Any:
    profile = ClientProfile(
        signMethod=sign_method,
        httpProfile=HttpProfile(endpoint=endpoint, protocol="http", reqMethod=method, reqTimeout=30),
    )
    cred = credential.Credential(secret_id, secret_key, token)
    module = sms_client_2019 if version == "2019-07-11" else sms_client_2021
    return module.SmsClient(cred, "ap-guangzhou", profile)
