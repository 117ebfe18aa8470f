"""The console as one Starlette application: tenant pages under /console, operators' under
/operator, static assets under /console/static."""

from __future__ import annotations

from pathlib import Path

import structlog
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from smscloud.adapters.console.context import ConsoleOptions, ConsoleServices
from smscloud.adapters.console.kit import ConsoleKit, OperatorVisit, TenantVisit, Visit
from smscloud.adapters.console.routes.account import account_routes
from smscloud.adapters.console.routes.apps import app_routes
from smscloud.adapters.console.routes.content import content_routes
from smscloud.adapters.console.routes.operator import operator_routes
from smscloud.adapters.console.routes.public import public_routes
from smscloud.adapters.console.routes.records import record_routes
from smscloud.adapters.console.routes.replies import reply_routes
from smscloud.adapters.console.routes.two_step import two_step_routes
from smscloud.adapters.console.security import SecurityHeaders
from smscloud.domain.shared.errors import NotFound

log = structlog.get_logger(__name__)

__all__ = ["build_console", "console_routes"]

_STATIC = Path(__file__).parent / "static"


def console_routes(services: ConsoleServices, options: ConsoleOptions) -> tuple[ConsoleKit, list[BaseRoute]]:
    kit = ConsoleKit(services, options)

    async def home(request: Request) -> Response:
        return RedirectResponse("/console", status_code=303)

    routes: list[BaseRoute] = [
        Route("/console/", home, methods=["GET"]),
        *public_routes(kit),
        *account_routes(kit),
        *app_routes(kit),
        *content_routes(kit),
        *record_routes(kit),
        *reply_routes(kit),
        *operator_routes(kit),
        *two_step_routes(kit),
        Mount("/console/static", app=StaticFiles(directory=_STATIC), name="static"),
    ]
    return kit, routes


def build_console(
    services: ConsoleServices, options: ConsoleOptions, *, extra_routes: list[BaseRoute] | None = None
) -> Starlette:
    kit, routes = console_routes(services, options)

    async def not_found(request: Request, exc: Exception) -> Response:
        return await _error_page(kit, request, 404)

    async def http_error(request: Request, exc: Exception) -> Response:
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        return await _error_page(kit, request, status, exc.detail if isinstance(exc, HTTPException) else "")

    return Starlette(
        routes=[*routes, *(extra_routes or [])],
        middleware=[Middleware(SecurityHeaders)],
        exception_handlers={NotFound: not_found, HTTPException: http_error},
    )


async def _error_page(kit: ConsoleKit, request: Request, status: int, detail: str = "") -> Response:
    visit: Visit | TenantVisit | OperatorVisit = kit.visitor(request)
    try:
        # A signed-in visitor keeps the navigation and the way out.
        signed_in = await (
            kit.operator_visit(request) if request.url.path.startswith("/operator") else kit.tenant_visit(request)
        )
    except Exception:  # an error page must not fail because the sessions cannot be read
        log.warning("error_page.session_unreadable", path=request.url.path, exc_info=True)
        signed_in = None
    if signed_in is not None:
        visit = signed_in
    texts = {
        403: "This request was refused.",
        404: "There is nothing here: the page does not exist, or it is not yours.",
        405: "This page cannot be used this way.",
    }
    # The error's short name, for the title and heading beside its code.
    titles = {
        400: "Bad request",
        403: "Access denied",
        404: "Page not found",
        405: "Method not allowed",
    }
    message = texts.get(status, "The request could not be handled.")
    title = titles.get(status, "Error")
    return kit.render(
        request,
        "error.html",
        visit,
        status_code=status,
        status=status,
        title=kit.say(visit, title),
        message=message,
        detail=detail if status in (400, 403) else "",
    )
