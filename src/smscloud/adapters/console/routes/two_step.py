"""Two-step verification in the console, for tenant users and operators alike: the second step of
a login (the code page), and turning it on (QR code, first code, recovery codes shown once) or off
(with the password).

A login whose password was right but whose code is still to come holds only a short-lived cookie
of its own (`STEP_COOKIE`, five minutes); the session cookie is set only after the code.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

import segno
from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from smscloud.adapters.console.kit import ConsoleKit, OperatorVisit, TenantVisit, local_path
from smscloud.adapters.console.pages import FormState
from smscloud.adapters.console.security import OPERATOR_COOKIE, USER_COOKIE, client_ip, set_cookie
from smscloud.domain.identity.errors import BadCode, LoginThrottled
from smscloud.domain.identity.model import Principal
from smscloud.domain.identity.service import CHALLENGE_VALID, OpenedSession, PendingLogin
from smscloud.domain.shared.errors import InvalidInput

__all__ = ["pending_login_response", "two_step_routes"]


@dataclass(frozen=True, slots=True)
class _Side:
    home: str  # "/console" or "/operator"
    session_cookie: str
    step_cookie: str


_TENANT = _Side("/console", USER_COOKIE, "sc_step")
_OPERATOR = _Side("/operator", OPERATOR_COOKIE, "sc_operator_step")


def _side_of(path: str) -> _Side:
    return _OPERATOR if path.startswith("/operator") else _TENANT


def pending_login_response(kit: ConsoleKit, request: Request, pending: PendingLogin, next_path: str) -> Response:
    """After the right password of an account with two-step verification: on to the code page."""
    side = _side_of(request.url.path)
    target = f"{side.home}/login/code"
    if next_path and next_path != side.home:
        target += "?" + urlencode({"next": next_path})
    response = kit.redirect(target)
    set_cookie(
        response,
        side.step_cookie,
        pending.token,
        path=side.home,
        secure=kit.options.secure_cookies,
        max_age=int(CHALLENGE_VALID.total_seconds()),
    )
    return response


def _qr_svg(uri: str) -> Markup:
    # segno writes the SVG itself from the URI (base32 and URL characters only): nothing to escape.
    return Markup(segno.make(uri, error="m").svg_inline(scale=4, dark="#000", light="#fff"))  # noqa: S704


def two_step_routes(kit: ConsoleKit) -> list[BaseRoute]:
    identity = kit.services.identity

    async def code(request: Request) -> Response:
        """The second step of a login: the code of the app, or a recovery code."""
        side = _side_of(request.url.path)
        visit = kit.visitor(request)
        token = request.cookies.get(side.step_cookie, "")
        next_path = local_path(request.query_params.get("next", ""), side.home)
        # A POST learns the same from complete_log_in (BadCode, expired).
        if request.method == "GET" and await identity.pending_login(token=token) is None:
            return kit.redirect(f"{side.home}/login", done="login_expired")
        state = FormState()
        status = 200
        if request.method == "POST":
            form = await kit.form(request, visit)
            try:
                _, opened = await identity.complete_log_in(
                    token=token, code=kit.text(form, "code", limit=64), ip=client_ip(request)
                )
            except BadCode as bad:
                if bad.expired:
                    response = kit.redirect(f"{side.home}/login", done="login_expired")
                    response.delete_cookie(side.step_cookie, path=side.home)
                    return response
                state.errors["code"] = kit.say(visit, "This code is not right. Type the code the app shows now.")
                status = 400
            except LoginThrottled as throttled:
                kit.problem(
                    state,
                    visit,
                    "Too many failed logins. Try again in {minutes} minutes.",
                    minutes=throttled.retry_after_s // 60,
                )
                status = 429
            else:
                return _signed_in(side, opened, local_path(kit.text(form, "next"), side.home))
        return kit.render(
            request, "public/login_code.html", visit, form=state, next=next_path, side=side.home, status_code=status
        )

    def _signed_in(side: _Side, opened: OpenedSession, target: str) -> Response:
        response = kit.redirect(target)
        set_cookie(response, side.session_cookie, opened.token, path=side.home, secure=kit.options.secure_cookies)
        response.delete_cookie(side.step_cookie, path=side.home)
        return response

    async def setup(
        request: Request, visit: TenantVisit | OperatorVisit, principal: Principal, account: str
    ) -> Response:
        side = _side_of(request.url.path)
        state = FormState()
        status = 200
        if request.method == "POST":
            form = await kit.form(request, visit)
            action = kit.text(form, "action")
            if action == "disable":
                try:
                    await identity.disable_two_step(principal, password=kit.text(form, "password", limit=200))
                except InvalidInput as bad:
                    kit.fail(state, visit, bad)
                    status = 400
                else:
                    return kit.redirect(f"{side.home}/security", done="two_step_off")
            else:
                secret = kit.text(form, "secret", limit=64)
                try:
                    codes = await identity.enable_two_step(principal, secret=secret, code=kit.text(form, "code"))
                except InvalidInput as bad:
                    kit.fail(state, visit, bad)
                    status = 400
                    state.values["secret"] = secret
                else:
                    return kit.render(request, "public/two_step_codes.html", visit, codes=codes, side=side.home)
        current = await identity.two_step_of(principal)
        secret, qr = "", Markup()
        if current is None:  # the setup is shown only while it is off
            started = identity.start_two_step(account=account, secret=state.get("secret") or None)
            secret, qr = started.secret, _qr_svg(started.uri)
        return kit.render(
            request,
            "public/two_step.html",
            visit,
            current=current,
            secret=secret,
            qr=qr,
            form=state,
            side=side.home,
            status_code=status,
        )

    async def tenant_setup(request: Request, visit: TenantVisit) -> Response:
        return await setup(request, visit, Principal.user(visit.user.id), visit.user.email)

    async def operator_setup(request: Request, visit: OperatorVisit) -> Response:
        return await setup(request, visit, Principal.operator(visit.operator.id), visit.operator.email)

    async def operator_security(request: Request, visit: OperatorVisit) -> Response:
        current = await identity.two_step_of(Principal.operator(visit.operator.id))
        return kit.render(request, "operator/security.html", visit, two_step=current)

    return [
        Route("/console/login/code", code, methods=["GET", "POST"]),
        Route("/operator/login/code", code, methods=["GET", "POST"]),
        Route("/console/security/two-step", kit.tenant_page(tenant_setup), methods=["GET", "POST"]),
        Route("/operator/security", kit.operator_page(operator_security), methods=["GET"]),
        Route("/operator/security/two-step", kit.operator_page(operator_setup), methods=["GET", "POST"]),
    ]
