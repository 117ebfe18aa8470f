"""The operators' side: log in, review queues (qualifications, signatures, templates), tenants,
message search, carriers (binds and backlog), the mail outbox and the audit log."""

from __future__ import annotations

from datetime import UTC, datetime

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from smscloud.adapters.console.kit import MAX_PAGE, ConsoleKit, OperatorVisit, whole_number
from smscloud.adapters.console.pages import FormState
from smscloud.adapters.console.routes.two_step import pending_login_response
from smscloud.adapters.console.security import OPERATOR_COOKIE, client_ip, document_response, set_cookie
from smscloud.domain.accounts.model import Tenant, TenantStatus
from smscloud.domain.accounts.service import Telling, set_tenant_suspended
from smscloud.domain.audit.model import Actor, ActorKind, AuditEntry
from smscloud.domain.carriers.model import ReportedBind
from smscloud.domain.identity.errors import AccountDisabled, BadCredentials, LoginThrottled
from smscloud.domain.identity.model import Principal, User, UserRole, UserStatus
from smscloud.domain.identity.service import PendingLogin
from smscloud.domain.identity.support import reset_user_two_step
from smscloud.domain.messages.model import MessageTrace
from smscloud.domain.messages.phone import InvalidPhoneNumber
from smscloud.domain.qualification.model import Qualification
from smscloud.domain.reviews.model import Decision, ReviewKind
from smscloud.domain.reviews.service import ChangedSinceSeen
from smscloud.domain.shared.errors import Conflict, InvalidInput, NotFound
from smscloud.domain.shared.review import ReviewStatus
from smscloud.domain.signatures.model import Signature
from smscloud.domain.templates.model import Template

__all__ = ["QUEUE_PAGE", "operator_routes"]

QUEUE_PAGE = 100
_TRACE_LIMIT = 100  # messages a search shows, newest first
# What the audit log can be filtered to (the subject kinds the domain records).
_AUDIT_SUBJECTS = ("qualification", "signature", "template", "tenant", "carrier", "operator")
_NOT_WAITING = "This is not waiting for review any more: someone decided, or it was changed."


def _kind(request: Request) -> ReviewKind:
    try:
        return ReviewKind(request.path_params["kind"])
    except ValueError:
        raise NotFound("review queue", request.path_params["kind"]) from None


def _page(request: Request) -> int:
    return whole_number(request.query_params.get("page", ""), maximum=MAX_PAGE) or 1


def _seen(form: FormData) -> datetime:
    """The submission the operator decided on: the review form carries its `updated_at`."""
    raw = form.get("seen")
    try:
        seen = datetime.fromisoformat(raw) if isinstance(raw, str) else None
    except ValueError:
        seen = None
    try:
        # A date whose UTC falls outside years 1..9999 names no submission (and no database holds it).
        in_range = seen is not None and seen.tzinfo is not None and seen.astimezone(UTC) is not None
    except OverflowError:
        in_range = False
    if seen is None or not in_range:
        raise InvalidInput("reason", "the form is incomplete; reload the page and decide again")
    return seen


def operator_routes(kit: ConsoleKit) -> list[BaseRoute]:
    services = kit.services
    identity = services.identity

    async def users_of(entries: list[AuditEntry]) -> dict[int, User]:
        """The users who acted in these audit entries (a page holds a few), by id."""
        ids = {e.actor.id for e in entries if e.actor.kind is ActorKind.USER and e.actor.id is not None}
        found = {user_id: await services.users.by_id(user_id) for user_id in ids}
        return {user_id: user for user_id, user in found.items() if user is not None}

    async def live_subjects(entries: list[AuditEntry]) -> set[tuple[str, int]]:
        """The signatures and templates of these entries that still exist, as (kind, id): a
        deleted one has no page to link to. The stores look rows up per account, so this is one
        lookup per kind and account on the page (not one per entry). Qualifications are never
        deleted."""
        wanted: dict[tuple[str, int], set[int]] = {}
        for e in entries:
            if e.subject_kind in ("signature", "template") and e.subject_id is not None and e.tenant_id is not None:
                wanted.setdefault((e.subject_kind, e.tenant_id), set()).add(e.subject_id)
        live: set[tuple[str, int]] = set()
        for (kind, tenant_id), ids in wanted.items():
            if kind == "signature":
                live |= {(kind, s.id) for s in await services.signatures.of_tenant(tenant_id, ids=sorted(ids))}
            else:
                live |= {(kind, t.id) for t in await services.templates.of_tenant(tenant_id, ids=sorted(ids))}
        return live

    async def review_item(kind: ReviewKind, item_id: int) -> Qualification | Signature | Template | None:
        if kind is ReviewKind.QUALIFICATION:
            return await services.qualifications.by_id(item_id)
        if kind is ReviewKind.SIGNATURE:
            return await services.signatures.by_id(item_id)
        return await services.templates.by_id(item_id)

    async def login(request: Request) -> Response:
        visit = kit.visitor(request)
        if request.method == "GET":
            if await kit.operator_visit(request) is not None:
                return kit.redirect("/operator")
            return kit.render(request, "operator/login.html", visit)
        form = await kit.form(request, visit)
        state = kit.form_state(form, "email")
        status_code = 400
        try:
            _, opened = await identity.operator_log_in(
                email=state.get("email"),
                password=kit.text(form, "password", limit=200),
                ip=client_ip(request),
                user_agent=request.headers.get("user-agent", ""),
            )
        except BadCredentials:
            kit.problem(state, visit, "Wrong e-mail address or password.")
        except AccountDisabled:
            kit.problem(state, visit, "This account is disabled. Contact the platform's operators.")
        except LoginThrottled as throttled:
            status_code = 429
            kit.problem(
                state,
                visit,
                "Too many failed logins. Try again in {minutes} minutes.",
                minutes=throttled.retry_after_s // 60,
            )
        else:
            if isinstance(opened, PendingLogin):
                return pending_login_response(kit, request, opened, "/operator")
            response = kit.redirect("/operator")
            set_cookie(response, OPERATOR_COOKIE, opened.token, path="/operator", secure=kit.options.secure_cookies)
            return response
        return kit.render(request, "operator/login.html", visit, form=state, status_code=status_code)

    async def logout(request: Request) -> Response:
        visit = await kit.operator_visit(request)
        if visit is not None:
            await kit.form(request, visit)
            await identity.log_out(session=visit.session)
        response = kit.redirect("/operator/login")
        response.delete_cookie(OPERATOR_COOKIE, path="/operator")
        return response

    async def dashboard(request: Request, visit: OperatorVisit) -> Response:
        queues = {
            ReviewKind.QUALIFICATION: (
                await services.qualifications.count_pending(),
                [q.submitted_at for q in await services.qualifications.pending(limit=1)],
            ),
            ReviewKind.SIGNATURE: (
                await services.signatures.count_pending(),
                [s.updated_at for s in await services.signatures.pending(limit=1)],
            ),
            ReviewKind.TEMPLATE: (
                await services.templates.count_pending(),
                [t.updated_at for t in await services.templates.pending(limit=1)],
            ),
        }
        return kit.render(request, "operator/dashboard.html", visit, queues=queues, now=services.clock.now())

    async def queue(request: Request, visit: OperatorVisit) -> Response:
        kind = _kind(request)
        items: list[object]
        if kind is ReviewKind.QUALIFICATION:
            items = list(await services.qualifications.pending(limit=QUEUE_PAGE))
        elif kind is ReviewKind.SIGNATURE:
            items = list(await services.signatures.pending(limit=QUEUE_PAGE))
        else:
            items = list(await services.templates.pending(limit=QUEUE_PAGE))
        tenant_ids = {getattr(item, "tenant_id") for item in items}  # noqa: B009 - three item types
        tenants = {tid: await services.accounts.tenant(tid) for tid in tenant_ids}
        return kit.render(
            request,
            "operator/queue.html",
            visit,
            kind=kind.value,
            items=items,
            tenants=tenants,
            now=services.clock.now(),
        )

    async def review(request: Request, visit: OperatorVisit) -> Response:
        kind = _kind(request)
        item_id: int = request.path_params["item_id"]
        state = FormState()
        status_code = 200
        if request.method == "POST":
            form = await kit.form(request, visit)
            state = kit.form_state(form, "reason")
            actor = Actor.operator(visit.operator.id)
            try:
                decision = Decision(approve=kit.text(form, "verdict") == "approve", reason=state.get("reason"))
                if kind is ReviewKind.QUALIFICATION:
                    await services.reviews.decide_qualification(
                        actor=actor, qualification_id=item_id, decision=decision
                    )
                elif kind is ReviewKind.SIGNATURE:
                    await services.reviews.decide_signature(
                        actor=actor, signature_id=item_id, decision=decision, seen=_seen(form)
                    )
                else:
                    await services.reviews.decide_template(
                        actor=actor, template_id=item_id, decision=decision, seen=_seen(form)
                    )
            except InvalidInput as bad:
                # The form (and the reason's field) is shown only while the item waits: a decision
                # on one decided or withdrawn meanwhile says that, whatever its reason.
                current = await review_item(kind, item_id)
                if current is None:
                    return kit.redirect(f"/operator/reviews/{kind.value}", done="withdrawn")
                if current.status is not ReviewStatus.PENDING:
                    kit.problem(state, visit, _NOT_WAITING)
                    status_code = 409
                else:
                    kit.fail(state, visit, bad)
                    status_code = 400
            except NotFound:
                # Deleted by its customer while the operator read it: back to the queue, saying so.
                return kit.redirect(f"/operator/reviews/{kind.value}", done="withdrawn")
            except ChangedSinceSeen:
                kit.problem(state, visit, "The customer changed this after you opened it. Review it again.")
                status_code = 409
            except Conflict:
                kit.problem(state, visit, _NOT_WAITING)
                status_code = 409
            else:
                return kit.redirect(f"/operator/reviews/{kind.value}", done="decided")
        item = await review_item(kind, item_id)
        if item is None:
            raise NotFound(kind.value, item_id)
        tenant_id = item.tenant_id
        tenant = await services.accounts.tenant(tenant_id)
        same_company: list[tuple[int, str]] = []  # other accounts approved for this credit code
        if isinstance(item, Qualification):
            for other in await services.qualifications.approved_elsewhere(
                credit_code=item.credit_code, tenant_id=tenant_id
            ):
                account = await services.accounts.tenant(other.tenant_id)
                same_company.append((other.tenant_id, account.name if account else "?"))
        history = [
            entry
            for entry in await services.audit.recent(limit=20, tenant_id=tenant_id, subject_kind=kind.value)
            if entry.subject_id == item_id
        ]
        return kit.render(
            request,
            "operator/review.html",
            visit,
            kind=kind.value,
            item=item,
            tenant=tenant,
            profile=await services.accounts.profile_of(tenant_id),
            approved_qualification=await services.qualifications.approved_of(tenant_id),
            same_company=same_company,
            history=history,
            operators={op.id: op for op in await services.operators.all()},
            users=await users_of(history),
            form=state,
            now=services.clock.now(),
            status_code=status_code,
        )

    async def document(request: Request, visit: OperatorVisit) -> Response:
        document_id: int = request.path_params["document_id"]
        found = await services.documents.get(document_id)
        if found is None:
            raise NotFound("document", document_id)
        data = await services.documents.content(document_id) or b""
        return document_response(data, content_type=found.content_type, filename=found.filename)

    async def tenants(request: Request, visit: OperatorVisit) -> Response:
        page = _page(request)
        items = await services.accounts.tenants(limit=51, offset=(page - 1) * 50)
        shown = items[:50]
        # An account is opened with its owner waiting to follow the activation link; until then
        # it is not in use, though the tenant itself is active. One indexed lookup per row.
        not_activated: set[int] = set()
        for tenant in shown:
            owners = [u for u in await services.users.of_tenant(tenant.id) if u.role is UserRole.OWNER]
            if owners and all(u.status is UserStatus.PENDING for u in owners):
                not_activated.add(tenant.id)
        return kit.render(
            request,
            "operator/tenants.html",
            visit,
            tenants=shown,
            not_activated=not_activated,
            more=len(items) > 50,
            page=page,
        )

    async def tenant(request: Request, visit: OperatorVisit) -> Response:
        """One account as the operator needs it: who, what it has, what happened to it; and the
        suspension (sends refused) with its reason, or its end."""
        tenant_id: int = request.path_params["tenant_id"]
        state = FormState()
        status_code = 200
        if request.method == "POST":
            form = await kit.form(request, visit)
            state = kit.form_state(form, "reason")
            action = kit.text(form, "action")
            if action == "reset_two_step":
                user_id = whole_number(kit.text(form, "user_id"))
                if user_id is None:
                    raise NotFound("user", kit.text(form, "user_id")[:32])
                await reset_user_two_step(
                    identity=identity,
                    users=services.users,
                    clock=services.clock,
                    tenant_id=tenant_id,
                    user_id=user_id,
                    actor=Actor.operator(visit.operator.id),
                )
                return kit.redirect(f"/operator/tenants/{tenant_id}", done="two_step_reset")
            if action in ("suspend", "resume"):
                # A page shown before someone else suspended (or resumed) the account asks for
                # what is done already: say so rather than ask for a reason that no longer matters.
                before = await services.accounts.tenant(tenant_id)
                if before is None:
                    raise NotFound("tenant", tenant_id)
                wanted = TenantStatus.SUSPENDED if action == "suspend" else TenantStatus.ACTIVE
                if before.status is wanted:
                    done = "tenant_suspended_already" if action == "suspend" else "tenant_active_already"
                    return kit.redirect(f"/operator/tenants/{tenant_id}", done=done)
                try:
                    await set_tenant_suspended(
                        store=services.accounts,
                        clock=services.clock,
                        tenant_id=tenant_id,
                        actor=Actor.operator(visit.operator.id),
                        suspended=action == "suspend",
                        reason=state.get("reason"),
                        telling=Telling(services.users, services.notifications, kit.options.console_url),
                    )
                except InvalidInput as bad:
                    kit.fail(state, visit, bad)
                    status_code = 400
                else:
                    services.changed()  # the send path's cached tenant
                    done = "tenant_suspended" if action == "suspend" else "tenant_resumed"
                    return kit.redirect(f"/operator/tenants/{tenant_id}", done=done)
        found = await services.accounts.tenant(tenant_id)
        if found is None:
            raise NotFound("tenant", tenant_id)
        history = await services.audit.recent(limit=30, tenant_id=tenant_id)
        people = await services.users.of_tenant(tenant_id)
        signatures = await services.signatures.of_tenant(tenant_id)
        templates = await services.templates.of_tenant(tenant_id)
        return kit.render(
            request,
            "operator/tenant.html",
            visit,
            item=found,
            people=people,
            two_step_on={p.id for p in people if await identity.two_step_of(Principal.user(p.id)) is not None},
            profile=await services.accounts.profile_of(tenant_id),
            qualification=await services.qualifications.current_of(tenant_id),
            apps=await services.apps.of_tenant(tenant_id),
            signatures=signatures,
            templates=templates,
            history=history,
            # What of its history still exists (a deleted signature or template has no page).
            live={("signature", s.id) for s in signatures} | {("template", t.id) for t in templates},
            operators={op.id: op for op in await services.operators.all()},
            users=await users_of(history),
            form=state,
            status_code=status_code,
        )

    async def messages(request: Request, visit: OperatorVisit) -> Response:
        """Trace messages across tenants, for the customer who asks where one went: by number,
        SerialNo, account or the carrier's message id (at least one: each is indexed)."""
        query = request.query_params
        state = FormState(
            values={
                name: query.get(name, "").replace("\x00", "").strip()[:80]
                for name in ("phone", "serial", "tenant", "carrier_msg_id")
            }
        )
        phone = ""
        if state.get("phone"):
            try:  # as the API reads numbers: without a country code, a mainland China number
                phone = services.parser.parse(state.get("phone")).e164
            except InvalidPhoneNumber:
                state.errors["phone"] = kit.say(visit, "This is not a phone number.")
        tenant_id = whole_number(state.get("tenant")) if state.get("tenant") else None
        if state.get("tenant") and tenant_id is None:
            state.errors["tenant"] = kit.say(visit, "Enter an account's ID (a whole number).")
        asked = any(state.values.values())
        traces: list[MessageTrace] = []
        if asked and not state.errors:
            traces = await services.history.trace(
                phone=phone or None,
                serial_no=state.get("serial") or None,
                tenant_id=tenant_id,
                carrier_msg_id=state.get("carrier_msg_id") or None,
                limit=_TRACE_LIMIT,
            )
        tenants = {t.tenant_id: await services.accounts.tenant(t.tenant_id) for t in traces}
        return kit.render(
            request,
            "operator/messages.html",
            visit,
            form=state,
            asked=asked,
            traces=traces,
            tenants=tenants,
            limit=_TRACE_LIMIT,
            status_code=400 if state.errors else 200,
        )

    async def unclaimed_replies(request: Request, visit: OperatorVisit) -> Response:
        """Replies no message claimed: answers to nobody's message, or to one sent too long ago."""
        page = _page(request)
        found = await services.replies.unclaimed(limit=51, offset=(page - 1) * 50)
        return kit.render(request, "operator/replies.html", visit, replies=found[:50], more=len(found) > 50, page=page)

    async def carriers(request: Request, visit: OperatorVisit) -> Response:
        now = services.clock.now()
        binds: dict[str, list[ReportedBind]] = {}
        for bind in await services.binds.reported():
            binds.setdefault(bind.carrier, []).append(bind)
        return kit.render(
            request,
            "operator/carriers.html",
            visit,
            backlog=await services.backlog.per_carrier(now=now),
            binds=binds,
            settings=await services.carriers.all(),
            routes=await services.carriers.routes(),
            now=now,
        )

    async def outbox(request: Request, visit: OperatorVisit) -> Response:
        page = _page(request)
        mails = await services.mail.recent(limit=51, offset=(page - 1) * 50)
        return kit.render(request, "operator/outbox.html", visit, mails=mails[:50], more=len(mails) > 50, page=page)

    async def audit(request: Request, visit: OperatorVisit) -> Response:
        page = _page(request)
        # Filters: one account (by id) and one kind of subject; anything else shows everything.
        tenant_filter = whole_number(request.query_params.get("tenant", ""))
        subject = request.query_params.get("subject", "")
        subject_filter = subject if subject in _AUDIT_SUBJECTS else None
        found = await services.audit.recent(
            limit=101, offset=(page - 1) * 100, tenant_id=tenant_filter, subject_kind=subject_filter
        )
        entries, more = found[:100], len(found) > 100
        tenant_ids = {e.tenant_id for e in entries if e.tenant_id is not None}
        tenants: dict[int, Tenant | None] = {tid: await services.accounts.tenant(tid) for tid in tenant_ids}
        return kit.render(
            request,
            "operator/audit.html",
            visit,
            entries=entries,
            operators={op.id: op for op in await services.operators.all()},
            users=await users_of(entries),
            live=await live_subjects(entries),
            tenants=tenants,
            more=more,
            page=page,
            subjects=_AUDIT_SUBJECTS,
            filters={"tenant": "" if tenant_filter is None else str(tenant_filter), "subject": subject_filter or ""},
        )

    kinds = "{kind:str}"
    return [
        Route("/operator/login", login, methods=["GET", "POST"]),
        Route("/operator/logout", logout, methods=["POST"]),
        Route("/operator", kit.operator_page(dashboard), methods=["GET"]),
        Route(f"/operator/reviews/{kinds}", kit.operator_page(queue), methods=["GET"]),
        Route(f"/operator/reviews/{kinds}/{{item_id:id}}", kit.operator_page(review), methods=["GET", "POST"]),
        Route("/operator/documents/{document_id:id}", kit.operator_page(document), methods=["GET"]),
        Route("/operator/tenants", kit.operator_page(tenants), methods=["GET"]),
        Route("/operator/tenants/{tenant_id:id}", kit.operator_page(tenant), methods=["GET", "POST"]),
        Route("/operator/messages", kit.operator_page(messages), methods=["GET"]),
        Route("/operator/replies", kit.operator_page(unclaimed_replies), methods=["GET"]),
        Route("/operator/carriers", kit.operator_page(carriers), methods=["GET"]),
        Route("/operator/outbox", kit.operator_page(outbox), methods=["GET"]),
        Route("/operator/audit", kit.operator_page(audit), methods=["GET"]),
    ]
