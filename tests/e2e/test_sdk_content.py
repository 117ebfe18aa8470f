"""The official Tencent Cloud SDK against a running smscloud: signatures and templates.

AddSmsSign, DescribeSmsSignList, ModifySmsSign, DeleteSmsSign and the four template actions, in
both API versions with their own field names; the codes each version's SDK lists for bad input;
one tenant never reaching another's signatures and templates; the enterprise-only rule; and the
way from an API request through an operator's review to a message sent with it.
"""

from __future__ import annotations

import asyncio
import base64
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.sms.v20190711 import models as models_2019
from tencentcloud.sms.v20210111 import models as models_2021

from smscloud.bootstrap import Platform, open_platform
from smscloud.config import load_settings
from smscloud.domain.audit.model import Actor, ActorKind
from smscloud.domain.reviews.model import Decision
from smscloud.domain.shared.review import ReviewStatus
from tests.support.builders import PNG, Builder, make_stores
from tests.support.sdk import client
from tests.support.server import ServerProcess

pytestmark = pytest.mark.e2e

V2021, V2019 = "2021-01-11", "2019-07-11"
VERSIONS = (V2021, V2019)
PROOF = base64.b64encode(PNG).decode()
DELIVERED = "+8613800000001"
PENDING, APPROVED = 1, 0  # StatusCode


@dataclass(frozen=True)
class Api:
    """One SDK client and the request models of its version."""

    sms: Any
    version: str

    @property
    def legacy(self) -> bool:
        return self.version == V2019

    @property
    def models(self) -> Any:
        return models_2019 if self.legacy else models_2021

    def request(self, model: str, **fields: Any) -> Any:
        request = getattr(self.models, model)()
        for name, value in fields.items():
            if not hasattr(request, name):
                raise AttributeError(f"{self.version} {model} has no field {name}")
            setattr(request, name, value)
        return request

    def call(self, action: str, **fields: Any) -> Any:
        return getattr(self.sms, action)(self.request(f"{action}Request", **fields))

    def error(self, action: str, **fields: Any) -> str:
        """The error code the SDK raises for the call."""
        with pytest.raises(TencentCloudSDKException) as raised:
            self.call(action, **fields)
        return str(raised.value.code)

    # --- signatures ---------------------------------------------------------------------------------

    def sign_fields(self, name: str, **overrides: Any) -> dict[str, Any]:
        """A mainland company signature proved by its business licence, for the tenant's own use."""
        purpose = "UsedMethod" if self.legacy else "SignPurpose"
        fields: dict[str, Any] = {
            "SignName": name,
            "SignType": 0,
            "DocumentType": 1,
            "International": 0,
            purpose: 0,
            "ProofImage": PROOF,
            "Remark": "e2e",
        }
        if "Purpose" in overrides:
            fields[purpose] = overrides.pop("Purpose")
        fields.update(overrides)
        return {k: v for k, v in fields.items() if v is not None}

    def add_sign(self, name: str, **overrides: Any) -> int:
        status = self.call("AddSmsSign", **self.sign_fields(name, **overrides)).AddSignStatus
        if self.legacy:
            assert status.SignApplyId == status.SignId  # an Integer here
        return int(status.SignId)

    def signs(self, *ids: int) -> list[Any]:
        return list(self.call("DescribeSmsSignList", International=0, SignIdSet=list(ids)).DescribeSignListStatusSet)

    def all_signs(self) -> list[Any]:
        """Every mainland signature of the tenant (2021-01-11 pages; 2019-07-11 cannot list without ids)."""
        assert not self.legacy
        return list(self.call("DescribeSmsSignList", International=0, Limit=100, Offset=0).DescribeSignListStatusSet)

    # --- templates ----------------------------------------------------------------------------------

    def template_fields(self, content: str, **overrides: Any) -> dict[str, Any]:
        fields: dict[str, Any] = {
            "TemplateName": "e2e notice",
            "TemplateContent": content,
            "SmsType": 2,  # notification
            "International": 0,
            "Remark": "e2e",
        }
        fields.update(overrides)
        return fields

    def add_template(self, content: str, **overrides: Any) -> int:
        template_id = self.call("AddSmsTemplate", **self.template_fields(content, **overrides)).AddTemplateStatus
        assert isinstance(template_id.TemplateId, str)  # a String here, in both versions
        return int(template_id.TemplateId)

    def templates(self, *ids: int) -> list[Any]:
        response = self.call("DescribeSmsTemplateList", International=0, TemplateIdSet=list(ids))
        return list(response.DescribeTemplateStatusSet)


def api(server: ServerProcess, credentials: dict[str, Any], version: str) -> Api:
    return Api(client(server.endpoint, credentials["secret_id"], credentials["secret_key"], version=version), version)


def _near_now(unix: int) -> bool:
    return abs(unix - time.time()) < 120


def _as_dicts(items: list[Any]) -> list[dict[str, Any]]:
    return [json.loads(item.to_json_string()) for item in items]


async def _with_platform(server: ServerProcess, work: Callable[[Platform, Builder], Any]) -> Any:
    """Run `work` on the server's database from this process, as another smscloud process would."""
    platform = await open_platform(load_settings(environ=server.env), migrate=False)
    try:
        return await work(platform, Builder(make_stores(platform.db, box=platform.box)))
    finally:
        await platform.close()


async def _stored_proof(server: ServerProcess, sign_id: int) -> bytes | None:
    async def work(platform: Platform, build: Builder) -> bytes | None:
        signature = await platform.signatures.by_id(sign_id)
        assert signature is not None and signature.proof_document_id is not None
        return await platform.documents.content(signature.proof_document_id)

    result: bytes | None = await _with_platform(server, work)
    return result


# --- the four actions of each kind, in each version ---------------------------------------------------


@pytest.mark.parametrize("version", VERSIONS)
def test_signature_add_describe_modify_delete(server: ServerProcess, version: str) -> None:
    demo = server.demo()
    sms = api(server, demo, version)

    sign_id = sms.add_sign("端到端测试")
    (item,) = sms.signs(sign_id)
    assert item.SignId == sign_id and item.SignName == "端到端测试"
    assert item.StatusCode == PENDING and item.International == 0 and item.ReviewReply == ""
    assert _near_now(item.CreateTime)
    # A mainland signature without a QualificationId takes the tenant's approved qualification.
    assert item.QualificationId > 0 and item.QualificationName == "smscloud demo"
    assert item.QualificationStatusCode == 1

    # A scan the size of a real licence photo: TC3-signed bodies may be up to 10 MB.
    scan = PNG + bytes(range(256)) * 8192  # 2 MB, 2.7 MB in base64
    renamed = sms.sign_fields("端到端改名", Remark="renamed", ProofImage=base64.b64encode(scan).decode())
    modified = sms.call("ModifySmsSign", SignId=sign_id, **renamed)
    assert modified.ModifySignStatus.SignId == sign_id
    if sms.legacy:
        assert modified.ModifySignStatus.SignApplyId == str(sign_id)  # a String in ModifySignStatus
    (item,) = sms.signs(sign_id)
    assert item.SignName == "端到端改名" and item.StatusCode == PENDING
    assert asyncio.run(_stored_proof(server, sign_id)) == scan

    deleted = sms.call("DeleteSmsSign", SignId=sign_id).DeleteSignStatus
    assert deleted.DeleteStatus == "return successfully!" and _near_now(deleted.DeleteTime)
    assert sms.signs(sign_id) == []
    assert sms.error("DeleteSmsSign", SignId=sign_id) == "FailedOperation.SignIdNotExist"


def test_signature_list_pages_in_2021_and_lists_only_ids_asked_for_in_2019(server: ServerProcess) -> None:
    demo = server.demo()
    new, old = api(server, demo, V2021), api(server, demo, V2019)
    first, second = new.add_sign("分页一"), old.add_sign("分页二")

    names = [item.SignName for item in new.all_signs()]
    assert names == ["smscloud", "分页一", "分页二"]  # oldest first: the demo's own comes first
    page = new.call("DescribeSmsSignList", International=0, Limit=1, Offset=1).DescribeSignListStatusSet
    assert [item.SignId for item in page] == [first]
    assert [item.SignId for item in old.signs(second, first)] == [first, second]
    assert old.signs() == []  # 2019-07-11 lists only the ids asked for
    assert new.call("DescribeSmsSignList", International=1, Limit=10).DescribeSignListStatusSet == []


@pytest.mark.parametrize("version", VERSIONS)
def test_template_add_describe_modify_delete(server: ServerProcess, version: str) -> None:
    demo = server.demo()
    sms = api(server, demo, version)

    template_id = sms.add_template("您的包裹{1}已到{2}，请及时领取。", TemplateName="取件通知")
    (item,) = sms.templates(template_id)
    assert item.TemplateId == template_id and item.TemplateName == "取件通知"
    assert item.StatusCode == PENDING and item.International == 0 and item.ReviewReply == ""
    assert _near_now(item.CreateTime)
    raw = sms.sms.call_json("DescribeSmsTemplateList", {"International": 0, "TemplateIdSet": [template_id]})
    (raw_item,) = raw["Response"]["DescribeTemplateStatusSet"]
    if sms.legacy:
        assert "TemplateContent" not in raw_item  # 2019-07-11 answers no content
    else:
        assert item.TemplateContent == raw_item["TemplateContent"] == "您的包裹{1}已到{2}，请及时领取。"

    modified = sms.call(
        "ModifySmsTemplate",
        TemplateId=template_id,
        **sms.template_fields("您的验证码是{1}。", TemplateName="验证码", SmsType=3),
    )
    assert modified.ModifyTemplateStatus.TemplateId == template_id  # an Integer here
    (item,) = sms.templates(template_id)
    assert item.TemplateName == "验证码" and item.StatusCode == PENDING
    if not sms.legacy:
        assert item.TemplateContent == "您的验证码是{1}。"

    deleted = sms.call("DeleteSmsTemplate", TemplateId=template_id).DeleteTemplateStatus
    assert deleted.DeleteStatus == "return successfully!" and _near_now(deleted.DeleteTime)
    assert sms.templates(template_id) == []
    assert sms.error("DeleteSmsTemplate", TemplateId=template_id) == "FailedOperation.TemplateIdNotExist"


# --- refusals -------------------------------------------------------------------------------------------


def _in_2019(version: str, code_2021: str, code_2019: str) -> str:
    return code_2019 if version == V2019 else code_2021


@pytest.mark.parametrize("version", VERSIONS)
def test_bad_input_answers_the_codes_of_the_sdk(server: ServerProcess, version: str) -> None:
    demo = server.demo()
    sms, listing = api(server, demo, version), api(server, demo, V2021)
    (approved_sign,) = listing.all_signs()  # the demo's own, approved
    approved_template = int(demo["templates"]["notification"])
    before_signs = _as_dicts(sms.signs(approved_sign.SignId))

    def add_sign(**overrides: Any) -> str:
        name = overrides.pop("SignName", "测试签名")
        return sms.error("AddSmsSign", **sms.sign_fields(name, **overrides))

    assert add_sign(SignName="一二三四五六七八九十一二三") == "InvalidParameterValue.SignNameLengthTooLong"
    assert add_sign(SignName="腾") == "FailedOperation.SignatureIncorrectOrUnapproved"
    assert add_sign(SignName="【腾讯云】") == "FailedOperation.SignatureIncorrectOrUnapproved"
    assert add_sign(SignName="smscloud!") == "FailedOperation.SignatureIncorrectOrUnapproved"
    assert add_sign(ProofImage=None) == "MissingParameter"
    assert add_sign(ProofImage="not base64 at all!") == "InvalidParameterValue.ImageInvalid"
    assert add_sign(ProofImage=base64.b64encode(b"GIF89a" + bytes(16)).decode()) == (
        "InvalidParameterValue.ImageInvalid"
    )
    assert add_sign(ProofImage="data:image/png;base64," + PROOF) == "InvalidParameterValue.ImageInvalid"
    assert add_sign(Purpose=1) == "MissingParameter"  # on behalf of others: no power of attorney
    assert add_sign(Purpose=7) == _in_2019(
        version, "InvalidParameterValue.InvalidSignPurpose", "InvalidParameterValue.InvalidUsedMethod"
    )
    assert add_sign(DocumentType=99) == "InvalidParameterValue.InvalidDocumentType"
    assert add_sign(International=2) == "InvalidParameterValue.InvalidInternational"
    assert add_sign(SignName=demo["sign_name"]) == "InvalidParameterValue.SignAlreadyPassedCheck"
    pending_sign = sms.add_sign("待审签名")
    assert add_sign(SignName="待审签名") == "InvalidParameterValue.SignExistAndUnapproved"

    assert sms.error("ModifySmsSign", SignId=pending_sign, **sms.sign_fields("待审签名", International=1)) == (
        "InvalidParameterValue.InvalidInternational"  # a signature stays mainland or international
    )
    assert add_sign(QualificationId=approved_sign.QualificationId + 1000) == (
        "InvalidParameterValue.QualificationIdNotFound"
    )
    if not sms.legacy:
        for limit in (0, 101):
            assert sms.error("DescribeSmsSignList", International=0, Limit=limit) == (
                "InvalidParameterValue.LimitVerifyFail"
            )
        assert sms.error("DescribeSmsTemplateList", International=0, Offset=-1) == (
            "InvalidParameterValue.OffsetVerifyFail"
        )
    too_many = list(range(1, 102))
    assert sms.error("DescribeSmsSignList", International=0, SignIdSet=too_many) == "InvalidParameterValue"
    assert sms.error("DescribeSmsTemplateList", International=0, TemplateIdSet=too_many) == "InvalidParameterValue"

    modify_approved = sms.sign_fields("新名字")
    assert sms.error("ModifySmsSign", SignId=approved_sign.SignId, **modify_approved) == (
        "InvalidParameterValue.SignAlreadyPassedCheck"
    )
    assert sms.error("ModifySmsSign", SignId=987654, **modify_approved) == "FailedOperation.MissingSignatureToModify"
    assert sms.error("DeleteSmsSign", SignId=987654) == "FailedOperation.SignIdNotExist"
    assert sms.signs(987654) == []

    def add_template(content: str, **overrides: Any) -> str:
        return sms.error("AddSmsTemplate", **sms.template_fields(content, **overrides))

    bad_format = _in_2019(version, "InvalidParameterValue.InvalidTemplateFormat", "InvalidParameterValue")
    assert (
        add_template("新品上市，全场八折。", SmsType=1) == "InvalidParameterValue.MarketingTemplateWithoutUnsubscribe"
    )
    assert add_template("您的订单{1}已于{3}发货。") == bad_format  # {2} is missing
    assert add_template("您的订单{2}已发货。") == bad_format  # numbering starts at {1}
    assert add_template("您好{1}{2}") == bad_format  # adjacent parameters
    assert add_template("{1}") == bad_format  # parameters only
    assert add_template("【腾讯云】您的订单{1}已发货。") == bad_format  # the signature is added when sending
    assert add_template("长" * 501) == "InvalidParameterValue.ContentLengthLimit"
    assert add_template("您的订单{1}已发货。", SmsType=9) == "InvalidParameterValue.InvalidSmsType"
    assert add_template("您的订单{1}已发货。", TemplateName=None) == "MissingParameter"

    modify_template = sms.template_fields("您的订单{1}已签收。")
    assert sms.error("ModifySmsTemplate", TemplateId=approved_template, **modify_template) == (
        "FailedOperation.TemplateAlreadyPassedCheck"
    )
    assert sms.error("ModifySmsTemplate", TemplateId=987654, **modify_template) == (
        "FailedOperation.MissingTemplateToModify"
    )
    assert sms.error("DeleteSmsTemplate", TemplateId=987654) == "FailedOperation.TemplateIdNotExist"
    assert sms.templates(987654) == []
    # A marketing template with the opt-out wording is fine.
    assert sms.add_template("新品上市，全场八折。拒收请回复R", SmsType=1) > approved_template

    # Nothing refused was stored, and the approved ones are as they were.
    assert _as_dicts(sms.signs(approved_sign.SignId)) == before_signs
    assert [(s.SignId, s.SignName) for s in listing.all_signs()] == [
        (approved_sign.SignId, demo["sign_name"]),
        (pending_sign, "待审签名"),
    ]
    (template,) = sms.templates(approved_template)
    assert template.StatusCode == APPROVED and template.TemplateName == "demo shipping notice"


# --- who may use the actions ----------------------------------------------------------------------------


async def _tenant_with_key(server: ServerProcess, qualification: ReviewStatus | None) -> dict[str, Any]:
    """A second enterprise tenant with an API key, and a qualification in that state (or none)."""

    async def work(platform: Platform, build: Builder) -> dict[str, Any]:
        tenant = await build.tenant("another company")
        if qualification is not None:
            await build.qualification(tenant.id, "另一家公司", status=qualification)
        if qualification is ReviewStatus.APPROVED:  # and, as such an account would, applied for SMS
            await platform.accounts.enable_sms(tenant.id, now=platform.clock.now())
        key = await build.api_key(tenant.id)
        return {"tenant_id": tenant.id, "secret_id": key.secret_id, "secret_key": key.secret_key}

    result: dict[str, Any] = await _with_platform(server, work)
    return result


def test_another_tenant_can_neither_see_nor_change_the_demos_signatures_and_templates(
    server: ServerProcess,
) -> None:
    demo = server.demo()
    owner = api(server, demo, V2021)
    pending_sign = owner.add_sign("只属于我")
    pending_template = owner.add_template("您的工单{1}已受理。")
    approved_template = int(demo["templates"]["verification"])
    signs = [s.SignId for s in owner.all_signs()]  # the demo's approved one and the pending one
    assert len(signs) == 2 and pending_sign in signs
    templates = [pending_template, approved_template]
    before = (_as_dicts(owner.signs(*signs)), _as_dicts(owner.templates(*templates)))

    other = asyncio.run(_tenant_with_key(server, ReviewStatus.APPROVED))
    for version in VERSIONS:
        them = api(server, other, version)
        assert them.signs(*signs) == []
        assert them.templates(*templates) == []
        if not them.legacy:
            assert them.all_signs() == []
            assert them.call("DescribeSmsTemplateList", International=0, Limit=100).DescribeTemplateStatusSet == []
        for sign_id in signs:
            assert them.error("ModifySmsSign", SignId=sign_id, **them.sign_fields("抢来的签名")) == (
                "FailedOperation.MissingSignatureToModify"
            )
            assert them.error("DeleteSmsSign", SignId=sign_id) == "FailedOperation.SignIdNotExist"
        for template_id in templates:
            assert (
                them.error("ModifySmsTemplate", TemplateId=template_id, **them.template_fields("您的工单{1}已关闭。"))
                == "FailedOperation.MissingTemplateToModify"
            )
            assert them.error("DeleteSmsTemplate", TemplateId=template_id) == "FailedOperation.TemplateIdNotExist"

    # Nor can they name the demo's qualification for a signature of their own.
    (demo_sign,) = [s for s in owner.all_signs() if s.SignName == demo["sign_name"]]
    assert (
        api(server, other, V2021).error(
            "AddSmsSign", **owner.sign_fields("冒名签名", QualificationId=demo_sign.QualificationId)
        )
        == "InvalidParameterValue.QualificationIdNotFound"
    )
    # Their own signature of the same name is theirs alone, and does not clash with the demo's.
    theirs = api(server, other, V2021).add_sign("只属于我")
    assert theirs not in signs
    assert [s.SignId for s in api(server, other, V2021).all_signs()] == [theirs]
    assert (_as_dicts(owner.signs(*signs)), _as_dicts(owner.templates(*templates))) == before


@pytest.mark.parametrize("qualification", [None, ReviewStatus.PENDING, ReviewStatus.REJECTED])
def test_without_an_approved_qualification_the_actions_are_refused(
    server: ServerProcess, qualification: ReviewStatus | None
) -> None:
    server.demo()  # a tenant that could use them exists beside it
    other = asyncio.run(_tenant_with_key(server, qualification))
    for version in VERSIONS:
        sms = api(server, other, version)
        calls: list[tuple[str, dict[str, Any]]] = [
            ("AddSmsSign", sms.sign_fields("没有资质")),
            ("ModifySmsSign", {"SignId": 1, **sms.sign_fields("没有资质")}),
            ("DeleteSmsSign", {"SignId": 1}),
            ("DescribeSmsSignList", {"International": 0, "SignIdSet": [1]}),
            ("AddSmsTemplate", sms.template_fields("您的订单{1}已发货。")),
            ("ModifySmsTemplate", {"TemplateId": 1, **sms.template_fields("您的订单{1}已发货。")}),
            ("DeleteSmsTemplate", {"TemplateId": 1}),
            ("DescribeSmsTemplateList", {"International": 0, "TemplateIdSet": [1]}),
        ]
        for action, fields in calls:
            assert sms.error(action, **fields) == "FailedOperation.NotEnterpriseCertification", (version, action)


# --- from the API through review to a send ----------------------------------------------------------------


def _send(sms: Any, demo: dict[str, Any], sign_name: str, template_id: int) -> Any:
    request = models_2021.SendSmsRequest()
    request.SmsSdkAppId = demo["sdk_app_id"]
    request.SignName = sign_name
    request.TemplateId = str(template_id)
    request.TemplateParamSet = ["246810"]
    request.PhoneNumberSet = [DELIVERED]
    (status,) = sms.SendSms(request).SendStatusSet
    return status


async def _approve(server: ServerProcess, sign_id: int, template_id: int) -> list[tuple[str, int | None, ActorKind]]:
    """Find both in the operators' review queues, approve them as the system; the audit log's entries."""

    async def work(platform: Platform, build: Builder) -> list[tuple[str, int | None, ActorKind]]:
        assert sign_id in [s.id for s in await platform.signatures.pending(limit=100)]
        assert template_id in [t.id for t in await platform.templates.pending(limit=100)]
        system = Actor.system()
        await platform.reviews.decide_signature(actor=system, signature_id=sign_id, decision=Decision.approved("ok"))
        await platform.reviews.decide_template(
            actor=system, template_id=template_id, decision=Decision.approved("通过")
        )
        return [(e.action, e.subject_id, e.actor.kind) for e in await platform.audit.recent(limit=2)]

    result: list[tuple[str, int | None, ActorKind]] = await _with_platform(server, work)
    return result


def test_added_through_the_api_reviewed_and_then_sent_with(server: ServerProcess) -> None:
    demo = server.demo()
    sms = api(server, demo, V2021)
    sign_id = sms.add_sign("接口签名")
    template_id = sms.add_template("您的登录验证码是{1}，请勿告诉他人。", TemplateName="登录验证码", SmsType=3)

    status = _send(sms.sms, demo, "接口签名", int(demo["templates"]["verification"]))
    assert status.Code == "FailedOperation.SignatureIncorrectOrUnapproved" and status.Fee == 0
    status = _send(sms.sms, demo, demo["sign_name"], template_id)
    assert status.Code == "FailedOperation.TemplateIncorrectOrUnapproved" and status.Fee == 0

    audit = asyncio.run(_approve(server, sign_id, template_id))
    assert audit == [
        ("template.approve", template_id, ActorKind.SYSTEM),
        ("signature.approve", sign_id, ActorKind.SYSTEM),
    ]
    (sign,) = sms.signs(sign_id)
    assert sign.StatusCode == APPROVED and sign.ReviewReply == "ok"
    (template,) = sms.templates(template_id)
    assert template.StatusCode == APPROVED and template.ReviewReply == "通过"

    # The approval happened in another process: the server sees it once its cached lookups expire.
    deadline = time.monotonic() + 15
    while (status := _send(sms.sms, demo, "接口签名", template_id)).Code != "Ok" and time.monotonic() < deadline:
        time.sleep(0.2)
    assert status.Code == "Ok" and status.Fee == 1 and status.SerialNo

    pull = models_2021.PullSmsSendStatusRequest()
    pull.SmsSdkAppId = demo["sdk_app_id"]
    pull.Limit = 10
    reports: list[Any] = []
    while not reports and time.monotonic() < deadline + 15:
        reports = sms.sms.PullSmsSendStatus(pull).PullSmsSendStatusSet
        time.sleep(0.1)
    assert [(r.SerialNo, r.ReportStatus) for r in reports] == [(status.SerialNo, "SUCCESS")]

    # Approved now: it can no longer be modified, only deleted.
    assert sms.error("ModifySmsSign", SignId=sign_id, **sms.sign_fields("接口签名二")) == (
        "InvalidParameterValue.SignAlreadyPassedCheck"
    )
    assert sms.error("ModifySmsTemplate", TemplateId=template_id, **sms.template_fields("您好{1}")) == (
        "FailedOperation.TemplateAlreadyPassedCheck"
    )

    # Deleted through the API, they are refused at once: the server drops its cached lookups.
    sms.call("DeleteSmsTemplate", TemplateId=template_id)
    status = _send(sms.sms, demo, "接口签名", template_id)
    assert status.Code == "FailedOperation.TemplateIncorrectOrUnapproved"
    sms.call("DeleteSmsSign", SignId=sign_id)
    status = _send(sms.sms, demo, "接口签名", int(demo["templates"]["verification"]))
    assert status.Code == "FailedOperation.SignatureIncorrectOrUnapproved"


@pytest.mark.parametrize(
    ("method", "sign_method"), [("GET", "TC3-HMAC-SHA256"), ("POST", "HmacSHA256"), ("POST", "HmacSHA1")]
)
def test_other_transports_the_sdk_can_be_set_to(server: ServerProcess, method: str, sign_method: str) -> None:
    """Flattened parameters (SignIdSet.0=…) and base64 in a query string or a form body."""
    demo = server.demo()
    for version in VERSIONS:
        sdk = client(
            server.endpoint,
            demo["secret_id"],
            demo["secret_key"],
            version=version,
            method=method,
            sign_method=sign_method,
        )
        sms = Api(sdk, version)
        proof = PNG + b"+/=" * 40  # base64 with + and /, which a query string or form must escape
        first = sms.add_sign(f"传输{version[:4]}", ProofImage=base64.b64encode(proof).decode())
        second = sms.add_sign(f"传输二{version[:4]}")
        assert [s.SignId for s in sms.signs(second, first)] == [first, second]
        assert asyncio.run(_stored_proof(server, first)) == proof
        template_id = sms.add_template("您的订单{1}已发货，运单号{2}。")
        (template,) = sms.templates(template_id)
        assert template.TemplateId == template_id
        sms.call("DeleteSmsSign", SignId=first)
        sms.call("DeleteSmsTemplate", TemplateId=template_id)
        assert [s.SignId for s in sms.signs(first, second)] == [second]
