"""The v5 front door: find the path, identify the app by `sdkappid`, verify `sig` with its AppKey.

The order of the checks: the path (1011 unknown, 1030 not served here), the query's `sdkappid`
(1019 when no application has it) and `random`, the JSON body (1004), `sig` present (1003),
`time` within 10 minutes (1021), `sig` made with the application's current AppKey (1001). Only
then does an action run; whether the application may send (disabled: 1020) is the use case's
rule. Every answer is HTTP 200 with a JSON body; an unexpected failure is logged and answered 1007.
"""

from __future__ import annotations

import uuid
from urllib.parse import parse_qs

import msgspec
import structlog

from smscloud.adapters.http.json_text import json_holds_nul
from smscloud.adapters.http.legacy_v5.actions import ACTIONS, KNOWN_PATHS, Action
from smscloud.adapters.http.legacy_v5.context import V5Call, V5Services
from smscloud.adapters.http.legacy_v5.errors import Result, V5Error
from smscloud.adapters.http.legacy_v5.request import SignedRequest
from smscloud.adapters.http.legacy_v5.signing import sig_matches, time_in_window
from smscloud.domain.apps.model import Application

__all__ = ["V5Api", "error_body"]

log = structlog.get_logger(__name__)

_ENCODER = msgspec.json.Encoder()


class _Error(msgspec.Struct):
    result: int
    errmsg: str


class _ErrorWithExt(msgspec.Struct):
    result: int
    errmsg: str
    ext: str


class _ErrorWithMsg(msgspec.Struct):
    result: int
    errmsg: str
    msg: str


# Tencent documents `msg` for the template and sign endpoints, `errmsg` for the rest; clients of
# those endpoints get both (spec §0.2.4).
_MSG_PATHS = frozenset(
    f"/v5/tlssmssvr/{verb}_{what}" for verb in ("add", "mod", "del", "get") for what in ("template", "sign")
)


def error_body(error: V5Error, ext: str | None = None, *, path: str = "") -> bytes:
    """`{"result", "errmsg"}`, with the request's `ext` echoed where it was read, and `msg` beside
    `errmsg` for the template and sign endpoints."""
    if path in _MSG_PATHS:
        return _ENCODER.encode(_ErrorWithMsg(int(error.result), error.errmsg, error.errmsg))
    if ext is None:
        return _ENCODER.encode(_Error(int(error.result), error.errmsg))
    return _ENCODER.encode(_ErrorWithExt(int(error.result), error.errmsg, ext))


def _action(path: str, method: str) -> Action:
    action = ACTIONS.get(path)
    if action is None:
        if path in KNOWN_PATHS:
            raise V5Error(Result.NOT_SUPPORTED, f"{path} is not served by this server")
        raise V5Error(Result.NO_SUCH_INTERFACE, f"{path} does not exist")
    if method != "POST":
        raise V5Error(Result.NOT_SUPPORTED, f"{path} takes POST requests")
    return action


def _query(raw_query: str) -> tuple[str, str]:
    """(`sdkappid`, `random`) of the query string, each as sent."""
    values = parse_qs(raw_query, keep_blank_values=True)
    sdk_app_id = values.get("sdkappid", [""])[0].strip()
    random = values.get("random", [""])[0]
    if not random:
        raise V5Error(Result.BAD_REQUEST, "random is missing from the query string")
    return sdk_app_id, random


class V5Api:
    def __init__(self, services: V5Services) -> None:
        self._services = services

    async def handle(self, *, path: str, method: str, raw_query: str, body: bytes) -> bytes:
        """The answer to one request under /v5/, always a JSON body to send with HTTP 200."""
        wire: SignedRequest | None = None
        try:
            action = _action(path, method)
            sdk_app_id, random = _query(raw_query)
            app = await self._application(sdk_app_id)
            if json_holds_nul(body):  # no field can hold NUL, and PostgreSQL's text cannot store one
                raise V5Error(Result.BAD_REQUEST, "the body may not contain NUL characters")
            try:
                wire = msgspec.json.decode(body, type=action.model)
            except msgspec.DecodeError as error:
                raise V5Error(Result.BAD_REQUEST, f"the body is not a valid request: {error}") from error
            except UnicodeDecodeError as error:  # msgspec raises it for a string that is not UTF-8
                raise V5Error(Result.BAD_REQUEST, "the body is not valid UTF-8 JSON") from error
            except RecursionError as error:  # nested deeper than the decoder goes; no field nests so deep
                raise V5Error(Result.BAD_REQUEST, "the body nests too deeply") from error
            self._verify(wire, action, app, random)
            call = V5Call(services=self._services, app=app, request_id=str(uuid.uuid4()))
            return _ENCODER.encode(await action.handle(call, wire))
        except V5Error as error:
            return error_body(error, getattr(wire, "ext", None), path=path)
        except Exception:
            log.exception("v5_api.internal_error", path=path)
            return error_body(V5Error(Result.OTHER, "an internal error occurred; it has been logged"), path=path)

    async def _application(self, sdk_app_id: str) -> Application:
        app = await self._services.catalog.application(sdk_app_id) if sdk_app_id else None
        if app is None:
            raise V5Error(Result.SDKAPPID_NOT_FOUND, "sdkappid does not exist")
        return app

    def _verify(self, wire: SignedRequest, action: Action, app: Application, random: str) -> None:
        if not wire.sig:
            raise V5Error(Result.SIG_MISSING, "sig is missing")
        if wire.time is None:
            raise V5Error(Result.BAD_REQUEST, "time is missing")
        now = int(self._services.clock.now().timestamp())
        if not time_in_window(wire.time, now=now):
            raise V5Error(Result.TIME_SKEW, "time differs from the server's by more than 10 minutes")
        if not sig_matches(wire.sig, app_key=app.app_key, random=random, time=wire.time, mobiles=action.mobiles(wire)):
            raise V5Error(Result.SIG_FAILED, "sig verification failed")
