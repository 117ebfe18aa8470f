"""Use cases of the messages context: accept a send, pull reports.

Each function is the one write (or read) path for its state change; adapters call these and
never touch message rows themselves.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from smscloud.domain.accounts.model import Tenant
from smscloud.domain.apps.model import Application
from smscloud.domain.messages.free_text import read_free_text
from smscloud.domain.messages.model import Report
from smscloud.domain.messages.phone import InvalidPhoneNumber, PhoneNumber, PhoneNumberParser
from smscloud.domain.messages.ports import Catalog, DispatchSignal, MessageStore, ReplyStore, ReportStore
from smscloud.domain.messages.refusals import Refusal, SendRefused
from smscloud.domain.messages.replies import Reply
from smscloud.domain.messages.send import (
    MAX_CONTENT_CHARS,
    NumberOutcome,
    SendRequest,
    check_application,
    check_request_shape,
    plan_send,
)
from smscloud.domain.shared.clock import Clock
from smscloud.domain.shared.errors import InvalidInput, NotFound
from smscloud.domain.shared.numbers import whole_number
from smscloud.domain.signatures.ports import SignatureStore
from smscloud.domain.templates.ports import TemplateStore

__all__ = [
    "MAX_PULL",
    "PHONE_PULL_WINDOW",
    "accept",
    "accept_text",
    "pull_replies",
    "pull_reports",
    "replies_for_phone",
    "reports_for_phone",
]

MAX_PULL = 100
PHONE_PULL_WINDOW = timedelta(days=7)
_MAX_INT64 = 2**63 - 1  # ids and offsets the stores can hold


def _parse_all(parser: PhoneNumberParser, raws: list[str]) -> list[PhoneNumber | InvalidPhoneNumber]:
    parsed: list[PhoneNumber | InvalidPhoneNumber] = []
    for raw in raws:
        try:
            parsed.append(parser.parse(raw))
        except InvalidPhoneNumber as invalid:
            parsed.append(invalid)
    return parsed


def _template_id(raw: str) -> int | None:
    """The id `raw` names: ASCII decimal digits within int64, else None (it names no template)."""
    return whole_number(raw, maximum=_MAX_INT64)


async def _tenant(catalog: Catalog, tenant_id: int) -> Tenant:
    tenant = await catalog.tenant(tenant_id)
    if tenant is None:
        raise NotFound("tenant", tenant_id)
    return tenant


async def accept(
    *,
    catalog: Catalog,
    store: MessageStore,
    signal: DispatchSignal,
    parser: PhoneNumberParser,
    clock: Clock,
    tenant_id: int,
    request: SendRequest,
    request_id: str,
) -> list[NumberOutcome]:
    """Accept a send: every accepted number is stored, and so queued, before this returns."""
    check_request_shape(request)
    tenant = await _tenant(catalog, tenant_id)
    app = check_application(await catalog.application(request.sdk_app_id), tenant)
    numbers = _parse_all(parser, list(request.phone_numbers))
    international = not any(n.domestic for n in numbers if isinstance(n, PhoneNumber))
    template_id = _template_id(request.template_id)
    template = await catalog.template(template_id) if template_id is not None else None
    signature = await catalog.signature(tenant.id, request.sign_name, international) if request.sign_name else None
    plan = plan_send(
        request=request,
        request_id=request_id,
        tenant=tenant,
        app=app,
        template=template,
        signature=signature,
        numbers=numbers,
        routes=await catalog.routes(),
        now=clock.now(),
    )
    if plan.messages:
        await store.add(plan.messages)
        signal.wake({m.carrier_id for m in plan.messages})
    return plan.outcomes


async def accept_text(
    *,
    catalog: Catalog,
    store: MessageStore,
    signal: DispatchSignal,
    parser: PhoneNumberParser,
    clock: Clock,
    templates: TemplateStore,
    signatures: SignatureStore,
    tenant_id: int,
    text: str,
    request: SendRequest,
    request_id: str,
) -> list[NumberOutcome]:
    """Accept a send given as finished text (legacy v5 `msg`): `accept` of the template that renders it.

    `request` holds everything but the template, its parameters and the signature, which are read
    from `text` (`free_text.read_free_text`). A text that no approved template of the tenant renders
    is refused as a whole with `TEMPLATE_UNAPPROVED` ("template unapproved or content does not match").
    """
    check_request_shape(request)
    await _own_app(catalog, tenant_id, request.sdk_app_id)
    if len(text) > MAX_CONTENT_CHARS:
        raise SendRefused(Refusal.CONTENT_TOO_LONG, f"{len(text)} characters")
    numbers = _parse_all(parser, list(request.phone_numbers))
    international = not any(n.domestic for n in numbers if isinstance(n, PhoneNumber))
    found = read_free_text(
        text,
        tenant_id=tenant_id,
        international=international,
        templates=await templates.of_tenant(tenant_id, international=international),
        signatures=[] if international else await signatures.of_tenant(tenant_id, international=False),
    )
    if found is None:
        raise SendRefused(Refusal.TEMPLATE_UNAPPROVED, "the text matches no approved template")
    return await accept(
        catalog=catalog,
        store=store,
        signal=signal,
        parser=parser,
        clock=clock,
        tenant_id=tenant_id,
        request=replace(request, template_id=str(found.template_id), params=found.params, sign_name=found.sign_name),
        request_id=request_id,
    )


async def _own_app(catalog: Catalog, tenant_id: int, sdk_app_id: str) -> Application:
    tenant = await _tenant(catalog, tenant_id)
    return check_application(await catalog.application(sdk_app_id), tenant)


def _check_limit(limit: int) -> None:
    if not 0 < limit <= MAX_PULL:
        raise InvalidInput("Limit", f"must be between 1 and {MAX_PULL}")


async def pull_reports(
    *, catalog: Catalog, reports: ReportStore, tenant_id: int, sdk_app_id: str, limit: int
) -> list[Report]:
    """Final statuses not pulled before, each returned once (Tencent's queue semantics)."""
    _check_limit(limit)
    app = await _own_app(catalog, tenant_id, sdk_app_id)
    return await reports.pull(app_id=app.id, limit=limit)


async def reports_for_phone(
    *,
    catalog: Catalog,
    reports: ReportStore,
    parser: PhoneNumberParser,
    clock: Clock,
    tenant_id: int,
    sdk_app_id: str,
    phone: str,
    begin: datetime,
    end: datetime | None,
    limit: int,
    offset: int = 0,
) -> list[Report]:
    """Final statuses of one number's messages sent in [begin, end], at most 7 days back."""
    app_id, e164 = await _phone_window(
        catalog, parser, clock, tenant_id, sdk_app_id, phone, begin=begin, end=end, limit=limit, offset=offset
    )
    return await reports.for_phone(app_id=app_id, phone=e164, begin=begin, end=end, limit=limit, offset=offset)


async def pull_replies(
    *, catalog: Catalog, replies: ReplyStore, tenant_id: int, sdk_app_id: str, limit: int
) -> list[Reply]:
    """Replies to the application's messages not pulled before, each returned once."""
    _check_limit(limit)
    app = await _own_app(catalog, tenant_id, sdk_app_id)
    return await replies.pull(app_id=app.id, limit=limit)


async def replies_for_phone(
    *,
    catalog: Catalog,
    replies: ReplyStore,
    parser: PhoneNumberParser,
    clock: Clock,
    tenant_id: int,
    sdk_app_id: str,
    phone: str,
    begin: datetime,
    end: datetime | None,
    limit: int,
    offset: int = 0,
) -> list[Reply]:
    """Replies from one number received in [begin, end], at most 7 days back."""
    app_id, e164 = await _phone_window(
        catalog, parser, clock, tenant_id, sdk_app_id, phone, begin=begin, end=end, limit=limit, offset=offset
    )
    return await replies.for_phone(app_id=app_id, phone=e164, begin=begin, end=end, limit=limit, offset=offset)


async def _phone_window(
    catalog: Catalog,
    parser: PhoneNumberParser,
    clock: Clock,
    tenant_id: int,
    sdk_app_id: str,
    phone: str,
    *,
    begin: datetime,
    end: datetime | None,
    limit: int,
    offset: int,
) -> tuple[int, str]:
    """The application's id and the number in E.164, once a by-number pull's window is checked."""
    _check_limit(limit)
    if not 0 <= offset <= _MAX_INT64:
        raise InvalidInput("Offset", "must be between 0 and 2^63-1")
    now = clock.now()
    if begin < now - PHONE_PULL_WINDOW:
        raise InvalidInput("BeginTime", "must be within the last 7 days")
    if end is not None and end < begin:
        raise InvalidInput("EndTime", "must not be before the start of the window")
    try:
        number = parser.parse(phone)
    except InvalidPhoneNumber as invalid:
        raise InvalidInput("PhoneNumber", "not a valid phone number") from invalid
    app = await _own_app(catalog, tenant_id, sdk_app_id)
    return app.id, number.e164
