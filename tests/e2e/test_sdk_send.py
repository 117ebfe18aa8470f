"""The official Tencent Cloud SDK against a running smscloud: send, receipts, pulls, errors."""

from __future__ import annotations

import asyncio
import json
import subprocess
import time
from typing import Any

import pytest
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.sms.v20190711 import models as models_2019
from tencentcloud.sms.v20210111 import models

from smscloud.bootstrap import open_platform
from smscloud.config import load_settings
from smscloud.domain.templates.model import SmsType
from tests.support.builders import Builder, make_stores
from tests.support.sdk import client
from tests.support.server import SMSCLOUD, ServerProcess

pytestmark = pytest.mark.e2e

DELIVERED, UNDELIVERABLE, REJECTED, EXPIRED, NO_RECEIPT, THROTTLED, REFUSED = (f"+861380000000{n}" for n in range(1, 8))


def send(sms: Any, demo: dict[str, Any], numbers: list[str], params: list[str], template: str = "verification") -> Any:
    request = models.SendSmsRequest()
    request.SmsSdkAppId = demo["sdk_app_id"]
    request.SignName = demo["sign_name"]
    request.TemplateId = demo["templates"][template]
    request.TemplateParamSet = params
    request.PhoneNumberSet = numbers
    request.SessionContext = "ctx-e2e"
    return sms.SendSms(request)


def pull_until(sms: Any, sdk_app_id: str, expected: int, timeout: float = 30) -> list[Any]:
    reports: list[Any] = []
    deadline = time.monotonic() + timeout
    while len(reports) < expected and time.monotonic() < deadline:
        request = models.PullSmsSendStatusRequest()
        request.SmsSdkAppId = sdk_app_id
        request.Limit = 100
        batch = sms.PullSmsSendStatus(request).PullSmsSendStatusSet
        reports.extend(batch)
        if not batch:
            time.sleep(0.2)
    return reports


def test_send_to_every_test_number_and_pull_each_report_once(server: ServerProcess) -> None:
    demo = server.demo()
    sms = client(server.endpoint, demo["secret_id"], demo["secret_key"])
    numbers = [DELIVERED, UNDELIVERABLE, REJECTED, EXPIRED, NO_RECEIPT, THROTTLED, REFUSED]
    response = send(sms, demo, numbers, ["123456"])

    statuses = response.SendStatusSet
    assert [s.PhoneNumber for s in statuses] == numbers
    assert all(s.Code == "Ok" and s.Message == "send success" for s in statuses)
    assert all(s.Fee == 1 and s.IsoCode == "CN" and s.SessionContext == "ctx-e2e" for s in statuses)
    serials = [s.SerialNo for s in statuses]
    assert len(set(serials)) == len(serials) and all(serials)

    reports = {r.SerialNo: r for r in pull_until(sms, demo["sdk_app_id"], len(numbers))}
    assert set(reports) == set(serials)
    by_number = {r.PhoneNumber: r for r in reports.values()}
    assert by_number[DELIVERED].ReportStatus == "SUCCESS"
    assert by_number[DELIVERED].Description == "DELIVRD"
    assert by_number[THROTTLED].ReportStatus == "SUCCESS"
    assert by_number[UNDELIVERABLE].Description == "UNDELIV"
    assert by_number[REJECTED].Description == "REJECTD"
    assert by_number[EXPIRED].Description == "EXPIRED"
    assert by_number[NO_RECEIPT].Description == "NO_RECEIPT"
    assert by_number[REFUSED].Description == "ESME_RINVDSTADR"
    for number in (UNDELIVERABLE, REJECTED, EXPIRED, NO_RECEIPT, REFUSED):
        assert by_number[number].ReportStatus == "FAIL"
    delivered = by_number[DELIVERED]
    assert delivered.CountryCode == "86"
    assert delivered.SubscriberNumber == DELIVERED.removeprefix("+86")
    assert delivered.SessionContext == "ctx-e2e"
    assert abs(delivered.UserReceiveTime - time.time()) < 120

    again = models.PullSmsSendStatusRequest()
    again.SmsSdkAppId = demo["sdk_app_id"]
    again.Limit = 100
    assert sms.PullSmsSendStatus(again).PullSmsSendStatusSet == []


def test_long_message_is_billed_and_delivered_as_parts(server: ServerProcess) -> None:
    demo = server.demo()
    sms = client(server.endpoint, demo["secret_id"], demo["secret_key"])
    order = "订单" * 40  # pushes the message past 70 characters: 67 per part
    response = send(sms, demo, [DELIVERED], [order, "明天"], template="notification")
    status = response.SendStatusSet[0]
    assert status.Code == "Ok"
    content_length = len("【smscloud】您的订单已发货，预计送达。") + len(order) + len("明天")
    assert status.Fee == -(-content_length // 67) >= 2
    (report,) = pull_until(sms, demo["sdk_app_id"], 1)
    assert report.SerialNo == status.SerialNo and report.ReportStatus == "SUCCESS"


def test_2019_07_11_clients_send_and_pull_with_their_field_names(server: ServerProcess) -> None:
    demo = server.demo()
    sms = client(server.endpoint, demo["secret_id"], demo["secret_key"], version="2019-07-11")
    request = models_2019.SendSmsRequest()
    request.SmsSdkAppid = demo["sdk_app_id"]
    request.Sign = demo["sign_name"]
    request.TemplateID = demo["templates"]["notification"]
    request.TemplateParamSet = ["A1001", "明天"]
    request.PhoneNumberSet = ["13800000001"]  # a bare mainland mobile is +86
    (status,) = sms.SendSms(request).SendStatusSet
    assert status.Code == "Ok" and status.PhoneNumber == "+8613800000001"

    pull = models_2019.PullSmsSendStatusRequest()
    pull.SmsSdkAppid = demo["sdk_app_id"]
    pull.Limit = 10
    deadline, items = time.monotonic() + 30, list[Any]()
    while not items and time.monotonic() < deadline:
        items = sms.PullSmsSendStatus(pull).PullSmsSendStatusSet
        time.sleep(0.1)
    (item,) = items
    assert item.SerialNo == status.SerialNo
    assert item.NationCode == "86"
    assert item.PurePhoneNumber == "+8613800000001"
    assert item.PhoneNumber == "13800000001"
    assert item.ReportStatus == "SUCCESS"
    assert len(item.UserReceiveTime) == len("2026-11-27 08:03:04")


@pytest.mark.parametrize(
    ("method", "sign_method"), [("GET", "TC3-HMAC-SHA256"), ("POST", "HmacSHA256"), ("POST", "HmacSHA1")]
)
def test_other_transports_the_sdk_can_be_set_to(server: ServerProcess, method: str, sign_method: str) -> None:
    demo = server.demo()
    sms = client(server.endpoint, demo["secret_id"], demo["secret_key"], method=method, sign_method=sign_method)
    response = send(sms, demo, [DELIVERED, "+8613800000011"], ["8888"])
    assert [s.Code for s in response.SendStatusSet] == ["Ok", "Ok"]


def test_pull_by_phone_number_reads_without_consuming(server: ServerProcess) -> None:
    demo = server.demo()
    sms = client(server.endpoint, demo["secret_id"], demo["secret_key"])
    send(sms, demo, [DELIVERED, UNDELIVERABLE], ["4321"])
    assert len(pull_until(sms, demo["sdk_app_id"], 2)) == 2
    request = models.PullSmsSendStatusByPhoneNumberRequest()
    request.SmsSdkAppId = demo["sdk_app_id"]
    request.PhoneNumber = UNDELIVERABLE
    request.BeginTime = int(time.time()) - 600
    request.Offset = 0
    request.Limit = 10
    (item,) = sms.PullSmsSendStatusByPhoneNumber(request).PullSmsSendStatusSet
    assert item.PhoneNumber == UNDELIVERABLE and item.ReportStatus == "FAIL"
    assert len(sms.PullSmsSendStatusByPhoneNumber(request).PullSmsSendStatusSet) == 1

    request.BeginTime = int(time.time()) - 8 * 24 * 3600
    with pytest.raises(TencentCloudSDKException) as error:
        sms.PullSmsSendStatusByPhoneNumber(request)
    assert error.value.code == "InvalidParameterValue.BeginTimeVerifyFail"


def _error_code(call: Any) -> str:
    with pytest.raises(TencentCloudSDKException) as error:
        call()
    return str(error.value.code)


def test_authentication_failures(server: ServerProcess, monkeypatch: pytest.MonkeyPatch) -> None:
    demo = server.demo()
    wrong_key = client(server.endpoint, demo["secret_id"], demo["secret_key"][::-1])
    assert _error_code(lambda: send(wrong_key, demo, [DELIVERED], ["1"])) == "AuthFailure.SignatureFailure"
    unknown = client(server.endpoint, "AKID" + "x" * 32, demo["secret_key"])
    assert _error_code(lambda: send(unknown, demo, [DELIVERED], ["1"])) == "AuthFailure.SecretIdNotFound"
    for sign_method in ("TC3-HMAC-SHA256", "HmacSHA256"):  # temporary credentials: none are issued here
        temporary = client(
            server.endpoint, demo["secret_id"], demo["secret_key"], sign_method=sign_method, token="sts-session"
        )
        assert _error_code(lambda sms=temporary: send(sms, demo, [DELIVERED], ["1"])) == "AuthFailure.TokenFailure"

    import tencentcloud.common.abstract_client as abstract_client

    stale = time.time() - 400
    monkeypatch.setattr(abstract_client.time, "time", lambda: stale)
    sms = client(server.endpoint, demo["secret_id"], demo["secret_key"])
    assert _error_code(lambda: send(sms, demo, [DELIVERED], ["1"])) == "AuthFailure.SignatureExpire"


def test_the_demo_command_prints_the_credentials_and_the_same_again_while_serve_runs(server: ServerProcess) -> None:
    first = server.demo(via_cli=True)
    assert list(first) == ["endpoint", "secret_id", "secret_key", "sdk_app_id", "app_key", "sign_name", "templates"]
    assert first["endpoint"] == server.endpoint
    assert set(first["templates"]) == {"verification", "notification"}
    assert server.demo(via_cli=True) == first
    # Without the server's port in its settings, `demo` prints where the running server listens.
    elsewhere = {k: v for k, v in server.env.items() if k != "SMSCLOUD_API__PORT"}
    result = subprocess.run([SMSCLOUD, "demo", "--json"], env=elsewhere, capture_output=True, text=True, check=True)
    assert json.loads(result.stdout)["endpoint"] == server.endpoint
    sms = client(server.endpoint, first["secret_id"], first["secret_key"])
    (status,) = send(sms, first, [DELIVERED], ["1234"]).SendStatusSet
    assert status.Code == "Ok"


def test_request_level_errors(server: ServerProcess) -> None:
    demo = server.demo()
    sms = client(server.endpoint, demo["secret_id"], demo["secret_key"])
    too_many = [f"+86138{n:08d}" for n in range(201)]
    assert _error_code(lambda: send(sms, demo, too_many, ["1"])) == "LimitExceeded.PhoneNumberCountLimit"
    assert _error_code(lambda: send(sms, demo, [], ["1"])) == "MissingParameter.EmptyPhoneNumberSet"
    mixed = [DELIVERED, "+12025550123"]
    assert (
        _error_code(lambda: send(sms, demo, mixed, ["1"]))
        == "UnsupportedOperation.ContainDomesticAndInternationalPhoneNumber"
    )
    other_app = dict(demo, sdk_app_id="1400000000")
    assert _error_code(lambda: send(sms, other_app, [DELIVERED], ["1"])) == "InvalidParameterValue.SdkAppIdNotExist"
    request = models.SendSmsRequest()
    request.SmsSdkAppId = demo["sdk_app_id"]
    request.TemplateId = demo["templates"]["verification"]
    assert _error_code(lambda: sms.SendSms(request)) == "MissingParameter.EmptyPhoneNumberSet"  # none given
    request = models.SendSmsRequest()
    request.SmsSdkAppId = demo["sdk_app_id"]
    request.PhoneNumberSet = [DELIVERED]
    assert _error_code(lambda: sms.SendSms(request)) == "MissingParameter"  # no TemplateId
    unknown_action = lambda: sms.call_json("NoSuchAction", {})  # noqa: E731
    assert _error_code(unknown_action) == "InvalidAction"
    assert _error_code(lambda: sms.call_json("SmsPackagesStatistics", {})) == "UnsupportedOperation"


def test_per_number_failures_come_back_in_the_send_status_set(server: ServerProcess) -> None:
    demo = server.demo()
    sms = client(server.endpoint, demo["secret_id"], demo["secret_key"])

    (wrong_count,) = send(sms, demo, [DELIVERED], ["1", "2"]).SendStatusSet
    assert wrong_count.Code == "FailedOperation.TemplateParamSetNotMatchApprovedTemplate"
    assert wrong_count.Fee == 0 and wrong_count.SerialNo == ""

    bad, good = send(sms, demo, ["+86123", DELIVERED], ["5678"]).SendStatusSet
    assert bad.Code == "InvalidParameterValue.IncorrectPhoneNumber" and bad.Fee == 0
    assert good.Code == "Ok" and good.Fee == 1

    unapproved = dict(demo, sign_name="没有这个签名")
    (status,) = send(sms, unapproved, [DELIVERED], ["5678"]).SendStatusSet
    assert status.Code == "FailedOperation.SignatureIncorrectOrUnapproved"

    missing = dict(demo, templates={"verification": "999999"})
    (status,) = send(sms, missing, [DELIVERED], ["5678"]).SendStatusSet
    assert status.Code == "FailedOperation.TemplateIncorrectOrUnapproved"

    (status,) = send(sms, demo, [DELIVERED], ["12ab"]).SendStatusSet
    assert status.Code == "InvalidParameterValue.TemplateParameterFormatError"


async def _other_tenant(server: ServerProcess) -> dict[str, str]:
    """A second tenant with its own approved signature, template and application."""
    settings = load_settings(environ=server.env)
    platform = await open_platform(settings, migrate=False)
    try:
        build = Builder(make_stores(platform.db, box=platform.box))
        tenant = await build.tenant("someone else")
        app = await build.app(tenant.id, "theirs")
        sign = await build.signature(tenant.id, "别人的签名")
        template = await build.template(tenant.id, "验证码{1}", sms_type=SmsType.VERIFICATION_CODE)
        return {"sdk_app_id": app.sdk_app_id, "sign": sign.name, "template": str(template.id)}
    finally:
        await platform.close()


def test_another_tenants_template_signature_and_app_are_refused(server: ServerProcess) -> None:
    demo = server.demo()
    other = asyncio.run(_other_tenant(server))
    sms = client(server.endpoint, demo["secret_id"], demo["secret_key"])

    (status,) = send(
        sms, dict(demo, templates={"verification": other["template"]}), [DELIVERED], ["1234"]
    ).SendStatusSet
    assert status.Code == "FailedOperation.TemplateIncorrectOrUnapproved"
    (status,) = send(sms, dict(demo, sign_name=other["sign"]), [DELIVERED], ["1234"]).SendStatusSet
    assert status.Code == "FailedOperation.SignatureIncorrectOrUnapproved"
    foreign_app = dict(demo, sdk_app_id=other["sdk_app_id"])
    assert _error_code(lambda: send(sms, foreign_app, [DELIVERED], ["1234"])) == (
        "UnauthorizedOperation.SmsSdkAppIdVerifyFail"
    )
    pull = models.PullSmsSendStatusRequest()
    pull.SmsSdkAppId = other["sdk_app_id"]
    pull.Limit = 10
    assert _error_code(lambda: sms.PullSmsSendStatus(pull)) == "UnauthorizedOperation.SmsSdkAppIdVerifyFail"


REPLIES = "+8613800000008"  # the simulator's handset that answers "收到，谢谢"


def test_a_reply_from_the_handset_is_pulled_once_in_both_versions(server: ServerProcess) -> None:
    demo = server.demo()
    sms = client(server.endpoint, demo["secret_id"], demo["secret_key"])
    (status,) = send(sms, demo, [REPLIES], ["2468"]).SendStatusSet
    assert status.Code == "Ok"

    replies: list[Any] = []
    deadline = time.monotonic() + 30
    while not replies and time.monotonic() < deadline:
        request = models.PullSmsReplyStatusRequest()
        request.SmsSdkAppId = demo["sdk_app_id"]
        request.Limit = 10
        replies = list(sms.PullSmsReplyStatus(request).PullSmsReplyStatusSet)
        time.sleep(0.2)
    (reply,) = replies
    assert (reply.PhoneNumber, reply.SubscriberNumber, reply.CountryCode) == (REPLIES, "13800000008", "86")
    assert (reply.ReplyContent, reply.SignName, reply.ExtendCode) == ("收到，谢谢", demo["sign_name"], "")
    assert abs(reply.ReplyTime - time.time()) < 60
    assert list(sms.PullSmsReplyStatus(request).PullSmsReplyStatusSet) == []  # each reply once

    sms_2019 = client(server.endpoint, demo["secret_id"], demo["secret_key"], version="2019-07-11")
    by_number = models_2019.PullSmsReplyStatusByPhoneNumberRequest()
    by_number.SmsSdkAppid = demo["sdk_app_id"]
    by_number.PhoneNumber = REPLIES
    by_number.SendDateTime = int(time.time()) - 600
    by_number.Offset = 0
    by_number.Limit = 10
    (again,) = sms_2019.PullSmsReplyStatusByPhoneNumber(by_number).PullSmsReplyStatusSet
    assert (again.ReplyContent, again.NationCode, again.Sign) == ("收到，谢谢", "86", demo["sign_name"])
