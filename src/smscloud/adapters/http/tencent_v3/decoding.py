"""Business parameters into the action's typed request model, with Tencent's error codes; and the
small wire values the actions share (ids, paging, the International flag, review status codes)."""

from __future__ import annotations

import re
from typing import Annotated, TypeVar

import msgspec

from smscloud.adapters.http.json_text import holds_nul, json_holds_nul
from smscloud.adapters.http.tencent_v3.auth import SignedCall
from smscloud.adapters.http.tencent_v3.errors import ApiError
from smscloud.domain.shared.review import ReviewStatus

__all__ = [
    "DEFAULT_LIMIT",
    "MAX_IDS",
    "MAX_LIMIT",
    "Id",
    "decode_request",
    "id_set",
    "international_flag",
    "page",
    "qualification_status_code",
    "review_status_code",
]

_INT64_MAX = 2**63 - 1
# An id as Tencent types it (unsigned) and as the database can hold it (64-bit); anything else is
# InvalidParameter, like any other value of the wrong type.
Id = Annotated[int, msgspec.Meta(ge=0, le=_INT64_MAX)]
MAX_IDS = 100  # SignIdSet / TemplateIdSet
MAX_LIMIT = 100
DEFAULT_LIMIT = 10

T = TypeVar("T")

_MISSING = re.compile(r"Object missing required field `([^`]+)`")


def decode_request(call: SignedCall, model: type[T]) -> T:
    """JSON bodies and flattened (GET, form) parameters decode through the same model.

    NUL characters are refused in every parameter: no text field of the API can hold one, and
    PostgreSQL text cannot store one.
    """
    if (call.json_body is not None and json_holds_nul(call.json_body)) or holds_nul(call.params):
        raise ApiError("InvalidParameterValue", "Parameters may not contain NUL characters.")
    try:
        if call.json_body is not None:
            body = call.json_body.strip() or b"{}"
            return msgspec.json.decode(body, type=model, strict=False)
        return msgspec.convert(call.params or {}, model, strict=False)
    except msgspec.ValidationError as exc:
        missing = _MISSING.search(str(exc))
        if missing:
            raise ApiError(
                "MissingParameter", f"The request is missing a required parameter `{missing.group(1)}`."
            ) from exc
        raise ApiError("InvalidParameter", f"Invalid parameter: {exc}") from exc
    except msgspec.DecodeError as exc:
        raise ApiError("FailedOperation.JsonParseFail", f"The request body is not valid JSON: {exc}") from exc
    except UnicodeDecodeError as exc:  # msgspec raises it for a string that is not UTF-8
        raise ApiError("FailedOperation.JsonParseFail", "The request body is not valid UTF-8 JSON.") from exc
    except RecursionError as exc:  # nesting deeper than the decoder goes; no parameter nests so deep
        raise ApiError("FailedOperation.JsonParseFail", "The request body nests too deeply.") from exc


def international_flag(value: int) -> bool:
    """`International`: 0 mainland China, 1 international / Hong Kong, Macao and Taiwan."""
    if value not in (0, 1):
        raise ApiError("InvalidParameterValue.InvalidInternational", "International must be 0 or 1.")
    return value == 1


def id_set(ids: list[int] | None, field: str) -> list[int]:
    if ids is not None and len(ids) > MAX_IDS:
        raise ApiError("InvalidParameterValue", f"{field} may hold at most {MAX_IDS} ids.")
    return list(ids or ())


def page(limit: int | None, offset: int | None) -> tuple[int, int]:
    """(limit, offset) of a list action, defaults filled in and ranges checked."""
    limit = DEFAULT_LIMIT if limit is None else limit
    offset = 0 if offset is None else offset
    if not 1 <= limit <= MAX_LIMIT:
        raise ApiError("InvalidParameterValue.LimitVerifyFail", f"Limit must be 1 to {MAX_LIMIT}.")
    if not 0 <= offset <= _INT64_MAX:
        raise ApiError("InvalidParameterValue.OffsetVerifyFail", "Offset must not be negative.")
    return limit, offset


_REVIEW_STATUS_CODES = {ReviewStatus.APPROVED: 0, ReviewStatus.PENDING: 1, ReviewStatus.REJECTED: -1}
_QUALIFICATION_STATUS_CODES = {ReviewStatus.PENDING: 0, ReviewStatus.APPROVED: 1, ReviewStatus.REJECTED: 2}


def review_status_code(status: ReviewStatus) -> int:
    """`StatusCode` of a signature or template: 0 usable, 1 in review, -1 rejected."""
    return _REVIEW_STATUS_CODES[status]


def qualification_status_code(status: ReviewStatus) -> int:
    """`QualificationStatusCode`: 0 in review, 1 approved, 2 rejected."""
    return _QUALIFICATION_STATUS_CODES[status]
