"""The response envelope: `{"Response": {..., "RequestId"}}`, always HTTP 200, always exactly
`Content-Type: application/json` (the Python SDK ignores the Error object under any other type)."""

from __future__ import annotations

import msgspec

__all__ = ["CONTENT_TYPE", "error_body", "ok_body"]

CONTENT_TYPE = "application/json"

_encoder = msgspec.json.Encoder()


class _Error(msgspec.Struct):
    Code: str
    Message: str


class _ErrorResponse(msgspec.Struct):
    Error: _Error
    RequestId: str


class _Envelope(msgspec.Struct):
    Response: msgspec.Struct


def ok_body(payload: msgspec.Struct) -> bytes:
    """Encode a response model (which carries its own `RequestId`) inside `Response`."""
    return _encoder.encode(_Envelope(payload))


def error_body(code: str, message: str, request_id: str) -> bytes:
    return _encoder.encode(_Envelope(_ErrorResponse(_Error(code, message), request_id)))
