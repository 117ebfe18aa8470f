"""The legacy v5 API in-process over the real stores (SQLite or PostgreSQL): what a send stores,
the AppKey checked being the one in the database now, free text read against stored templates,
and receipts pulled from the report store API 3.0 reads too."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest

from smscloud.adapters.http.legacy_v5.api import V5Api
from smscloud.adapters.http.legacy_v5.context import V5Services
from smscloud.adapters.http.legacy_v5.signing import sign
from smscloud.adapters.phone.parser import LibPhoneNumberParser
from smscloud.adapters.storage.database import Database
from smscloud.domain.apps.service import rotate_app_key
from smscloud.domain.templates.model import SmsType
from tests.integration.http.conftest import RecordingSignal
from tests.support.builders import SIGN, Builder, Sender, Stores, make_stores, message_row

pytestmark = pytest.mark.integration

MOBILE = "13711112222"
RANDOM = "252094"


@dataclass
class V5Client:
    api: V5Api
    stores: Stores
    build: Builder
    acme: Sender

    async def post(
        self, path: str, fields: dict[str, Any], *, app_key: str | None = None, mobiles: list[str] | None = None
    ) -> dict[str, Any]:
        stamp = int(self.stores.clock.now().timestamp())
        key = app_key or self.acme.app.app_key
        body = {**fields, "time": stamp, "sig": sign(app_key=key, random=RANDOM, time=stamp, mobiles=mobiles)}
        answer = await self.api.handle(
            path=path,
            method="POST",
            raw_query=f"sdkappid={self.acme.app.sdk_app_id}&random={RANDOM}",
            body=json.dumps(body).encode(),
        )
        document: dict[str, Any] = json.loads(answer)
        return document

    async def sendsms(self, *, app_key: str | None = None, **fields: Any) -> dict[str, Any]:
        body = {
            "tel": {"nationcode": "86", "mobile": MOBILE},
            "tpl_id": self.acme.template.id,
            "params": ["A1"],
            "sign": SIGN,
            "ext": "",
            **fields,
        }
        return await self.post("/v5/tlssmssvr/sendsms", body, app_key=app_key, mobiles=[MOBILE])


@pytest.fixture
async def v5(db: Database) -> V5Client:
    stores = make_stores(db)
    build = Builder(stores)
    acme = await build.sender("acme")
    services = V5Services(
        catalog=stores.catalog,
        messages=stores.messages,
        signal=RecordingSignal(),
        reports=stores.reports,
        parser=LibPhoneNumberParser(),
        clock=stores.clock,
        templates=stores.templates,
        signatures=stores.signatures,
        replies=stores.replies,
    )
    return V5Client(V5Api(services), stores, build, acme)


async def test_a_send_is_stored_as_api_3_0_stores_it(v5: V5Client, db: Database) -> None:
    answer = await v5.sendsms(ext="order-7")
    assert answer["result"] == 0, answer
    row = await message_row(db, answer["sid"])
    assert row.phone == "+8613711112222" and row.content == "【腾讯云】您的订单A1已发货。"
    assert row.app_id == v5.acme.app.id and row.session_context == "order-7" and row.status == "queued"


async def test_the_app_key_in_force_is_the_one_rotated_to(v5: V5Client) -> None:
    old_key = v5.acme.app.app_key
    assert (await v5.sendsms())["result"] == 0
    rotated = await rotate_app_key(
        store=v5.stores.apps, clock=v5.stores.clock, tenant_id=v5.acme.tenant.id, app_id=v5.acme.app.id
    )
    v5.stores.catalog.invalidate()  # what the console does after a change (`changed`)
    assert rotated.app_key != old_key
    assert (await v5.sendsms(app_key=old_key))["result"] == 1001
    assert (await v5.sendsms(app_key=rotated.app_key))["result"] == 0


async def test_a_disabled_application_is_refused(v5: V5Client) -> None:
    await v5.build.disable_app(v5.acme.app.id)
    v5.stores.catalog.invalidate()
    assert (await v5.sendsms())["result"] == 1020


async def test_free_text_is_read_against_the_stored_templates(v5: V5Client, db: Database) -> None:
    code = await v5.build.template(v5.acme.tenant.id, "您的验证码是{1}。", sms_type=SmsType.VERIFICATION_CODE)
    answer = await v5.sendsms(tpl_id=None, params=[], sign="", msg="您的验证码是8642。")
    assert answer["result"] == 0, answer
    row = await message_row(db, answer["sid"])
    assert row.template_id == code.id and row.content == "【腾讯云】您的验证码是8642。"
    assert (await v5.sendsms(tpl_id=None, msg="您的验证码是8642！"))["result"] == 1014


async def test_group_send_details(v5: V5Client) -> None:
    mobiles = [MOBILE, "12", "13711113333"]
    body = {
        "tel": [{"nationcode": 86, "mobile": m} for m in mobiles],
        "tpl_id": v5.acme.template.id,
        "params": ["A1"],
        "sign": SIGN,
        "ext": "",
    }
    answer = await v5.post("/v5/tlssmssvr/sendmultisms2", body, mobiles=mobiles)
    assert answer["result"] == 0
    assert [(d["result"], d["mobile"]) for d in answer["detail"]] == [(0, MOBILE), (1016, "12"), (0, "13711113333")]


async def test_replies_are_pulled_once_and_by_number(v5: V5Client) -> None:
    await v5.build.add_messages(v5.acme, phone="+8613711112222")
    now = v5.stores.clock.now()
    await v5.stores.receipts.store_reply(
        carrier_id=v5.acme.carrier.id, source_addr="13711112222", destination_addr="106900", text="好", now=now
    )
    first = await v5.post("/v5/tlssmssvr/pullstatus", {"type": 1, "max": 10})
    assert (first["result"], first["count"]) == (0, 1)
    assert first["data"] == [
        {
            "nationcode": "86",
            "mobile": "13711112222",
            "text": "好",
            "sign": SIGN,
            "time": int(now.timestamp()),
            "extend": "",
        }
    ]
    assert (await v5.post("/v5/tlssmssvr/pullstatus", {"type": 1, "max": 10}))["count"] == 0
    window = {"begin_time": int(now.timestamp()) - 60, "end_time": int(now.timestamp()) + 60}
    by_number = await v5.post(
        "/v5/tlssmssvr/pullstatus4mobile", {"type": 1, "max": 10, "nationcode": "86", "mobile": "13711112222", **window}
    )
    assert [item["text"] for item in by_number["data"]] == ["好"]


async def test_receipts_are_pulled_once(v5: V5Client) -> None:
    messages = await v5.build.add_messages(v5.acme, 2)
    await v5.build.deliver(v5.acme.carrier.id, messages)
    first = await v5.post("/v5/tlssmssvr/pullstatus", {"type": 0, "max": 10})
    assert first["result"] == 0 and first["count"] == 2
    assert {item["sid"] for item in first["data"]} == {m.serial_no for m in messages}
    assert {item["report_status"] for item in first["data"]} == {"SUCCESS"}
    assert (await v5.post("/v5/tlssmssvr/pullstatus", {"type": 0, "max": 10}))["count"] == 0


async def test_a_template_id_of_more_digits_than_python_reads_names_no_template(v5: V5Client) -> None:
    answer = await v5.sendsms(tpl_id="1" * 4301)
    assert answer["result"] != 1007  # not an internal error
    assert answer["result"] != 0


@pytest.mark.parametrize(
    "fields",
    [{"ext": "a\u0000b"}, {"sign": "腾讯\u0000"}, {"params": ["a\u0000b"]}],
    ids=["ext", "sign", "params"],
)
async def test_a_nul_character_is_a_bad_request(v5: V5Client, fields: dict[str, Any]) -> None:
    answer = await v5.sendsms(**fields)
    assert answer["result"] == 1004


async def test_the_text_backslash_u0000_is_no_nul_and_is_sent(v5: V5Client) -> None:
    answer = await v5.sendsms(ext="C:\\u0000x")
    assert (answer["result"], answer["ext"]) == (0, "C:\\u0000x")


@pytest.mark.parametrize(
    "body",
    [b'{"a":' * 3000 + b"1" + b"}" * 3000, b'{"tel":' + b"[" * 5000 + b"]" * 5000 + b"}"],
    ids=["objects", "arrays"],
)
async def test_a_body_nested_beyond_the_decoder_is_a_bad_request(v5: V5Client, body: bytes) -> None:
    for path in ("/v5/tlssmssvr/sendsms", "/v5/tlssmssvr/pullstatus"):
        answer = json.loads(
            await v5.api.handle(
                path=path, method="POST", raw_query=f"sdkappid={v5.acme.app.sdk_app_id}&random={RANDOM}", body=body
            )
        )
        assert answer["result"] == 1004, path


async def test_an_sdkappid_with_nul_does_not_exist(v5: V5Client) -> None:
    answer = json.loads(
        await v5.api.handle(
            path="/v5/tlssmssvr/pullstatus", method="POST", raw_query="sdkappid=%00&random=1", body=b"{}"
        )
    )
    assert answer["result"] == 1019
