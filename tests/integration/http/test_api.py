"""The front door: envelope, action and version routing, authentication, request decoding, and
unexpected failures answered as `InternalError`."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from smscloud.adapters.http.tencent_v3.app import MAX_BODY_BYTES, MAX_FORM_BODY_BYTES, TencentAsgi
from smscloud.adapters.http.tencent_v3.auth import RawRequest
from smscloud.adapters.http.tencent_v3.signing import sign_tc3
from tests.integration.http.conftest import HOST, V2019, V2021, Client, check_envelope

pytestmark = pytest.mark.integration

PULL = {"Limit": 10}


def pull_params(api: Client) -> dict[str, Any]:
    return {"Limit": 10, "SmsSdkAppId": api.acme.app.sdk_app_id}


def error_code(response: dict[str, Any]) -> str | None:
    error = response.get("Error")
    return None if error is None else str(error["Code"])


# --- routing ------------------------------------------------------------------------------------------


async def test_a_good_call_answers_in_the_envelope_without_error(api: Client) -> None:
    response = await api.call("PullSmsSendStatus", pull_params(api))
    assert set(response) == {"PullSmsSendStatusSet", "RequestId"}
    assert response["PullSmsSendStatusSet"] == []


async def test_every_call_gets_its_own_request_id(api: Client) -> None:
    ids = {(await api.call("PullSmsSendStatus", pull_params(api)))["RequestId"] for _ in range(3)}
    ids.add((await api.call("NoSuchThing", {}))["RequestId"])
    assert len(ids) == 4


async def test_unknown_action_is_invalid_action(api: Client) -> None:
    assert error_code(await api.call("SendSmsPlease", {})) == "InvalidAction"


async def test_an_action_of_2021_only_is_invalid_in_2019(api: Client) -> None:
    assert error_code(await api.call("SendMultiGlobalSms", {}, version=V2019)) == "InvalidAction"
    assert error_code(await api.call("SendMultiGlobalSms", {}, version=V2021)) == "UnsupportedOperation"


@pytest.mark.parametrize("version", ["2020-01-01", "2021-01-12", "v3", "latest"])
async def test_unknown_version_is_no_such_version(api: Client, version: str) -> None:
    assert error_code(await api.call("SendSms", {}, version=version)) == "NoSuchVersion"


@pytest.mark.parametrize("action", ["SendStatusStatistics", "SmsPackagesStatistics", "CallbackStatusStatistics"])
@pytest.mark.parametrize("version", [V2021, V2019])
async def test_known_but_unbuilt_action_is_unsupported_operation(api: Client, action: str, version: str) -> None:
    assert error_code(await api.call(action, {}, version=version)) == "UnsupportedOperation"


# --- authentication ----------------------------------------------------------------------------------


async def test_unknown_secret_id_is_not_found(api: Client) -> None:
    response = await api.call("SendSms", {}, secret_id="AKIDdoesnotexist", secret_key="whatever")
    assert error_code(response) == "AuthFailure.SecretIdNotFound"


async def test_a_disabled_key_is_not_found(api: Client) -> None:
    await api.build.disable_key(api.acme.key.id)
    api.stores.catalog.invalidate()
    response = await api.call("PullSmsSendStatus", pull_params(api))
    assert error_code(response) == "AuthFailure.SecretIdNotFound"


async def test_auth_is_checked_before_the_action(api: Client) -> None:
    response = await api.call("NoSuchAction", {}, secret_id="AKIDdoesnotexist", secret_key="x")
    assert error_code(response) == "AuthFailure.SecretIdNotFound"
    response = await api.call("NoSuchAction", {}, secret_key="wrong-key")
    assert error_code(response) == "AuthFailure.SignatureFailure"


async def test_a_wrong_secret_key_is_a_signature_failure(api: Client) -> None:
    response = await api.call("SendSms", {}, secret_key="not-the-key")
    assert error_code(response) == "AuthFailure.SignatureFailure"


async def test_a_body_changed_after_signing_is_a_signature_failure(api: Client) -> None:
    body = json.dumps(pull_params(api)).encode()
    headers = sign_tc3(
        secret_id=api.acme.key.secret_id,
        secret_key=api.acme.key.secret_key,
        host=HOST,
        action="PullSmsSendStatus",
        version=V2021,
        body=body,
        timestamp=api.now(),
    )
    tampered = body.replace(b"10", b"99")
    request = RawRequest("POST", "", {k.lower(): v for k, v in headers.items()}, tampered)
    assert error_code(await api.send(request, V2021)) == "AuthFailure.SignatureFailure"


@pytest.mark.parametrize("skew", [-301, 301, -3600])
async def test_a_timestamp_more_than_5_minutes_off_is_expired(api: Client, skew: int) -> None:
    response = await api.call("PullSmsSendStatus", pull_params(api), timestamp=api.now() + skew)
    assert error_code(response) == "AuthFailure.SignatureExpire"


@pytest.mark.parametrize("skew", [-300, 300])
async def test_a_timestamp_up_to_5_minutes_off_is_fine(api: Client, skew: int) -> None:
    response = await api.call("PullSmsSendStatus", pull_params(api), timestamp=api.now() + skew)
    assert error_code(response) is None


async def test_an_unsigned_request_is_invalid_authorization(api: Client) -> None:
    headers = {
        "content-type": "application/json",
        "host": HOST,
        "x-tc-action": "SendSms",
        "x-tc-version": V2021,
    }
    response = await api.send(RawRequest("POST", "", headers, b"{}"), V2021)
    assert error_code(response) == "AuthFailure.InvalidAuthorization"


@pytest.mark.parametrize("method", ["HmacSHA256", "HmacSHA1"])
async def test_legacy_v1_signed_calls_work(api: Client, method: str) -> None:
    response = await api.call_v1(
        "SendSms",
        {
            "PhoneNumberSet": ["+8613711112222"],
            "SmsSdkAppId": api.acme.app.sdk_app_id,
            "TemplateId": api.acme.template.id,
            "SignName": api.acme.signature.name,
            "TemplateParamSet": ["A1"],
        },
        signature_method=method,
    )
    [status] = response["SendStatusSet"]
    assert status["Code"] == "Ok"


@pytest.mark.parametrize(("language", "chinese"), [("en-US", False), ("zh-CN", True), ("", True)])
async def test_a_v1_form_that_cannot_be_read_is_refused_in_its_own_language(
    api: Client, language: str, chinese: bool
) -> None:
    form = f"Action=SendSms&Version={V2021}&SecretId=AKIDx&Timestamp={api.now()}&Signature=x&Language={language}"
    headers = {"content-type": "application/x-www-form-urlencoded", "host": HOST}
    response = await api.send(RawRequest("POST", "", headers, form.encode()), V2021)
    assert error_code(response) == "MissingParameter"
    assert "Nonce" in response["Error"]["Message"]
    assert ("缺少参数" in response["Error"]["Message"]) is chinese


async def test_tc3_get_requests_work(api: Client) -> None:
    response = await api.call("PullSmsSendStatus", pull_params(api), method="GET")
    assert response["PullSmsSendStatusSet"] == []


# --- decoding -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        b"{",
        b"{'a': 1}",
        b"\xff\xfe",
        b'{"Limit": 10,}',
        b'{"Limit": 10, "SmsSdkAppId": "\xff\xfe"}',  # a string that is not UTF-8
        b'{"Limit": 10, "X": ' + b"[" * 1000 + b"]" * 1000 + b"}",  # deeper than the decoder goes
        b'{"a": ' * 1000 + b"1" + b"}" * 1000,
    ],
    ids=["truncated", "quotes", "bom", "trailing comma", "not utf-8", "deep list", "deep object"],
)
async def test_malformed_json_is_json_parse_fail(api: Client, body: bytes) -> None:
    assert error_code(await api.call("PullSmsSendStatus", body)) == "FailedOperation.JsonParseFail"
    assert error_code(await api.call("SendSms", body)) == "FailedOperation.JsonParseFail"


@pytest.mark.parametrize("method", ["POST", "GET"])
async def test_missing_phone_number_set_is_an_empty_one(api: Client, method: str) -> None:
    # On a GET an empty list is an absent name: both answer the specific code.
    response = await api.send_sms(PhoneNumberSet=None, method=method)
    assert error_code(response) == "MissingParameter.EmptyPhoneNumberSet"
    assert "PhoneNumberSet" in response["Error"]["Message"]


async def test_an_empty_body_misses_the_required_parameters(api: Client) -> None:
    assert error_code(await api.call("SendSms", b"")) == "MissingParameter"


@pytest.mark.parametrize(
    "fields",
    [
        {"PhoneNumberSet": "+8613711112222"},
        {"PhoneNumberSet": [13711112222]},
        {"TemplateParamSet": "A1"},
        {"SessionContext": 5},
        {"TemplateId": 1.5},
        {"SmsSdkAppId": ["1400000000"]},
    ],
)
async def test_a_wrongly_typed_parameter_is_invalid_parameter(api: Client, fields: dict[str, Any]) -> None:
    assert error_code(await api.send_sms(**fields)) == "InvalidParameter"
    assert (
        await api.stores.queue.claim(carrier_id=api.acme.carrier.id, slot="s", limit=10, now=api.stores.clock.now())
        == []
    )


@pytest.mark.parametrize("body", [b"[]", b"null", b'"SendSms"', b"42"])
async def test_a_body_that_is_not_an_object_is_invalid_parameter(api: Client, body: bytes) -> None:
    assert error_code(await api.call("SendSms", body)) == "InvalidParameter"


async def test_limit_given_as_a_string_is_accepted_like_tencent(api: Client) -> None:
    response = await api.call("PullSmsSendStatus", {"Limit": "10", "SmsSdkAppId": api.acme.app.sdk_app_id})
    assert error_code(response) is None


# --- unexpected failures ------------------------------------------------------------------------------


async def test_a_failing_store_is_an_internal_error_envelope(api: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    async def broken(messages: Any) -> None:
        raise RuntimeError("disk on fire: /var/lib/secret/path")

    monkeypatch.setattr(api.stores.messages, "add", broken)
    response = await api.send_sms()
    assert error_code(response) == "InternalError"
    assert "disk on fire" not in response["Error"]["Message"]
    assert "secret" not in response["Error"]["Message"]
    assert api.signal.woken == []


async def test_a_failing_credentials_lookup_is_an_internal_error(api: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    async def broken(secret_id: str) -> None:
        raise ConnectionError("database gone")

    monkeypatch.setattr(api.stores.catalog, "api_key", broken)
    assert error_code(await api.call("PullSmsSendStatus", pull_params(api))) == "InternalError"


async def test_a_failing_report_store_is_an_internal_error(api: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    async def broken(**kwargs: Any) -> None:
        raise ValueError("boom")

    monkeypatch.setattr(api.stores.reports, "pull", broken)
    assert error_code(await api.call("PullSmsSendStatus", pull_params(api))) == "InternalError"


# --- over HTTP, through the ASGI application ---------------------------------------------------------


async def test_every_answer_is_http_200_with_exactly_application_json(api: Client) -> None:
    app = TencentAsgi(api.api, Starlette())
    body = json.dumps(pull_params(api)).encode()
    good = sign_tc3(
        secret_id=api.acme.key.secret_id,
        secret_key=api.acme.key.secret_key,
        host=HOST,
        action="PullSmsSendStatus",
        version=V2021,
        body=body,
        timestamp=api.now(),
    )
    bad = {**good, "Authorization": good["Authorization"][:-4] + "0000"}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=f"http://{HOST}") as client:
        for headers in (good, bad):
            answer = await client.post("/", content=body, headers=headers)
            assert answer.status_code == 200
            assert answer.headers["content-type"] == "application/json"
            check_envelope(answer.content, V2021)
        unsigned = await client.get("/")
        assert unsigned.status_code == 200
        assert check_envelope(unsigned.content, V2021)["Error"]["Code"] == "AuthFailure.InvalidAuthorization"
        # A JSON (TC3) body may be up to 10 MB, a form post (HmacSHA1/HmacSHA256) up to 1 MB.
        too_large = await client.post("/", content=b"{" + b" " * MAX_BODY_BYTES + b"}", headers=good)
        assert too_large.status_code == 200
        error = check_envelope(too_large.content, V2021)["Error"]
        assert (error["Code"], error["Message"]) == (
            "InvalidParameter",
            "参数错误。（The request body is larger than 10 MB.）",
        )
        large = await client.post("/", content=b"{" + b" " * MAX_FORM_BODY_BYTES + b"}", headers=good)
        assert check_envelope(large.content, V2021)["Error"]["Code"] == "AuthFailure.SignatureFailure"  # read
        form = {**good, "Content-Type": "application/x-www-form-urlencoded"}
        too_large = await client.post("/", content=b"Action=SendSms&" + b"x" * MAX_FORM_BODY_BYTES, headers=form)
        error = check_envelope(too_large.content, V2021)["Error"]
        assert (error["Code"], error["Message"]) == (
            "InvalidParameter",
            "参数错误。（The request body is larger than 1 MB.）",
        )
        elsewhere = await client.get("/no-such-page")
        assert elsewhere.status_code == 404
        # Tencent's GET requests are at most 32 KB.
        long_query = await client.get("/?" + "a" * (32 * 1024 + 1), headers=good)
        error = check_envelope(long_query.content, V2021)["Error"]
        assert (error["Code"], error["Message"]) == (
            "InvalidParameter",
            "参数错误。（The query string is larger than 32 KB.）",
        )


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH", "OPTIONS"])
async def test_other_methods_on_the_api_path_get_the_envelope(api: Client, method: str) -> None:
    app = TencentAsgi(api.api, Starlette())
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=f"http://{HOST}") as client:
        answer = await client.request(method, "/", content=b"{}")
        assert (answer.status_code, answer.headers["content-type"]) == (200, "application/json")
        assert check_envelope(answer.content, V2021)["Error"]["Code"] == "UnsupportedProtocol"
        head = await client.head("/")
        assert (head.status_code, head.headers["content-type"], head.content) == (200, "application/json", b"")


async def test_a_browser_opening_the_address_is_sent_to_the_console(api: Client) -> None:
    app = TencentAsgi(api.api, Starlette())
    html = {"accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=f"http://{HOST}") as client:
        opened = await client.get("/", headers=html)
        assert (opened.status_code, opened.headers["location"]) == (303, "/console")
        # Anything an SDK or a probe sends still gets the API's envelope.
        for headers, query in (({}, ""), (html | {"authorization": "TC3-HMAC-SHA256 x"}, ""), (html, "?Action=x")):
            answer = await client.get("/" + query, headers=headers)
            assert (answer.status_code, answer.headers["content-type"]) == (200, "application/json")


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en-US", "The action `NoSuchThing` does not exist in version 2021-01-11."),
        ("zh-CN", "接口不存在。（The action `NoSuchThing` does not exist in version 2021-01-11.）"),
        (None, "接口不存在。（The action `NoSuchThing` does not exist in version 2021-01-11.）"),  # Tencent's default
    ],
)
async def test_x_tc_language_chooses_the_message_language(api: Client, language: str | None, message: str) -> None:
    response = await api.call("NoSuchThing", {}, language=language)
    assert (response["Error"]["Code"], response["Error"]["Message"]) == ("InvalidAction", message)


async def test_a_refused_number_is_told_in_the_callers_language(api: Client) -> None:
    english = await api.call("SendSms", _send_params(api, ["12"]), language="en-US")
    chinese = await api.call("SendSms", _send_params(api, ["12"]), language="zh-CN")
    [en], [zh] = english["SendStatusSet"], chinese["SendStatusSet"]
    assert en["Message"] == "The phone number is not in E.164 format (+[country code][number])."
    assert zh["Message"] == "手机号格式错误。（The phone number is not in E.164 format (+[country code][number]).）"
    assert en["Code"] == zh["Code"] == "InvalidParameterValue.IncorrectPhoneNumber"


def _send_params(api: Client, phones: list[str]) -> dict[str, Any]:
    return {
        "PhoneNumberSet": phones,
        "SmsSdkAppId": api.acme.app.sdk_app_id,
        "TemplateId": str(api.acme.template.id),
        "SignName": api.acme.signature.name,
        "TemplateParamSet": ["A1"],
    }
