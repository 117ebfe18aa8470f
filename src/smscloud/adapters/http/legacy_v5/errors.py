"""The v5 result codes (spec §2.5), and the mapping of domain errors and refusals onto them.

Every v5 answer is HTTP 200 with `{"result": <code>, "errmsg": "<text>", ...}`; `result` 0 is
success (and the billing basis). A `V5Error` is a request-level failure; per-number refusals of
a group send are answered in its `detail`. Domain errors are mapped onto codes here, and only here.
"""

from __future__ import annotations

from enum import IntEnum

from smscloud.domain.messages.refusals import Refusal, SendRefused
from smscloud.domain.shared.errors import Conflict, DomainError, Forbidden, InvalidInput, NotFound

__all__ = ["Result", "V5Error", "refusal_result", "v5_error_for"]


class Result(IntEnum):
    """The codes this server answers (Tencent doc 382/3771; spec §2.5 lists them all)."""

    OK = 0
    SIG_FAILED = 1001
    SIG_MISSING = 1003
    BAD_REQUEST = 1004  # body not JSON, wrong types, fields missing
    NO_PERMISSION = 1006
    OTHER = 1007
    NO_SUCH_INTERFACE = 1011
    SIGNATURE_UNAPPROVED = 1012
    TEMPLATE_UNAPPROVED = 1014  # template unapproved, or the content does not match it
    BAD_NUMBER = 1016
    CONTENT_TOO_LONG = 1017
    SDKAPPID_NOT_FOUND = 1019
    SDKAPPID_DISABLED = 1020
    TIME_SKEW = 1021
    MARKETING_HOURS = 1029
    NOT_SUPPORTED = 1030
    INDIVIDUAL_MARKETING = 1032
    MIXED_NUMBERS = 1034
    VERIFICATION_CODE_FORMAT = 1038
    REGION_NOT_SUPPORTED = 1045
    TOO_MANY_NUMBERS = 1046
    URL_IN_PARAMETER = 1048


class V5Error(Exception):
    """A request-level failure, answered as `{"result": result, "errmsg": errmsg}`."""

    def __init__(self, result: Result, errmsg: str) -> None:
        super().__init__(f"{int(result)}: {errmsg}")
        self.result = result
        self.errmsg = errmsg


_REFUSALS: dict[Refusal, tuple[Result, str]] = {
    Refusal.EMPTY_PHONE_NUMBER_SET: (Result.BAD_REQUEST, "tel holds no number"),
    Refusal.TOO_MANY_PHONE_NUMBERS: (Result.TOO_MANY_NUMBERS, "tel holds more than 200 numbers"),
    Refusal.APP_NOT_FOUND: (Result.SDKAPPID_NOT_FOUND, "sdkappid does not exist"),
    Refusal.APP_NOT_YOURS: (Result.NO_PERMISSION, "sdkappid does not belong to this account"),
    Refusal.APP_DISABLED: (Result.SDKAPPID_DISABLED, "sdkappid is disabled"),
    Refusal.ACCOUNT_SUSPENDED: (Result.NO_PERMISSION, "the account is suspended"),
    Refusal.MIXED_DOMESTIC_AND_INTERNATIONAL: (
        Result.MIXED_NUMBERS,
        "a group send may not mix mainland China numbers with international ones",
    ),
    Refusal.SESSION_CONTEXT_TOO_LONG: (Result.BAD_REQUEST, "ext must be shorter than 512 bytes"),
    Refusal.INVALID_EXTEND_CODE: (Result.BAD_REQUEST, "extend must be at most 12 digits"),
    Refusal.INVALID_SENDER_ID: (Result.BAD_REQUEST, "invalid sender id"),  # v5 has no sender id; not reached
    Refusal.INVALID_PHONE_NUMBER: (Result.BAD_NUMBER, "malformed phone number"),
    Refusal.UNSUPPORTED_REGION: (Result.REGION_NOT_SUPPORTED, "no route serves the region of this number"),
    Refusal.TEMPLATE_UNAPPROVED: (
        Result.TEMPLATE_UNAPPROVED,
        "the template does not exist, is not yours or is not approved, or the text matches no approved template",
    ),
    Refusal.DOMESTIC_TEMPLATE_TO_GLOBAL_PHONE: (
        Result.TEMPLATE_UNAPPROVED,
        "a mainland China template cannot be sent to an international number",
    ),
    Refusal.GLOBAL_TEMPLATE_TO_DOMESTIC_PHONE: (
        Result.TEMPLATE_UNAPPROVED,
        "an international template cannot be sent to a mainland China number",
    ),
    Refusal.SIGNATURE_UNAPPROVED: (
        Result.SIGNATURE_UNAPPROVED,
        "the signature is missing, not yours, not approved, or of the wrong region",
    ),
    Refusal.TEMPLATE_PARAMS_MISMATCH: (
        Result.TEMPLATE_UNAPPROVED,
        "the number of params does not match the template",
    ),
    Refusal.VERIFICATION_CODE_FORMAT: (
        Result.VERIFICATION_CODE_FORMAT,
        "a verification code parameter must be 0 to 6 digits",
    ),
    Refusal.URL_IN_PARAMETER: (Result.URL_IN_PARAMETER, "template parameters may not contain links"),
    Refusal.CONTENT_TOO_LONG: (
        Result.CONTENT_TOO_LONG,
        "the message, signature included, is longer than 500 characters",
    ),
    Refusal.MARKETING_TIME_WINDOW: (
        Result.MARKETING_HOURS,
        "marketing messages may only be sent between 08:00 and 22:00",
    ),
    Refusal.INDIVIDUAL_MARKETING: (
        Result.INDIVIDUAL_MARKETING,
        "individual accounts may not send marketing messages",
    ),
}


def refusal_result(refusal: Refusal) -> tuple[Result, str]:
    """(result, errmsg) for a refused send or a refused number."""
    return _REFUSALS[refusal]


def v5_error_for(error: DomainError, *, field_names: dict[str, str] | None = None) -> V5Error:
    """The request-level answer for a domain error; `field_names` maps domain to wire field names."""
    if isinstance(error, SendRefused):
        return V5Error(*refusal_result(error.refusal))
    if isinstance(error, InvalidInput):
        wire = (field_names or {}).get(error.field, error.field)
        result = Result.BAD_NUMBER if error.field == "PhoneNumber" else Result.BAD_REQUEST
        return V5Error(result, f"{wire}: {error.reason}")
    if isinstance(error, NotFound | Forbidden):
        return V5Error(Result.NO_PERMISSION, str(error))
    if isinstance(error, Conflict):
        return V5Error(Result.OTHER, str(error))
    return V5Error(Result.OTHER, str(error))
