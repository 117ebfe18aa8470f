"""Errors of the Tencent Cloud API 3.0 surface.

An `ApiError` carries a Tencent error code (`AuthFailure.SignatureFailure`,
`InvalidParameterValue.IncorrectPhoneNumber`, ...) and a message. The dispatcher turns it into the
`{"Response": {"Error": {"Code", "Message"}, "RequestId"}}` envelope with HTTP 200. Domain errors
are mapped onto these codes in this module, and only here.
"""

from __future__ import annotations

__all__ = ["ApiError"]


class ApiError(Exception):
    """A request-level failure answered in the Tencent error envelope."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
