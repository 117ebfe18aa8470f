"""Signed-out pages of tenants: sign up, activate, log in and out, forgotten passwords, language."""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from smscloud.adapters.console.i18n import LANGUAGES
from smscloud.adapters.console.kit import ConsoleKit, Visit, local_path
from smscloud.adapters.console.pages import FormState
from smscloud.adapters.console.routes.two_step import pending_login_response
from smscloud.adapters.console.security import USER_COOKIE, client_ip, set_cookie
from smscloud.domain.identity.errors import (
    AccountDisabled,
    BadCredentials,
    EmailTaken,
    LinkInvalid,
    LoginThrottled,
    NotActivated,
    SignUpThrottled,
)
from smscloud.domain.identity.model import Language
from smscloud.domain.identity.rules import check_password, normalize_email
from smscloud.domain.identity.service import PendingLogin
from smscloud.domain.shared.errors import InvalidInput

__all__ = ["public_routes"]


def _login_page(email: str) -> str:
    """The login page with the address filled in (encoded: addresses may hold + and &)."""
    return f"/console/login?{urlencode({'email': email})}"


def public_routes(kit: ConsoleKit) -> list[BaseRoute]:
    identity = kit.services.identity

    async def signup(request: Request) -> Response:
        visit = kit.visitor(request)
        if request.method == "GET":
            return kit.render(request, "public/signup.html", visit)
        form = await kit.form(request, visit)
        state = kit.form_state(form, "email", "terms")  # a form sent back keeps the terms ticked
        password = kit.text(form, "password", limit=200)
        # Every field's problem at once, not one per attempt (sign_up checks them again).
        email = state.get("email")
        for check in (lambda: normalize_email(email), lambda: check_password(password, email=email.strip().lower())):
            try:
                check()
            except InvalidInput as bad:
                kit.fail(state, visit, bad)
        if password != kit.text(form, "password_again", limit=200):
            state.errors["password_again"] = kit.say(visit, "The two passwords differ.")
        if state.get("terms") != "yes":
            state.errors["terms"] = kit.say(visit, "Accept the terms of service to continue.")
        if state.errors:
            return kit.render(request, "public/signup.html", visit, form=state, status_code=400)
        try:
            user = await identity.sign_up(
                email=state.get("email"), password=password, language=Language(visit.language), ip=client_ip(request)
            )
        except InvalidInput as bad:
            return kit.render(request, "public/signup.html", visit, form=kit.fail(state, visit, bad), status_code=400)
        except SignUpThrottled as throttled:
            kit.problem(
                state,
                visit,
                "Too many accounts were opened from your network. Try again in {minutes} minutes.",
                minutes=max(1, throttled.retry_after_s // 60),
            )
            return kit.render(request, "public/signup.html", visit, form=state, status_code=429)
        except EmailTaken:
            state.errors["email"] = kit.say(
                visit, "This e-mail address is registered already: log in, or reset the password."
            )
            return kit.render(request, "public/signup.html", visit, form=state, status_code=400)
        return kit.render(request, "public/signup_done.html", visit, email=user.email)

    async def terms(request: Request) -> Response:
        return kit.render(request, "public/terms.html", kit.visitor(request))

    async def activate(request: Request) -> Response:
        """The link in the activation mail. GET only shows a button: mail scanners that fetch
        links must not use up the one-time token."""
        visit = kit.visitor(request)
        if request.method == "GET":
            return kit.render(request, "public/activate.html", visit, token=request.path_params["token"])
        await kit.form(request, visit)
        try:
            user = await identity.activate(token=request.path_params["token"])
        except LinkInvalid:
            return kit.render(request, "public/link_invalid.html", visit, status_code=400)
        return kit.redirect(_login_page(user.email), done="activated")

    def address_looks_right(state: FormState, visit: Visit) -> bool:
        """Point out a mistyped address before a link is promised (whether it has an account is not said)."""
        try:
            normalize_email(state.get("email"))
        except InvalidInput as bad:
            kit.fail(state, visit, bad)
            return False
        return True

    async def resend(request: Request) -> Response:
        visit = kit.visitor(request)
        if request.method == "GET":
            return kit.render(request, "public/resend.html", visit)
        form = await kit.form(request, visit)
        state = kit.form_state(form, "email")
        if not address_looks_right(state, visit):
            return kit.render(request, "public/resend.html", visit, form=state, status_code=400)
        await identity.resend_activation(email=state.get("email"))
        return kit.redirect("/console/login", done="activation_sent")

    async def login(request: Request) -> Response:
        visit = kit.visitor(request)
        next_path = local_path(request.query_params.get("next", ""), "/console")
        if request.method == "GET":
            if await kit.tenant_visit(request) is not None:
                return kit.redirect(next_path)
            state = FormState(values={"email": request.query_params.get("email", "")})
            return kit.render(
                request,
                "public/login.html",
                visit,
                form=state,
                next=next_path,
                notice=request.query_params.get("done", ""),
            )
        form = await kit.form(request, visit)
        state = kit.form_state(form, "email")
        status = 400
        try:
            _, opened = await identity.log_in(
                email=state.get("email"),
                password=kit.text(form, "password", limit=200),
                ip=client_ip(request),
                user_agent=request.headers.get("user-agent", ""),
            )
        except BadCredentials:
            kit.problem(state, visit, "Wrong e-mail address or password.")
        except NotActivated:
            kit.problem(state, visit, "This account is not activated yet: follow the link in the activation e-mail.")
            state.values["show_resend"] = "yes"
        except AccountDisabled:
            kit.problem(state, visit, "This account is disabled. Contact the platform's operators.")
        except LoginThrottled as throttled:
            status = 429
            kit.problem(
                state,
                visit,
                "Too many failed logins. Try again in {minutes} minutes.",
                minutes=throttled.retry_after_s // 60,
            )
        else:
            target = local_path(kit.text(form, "next"), "/console")
            if isinstance(opened, PendingLogin):
                return pending_login_response(kit, request, opened, target)
            response = kit.redirect(target)
            set_cookie(response, USER_COOKIE, opened.token, path="/console", secure=kit.options.secure_cookies)
            return response
        return kit.render(request, "public/login.html", visit, form=state, next=next_path, status_code=status)

    async def logout(request: Request) -> Response:
        visit = await kit.tenant_visit(request)
        if visit is not None:
            await kit.form(request, visit)
            await identity.log_out(session=visit.session)
        response = kit.redirect("/console/login", done="logged_out")
        response.delete_cookie(USER_COOKIE, path="/console")
        return response

    async def forgot(request: Request) -> Response:
        visit = kit.visitor(request)
        if request.method == "GET":
            return kit.render(request, "public/forgot.html", visit)
        form = await kit.form(request, visit)
        state = kit.form_state(form, "email")
        if not address_looks_right(state, visit):
            return kit.render(request, "public/forgot.html", visit, form=state, status_code=400)
        await identity.request_password_reset(email=state.get("email"))
        return kit.render(request, "public/forgot_done.html", visit)

    async def reset(request: Request) -> Response:
        visit = kit.visitor(request)
        token = request.path_params["token"]
        if request.method == "GET":
            # A dead or mistyped link says so before anyone types a new password twice.
            if not await identity.reset_link_works(token=token):
                return kit.render(request, "public/link_invalid.html", visit, status_code=404)
            return kit.render(request, "public/reset.html", visit, token=token)
        form = await kit.form(request, visit)
        password = kit.text(form, "password", limit=200)
        state = FormState()
        if password != kit.text(form, "password_again", limit=200):
            state.errors["password_again"] = kit.say(visit, "The two passwords differ.")
            try:
                check_password(password)
            except InvalidInput as bad:
                kit.fail(state, visit, bad, field="password")
            return kit.render(request, "public/reset.html", visit, token=token, form=state, status_code=400)
        try:
            user = await identity.reset_password(token=token, password=password)
        except LinkInvalid:
            return kit.render(request, "public/link_invalid.html", visit, status_code=400)
        except InvalidInput as bad:
            return kit.render(
                request,
                "public/reset.html",
                visit,
                token=token,
                form=kit.fail(state, visit, bad, field="password"),
                status_code=400,
            )
        response = kit.redirect(_login_page(user.email), done="password_reset")
        response.delete_cookie(USER_COOKIE, path="/console")
        return response

    async def language(request: Request) -> Response:
        """Switch language: remembered in a cookie, and on the account when signed in. Served
        under /console and /operator, where the session cookies of each side are sent."""
        operator_side = request.url.path.startswith("/operator")
        tenant_visit = None if operator_side else await kit.tenant_visit(request)
        operator_visit = await kit.operator_visit(request) if operator_side else None
        visit = tenant_visit or operator_visit or kit.visitor(request)
        form = await kit.form(request, visit)
        chosen = kit.text(form, "language")
        if chosen not in LANGUAGES:
            chosen = visit.language
        if tenant_visit is not None:
            await kit.services.users.set_language(tenant_visit.user.id, Language(chosen))
        if operator_visit is not None:
            await kit.services.operators.set_language(operator_visit.operator.id, Language(chosen))
        home = "/operator" if operator_side else "/console"
        back = kit.text(form, "back")
        safe = local_path(back, home)
        response = kit.redirect(safe)
        kit.set_language_cookie(response, chosen)
        return response

    return [
        Route("/console/signup", signup, methods=["GET", "POST"]),
        Route("/console/terms", terms, methods=["GET"]),
        Route("/console/activate/{token}", activate, methods=["GET", "POST"]),
        Route("/console/activate", resend, methods=["GET", "POST"]),
        Route("/console/login", login, methods=["GET", "POST"]),
        Route("/console/logout", logout, methods=["POST"]),
        Route("/console/forgot", forgot, methods=["GET", "POST"]),
        Route("/console/reset/{token}", reset, methods=["GET", "POST"]),
        Route("/console/language", language, methods=["POST"]),
        Route("/operator/language", language, methods=["POST"]),
    ]
