"""Why a send is refused: a closed list that every API maps to its own codes."""

from __future__ import annotations

from enum import StrEnum

from smscloud.domain.shared.errors import DomainError

__all__ = ["Refusal", "SendRefused"]


class Refusal(StrEnum):
    # Request-level: the whole request is refused.
    EMPTY_PHONE_NUMBER_SET = "empty_phone_number_set"
    TOO_MANY_PHONE_NUMBERS = "too_many_phone_numbers"
    APP_NOT_FOUND = "app_not_found"
    APP_NOT_YOURS = "app_not_yours"
    APP_DISABLED = "app_disabled"
    ACCOUNT_SUSPENDED = "account_suspended"
    MIXED_DOMESTIC_AND_INTERNATIONAL = "mixed_domestic_and_international"
    SESSION_CONTEXT_TOO_LONG = "session_context_too_long"
    INVALID_EXTEND_CODE = "invalid_extend_code"
    INVALID_SENDER_ID = "invalid_sender_id"
    MARKETING_TIME_WINDOW = "marketing_time_window"
    INDIVIDUAL_MARKETING = "individual_marketing"
    # Per number: the request is answered, this number failed.
    INVALID_PHONE_NUMBER = "invalid_phone_number"
    UNSUPPORTED_REGION = "unsupported_region"
    TEMPLATE_UNAPPROVED = "template_unapproved"
    DOMESTIC_TEMPLATE_TO_GLOBAL_PHONE = "domestic_template_to_global_phone"
    GLOBAL_TEMPLATE_TO_DOMESTIC_PHONE = "global_template_to_domestic_phone"
    SIGNATURE_UNAPPROVED = "signature_unapproved"
    TEMPLATE_PARAMS_MISMATCH = "template_params_mismatch"
    VERIFICATION_CODE_FORMAT = "verification_code_format"
    URL_IN_PARAMETER = "url_in_parameter"
    CONTENT_TOO_LONG = "content_too_long"


class SendRefused(DomainError):
    """The whole send request is refused."""

    def __init__(self, refusal: Refusal, detail: str = "") -> None:
        super().__init__(f"{refusal.value}: {detail}" if detail else refusal.value)
        self.refusal = refusal
        self.detail = detail
