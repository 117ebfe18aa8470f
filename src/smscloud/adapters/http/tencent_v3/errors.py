"""Errors of the Tencent Cloud API 3.0 surface, and the mapping of domain errors onto them.

An `ApiError` carries a Tencent error code (`AuthFailure.SignatureFailure`,
`InvalidParameterValue.IncorrectPhoneNumber`, ...) and a message. The dispatcher turns it into the
`{"Response": {"Error": {"Code", "Message"}, "RequestId"}}` envelope with HTTP 200. Domain errors
and refusals are mapped onto these codes here, and only here.
"""

from __future__ import annotations

from collections.abc import Collection

from smscloud.domain.messages.refusals import Refusal, SendRefused
from smscloud.domain.qualification.errors import QualificationNotApproved
from smscloud.domain.shared.errors import Conflict, DomainError, Forbidden, InvalidInput, NotFound
from smscloud.domain.signatures.errors import SignatureAlreadyApproved, SignatureExists, SignatureLimitReached
from smscloud.domain.signatures.model import SignatureDraft
from smscloud.domain.signatures.rules import DOMESTIC_LENGTH, INTERNATIONAL_LENGTH
from smscloud.domain.templates.errors import MarketingNotAllowed, TemplateAlreadyApproved, TemplateLimitReached
from smscloud.domain.templates.model import TemplateDraft
from smscloud.domain.templates.rules import MARKETING_OPT_OUT, MAX_TEMPLATE_CHARS

__all__ = [
    "ApiError",
    "api_error_for",
    "code_for_version",
    "content_error_for",
    "refusal_code",
]


class ApiError(Exception):
    """A request-level failure answered in the Tencent error envelope."""

    def __init__(self, code: str, message: str, *, language: str | None = None) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.language = language  # what the request asked for, when known before it failed to be read


_REFUSALS: dict[Refusal, tuple[str, str]] = {
    Refusal.EMPTY_PHONE_NUMBER_SET: ("MissingParameter.EmptyPhoneNumberSet", "PhoneNumberSet is empty."),
    Refusal.TOO_MANY_PHONE_NUMBERS: (
        "LimitExceeded.PhoneNumberCountLimit",
        "PhoneNumberSet holds more than 200 numbers.",
    ),
    Refusal.APP_NOT_FOUND: ("InvalidParameterValue.SdkAppIdNotExist", "The SdkAppId does not exist."),
    Refusal.APP_NOT_YOURS: (
        "UnauthorizedOperation.SmsSdkAppIdVerifyFail",
        "The SdkAppId does not belong to the account of this SecretId.",
    ),
    Refusal.APP_DISABLED: ("UnauthorizedOperation.SdkAppIdIsDisabled", "The SdkAppId is disabled."),
    Refusal.ACCOUNT_SUSPENDED: ("UnauthorizedOperation.RequestPermissionDeny", "The account is suspended."),
    Refusal.MIXED_DOMESTIC_AND_INTERNATIONAL: (
        "UnsupportedOperation.ContainDomesticAndInternationalPhoneNumber",
        "A request may not mix mainland China numbers with international ones.",
    ),
    Refusal.SESSION_CONTEXT_TOO_LONG: (
        "InvalidParameterValue",
        "SessionContext must be shorter than 512 bytes.",
    ),
    Refusal.INVALID_EXTEND_CODE: ("InvalidParameterValue", "ExtendCode must be at most 12 digits."),
    Refusal.INVALID_SENDER_ID: (
        "InvalidParameterValue",
        "SenderId must be up to 11 letters and digits, or up to 20 digits.",
    ),
    Refusal.INVALID_PHONE_NUMBER: (
        "InvalidParameterValue.IncorrectPhoneNumber",
        "The phone number is not in E.164 format (+[country code][number]).",
    ),
    Refusal.UNSUPPORTED_REGION: (
        "UnsupportedOperation.UnsupportedRegion",
        "No route serves the country or region of this number.",
    ),
    Refusal.TEMPLATE_UNAPPROVED: (
        "FailedOperation.TemplateIncorrectOrUnapproved",
        "The template does not exist, is not yours, or is not approved.",
    ),
    Refusal.DOMESTIC_TEMPLATE_TO_GLOBAL_PHONE: (
        "UnsupportedOperation.ChineseMainlandTemplateToGlobalPhone",
        "A mainland China template cannot be sent to an international number.",
    ),
    Refusal.GLOBAL_TEMPLATE_TO_DOMESTIC_PHONE: (
        "UnsupportedOperation.GlobalTemplateToChineseMainlandPhone",
        "An international template cannot be sent to a mainland China number.",
    ),
    Refusal.SIGNATURE_UNAPPROVED: (
        "FailedOperation.SignatureIncorrectOrUnapproved",
        "The signature is missing, not yours, not approved, or of the wrong region.",
    ),
    Refusal.TEMPLATE_PARAMS_MISMATCH: (
        "FailedOperation.TemplateParamSetNotMatchApprovedTemplate",
        "request content does not match the template content",
    ),
    Refusal.VERIFICATION_CODE_FORMAT: (
        "InvalidParameterValue.TemplateParameterFormatError",
        "A verification code parameter must be 0 to 6 digits.",
    ),
    Refusal.URL_IN_PARAMETER: (
        "InvalidParameterValue.ProhibitedUseUrlInTemplateParameter",
        "Template parameters may not contain links.",
    ),
    Refusal.CONTENT_TOO_LONG: (
        "InvalidParameterValue.ContentLengthLimit",
        "The message, signature included, is longer than 500 characters.",
    ),
    Refusal.MARKETING_TIME_WINDOW: (
        "FailedOperation.MarketingSendTimeConstraint",
        "Marketing messages may only be sent between 08:00 and 22:00.",
    ),
    Refusal.INDIVIDUAL_MARKETING: (
        "UnauthorizedOperation.IndividualUserMarketingSmsPermissionDeny",
        "Individual accounts may not send marketing messages.",
    ),
}

# Fields whose range check has its own code (2021-01-11 names).
_FIELD_CODES = {
    "Limit": "InvalidParameterValue.LimitVerifyFail",
    "Offset": "InvalidParameterValue.OffsetVerifyFail",
    "BeginTime": "InvalidParameterValue.BeginTimeVerifyFail",
    "EndTime": "InvalidParameterValue.InvalidStartTime",
    "PhoneNumber": "InvalidParameterValue.IncorrectPhoneNumber",
}

# Codes the 2019-07-11 SDK does not list; their parent code is answered there instead...
_ABSENT_IN_2019 = frozenset(
    {
        "InvalidParameterValue.LimitVerifyFail",
        "InvalidParameterValue.OffsetVerifyFail",
        "InvalidParameterValue.InvalidTemplateFormat",
    }
)
# ...unless that SDK lists a code of the same meaning.
_INSTEAD_IN_2019 = {
    # The field is called UsedMethod in 2019-07-11, and so is its code.
    "InvalidParameterValue.InvalidSignPurpose": "InvalidParameterValue.InvalidUsedMethod",
    # "Individual users may not send marketing SMS": the 2019 SDK's word for the same refusal.
    "FailedOperation.ForbidAddMarketingTemplates": "UnauthorizedOperation.IndividualUserMarketingSmsPermissionDeny",
}


def refusal_code(refusal: Refusal) -> tuple[str, str]:
    """(code, message) for a refused send."""
    return _REFUSALS[refusal]


def code_for_version(code: str, version: str) -> str:
    if version == "2019-07-11":
        if code in _INSTEAD_IN_2019:
            return _INSTEAD_IN_2019[code]
        if code in _ABSENT_IN_2019:
            return code.rsplit(".", 1)[0]
    return code


def api_error_for(error: DomainError, *, field_names: dict[str, str] | None = None) -> ApiError:
    """The envelope error for a domain error; `field_names` maps domain field names to wire ones."""
    if isinstance(error, SendRefused):
        code, message = refusal_code(error.refusal)
        return ApiError(code, message)
    if isinstance(error, InvalidInput):
        wire = (field_names or {}).get(error.field, error.field)
        return ApiError(_FIELD_CODES.get(error.field, "InvalidParameterValue"), f"{wire}: {error.reason}")
    if isinstance(error, NotFound):
        return ApiError("ResourceNotFound", str(error))
    if isinstance(error, Forbidden):
        return ApiError("UnauthorizedOperation", str(error))
    if isinstance(error, Conflict):
        return ApiError("FailedOperation", str(error))
    return ApiError("FailedOperation", str(error))


# --- signatures and templates (AddSmsSign ... DescribeSmsTemplateList) --------------------------------

_CONTENT_FIELD_CODES = {
    "SignType": "InvalidParameterValue.InvalidDocumentType",  # the SDKs have no code of its own for it
    "DocumentType": "InvalidParameterValue.InvalidDocumentType",
    "SignPurpose": "InvalidParameterValue.InvalidSignPurpose",
    "International": "InvalidParameterValue.InvalidInternational",
    "SmsType": "InvalidParameterValue.InvalidSmsType",
    "ProofImage": "InvalidParameterValue.ImageInvalid",
    "CommissionImage": "InvalidParameterValue.ImageInvalid",
}


def _content_field_code(
    error: InvalidInput, draft: SignatureDraft | TemplateDraft | None, uploaded: Collection[str]
) -> str:
    field = error.field
    if field == "SignName":
        # SignNameLengthTooLong says exactly what is wrong; every other name rule (too short,
        # characters, generic names) is what SignatureIncorrectOrUnapproved describes:
        # "signatures are 2-12 Chinese or English characters or digits".
        if isinstance(draft, SignatureDraft):
            high = (INTERNATIONAL_LENGTH if draft.international else DOMESTIC_LENGTH)[1]
            if len(draft.name) > high:
                return "InvalidParameterValue.SignNameLengthTooLong"
        return "FailedOperation.SignatureIncorrectOrUnapproved"
    if (
        field == "CommissionImage"
        and isinstance(draft, SignatureDraft)
        and draft.commission_document_id is None
        and field not in uploaded
    ):
        return "MissingParameter"  # a signature used on behalf of others, without the power of attorney
    if field == "TemplateContent":
        if MARKETING_OPT_OUT in error.reason:
            return "InvalidParameterValue.MarketingTemplateWithoutUnsubscribe"
        if isinstance(draft, TemplateDraft) and draft.content.strip() and len(draft.content) > MAX_TEMPLATE_CHARS:
            return "InvalidParameterValue.ContentLengthLimit"
        return "InvalidParameterValue.InvalidTemplateFormat"
    return _CONTENT_FIELD_CODES.get(field, "InvalidParameterValue")


def _content_error(
    error: DomainError,
    *,
    missing: str,
    draft: SignatureDraft | TemplateDraft | None,
    field_names: dict[str, str],
    uploaded: Collection[str],
) -> ApiError:
    if isinstance(error, InvalidInput):
        wire = field_names.get(error.field, error.field)
        return ApiError(_content_field_code(error, draft, uploaded), f"{wire}: {error.reason}")
    if isinstance(error, NotFound):
        if error.what == "qualification":
            return ApiError(
                "InvalidParameterValue.QualificationIdNotFound",
                f"The qualification {error.key} does not exist.",
            )
        return ApiError(missing, f"The {error.what} {error.key} does not exist.")
    if isinstance(error, QualificationNotApproved):
        return ApiError("FailedOperation.QualificationIdNotApproved", "The qualification is not approved.")
    if isinstance(error, SignatureExists):
        if error.pending:
            return ApiError("InvalidParameterValue.SignExistAndUnapproved", str(error) + "; wait for its review.")
        # No code of either SDK says "this signature exists and is approved". SignAlreadyPassedCheck
        # ("this signature has passed review already") says exactly that of the name asked for,
        # whereas SignatureIncorrectOrUnapproved would send the caller to fix a name that is fine.
        return ApiError("InvalidParameterValue.SignAlreadyPassedCheck", str(error) + "; it can be used as it is.")
    if isinstance(error, SignatureAlreadyApproved):
        return ApiError(
            "InvalidParameterValue.SignAlreadyPassedCheck",
            "The signature is approved already and cannot be modified; add a new one instead.",
        )
    if isinstance(error, TemplateAlreadyApproved):
        return ApiError(
            "FailedOperation.TemplateAlreadyPassedCheck",
            "The template is approved already and cannot be modified; add a new one instead.",
        )
    if isinstance(error, MarketingNotAllowed):
        return ApiError(
            "FailedOperation.ForbidAddMarketingTemplates", "Individual accounts may not add marketing templates."
        )
    if isinstance(error, SignatureLimitReached):
        return ApiError("FailedOperation.SignNumberLimit", str(error))
    if isinstance(error, TemplateLimitReached):
        return ApiError("FailedOperation.TemplateNumberLimit", str(error))
    return api_error_for(error, field_names=field_names)


def content_error_for(
    error: DomainError,
    *,
    version: str,
    missing: str,
    draft: SignatureDraft | TemplateDraft | None = None,
    field_names: dict[str, str] | None = None,
    uploaded: Collection[str] = (),
) -> ApiError:
    """The envelope error of a signature or template action, in the codes of `version`.

    `missing` is the code for the signature or template itself not being found (the modify and
    delete actions have different ones); `draft` is what was asked for and `uploaded` the file
    fields it carried, which tell apart the codes that the domain reports under one field;
    `field_names` maps domain to wire field names.
    """
    api_error = _content_error(error, missing=missing, draft=draft, field_names=field_names or {}, uploaded=uploaded)
    return ApiError(code_for_version(api_error.code, version), api_error.message)
