"""The Tencent API 3.0 surface in-process: `TencentApi` over the real stores, driven by signed requests.

`api` gives a `Client` whose calls are signed like the official SDK's (TC3 by default, legacy v1 on
request) and whose every answer is checked to be Tencent's envelope with a code the official SDK of
that version knows (or one of Tencent's common codes).
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest
import tencentcloud.sms.v20190711.errorcodes as errorcodes_2019
import tencentcloud.sms.v20210111.errorcodes as errorcodes_2021

from smscloud.adapters.http.tencent_v3.api import TencentApi
from smscloud.adapters.http.tencent_v3.auth import RawRequest
from smscloud.adapters.http.tencent_v3.context import ApiServices
from smscloud.adapters.http.tencent_v3.signing import encode_params, sign_tc3, sign_v1
from smscloud.adapters.phone.parser import LibPhoneNumberParser
from smscloud.adapters.storage.database import Database
from tests.support.builders import Builder, Sender, Stores, make_stores

V2021 = "2021-01-11"
V2019 = "2019-07-11"
HOST = "sms.tencentcloudapi.com"

# Tencent's common (platform) error codes, spec §1.5.
COMMON_CODES = frozenset(
    {
        "ActionOffline",
        "AuthFailure.InvalidAuthorization",
        "AuthFailure.InvalidSecretId",
        "AuthFailure.MFAFailure",
        "AuthFailure.SecretIdNotFound",
        "AuthFailure.SignatureExpire",
        "AuthFailure.SignatureFailure",
        "AuthFailure.TokenFailure",
        "AuthFailure.UnauthorizedOperation",
        "DryRunOperation",
        "FailedOperation",
        "InternalError",
        "InvalidAction",
        "InvalidParameter",
        "InvalidParameterValue",
        "InvalidRequest",
        "IpInBlacklist",
        "IpNotInWhitelist",
        "LimitExceeded",
        "MissingParameter",
        "NoSuchProduct",
        "NoSuchVersion",
        "RequestLimitExceeded",
        "ResourceNotFound",
        "UnauthorizedOperation",
        "UnknownParameter",
        "UnsupportedOperation",
        "UnsupportedProtocol",
        "UnsupportedRegion",
    }
)


def _sdk_codes(module: Any) -> frozenset[str]:
    return frozenset(value for name, value in vars(module).items() if name.isupper() and isinstance(value, str))


SDK_CODES = {V2021: _sdk_codes(errorcodes_2021), V2019: _sdk_codes(errorcodes_2019)}


def known_codes(version: str) -> frozenset[str]:
    """Codes the official SDK of `version` lists, and the common ones."""
    return SDK_CODES.get(version, SDK_CODES[V2021]) | COMMON_CODES


_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def check_envelope(body: bytes, version: str) -> dict[str, Any]:
    """Assert `body` is Tencent's envelope with known codes; return its `Response` object."""
    document = json.loads(body)
    assert isinstance(document, dict) and list(document) == ["Response"], document
    response = document["Response"]
    assert isinstance(response, dict)
    assert isinstance(response.get("RequestId"), str) and _UUID.fullmatch(response["RequestId"]), response
    codes: list[str] = []
    if "Error" in response:
        error = response["Error"]
        assert set(response) == {"Error", "RequestId"}, response
        assert set(error) == {"Code", "Message"}, error
        assert isinstance(error["Code"], str) and isinstance(error["Message"], str) and error["Message"]
        codes.append(error["Code"])
    for item in response.get("SendStatusSet", []):
        if item["Code"] != "Ok":
            codes.append(item["Code"])
    for code in codes:
        assert code in known_codes(version), f"{code} is not a code of the {version} SDK nor a common one"
    return response


@dataclass
class RecordingSignal:
    """`DispatchSignal` that remembers which carriers were woken."""

    woken: list[set[int]] = field(default_factory=list)

    def wake(self, carrier_ids: Iterable[int]) -> None:
        self.woken.append(set(carrier_ids))


@dataclass
class Client:
    api: TencentApi
    stores: Stores
    build: Builder
    acme: Sender
    signal: RecordingSignal
    parser: LibPhoneNumberParser

    def now(self) -> int:
        return int(self.stores.clock.now().timestamp())

    async def send(self, request: RawRequest, version: str) -> dict[str, Any]:
        return check_envelope(await self.api.handle(request), version)

    async def call(
        self,
        action: str,
        params: Mapping[str, Any] | bytes,
        *,
        version: str = V2021,
        secret_id: str | None = None,
        secret_key: str | None = None,
        timestamp: int | None = None,
        method: str = "POST",
        language: str | None = "zh-CN",
    ) -> dict[str, Any]:
        """A TC3-signed call as the official SDK makes it (X-TC-Language zh-CN unless `language`
        says otherwise; None sends none); returns the `Response` object."""
        secret_id = secret_id or self.acme.key.secret_id
        secret_key = secret_key or self.acme.key.secret_key
        stamp = self.now() if timestamp is None else timestamp
        if method == "GET":
            assert not isinstance(params, bytes)
            query = encode_params(params)
            headers = sign_tc3(
                secret_id=secret_id,
                secret_key=secret_key,
                host=HOST,
                action=action,
                version=version,
                body=b"",
                timestamp=stamp,
                method="GET",
                raw_query=query,
                language=language,
            )
            request = RawRequest("GET", query, {k.lower(): v for k, v in headers.items()}, b"")
        else:
            body = params if isinstance(params, bytes) else json.dumps(params).encode()
            headers = sign_tc3(
                secret_id=secret_id,
                secret_key=secret_key,
                host=HOST,
                action=action,
                version=version,
                body=body,
                timestamp=stamp,
                region="ap-guangzhou",
                language=language,
            )
            request = RawRequest("POST", "", {k.lower(): v for k, v in headers.items()}, body)
        return await self.send(request, version)

    async def call_v1(
        self,
        action: str,
        params: Mapping[str, Any],
        *,
        version: str = V2021,
        signature_method: str = "HmacSHA256",
        secret_id: str | None = None,
    ) -> dict[str, Any]:
        """A legacy-v1-signed form POST (`ClientProfile(signMethod=...)` in the SDK)."""
        body = sign_v1(
            secret_id=self.acme.key.secret_id if secret_id is None else secret_id,
            secret_key=self.acme.key.secret_key,
            host=HOST,
            action=action,
            version=version,
            params=params,
            timestamp=self.now(),
            nonce=uuid.uuid4().int % 1_000_000,
            signature_method=signature_method,
        )
        headers = {"content-type": "application/x-www-form-urlencoded", "host": HOST}
        return await self.send(RawRequest("POST", "", headers, body.encode()), version)

    async def send_sms(self, *, version: str = V2021, method: str = "POST", **fields: Any) -> dict[str, Any]:
        """SendSms with this tenant's app, template and signature unless `fields` say otherwise."""
        if version == V2019:
            params: dict[str, Any] = {
                "PhoneNumberSet": ["+8613711112222"],
                "SmsSdkAppid": self.acme.app.sdk_app_id,
                "TemplateID": str(self.acme.template.id),
                "Sign": self.acme.signature.name,
                "TemplateParamSet": ["A1"],
            }
        else:
            params = {
                "PhoneNumberSet": ["+8613711112222"],
                "SmsSdkAppId": self.acme.app.sdk_app_id,
                "TemplateId": str(self.acme.template.id),
                "SignName": self.acme.signature.name,
                "TemplateParamSet": ["A1"],
            }
        params.update(fields)
        params = {k: v for k, v in params.items() if v is not None}
        return await self.call("SendSms", params, version=version, method=method)


@pytest.fixture
async def api(db: Database) -> Client:
    stores = make_stores(db)
    build = Builder(stores)
    acme = await build.sender("acme")
    signal = RecordingSignal()
    parser = LibPhoneNumberParser()
    services = ApiServices(
        credentials=stores.catalog,
        catalog=stores.catalog,
        messages=stores.messages,
        signal=signal,
        reports=stores.reports,
        parser=parser,
        clock=stores.clock,
        replies=stores.replies,
    )
    return Client(TencentApi(services), stores, build, acme, signal, parser)
