"""Send records (发送记录): the tenant's messages with status, segments and receipt, filtered, and
exported as CSV."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from smscloud.adapters.console.kit import MAX_PAGE, ConsoleKit, TenantVisit, whole_number
from smscloud.adapters.console.pages import FormState
from smscloud.domain.messages.model import MessageRecord, MessageStatus
from smscloud.domain.messages.phone import InvalidPhoneNumber

__all__ = ["EXPORT_LIMIT", "PAGE_SIZE", "record_routes", "records_csv"]

PAGE_SIZE = 50
EXPORT_LIMIT = 10_000  # rows of one CSV export; narrower filters reach older ones
# Dates farther out bound nothing, and at the ends of the calendar the bound itself overflows.
_FIRST_DAY, _LAST_DAY = date(1970, 1, 2), date(9999, 12, 30)


def _day(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class _Filter:
    phone: str | None
    since: datetime | None
    until: datetime | None
    status: MessageStatus | None


# A cell a spreadsheet would run as a formula starts with one of these (CSV injection): such text
# is written with a leading apostrophe. Phone numbers (E.164, "+86…") are left as they are.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_CSV_HEADER = (
    "SerialNo",
    "SendTime",
    "PhoneNumber",
    "SdkAppId",
    "SignName",
    "TemplateId",
    "Content",
    "Fee",
    "Status",
    "ErrorCode",
    "ReceiptStat",
    "ReceiptErr",
    "SubmitTime",
    "DoneTime",
)


def _cell(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text


def records_csv(items: list[MessageRecord], *, apps: dict[int, str], zone: str) -> bytes:
    """The records as CSV: a header of Tencent-style names, times in the account's time zone."""
    tz = ZoneInfo(zone)

    def when(value: datetime | None) -> str:
        return value.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S") if value else ""

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(_CSV_HEADER)
    for r in items:
        writer.writerow(
            (
                r.serial_no,
                when(r.created_at),
                r.phone,
                apps.get(r.app_id, ""),
                _cell(r.sign_name),
                "" if r.template_id is None else str(r.template_id),
                _cell(r.content),
                str(r.segments),
                r.status.value,
                _cell(r.error_code),
                _cell(r.receipt_stat),
                _cell(r.receipt_err),
                when(r.submitted_at),
                when(r.done_at),
            )
        )
    return "\ufeff".encode() + out.getvalue().encode("utf-8")


def record_routes(kit: ConsoleKit) -> list[BaseRoute]:
    services = kit.services

    def filters(request: Request, visit: TenantVisit) -> tuple[FormState, _Filter]:
        """The filter form as typed, and what it asks for (its errors in the state)."""
        query = request.query_params
        state = FormState(
            values={
                name: query.get(name, "").replace("\x00", "").strip()
                for name in ("phone", "since", "until", "status", "serial")
            }
        )
        zone = ZoneInfo(visit.tenant.timezone)
        since, until = _day(state.get("since")), _day(state.get("until"))
        for name, value in (("since", since), ("until", until)):
            if state.get(name) and value is None:
                state.errors[name] = kit.say(visit, "Enter a date as YYYY-MM-DD.")
        if since and until and until < since:
            state.errors["until"] = kit.say(visit, "The end date is before the start date.")
        status = None
        if state.get("status"):
            try:
                status = MessageStatus(state.get("status"))
            except ValueError:
                state.errors["status"] = kit.say(visit, "Choose one of the offered values.")
        phone = ""
        if state.get("phone"):
            try:  # as the API reads numbers: without a country code, a mainland China number
                phone = services.parser.parse(state.get("phone")).e164
            except InvalidPhoneNumber:
                state.errors["phone"] = kit.say(visit, "This is not a phone number.")
        wanted = _Filter(
            phone=phone or None,
            since=datetime.combine(since, time.min, zone) if since and since >= _FIRST_DAY else None,
            until=datetime.combine(until, time.min, zone) + timedelta(days=1) if until and until <= _LAST_DAY else None,
            status=status,
        )
        return state, wanted

    async def found(
        visit: TenantVisit, state: FormState, wanted: _Filter, *, limit: int, offset: int
    ) -> list[MessageRecord]:
        if state.get("serial"):
            one = await services.history.record(tenant_id=visit.tenant.id, serial_no=state.get("serial"))
            return [one] if one else []
        if state.errors:
            return []
        return await services.history.records(
            tenant_id=visit.tenant.id,
            phone=wanted.phone,
            since=wanted.since,
            until=wanted.until,
            status=wanted.status,
            limit=limit,
            offset=offset,
        )

    async def records(request: Request, visit: TenantVisit) -> Response:
        state, wanted = filters(request, visit)
        page = whole_number(request.query_params.get("page", ""), maximum=MAX_PAGE) or 1
        items = await found(visit, state, wanted, limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE)
        apps = {app.id: app for app in await services.apps.of_tenant(visit.tenant.id)}
        kept = {name: value for name, value in state.values.items() if value}
        return kit.render(
            request,
            "tenant/records.html",
            visit,
            records=items[:PAGE_SIZE],
            newer=f"?{urlencode({**kept, 'page': page - 1})}" if page > 1 else "",
            older=f"?{urlencode({**kept, 'page': page + 1})}" if len(items) > PAGE_SIZE else "",
            export=f"/console/records.csv?{urlencode(kept)}" if kept else "/console/records.csv",
            apps=apps,
            form=state,
            statuses=list(MessageStatus),
            zone=visit.tenant.timezone,
            status_code=400 if state.errors else 200,
        )

    async def export(request: Request, visit: TenantVisit) -> Response:
        """The records the filters select, newest first, as CSV for a spreadsheet (at most
        `EXPORT_LIMIT` rows; UTF-8 with a byte order mark, so that Excel reads the Chinese)."""
        state, wanted = filters(request, visit)
        if state.errors:
            return kit.redirect(f"/console/records?{urlencode(state.values)}")
        items = await found(visit, state, wanted, limit=EXPORT_LIMIT, offset=0)
        apps = {app.id: app for app in await services.apps.of_tenant(visit.tenant.id)}
        body = records_csv(
            items, apps={app_id: app.sdk_app_id for app_id, app in apps.items()}, zone=visit.tenant.timezone
        )
        stamp = services.clock.now().astimezone(ZoneInfo(visit.tenant.timezone)).strftime("%Y%m%d-%H%M%S")
        return Response(
            body,
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="sms-records-{stamp}.csv"'},
        )

    return [
        Route("/console/records", kit.tenant_page(records), methods=["GET"]),
        Route("/console/records.csv", kit.tenant_page(export), methods=["GET"]),
    ]
