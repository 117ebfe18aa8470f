"""Signatures (seed 5.1) and body templates (seed 5.2): submit, modify, delete, send a test."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import TypeVar

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from smscloud.adapters.console.kit import ConsoleKit, TenantVisit
from smscloud.adapters.console.pages import FormState
from smscloud.adapters.console.security import document_response
from smscloud.domain.accounts.errors import SmsNotEnabled
from smscloud.domain.documents.model import Upload
from smscloud.domain.messages.refusals import Refusal, SendRefused
from smscloud.domain.messages.send import SendRequest, bad_parameters
from smscloud.domain.messages.service import accept
from smscloud.domain.qualification.errors import QualificationNotApproved
from smscloud.domain.shared.errors import Forbidden, InvalidInput, NotFound
from smscloud.domain.shared.numbers import whole_number
from smscloud.domain.shared.problems import Problems
from smscloud.domain.shared.review import ReviewStatus
from smscloud.domain.signatures.errors import SignatureAlreadyApproved, SignatureExists, SignatureLimitReached
from smscloud.domain.signatures.model import DocumentType, Signature, SignatureDraft, SignPurpose, SignType
from smscloud.domain.signatures.rules import RETIRED_DOCUMENTS, RETIRED_SIGN_TYPES
from smscloud.domain.signatures.rules import check_draft as check_signature_draft
from smscloud.domain.signatures.service import delete_signature, modify_signature, submit_signature
from smscloud.domain.templates.errors import MarketingNotAllowed, TemplateAlreadyApproved, TemplateLimitReached
from smscloud.domain.templates.model import SmsType, Template, TemplateDraft
from smscloud.domain.templates.rules import check_draft as check_template_draft
from smscloud.domain.templates.service import delete_template, modify_template, submit_template

__all__ = ["content_routes"]

_SIGN_FIELDS = ("SignName", "International", "SignType", "DocumentType", "SignPurpose", "Remark")
_TEMPLATE_FIELDS = ("TemplateName", "TemplateContent", "SmsType", "International", "Remark", "newest")


_Choice = TypeVar("_Choice", bound=int)


def _choice(state: FormState, name: str, kind: Callable[[int], _Choice], field_error: str) -> _Choice:
    """The value of a choice field: `field_error` when it is no number, and a request for one of
    the offered values when `kind` has no such value (a hand-made request)."""
    raw = state.get(name)
    value = whole_number(raw, maximum=2**31)
    if value is None:
        raise InvalidInput(name, field_error)
    try:
        return kind(value)
    except ValueError:
        raise InvalidInput(name, "Choose one of the offered values.") from None


# The field of the test-send form a refusal is about; the others are about the whole form.
# "param1" stands for the parameter fields: see `_parameter_fields`.
_REFUSAL_FIELD = {
    Refusal.INVALID_PHONE_NUMBER: "phone",
    Refusal.UNSUPPORTED_REGION: "phone",
    Refusal.DOMESTIC_TEMPLATE_TO_GLOBAL_PHONE: "phone",
    Refusal.GLOBAL_TEMPLATE_TO_DOMESTIC_PHONE: "phone",
    Refusal.SIGNATURE_UNAPPROVED: "sign",
    Refusal.APP_NOT_FOUND: "app",
    Refusal.APP_NOT_YOURS: "app",
    Refusal.APP_DISABLED: "app",
    Refusal.TEMPLATE_PARAMS_MISMATCH: "param1",
    Refusal.VERIFICATION_CODE_FORMAT: "param1",
    Refusal.URL_IN_PARAMETER: "param1",
}


def _parameter_fields(refusal: Refusal, params: Sequence[str]) -> list[str]:
    """The parameter fields a refusal about the parameters is about (as the send policy finds
    them); the first when none stands out (a count that does not match)."""
    return [f"param{i}" for i in bad_parameters(refusal, params) or [1]]


def _say_refusal(
    kit: ConsoleKit, state: FormState, visit: TenantVisit, refusal: Refusal, params: Sequence[str] = ()
) -> None:
    text = f"refusal.{refusal.value}"
    name = _REFUSAL_FIELD.get(refusal)
    if name is None or (name == "param1" and not params):
        # About the whole form (or about the parameters of a template that has none).
        kit.problem(state, visit, text)
        return
    for field in _parameter_fields(refusal, params) if name == "param1" else [name]:
        state.errors[field] = kit.say(visit, text)


def _parameter_problems(
    kit: ConsoleKit, state: FormState, visit: TenantVisit, template: Template, params: Sequence[str]
) -> None:
    """What the send policy says of the parameters, beside a problem with another field: the
    policy stops at the first refusal, a form shows every field's at once."""
    refusals = [Refusal.URL_IN_PARAMETER]
    if template.sms_type is SmsType.VERIFICATION_CODE:
        refusals.insert(0, Refusal.VERIFICATION_CODE_FORMAT)
    for refusal in refusals:
        for i in bad_parameters(refusal, params):
            state.errors.setdefault(f"param{i}", kit.say(visit, f"refusal.{refusal.value}"))


async def _upload(kit: ConsoleKit, form: FormData, name: str) -> Upload | None:
    found = await kit.upload(form, name)
    return None if found is None else Upload(filename=found[0], data=found[1])


def content_routes(kit: ConsoleKit) -> list[BaseRoute]:
    services = kit.services

    # --- signatures -------------------------------------------------------------------------

    async def signatures(request: Request, visit: TenantVisit) -> Response:
        items = await services.signatures.of_tenant(visit.tenant.id)
        return kit.render(request, "tenant/signatures.html", visit, signatures=items, statuses=ReviewStatus)

    def sign_page(
        request: Request, visit: TenantVisit, state: FormState, *, current: Signature | None, status_code: int = 200
    ) -> Response:
        return kit.render(
            request,
            "tenant/signature_form.html",
            visit,
            form=state,
            current=current,
            # What Tencent still accepts somewhere (an APP signature is international only), and
            # the request's own values, so that an old request still shows what it asked for.
            sign_types=[
                t
                for t in SignType
                if not (t in RETIRED_SIGN_TYPES[False] and t in RETIRED_SIGN_TYPES[True])
                or (current is not None and t is current.sign_type)
            ],
            document_types=[
                d
                for d in DocumentType
                if not (d in RETIRED_DOCUMENTS[False] and d in RETIRED_DOCUMENTS[True])
                or (current is not None and d is current.document_type)
            ],
            status_code=status_code,
        )

    async def sign_form(request: Request, visit: TenantVisit) -> Response:
        signature_id: int | None = request.path_params.get("signature_id")
        current = None
        if signature_id is not None:
            current = await services.signatures.get(tenant_id=visit.tenant.id, signature_id=signature_id)
            if current is None:
                raise NotFound("signature", signature_id)
        if request.method == "GET":
            values = {"International": "0", "SignType": "0", "DocumentType": "1", "SignPurpose": "0"}
            if current is not None:
                values = {
                    "SignName": current.name,
                    "International": "1" if current.international else "0",
                    "SignType": str(int(current.sign_type)),
                    "DocumentType": str(int(current.document_type)),
                    "SignPurpose": str(int(current.sign_purpose)),
                    "Remark": current.remark,
                }
            elif request.query_params.get("international") == "1":
                values["International"] = "1"
            state = FormState(values=values)
            if current is None and not visit.tenant.sms_enabled:
                kit.problem(state, visit, "Apply for the SMS service before submitting signatures.")
            return sign_page(request, visit, state, current=current)
        form = await kit.form(request, visit)
        state = kit.form_state(form, *_SIGN_FIELDS)

        def again(state: FormState, *, current: Signature | None, status_code: int) -> Response:
            kit.ask_files_again(form, state, visit, "ProofImage", "CommissionImage")
            return sign_page(request, visit, state, current=current, status_code=status_code)

        # The domain stores the files only once the whole request has passed its checks.
        proof = await _upload(kit, form, "ProofImage")
        commission = await _upload(kit, form, "CommissionImage")
        choices = Problems()
        sign_type = choices.check(lambda: _choice(state, "SignType", SignType, "choose a signature type"), None)
        document_type = choices.check(
            lambda: _choice(state, "DocumentType", DocumentType, "choose a document type"), None
        )
        sign_purpose = choices.check(
            lambda: _choice(state, "SignPurpose", SignPurpose, "choose who uses the signature"), None
        )
        draft = SignatureDraft(
            name=state.get("SignName").strip(),
            international=state.get("International") == "1",
            sign_type=SignType.COMPANY if sign_type is None else sign_type,
            document_type=DocumentType.BUSINESS_LICENCE if document_type is None else document_type,
            sign_purpose=SignPurpose.OWN if sign_purpose is None else sign_purpose,
            proof_document_id=current.proof_document_id if current else None,
            commission_document_id=current.commission_document_id if current else None,
            remark=state.get("Remark").strip(),
        )
        if None in (sign_type, document_type, sign_purpose):
            # A choice that names nothing is said at its field, with the other fields' problems
            # (checked with a stand-in for it; a document fits a type only if the type is known).
            try:
                check_signature_draft(
                    draft, proof_uploaded=proof is not None, commission_uploaded=commission is not None
                )
            except InvalidInput as bad:
                for found in bad.every:
                    if not (found.field == "DocumentType" and sign_type is None):
                        choices.add(found.field, found.reason)
            try:
                choices.raise_any()
            except InvalidInput as bad:
                return again(kit.fail(state, visit, bad), current=current, status_code=400)
        try:
            if current is None:
                await submit_signature(
                    store=services.signatures,
                    documents=services.documents,
                    qualifications=services.qualifications,
                    clock=services.clock,
                    tenant=visit.tenant,
                    draft=draft,
                    proof=proof,
                    commission=commission,
                    max_upload_bytes=kit.options.max_upload_bytes,
                )
            else:
                await modify_signature(
                    store=services.signatures,
                    documents=services.documents,
                    qualifications=services.qualifications,
                    clock=services.clock,
                    tenant=visit.tenant,
                    signature_id=current.id,
                    draft=draft,
                    proof=proof,
                    commission=commission,
                    max_upload_bytes=kit.options.max_upload_bytes,
                )
        except InvalidInput as bad:
            return again(kit.fail(state, visit, bad), current=current, status_code=400)
        except SignatureExists as exists:
            text = (
                "This signature is already waiting for review."
                if exists.pending
                else "You have this signature already."
            )
            state.errors["SignName"] = kit.say(visit, text)
            return again(state, current=current, status_code=409)
        except SignatureAlreadyApproved:
            kit.problem(state, visit, "An approved signature cannot be modified; submit a new one.")
            return again(state, current=current, status_code=409)
        except SignatureLimitReached:
            kit.problem(state, visit, "You have reached the largest number of signatures an account may hold.")
            return again(state, current=current, status_code=409)
        except QualificationNotApproved:
            kit.problem(state, visit, "The qualification is not approved.")
            return again(state, current=current, status_code=409)
        except SmsNotEnabled:
            kit.problem(state, visit, "Apply for the SMS service before submitting signatures.")
            return again(state, current=current, status_code=403)
        services.changed()
        return kit.redirect("/console/signatures", done="signature_submitted")

    async def sign_delete(request: Request, visit: TenantVisit) -> Response:
        await kit.form(request, visit)
        await delete_signature(
            store=services.signatures,
            clock=services.clock,
            tenant_id=visit.tenant.id,
            signature_id=request.path_params["signature_id"],
        )
        services.changed()
        return kit.redirect("/console/signatures", done="signature_deleted")

    # --- templates --------------------------------------------------------------------------

    async def templates(request: Request, visit: TenantVisit) -> Response:
        items = await services.templates.of_tenant(visit.tenant.id)
        return kit.render(request, "tenant/templates.html", visit, templates=items, statuses=ReviewStatus)

    def template_page(
        request: Request, visit: TenantVisit, state: FormState, *, current: Template | None, status_code: int = 200
    ) -> Response:
        return kit.render(
            request,
            "tenant/template_form.html",
            visit,
            form=state,
            current=current,
            sms_types=[SmsType.VERIFICATION_CODE, SmsType.NOTIFICATION, SmsType.MARKETING],
            status_code=status_code,
        )

    async def template_form(request: Request, visit: TenantVisit) -> Response:
        template_id: int | None = request.path_params.get("template_id")
        current = None
        if template_id is not None:
            current = await services.templates.get(tenant_id=visit.tenant.id, template_id=template_id)
            if current is None:
                raise NotFound("template", template_id)
        if request.method == "GET":
            values = {"SmsType": str(int(SmsType.VERIFICATION_CODE)), "International": "0"}
            if current is not None:
                values = {
                    "TemplateName": current.name,
                    "TemplateContent": current.content,
                    "SmsType": str(int(current.sms_type)),
                    "International": "1" if current.international else "0",
                    "Remark": current.remark,
                }
            elif request.query_params.get("international") == "1":
                values["International"] = "1"
            if current is None:
                values["newest"] = kit.newest(t.id for t in await services.templates.of_tenant(visit.tenant.id))
            state = FormState(values=values)
            if current is None and not visit.tenant.sms_enabled:
                kit.problem(state, visit, "Apply for the SMS service before submitting templates.")
            return template_page(request, visit, state, current=current)
        form = await kit.form(request, visit)
        state = kit.form_state(form, *_TEMPLATE_FIELDS)
        if current is None and kit.sent_already(
            state, (t.id for t in await services.templates.of_tenant(visit.tenant.id))
        ):
            return kit.redirect("/console/templates", done="template_submitted_already")
        choices = Problems()
        sms_type = choices.check(lambda: _choice(state, "SmsType", SmsType, "choose a template type"), None)
        try:
            draft = TemplateDraft(
                name=state.get("TemplateName"),
                content=state.get("TemplateContent").replace("\r\n", "\n"),
                sms_type=SmsType.NOTIFICATION if sms_type is None else sms_type,
                international=state.get("International") == "1",
                remark=state.get("Remark").strip(),
            )
            if sms_type is None:
                # Said at its field, with the other fields' problems: checked as a notification,
                # the one type that adds no rule of its own to the content.
                choices.check(lambda: check_template_draft(draft), None)
                choices.raise_any()
            if current is None:
                await submit_template(store=services.templates, clock=services.clock, tenant=visit.tenant, draft=draft)
            else:
                await modify_template(
                    store=services.templates,
                    clock=services.clock,
                    tenant=visit.tenant,
                    template_id=current.id,
                    draft=draft,
                )
        except InvalidInput as bad:
            return template_page(request, visit, kit.fail(state, visit, bad), current=current, status_code=400)
        except MarketingNotAllowed:
            state.errors["SmsType"] = kit.say(visit, "Individual accounts may not create marketing templates.")
            return template_page(request, visit, state, current=current, status_code=403)
        except TemplateAlreadyApproved:
            kit.problem(state, visit, "An approved template cannot be modified; submit a new one.")
            return template_page(request, visit, state, current=current, status_code=409)
        except TemplateLimitReached:
            kit.problem(state, visit, "You have reached the largest number of templates an account may hold.")
            return template_page(request, visit, state, current=current, status_code=409)
        except SmsNotEnabled:
            kit.problem(state, visit, "Apply for the SMS service before submitting templates.")
            return template_page(request, visit, state, current=current, status_code=403)
        services.changed()
        return kit.redirect("/console/templates", done="template_submitted")

    async def template_delete(request: Request, visit: TenantVisit) -> Response:
        await kit.form(request, visit)
        await delete_template(
            store=services.templates,
            clock=services.clock,
            tenant_id=visit.tenant.id,
            template_id=request.path_params["template_id"],
        )
        services.changed()
        return kit.redirect("/console/templates", done="template_deleted")

    async def template_test(request: Request, visit: TenantVisit) -> Response:
        """Send an approved template to one number, through the same path as the API."""
        template_id: int = request.path_params["template_id"]
        template = await services.templates.get(tenant_id=visit.tenant.id, template_id=template_id)
        if template is None:
            raise NotFound("template", template_id)
        every_app = await services.apps.of_tenant(visit.tenant.id)
        apps = [app for app in every_app if app.enabled]
        signs = [
            s
            for s in await services.signatures.of_tenant(visit.tenant.id, international=template.international)
            if s.status is ReviewStatus.APPROVED
        ]
        state = FormState(values={"app": apps[0].sdk_app_id if apps else "", "sign": signs[0].name if signs else ""})
        outcome = None
        status_code = 200
        if request.method == "POST":
            form = await kit.form(request, visit)
            state = kit.form_state(
                form, "app", "sign", "phone", *(f"param{i}" for i in range(1, template.parameters + 1))
            )
            params = [state.get(f"param{i}") for i in range(1, template.parameters + 1)]
            if template.status is not ReviewStatus.APPROVED:
                kit.problem(state, visit, "Only an approved template can be sent.")
                status_code = 409
            elif not state.get("phone").strip():
                state.errors["phone"] = kit.say(visit, "Enter a phone number.")
                _parameter_problems(kit, state, visit, template, params)
                status_code = 400
            else:
                try:
                    outcomes = await accept(
                        catalog=services.catalog,
                        store=services.messages,
                        signal=services.signal,
                        parser=services.parser,
                        clock=services.clock,
                        tenant_id=visit.tenant.id,
                        request=SendRequest(
                            sdk_app_id=state.get("app"),
                            template_id=str(template.id),
                            phone_numbers=[state.get("phone").strip()],
                            params=params,
                            sign_name=state.get("sign"),
                        ),
                        request_id=str(uuid.uuid4()),
                    )
                except SendRefused as refused:
                    _say_refusal(kit, state, visit, refused.refusal, params)
                    _parameter_problems(kit, state, visit, template, params)
                    status_code = 400
                except (NotFound, Forbidden):
                    kit.problem(state, visit, "The message could not be sent.")
                    status_code = 400
                else:
                    outcome = outcomes[0]
                    if outcome.accepted:
                        return kit.redirect(f"/console/records?serial={outcome.serial_no}", done="test_sent")
                    if outcome.refusal is None:  # pragma: no cover - a refused outcome names its refusal
                        kit.problem(state, visit, "The message could not be sent.")
                    else:
                        _say_refusal(kit, state, visit, outcome.refusal, params)
                        _parameter_problems(kit, state, visit, template, params)
                    status_code = 400
        return kit.render(
            request,
            "tenant/template_test.html",
            visit,
            template=template,
            apps=apps,
            apps_all_disabled=bool(every_app) and not apps,
            signs=signs,
            form=state,
            status_code=status_code,
        )

    async def document(request: Request, visit: TenantVisit) -> Response:
        """One of the tenant's own uploads (never another tenant's)."""
        document_id: int = request.path_params["document_id"]
        found = await services.documents.get(document_id)
        if found is None or found.tenant_id != visit.tenant.id:
            raise NotFound("document", document_id)
        data = await services.documents.content(document_id) or b""
        return document_response(data, content_type=found.content_type, filename=found.filename)

    return [
        Route("/console/signatures", kit.tenant_page(signatures), methods=["GET"]),
        Route("/console/signatures/new", kit.tenant_page(sign_form), methods=["GET", "POST"]),
        Route("/console/signatures/{signature_id:id}/edit", kit.tenant_page(sign_form), methods=["GET", "POST"]),
        Route("/console/signatures/{signature_id:id}/delete", kit.tenant_page(sign_delete), methods=["POST"]),
        Route("/console/templates", kit.tenant_page(templates), methods=["GET"]),
        Route("/console/templates/new", kit.tenant_page(template_form), methods=["GET", "POST"]),
        Route("/console/templates/{template_id:id}/edit", kit.tenant_page(template_form), methods=["GET", "POST"]),
        Route("/console/templates/{template_id:id}/delete", kit.tenant_page(template_delete), methods=["POST"]),
        Route("/console/templates/{template_id:id}/test", kit.tenant_page(template_test), methods=["GET", "POST"]),
        Route("/console/documents/{document_id:id}", kit.tenant_page(document), methods=["GET"]),
    ]
