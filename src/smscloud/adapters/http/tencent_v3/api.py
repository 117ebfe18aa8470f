"""The Tencent Cloud API 3.0 front door: authenticate, route by action, answer in the envelope.

Every outcome is HTTP 200 with `Content-Type: application/json` and Tencent's envelope; an
unexpected failure is logged and answered as `InternalError`, never as a traceback.
"""

from __future__ import annotations

import uuid

import structlog

from smscloud.adapters.http.tencent_v3.actions import resolve
from smscloud.adapters.http.tencent_v3.auth import RawRequest, SignedCall, identify, verify
from smscloud.adapters.http.tencent_v3.context import ApiServices, CallContext
from smscloud.adapters.http.tencent_v3.envelope import error_body, ok_body
from smscloud.adapters.http.tencent_v3.errors import ApiError
from smscloud.adapters.http.tencent_v3.messages_zh import localized

__all__ = ["TencentApi"]

log = structlog.get_logger(__name__)


class TencentApi:
    def __init__(self, services: ApiServices) -> None:
        self._services = services

    def reject(self, code: str, message: str, language: str | None = None) -> bytes:
        """An error envelope for a request refused before it could be read (too large, say)."""
        return error_body(code, localized(code, message, language), str(uuid.uuid4()))

    async def handle(self, request: RawRequest) -> bytes:
        request_id = str(uuid.uuid4())
        # X-TC-Language, or a v1 form's Language once the call is read, picks the message language.
        language = request.headers.get("x-tc-language")
        try:
            call = identify(request)
            language = call.language
            return await self._answer(call, request, request_id)
        except ApiError as error:
            language = language or error.language
            return error_body(error.code, localized(error.code, error.message, language), request_id)
        except Exception:
            log.exception("tencent_api.internal_error", request_id=request_id)
            message = localized("InternalError", "An internal error occurred; it has been logged.", language)
            return error_body("InternalError", message, request_id)

    async def _answer(self, call: SignedCall, request: RawRequest, request_id: str) -> bytes:
        services = self._services
        key = await services.credentials.api_key(call.secret_id)
        if key is None or not key.usable:
            raise ApiError("AuthFailure.SecretIdNotFound", "The SecretId is not found or is disabled.")
        verify(call, request, key.secret_key, now=int(services.clock.now().timestamp()))
        tenant = await services.credentials.tenant(key.tenant_id)
        if tenant is None:  # pragma: no cover - keys belong to tenants by foreign key
            raise ApiError("AuthFailure.SecretIdNotFound", "The SecretId is not found or is disabled.")
        handler = resolve(call.version, call.action)
        context = CallContext(
            services=services,
            tenant_id=tenant.id,
            request_id=request_id,
            version=call.version,
            timezone=tenant.timezone,
            language=call.language,
        )
        return ok_body(await handler(context, call))
