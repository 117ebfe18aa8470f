"""TC3 and legacy-v1 request authentication, checked against spec §5.3 and the official Python SDK.

The SDK is the oracle: it sends real requests to a tiny recording `http.server` on 127.0.0.1 (a real
socket, nothing leaves the machine), and the recorded bytes go through `identify` + `verify`.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any
from urllib.parse import parse_qsl, quote_plus, unquote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tencentcloud.common import credential
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.sms.v20190711 import models as models_2019
from tencentcloud.sms.v20190711 import sms_client as sms_client_2019
from tencentcloud.sms.v20210111 import models as models_2021
from tencentcloud.sms.v20210111 import sms_client as sms_client_2021

from smscloud.adapters.http.tencent_v3 import auth, signing
from smscloud.adapters.http.tencent_v3.auth import (
    RawRequest,
    SignatureScheme,
    SignedCall,
    Tc3Signature,
    V1Signature,
    identify,
    unflatten_params,
    verify,
)
from smscloud.adapters.http.tencent_v3.errors import ApiError
from smscloud.adapters.http.tencent_v3.signing import (
    encode_params,
    flatten_params,
    sign_tc3,
    sign_v1,
    tc3_canonical_request,
    tc3_key_chain,
    tc3_signature,
    tc3_string_to_sign,
    utc_date,
    v1_string_to_sign,
)

SECRET_ID = "AKIDtestid"
SECRET_KEY = "testsecretkey"


def headers_of(pairs: dict[str, str] | list[tuple[str, str]]) -> dict[str, str]:
    items = pairs.items() if isinstance(pairs, dict) else pairs
    return {name.lower(): value for name, value in items}


def expect_error(code: str, fn: Callable[[], object]) -> ApiError:
    with pytest.raises(ApiError) as info:
        fn()
    assert info.value.code == code, info.value
    return info.value


def stringify(value: Any) -> Any:
    """What unflattening gives back for SDK parameters: the same tree with string leaves."""
    if isinstance(value, dict):
        return {key: stringify(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [stringify(item) for item in value]
    return str(value)


# --------------------------------------------------------------------------------------------------------
# Spec §5.3: the captured SendSms request and every intermediate value of its TC3 signature.
# --------------------------------------------------------------------------------------------------------

SPEC_BODY = (
    rb'{"PhoneNumberSet": ["+8613711112222", "+8613711113333"], "SmsSdkAppId": "1400000001", '
    rb'"TemplateId": "449739", "SignName": "\u817e\u8baf\u4e91", "TemplateParamSet": ["1234", "5"], '
    rb'"ExtendCode": "", "SessionContext": "ctx-001"}'
)
SPEC_TIMESTAMP = 1795768557
SPEC_SIGNATURE = "c443c938953f72229fb2c5687ddf1451c9c45d3678d0a5b7438066c2418d5715"
SPEC_AUTHORIZATION = (
    "TC3-HMAC-SHA256 Credential=AKIDtestid/2026-11-27/sms/tc3_request, "
    f"SignedHeaders=content-type;host, Signature={SPEC_SIGNATURE}"
)
SPEC_HEADERS = [
    ("User-Agent", "python-requests/2.34.2"),
    ("Accept-Encoding", "gzip, deflate"),
    ("Accept", "*/*"),
    ("Connection", "keep-alive"),
    ("X-TC-TraceId", "c9ece801-6270-4ac7-a0d9-28729de1f74b"),
    ("Content-Type", "application/json"),
    ("Host", "127.0.0.1:18080"),
    ("X-TC-Action", "SendSms"),
    ("X-TC-RequestClient", "SDK_PYTHON_3.1.153"),
    ("X-TC-Timestamp", "1795768557"),
    ("X-TC-Version", "2021-01-11"),
    ("X-TC-Region", "ap-guangzhou"),
    ("X-TC-Language", "zh-CN"),
    ("Authorization", SPEC_AUTHORIZATION),
    ("Content-Length", "225"),
]
SPEC_CANONICAL_REQUEST = (
    "POST\n/\n\ncontent-type:application/json\nhost:127.0.0.1:18080\n\ncontent-type;host\n"
    "9281c9732fd3ef9be2d45c5657e8540a349583d7d8a63255bc8be0a2e56496bb"
)
SPEC_STRING_TO_SIGN = (
    "TC3-HMAC-SHA256\n1795768557\n2026-11-27/sms/tc3_request\n"
    "2b79350293083628c19500fffdb45f183a452741a8b62345640e7cf8b986b2fa"
)


def spec_request() -> RawRequest:
    return RawRequest(method="POST", raw_query="", headers=headers_of(SPEC_HEADERS), body=SPEC_BODY)


def test_spec_vector_intermediate_values() -> None:
    assert len(SPEC_BODY) == 225
    payload_hash = hashlib.sha256(SPEC_BODY).hexdigest()
    assert payload_hash == "9281c9732fd3ef9be2d45c5657e8540a349583d7d8a63255bc8be0a2e56496bb"
    assert utc_date(SPEC_TIMESTAMP) == "2026-11-27"

    canonical_request = tc3_canonical_request(
        method="POST",
        raw_query="",
        canonical_headers="content-type:application/json\nhost:127.0.0.1:18080\n",
        signed_headers="content-type;host",
        payload_hash=payload_hash,
    )
    assert canonical_request == SPEC_CANONICAL_REQUEST
    assert (
        hashlib.sha256(canonical_request.encode()).hexdigest()
        == "2b79350293083628c19500fffdb45f183a452741a8b62345640e7cf8b986b2fa"
    )
    string_to_sign = tc3_string_to_sign(
        timestamp="1795768557", day="2026-11-27", service="sms", canonical_request=canonical_request
    )
    assert string_to_sign == SPEC_STRING_TO_SIGN

    k_date, k_service, k_signing = tc3_key_chain(SECRET_KEY, "2026-11-27", "sms")
    assert k_date.hex() == "172629111d7b8edde97a41657fff9d512fc1eb51d147018aa59a3094edf74b2c"
    assert k_service.hex() == "9773c7f8f5ed7d3d477e0d6961c2b1d8fd614efed9e85366e7e172fa1b74df3a"
    assert k_signing.hex() == "54bfcc1bd786e30c2f624ab8241bf49d253d643afd67bc1ba939573e54fa1818"
    assert tc3_signature(k_signing, string_to_sign) == SPEC_SIGNATURE


def test_spec_request_identifies_and_verifies() -> None:
    request = spec_request()
    call = identify(request)
    assert call.scheme is SignatureScheme.TC3_HMAC_SHA256
    assert (call.secret_id, call.action, call.version) == (SECRET_ID, "SendSms", "2021-01-11")
    assert (call.timestamp, call.region, call.language, call.token) == (
        SPEC_TIMESTAMP,
        "ap-guangzhou",
        "zh-CN",
        None,
    )
    assert call.params is None
    assert call.json_body == SPEC_BODY
    assert call.signature == Tc3Signature(
        day="2026-11-27",
        service="sms",
        signed_headers=("content-type", "host"),
        value=SPEC_SIGNATURE,
        timestamp_text="1795768557",
    )
    for now in (SPEC_TIMESTAMP - 300, SPEC_TIMESTAMP, SPEC_TIMESTAMP + 7, SPEC_TIMESTAMP + 300):
        verify(call, request, SECRET_KEY, now=now)


def test_spec_request_is_what_sign_tc3_produces() -> None:
    headers = sign_tc3(
        secret_id=SECRET_ID,
        secret_key=SECRET_KEY,
        host="127.0.0.1:18080",
        action="SendSms",
        version="2021-01-11",
        body=SPEC_BODY,
        timestamp=SPEC_TIMESTAMP,
        region="ap-guangzhou",
        request_client="SDK_PYTHON_3.1.153",
    )
    sdk_headers = [(k, v) for k, v in SPEC_HEADERS if k in headers]
    assert list(headers.items()) == sdk_headers


@pytest.mark.parametrize(
    ("now", "code"),
    [
        (SPEC_TIMESTAMP + 301, "AuthFailure.SignatureExpire"),
        (SPEC_TIMESTAMP - 301, "AuthFailure.SignatureExpire"),
        (SPEC_TIMESTAMP + 86_400, "AuthFailure.SignatureExpire"),
    ],
)
def test_spec_request_outside_the_window(now: int, code: str) -> None:
    request = spec_request()
    expect_error(code, lambda: verify(identify(request), request, SECRET_KEY, now=now))


def test_spec_request_with_the_wrong_key() -> None:
    request = spec_request()
    expect_error(
        "AuthFailure.SignatureFailure",
        lambda: verify(identify(request), request, "testsecretkeY", now=SPEC_TIMESTAMP),
    )


# --------------------------------------------------------------------------------------------------------
# The official SDK as oracle.
# --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Recorded:
    method: str
    target: str
    headers: list[tuple[str, str]]
    body: bytes

    @property
    def raw_query(self) -> str:
        return self.target.partition("?")[2]

    def raw_request(self) -> RawRequest:
        return RawRequest(
            method=self.method, raw_query=self.raw_query, headers=headers_of(self.headers), body=self.body
        )

    def header(self, name: str) -> str | None:
        return headers_of(self.headers).get(name.lower())


class _RecordingServer(HTTPServer):
    recorded: list[Recorded]


class _Recorder(BaseHTTPRequestHandler):
    server: _RecordingServer

    def _record(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.server.recorded.append(Recorded(self.command, self.path, list(self.headers.items()), body))
        answer = b'{"Response": {"RequestId": "x"}}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    do_GET = _record  # noqa: N815 — http.server's naming
    do_POST = _record  # noqa: N815

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def recorder() -> Iterator[_RecordingServer]:
    server = _RecordingServer(("127.0.0.1", 0), _Recorder)
    server.recorded = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture(autouse=True)
def _no_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)


@dataclass(frozen=True)
class SdkCase:
    id: str
    version: str
    action: str
    method: str = "POST"
    sign_method: str = "TC3-HMAC-SHA256"
    unsigned_payload: bool = False
    token: str | None = None
    host: str = "127.0.0.1"
    region: str = "ap-guangzhou"


def build_model(case: SdkCase) -> Any:
    if case.version == "2019-07-11":
        req = models_2019.SendSmsRequest()
        req.PhoneNumberSet = ["+8613711112222"]
        req.TemplateID = "449739"
        req.SmsSdkAppid = "1400000001"
        req.Sign = "腾讯云"
        req.TemplateParamSet = ["1234"]
        return req
    if case.action == "SendMultiGlobalSms":
        req = models_2021.SendMultiGlobalSmsRequest()
        req.SmsSdkAppId = "1400000001"
        infos = []
        for phone, params in (("+14155550100", ["1234", "a b+c"]), ("+447700900123", ["5678"])):
            info = models_2021.MultiSmsInfo()
            info.PhoneNumber = phone
            info.TemplateId = "449739"
            info.TemplateParamSet = params
            info.SessionContext = "ctx/1&2=3"
            infos.append(info)
        req.MultiSmsInfoSet = infos
        return req
    req = models_2021.SendSmsRequest()
    req.SmsSdkAppId = "1400000001"
    req.SignName = "腾讯云"
    req.TemplateId = "449739"
    req.TemplateParamSet = ["1234", "5"]
    req.PhoneNumberSet = ["+8613711112222", "+8613711113333"]
    req.SessionContext = "ctx-001"
    req.ExtendCode = ""
    return req


def sdk_send(server: _RecordingServer, case: SdkCase) -> tuple[Recorded, Any]:
    port = server.server_address[1]
    http_profile = HttpProfile(protocol="http", endpoint=f"{case.host}:{port}", reqMethod=case.method)
    profile = ClientProfile(signMethod=case.sign_method, httpProfile=http_profile)
    if case.unsigned_payload:
        profile.unsignedPayload = True
    cred = credential.Credential(SECRET_ID, SECRET_KEY, case.token)
    module = sms_client_2019 if case.version == "2019-07-11" else sms_client_2021
    client = module.SmsClient(cred, case.region, profile)
    model = build_model(case)
    before = len(server.recorded)
    try:
        getattr(client, case.action)(model)
    finally:
        client.request.conn._session.close()
    assert len(server.recorded) == before + 1
    return server.recorded[-1], model


SDK_CASES = [
    SdkCase("2021-post-json", "2021-01-11", "SendSms"),
    SdkCase("2019-post-json", "2019-07-11", "SendSms"),
    SdkCase("2021-get", "2021-01-11", "SendSms", method="GET"),
    SdkCase("2019-get", "2019-07-11", "SendSms", method="GET"),
    SdkCase("2021-get-nested", "2021-01-11", "SendMultiGlobalSms", method="GET"),
    SdkCase("2021-post-nested", "2021-01-11", "SendMultiGlobalSms"),
    SdkCase("2021-unsigned-payload", "2021-01-11", "SendSms", unsigned_payload=True),
    SdkCase("2021-get-unsigned-payload", "2021-01-11", "SendSms", method="GET", unsigned_payload=True),
    SdkCase("2021-token", "2021-01-11", "SendSms", token="sts-session-token"),
    SdkCase("2021-no-region", "2021-01-11", "SendSms", region=""),
    SdkCase("2021-upper-case-host", "2021-01-11", "SendSms", host="LocalHost"),
    SdkCase("2021-v1-hmacsha256", "2021-01-11", "SendSms", sign_method="HmacSHA256"),
    SdkCase("2021-v1-hmacsha1", "2021-01-11", "SendSms", sign_method="HmacSHA1"),
    SdkCase("2019-v1-hmacsha256", "2019-07-11", "SendSms", sign_method="HmacSHA256"),
    SdkCase("2019-v1-hmacsha1", "2019-07-11", "SendSms", sign_method="HmacSHA1"),
    SdkCase("2021-v1-nested", "2021-01-11", "SendMultiGlobalSms", sign_method="HmacSHA256"),
    SdkCase("2021-v1-get", "2021-01-11", "SendSms", method="GET", sign_method="HmacSHA256"),
    SdkCase("2021-v1-token", "2021-01-11", "SendSms", sign_method="HmacSHA1", token="sts-session-token"),
]


def is_v1(case: SdkCase) -> bool:
    return case.sign_method != "TC3-HMAC-SHA256"


def timestamp_of(recorded: Recorded, call: SignedCall) -> int:
    if isinstance(call.signature, V1Signature):
        return int(dict(call.signature.pairs)["Timestamp"])
    return int(recorded.header("X-TC-Timestamp") or "")


@pytest.mark.parametrize("case", SDK_CASES, ids=lambda case: case.id)
def test_sdk_request_identifies_and_verifies(recorder: _RecordingServer, case: SdkCase) -> None:
    started = int(time.time())
    recorded, model = sdk_send(recorder, case)
    request = recorded.raw_request()
    call = identify(request)

    expected_scheme = SignatureScheme.TC3_HMAC_SHA256 if not is_v1(case) else SignatureScheme(case.sign_method)
    assert call.scheme is expected_scheme
    assert (call.secret_id, call.action, call.version) == (SECRET_ID, case.action, case.version)
    assert call.region == (case.region or None)
    assert call.language == "zh-CN"
    assert call.token == case.token
    assert started - 5 <= call.timestamp <= int(time.time()) + 5
    expected_params = model._serialize()
    if case.method == "POST" and not is_v1(case):
        assert call.params is None
        assert call.json_body is not None
        assert json.loads(call.json_body) == expected_params
    else:
        assert call.json_body is None
        assert call.params == stringify(expected_params)

    ts = timestamp_of(recorded, call)
    for now in (ts - 300, ts, ts + 300):
        if case.token:  # well signed, but with a session token: the platform issues none
            expect_error("AuthFailure.TokenFailure", functools.partial(verify, call, request, SECRET_KEY, now=now))
        else:
            verify(call, request, SECRET_KEY, now=now)
    expect_error("AuthFailure.SignatureExpire", lambda: verify(call, request, SECRET_KEY, now=ts + 301))
    expect_error("AuthFailure.SignatureExpire", lambda: verify(call, request, SECRET_KEY, now=ts - 301))
    expect_error("AuthFailure.SignatureFailure", lambda: verify(call, request, SECRET_KEY + "x", now=ts))
    expect_error("AuthFailure.SignatureFailure", lambda: verify(call, request, "", now=ts))


@pytest.mark.parametrize("case", [c for c in SDK_CASES if not is_v1(c)], ids=lambda case: case.id)
def test_sign_tc3_agrees_with_the_sdk(recorder: _RecordingServer, case: SdkCase) -> None:
    recorded, model = sdk_send(recorder, case)
    if case.method == "GET":
        assert recorded.raw_query == encode_params(model._serialize())
        assert recorded.body == b""
    else:
        assert recorded.body == json.dumps(model._serialize()).encode()
    headers = sign_tc3(
        secret_id=SECRET_ID,
        secret_key=SECRET_KEY,
        host=recorded.header("Host") or "",
        action=case.action,
        version=case.version,
        body=recorded.body,
        timestamp=int(recorded.header("X-TC-Timestamp") or ""),
        region=case.region or None,
        method=case.method,
        raw_query=recorded.raw_query,
        token=case.token,
        request_client=recorded.header("X-TC-RequestClient"),
        unsigned_payload=case.unsigned_payload,
    )
    sdk_headers = [(name, value) for name, value in recorded.headers if name in headers]
    if case.host == case.host.lower():
        assert list(headers.items()) == sdk_headers
    else:
        # Our signer applies Tencent's documented lower-casing; the SDK signs the endpoint as configured.
        # Both verify (the server retries with the raw value), only the signature differs.
        assert list(headers.items())[:-1] == sdk_headers[:-1]
        request = RawRequest(case.method, recorded.raw_query, headers_of(headers), recorded.body)
        verify(identify(request), request, SECRET_KEY, now=int(headers["X-TC-Timestamp"]))


@pytest.mark.parametrize("case", [c for c in SDK_CASES if is_v1(c)], ids=lambda case: case.id)
def test_sign_v1_agrees_with_the_sdk(recorder: _RecordingServer, case: SdkCase) -> None:
    recorded, model = sdk_send(recorder, case)
    assert recorded.header("Authorization") is None
    assert recorded.header("Content-Type") == "application/x-www-form-urlencoded"
    sent = recorded.raw_query if case.method == "GET" else recorded.body.decode()
    fields = dict(pair.split("=", 1) for pair in sent.split("&"))
    ours = sign_v1(
        secret_id=SECRET_ID,
        secret_key=SECRET_KEY,
        host=recorded.header("Host") or "",
        action=case.action,
        version=case.version,
        params=model._serialize(),
        timestamp=int(fields["Timestamp"]),
        nonce=int(fields["Nonce"]),
        region=case.region or None,
        method=case.method,
        signature_method=case.sign_method,
        token=case.token,
        # As the SDK sent it: its version comes from `tencentcloud/__init__.py`, which both SDK
        # packages install (common and sms differ), so it depends on which was installed last.
        request_client=unquote(fields["RequestClient"]),
    )
    assert ours == sent


def tampered_cases() -> list[SdkCase]:
    ids = {"2021-post-json", "2021-get", "2021-get-nested", "2021-v1-hmacsha256", "2021-v1-get"}
    return [c for c in SDK_CASES if c.id in ids]


def replace_phone(text: str) -> str:
    for old, new in (("8613711112222", "8613711119999"), ("14155550100", "14155550199")):
        if old in text:
            return text.replace(old, new)
    raise AssertionError("no phone number to tamper with")


@pytest.mark.parametrize("case", tampered_cases(), ids=lambda case: case.id)
def test_tampering_is_caught(recorder: _RecordingServer, case: SdkCase) -> None:
    recorded, _ = sdk_send(recorder, case)
    request = recorded.raw_request()
    ts = timestamp_of(recorded, identify(request))

    if case.method == "GET":
        tampered = replace(request, raw_query=replace_phone(request.raw_query))
    else:
        tampered = replace(request, body=replace_phone(request.body.decode()).encode())
    expect_error("AuthFailure.SignatureFailure", lambda: verify(identify(tampered), tampered, SECRET_KEY, now=ts))

    moved = replace(request, headers={**request.headers, "host": "127.0.0.1:1"})
    expect_error("AuthFailure.SignatureFailure", lambda: verify(identify(moved), moved, SECRET_KEY, now=ts))

    if not is_v1(case):
        other_method = "POST" if case.method == "GET" else "GET"
        switched = replace(request, method=other_method)
        with pytest.raises(ApiError) as info:
            verify(identify(switched), switched, SECRET_KEY, now=ts)
        assert info.value.code in {"AuthFailure.SignatureFailure", "InvalidParameter"}

        stripped = {k: v for k, v in request.headers.items() if k != "authorization"}
        unsigned = replace(request, headers=stripped)
        expect_error("AuthFailure.InvalidAuthorization", lambda: identify(unsigned))


def test_unsigned_payload_does_not_cover_the_body(recorder: _RecordingServer) -> None:
    recorded, _ = sdk_send(recorder, SdkCase("x", "2021-01-11", "SendSms", unsigned_payload=True))
    request = recorded.raw_request()
    assert request.headers["x-tc-content-sha256"] == "UNSIGNED-PAYLOAD"
    tampered = replace(request, body=replace_phone(request.body.decode()).encode())
    call = identify(tampered)
    verify(call, tampered, SECRET_KEY, now=call.timestamp)  # by design of UNSIGNED-PAYLOAD
    dropped = replace(request, headers={k: v for k, v in request.headers.items() if k != "x-tc-content-sha256"})
    expect_error(
        "AuthFailure.SignatureFailure",
        lambda: verify(identify(dropped), dropped, SECRET_KEY, now=call.timestamp),
    )


GARBLED_AUTHORIZATIONS = [
    "",
    "SKIP",
    "TC3-HMAC-SHA256",
    "TC3-HMAC-SHA256 ",
    "tc3-hmac-sha256 Credential=AKIDtestid/2026-11-27/sms/tc3_request, SignedHeaders=content-type;host, "
    f"Signature={SPEC_SIGNATURE}",
    "HMAC-SHA256 Credential=AKIDtestid/2026-11-27/sms/tc3_request, SignedHeaders=content-type;host, "
    f"Signature={SPEC_SIGNATURE}",
    f"TC3-HMAC-SHA256 Credential=AKIDtestid/2026-11-27/sms/tc3_request, Signature={SPEC_SIGNATURE}",
    "TC3-HMAC-SHA256 Credential=AKIDtestid/2026-11-27/sms/tc3_request, SignedHeaders=content-type;host",
    "TC3-HMAC-SHA256 Credential=AKIDtestid/2026-11-27/sms, SignedHeaders=content-type;host, "
    f"Signature={SPEC_SIGNATURE}",
    "TC3-HMAC-SHA256 Credential=AKIDtestid/2026-11-27/sms/tc4_request, SignedHeaders=content-type;host, "
    f"Signature={SPEC_SIGNATURE}",
    "TC3-HMAC-SHA256 Credential=/2026-11-27/sms/tc3_request, SignedHeaders=content-type;host, "
    f"Signature={SPEC_SIGNATURE}",
    "TC3-HMAC-SHA256 Credential=AKIDtestid/2026-11-27/sms/tc3_request, SignedHeaders=content-type;;host, "
    f"Signature={SPEC_SIGNATURE}",
    "TC3-HMAC-SHA256 Credential=AKIDtestid/2026-11-27/sms/tc3_request, SignedHeaders=content-type;host, Signature=",
    "TC3-HMAC-SHA256 Credential=AKIDtestid/2026-11-27/sms/tc3_request, SignedHeaders=content-type;host, "
    "Signature=c443c938953f72229fb2c5687ddf1451c9c45d3678d0a5b7438066c2418d571é",
    "TC3-HMAC-SHA256 Credential=AKIDtestid/2026-11-27/sms/tc3_request, Credential=x/y/sms/tc3_request, "
    f"SignedHeaders=content-type;host, Signature={SPEC_SIGNATURE}",
    "TC3-HMAC-SHA256 Credential AKIDtestid/2026-11-27/sms/tc3_request, SignedHeaders=content-type;host, "
    f"Signature={SPEC_SIGNATURE}",
]


@pytest.mark.parametrize("authorization", GARBLED_AUTHORIZATIONS)
def test_garbled_authorization(authorization: str) -> None:
    request = spec_request()
    garbled = replace(request, headers={**request.headers, "authorization": authorization})
    expect_error("AuthFailure.InvalidAuthorization", lambda: identify(garbled))


def test_authorization_tolerates_spacing_and_extra_fields() -> None:
    request = spec_request()
    loose = (
        "TC3-HMAC-SHA256 Credential=AKIDtestid/2026-11-27/sms/tc3_request,SignedHeaders=content-type;host ,"
        f"  Signature={SPEC_SIGNATURE}, Timestamp=1795768557"
    )
    relaxed = replace(request, headers={**request.headers, "authorization": loose})
    verify(identify(relaxed), relaxed, SECRET_KEY, now=SPEC_TIMESTAMP)


def test_missing_authorization_on_json_and_get() -> None:
    request = spec_request()
    headers = {k: v for k, v in request.headers.items() if k != "authorization"}
    expect_error("AuthFailure.InvalidAuthorization", lambda: identify(replace(request, headers=headers)))
    get = RawRequest("GET", "Action=SendSms&Version=2021-01-11", headers, b"")
    expect_error("AuthFailure.InvalidAuthorization", lambda: identify(get))


# --------------------------------------------------------------------------------------------------------
# TC3 server rules beyond the SDK's defaults.
# --------------------------------------------------------------------------------------------------------


def tc3_request(
    *,
    body: bytes = b'{"SmsSdkAppId": "1400000001"}',
    timestamp: int = SPEC_TIMESTAMP,
    method: str = "POST",
    raw_query: str = "",
    **overrides: Any,
) -> RawRequest:
    options: dict[str, Any] = {
        "secret_id": SECRET_ID,
        "secret_key": SECRET_KEY,
        "host": "sms.tencentcloudapi.com",
        "action": "SendSms",
        "version": "2021-01-11",
        "region": "ap-guangzhou",
    } | overrides
    headers = sign_tc3(body=body, timestamp=timestamp, method=method, raw_query=raw_query, **options)
    return RawRequest(method, raw_query, headers_of(headers), body if method == "POST" else b"")


def test_extra_signed_headers_are_honoured() -> None:
    request = tc3_request(signed_headers=("content-type", "host", "x-tc-action"))
    assert "SignedHeaders=content-type;host;x-tc-action," in request.headers["authorization"]
    call = identify(request)
    verify(call, request, SECRET_KEY, now=SPEC_TIMESTAMP)
    renamed = replace(request, headers={**request.headers, "x-tc-action": "DeleteSmsSign"})
    expect_error(
        "AuthFailure.SignatureFailure",
        lambda: verify(identify(renamed), renamed, SECRET_KEY, now=SPEC_TIMESTAMP),
    )


@pytest.mark.parametrize("signed_headers", [("content-type",), ("host",), ("host", "x-tc-action")])
def test_content_type_and_host_must_be_signed(signed_headers: tuple[str, ...]) -> None:
    request = tc3_request(signed_headers=signed_headers)
    expect_error(
        "AuthFailure.SignatureFailure",
        lambda: verify(identify(request), request, SECRET_KEY, now=SPEC_TIMESTAMP),
    )


def test_credential_date_must_be_the_utc_date_of_the_timestamp() -> None:
    request = spec_request()
    shifted = request.headers["authorization"].replace("2026-11-27", "2026-11-28")
    wrong_day = replace(request, headers={**request.headers, "authorization": shifted})
    expect_error(
        "AuthFailure.SignatureFailure",
        lambda: verify(identify(wrong_day), wrong_day, SECRET_KEY, now=SPEC_TIMESTAMP),
    )


def test_day_boundary_uses_utc() -> None:
    midnight = 1795824000  # 2026-11-28T00:00:00Z
    assert utc_date(midnight - 1) == "2026-11-27"
    assert utc_date(midnight) == "2026-11-28"
    request = tc3_request(timestamp=midnight - 1)
    assert "/2026-11-27/" in request.headers["authorization"]
    verify(identify(request), request, SECRET_KEY, now=midnight + 200)


def test_service_must_be_sms() -> None:
    request = tc3_request(service="cvm")
    expect_error(
        "AuthFailure.SignatureFailure",
        lambda: verify(identify(request), request, SECRET_KEY, now=SPEC_TIMESTAMP),
    )


@pytest.mark.parametrize(
    "content_type", ["application/json; charset=utf-8", "Application/JSON", "application/json;charset=UTF-8"]
)
def test_json_content_type_variants(content_type: str) -> None:
    request = tc3_request(content_type=content_type)
    call = identify(request)
    assert call.json_body == request.body
    verify(call, request, SECRET_KEY, now=SPEC_TIMESTAMP)


def test_upper_case_header_values_verify_under_either_rule() -> None:
    documented = tc3_request(host="SMS.Example.COM:8443")  # our signer lower-cases (Tencent's rule)
    verify(identify(documented), documented, SECRET_KEY, now=SPEC_TIMESTAMP)


def test_tc3_form_post_carries_params_in_the_body() -> None:
    body = encode_params({"PhoneNumberSet": ["+8613711112222"], "SmsSdkAppId": "1400000001"}).encode()
    request = tc3_request(body=body, content_type="application/x-www-form-urlencoded")
    call = identify(request)
    assert call.json_body is None
    assert call.params == {"PhoneNumberSet": ["+8613711112222"], "SmsSdkAppId": "1400000001"}
    verify(call, request, SECRET_KEY, now=SPEC_TIMESTAMP)


@pytest.mark.parametrize("content_type", [None, "text/plain", "multipart/form-data; boundary=x"])
def test_tc3_post_needs_a_json_or_form_body(content_type: str | None) -> None:
    request = tc3_request()
    headers = {k: v for k, v in request.headers.items() if k != "content-type"}
    if content_type is not None:
        headers["content-type"] = content_type
    expect_error("InvalidParameter", lambda: identify(replace(request, headers=headers)))


@pytest.mark.parametrize(
    ("header", "value", "code", "needle"),
    [
        ("x-tc-action", None, "MissingParameter", "X-TC-Action"),
        ("x-tc-action", "", "MissingParameter", "X-TC-Action"),
        ("x-tc-version", None, "MissingParameter", "X-TC-Version"),
        ("x-tc-timestamp", None, "MissingParameter", "X-TC-Timestamp"),
        ("x-tc-timestamp", "soon", "InvalidParameter", "X-TC-Timestamp"),
        ("x-tc-timestamp", "-1795768557", "InvalidParameter", "X-TC-Timestamp"),
        ("x-tc-timestamp", "1795768557.5", "InvalidParameter", "X-TC-Timestamp"),
        ("x-tc-timestamp", "١٧٩٥٧٦٨٥٥٧", "InvalidParameter", "X-TC-Timestamp"),
        ("x-tc-timestamp", "9" * 40, "InvalidParameter", "X-TC-Timestamp"),
    ],
)
def test_tc3_common_header_errors(header: str, value: str | None, code: str, needle: str) -> None:
    request = spec_request()
    headers = {k: v for k, v in request.headers.items() if k != header}
    if value is not None:
        headers[header] = value
    error = expect_error(code, lambda: identify(replace(request, headers=headers)))
    assert needle in error.message


def test_optional_tc3_headers_may_be_empty() -> None:
    request = tc3_request(region=None, language=None)
    call = identify(request)
    assert (call.region, call.language, call.token) == (None, None, None)
    verify(call, request, SECRET_KEY, now=SPEC_TIMESTAMP)


@pytest.mark.parametrize("method", ["PUT", "DELETE", "post", ""])
def test_other_methods_are_refused(method: str) -> None:
    expect_error("UnsupportedProtocol", lambda: identify(replace(spec_request(), method=method)))


def test_timestamp_text_is_signed_verbatim() -> None:
    request = tc3_request()
    padded = replace(request, headers={**request.headers, "x-tc-timestamp": "0" + str(SPEC_TIMESTAMP)})
    call = identify(padded)
    assert call.timestamp == SPEC_TIMESTAMP
    expect_error("AuthFailure.SignatureFailure", lambda: verify(call, padded, SECRET_KEY, now=SPEC_TIMESTAMP))


# --------------------------------------------------------------------------------------------------------
# Legacy v1 details.
# --------------------------------------------------------------------------------------------------------

V1_PARAMS = {"PhoneNumberSet": ["+8613711112222"], "SmsSdkAppId": "1400000001", "SignName": "腾讯云"}


def v1_request(*, method: str = "POST", **overrides: Any) -> RawRequest:
    options: dict[str, Any] = {
        "secret_id": SECRET_ID,
        "secret_key": SECRET_KEY,
        "host": "127.0.0.1:18080",
        "action": "SendSms",
        "version": "2021-01-11",
        "params": V1_PARAMS,
        "timestamp": SPEC_TIMESTAMP,
        "nonce": 6273573158955650009,
        "region": "ap-guangzhou",
    } | overrides
    encoded = sign_v1(method=method, **options)
    headers = {"host": options["host"], "content-type": "application/x-www-form-urlencoded"}
    if method == "GET":
        return RawRequest("GET", encoded, headers, b"")
    return RawRequest("POST", "", headers, encoded.encode())


def with_field(request: RawRequest, name: str, value: str | None) -> RawRequest:
    text = request.raw_query if request.method == "GET" else request.body.decode()
    pairs = [pair.split("=", 1) for pair in text.split("&")]
    fields = [(k, v) for k, v in pairs if k != name]
    if value is not None:
        fields.append((name, value))
    encoded = "&".join(f"{k}={v}" for k, v in fields)
    if request.method == "GET":
        return replace(request, raw_query=encoded)
    return replace(request, body=encoded.encode())


def test_v1_string_to_sign_matches_spec_shape() -> None:
    text = v1_string_to_sign(
        "POST",
        "127.0.0.1:18080",
        [
            ("Version", "2021-01-11"),
            ("PhoneNumberSet.0", "+8613711112222"),
            ("Action", "SendSms"),
            ("A_b", "x y"),
        ],
    )
    assert text == "POST127.0.0.1:18080/?A.b=x y&Action=SendSms&PhoneNumberSet.0=+8613711112222&Version=2021-01-11"


def test_v1_request_identifies_and_verifies() -> None:
    request = v1_request()
    call = identify(request)
    assert call.scheme is SignatureScheme.HMAC_SHA256
    assert (call.secret_id, call.action, call.version, call.timestamp) == (
        SECRET_ID,
        "SendSms",
        "2021-01-11",
        SPEC_TIMESTAMP,
    )
    assert call.params == V1_PARAMS
    verify(call, request, SECRET_KEY, now=SPEC_TIMESTAMP)
    expect_error("AuthFailure.SignatureExpire", lambda: verify(call, request, SECRET_KEY, now=SPEC_TIMESTAMP + 301))


def test_v1_signature_method_defaults_to_hmacsha1() -> None:
    signed = v1_request(signature_method="HmacSHA1")
    bare = with_field(signed, "SignatureMethod", None)
    call = identify(bare)
    assert call.scheme is SignatureScheme.HMAC_SHA1
    # SignatureMethod was part of what the client signed, so dropping it breaks the signature...
    expect_error("AuthFailure.SignatureFailure", lambda: verify(call, bare, SECRET_KEY, now=SPEC_TIMESTAMP))
    # ...but a client that never sent it and signed with HmacSHA1 verifies.
    text = v1_string_to_sign("POST", "127.0.0.1:18080", [(k, v) for k, v in _v1_pairs(bare) if k != "Signature"])
    resigned = with_field(bare, "Signature", quote_plus(signing.v1_signature(SECRET_KEY, text, "HmacSHA1")))
    verify(identify(resigned), resigned, SECRET_KEY, now=SPEC_TIMESTAMP)


def _v1_pairs(request: RawRequest) -> list[tuple[str, str]]:
    return parse_qsl(request.body.decode(), keep_blank_values=True)


@pytest.mark.parametrize("method", ["HmacMD5", "hmacsha256", "TC3-HMAC-SHA256"])
def test_v1_unsupported_signature_method(method: str) -> None:
    request = with_field(v1_request(), "SignatureMethod", method)
    error = expect_error("AuthFailure.SignatureFailure", lambda: identify(request))
    assert "SignatureMethod" in error.message


@pytest.mark.parametrize(
    ("name", "value", "code"),
    [
        ("Action", None, "MissingParameter"),
        ("Action", "", "MissingParameter"),
        ("Version", None, "MissingParameter"),
        ("SecretId", None, "MissingParameter"),
        ("Nonce", None, "MissingParameter"),
        ("Signature", None, "MissingParameter"),
        ("Timestamp", None, "MissingParameter"),
        ("Timestamp", "yesterday", "InvalidParameter"),
    ],
)
def test_v1_common_parameter_errors(name: str, value: str | None, code: str) -> None:
    error = expect_error(code, lambda: identify(with_field(v1_request(), name, value)))
    assert f"`{name}`" in error.message


def test_v1_duplicate_parameter() -> None:
    request = v1_request()
    doubled = replace(request, body=request.body + b"&Action=DeleteSmsSign")
    expect_error("InvalidParameter", lambda: identify(doubled))


def test_v1_region_language_token() -> None:
    call = identify(v1_request(token="tok", language="en-US", region=None))
    assert (call.region, call.language, call.token) == (None, "en-US", "tok")
    assert call.params == V1_PARAMS


def test_v1_get_needs_signature_in_the_query() -> None:
    request = v1_request(method="GET")
    call = identify(request)
    assert call.scheme is SignatureScheme.HMAC_SHA256
    verify(call, request, SECRET_KEY, now=SPEC_TIMESTAMP)
    without = with_field(request, "Signature", None)
    expect_error("AuthFailure.InvalidAuthorization", lambda: identify(without))


def test_v1_wrong_method_or_host_fails() -> None:
    request = v1_request()
    call = identify(request)
    moved = replace(request, headers={**request.headers, "host": "127.0.0.1:18081"})
    expect_error("AuthFailure.SignatureFailure", lambda: verify(call, moved, SECRET_KEY, now=SPEC_TIMESTAMP))
    hostless = replace(request, headers={k: v for k, v in request.headers.items() if k != "host"})
    expect_error("AuthFailure.SignatureFailure", lambda: verify(call, hostless, SECRET_KEY, now=SPEC_TIMESTAMP))
    as_get = replace(request, method="GET", raw_query=request.body.decode(), body=b"")
    expect_error("AuthFailure.SignatureFailure", lambda: verify(call, as_get, SECRET_KEY, now=SPEC_TIMESTAMP))


def test_v1_non_utf8_body() -> None:
    request = v1_request()
    expect_error("InvalidParameter", lambda: identify(replace(request, body=request.body + b"&X=\xff")))
    expect_error("InvalidParameter", lambda: identify(replace(request, body=request.body + b"&X=%FF")))


# --------------------------------------------------------------------------------------------------------
# Unflattening.
# --------------------------------------------------------------------------------------------------------


def test_unflatten_lists_and_scalars() -> None:
    pairs = [
        ("PhoneNumberSet.0", "+8613711112222"),
        ("PhoneNumberSet.1", "+8613711113333"),
        ("TemplateId", "449739"),
        ("Limit", "10"),
        ("International", "0"),
    ]
    assert unflatten_params(pairs) == {
        "PhoneNumberSet": ["+8613711112222", "+8613711113333"],
        "TemplateId": "449739",
        "Limit": "10",
        "International": "0",
    }


def test_unflatten_orders_list_items_by_index() -> None:
    pairs = [("A.2", "c"), ("A.0", "a"), ("A.10", "k"), ("A.1", "b")] + [(f"A.{i}", str(i)) for i in range(3, 10)]
    assert unflatten_params(pairs) == {"A": ["a", "b", "c", "3", "4", "5", "6", "7", "8", "9", "k"]}


def test_unflatten_nested_list_of_objects() -> None:
    pairs = [
        ("SmsSdkAppId", "1400000001"),
        ("MultiSmsInfoSet.0.PhoneNumber", "+14155550100"),
        ("MultiSmsInfoSet.0.TemplateParamSet.0", "1234"),
        ("MultiSmsInfoSet.0.TemplateParamSet.1", "5"),
        ("MultiSmsInfoSet.1.PhoneNumber", "+447700900123"),
        ("MultiSmsInfoSet.1.TemplateId", "449739"),
        ("Filter.Name", "x"),
    ]
    assert unflatten_params(pairs) == {
        "SmsSdkAppId": "1400000001",
        "MultiSmsInfoSet": [
            {"PhoneNumber": "+14155550100", "TemplateParamSet": ["1234", "5"]},
            {"PhoneNumber": "+447700900123", "TemplateId": "449739"},
        ],
        "Filter": {"Name": "x"},
    }


def test_unflatten_empty_values_and_no_values() -> None:
    assert unflatten_params([("ExtendCode", ""), ("SessionContext", ""), ("TemplateParamSet.0", "")]) == {
        "ExtendCode": "",
        "SessionContext": "",
        "TemplateParamSet": [""],
    }
    assert unflatten_params([]) == {}


def test_unflatten_keeps_digit_and_word_keys_as_an_object() -> None:
    assert unflatten_params([("A.0", "x"), ("A.b", "y")]) == {"A": {"0": "x", "b": "y"}}


@pytest.mark.parametrize(
    "pairs",
    [
        [("A", "1"), ("A", "2")],
        [("A", "1"), ("A.0", "2")],
        [("A.0", "2"), ("A", "1")],
        [("A.0", "x"), ("A.2", "y")],
        [("A.1", "x")],
        [("A.00", "x")],
        [("A.0", "x"), ("A.01", "y")],
        [("A..B", "x")],
        [(".A", "x")],
        [("A.", "x")],
        [("", "x")],
        [(".".join("a" * 9), "x")],
    ],
)
def test_unflatten_rejects_malformed_input(pairs: list[tuple[str, str]]) -> None:
    expect_error("InvalidParameter", lambda: unflatten_params(pairs))


def test_get_query_is_percent_decoded() -> None:
    query = (
        "PhoneNumberSet.0=%2B8613711112222&PhoneNumberSet.1=+8613711113333&SignName=%E8%85%BE%E8%AE%AF%E4%BA%91"
        "&TemplateParamSet.0=a%26b%3Dc&TemplateParamSet.1=x+y&ExtendCode=&Flag"
    )
    request = tc3_request(method="GET", raw_query=query)
    call = identify(request)
    assert call.params == {
        "PhoneNumberSet": ["+8613711112222", " 8613711113333"],  # an unencoded '+' is a space, as in forms
        "SignName": "腾讯云",
        "TemplateParamSet": ["a&b=c", "x y"],
        "ExtendCode": "",
        "Flag": "",
    }
    verify(call, request, SECRET_KEY, now=SPEC_TIMESTAMP)


@pytest.mark.parametrize("query", ["SignName=%E8%85", "A.1=x", "A=1&A=2"])
def test_bad_get_query(query: str) -> None:
    expect_error("InvalidParameter", lambda: identify(tc3_request(method="GET", raw_query=query)))


_query_text = st.lists(
    st.sampled_from(["%", "+", "=", "&", "2B", "E8", "85", "BE", "%E8%85%BE", "%2b", "%zz", "a", "é", "腾", "%00"])
    | st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=3),
    max_size=20,
).map("".join)


@given(_query_text)
def test_query_parsing_agrees_with_parse_qsl(text: str) -> None:
    try:
        expected: list[tuple[str, str]] | None = parse_qsl(text, keep_blank_values=True, errors="strict")
    except UnicodeDecodeError:
        expected = None
    if expected is None:
        expect_error("InvalidParameter", lambda: auth._parse_pairs(text, "query string"))
    else:
        assert auth._parse_pairs(text, "query string") == expected


def test_flatten_matches_the_sdk_conventions() -> None:
    assert flatten_params({"A": [1, True, None], "B": {"C": [{"D": 1.5}]}, "E": [], "F": None, "G": ""}) == {
        "A.0": "1",
        "A.1": "True",
        "B.C.0.D": "1.5",
        "G": "",
    }


_names = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=8)
_trees = st.recursive(
    st.text(max_size=6),
    lambda children: (
        st.lists(children, min_size=1, max_size=4) | st.dictionaries(_names, children, min_size=1, max_size=4)
    ),
    max_leaves=20,
)


@given(st.dictionaries(_names, _trees, max_size=5))
def test_flatten_then_unflatten_round_trips(params: dict[str, Any]) -> None:
    assert unflatten_params(flatten_params(params).items()) == params


@given(st.dictionaries(_names, _trees, max_size=5))
def test_get_round_trip_through_the_query_string(params: dict[str, Any]) -> None:
    request = tc3_request(method="GET", raw_query=encode_params(params))
    call = identify(request)
    assert call.params == params
    verify(call, request, SECRET_KEY, now=SPEC_TIMESTAMP)


# --------------------------------------------------------------------------------------------------------
# Garbage in, ApiError out.
# --------------------------------------------------------------------------------------------------------

_HEADER_NAMES = [
    "authorization",
    "host",
    "content-type",
    "x-tc-action",
    "x-tc-version",
    "x-tc-timestamp",
    "x-tc-region",
    "x-tc-language",
    "x-tc-token",
    "x-tc-content-sha256",
]
_fragments = st.sampled_from(
    [
        "TC3-HMAC-SHA256 ",
        "Credential=",
        "AKIDtestid/",
        "2026-11-27/",
        "sms/",
        "tc3_request",
        ", ",
        ",",
        "SignedHeaders=",
        "content-type;host",
        ";",
        "Signature=",
        SPEC_SIGNATURE,
        "=",
        "/",
        " ",
        "é",
        "\x00",
        "\ud800",
    ]
)
_authorizations = st.lists(_fragments, max_size=14).map("".join) | st.text(max_size=40)
_header_values = st.text(max_size=30) | st.sampled_from(
    [
        "application/json",
        "application/x-www-form-urlencoded",
        "UNSIGNED-PAYLOAD",
        str(SPEC_TIMESTAMP),
        "SendSms",
        "127.0.0.1:18080",
    ]
)
_queries = st.text(max_size=60) | st.lists(
    st.tuples(
        st.sampled_from(
            [
                "Action",
                "Version",
                "Timestamp",
                "Nonce",
                "SecretId",
                "Signature",
                "SignatureMethod",
                "A.0",
                "A.1.B",
                "A",
            ]
        )
        | st.text(max_size=6),
        st.text(max_size=10) | st.just(str(SPEC_TIMESTAMP)) | st.sampled_from(["HmacSHA1", "HmacSHA256", "%FF", "%"]),
    ),
    max_size=10,
).map(lambda pairs: "&".join(f"{k}={v}" for k, v in pairs))


@st.composite
def garbage_requests(draw: st.DrawFn) -> RawRequest:
    headers = draw(st.dictionaries(st.sampled_from(_HEADER_NAMES) | st.text(max_size=8), _header_values, max_size=10))
    if draw(st.booleans()):
        headers["authorization"] = draw(_authorizations)
    if draw(st.booleans()):
        headers["x-tc-timestamp"] = str(SPEC_TIMESTAMP + draw(st.integers(-400, 400)))
    method = draw(st.sampled_from(["GET", "POST", "POST", "PUT"]) | st.text(max_size=5))
    query = draw(_queries)
    body = draw(st.binary(max_size=80) | _queries.map(lambda q: q.encode("utf-8", "surrogatepass")))
    return RawRequest(method, query, headers, body)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(garbage_requests(), st.text(max_size=12), st.integers(SPEC_TIMESTAMP - 400, SPEC_TIMESTAMP + 400))
def test_garbage_only_raises_api_error(request: RawRequest, secret_key: str, now: int) -> None:
    try:
        call = identify(request)
    except ApiError:
        return
    with contextlib.suppress(ApiError):
        verify(call, request, secret_key, now=now)


@settings(max_examples=300)
@given(st.data())
def test_mutated_valid_requests_only_raise_api_error(data: st.DataObject) -> None:
    base = data.draw(
        st.sampled_from(
            [
                spec_request(),
                tc3_request(method="GET", raw_query="A.0=1"),
                v1_request(),
                v1_request(method="GET"),
            ]
        )
    )
    headers = dict(base.headers)
    for name in data.draw(st.lists(st.sampled_from([*_HEADER_NAMES, "x"]), max_size=3)):
        if data.draw(st.booleans()):
            headers.pop(name, None)
        else:
            headers[name] = data.draw(_header_values | _authorizations)
    body = base.body
    if body and data.draw(st.booleans()):
        cut = data.draw(st.integers(0, len(body)))
        body = body[:cut] + data.draw(st.binary(max_size=4)) + body[cut + 1 :]
    mutated = RawRequest(base.method, base.raw_query, headers, body)
    with contextlib.suppress(ApiError):
        verify(identify(mutated), mutated, SECRET_KEY, now=SPEC_TIMESTAMP)


def test_public_api_is_sorted_and_complete() -> None:
    for module in (auth, signing):
        assert module.__all__ == sorted(module.__all__)
        for name in module.__all__:
            assert hasattr(module, name), name
