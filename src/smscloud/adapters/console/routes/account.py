"""The tenant's account: overview, profile, qualification, applying for SMS, sessions and password."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from smscloud.adapters.console.kit import ConsoleKit, TenantVisit, whole_number
from smscloud.adapters.console.pages import FormState
from smscloud.domain.accounts.errors import SmsNotReady
from smscloud.domain.accounts.model import TenantKind, TenantStatus
from smscloud.domain.accounts.rules import missing_for_sms
from smscloud.domain.accounts.service import apply_for_sms, check_profile, save_profile
from smscloud.domain.audit.model import Actor
from smscloud.domain.documents.model import DocumentPurpose
from smscloud.domain.documents.service import upload_document
from smscloud.domain.identity.model import Principal
from smscloud.domain.identity.rules import check_password
from smscloud.domain.qualification.rules import check_qualification, may_submit_qualification
from smscloud.domain.qualification.service import submit_qualification
from smscloud.domain.shared.errors import Conflict, InvalidInput
from smscloud.domain.shared.review import ReviewStatus

__all__ = ["account_routes"]

_PROFILE_FIELDS = ("kind", "name", "contact_name", "contact_phone", "contact_email", "address")
_QUALIFICATION_FIELDS = ("company_name", "credit_code", "contact_name", "contact_phone")


def account_routes(kit: ConsoleKit) -> list[BaseRoute]:
    services = kit.services

    async def overview(request: Request, visit: TenantVisit) -> Response:
        tenant = visit.tenant
        profile = await services.accounts.profile_of(tenant.id)
        qualification = await services.qualifications.current_of(tenant.id)
        signatures = await services.signatures.of_tenant(tenant.id)
        templates = await services.templates.of_tenant(tenant.id)
        apps = await services.apps.of_tenant(tenant.id)
        suspension = None
        if tenant.status is TenantStatus.SUSPENDED:  # its reason is the newest suspension's
            suspensions = await services.audit.recent(limit=10, tenant_id=tenant.id, subject_kind="tenant")
            suspension = next((e for e in suspensions if e.action == "tenant.suspend"), None)
        return kit.render(
            request,
            "tenant/overview.html",
            visit,
            suspension=suspension,
            profile=profile,
            qualification=qualification,
            missing=missing_for_sms(tenant=tenant, profile=profile, qualification=qualification),
            apps=apps,
            signatures=signatures,
            templates=templates,
            approved=ReviewStatus.APPROVED,
        )

    async def profile(request: Request, visit: TenantVisit) -> Response:
        tenant = visit.tenant
        approved = await services.qualifications.approved_of(tenant.id)
        if request.method == "GET":
            current = await services.accounts.profile_of(tenant.id)
            values = {"kind": tenant.kind.value, "name": "" if "@" in tenant.name else tenant.name}
            if current is not None:
                values |= {
                    "contact_name": current.contact_name,
                    "contact_phone": current.contact_phone,
                    "contact_email": current.contact_email,
                    "address": current.address,
                }
            else:
                values["contact_email"] = visit.user.email
            return kit.render(
                request,
                "tenant/profile.html",
                visit,
                form=FormState(values=values),
                approved=approved,
            )
        form = await kit.form(request, visit)
        state = kit.form_state(form, *_PROFILE_FIELDS)
        try:
            kind = TenantKind(state.get("kind"))
        except ValueError:
            # Said with the other fields' problems, as any other form sent back.
            state.errors["kind"] = kit.say(visit, "Choose individual or enterprise.")
            try:
                check_profile(
                    name=state.get("name"),
                    contact_name=state.get("contact_name"),
                    contact_phone=state.get("contact_phone"),
                    contact_email=state.get("contact_email"),
                    address=state.get("address"),
                )
            except InvalidInput as bad:
                kit.fail(state, visit, bad)
            return kit.render(request, "tenant/profile.html", visit, form=state, approved=approved, status_code=400)
        try:
            updated, _ = await save_profile(
                store=services.accounts,
                qualifications=services.qualifications,
                clock=services.clock,
                tenant=tenant,
                kind=kind,
                name=state.get("name"),
                contact_name=state.get("contact_name"),
                contact_phone=state.get("contact_phone"),
                contact_email=state.get("contact_email"),
                address=state.get("address"),
            )
        except InvalidInput as bad:
            return kit.render(
                request,
                "tenant/profile.html",
                visit,
                form=kit.fail(state, visit, bad),
                approved=approved,
                status_code=400,
            )
        if updated.kind is TenantKind.ENTERPRISE and approved is None:
            return kit.redirect("/console/qualification", done="profile_saved")
        return kit.redirect("/console", done="profile_saved")

    async def qualification(request: Request, visit: TenantVisit) -> Response:
        tenant = visit.tenant
        current = await services.qualifications.current_of(tenant.id)
        editable = current is None or current.status is ReviewStatus.REJECTED
        if request.method == "GET":
            values: dict[str, str] = {}
            if current is not None:
                values = {
                    "company_name": current.company_name,
                    "credit_code": current.credit_code,
                    "contact_name": current.contact_name,
                    "contact_phone": current.contact_phone,
                }
            elif (profile := await services.accounts.profile_of(tenant.id)) is not None:
                values = {
                    "company_name": "" if "@" in tenant.name else tenant.name,
                    "contact_name": profile.contact_name,
                    "contact_phone": profile.contact_phone,
                }
            return kit.render(
                request,
                "tenant/qualification.html",
                visit,
                current=current,
                editable=editable,
                may_submit=may_submit_qualification(tenant),
                form=FormState(values=values),
            )
        form = await kit.form(request, visit)
        state = kit.form_state(form, *_QUALIFICATION_FIELDS)

        def again(status_code: int = 400) -> Response:
            kit.ask_files_again(form, state, visit, "licence")
            return kit.render(
                request,
                "tenant/qualification.html",
                visit,
                current=current,
                editable=editable,
                may_submit=may_submit_qualification(tenant),
                form=state,
                status_code=status_code,
            )

        if not may_submit_qualification(tenant):
            kit.problem(
                state, visit, "Qualification is for enterprise accounts: choose enterprise in the profile first."
            )
            return again()
        if not editable:  # before the upload is stored, so that it is not left orphaned
            kit.problem(state, visit, "A qualification is already waiting for review or approved.")
            return again(409)
        upload = await kit.upload(form, "licence")
        try:
            # Every field before the file is stored, so a typo does not leave an orphan upload.
            check_qualification(
                company_name=state.get("company_name"),
                credit_code=state.get("credit_code"),
                contact_name=state.get("contact_name"),
                contact_phone=state.get("contact_phone"),
            )
        except InvalidInput as bad:
            kit.fail(state, visit, bad)
        if upload is None:
            state.errors["licence"] = kit.say(visit, "Upload the business licence (JPEG, PNG or PDF).")
        if upload is None or state.errors:
            return again()
        try:
            document = await upload_document(
                store=services.documents,
                clock=services.clock,
                tenant_id=tenant.id,
                purpose=DocumentPurpose.LICENCE,
                filename=upload[0],
                data=upload[1],
                field="licence",
                max_bytes=kit.options.max_upload_bytes,
            )
            await submit_qualification(
                store=services.qualifications,
                clock=services.clock,
                tenant=tenant,
                actor=Actor.user(visit.user.id),
                company_name=state.get("company_name"),
                credit_code=state.get("credit_code"),
                licence_document_id=document.id,
                contact_name=state.get("contact_name"),
                contact_phone=state.get("contact_phone"),
            )
        except InvalidInput as bad:
            kit.fail(state, visit, bad)
            return again()
        except Conflict:
            kit.problem(state, visit, "A qualification is already waiting for review or approved.")
            return again(409)
        return kit.redirect("/console/qualification", done="qualification_submitted")

    async def sms(request: Request, visit: TenantVisit) -> Response:
        tenant = visit.tenant
        if request.method == "POST":
            await kit.form(request, visit)
            try:
                await apply_for_sms(
                    store=services.accounts,
                    qualifications=services.qualifications,
                    clock=services.clock,
                    tenant=tenant,
                    actor=Actor.user(visit.user.id),
                )
            except SmsNotReady:
                pass  # the page below says what is missing
            else:
                return kit.redirect("/console/apps", done="sms_enabled")
        profile = await services.accounts.profile_of(tenant.id)
        qualification = await services.qualifications.current_of(tenant.id)
        return kit.render(
            request,
            "tenant/sms.html",
            visit,
            missing=missing_for_sms(tenant=tenant, profile=profile, qualification=qualification),
            qualification=qualification,
            status_code=200 if request.method == "GET" else 400,
        )

    async def security(request: Request, visit: TenantVisit) -> Response:
        sessions = await services.identity.sessions.live_of(user_id=visit.user.id, now=services.clock.now())
        state = FormState()
        status_code = 200
        if request.method == "POST":
            form = await kit.form(request, visit)
            action = kit.text(form, "action")
            if action == "revoke":
                session_id = whole_number(kit.text(form, "session_id"))
                if session_id is not None and await services.identity.revoke_session(
                    owner=visit.session, session_id=session_id
                ):
                    return kit.redirect("/console/security", done="session_revoked")
                # Another user's session, one that has ended, or no number: say that nothing changed.
                kit.problem(state, visit, "No session of yours with that number is open: nothing was ended.")
                status_code = 404
            elif action == "revoke_others":
                ended = await services.identity.sessions.revoke_all(
                    user_id=visit.user.id, now=services.clock.now(), keep=visit.session.id
                )
                return kit.redirect("/console/security", done="sessions_revoked" if ended else "no_other_sessions")
            else:
                current = kit.text(form, "current_password", limit=200)
                new = kit.text(form, "new_password", limit=200)
                # Every field's problem at once (change_password checks them again).
                if not current:
                    state.errors["current_password"] = kit.say(visit, "Enter your current password.")
                try:
                    check_password(new, email=visit.user.email, field="new_password")
                except InvalidInput as bad:
                    kit.fail(state, visit, bad)
                if new != kit.text(form, "new_password_again", limit=200):
                    state.errors["new_password_again"] = kit.say(visit, "The two passwords differ.")
                if state.errors:
                    status_code = 400
                else:
                    try:
                        await services.identity.change_password(
                            user=visit.user,
                            current=current,
                            new=new,
                            keep_session=visit.session.id,
                        )
                    except InvalidInput as bad:
                        kit.fail(state, visit, bad)
                        status_code = 400
                    else:
                        return kit.redirect("/console/security", done="password_changed")
        return kit.render(
            request,
            "tenant/security.html",
            visit,
            sessions=sessions,
            two_step=await services.identity.two_step_of(Principal.user(visit.user.id)),
            form=state,
            status_code=status_code,
        )

    return [
        Route("/console", kit.tenant_page(overview), methods=["GET"]),
        Route("/console/profile", kit.tenant_page(profile), methods=["GET", "POST"]),
        Route("/console/qualification", kit.tenant_page(qualification), methods=["GET", "POST"]),
        Route("/console/sms", kit.tenant_page(sms), methods=["GET", "POST"]),
        Route("/console/security", kit.tenant_page(security), methods=["GET", "POST"]),
    ]
