"""Free text (legacy v5 `msg`): read as the tenant's approved template, then accepted like any send."""

from __future__ import annotations

import pytest

from smscloud.adapters.phone.parser import LibPhoneNumberParser
from smscloud.domain.messages.free_text import FreeText, default_signature, read_free_text
from smscloud.domain.messages.refusals import Refusal, SendRefused
from smscloud.domain.messages.routing import Route
from smscloud.domain.messages.send import SendRequest
from smscloud.domain.messages.service import accept_text
from smscloud.domain.shared.clock import FixedClock
from smscloud.domain.shared.review import ReviewStatus
from tests.unit.domain import factories as f
from tests.unit.domain.fakes import (
    FakeCatalog,
    FakeMessageStore,
    FakeSignal,
    FakeSignatureStore,
    FakeTemplateStore,
)

SHIPPING = f.template()  # 您的订单{1}已发货。 (id 30)
GENERIC = f.template("您的{1}已发货。", id=33)
OTHERS = f.template("您的订单{1}已发货。", id=29, tenant_id=f.OTHER_TENANT_ID)
PENDING = f.template("您的订单{1}已签收。", id=34, status=ReviewStatus.PENDING)
SECOND_SIGN = f.signature(id=25, name="第二签名")


def read(text: str, *, international: bool = False) -> FreeText | None:
    return read_free_text(
        text,
        tenant_id=f.TENANT_ID,
        international=international,
        templates=[OTHERS, GENERIC, SHIPPING, PENDING, f.intl_template()],
        signatures=[SECOND_SIGN, f.signature(), f.intl_signature()],
    )


def test_a_text_reads_as_the_most_specific_approved_template_of_the_tenant() -> None:
    assert read("【腾讯云】您的订单A1已发货。") == FreeText(SHIPPING.id, ["A1"], f.SIGN)
    assert read("【腾讯云】您的包裹已发货。") == FreeText(GENERIC.id, ["包裹"], f.SIGN)


def test_without_a_signature_the_default_one_is_used() -> None:
    assert default_signature([SECOND_SIGN, f.signature()], tenant_id=f.TENANT_ID, international=False) == f.signature()
    assert read("您的订单A1已发货。") == FreeText(SHIPPING.id, ["A1"], f.SIGN)
    assert read("【第二签名】您的订单A1已发货。") == FreeText(SHIPPING.id, ["A1"], "第二签名")


def test_international_texts_carry_no_signature_and_match_international_templates() -> None:
    assert read("Your order 7 has shipped.", international=True) == FreeText(31, ["7"], "")
    assert read("Your order 7 has shipped.") is None


@pytest.mark.parametrize("text", ["【腾讯云】您的订单A1已签收。", "【腾讯云】随便什么。", ""])
def test_a_text_no_approved_template_renders_reads_as_none(text: str) -> None:
    assert read(text) is None


class World:
    def __init__(self) -> None:
        self.catalog = FakeCatalog(
            tenants=[f.tenant()],
            apps=[f.app()],
            templates=[SHIPPING, GENERIC],
            signatures=[f.signature()],
            routes=[Route("86", 3)],
        )
        self.store = FakeMessageStore()

    async def send(self, text: str, sdk_app_id: str = f.SDK_APP_ID) -> list[object]:
        return list(
            await accept_text(
                catalog=self.catalog,
                store=self.store,
                signal=FakeSignal(),
                parser=LibPhoneNumberParser(),
                clock=FixedClock(f.NOW),
                templates=FakeTemplateStore([SHIPPING, GENERIC]),
                signatures=FakeSignatureStore([f.signature()]),
                tenant_id=f.TENANT_ID,
                text=text,
                request=SendRequest(
                    sdk_app_id=sdk_app_id, template_id="", phone_numbers=[f.DOMESTIC], params=[], sign_name=""
                ),
                request_id="req-1",
            )
        )


async def test_accept_text_sends_the_text_through_accept() -> None:
    world = World()
    (outcome,) = await world.send("您的订单A1已发货。")
    (message,) = world.store.added
    assert message.template_id == SHIPPING.id and message.content == "【腾讯云】您的订单A1已发货。"
    assert outcome.serial_no == message.serial_no  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("text", "sdk_app_id", "refusal"),
    [
        ("随便什么", f.SDK_APP_ID, Refusal.TEMPLATE_UNAPPROVED),
        ("长" * 501, f.SDK_APP_ID, Refusal.CONTENT_TOO_LONG),
        ("您的订单A1已发货。", "1400999999", Refusal.APP_NOT_FOUND),  # the app first, the text after
    ],
)
async def test_accept_text_refusals(text: str, sdk_app_id: str, refusal: Refusal) -> None:
    world = World()
    with pytest.raises(SendRefused) as refused:
        await world.send(text, sdk_app_id)
    assert refused.value.refusal is refusal
    assert world.store.added == []
