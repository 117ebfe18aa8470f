"""AddSmsSign, ModifySmsSign, DeleteSmsSign and DescribeSmsSignList (2021-01-11 and 2019-07-11).

They run the console's use cases (`domain.signatures.service`) for the caller's tenant. The proof
and power-of-attorney images arrive as base64 and are handed to the domain, which stores them as the
tenant's documents only once the request has passed every check.
2019-07-11 calls the purpose `UsedMethod`, answers a `SignApplyId` beside the `SignId`, and lists
only the ids asked for.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Collection

import msgspec

from smscloud.adapters.http.tencent_v3.auth import SignedCall
from smscloud.adapters.http.tencent_v3.context import CallContext, enterprise_content
from smscloud.adapters.http.tencent_v3.decoding import (
    Id,
    decode_request,
    id_set,
    international_flag,
    page,
    qualification_status_code,
    review_status_code,
)
from smscloud.adapters.http.tencent_v3.errors import ApiError, content_error_for
from smscloud.domain.documents.model import Upload
from smscloud.domain.qualification.model import Qualification
from smscloud.domain.shared.errors import DomainError
from smscloud.domain.signatures import service
from smscloud.domain.signatures.model import DocumentType, Signature, SignatureDraft, SignPurpose, SignType

__all__ = [
    "AddSignStatus",
    "AddSignStatus2019",
    "AddSmsSignRequest",
    "AddSmsSignRequest2019",
    "AddSmsSignResponse",
    "AddSmsSignResponse2019",
    "DeleteSignStatus",
    "DeleteSmsSignRequest",
    "DeleteSmsSignResponse",
    "DescribeSignListStatus",
    "DescribeSmsSignListRequest",
    "DescribeSmsSignListRequest2019",
    "DescribeSmsSignListResponse",
    "ModifySignStatus",
    "ModifySignStatus2019",
    "ModifySmsSignRequest",
    "ModifySmsSignRequest2019",
    "ModifySmsSignResponse",
    "ModifySmsSignResponse2019",
    "add_sms_sign",
    "delete_sms_sign",
    "describe_sms_sign_list",
    "modify_sms_sign",
]

V2019 = "2019-07-11"
DELETE_STATUS = "return successfully!"  # Tencent's own words, as in its examples
_NAMES_2019 = {"SignPurpose": "UsedMethod"}


# --- requests -------------------------------------------------------------------------------------------


class AddSmsSignRequest(msgspec.Struct, rename="pascal", kw_only=True):
    sign_name: str
    sign_type: int
    document_type: int
    international: int
    sign_purpose: int
    proof_image: str
    commission_image: str | None = None
    remark: str | None = None
    qualification_id: Id | None = None


class AddSmsSignRequest2019(msgspec.Struct, kw_only=True):
    sign_name: str = msgspec.field(name="SignName")
    sign_type: int = msgspec.field(name="SignType")
    document_type: int = msgspec.field(name="DocumentType")
    international: int = msgspec.field(name="International")
    sign_purpose: int = msgspec.field(name="UsedMethod")
    proof_image: str = msgspec.field(name="ProofImage")
    commission_image: str | None = msgspec.field(default=None, name="CommissionImage")
    remark: str | None = msgspec.field(default=None, name="Remark")
    qualification_id: Id | None = msgspec.field(default=None, name="QualificationId")


class ModifySmsSignRequest(msgspec.Struct, rename="pascal", kw_only=True):
    sign_id: Id
    sign_name: str
    sign_type: int
    document_type: int
    international: int
    sign_purpose: int
    proof_image: str
    commission_image: str | None = None
    remark: str | None = None
    qualification_id: Id | None = None


class ModifySmsSignRequest2019(msgspec.Struct, kw_only=True):
    sign_id: Id = msgspec.field(name="SignId")
    sign_name: str = msgspec.field(name="SignName")
    sign_type: int = msgspec.field(name="SignType")
    document_type: int = msgspec.field(name="DocumentType")
    international: int = msgspec.field(name="International")
    sign_purpose: int = msgspec.field(name="UsedMethod")
    proof_image: str = msgspec.field(name="ProofImage")
    commission_image: str | None = msgspec.field(default=None, name="CommissionImage")
    remark: str | None = msgspec.field(default=None, name="Remark")
    qualification_id: Id | None = msgspec.field(default=None, name="QualificationId")


class DeleteSmsSignRequest(msgspec.Struct, rename="pascal", kw_only=True):
    """The same in both versions."""

    sign_id: Id


class DescribeSmsSignListRequest(msgspec.Struct, rename="pascal", kw_only=True):
    international: int
    sign_id_set: list[Id] | None = None
    limit: int | None = None
    offset: int | None = None


class DescribeSmsSignListRequest2019(msgspec.Struct, rename="pascal", kw_only=True):
    sign_id_set: list[Id]
    international: int


# --- responses ------------------------------------------------------------------------------------------


class AddSignStatus(msgspec.Struct, rename="pascal"):
    sign_id: int


class AddSignStatus2019(msgspec.Struct, rename="pascal"):
    sign_id: int
    sign_apply_id: int


class AddSmsSignResponse(msgspec.Struct, rename="pascal"):
    add_sign_status: AddSignStatus
    request_id: str


class AddSmsSignResponse2019(msgspec.Struct, rename="pascal"):
    add_sign_status: AddSignStatus2019
    request_id: str


class ModifySignStatus(msgspec.Struct, rename="pascal"):
    sign_id: int


class ModifySignStatus2019(msgspec.Struct, rename="pascal"):
    sign_id: int
    sign_apply_id: str  # a String here, an Integer in AddSignStatus: as the 2019 SDK has it


class ModifySmsSignResponse(msgspec.Struct, rename="pascal"):
    modify_sign_status: ModifySignStatus
    request_id: str


class ModifySmsSignResponse2019(msgspec.Struct, rename="pascal"):
    modify_sign_status: ModifySignStatus2019
    request_id: str


class DeleteSignStatus(msgspec.Struct, rename="pascal"):
    delete_status: str
    delete_time: int


class DeleteSmsSignResponse(msgspec.Struct, rename="pascal"):
    delete_sign_status: DeleteSignStatus
    request_id: str


class DescribeSignListStatus(msgspec.Struct, rename="pascal"):
    """The same fields in both versions."""

    sign_id: int
    international: int
    status_code: int
    review_reply: str
    sign_name: str
    create_time: int
    qualification_id: int
    qualification_name: str
    qualification_status_code: int


class DescribeSmsSignListResponse(msgspec.Struct, rename="pascal"):
    describe_sign_list_status_set: list[DescribeSignListStatus]
    request_id: str


# --- from the wire to the domain --------------------------------------------------------------------------

_SignRequest = AddSmsSignRequest | AddSmsSignRequest2019 | ModifySmsSignRequest | ModifySmsSignRequest2019


def _draft(ctx: CallContext, wire: _SignRequest) -> SignatureDraft:
    """The request as the domain takes it, without its documents yet."""
    legacy = ctx.version == V2019
    international = international_flag(wire.international)
    try:
        sign_type = SignType(wire.sign_type)
    except ValueError:
        raise ApiError("InvalidParameterValue.InvalidDocumentType", "SignType is not a signature type.") from None
    try:
        document_type = DocumentType(wire.document_type)
    except ValueError:
        raise ApiError("InvalidParameterValue.InvalidDocumentType", "DocumentType is not a document type.") from None
    try:
        sign_purpose = SignPurpose(wire.sign_purpose)
    except ValueError:
        if legacy:
            raise ApiError("InvalidParameterValue.InvalidUsedMethod", "UsedMethod must be 0 or 1.") from None
        raise ApiError("InvalidParameterValue.InvalidSignPurpose", "SignPurpose must be 0 or 1.") from None
    return SignatureDraft(
        name=wire.sign_name,
        international=international,
        sign_type=sign_type,
        document_type=document_type,
        sign_purpose=sign_purpose,
        proof_document_id=None,
        commission_document_id=None,
        # 0 is what Tencent shows for "no qualification"; the domain picks the approved one then.
        qualification_id=wire.qualification_id or None,
        remark=wire.remark or "",
    )


def _image(value: str, field: str) -> Upload:
    """A base64 image, without a `data:` prefix; line breaks some encoders add are allowed."""
    try:
        data = base64.b64decode("".join(value.split()), validate=True)
    except (binascii.Error, ValueError):
        raise ApiError(
            "InvalidParameterValue.ImageInvalid",
            f"{field} is not base64 (send the image's base64 without a data:image/...;base64, prefix).",
        ) from None
    return Upload(filename=field, data=data)


def _files(wire: _SignRequest) -> tuple[Upload, Upload | None]:
    """The proof (required on the wire) and the power of attorney, if sent."""
    proof = _image(wire.proof_image, "ProofImage")
    commission = _image(wire.commission_image, "CommissionImage") if wire.commission_image else None
    return proof, commission


def _uploaded(commission: Upload | None) -> tuple[str, ...]:
    """The fields that carried a file, which tells a missing power of attorney from a bad one."""
    return ("ProofImage",) if commission is None else ("ProofImage", "CommissionImage")


def _error(
    ctx: CallContext, error: DomainError, *, missing: str, draft: SignatureDraft | None, uploaded: Collection[str] = ()
) -> ApiError:
    names = _NAMES_2019 if ctx.version == V2019 else {}
    return content_error_for(
        error, version=ctx.version, missing=missing, draft=draft, field_names=names, uploaded=uploaded
    )


# --- actions ----------------------------------------------------------------------------------------------


async def add_sms_sign(ctx: CallContext, call: SignedCall) -> AddSmsSignResponse | AddSmsSignResponse2019:
    model: type[AddSmsSignRequest | AddSmsSignRequest2019] = (
        AddSmsSignRequest2019 if ctx.version == V2019 else AddSmsSignRequest
    )
    wire = decode_request(call, model)
    content, tenant = await enterprise_content(ctx)
    missing = "FailedOperation.SignIdNotExist"  # submitting names no signature; only a qualification
    draft = _draft(ctx, wire)
    proof, commission = _files(wire)
    try:
        signature = await service.submit_signature(
            store=content.signatures,
            documents=content.documents,
            qualifications=content.qualifications,
            clock=ctx.services.clock,
            tenant=tenant,
            draft=draft,
            proof=proof,
            commission=commission,
        )
    except DomainError as error:
        raise _error(ctx, error, missing=missing, draft=draft, uploaded=_uploaded(commission)) from error
    content.changed()
    if ctx.version == V2019:
        # One submission per signature here, so the application id is the signature's id.
        return AddSmsSignResponse2019(AddSignStatus2019(signature.id, signature.id), ctx.request_id)
    return AddSmsSignResponse(AddSignStatus(signature.id), ctx.request_id)


async def modify_sms_sign(ctx: CallContext, call: SignedCall) -> ModifySmsSignResponse | ModifySmsSignResponse2019:
    model: type[ModifySmsSignRequest | ModifySmsSignRequest2019] = (
        ModifySmsSignRequest2019 if ctx.version == V2019 else ModifySmsSignRequest
    )
    wire = decode_request(call, model)
    content, tenant = await enterprise_content(ctx)
    missing = "FailedOperation.MissingSignatureToModify"
    draft = _draft(ctx, wire)
    proof, commission = _files(wire)
    try:
        signature = await service.modify_signature(
            store=content.signatures,
            documents=content.documents,
            qualifications=content.qualifications,
            clock=ctx.services.clock,
            tenant=tenant,
            signature_id=wire.sign_id,
            draft=draft,
            proof=proof,
            commission=commission,
        )
    except DomainError as error:
        raise _error(ctx, error, missing=missing, draft=draft, uploaded=_uploaded(commission)) from error
    content.changed()
    if ctx.version == V2019:
        return ModifySmsSignResponse2019(ModifySignStatus2019(signature.id, str(signature.id)), ctx.request_id)
    return ModifySmsSignResponse(ModifySignStatus(signature.id), ctx.request_id)


async def delete_sms_sign(ctx: CallContext, call: SignedCall) -> DeleteSmsSignResponse:
    wire = decode_request(call, DeleteSmsSignRequest)
    content, tenant = await enterprise_content(ctx)
    try:
        deleted_at = await service.delete_signature(
            store=content.signatures, clock=ctx.services.clock, tenant_id=tenant.id, signature_id=wire.sign_id
        )
    except DomainError as error:
        raise _error(ctx, error, missing="FailedOperation.SignIdNotExist", draft=None) from error
    content.changed()
    return DeleteSmsSignResponse(DeleteSignStatus(DELETE_STATUS, int(deleted_at.timestamp())), ctx.request_id)


async def describe_sms_sign_list(ctx: CallContext, call: SignedCall) -> DescribeSmsSignListResponse:
    model: type[DescribeSmsSignListRequest | DescribeSmsSignListRequest2019] = (
        DescribeSmsSignListRequest2019 if ctx.version == V2019 else DescribeSmsSignListRequest
    )
    wire = decode_request(call, model)
    content, tenant = await enterprise_content(ctx)
    international = international_flag(wire.international)
    ids = id_set(wire.sign_id_set, "SignIdSet")
    limit, offset = None, 0
    if isinstance(wire, DescribeSmsSignListRequest) and not ids:
        limit, offset = page(wire.limit, wire.offset)
    elif not ids:
        return DescribeSmsSignListResponse([], ctx.request_id)  # 2019-07-11 lists only the ids asked for
    signatures = await service.list_signatures(
        store=content.signatures,
        tenant_id=tenant.id,
        international=international,
        ids=ids,
        limit=limit,
        offset=offset,
    )
    qualifications: dict[int, Qualification | None] = {}
    items = []
    for signature in signatures:
        qualification_id = signature.qualification_id
        if qualification_id is not None and qualification_id not in qualifications:
            qualifications[qualification_id] = await content.qualifications.by_id(qualification_id)
        qualification = None if qualification_id is None else qualifications[qualification_id]
        items.append(_item(signature, qualification))
    return DescribeSmsSignListResponse(items, ctx.request_id)


def _item(signature: Signature, qualification: Qualification | None) -> DescribeSignListStatus:
    # Tencent: "international signatures have no qualification: 0, empty name, 0".
    return DescribeSignListStatus(
        sign_id=signature.id,
        international=int(signature.international),
        status_code=review_status_code(signature.status),
        review_reply=signature.review_reply,
        sign_name=signature.name,
        create_time=int(signature.created_at.timestamp()),
        qualification_id=0 if qualification is None else qualification.id,
        qualification_name="" if qualification is None else qualification.company_name,
        qualification_status_code=0 if qualification is None else qualification_status_code(qualification.status),
    )
