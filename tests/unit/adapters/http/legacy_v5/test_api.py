"""`V5Api` over in-memory ports: what each request is answered, result code and shape.

Requests are signed as qcloudsms_py signs them (`sign` of the AppKey, the query's random, the
body's time and the numbers); the answers are read back as the SDK reads them, as JSON.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest

from smscloud.adapters.http.legacy_v5.api import V5Api
from smscloud.adapters.http.legacy_v5.context import V5Services
from smscloud.adapters.http.legacy_v5.errors import Result, refusal_result
from smscloud.adapters.http.legacy_v5.signing import sign
from smscloud.domain.apps.model import AppStatus
from smscloud.domain.messages.model import MessageStatus, Report
from smscloud.domain.messages.refusals import Refusal
from smscloud.domain.messages.routing import Route
from smscloud.domain.shared.clock import FixedClock
from smscloud.domain.templates.model import SmsType
from tests.unit.domain import factories as f
from tests.unit.domain.fakes import (
    FakeCatalog,
    FakeMessageStore,
    FakeReportStore,
    FakeSignal,
    FakeSignatureStore,
    FakeTemplateStore,
)

APP_KEY = f.app().app_key
RANDOM = "252094"
CODE = f.template(
    "您的验证码是{1}，5分钟内有效。", id=32, name="code", sms_type=SmsType.VERIFICATION_CODE
)  # 1 parameter
SHIPPING = f.template()  # "您的订单{1}已发货。"
DOMESTIC = f.DOMESTIC.removeprefix("+86")
DOMESTIC_2 = f.DOMESTIC_2.removeprefix("+86")


class World:
    def __init__(self, **catalog: Any) -> None:
        values: dict[str, Any] = {
            "tenants": [f.tenant()],
            "apps": [f.app()],
            "templates": [SHIPPING, CODE, f.intl_template()],
            "signatures": [f.signature(), f.intl_signature()],
            "routes": [Route("86", 3), Route("1", 4)],
        }
        values.update(catalog)
        self.catalog = FakeCatalog(**values)
        self.store = FakeMessageStore()
        self.reports = FakeReportStore()
        self.clock = FixedClock(f.NOW)
        self.api = V5Api(
            V5Services(
                catalog=self.catalog,
                messages=self.store,
                signal=FakeSignal(),
                reports=self.reports,
                parser=f.TableParser(),
                clock=self.clock,
                templates=FakeTemplateStore(values["templates"]),
                signatures=FakeSignatureStore(values["signatures"]),
            )
        )

    def now(self) -> int:
        return int(self.clock.now().timestamp())

    async def post(
        self,
        path: str,
        body: dict[str, Any] | bytes,
        *,
        sdk_app_id: str = f.SDK_APP_ID,
        app_key: str = APP_KEY,
        mobiles: list[str] | None = None,
        method: str = "POST",
    ) -> dict[str, Any]:
        if isinstance(body, dict):
            body = {"time": self.now(), **body}
            if "sig" not in body:
                body["sig"] = sign(app_key=app_key, random=RANDOM, time=body["time"], mobiles=mobiles)
            raw = json.dumps(body).encode()
        else:
            raw = body
        answer = await self.api.handle(
            path=path, method=method, raw_query=f"sdkappid={sdk_app_id}&random={RANDOM}", body=raw
        )
        document: dict[str, Any] = json.loads(answer)
        assert isinstance(document["result"], int) and isinstance(document["errmsg"], str), document
        return document

    async def sendsms(self, mobile: str = DOMESTIC, *, app_key: str = APP_KEY, **fields: Any) -> dict[str, Any]:
        body: dict[str, Any] = {
            "tel": {"nationcode": "86", "mobile": mobile},
            "tpl_id": SHIPPING.id,
            "params": ["A1"],
            "sign": f.SIGN,
            "extend": "",
            "ext": "my-ext",
        }
        body.update(fields)
        body = {k: v for k, v in body.items() if v is not None}
        return await self.post("/v5/tlssmssvr/sendsms", body, mobiles=[mobile], app_key=app_key)

    async def multi(self, mobiles: list[str], nationcode: str | int = 86, **fields: Any) -> dict[str, Any]:
        body: dict[str, Any] = {
            "tel": [{"nationcode": nationcode, "mobile": m} for m in mobiles],
            "tpl_id": SHIPPING.id,
            "params": ["A1"],
            "sign": f.SIGN,
            "ext": "",
        }
        body.update(fields)
        return await self.post("/v5/tlssmssvr/sendmultisms2", body, mobiles=mobiles)


async def test_a_template_send_is_accepted_and_answered_with_sid_and_fee() -> None:
    world = World()
    answer = await world.sendsms()
    (message,) = world.store.added
    assert answer == {"result": 0, "errmsg": "OK", "ext": "my-ext", "sid": message.serial_no, "fee": 1}
    assert message.phone == f.DOMESTIC and message.content == "【腾讯云】您的订单A1已发货。"
    assert message.session_context == "my-ext" and message.app_id == f.app().id


async def test_numeric_params_and_nationcode_are_taken_as_strings() -> None:
    world = World()
    answer = await world.sendsms(tpl_id=CODE.id, params=[1234], tel={"nationcode": 86, "mobile": DOMESTIC})
    assert answer["result"] == 0
    assert world.store.added[0].content == "【腾讯云】您的验证码是1234，5分钟内有效。"


async def test_a_group_send_answers_each_number_in_detail() -> None:
    world = World()
    answer = await world.multi([DOMESTIC, "123", DOMESTIC_2])
    assert answer["result"] == 0 and answer["errmsg"] == "OK" and answer["ext"] == ""
    first, bad, second = answer["detail"]
    serials = [m.serial_no for m in world.store.added]
    assert first == {"result": 0, "errmsg": "OK", "mobile": DOMESTIC, "nationcode": "86", "sid": serials[0], "fee": 1}
    assert bad == {"result": 1016, "errmsg": "malformed phone number", "mobile": "123", "nationcode": "86"}
    assert second["sid"] == serials[1] and second["mobile"] == DOMESTIC_2


async def test_a_group_send_refused_for_every_number_answers_the_refusal_on_top() -> None:
    world = World()
    answer = await world.multi([DOMESTIC, DOMESTIC_2], sign="没有这个签名")
    assert answer["result"] == Result.SIGNATURE_UNAPPROVED
    assert [d["result"] for d in answer["detail"]] == [1012, 1012]
    assert world.store.added == []


@pytest.mark.parametrize(
    ("fields", "result"),
    [
        ({"sign": "没有这个签名"}, Result.SIGNATURE_UNAPPROVED),
        ({"sign": ""}, Result.SIGNATURE_UNAPPROVED),
        ({"tpl_id": 999}, Result.TEMPLATE_UNAPPROVED),
        ({"params": ["A1", "A2"]}, Result.TEMPLATE_UNAPPROVED),  # the param count must match
        ({"params": []}, Result.TEMPLATE_UNAPPROVED),
        ({"tpl_id": CODE.id, "params": ["12ab"]}, Result.VERIFICATION_CODE_FORMAT),
        ({"params": ["www.example.com"]}, Result.URL_IN_PARAMETER),
        ({"params": ["长" * 500]}, Result.CONTENT_TOO_LONG),
        ({"tel": {"nationcode": "86", "mobile": "123"}}, Result.BAD_NUMBER),
        ({"tel": {"nationcode": "1", "mobile": "2025550123"}}, Result.TEMPLATE_UNAPPROVED),  # domestic template
        ({"extend": "abc"}, Result.BAD_REQUEST),
        ({"ext": "x" * 512}, Result.BAD_REQUEST),
    ],
)
async def test_refused_sends_answer_their_result_code(fields: dict[str, Any], result: Result) -> None:
    world = World()
    mobile = fields["tel"]["mobile"] if "tel" in fields else DOMESTIC
    answer = await world.sendsms(mobile, **fields)
    assert answer["result"] == result, answer
    assert "sid" not in answer and "fee" not in answer
    assert world.store.added == []


async def test_more_than_200_numbers_are_refused_as_a_whole() -> None:
    world = World()
    answer = await world.multi([f"137{n:08d}" for n in range(201)])
    assert answer == {"result": 1046, "errmsg": "tel holds more than 200 numbers", "ext": ""}


async def test_mixed_mainland_and_international_numbers_are_refused() -> None:
    world = World()
    body = {
        "tel": [{"nationcode": "86", "mobile": DOMESTIC}, {"nationcode": "1", "mobile": "2025550123"}],
        "tpl_id": SHIPPING.id,
        "params": ["A1"],
        "sign": f.SIGN,
    }
    answer = await world.post("/v5/tlssmssvr/sendmultisms2", body, mobiles=[DOMESTIC, "2025550123"])
    assert answer["result"] == Result.MIXED_NUMBERS


async def test_a_free_text_is_sent_as_the_approved_template_that_renders_it() -> None:
    world = World()
    text = "【腾讯云】您的验证码是1234，5分钟内有效。"
    answer = await world.sendsms(tpl_id=None, params=None, sign=None, type=0, msg=text)
    assert answer["result"] == 0, answer
    (message,) = world.store.added
    assert message.template_id == CODE.id and message.content == "【腾讯云】您的验证码是1234，5分钟内有效。"
    assert answer["sid"] == message.serial_no


async def test_a_free_text_without_a_signature_gets_the_default_one() -> None:
    world = World()
    answer = await world.sendsms(tpl_id=None, params=None, sign=None, msg="您的订单B2已发货。")
    assert answer["result"] == 0, answer
    assert world.store.added[0].content == "【腾讯云】您的订单B2已发货。"


@pytest.mark.parametrize(
    ("msg", "result"),
    [
        ("【腾讯云】你好，这不是模板。", Result.TEMPLATE_UNAPPROVED),
        ("【别人的签名】您的订单B2已发货。", Result.SIGNATURE_UNAPPROVED),
        ("【腾讯云】您的验证码是abc，5分钟内有效。", Result.VERIFICATION_CODE_FORMAT),
        ("长" * 501, Result.CONTENT_TOO_LONG),
    ],
)
async def test_a_free_text_no_approved_template_renders_is_refused(msg: str, result: Result) -> None:
    world = World()
    answer = await world.sendsms(tpl_id=None, params=None, sign=None, msg=msg)
    assert answer["result"] == result, answer
    assert world.store.added == []


async def test_neither_template_nor_text_is_a_bad_request() -> None:
    world = World()
    answer = await world.sendsms(tpl_id=None)
    assert answer["result"] == Result.BAD_REQUEST and answer["ext"] == "my-ext"


# --- authentication ---------------------------------------------------------------------------------


async def test_a_sig_made_with_another_key_is_refused() -> None:
    world = World()
    answer = await world.sendsms(app_key="f" * 32)
    assert answer == {"result": 1001, "errmsg": "sig verification failed", "ext": "my-ext"}
    assert world.store.added == []


async def test_a_sig_that_does_not_cover_the_numbers_sent_is_refused() -> None:
    world = World()
    body = {"tel": {"nationcode": "86", "mobile": DOMESTIC_2}, "tpl_id": SHIPPING.id, "params": ["A1"], "sign": f.SIGN}
    answer = await world.post("/v5/tlssmssvr/sendsms", body, mobiles=[DOMESTIC])
    assert answer["result"] == Result.SIG_FAILED


async def test_the_app_key_checked_is_the_current_one() -> None:
    world = World()
    rotated = f.app(app_key="a" * 32)
    world.catalog.apps[rotated.sdk_app_id] = rotated
    assert (await world.sendsms())["result"] == Result.SIG_FAILED
    assert (await world.sendsms(app_key="a" * 32))["result"] == Result.OK


async def test_a_missing_sig_is_its_own_code() -> None:
    world = World()
    assert (await world.sendsms(sig=""))["result"] == Result.SIG_MISSING


@pytest.mark.parametrize(("skew", "result"), [(600, Result.OK), (-600, Result.OK), (601, 1021), (-601, 1021)])
async def test_the_time_must_be_within_ten_minutes(skew: int, result: int) -> None:
    world = World()
    stamp = world.now() + skew
    answer = await world.sendsms(time=stamp, sig=sign(app_key=APP_KEY, random=RANDOM, time=stamp, mobiles=[DOMESTIC]))
    assert answer["result"] == result


async def test_an_unknown_sdkappid_is_refused_before_anything_else() -> None:
    world = World()
    answer = await world.post("/v5/tlssmssvr/sendsms", b"not json", sdk_app_id="1400999999")
    assert answer == {"result": 1019, "errmsg": "sdkappid does not exist"}
    assert (await world.post("/v5/tlssmssvr/sendsms", b"{}", sdk_app_id=""))["result"] == 1019


async def test_a_disabled_application_is_refused() -> None:
    world = World(apps=[f.app(status=AppStatus.DISABLED)])
    assert (await world.sendsms())["result"] == Result.SDKAPPID_DISABLED


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[]",
        b'{"tel": "13711112222", "sig": "x", "time": 1}',
        b'{"tel": {"nationcode": "86"}, "sig": "x", "time": 1}',
        b'{"tel": {"nationcode": "86", "mobile": "1"}, "sig": "x", "time": "soon"}',
        b'{"tel": [{"nationcode": "86", "mobile": "1"}], "sig": "x", "time": 1}',  # sendsms takes one tel
    ],
)
async def test_a_body_that_is_not_a_request_is_1004(body: bytes) -> None:
    world = World()
    assert (await world.post("/v5/tlssmssvr/sendsms", body))["result"] == Result.BAD_REQUEST


async def test_a_missing_time_or_random_is_a_bad_request() -> None:
    world = World()
    body = {"tel": {"nationcode": "86", "mobile": DOMESTIC}, "sig": "ab", "tpl_id": 1, "params": []}
    assert (await world.post("/v5/tlssmssvr/sendsms", json.dumps(body).encode()))["result"] == Result.BAD_REQUEST
    answer = await world.api.handle(path="/v5/tlssmssvr/sendsms", method="POST", raw_query="sdkappid=1", body=b"{}")
    assert json.loads(answer)["result"] == Result.BAD_REQUEST


@pytest.mark.parametrize(
    ("path", "method", "result"),
    [
        ("/v5/tlssmssvr/nosuchthing", "POST", Result.NO_SUCH_INTERFACE),
        ("/v5/tlssmssvr/sendisms", "POST", Result.NOT_SUPPORTED),
        ("/v5/tlsvoicesvr/sendcvoice", "POST", Result.NOT_SUPPORTED),
        ("/v5/tlssmssvr/sendsms", "GET", Result.NOT_SUPPORTED),
    ],
)
async def test_paths_not_served(path: str, method: str, result: Result) -> None:
    world = World()
    assert (await world.post(path, {}, method=method))["result"] == result


@pytest.mark.parametrize("path", ["/v5/tlssmssvr/add_template", "/v5/tlssmssvr/get_sign"])
async def test_the_template_and_sign_endpoints_answer_msg_beside_errmsg(path: str) -> None:
    answer = await World().post(path, {})
    assert answer["result"] == Result.NOT_SUPPORTED
    assert answer["msg"] == answer["errmsg"] != ""


async def test_other_endpoints_answer_errmsg_alone() -> None:
    answer = await World().post("/v5/tlssmssvr/sendisms", {})
    assert "msg" not in answer and answer["errmsg"]


# --- pulls -----------------------------------------------------------------------------------------


def _report(serial_no: str, status: MessageStatus, stat: str) -> Report:
    return Report(
        serial_no=serial_no,
        phone=f.DOMESTIC,
        country_code="86",
        status=status,
        description=stat,
        done_at=f.NOW,
        session_context="",
        sign_name=f.SIGN,
    )


async def test_pullstatus_hands_out_each_receipt_once_in_the_callback_shape() -> None:
    world = World()
    app_id = f.app().id
    world.reports.put(app_id=app_id, report=_report("s1", MessageStatus.DELIVERED, "DELIVRD"), created_at=f.NOW)
    world.reports.put(app_id=app_id, report=_report("s2", MessageStatus.UNDELIVERED, "UNDELIV"), created_at=f.NOW)
    answer = await world.post("/v5/tlssmssvr/pullstatus", {"type": 0, "max": 10})
    assert answer["result"] == 0 and answer["count"] == 2
    delivered, undelivered = answer["data"]
    assert delivered == {
        "user_receive_time": "2026-03-10 12:00:00",  # the tenant's time zone, Asia/Shanghai
        "nationcode": "86",
        "mobile": DOMESTIC,
        "report_status": "SUCCESS",
        "errmsg": "DELIVRD",
        "description": "用户短信送达成功",
        "sid": "s1",
    }
    assert undelivered["report_status"] == "FAIL" and undelivered["errmsg"] == "UNDELIV"
    assert await world.post("/v5/tlssmssvr/pullstatus", {"type": 0, "max": 10}) == {
        "result": 0,
        "errmsg": "OK",
        "count": 0,
        "data": [],
    }


async def test_pullstatus4mobile_reads_one_numbers_receipts() -> None:
    world = World()
    world.reports.put(app_id=f.app().id, report=_report("s1", MessageStatus.DELIVERED, "DELIVRD"), created_at=f.NOW)
    body = {
        "type": 0,
        "max": 10,
        "begin_time": world.now() - 60,
        "end_time": world.now() + 60,
        "nationcode": "86",
        "mobile": DOMESTIC,
    }
    answer = await world.post("/v5/tlssmssvr/pullstatus4mobile", body)
    assert answer["count"] == 1 and answer["data"][0]["sid"] == "s1"
    old = dict(body, begin_time=int((f.NOW - timedelta(days=8)).timestamp()))
    answer = await world.post("/v5/tlssmssvr/pullstatus4mobile", old)
    assert answer["result"] == Result.BAD_REQUEST and "begin_time" in answer["errmsg"]
    backwards = dict(body, end_time=world.now() - 120)
    answer = await world.post("/v5/tlssmssvr/pullstatus4mobile", backwards)
    assert answer["result"] == Result.BAD_REQUEST and answer["errmsg"].startswith("end_time")
    assert "BeginTime" not in answer["errmsg"]


@pytest.mark.parametrize(("fields", "result"), [({"type": 1}, Result.NOT_SUPPORTED), ({"max": 101}, 1004)])
async def test_pullstatus_refusals(fields: dict[str, Any], result: int) -> None:
    world = World()
    answer = await world.post("/v5/tlssmssvr/pullstatus", {"type": 0, "max": 10, **fields})
    assert answer["result"] == result


async def test_a_pull_sig_covers_no_numbers() -> None:
    world = World()
    answer = await world.post("/v5/tlssmssvr/pullstatus", {"type": 0, "max": 10}, mobiles=[DOMESTIC])
    assert answer["result"] == Result.SIG_FAILED


def test_every_refusal_has_a_v5_result() -> None:
    documented = {1001, 1003, 1004, 1006, 1007, 1011, 1012, 1014, 1016, 1017, 1019, 1020, 1021}
    documented |= {1029, 1030, 1032, 1034, 1038, 1045, 1046, 1048}
    for refusal in Refusal:
        result, errmsg = refusal_result(refusal)
        assert result in documented and errmsg
