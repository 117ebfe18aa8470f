"""What every console page handler shares: who is asking, in what language, forms and CSRF.

Handlers get a `Visit` (signed-out), `TenantVisit` or `OperatorVisit` from the kit, render with
`kit.render`, and answer form posts with `kit.redirect` (post/redirect/get) or the form again
with its errors (HTTP 400).
"""

from __future__ import annotations

import io
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from starlette.convertors import Convertor, register_url_convertor
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from typing_extensions import override

from smscloud.adapters.console.context import ConsoleOptions, ConsoleServices
from smscloud.adapters.console.i18n import LANGUAGES, negotiate, translator
from smscloud.adapters.console.pages import FormState, Renderer, translate_reason
from smscloud.adapters.console.security import (
    ANON_CSRF_COOKIE,
    LANGUAGE_COOKIE,
    OPERATOR_COOKIE,
    USER_COOKIE,
    anonymous_csrf_token,
    same_origin,
    set_cookie,
    tokens_match,
)
from smscloud.domain.accounts.model import Tenant
from smscloud.domain.identity.model import ConsoleSession, Operator, OperatorStatus, Principal, User, UserStatus
from smscloud.domain.shared.errors import InvalidInput, NotFound
from smscloud.domain.shared.numbers import MAX_INT64, whole_number

__all__ = [
    "MAX_ID",
    "MAX_PAGE",
    "ConsoleKit",
    "Handler",
    "OperatorVisit",
    "TenantVisit",
    "Visit",
    "local_path",
    "whole_number",
]

MAX_ID = MAX_INT64  # the largest id the database holds (BIGINT)
MAX_PAGE = 1_000_000  # of a list; beyond it the offset means nothing (and could overflow the query)


class _IdConvertor(Convertor[int]):
    """`{name:id}` in a route: a row id of at most 19 digits. Longer digit runs do not match the
    route (a 404), so that nobody makes the router read thousands of digits (Python refuses more
    than 4,300, which Starlette's `int` convertor would turn into a 500)."""

    regex = "[0-9]{1,19}"

    @override
    def convert(self, value: str) -> int:
        return int(value)

    @override
    def to_string(self, value: int) -> str:
        return str(value)


register_url_convertor("id", _IdConvertor())


# The pages an operator who must turn on two-step verification may still open.
_TWO_STEP_SETUP = frozenset({"/operator/security", "/operator/security/two-step"})


def local_path(raw: str, home: str) -> str:
    """`raw` when it is a path of this side of the console (`home`: /console or /operator), else
    `home`: no scheme, no host, no backslashes, so that a redirect to it stays on this site."""
    if raw.startswith(home) and not raw.startswith("//") and "\\" not in raw and "://" not in raw:
        return raw
    return home


def _beyond_the_database(request: Request) -> bool:
    """A path id no row can have: it names nothing (and would overflow the query)."""
    return any(isinstance(value, int) and value > MAX_ID for value in request.path_params.values())


@dataclass(slots=True)
class Visit:
    """A signed-out visitor."""

    language: str
    csrf: str
    set_csrf_cookie: bool


@dataclass(slots=True)
class TenantVisit:
    session: ConsoleSession
    user: User
    tenant: Tenant
    language: str

    @property
    def csrf(self) -> str:
        return self.session.csrf_token


@dataclass(slots=True)
class OperatorVisit:
    session: ConsoleSession
    operator: Operator
    language: str

    @property
    def csrf(self) -> str:
        return self.session.csrf_token


Handler = Callable[[Request], Awaitable[Response]]


class ConsoleKit:
    def __init__(self, services: ConsoleServices, options: ConsoleOptions) -> None:
        self.services = services
        self.options = options
        self.renderer = Renderer()

    # --- who is asking ----------------------------------------------------------------------

    def language_of(self, request: Request, preferred: str | None = None) -> str:
        chosen = request.cookies.get(LANGUAGE_COOKIE) or preferred
        return negotiate(
            chosen=chosen,
            accept_language=request.headers.get("accept-language", ""),
            default=self.options.default_language,
        )

    def visitor(self, request: Request) -> Visit:
        token, new = anonymous_csrf_token(request)
        return Visit(language=self.language_of(request), csrf=token, set_csrf_cookie=new)

    async def tenant_visit(self, request: Request) -> TenantVisit | None:
        session = await self.services.identity.resume(token=request.cookies.get(USER_COOKIE, ""))
        if session is None or session.user_id is None:
            return None
        user = await self.services.users.by_id(session.user_id)
        if user is None or user.status is not UserStatus.ACTIVE:
            return None
        tenant = await self.services.accounts.tenant(user.tenant_id)
        if tenant is None:
            return None
        return TenantVisit(session, user, tenant, self.language_of(request, user.language))

    async def operator_visit(self, request: Request) -> OperatorVisit | None:
        session = await self.services.identity.resume(token=request.cookies.get(OPERATOR_COOKIE, ""))
        if session is None or session.operator_id is None:
            return None
        operator = await self.services.operators.by_id(session.operator_id)
        if operator is None or operator.status is not OperatorStatus.ACTIVE:
            return None
        return OperatorVisit(session, operator, self.language_of(request, operator.language))

    def tenant_page(self, handler: Callable[[Request, TenantVisit], Awaitable[Response]]) -> Handler:
        """A page for signed-in tenant users; others are sent to log in first."""

        async def page(request: Request) -> Response:
            visit = await self.tenant_visit(request)
            if visit is None:
                target = request.url.path if request.method == "GET" else "/console"
                return self.redirect(f"/console/login?{urlencode({'next': target})}")
            if _beyond_the_database(request):
                raise NotFound("page", request.url.path)
            return await handler(request, visit)

        return page

    def operator_page(self, handler: Callable[[Request, OperatorVisit], Awaitable[Response]]) -> Handler:
        """A page for signed-in operators; others are sent to the operators' login."""

        async def page(request: Request) -> Response:
            visit = await self.operator_visit(request)
            if visit is None:
                return self.redirect("/operator/login")
            if _beyond_the_database(request):
                raise NotFound("page", request.url.path)
            if (
                self.options.operators_need_two_step
                and request.url.path not in _TWO_STEP_SETUP
                and await self.services.identity.two_step_of(Principal.operator(visit.operator.id)) is None
            ):
                return self.redirect("/operator/security/two-step", done="two_step_required")
            return await handler(request, visit)

        return page

    # --- answering --------------------------------------------------------------------------

    def render(
        self,
        request: Request,
        name: str,
        visit: Visit | TenantVisit | OperatorVisit,
        *,
        status_code: int = 200,
        **context: Any,
    ) -> Response:
        values: dict[str, Any] = {
            "csrf": visit.csrf,
            "visit": visit,
            "tenant": visit.tenant if isinstance(visit, TenantVisit) else None,
            "user": visit.user if isinstance(visit, TenantVisit) else None,
            "operator": visit.operator if isinstance(visit, OperatorVisit) else None,
            "options": self.options,
        }
        values.update(context)
        response = self.renderer.page(request, name, language=visit.language, status_code=status_code, **values)
        if isinstance(visit, Visit) and visit.set_csrf_cookie:
            set_cookie(response, ANON_CSRF_COOKIE, visit.csrf, path="/", secure=self.options.secure_cookies)
        return response

    def redirect(self, url: str, *, done: str = "") -> RedirectResponse:
        if done:
            url = f"{url}{'&' if '?' in url else '?'}{urlencode({'done': done})}"
        return RedirectResponse(url, status_code=303)

    def set_language_cookie(self, response: Response, language: str) -> None:
        if language in LANGUAGES:
            response.set_cookie(
                LANGUAGE_COOKIE,
                language,
                max_age=365 * 86400,
                path="/",
                secure=self.options.secure_cookies,
                samesite="lax",
            )

    # --- forms ------------------------------------------------------------------------------

    async def form(self, request: Request, visit: Visit | TenantVisit | OperatorVisit) -> FormData:
        """The posted form, after the CSRF checks; answers 403 when they fail."""
        if not same_origin(request):
            raise HTTPException(403, "cross-site form posts are refused")
        try:
            form = await request.form(max_files=4, max_fields=200, max_part_size=self.options.max_upload_bytes + 1)
        except Exception as bad:  # malformed multipart bodies, oversize parts
            raise HTTPException(400, "the form could not be read") from bad
        given = form.get("csrf_token")
        if not tokens_match(visit.csrf, given if isinstance(given, str) else None):
            await form.close()
            raise HTTPException(403, "the form has expired; reload the page and try again")
        return await self._uploads_read(form)

    async def _uploads_read(self, form: FormData) -> FormData:
        """The form with each upload read into memory and its temporary file closed (Starlette
        leaves them open). An upload is read to one byte over the limit, enough to refuse it
        without holding all of an oversize file."""
        items: list[tuple[str, str | UploadFile]] = []
        for name, value in form.multi_items():
            if isinstance(value, UploadFile):
                data = await value.read(self.options.max_upload_bytes + 1)
                value = UploadFile(io.BytesIO(data), size=len(data), filename=value.filename, headers=value.headers)
            items.append((name, value))
        await form.close()
        return FormData(items)

    @staticmethod
    def text(form: FormData, name: str, *, limit: int = 2000) -> str:
        """A text field, without NUL characters (PostgreSQL's text cannot hold them)."""
        value = form.get(name)
        return value[:limit].replace("\x00", "") if isinstance(value, str) else ""

    @staticmethod
    async def upload(form: FormData, name: str) -> tuple[str, bytes] | None:
        value = form.get(name)
        if not isinstance(value, UploadFile) or not value.filename:
            return None
        return value.filename, await value.read()

    def ask_files_again(
        self, form: FormData, state: FormState, visit: Visit | TenantVisit | OperatorVisit, *names: str
    ) -> None:
        """A browser cannot be handed a chosen file back: on a form sent back with a mistake, each
        file field that had a file (and no problem of its own) says to choose it again."""
        for name in names:
            value = form.get(name)
            if isinstance(value, UploadFile) and value.filename and name not in state.errors:
                state.errors[name] = self.say(
                    visit, "Choose the file again: files are not kept when a form is sent back."
                )

    @staticmethod
    def newest(ids: Iterable[int]) -> str:
        """What a create form carries as "newest": the id of the newest thing of its kind when it
        was shown (see `sent_already`)."""
        return str(max(ids, default=0))

    @staticmethod
    def sent_already(state: FormState, ids: Iterable[int]) -> bool:
        """Whether a create form was sent already (a double click, a reload): something newer than
        the newest it was shown with exists. A form without the field is taken as new."""
        shown = whole_number(state.get("newest"))
        return shown is not None and max(ids, default=0) > shown

    def form_state(self, form: FormData, *names: str) -> FormState:
        return FormState(values={name: self.text(form, name) for name in names})

    def fail(
        self,
        state: FormState,
        visit: Visit | TenantVisit | OperatorVisit,
        error: InvalidInput,
        *,
        field: str | None = None,
    ) -> FormState:
        """Every problem of `error` next to its field (the first under `field` when given)."""
        _ = translator(visit.language)
        for problem in error.every:
            name = field if field is not None and problem is error else problem.field
            state.errors.setdefault(name, translate_reason(_, problem.reason))
        return state

    def problem(
        self, state: FormState, visit: Visit | TenantVisit | OperatorVisit, text: str, **values: object
    ) -> FormState:
        state.problem = self.say(visit, text, **values)
        return state

    @staticmethod
    def say(visit: Visit | TenantVisit | OperatorVisit, text: str, **values: object) -> str:
        """A text in the visitor's language."""
        return translator(visit.language)(text, **values)
