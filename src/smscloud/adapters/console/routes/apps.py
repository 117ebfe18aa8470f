"""Applications (SdkAppID and AppKey, seed 4) and API keys (SecretId and SecretKey)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from smscloud.adapters.console.kit import ConsoleKit, TenantVisit, whole_number
from smscloud.adapters.console.pages import FormState
from smscloud.domain.accounts.errors import ApiKeyLimitReached, SmsNotEnabled
from smscloud.domain.accounts.service import MAX_API_KEYS, delete_api_key, issue_api_key, set_api_key_enabled
from smscloud.domain.apps.service import create_application, rotate_app_key, set_application_enabled
from smscloud.domain.shared.errors import Conflict, InvalidInput, NotFound
from smscloud.domain.shared.review import ReviewStatus

__all__ = ["app_routes"]


def app_routes(kit: ConsoleKit) -> list[BaseRoute]:
    services = kit.services

    async def apps(request: Request, visit: TenantVisit) -> Response:
        tenant = visit.tenant
        existing = await services.apps.of_tenant(tenant.id)
        state = FormState(values={"newest": kit.newest(app.id for app in existing)})
        status_code = 200
        if request.method == "POST":
            form = await kit.form(request, visit)
            state = kit.form_state(form, "name", "newest")
            if kit.sent_already(state, (app.id for app in existing)):
                return kit.redirect("/console/apps", done="app_created_already")
            try:
                app = await create_application(
                    store=services.apps, clock=services.clock, tenant=tenant, name=state.get("name")
                )
            except SmsNotEnabled:
                kit.problem(state, visit, "Apply for the SMS service before creating applications.")
                status_code = 403
            except InvalidInput as bad:
                kit.fail(state, visit, bad)
                status_code = 400
            else:
                services.changed()
                return kit.redirect(f"/console/apps/{app.id}", done="app_created")
        return kit.render(
            request,
            "tenant/apps.html",
            visit,
            apps=await services.apps.of_tenant(tenant.id),
            form=state,
            status_code=status_code,
        )

    async def app_details(request: Request, visit: TenantVisit) -> Response:
        app_id: int = request.path_params["app_id"]
        reveal = False
        if request.method == "POST":
            form = await kit.form(request, visit)
            action = kit.text(form, "action")
            if action == "rotate":
                await rotate_app_key(
                    store=services.apps, clock=services.clock, tenant_id=visit.tenant.id, app_id=app_id
                )
                services.changed()
                # Redirected, so that reloading the page shows it and does not rotate again.
                return kit.redirect(f"/console/apps/{app_id}", done="app_key_rotated")
            elif action in ("disable", "enable"):
                await set_application_enabled(
                    store=services.apps, tenant_id=visit.tenant.id, app_id=app_id, enabled=action == "enable"
                )
                services.changed()
                return kit.redirect(f"/console/apps/{app_id}", done=f"app_{action}d")
            elif action == "reveal":
                reveal = True
        app = await services.apps.get(tenant_id=visit.tenant.id, app_id=app_id)
        if app is None:
            raise NotFound("application", app_id)
        # The example send uses the account's own approved domestic content where it has some.
        signs = [
            s for s in await services.signatures.of_tenant(visit.tenant.id, international=False) if s.status.usable
        ]
        templates = [
            t
            for t in await services.templates.of_tenant(visit.tenant.id)
            if t.status is ReviewStatus.APPROVED and not t.international
        ]
        return kit.render(
            request,
            "tenant/app.html",
            visit,
            app=app,
            reveal=reveal,
            example_sign=signs[0].name if signs else "",
            example_template=templates[0] if templates else None,
        )

    async def keys(request: Request, visit: TenantVisit) -> Response:
        tenant = visit.tenant
        created = None
        state = FormState()
        status_code = 200
        if request.method == "POST":
            form = await kit.form(request, visit)
            action = kit.text(form, "action")
            key_id = whole_number(kit.text(form, "key_id")) or 0
            if action == "create":
                # The form carries the newest key's id it was shown with: a reloaded (re-posted)
                # form finds a newer key and creates nothing, instead of a second key unseen.
                newest = max((key.id for key in await services.accounts.api_keys_of(tenant.id)), default=0)
                if (whole_number(kit.text(form, "newest")) or 0) != newest:
                    return kit.redirect("/console/keys", done="key_created_already")
                try:
                    created = await issue_api_key(store=services.accounts, clock=services.clock, tenant_id=tenant.id)
                except ApiKeyLimitReached:
                    kit.problem(
                        state,
                        visit,
                        "An account may hold two API keys: disable one and delete it before creating another.",
                    )
                    status_code = 409
            elif action in ("disable", "enable"):
                await set_api_key_enabled(
                    store=services.accounts, tenant_id=tenant.id, key_id=key_id, enabled=action == "enable"
                )
                services.changed()
                return kit.redirect("/console/keys", done=f"key_{action}d")
            elif action == "delete":
                try:
                    await delete_api_key(store=services.accounts, tenant_id=tenant.id, key_id=key_id)
                except Conflict:
                    kit.problem(state, visit, "Disable the key before deleting it.")
                    status_code = 409
                else:
                    services.changed()
                    return kit.redirect("/console/keys", done="key_deleted")
        return kit.render(
            request,
            "tenant/keys.html",
            visit,
            keys=await services.accounts.api_keys_of(tenant.id),
            created=created,
            max_keys=MAX_API_KEYS,
            form=state,
            status_code=status_code,
        )

    return [
        Route("/console/apps", kit.tenant_page(apps), methods=["GET", "POST"]),
        Route("/console/apps/{app_id:id}", kit.tenant_page(app_details), methods=["GET", "POST"]),
        Route("/console/keys", kit.tenant_page(keys), methods=["GET", "POST"]),
    ]
