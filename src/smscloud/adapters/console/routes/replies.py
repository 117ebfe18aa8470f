"""Replies (回复记录): what recipients answered to the tenant's messages, newest first."""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from smscloud.adapters.console.kit import MAX_PAGE, ConsoleKit, TenantVisit, whole_number
from smscloud.adapters.console.pages import FormState
from smscloud.domain.messages.phone import InvalidPhoneNumber
from smscloud.domain.messages.replies import Reply

__all__ = ["reply_routes"]

PAGE_SIZE = 50


def reply_routes(kit: ConsoleKit) -> list[BaseRoute]:
    services = kit.services

    async def replies(request: Request, visit: TenantVisit) -> Response:
        query = request.query_params
        state = FormState(values={"phone": query.get("phone", "").replace("\x00", "").strip()})
        page = whole_number(query.get("page", ""), maximum=MAX_PAGE) or 1
        phone = None
        if state.get("phone"):
            try:  # as the API reads numbers: without a country code, a mainland China number
                phone = services.parser.parse(state.get("phone")).e164
            except InvalidPhoneNumber:
                state.errors["phone"] = kit.say(visit, "This is not a phone number.")
        items: list[Reply] = []
        if not state.errors:
            items = await services.replies.of_tenant(
                tenant_id=visit.tenant.id, phone=phone, limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE
            )
        apps = {app.id: app for app in await services.apps.of_tenant(visit.tenant.id)}
        kept = {name: value for name, value in state.values.items() if value}
        return kit.render(
            request,
            "tenant/replies.html",
            visit,
            replies=items[:PAGE_SIZE],
            newer=f"?{urlencode({**kept, 'page': page - 1})}" if page > 1 else "",
            older=f"?{urlencode({**kept, 'page': page + 1})}" if len(items) > PAGE_SIZE else "",
            apps=apps,
            form=state,
            zone=visit.tenant.timezone,
            status_code=400 if state.errors else 200,
        )

    return [Route("/console/replies", kit.tenant_page(replies), methods=["GET"])]
