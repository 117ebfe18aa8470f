"""The send policy: which numbers of a request are accepted, as what messages, at what fee.

`plan_send` is a pure function of the request and what it refers to (application, template,
signature, routes). It raises `SendRefused` for problems of the whole request, and gives every
other number its own outcome, as Tencent's SendStatusSet does.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from smscloud.domain.accounts.model import Tenant, TenantKind, TenantStatus
from smscloud.domain.apps.model import Application
from smscloud.domain.messages.model import NewMessage
from smscloud.domain.messages.phone import InvalidPhoneNumber, PhoneNumber
from smscloud.domain.messages.refusals import Refusal, SendRefused
from smscloud.domain.messages.routing import Route, choose_carrier
from smscloud.domain.messages.segments import segment_for_destination
from smscloud.domain.messages.serials import new_serial_no
from smscloud.domain.signatures.model import Signature
from smscloud.domain.templates.model import SmsType, Template, render

__all__ = [
    "MAX_CONTENT_CHARS",
    "MAX_PHONE_NUMBERS",
    "MAX_SESSION_CONTEXT_BYTES",
    "NumberOutcome",
    "SendPlan",
    "SendRequest",
    "bad_parameters",
    "check_application",
    "check_request_shape",
    "plan_send",
]

MAX_PHONE_NUMBERS = 200
MAX_SESSION_CONTEXT_BYTES = 511  # "< 512 bytes"
MAX_CONTENT_CHARS = 500  # signature and parameters included
MARKETING_HOURS = (8, 22)  # local time, [start, end)

_VERIFICATION_CODE = re.compile(r"[0-9]{0,6}")  # spec §4.3: 0-6 digits, none included
_URL = re.compile(
    r"(https?://|www\.|\b[a-z0-9-]+\.(com|cn|net|org|top|xyz|info|io|cc|me|vip|shop|site|link)\b)",
    re.IGNORECASE,
)
_EXTEND_CODE = re.compile(r"[0-9]{0,12}")
# An alphanumeric sender (up to 11 characters on the wire) or a numeric one (up to 20 digits).
_SENDER_ID = re.compile(r"[A-Za-z0-9 ._-]{0,11}|\+?[0-9]{1,20}")


def bad_parameters(refusal: Refusal, params: Sequence[str]) -> list[int]:
    """The 1-based positions of the parameters that earn `refusal`: those that are not a
    verification code (VERIFICATION_CODE_FORMAT) or that hold a link (URL_IN_PARAMETER); none
    for any other refusal."""
    if refusal is Refusal.VERIFICATION_CODE_FORMAT:
        return [i for i, p in enumerate(params, start=1) if not _VERIFICATION_CODE.fullmatch(p)]
    if refusal is Refusal.URL_IN_PARAMETER:
        return [i for i, p in enumerate(params, start=1) if _URL.search(p)]
    return []


@dataclass(frozen=True, slots=True)
class SendRequest:
    sdk_app_id: str
    template_id: str
    phone_numbers: Sequence[str]
    params: Sequence[str]
    sign_name: str = ""
    session_context: str = ""
    extend_code: str = ""
    sender_id: str = ""


@dataclass(frozen=True, slots=True)
class NumberOutcome:
    """One entry of the answer: accepted (refusal None) or refused, for one requested number."""

    phone: str  # normalised E.164 when it parsed, else as given
    serial_no: str
    fee: int
    iso_code: str
    refusal: Refusal | None = None

    @property
    def accepted(self) -> bool:
        return self.refusal is None


@dataclass(frozen=True, slots=True)
class SendPlan:
    outcomes: list[NumberOutcome]
    messages: list[NewMessage]


def check_request_shape(request: SendRequest) -> None:
    """Refusals that need nothing but the request itself (cheap, before any lookup)."""
    if not request.phone_numbers:
        raise SendRefused(Refusal.EMPTY_PHONE_NUMBER_SET)
    if len(request.phone_numbers) > MAX_PHONE_NUMBERS:
        raise SendRefused(Refusal.TOO_MANY_PHONE_NUMBERS, f"{len(request.phone_numbers)} numbers")
    if len(request.session_context.encode()) > MAX_SESSION_CONTEXT_BYTES:
        raise SendRefused(Refusal.SESSION_CONTEXT_TOO_LONG)
    if not _EXTEND_CODE.fullmatch(request.extend_code):
        raise SendRefused(Refusal.INVALID_EXTEND_CODE)
    if not _SENDER_ID.fullmatch(request.sender_id):
        raise SendRefused(Refusal.INVALID_SENDER_ID)


def check_application(app: Application | None, tenant: Tenant) -> Application:
    if tenant.status is TenantStatus.SUSPENDED:
        raise SendRefused(Refusal.ACCOUNT_SUSPENDED)
    if app is None:
        raise SendRefused(Refusal.APP_NOT_FOUND)
    if app.tenant_id != tenant.id:
        raise SendRefused(Refusal.APP_NOT_YOURS)
    if not app.enabled:
        raise SendRefused(Refusal.APP_DISABLED)
    return app


def _content_refusal(
    *,
    request: SendRequest,
    tenant: Tenant,
    international: bool,
    template: Template | None,
    signature: Signature | None,
    now: datetime,
) -> tuple[Refusal | None, str]:
    """Checks shared by every valid number; returns (refusal, rendered text), or raises
    `SendRefused` for the marketing rules, which refuse the whole request."""
    if template is None or not template.usable_by(tenant.id):
        return Refusal.TEMPLATE_UNAPPROVED, ""
    if template.international != international:
        if international:
            return Refusal.DOMESTIC_TEMPLATE_TO_GLOBAL_PHONE, ""
        return Refusal.GLOBAL_TEMPLATE_TO_DOMESTIC_PHONE, ""
    signature_needed = bool(request.sign_name) or not international
    if signature_needed and (
        signature is None or not signature.usable_for(tenant_id=tenant.id, international=international)
    ):
        return Refusal.SIGNATURE_UNAPPROVED, ""
    if len(request.params) != template.parameters:
        return Refusal.TEMPLATE_PARAMS_MISMATCH, ""
    if template.sms_type is SmsType.VERIFICATION_CODE and bad_parameters(
        Refusal.VERIFICATION_CODE_FORMAT, request.params
    ):
        return Refusal.VERIFICATION_CODE_FORMAT, ""
    if bad_parameters(Refusal.URL_IN_PARAMETER, request.params):
        return Refusal.URL_IN_PARAMETER, ""
    if template.sms_type is SmsType.MARKETING:
        # Who may send marketing, and when, are facts of the request, not of a number: the whole
        # request is refused (spec §1.8), as Tencent answers them in the Error envelope.
        if tenant.kind is TenantKind.INDIVIDUAL:
            raise SendRefused(Refusal.INDIVIDUAL_MARKETING)
        local_hour = now.astimezone(ZoneInfo(tenant.timezone)).hour
        if not MARKETING_HOURS[0] <= local_hour < MARKETING_HOURS[1]:
            raise SendRefused(Refusal.MARKETING_TIME_WINDOW, f"{local_hour:02d}:xx in {tenant.timezone}")
    body = render(template.content, list(request.params))
    text = signature.decorate(body) if signature is not None else body
    if len(text) > MAX_CONTENT_CHARS:
        return Refusal.CONTENT_TOO_LONG, ""
    return None, text


def plan_send(
    *,
    request: SendRequest,
    request_id: str,
    tenant: Tenant,
    app: Application,
    template: Template | None,
    signature: Signature | None,
    numbers: Sequence[PhoneNumber | InvalidPhoneNumber],
    routes: Sequence[Route],
    now: datetime,
) -> SendPlan:
    """Decide every number's outcome. `numbers` are the parsed `request.phone_numbers`, in order."""
    valid = [n for n in numbers if isinstance(n, PhoneNumber)]
    kinds = {n.domestic for n in valid}
    if len(kinds) > 1:
        raise SendRefused(Refusal.MIXED_DOMESTIC_AND_INTERNATIONAL)
    international = kinds == {False}
    refusal, text = (None, "")
    if valid:
        refusal, text = _content_refusal(
            request=request,
            tenant=tenant,
            international=international,
            template=template,
            signature=signature,
            now=now,
        )
    segmentation = segment_for_destination(text, domestic=not international) if refusal is None else None
    outcomes: list[NumberOutcome] = []
    messages: list[NewMessage] = []
    for raw, number in zip(request.phone_numbers, numbers, strict=True):
        if isinstance(number, InvalidPhoneNumber):
            outcomes.append(NumberOutcome(raw, "", 0, "", Refusal.INVALID_PHONE_NUMBER))
            continue
        if refusal is not None or segmentation is None or template is None:
            outcomes.append(NumberOutcome(number.e164, "", 0, number.iso_code, refusal))
            continue
        carrier_id = choose_carrier(routes, number.e164)
        if carrier_id is None:
            outcomes.append(NumberOutcome(number.e164, "", 0, number.iso_code, Refusal.UNSUPPORTED_REGION))
            continue
        serial_no = new_serial_no(now)
        outcomes.append(NumberOutcome(number.e164, serial_no, segmentation.segments, number.iso_code))
        messages.append(
            NewMessage(
                serial_no=serial_no,
                request_id=request_id,
                tenant_id=tenant.id,
                app_id=app.id,
                phone=number.e164,
                country_code=number.country_code,
                iso_code=number.iso_code,
                international=international,
                sign_name=signature.name if signature is not None else "",
                template_id=template.id,
                sms_type=int(template.sms_type),
                content=text,
                alphabet=segmentation.alphabet.value,
                segments=segmentation.segments,
                session_context=request.session_context,
                extend_code=request.extend_code,
                sender_id=request.sender_id,
                carrier_id=carrier_id,
                created_at=now,
            )
        )
    return SendPlan(outcomes, messages)
