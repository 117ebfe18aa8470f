"""The signature and template actions over in-memory stores, through `TencentApi` with signed calls.

Each test signs a request as the SDK does, lets `TencentApi` route it to the action, and reads
Tencent's envelope back; every error code answered must be one the SDK of that version lists (or
one of Tencent's common codes). The integration tests run the same actions over the real stores.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any, cast

import pytest
import tencentcloud.sms.v20190711.errorcodes as errorcodes_2019
import tencentcloud.sms.v20210111.errorcodes as errorcodes_2021

from smscloud.adapters.http.tencent_v3.api import TencentApi
from smscloud.adapters.http.tencent_v3.auth import RawRequest
from smscloud.adapters.http.tencent_v3.context import ApiServices, ContentServices
from smscloud.adapters.http.tencent_v3.signing import sign_tc3
from smscloud.domain.accounts.model import ApiKey, ApiKeyStatus, Tenant, TenantKind, TenantStatus
from smscloud.domain.documents.model import Document, DocumentPurpose
from smscloud.domain.qualification.model import Qualification
from smscloud.domain.shared.clock import FixedClock
from smscloud.domain.shared.review import ReviewStatus
from smscloud.domain.signatures.model import Signature, SignatureDraft
from smscloud.domain.signatures.rules import MAX_SIGNATURES
from smscloud.domain.templates.model import Template, TemplateDraft
from smscloud.domain.templates.rules import MAX_TEMPLATES

V2021 = "2021-01-11"
V2019 = "2019-07-11"
VERSIONS = (V2021, V2019)
NOW = datetime(2026, 3, 10, 4, 0, tzinfo=UTC)
HOST = "sms.tencentcloudapi.com"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(64))
JPEG = b"\xff\xd8\xff\xe0" + bytes(range(64))
COMMON_CODES = frozenset(
    {"FailedOperation", "InternalError", "InvalidParameter", "InvalidParameterValue", "MissingParameter"}
    | {"UnsupportedOperation", "UnauthorizedOperation", "ResourceNotFound", "InvalidAction"}
)


def _codes(module: Any) -> frozenset[str]:
    return frozenset(v for k, v in vars(module).items() if k.isupper() and isinstance(v, str))


SDK_CODES = {V2021: _codes(errorcodes_2021), V2019: _codes(errorcodes_2019)}


# --- in-memory stores -------------------------------------------------------------------------------------


class Credentials:
    def __init__(self) -> None:
        self.keys: dict[str, ApiKey] = {}
        self.tenants: dict[int, Tenant] = {}

    async def api_key(self, secret_id: str) -> ApiKey | None:
        return self.keys.get(secret_id)

    async def tenant(self, tenant_id: int) -> Tenant | None:
        return self.tenants.get(tenant_id)


class Documents:
    def __init__(self) -> None:
        self.documents: dict[int, tuple[Document, bytes]] = {}

    async def add(
        self,
        *,
        tenant_id: int,
        purpose: DocumentPurpose,
        filename: str,
        content_type: str,
        data: bytes,
        sha256: str,
        now: datetime,
    ) -> Document:
        document = Document(len(self.documents) + 1, tenant_id, purpose, filename, content_type, len(data), sha256, now)
        self.documents[document.id] = (document, data)
        return document

    async def get(self, document_id: int) -> Document | None:
        found = self.documents.get(document_id)
        return None if found is None else found[0]

    async def content(self, document_id: int) -> bytes | None:
        found = self.documents.get(document_id)
        return None if found is None else found[1]


class Qualifications:
    def __init__(self) -> None:
        self.rows: dict[int, Qualification] = {}

    def put(self, tenant_id: int, status: ReviewStatus, company: str = "深圳市腾讯计算机系统有限公司") -> Qualification:
        row = Qualification(
            len(self.rows) + 1, tenant_id, company, "91440300708461136T", 1, "张三", "13800000000",
            status, "", NOW, None, None,
        )  # fmt: skip
        self.rows[row.id] = row
        return row

    async def add(self, **kwargs: Any) -> Qualification:
        raise NotImplementedError

    async def by_id(self, qualification_id: int) -> Qualification | None:
        return self.rows.get(qualification_id)

    async def current_of(self, tenant_id: int) -> Qualification | None:
        return max((q for q in self.rows.values() if q.tenant_id == tenant_id), key=lambda q: q.id, default=None)

    async def approved_of(self, tenant_id: int) -> Qualification | None:
        approved = [q for q in self.rows.values() if q.tenant_id == tenant_id and q.status is ReviewStatus.APPROVED]
        return max(approved, key=lambda q: q.id, default=None)

    async def approved_elsewhere(self, *, credit_code: str, tenant_id: int) -> list[Qualification]:
        raise NotImplementedError  # the operators' review page only

    async def pending(self, *, limit: int, offset: int = 0) -> list[Qualification]:
        return []

    async def count_pending(self) -> int:
        return 0

    async def decide(self, **kwargs: Any) -> Qualification | None:
        raise NotImplementedError


class Signatures:
    """`SignatureStore`: ids are global, every tenant-facing method filters by tenant."""

    def __init__(self) -> None:
        self.rows: dict[int, Signature] = {}
        self.deleted: set[int] = set()
        self.count_override: int | None = None

    def _live(self, tenant_id: int) -> list[Signature]:
        return [s for s in self.rows.values() if s.tenant_id == tenant_id and s.id not in self.deleted]

    async def add(self, *, tenant_id: int, draft: SignatureDraft, now: datetime) -> Signature:
        signature = Signature(
            id=1000 + len(self.rows),
            tenant_id=tenant_id,
            name=draft.name,
            international=draft.international,
            sign_type=draft.sign_type,
            document_type=draft.document_type,
            sign_purpose=draft.sign_purpose,
            remark=draft.remark,
            status=ReviewStatus.PENDING,
            review_reply="",
            created_at=now,
            updated_at=now,
            proof_document_id=draft.proof_document_id,
            commission_document_id=draft.commission_document_id,
            qualification_id=draft.qualification_id,
        )
        self.rows[signature.id] = signature
        return signature

    async def get(self, *, tenant_id: int, signature_id: int) -> Signature | None:
        return next((s for s in self._live(tenant_id) if s.id == signature_id), None)

    async def named(self, *, tenant_id: int, name: str, international: bool) -> list[Signature]:
        return [s for s in self._live(tenant_id) if s.name == name and s.international == international]

    async def of_tenant(
        self,
        tenant_id: int,
        *,
        international: bool | None = None,
        ids: Any = (),
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Signature]:
        rows = [s for s in self._live(tenant_id) if international is None or s.international == international]
        if ids:
            return [s for s in rows if s.id in set(ids)]
        return rows[offset:] if limit is None else rows[offset : offset + limit]

    async def count_of_tenant(self, tenant_id: int) -> int:
        return len(self._live(tenant_id)) if self.count_override is None else self.count_override

    async def update(self, *, tenant_id: int, signature_id: int, draft: SignatureDraft, now: datetime) -> Signature:
        current = self.rows[signature_id]
        updated = replace(
            current,
            name=draft.name,
            sign_type=draft.sign_type,
            document_type=draft.document_type,
            sign_purpose=draft.sign_purpose,
            remark=draft.remark,
            proof_document_id=draft.proof_document_id,
            commission_document_id=draft.commission_document_id,
            qualification_id=draft.qualification_id,
            status=ReviewStatus.PENDING,
            review_reply="",
            updated_at=now,
        )
        self.rows[signature_id] = updated
        return updated

    async def delete(self, *, tenant_id: int, signature_id: int, now: datetime) -> bool:
        if await self.get(tenant_id=tenant_id, signature_id=signature_id) is None:
            return False
        self.deleted.add(signature_id)
        return True

    def review(self, signature_id: int, status: ReviewStatus, reply: str = "") -> None:
        self.rows[signature_id] = replace(self.rows[signature_id], status=status, review_reply=reply)

    async def by_id(self, signature_id: int) -> Signature | None:
        return self.rows.get(signature_id)

    async def pending(self, *, limit: int, offset: int = 0) -> list[Signature]:
        return []

    async def count_pending(self) -> int:
        return 0

    async def decide(self, **kwargs: Any) -> Signature | None:
        raise NotImplementedError


class Templates:
    def __init__(self) -> None:
        self.rows: dict[int, Template] = {}
        self.deleted: set[int] = set()
        self.count_override: int | None = None

    def _live(self, tenant_id: int) -> list[Template]:
        return [t for t in self.rows.values() if t.tenant_id == tenant_id and t.id not in self.deleted]

    async def add(self, *, tenant_id: int, draft: TemplateDraft, now: datetime) -> Template:
        template = Template(
            2000 + len(self.rows), tenant_id, draft.name, draft.content, draft.sms_type, draft.international,
            draft.remark, ReviewStatus.PENDING, "", now, now,
        )  # fmt: skip
        self.rows[template.id] = template
        return template

    async def get(self, *, tenant_id: int, template_id: int) -> Template | None:
        return next((t for t in self._live(tenant_id) if t.id == template_id), None)

    async def of_tenant(
        self,
        tenant_id: int,
        *,
        international: bool | None = None,
        ids: Any = (),
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Template]:
        rows = [t for t in self._live(tenant_id) if international is None or t.international == international]
        if ids:
            return [t for t in rows if t.id in set(ids)]
        return rows[offset:] if limit is None else rows[offset : offset + limit]

    async def count_of_tenant(self, tenant_id: int) -> int:
        return len(self._live(tenant_id)) if self.count_override is None else self.count_override

    async def update(self, *, tenant_id: int, template_id: int, draft: TemplateDraft, now: datetime) -> Template:
        current = self.rows[template_id]
        updated = Template(
            current.id, tenant_id, draft.name, draft.content, draft.sms_type, draft.international, draft.remark,
            ReviewStatus.PENDING, "", current.created_at, now,
        )  # fmt: skip
        self.rows[template_id] = updated
        return updated

    async def delete(self, *, tenant_id: int, template_id: int, now: datetime) -> bool:
        if await self.get(tenant_id=tenant_id, template_id=template_id) is None:
            return False
        self.deleted.add(template_id)
        return True

    def review(self, template_id: int, status: ReviewStatus, reply: str = "") -> None:
        t = self.rows[template_id]
        self.rows[template_id] = Template(
            t.id, t.tenant_id, t.name, t.content, t.sms_type, t.international, t.remark, status, reply,
            t.created_at, t.updated_at,
        )  # fmt: skip

    async def by_id(self, template_id: int) -> Template | None:
        return self.rows.get(template_id)

    async def pending(self, *, limit: int, offset: int = 0) -> list[Template]:
        return []

    async def count_pending(self) -> int:
        return 0

    async def decide(self, **kwargs: Any) -> Template | None:
        raise NotImplementedError


# --- the API over them --------------------------------------------------------------------------------------


@dataclass
class Api:
    api: TencentApi
    credentials: Credentials
    documents: Documents
    qualifications: Qualifications
    signatures: Signatures
    templates: Templates
    clock: FixedClock
    changes: list[int] = field(default_factory=list)
    tenant: Tenant | None = None

    def add_tenant(
        self, kind: TenantKind = TenantKind.ENTERPRISE, qualification: ReviewStatus | None = ReviewStatus.APPROVED
    ) -> Tenant:
        tenant = Tenant(len(self.credentials.tenants) + 1, f"t{len(self.credentials.tenants)}", kind,
                        TenantStatus.ACTIVE, "Asia/Shanghai", NOW, sms_enabled_at=NOW)  # fmt: skip
        self.credentials.tenants[tenant.id] = tenant
        secret_id = f"AKID{tenant.id:032d}"
        self.credentials.keys[secret_id] = ApiKey(tenant.id, tenant.id, secret_id, "k" * 32, ApiKeyStatus.ACTIVE, NOW)
        if qualification is not None:
            self.qualifications.put(tenant.id, qualification)
        return tenant

    async def call(
        self, action: str, params: dict[str, Any], *, version: str = V2021, tenant: Tenant | None = None
    ) -> dict[str, Any]:
        tenant = tenant or self.tenant
        assert tenant is not None
        body = json.dumps(params).encode()
        headers = sign_tc3(
            secret_id=f"AKID{tenant.id:032d}",
            secret_key="k" * 32,
            host=HOST,
            action=action,
            version=version,
            body=body,
            timestamp=int(self.clock.now().timestamp()),
        )
        raw = RawRequest("POST", "", {k.lower(): v for k, v in headers.items()}, body)
        document = json.loads(await self.api.handle(raw))
        response: dict[str, Any] = document["Response"]
        if "Error" in response:
            code = response["Error"]["Code"]
            assert code in SDK_CODES[version] | COMMON_CODES, f"{code} is unknown to the {version} SDK"
            assert response["Error"]["Message"]
        return response


def build(*, content: bool = True) -> Api:
    credentials, documents, qualifications = Credentials(), Documents(), Qualifications()
    signatures, templates, clock = Signatures(), Templates(), FixedClock(NOW)
    changes: list[int] = []
    services = ApiServices(
        credentials=credentials,
        catalog=cast(Any, None),
        messages=cast(Any, None),
        signal=cast(Any, None),
        reports=cast(Any, None),
        parser=cast(Any, None),
        clock=clock,
        content=ContentServices(
            signatures=signatures,
            templates=templates,
            documents=documents,
            qualifications=qualifications,
            changed=lambda: changes.append(1),
        )
        if content
        else None,
    )
    api = Api(TencentApi(services), credentials, documents, qualifications, signatures, templates, clock, changes)
    api.tenant = api.add_tenant()
    return api


@pytest.fixture
def api() -> Api:
    return build()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def sign_params(version: str = V2021, **fields: Any) -> dict[str, Any]:
    params: dict[str, Any] = {
        "SignName": "腾讯云",
        "SignType": 0,
        "DocumentType": 1,
        "International": 0,
        "SignPurpose" if version == V2021 else "UsedMethod": 0,
        "ProofImage": b64(PNG),
        "Remark": "our company",
    }
    params.update(fields)
    return {k: v for k, v in params.items() if v is not None}


def template_params(**fields: Any) -> dict[str, Any]:
    params: dict[str, Any] = {
        "TemplateName": "order shipped",
        "TemplateContent": "您的订单{1}已发货。",
        "SmsType": 2,
        "International": 0,
        "Remark": "shipping notices",
    }
    params.update(fields)
    return {k: v for k, v in params.items() if v is not None}


def code(response: dict[str, Any]) -> str | None:
    error = response.get("Error")
    return None if error is None else str(error["Code"])


async def add_sign(api: Api, version: str = V2021, **fields: Any) -> int:
    response = await api.call("AddSmsSign", sign_params(version, **fields), version=version)
    assert code(response) is None, response
    return int(response["AddSignStatus"]["SignId"])


async def add_template(api: Api, **fields: Any) -> int:
    response = await api.call("AddSmsTemplate", template_params(**fields))
    assert code(response) is None, response
    return int(response["AddTemplateStatus"]["TemplateId"])


# --- AddSmsSign ------------------------------------------------------------------------------------------------


async def test_add_sign_stores_the_proof_and_submits_for_review(api: Api) -> None:
    response = await api.call("AddSmsSign", sign_params())
    sign_id = response["AddSignStatus"]["SignId"]
    assert response["AddSignStatus"] == {"SignId": sign_id}
    signature = api.signatures.rows[sign_id]
    assert (signature.tenant_id, signature.name, signature.status) == (1, "腾讯云", ReviewStatus.PENDING)
    assert signature.remark == "our company"
    [(document, data)] = api.documents.documents.values()
    assert (document.tenant_id, document.purpose, document.content_type, data) == (
        1, DocumentPurpose.SIGN_PROOF, "image/png", PNG,
    )  # fmt: skip
    assert signature.proof_document_id == document.id
    # Without a QualificationId a mainland signature is filed under the approved qualification.
    assert signature.qualification_id == (await api.qualifications.approved_of(1)).id  # type: ignore[union-attr]
    assert api.changes == [1]


async def test_add_sign_2019_answers_a_sign_apply_id_and_reads_used_method(api: Api) -> None:
    response = await api.call("AddSmsSign", sign_params(V2019, UsedMethod=1, CommissionImage=b64(JPEG)), version=V2019)
    status = response["AddSignStatus"]
    assert status == {"SignId": status["SignId"], "SignApplyId": status["SignId"]}
    assert isinstance(status["SignApplyId"], int)
    signature = api.signatures.rows[status["SignId"]]
    assert int(signature.sign_purpose) == 1
    commission = api.documents.documents[signature.commission_document_id or 0][0]
    assert commission.purpose is DocumentPurpose.COMMISSION and commission.content_type == "image/jpeg"


async def test_proof_image_with_line_breaks_is_accepted(api: Api) -> None:
    wrapped = "\n".join(b64(PNG)[i : i + 20] for i in range(0, len(b64(PNG)), 20))
    await add_sign(api, ProofImage=wrapped)


@pytest.mark.parametrize(
    "image",
    [
        "data:image/png;base64," + b64(PNG),  # the prefix must be taken off
        "not base64!",
        "iVBORw0KGgo",  # truncated: bad padding
        "图片",
        b64(b"GIF89a" + bytes(20)),  # base64, but not a JPEG, PNG or PDF
        "",
    ],
)
@pytest.mark.parametrize("version", VERSIONS)
async def test_a_bad_proof_image_is_image_invalid_and_nothing_is_stored(api: Api, image: str, version: str) -> None:
    response = await api.call("AddSmsSign", sign_params(version, ProofImage=image), version=version)
    assert code(response) == "InvalidParameterValue.ImageInvalid"
    assert api.documents.documents == {} and api.signatures.rows == {}


async def test_a_bad_commission_image_is_image_invalid(api: Api) -> None:
    response = await api.call("AddSmsSign", sign_params(SignPurpose=1, CommissionImage="%%%"))
    assert code(response) == "InvalidParameterValue.ImageInvalid"


async def test_on_behalf_of_others_needs_the_power_of_attorney(api: Api) -> None:
    response = await api.call("AddSmsSign", sign_params(SignPurpose=1))
    assert code(response) == "MissingParameter"
    assert "CommissionImage" in response["Error"]["Message"]
    assert api.documents.documents == {}


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"SignName": "腾讯云" * 5}, "InvalidParameterValue.SignNameLengthTooLong"),
        ({"SignName": "腾"}, "FailedOperation.SignatureIncorrectOrUnapproved"),
        ({"SignName": "【腾讯云】"}, "FailedOperation.SignatureIncorrectOrUnapproved"),
        ({"SignName": "验证码"}, "FailedOperation.SignatureIncorrectOrUnapproved"),
        ({"SignType": 9}, "InvalidParameterValue.InvalidDocumentType"),
        ({"SignType": 2}, "InvalidParameterValue.InvalidDocumentType"),  # website: retired
        ({"DocumentType": 7}, "InvalidParameterValue.InvalidDocumentType"),  # trademark cert for a company
        ({"DocumentType": -1}, "InvalidParameterValue.InvalidDocumentType"),
        ({"International": 2}, "InvalidParameterValue.InvalidInternational"),
        ({"SignPurpose": 3}, "InvalidParameterValue.InvalidSignPurpose"),
        ({"Remark": "r" * 501}, "InvalidParameterValue"),
        ({"SignType": "company"}, "InvalidParameter"),
        ({"SignName": 12}, "InvalidParameter"),
        ({"QualificationId": -1}, "InvalidParameter"),
        ({"QualificationId": 2**64}, "InvalidParameter"),
        ({"SignName": None}, "MissingParameter"),
        ({"ProofImage": None}, "MissingParameter"),
        ({"SignPurpose": None}, "MissingParameter"),
    ],
)
async def test_add_sign_refusals(api: Api, fields: dict[str, Any], expected: str) -> None:
    params = sign_params()
    params.update(fields)
    response = await api.call("AddSmsSign", {k: v for k, v in params.items() if v is not None})
    assert code(response) == expected
    assert api.documents.documents == {} and api.signatures.rows == {}


async def test_2019_names_the_purpose_used_method_in_codes_and_messages(api: Api) -> None:
    response = await api.call("AddSmsSign", sign_params(V2019, UsedMethod=7), version=V2019)
    assert code(response) == "InvalidParameterValue.InvalidUsedMethod"
    response = await api.call("AddSmsSign", sign_params(V2019, UsedMethod=1), version=V2019)
    assert code(response) == "MissingParameter"
    response = await api.call("AddSmsSign", sign_params(V2021), version=V2019)  # SignPurpose, not UsedMethod
    assert code(response) == "MissingParameter" and "UsedMethod" in response["Error"]["Message"]


async def test_duplicates_pending_and_approved(api: Api) -> None:
    sign_id = await add_sign(api)
    response = await api.call("AddSmsSign", sign_params())
    assert code(response) == "InvalidParameterValue.SignExistAndUnapproved"
    api.signatures.review(sign_id, ReviewStatus.APPROVED)
    response = await api.call("AddSmsSign", sign_params())
    assert code(response) == "InvalidParameterValue.SignAlreadyPassedCheck"
    assert "approved" in response["Error"]["Message"]
    # A rejected one may be asked for again.
    api.signatures.review(sign_id, ReviewStatus.REJECTED)
    await add_sign(api)


async def test_qualification_id_unknown_foreign_or_unapproved(api: Api) -> None:
    other = api.add_tenant()
    foreign = await api.qualifications.approved_of(other.id)
    assert foreign is not None
    pending = api.qualifications.put(1, ReviewStatus.PENDING)
    cases = [(999, "InvalidParameterValue.QualificationIdNotFound"),
             (foreign.id, "InvalidParameterValue.QualificationIdNotFound"),
             (pending.id, "FailedOperation.QualificationIdNotApproved")]  # fmt: skip
    for qualification_id, expected in cases:
        for version in VERSIONS:
            response = await api.call(
                "AddSmsSign", sign_params(version, QualificationId=qualification_id), version=version
            )
            assert code(response) == expected


async def test_qualification_id_zero_means_none(api: Api) -> None:
    sign_id = await add_sign(api, QualificationId=0)
    assert api.signatures.rows[sign_id].qualification_id is not None


async def test_sign_number_limit(api: Api) -> None:
    api.signatures.count_override = MAX_SIGNATURES
    response = await api.call("AddSmsSign", sign_params())
    assert code(response) == "FailedOperation.SignNumberLimit"


@pytest.mark.parametrize("version", VERSIONS)
async def test_a_sign_refused_after_its_images_are_read_stores_none_of_them(api: Api, version: str) -> None:
    """The domain refuses these only after its own checks, so the images must still not be stored."""
    sign_id = await add_sign(api, version)
    stored = dict(api.documents.documents)
    other = api.add_tenant()
    foreign = await api.qualifications.approved_of(other.id)
    pending = api.qualifications.put(1, ReviewStatus.PENDING)
    assert foreign is not None
    images = {"UsedMethod" if version == V2019 else "SignPurpose": 1, "CommissionImage": b64(JPEG)}
    gif = b64(b"GIF89a" + bytes(16))

    async def refused(action: str, params: dict[str, Any]) -> str | None:
        return code(await api.call(action, params, version=version))

    assert await refused("AddSmsSign", sign_params(version, **images)) == "InvalidParameterValue.SignExistAndUnapproved"
    for qualification, expected in [
        (foreign.id, "InvalidParameterValue.QualificationIdNotFound"),
        (pending.id, "FailedOperation.QualificationIdNotApproved"),
    ]:
        params = sign_params(version, SignName="腾讯科技", QualificationId=qualification, **images)
        assert await refused("AddSmsSign", params) == expected
    bad_second = sign_params(version, SignName="腾讯科技", **{**images, "CommissionImage": gif})
    assert await refused("AddSmsSign", bad_second) == "InvalidParameterValue.ImageInvalid"
    api.signatures.count_override = MAX_SIGNATURES
    limit = sign_params(version, SignName="腾讯科技", **images)
    assert await refused("AddSmsSign", limit) == "FailedOperation.SignNumberLimit"
    api.signatures.count_override = None
    bad_second = {"SignId": sign_id, **sign_params(version, **{**images, "CommissionImage": gif})}
    assert await refused("ModifySmsSign", bad_second) == "InvalidParameterValue.ImageInvalid"
    api.signatures.review(sign_id, ReviewStatus.APPROVED)
    modify = {"SignId": sign_id, **sign_params(version, **images)}
    assert await refused("ModifySmsSign", modify) == "InvalidParameterValue.SignAlreadyPassedCheck"
    assert api.documents.documents == stored
    assert list(api.signatures.rows) == [sign_id]


# --- enterprise accounts only ----------------------------------------------------------------------------------

ALL_ACTIONS = {
    "AddSmsSign": sign_params(),
    "ModifySmsSign": {"SignId": 1, **sign_params()},
    "DeleteSmsSign": {"SignId": 1},
    "DescribeSmsSignList": {"International": 0, "SignIdSet": [1]},
    "AddSmsTemplate": template_params(),
    "ModifySmsTemplate": {"TemplateId": 1, **template_params()},
    "DeleteSmsTemplate": {"TemplateId": 1},
    "DescribeSmsTemplateList": {"International": 0, "TemplateIdSet": [1]},
}


@pytest.mark.parametrize("qualification", [None, ReviewStatus.PENDING, ReviewStatus.REJECTED])
@pytest.mark.parametrize("kind", list(TenantKind))
@pytest.mark.parametrize("action", list(ALL_ACTIONS))
@pytest.mark.parametrize("version", VERSIONS)
async def test_without_an_approved_qualification_every_action_is_refused(
    api: Api, action: str, version: str, kind: TenantKind, qualification: ReviewStatus | None
) -> None:
    tenant = api.add_tenant(kind, qualification)
    params = dict(ALL_ACTIONS[action])
    if version == V2019 and "SignPurpose" in params:
        params["UsedMethod"] = params.pop("SignPurpose")
    response = await api.call(action, params, version=version, tenant=tenant)
    assert code(response) == "FailedOperation.NotEnterpriseCertification"
    assert api.documents.documents == {}


@pytest.mark.parametrize("action", list(ALL_ACTIONS))
async def test_without_content_services_the_actions_are_unsupported(action: str) -> None:
    api = build(content=False)
    response = await api.call(action, ALL_ACTIONS[action])
    assert code(response) == "UnsupportedOperation"


# --- ModifySmsSign, DeleteSmsSign --------------------------------------------------------------------------------


@pytest.mark.parametrize("version", VERSIONS)
async def test_modify_sign_goes_back_to_review(api: Api, version: str) -> None:
    sign_id = await add_sign(api)
    api.signatures.review(sign_id, ReviewStatus.REJECTED, "blurred licence")
    params = {"SignId": sign_id, **sign_params(version, SignName="腾讯科技", ProofImage=b64(JPEG))}
    response = await api.call("ModifySmsSign", params, version=version)
    if version == V2019:
        assert response["ModifySignStatus"] == {"SignId": sign_id, "SignApplyId": str(sign_id)}
    else:
        assert response["ModifySignStatus"] == {"SignId": sign_id}
    signature = api.signatures.rows[sign_id]
    assert (signature.name, signature.status) == ("腾讯科技", ReviewStatus.PENDING)
    assert api.documents.documents[signature.proof_document_id or 0][1] == JPEG
    assert api.changes == [1, 1]


async def test_modify_sign_refusals_store_nothing(api: Api) -> None:
    sign_id = await add_sign(api)
    stored = dict(api.documents.documents)
    other = api.add_tenant()
    for params, tenant, expected in [
        ({"SignId": 424242, **sign_params()}, None, "FailedOperation.MissingSignatureToModify"),
        ({"SignId": sign_id, **sign_params()}, other, "FailedOperation.MissingSignatureToModify"),
        ({"SignId": sign_id, **sign_params(SignName="x")}, None, "FailedOperation.SignatureIncorrectOrUnapproved"),
        ({"SignId": -3, **sign_params()}, None, "InvalidParameter"),
        (sign_params(), None, "MissingParameter"),
    ]:
        response = await api.call("ModifySmsSign", params, tenant=tenant)
        assert code(response) == expected, params
    api.signatures.review(sign_id, ReviewStatus.APPROVED)
    response = await api.call("ModifySmsSign", {"SignId": sign_id, **sign_params()})
    assert code(response) == "InvalidParameterValue.SignAlreadyPassedCheck"
    assert api.documents.documents == stored


async def test_a_signature_stays_mainland_or_international(api: Api) -> None:
    sign_id = await add_sign(api)
    response = await api.call("ModifySmsSign", {"SignId": sign_id, **sign_params(International=1)})
    assert code(response) == "InvalidParameterValue.InvalidInternational"


async def test_modify_sign_to_the_name_of_another_pending_one(api: Api) -> None:
    await add_sign(api, SignName="腾讯云")
    second = await add_sign(api, SignName="腾讯科技")
    response = await api.call("ModifySmsSign", {"SignId": second, **sign_params(SignName="腾讯云")})
    assert code(response) == "InvalidParameterValue.SignExistAndUnapproved"


@pytest.mark.parametrize("version", VERSIONS)
async def test_delete_sign(api: Api, version: str) -> None:
    sign_id = await add_sign(api)
    other = api.add_tenant()
    response = await api.call("DeleteSmsSign", {"SignId": sign_id}, version=version, tenant=other)
    assert code(response) == "FailedOperation.SignIdNotExist"
    response = await api.call("DeleteSmsSign", {"SignId": sign_id}, version=version)
    assert response["DeleteSignStatus"] == {"DeleteStatus": "return successfully!", "DeleteTime": int(NOW.timestamp())}
    response = await api.call("DeleteSmsSign", {"SignId": sign_id}, version=version)
    assert code(response) == "FailedOperation.SignIdNotExist"
    assert (await api.call("DeleteSmsSign", {}, version=version))["Error"]["Code"] == "MissingParameter"


# --- DescribeSmsSignList ---------------------------------------------------------------------------------------


async def test_describe_signs_with_status_and_qualification(api: Api) -> None:
    approved = await add_sign(api, SignName="腾讯云")
    pending = await add_sign(api, SignName="腾讯科技")
    rejected = await add_sign(api, SignName="微信支付")
    international = await add_sign(api, SignName="Tencent Cloud", International=1, SignType=0)
    api.signatures.review(approved, ReviewStatus.APPROVED)
    api.signatures.review(rejected, ReviewStatus.REJECTED, "licence unreadable")
    qualification = await api.qualifications.approved_of(1)
    assert qualification is not None

    response = await api.call("DescribeSmsSignList", {"International": 0})
    items = response["DescribeSignListStatusSet"]
    assert [i["SignId"] for i in items] == [approved, pending, rejected]
    assert [i["StatusCode"] for i in items] == [0, 1, -1]
    assert items[2] == {
        "SignId": rejected,
        "International": 0,
        "StatusCode": -1,
        "ReviewReply": "licence unreadable",
        "SignName": "微信支付",
        "CreateTime": int(NOW.timestamp()),
        "QualificationId": qualification.id,
        "QualificationName": qualification.company_name,
        "QualificationStatusCode": 1,
    }
    [item] = (await api.call("DescribeSmsSignList", {"International": 1}))["DescribeSignListStatusSet"]
    assert (item["SignId"], item["International"]) == (international, 1)
    assert (item["QualificationId"], item["QualificationName"], item["QualificationStatusCode"]) == (0, "", 0)


async def test_describe_signs_by_id_and_by_page(api: Api) -> None:
    ids = [await add_sign(api, SignName=f"腾讯云{n}") for n in range(12)]
    default = (await api.call("DescribeSmsSignList", {"International": 0}))["DescribeSignListStatusSet"]
    assert [i["SignId"] for i in default] == ids[:10]
    paged = await api.call("DescribeSmsSignList", {"International": 0, "Limit": 5, "Offset": 10})
    assert [i["SignId"] for i in paged["DescribeSignListStatusSet"]] == ids[10:]
    chosen = await api.call(
        "DescribeSmsSignList", {"International": 0, "SignIdSet": [ids[3], ids[7], 999], "Limit": 500}
    )
    assert [i["SignId"] for i in chosen["DescribeSignListStatusSet"]] == [ids[3], ids[7]]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"International": 0, "Limit": 0}, "InvalidParameterValue.LimitVerifyFail"),
        ({"International": 0, "Limit": 101}, "InvalidParameterValue.LimitVerifyFail"),
        ({"International": 0, "Limit": 10**30}, "InvalidParameterValue.LimitVerifyFail"),
        ({"International": 0, "Offset": -1}, "InvalidParameterValue.OffsetVerifyFail"),
        ({"International": 0, "Offset": 2**70}, "InvalidParameterValue.OffsetVerifyFail"),
        ({"International": 0, "SignIdSet": list(range(1, 102))}, "InvalidParameterValue"),
        ({"International": 0, "SignIdSet": [-1]}, "InvalidParameter"),
        ({"International": 0, "SignIdSet": "1"}, "InvalidParameter"),
        ({"International": 5}, "InvalidParameterValue.InvalidInternational"),
        ({}, "MissingParameter"),
    ],
)
async def test_describe_signs_refusals(api: Api, params: dict[str, Any], expected: str) -> None:
    assert code(await api.call("DescribeSmsSignList", params)) == expected


async def test_describe_signs_2019_needs_ids_and_has_no_paging(api: Api) -> None:
    ids = [await add_sign(api, SignName=f"腾讯云{n}") for n in range(3)]
    response = await api.call("DescribeSmsSignList", {"International": 0}, version=V2019)
    assert code(response) == "MissingParameter"
    response = await api.call("DescribeSmsSignList", {"International": 0, "SignIdSet": []}, version=V2019)
    assert response["DescribeSignListStatusSet"] == []
    response = await api.call(
        "DescribeSmsSignList", {"International": 0, "SignIdSet": ids[1:], "Limit": 1}, version=V2019
    )
    assert [i["SignId"] for i in response["DescribeSignListStatusSet"]] == ids[1:]
    assert set(response["DescribeSignListStatusSet"][0]) == {
        "SignId", "International", "StatusCode", "ReviewReply", "SignName", "CreateTime",
        "QualificationId", "QualificationName", "QualificationStatusCode",
    }  # fmt: skip


async def test_describe_signs_never_shows_another_tenants(api: Api) -> None:
    sign_id = await add_sign(api)
    other = api.add_tenant()
    for version in VERSIONS:
        response = await api.call(
            "DescribeSmsSignList", {"International": 0, "SignIdSet": [sign_id]}, version=version, tenant=other
        )
        assert response["DescribeSignListStatusSet"] == []
    response = await api.call("DescribeSmsSignList", {"International": 0}, tenant=other)
    assert response["DescribeSignListStatusSet"] == []


# --- templates -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("version", VERSIONS)
async def test_add_template_answers_the_id_as_a_string(api: Api, version: str) -> None:
    response = await api.call("AddSmsTemplate", template_params(), version=version)
    template_id = response["AddTemplateStatus"]["TemplateId"]
    assert isinstance(template_id, str)
    template = api.templates.rows[int(template_id)]
    assert (template.tenant_id, template.content, template.status) == (1, "您的订单{1}已发货。", ReviewStatus.PENDING)
    assert api.changes == [1]


@pytest.mark.parametrize(
    ("fields", "v2021", "v2019"),
    [
        (
            {"SmsType": 1, "TemplateContent": "双11大促，全场5折"},
            "InvalidParameterValue.MarketingTemplateWithoutUnsubscribe",
            None,
        ),
        ({"TemplateContent": "长" * 501}, "InvalidParameterValue.ContentLengthLimit", None),
        ({"TemplateContent": "{1}{2}"}, "InvalidParameterValue.InvalidTemplateFormat", "InvalidParameterValue"),
        ({"TemplateContent": "【腾讯云】您好"}, "InvalidParameterValue.InvalidTemplateFormat", "InvalidParameterValue"),
        ({"TemplateContent": "您好{2}"}, "InvalidParameterValue.InvalidTemplateFormat", "InvalidParameterValue"),
        ({"TemplateContent": " " * 600}, "InvalidParameterValue.InvalidTemplateFormat", "InvalidParameterValue"),
        ({"SmsType": 0}, "InvalidParameterValue.InvalidSmsType", None),
        ({"SmsType": 4}, "InvalidParameterValue.InvalidSmsType", None),
        ({"International": -1}, "InvalidParameterValue.InvalidInternational", None),
        ({"TemplateName": "  "}, "InvalidParameterValue", None),
        ({"Remark": "r" * 501}, "InvalidParameterValue", None),
        ({"Remark": None}, "MissingParameter", None),
        ({"TemplateContent": None}, "MissingParameter", None),
        ({"SmsType": "two"}, "InvalidParameter", None),
        ({"TemplateContent": ["a"]}, "InvalidParameter", None),
    ],
)
@pytest.mark.parametrize("version", VERSIONS)
async def test_add_template_refusals(
    api: Api, version: str, fields: dict[str, Any], v2021: str, v2019: str | None
) -> None:
    response = await api.call("AddSmsTemplate", template_params(**fields), version=version)
    assert code(response) == (v2021 if version == V2021 or v2019 is None else v2019)
    assert api.templates.rows == {}


async def test_marketing_with_the_opt_out_is_accepted(api: Api) -> None:
    await add_template(api, SmsType=1, TemplateContent="双11大促，全场5折，拒收请回复R")


@pytest.mark.parametrize(("version", "expected"), [
    (V2021, "FailedOperation.ForbidAddMarketingTemplates"),
    (V2019, "UnauthorizedOperation.IndividualUserMarketingSmsPermissionDeny"),
])  # fmt: skip
async def test_individual_accounts_may_not_add_marketing_templates(api: Api, version: str, expected: str) -> None:
    # An approved qualification lets the call through; the account is still an individual one.
    individual = api.add_tenant(TenantKind.INDIVIDUAL)
    params = template_params(SmsType=1, TemplateContent="双11大促，全场5折，拒收请回复R")
    response = await api.call("AddSmsTemplate", params, version=version, tenant=individual)
    assert code(response) == expected


async def test_template_number_limit(api: Api) -> None:
    api.templates.count_override = MAX_TEMPLATES
    assert code(await api.call("AddSmsTemplate", template_params())) == "FailedOperation.TemplateNumberLimit"


@pytest.mark.parametrize("version", VERSIONS)
async def test_modify_template(api: Api, version: str) -> None:
    template_id = await add_template(api)
    other = api.add_tenant()
    params = {"TemplateId": template_id, **template_params(TemplateContent="您的快递{1}已到。")}
    response = await api.call("ModifySmsTemplate", params, version=version, tenant=other)
    assert code(response) == "FailedOperation.MissingTemplateToModify"
    response = await api.call("ModifySmsTemplate", {**params, "TemplateId": 9999}, version=version)
    assert code(response) == "FailedOperation.MissingTemplateToModify"
    response = await api.call("ModifySmsTemplate", params, version=version)
    assert response["ModifyTemplateStatus"] == {"TemplateId": template_id}
    assert api.templates.rows[template_id].content == "您的快递{1}已到。"
    api.templates.review(template_id, ReviewStatus.APPROVED)
    response = await api.call("ModifySmsTemplate", params, version=version)
    assert code(response) == "FailedOperation.TemplateAlreadyPassedCheck"


@pytest.mark.parametrize("version", VERSIONS)
async def test_delete_template(api: Api, version: str) -> None:
    template_id = await add_template(api)
    other = api.add_tenant()
    response = await api.call("DeleteSmsTemplate", {"TemplateId": template_id}, version=version, tenant=other)
    assert code(response) == "FailedOperation.TemplateIdNotExist"
    response = await api.call("DeleteSmsTemplate", {"TemplateId": template_id}, version=version)
    assert response["DeleteTemplateStatus"] == {
        "DeleteStatus": "return successfully!",
        "DeleteTime": int(NOW.timestamp()),
    }
    assert api.changes == [1, 1]
    response = await api.call("DeleteSmsTemplate", {"TemplateId": template_id}, version=version)
    assert code(response) == "FailedOperation.TemplateIdNotExist"


async def test_describe_templates_2021_and_2019(api: Api) -> None:
    approved = await add_template(api)
    rejected = await add_template(api, TemplateContent="您的快递{1}已到。")
    international = await add_template(api, TemplateContent="Your code is {1}", SmsType=3, International=1)
    api.templates.review(approved, ReviewStatus.APPROVED)
    api.templates.review(rejected, ReviewStatus.REJECTED, "too vague")

    items = (await api.call("DescribeSmsTemplateList", {"International": 0}))["DescribeTemplateStatusSet"]
    assert items == [
        {"TemplateId": approved, "International": 0, "StatusCode": 0, "ReviewReply": "",
         "TemplateName": "order shipped", "CreateTime": int(NOW.timestamp()), "TemplateContent": "您的订单{1}已发货。"},
        {"TemplateId": rejected, "International": 0, "StatusCode": -1, "ReviewReply": "too vague",
         "TemplateName": "order shipped", "CreateTime": int(NOW.timestamp()), "TemplateContent": "您的快递{1}已到。"},
    ]  # fmt: skip
    [item] = (await api.call("DescribeSmsTemplateList", {"International": 1, "Limit": 100}))[
        "DescribeTemplateStatusSet"
    ]
    assert (item["TemplateId"], item["StatusCode"], item["International"]) == (international, 1, 1)

    response = await api.call(
        "DescribeSmsTemplateList", {"International": 0, "TemplateIdSet": [rejected]}, version=V2019
    )
    [legacy] = response["DescribeTemplateStatusSet"]
    assert "TemplateContent" not in legacy and legacy["TemplateId"] == rejected
    response = await api.call("DescribeSmsTemplateList", {"International": 0}, version=V2019)
    assert code(response) == "MissingParameter"


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"International": 0, "Limit": 101}, "InvalidParameterValue.LimitVerifyFail"),
        ({"International": 0, "Offset": -5}, "InvalidParameterValue.OffsetVerifyFail"),
        ({"International": 0, "TemplateIdSet": list(range(101))}, "InvalidParameterValue"),
        ({"International": 3}, "InvalidParameterValue.InvalidInternational"),
        ({"Limit": 10}, "MissingParameter"),
    ],
)
async def test_describe_templates_refusals(api: Api, params: dict[str, Any], expected: str) -> None:
    assert code(await api.call("DescribeSmsTemplateList", params)) == expected


async def test_describe_templates_never_shows_another_tenants(api: Api) -> None:
    template_id = await add_template(api)
    other = api.add_tenant()
    for version in VERSIONS:
        params = {"International": 0, "TemplateIdSet": [template_id]}
        assert (await api.call("DescribeSmsTemplateList", params, version=version, tenant=other))[
            "DescribeTemplateStatusSet"
        ] == []


async def test_the_clock_gives_delete_time(api: Api) -> None:
    template_id = await add_template(api)
    api.clock.advance(3600)
    response = await api.call("DeleteSmsTemplate", {"TemplateId": template_id})
    assert response["DeleteTemplateStatus"]["DeleteTime"] == int((NOW + timedelta(hours=1)).timestamp())
