"""Business parameters into the action's typed request model, with Tencent's error codes."""

from __future__ import annotations

import re
from typing import TypeVar

import msgspec

from smscloud.adapters.http.tencent_v3.auth import SignedCall
from smscloud.adapters.http.tencent_v3.errors import ApiError

__all__ = ["decode_request"]

T = TypeVar("T")

_MISSING = re.compile(r"Object missing required field `([^`]+)`")


def _has_nul(value: object) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def decode_request(call: SignedCall, model: type[T]) -> T:
    """JSON bodies and flattened (GET, form) parameters decode through the same model.

    NUL characters are refused in every parameter: no text field of the API can hold one, and
    PostgreSQL text cannot store one.
    """
    if (call.json_body is not None and b"\\u0000" in call.json_body) or _has_nul(call.params):
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
