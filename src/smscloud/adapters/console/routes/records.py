"""Send records (发送记录): the tenant's messages with status, segments and receipt."""

from __future__ import annotations

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

__all__ = ["PAGE_SIZE", "record_routes"]

PAGE_SIZE = 50
# Dates farther out bound nothing, and at the ends of the calendar the bound itself overflows.
_FIRST_DAY, _LAST_DAY = date(1970, 1, 2), date(9999, 12, 30)


def _day(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def record_routes(kit: ConsoleKit) -> list[BaseRoute]:
    services = kit.services

    async def records(request: Request, visit: TenantVisit) -> Response:
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
        status = None
        if state.get("status"):
            try:
                status = MessageStatus(state.get("status"))
            except ValueError:
                state.errors["status"] = kit.say(visit, "Choose one of the offered values.")
        page = whole_number(query.get("page", ""), maximum=MAX_PAGE) or 1
        phone = ""
        if state.get("phone"):
            try:  # as the API reads numbers: without a country code, a mainland China number
                phone = services.parser.parse(state.get("phone")).e164
            except InvalidPhoneNumber:
                state.errors["phone"] = kit.say(visit, "This is not a phone number.")
        items: list[MessageRecord]
        if state.get("serial"):
            found = await services.history.record(tenant_id=visit.tenant.id, serial_no=state.get("serial"))
            items = [found] if found else []
        elif state.errors:
            items = []
        else:
            items = await services.history.records(
                tenant_id=visit.tenant.id,
                phone=phone or None,
                since=datetime.combine(since, time.min, zone) if since and since >= _FIRST_DAY else None,
                until=datetime.combine(until, time.min, zone) + timedelta(days=1)
                if until and until <= _LAST_DAY
                else None,
                status=status,
                limit=PAGE_SIZE + 1,
                offset=(page - 1) * PAGE_SIZE,
            )
        apps = {app.id: app for app in await services.apps.of_tenant(visit.tenant.id)}
        kept = {name: value for name, value in state.values.items() if value}
        return kit.render(
            request,
            "tenant/records.html",
            visit,
            records=items[:PAGE_SIZE],
            newer=f"?{urlencode({**kept, 'page': page - 1})}" if page > 1 else "",
            older=f"?{urlencode({**kept, 'page': page + 1})}" if len(items) > PAGE_SIZE else "",
            apps=apps,
            form=state,
            statuses=list(MessageStatus),
            zone=visit.tenant.timezone,
            status_code=400 if state.errors else 200,
        )

    return [Route("/console/records", kit.tenant_page(records), methods=["GET"])]
