"""In-memory implementations of the domain's ports, for unit tests of the use cases.

They keep what they are given in plain lists and dicts, and record the calls made to them, so a
test can assert both the answer of a use case and what it did to the outside world. Where a port's
docstring states a rule (only pending items can be decided, tokens are used once, deleted rows are
gone), the fake keeps it too, so that tests exercise the domain against the contract it relies on.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING

from smscloud.domain.accounts.model import (
    ApiKey,
    ApiKeyStatus,
    Tenant,
    TenantKind,
    TenantProfile,
    TenantStatus,
)
from smscloud.domain.apps.model import Application, AppStatus
from smscloud.domain.audit.model import Actor, AuditEntry, AuditNote
from smscloud.domain.documents.model import Document, DocumentPurpose
from smscloud.domain.identity.errors import EmailTaken
from smscloud.domain.identity.model import (
    ConsoleSession,
    Language,
    LoginChallenge,
    Operator,
    OperatorStatus,
    Principal,
    TokenPurpose,
    User,
    UserRole,
    UserStatus,
)
from smscloud.domain.identity.rules import FailureCounts
from smscloud.domain.identity.two_step import TwoStep
from smscloud.domain.messages.model import NewMessage, Report
from smscloud.domain.messages.routing import Route
from smscloud.domain.notifications.model import Mail
from smscloud.domain.qualification.model import Qualification
from smscloud.domain.shared.errors import NotFound
from smscloud.domain.shared.review import ReviewStatus
from smscloud.domain.signatures.model import Signature, SignatureDraft
from smscloud.domain.templates.model import Template, TemplateDraft

if TYPE_CHECKING:
    from smscloud.domain.accounts.ports import AccountStore
    from smscloud.domain.apps.ports import AppStore
    from smscloud.domain.audit.ports import AuditLog
    from smscloud.domain.documents.ports import DocumentStore
    from smscloud.domain.identity.ports import (
        LoginFailures,
        OperatorStore,
        PasswordHasher,
        SessionStore,
        TokenStore,
        TwoStepStore,
        UserStore,
    )
    from smscloud.domain.messages.ports import Catalog, DispatchSignal, MessageStore, ReportStore
    from smscloud.domain.notifications.ports import Outbox
    from smscloud.domain.qualification.ports import QualificationStore
    from smscloud.domain.signatures.ports import SignatureStore
    from smscloud.domain.templates.ports import TemplateStore


class FakeCatalog:
    """`Catalog`: lookups from dicts; `calls` lists every lookup made, in order."""

    def __init__(
        self,
        *,
        tenants: Iterable[Tenant] = (),
        apps: Iterable[Application] = (),
        templates: Iterable[Template] = (),
        signatures: Iterable[Signature] = (),
        routes: Iterable[Route] = (),
    ) -> None:
        self.tenants = {t.id: t for t in tenants}
        self.apps = {a.sdk_app_id: a for a in apps}
        self.templates = {t.id: t for t in templates}
        self.signatures = list(signatures)
        self.route_list = list(routes)
        self.calls: list[tuple[object, ...]] = []

    async def tenant(self, tenant_id: int) -> Tenant | None:
        self.calls.append(("tenant", tenant_id))
        return self.tenants.get(tenant_id)

    async def application(self, sdk_app_id: str) -> Application | None:
        self.calls.append(("application", sdk_app_id))
        return self.apps.get(sdk_app_id)

    async def template(self, template_id: int) -> Template | None:
        self.calls.append(("template", template_id))
        return self.templates.get(template_id)

    async def signature(self, tenant_id: int, name: str, international: bool) -> Signature | None:
        self.calls.append(("signature", tenant_id, name, international))
        for candidate in self.signatures:
            if (candidate.tenant_id, candidate.name, candidate.international) == (
                tenant_id,
                name,
                international,
            ):
                return candidate
        return None

    async def routes(self) -> Sequence[Route]:
        self.calls.append(("routes",))
        return tuple(self.route_list)


class FakeMessageStore:
    """`MessageStore`: `added` holds every stored message; `batches` the calls."""

    def __init__(self) -> None:
        self.batches: list[list[NewMessage]] = []

    @property
    def added(self) -> list[NewMessage]:
        return [m for batch in self.batches for m in batch]

    async def add(self, messages: Sequence[NewMessage]) -> None:
        self.batches.append(list(messages))


class FakeSignal:
    """`DispatchSignal`: `woken` lists the carrier-id sets of each wake-up."""

    def __init__(self) -> None:
        self.woken: list[set[int]] = []

    def wake(self, carrier_ids: Iterable[int]) -> None:
        self.woken.append(set(carrier_ids))


@dataclass
class _StoredReport:
    app_id: int
    report: Report
    created_at: datetime
    pulled: bool = False


@dataclass
class FakeReportStore:
    """`ReportStore` with the queue semantics of the real one: `pull` hands out each report once."""

    stored: list[_StoredReport] = field(default_factory=list)
    for_phone_calls: list[dict[str, object]] = field(default_factory=list)

    def put(self, *, app_id: int, report: Report, created_at: datetime) -> None:
        self.stored.append(_StoredReport(app_id, report, created_at))

    async def pull(self, *, app_id: int, limit: int) -> list[Report]:
        due = [s for s in self.stored if s.app_id == app_id and not s.pulled][:limit]
        for item in due:
            item.pulled = True
        return [item.report for item in due]

    async def for_phone(
        self, *, app_id: int, phone: str, begin: datetime, end: datetime | None, limit: int, offset: int
    ) -> list[Report]:
        self.for_phone_calls.append(
            {"app_id": app_id, "phone": phone, "begin": begin, "end": end, "limit": limit, "offset": offset}
        )
        found = [
            s.report
            for s in self.stored
            if s.app_id == app_id
            and s.report.phone == phone
            and s.created_at >= begin
            and (end is None or s.created_at <= end)
        ]
        return found[offset : offset + limit]


# --- accounts -------------------------------------------------------------------------------


class FakeAccountStore:
    """`AccountStore`: `all_tenants`, `profiles` and `keys` as given; `calls` lists the writes;
    the notes written with a change go to `audit`."""

    def __init__(self, tenants: Iterable[Tenant] = (), *, audit: FakeAuditLog | None = None) -> None:
        self.all_tenants: list[Tenant] = list(tenants)
        self.audit = FakeAuditLog() if audit is None else audit
        self.profiles: dict[int, TenantProfile] = {}
        self.keys: list[ApiKey] = []
        self.calls: list[tuple[object, ...]] = []

    def _put_tenant(self, tenant: Tenant) -> Tenant:
        self.all_tenants = [tenant if t.id == tenant.id else t for t in self.all_tenants]
        return tenant

    async def add_tenant(self, *, name: str, kind: TenantKind, timezone: str, now: datetime) -> Tenant:
        self.calls.append(("add_tenant", name, kind))
        new_id = max((t.id for t in self.all_tenants), default=0) + 1
        tenant = Tenant(new_id, name, kind, TenantStatus.ACTIVE, timezone, now)
        self.all_tenants.append(tenant)
        return tenant

    async def tenant_named(self, name: str) -> Tenant | None:
        return next((t for t in self.all_tenants if t.name == name), None)

    async def tenant(self, tenant_id: int) -> Tenant | None:
        return next((t for t in self.all_tenants if t.id == tenant_id), None)

    async def tenants(self, *, limit: int, offset: int = 0) -> list[Tenant]:
        newest_first = sorted(self.all_tenants, key=lambda t: (t.created_at, t.id), reverse=True)
        return newest_first[offset : offset + limit]

    async def update_tenant(self, tenant_id: int, *, name: str, kind: TenantKind) -> Tenant:
        self.calls.append(("update_tenant", tenant_id, name, kind))
        current = await self.tenant(tenant_id)
        if current is None:
            raise NotFound("tenant", tenant_id)
        return self._put_tenant(replace(current, name=name, kind=kind))

    async def set_tenant_status(
        self, tenant_id: int, status: TenantStatus, *, noted: AuditNote | None = None
    ) -> Tenant:
        self.calls.append(("set_tenant_status", tenant_id, status))
        current = await self.tenant(tenant_id)
        if current is None:
            raise NotFound("tenant", tenant_id)
        self.audit.add(noted)
        return self._put_tenant(replace(current, status=status))

    async def enable_sms(self, tenant_id: int, *, now: datetime, noted: AuditNote | None = None) -> Tenant:
        self.calls.append(("enable_sms", tenant_id))
        current = await self.tenant(tenant_id)
        if current is None:
            raise NotFound("tenant", tenant_id)
        if current.sms_enabled_at is not None:
            return current
        self.audit.add(noted)
        return self._put_tenant(replace(current, sms_enabled_at=now))

    async def profile_of(self, tenant_id: int) -> TenantProfile | None:
        return self.profiles.get(tenant_id)

    async def save_profile(self, profile: TenantProfile) -> TenantProfile:
        self.calls.append(("save_profile", profile.tenant_id))
        self.profiles[profile.tenant_id] = profile
        return profile

    async def add_api_key(self, *, tenant_id: int, secret_id: str, secret_key: str, now: datetime) -> ApiKey:
        new_id = max((k.id for k in self.keys), default=0) + 1
        key = ApiKey(new_id, tenant_id, secret_id, secret_key, ApiKeyStatus.ACTIVE, now)
        self.keys.append(key)
        return key

    async def api_keys_of(self, tenant_id: int) -> list[ApiKey]:
        return [k for k in self.keys if k.tenant_id == tenant_id]

    async def set_api_key_status(self, *, tenant_id: int, key_id: int, status: ApiKeyStatus) -> ApiKey | None:
        self.calls.append(("set_api_key_status", tenant_id, key_id, status))
        for index, key in enumerate(self.keys):
            if key.id == key_id and key.tenant_id == tenant_id:
                self.keys[index] = replace(key, status=status)
                return self.keys[index]
        return None

    async def delete_api_key(self, *, tenant_id: int, key_id: int) -> bool:
        self.calls.append(("delete_api_key", tenant_id, key_id))
        before = len(self.keys)
        self.keys = [k for k in self.keys if not (k.id == key_id and k.tenant_id == tenant_id)]
        return len(self.keys) < before


# --- applications ---------------------------------------------------------------------------


class FakeAppStore:
    """`AppStore`, scoped by tenant like the real one; `apps` holds every application."""

    def __init__(self, apps: Iterable[Application] = ()) -> None:
        self.apps: list[Application] = list(apps)

    async def add(self, *, tenant_id: int, sdk_app_id: str, name: str, app_key: str, now: datetime) -> Application:
        new_id = max((a.id for a in self.apps), default=0) + 1
        application = Application(new_id, tenant_id, sdk_app_id, name, app_key, AppStatus.ACTIVE, now)
        self.apps.append(application)
        return application

    async def of_tenant(self, tenant_id: int) -> list[Application]:
        return [a for a in self.apps if a.tenant_id == tenant_id]

    async def get(self, *, tenant_id: int, app_id: int) -> Application | None:
        return next((a for a in self.apps if a.id == app_id and a.tenant_id == tenant_id), None)

    def _set(self, tenant_id: int, app_id: int, **changes: object) -> Application | None:
        for index, application in enumerate(self.apps):
            if application.id == app_id and application.tenant_id == tenant_id:
                self.apps[index] = replace(application, **changes)  # type: ignore[arg-type]
                return self.apps[index]
        return None

    async def set_app_key(self, *, tenant_id: int, app_id: int, app_key: str, now: datetime) -> Application | None:
        return self._set(tenant_id, app_id, app_key=app_key)

    async def set_status(self, *, tenant_id: int, app_id: int, status: AppStatus) -> Application | None:
        return self._set(tenant_id, app_id, status=status)


# --- signatures and templates ---------------------------------------------------------------


class FakeSignatureStore:
    """`SignatureStore`: `signatures` by id (deleted ones move to `deleted`); `decisions` lists
    the `decide` calls that changed something."""

    def __init__(self, signatures: Iterable[Signature] = (), *, audit: FakeAuditLog | None = None) -> None:
        self.signatures: dict[int, Signature] = {s.id: s for s in signatures}
        self.audit = FakeAuditLog() if audit is None else audit
        self.deleted: dict[int, Signature] = {}
        self.decisions: list[dict[str, object]] = []

    def _next_id(self) -> int:
        return max([*self.signatures, *self.deleted], default=0) + 1

    async def add(self, *, tenant_id: int, draft: SignatureDraft, now: datetime) -> Signature:
        signature = Signature(
            id=self._next_id(),
            tenant_id=tenant_id,
            name=draft.name,
            international=draft.international,
            sign_type=draft.sign_type,
            document_type=draft.document_type,
            sign_purpose=draft.sign_purpose,
            remark=draft.remark,
            status=ReviewStatus.PENDING,
            review_reply="",
            created_at=now,
            updated_at=now,
            proof_document_id=draft.proof_document_id,
            commission_document_id=draft.commission_document_id,
            qualification_id=draft.qualification_id,
        )
        self.signatures[signature.id] = signature
        return signature

    async def get(self, *, tenant_id: int, signature_id: int) -> Signature | None:
        found = self.signatures.get(signature_id)
        return found if found is not None and found.tenant_id == tenant_id else None

    async def named(self, *, tenant_id: int, name: str, international: bool) -> list[Signature]:
        return [
            s
            for s in self.signatures.values()
            if s.tenant_id == tenant_id and s.name == name and s.international == international
        ]

    async def of_tenant(
        self,
        tenant_id: int,
        *,
        international: bool | None = None,
        ids: Sequence[int] = (),
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Signature]:
        rows = sorted(
            (
                s
                for s in self.signatures.values()
                if s.tenant_id == tenant_id and (international is None or s.international == international)
            ),
            key=lambda s: s.id,
        )
        if ids:
            return [s for s in rows if s.id in set(ids)]
        end = None if limit is None else offset + limit
        return rows[offset:end]

    async def count_of_tenant(self, tenant_id: int) -> int:
        return sum(1 for s in self.signatures.values() if s.tenant_id == tenant_id)

    async def update(self, *, tenant_id: int, signature_id: int, draft: SignatureDraft, now: datetime) -> Signature:
        current = await self.get(tenant_id=tenant_id, signature_id=signature_id)
        if current is None:
            raise NotFound("signature", signature_id)
        updated = replace(
            current,
            name=draft.name,
            international=draft.international,
            sign_type=draft.sign_type,
            document_type=draft.document_type,
            sign_purpose=draft.sign_purpose,
            remark=draft.remark,
            proof_document_id=draft.proof_document_id,
            commission_document_id=draft.commission_document_id,
            qualification_id=draft.qualification_id,
            status=ReviewStatus.PENDING,
            review_reply="",
            updated_at=now,
            reviewed_at=None,
        )
        self.signatures[signature_id] = updated
        return updated

    async def delete(self, *, tenant_id: int, signature_id: int, now: datetime) -> bool:
        if await self.get(tenant_id=tenant_id, signature_id=signature_id) is None:
            return False
        self.deleted[signature_id] = self.signatures.pop(signature_id)
        return True

    async def by_id(self, signature_id: int) -> Signature | None:
        return self.signatures.get(signature_id)

    async def pending(self, *, limit: int, offset: int = 0) -> list[Signature]:
        waiting = sorted(
            (s for s in self.signatures.values() if s.status is ReviewStatus.PENDING),
            key=lambda s: (s.updated_at, s.id),
        )
        return waiting[offset : offset + limit]

    async def count_pending(self) -> int:
        return sum(1 for s in self.signatures.values() if s.status is ReviewStatus.PENDING)

    async def decide(
        self,
        *,
        signature_id: int,
        status: ReviewStatus,
        reply: str,
        reviewer_id: int | None,
        now: datetime,
        seen: datetime | None = None,
        noted: AuditNote | None = None,
    ) -> Signature | None:
        current = self.signatures.get(signature_id)
        if current is None or current.status is not ReviewStatus.PENDING:
            return None
        if seen is not None and current.updated_at != seen:
            return None
        decided = replace(current, status=status, review_reply=reply, reviewed_at=now, updated_at=now)
        self.signatures[signature_id] = decided
        self.decisions.append({"id": signature_id, "status": status, "reply": reply, "reviewer_id": reviewer_id})
        self.audit.add(noted)
        return decided


class FakeTemplateStore:
    """`TemplateStore`, like `FakeSignatureStore`."""

    def __init__(self, templates: Iterable[Template] = (), *, audit: FakeAuditLog | None = None) -> None:
        self.templates: dict[int, Template] = {t.id: t for t in templates}
        self.audit = FakeAuditLog() if audit is None else audit
        self.deleted: dict[int, Template] = {}
        self.decisions: list[dict[str, object]] = []

    def _next_id(self) -> int:
        return max([*self.templates, *self.deleted], default=0) + 1

    async def add(self, *, tenant_id: int, draft: TemplateDraft, now: datetime) -> Template:
        template = Template(
            id=self._next_id(),
            tenant_id=tenant_id,
            name=draft.name,
            content=draft.content,
            sms_type=draft.sms_type,
            international=draft.international,
            remark=draft.remark,
            status=ReviewStatus.PENDING,
            review_reply="",
            created_at=now,
            updated_at=now,
        )
        self.templates[template.id] = template
        return template

    async def get(self, *, tenant_id: int, template_id: int) -> Template | None:
        found = self.templates.get(template_id)
        return found if found is not None and found.tenant_id == tenant_id else None

    async def of_tenant(
        self,
        tenant_id: int,
        *,
        international: bool | None = None,
        ids: Sequence[int] = (),
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Template]:
        rows = sorted(
            (
                t
                for t in self.templates.values()
                if t.tenant_id == tenant_id and (international is None or t.international == international)
            ),
            key=lambda t: t.id,
        )
        if ids:
            return [t for t in rows if t.id in set(ids)]
        end = None if limit is None else offset + limit
        return rows[offset:end]

    async def count_of_tenant(self, tenant_id: int) -> int:
        return sum(1 for t in self.templates.values() if t.tenant_id == tenant_id)

    async def update(self, *, tenant_id: int, template_id: int, draft: TemplateDraft, now: datetime) -> Template:
        current = await self.get(tenant_id=tenant_id, template_id=template_id)
        if current is None:
            raise NotFound("template", template_id)
        updated = replace(
            current,
            name=draft.name,
            content=draft.content,
            sms_type=draft.sms_type,
            international=draft.international,
            remark=draft.remark,
            status=ReviewStatus.PENDING,
            review_reply="",
            updated_at=now,
            reviewed_at=None,
        )
        self.templates[template_id] = updated
        return updated

    async def delete(self, *, tenant_id: int, template_id: int, now: datetime) -> bool:
        if await self.get(tenant_id=tenant_id, template_id=template_id) is None:
            return False
        self.deleted[template_id] = self.templates.pop(template_id)
        return True

    async def by_id(self, template_id: int) -> Template | None:
        return self.templates.get(template_id)

    async def pending(self, *, limit: int, offset: int = 0) -> list[Template]:
        waiting = sorted(
            (t for t in self.templates.values() if t.status is ReviewStatus.PENDING),
            key=lambda t: (t.updated_at, t.id),
        )
        return waiting[offset : offset + limit]

    async def count_pending(self) -> int:
        return sum(1 for t in self.templates.values() if t.status is ReviewStatus.PENDING)

    async def decide(
        self,
        *,
        template_id: int,
        status: ReviewStatus,
        reply: str,
        reviewer_id: int | None,
        now: datetime,
        seen: datetime | None = None,
        noted: AuditNote | None = None,
    ) -> Template | None:
        current = self.templates.get(template_id)
        if current is None or current.status is not ReviewStatus.PENDING:
            return None
        if seen is not None and current.updated_at != seen:
            return None
        decided = replace(current, status=status, review_reply=reply, reviewed_at=now, updated_at=now)
        self.templates[template_id] = decided
        self.decisions.append({"id": template_id, "status": status, "reply": reply, "reviewer_id": reviewer_id})
        self.audit.add(noted)
        return decided


# --- qualification and documents ------------------------------------------------------------


class FakeQualificationStore:
    """`QualificationStore`: `qualifications` by id; the newest (highest id) of a tenant is current.
    An approval that makes an enterprise changes the tenant in `accounts`; notes go to `audit`."""

    def __init__(
        self,
        qualifications: Iterable[Qualification] = (),
        *,
        accounts: FakeAccountStore | None = None,
        audit: FakeAuditLog | None = None,
    ) -> None:
        self.qualifications: dict[int, Qualification] = {q.id: q for q in qualifications}
        self.accounts = FakeAccountStore() if accounts is None else accounts
        self.audit = FakeAuditLog() if audit is None else audit

    async def add(
        self,
        *,
        tenant_id: int,
        company_name: str,
        credit_code: str,
        licence_document_id: int,
        contact_name: str,
        contact_phone: str,
        now: datetime,
        noted: AuditNote | None = None,
    ) -> Qualification:
        qualification = Qualification(
            id=max(self.qualifications, default=0) + 1,
            tenant_id=tenant_id,
            company_name=company_name,
            credit_code=credit_code,
            licence_document_id=licence_document_id,
            contact_name=contact_name,
            contact_phone=contact_phone,
            status=ReviewStatus.PENDING,
            review_reply="",
            submitted_at=now,
            reviewed_at=None,
            reviewed_by=None,
        )
        self.qualifications[qualification.id] = qualification
        self.audit.add(noted, subject_id=qualification.id)
        return qualification

    async def by_id(self, qualification_id: int) -> Qualification | None:
        return self.qualifications.get(qualification_id)

    def _of(self, tenant_id: int) -> list[Qualification]:
        return sorted((q for q in self.qualifications.values() if q.tenant_id == tenant_id), key=lambda q: q.id)

    async def current_of(self, tenant_id: int) -> Qualification | None:
        mine = self._of(tenant_id)
        return mine[-1] if mine else None

    async def approved_of(self, tenant_id: int) -> Qualification | None:
        approved = [q for q in self._of(tenant_id) if q.status is ReviewStatus.APPROVED]
        return approved[-1] if approved else None

    async def approved_elsewhere(self, *, credit_code: str, tenant_id: int) -> list[Qualification]:
        return sorted(
            (
                q
                for q in self.qualifications.values()
                if q.credit_code == credit_code and q.tenant_id != tenant_id and q.status is ReviewStatus.APPROVED
            ),
            key=lambda q: q.id,
        )

    async def pending(self, *, limit: int, offset: int = 0) -> list[Qualification]:
        waiting = sorted(
            (q for q in self.qualifications.values() if q.status is ReviewStatus.PENDING),
            key=lambda q: (q.submitted_at, q.id),
        )
        return waiting[offset : offset + limit]

    async def count_pending(self) -> int:
        return sum(1 for q in self.qualifications.values() if q.status is ReviewStatus.PENDING)

    async def decide(
        self,
        *,
        qualification_id: int,
        status: ReviewStatus,
        reply: str,
        operator_id: int | None,
        now: datetime,
        enterprise: bool = False,
        noted: AuditNote | None = None,
    ) -> Qualification | None:
        current = self.qualifications.get(qualification_id)
        if current is None or current.status is not ReviewStatus.PENDING:
            return None
        decided = replace(current, status=status, review_reply=reply, reviewed_at=now, reviewed_by=operator_id)
        self.qualifications[qualification_id] = decided
        if enterprise:
            await self.accounts.update_tenant(decided.tenant_id, name=decided.company_name, kind=TenantKind.ENTERPRISE)
        self.audit.add(noted)
        return decided


class FakeDocumentStore:
    """`DocumentStore`: `documents` by id and their bytes in `contents`."""

    def __init__(self, documents: Iterable[Document] = ()) -> None:
        self.documents: dict[int, Document] = {d.id: d for d in documents}
        self.contents: dict[int, bytes] = {}

    async def add(
        self,
        *,
        tenant_id: int,
        purpose: DocumentPurpose,
        filename: str,
        content_type: str,
        data: bytes,
        sha256: str,
        now: datetime,
    ) -> Document:
        document = Document(
            id=max(self.documents, default=0) + 1,
            tenant_id=tenant_id,
            purpose=purpose,
            filename=filename,
            content_type=content_type,
            size=len(data),
            sha256=sha256,
            created_at=now,
        )
        self.documents[document.id] = document
        self.contents[document.id] = data
        return document

    async def get(self, document_id: int) -> Document | None:
        return self.documents.get(document_id)

    async def content(self, document_id: int) -> bytes | None:
        return self.contents.get(document_id)


# --- audit and mail -------------------------------------------------------------------------


class FakeAuditLog:
    """`AuditLog`: `entries` in the order they were recorded."""

    def __init__(self) -> None:
        self.entries: list[AuditEntry] = []

    async def record(
        self,
        *,
        actor: Actor,
        action: str,
        subject_kind: str,
        subject_id: int | None,
        tenant_id: int | None,
        detail: str,
        now: datetime,
    ) -> None:
        self.entries.append(
            AuditEntry(len(self.entries) + 1, now, actor, action, subject_kind, subject_id, tenant_id, detail)
        )

    def add(self, note: AuditNote | None, *, subject_id: int | None = None) -> None:
        """A note a fake store wrote with its change."""
        if note is not None:
            chosen = note.subject_id if note.subject_id is not None else subject_id
            entry = AuditEntry(
                len(self.entries) + 1,
                note.at,
                note.actor,
                note.action,
                note.subject_kind,
                chosen,
                note.tenant_id,
                note.detail,
            )
            self.entries.append(entry)

    async def recent(
        self, *, limit: int, offset: int = 0, tenant_id: int | None = None, subject_kind: str | None = None
    ) -> list[AuditEntry]:
        chosen = [
            e
            for e in reversed(self.entries)
            if (tenant_id is None or e.tenant_id == tenant_id)
            and (subject_kind is None or e.subject_kind == subject_kind)
        ]
        return chosen[offset : offset + limit]


class FakeOutbox:
    """`Outbox`: `mails` in the order they were put, with `times` the `now` of each."""

    def __init__(self) -> None:
        self.mails: list[Mail] = []
        self.times: list[datetime] = []

    async def put(self, mail: Mail, *, now: datetime) -> int:
        self.mails.append(mail)
        self.times.append(now)
        return len(self.mails)

    def to(self, address: str) -> list[Mail]:
        return [m for m in self.mails if m.to_address == address]


# --- identity -------------------------------------------------------------------------------


class FakePasswordHasher:
    """`PasswordHasher` without cryptography: a hash is "plain:" and the password. A hash that
    starts with "old:" verifies too but asks to be rehashed, like an argon2 hash with old
    parameters. `verified` counts the checks."""

    def __init__(self) -> None:
        self.verified = 0

    async def hash(self, password: str) -> str:
        return "plain:" + password

    async def verify(self, password_hash: str, password: str) -> bool:
        self.verified += 1
        return password_hash in {"plain:" + password, "old:" + password}

    def needs_rehash(self, password_hash: str) -> bool:
        return not password_hash.startswith("plain:")


class FakeUserStore:
    """`UserStore`: `users` by id; e-mail addresses are unique, as in the table. A password change
    with `sessions_end_at` ends the user's sessions in `sessions`."""

    def __init__(self, users: Iterable[User] = (), *, sessions: FakeSessionStore | None = None) -> None:
        self.users: dict[int, User] = {u.id: u for u in users}
        self.signup_ips: dict[int, str] = {}
        self.sessions = FakeSessionStore() if sessions is None else sessions

    def _set(self, user_id: int, **changes: object) -> User:
        if user_id not in self.users:
            raise NotFound("user", user_id)
        self.users[user_id] = replace(self.users[user_id], **changes)  # type: ignore[arg-type]
        return self.users[user_id]

    async def add(
        self,
        *,
        tenant_id: int,
        email: str,
        password_hash: str,
        role: UserRole,
        language: Language,
        now: datetime,
        signup_ip: str | None = None,
    ) -> User:
        if any(u.email == email for u in self.users.values()):
            raise EmailTaken(email)
        user = User(
            id=max(self.users, default=0) + 1,
            tenant_id=tenant_id,
            email=email,
            role=role,
            status=UserStatus.PENDING,
            language=language,
            created_at=now,
            activated_at=None,
            last_login_at=None,
            password_hash=password_hash,
        )
        self.users[user.id] = user
        if signup_ip is not None:
            self.signup_ips[user.id] = signup_ip
        return user

    async def signups_since(self, *, ip: str, since: datetime) -> list[datetime]:
        return sorted(
            self.users[i].created_at
            for i, address in self.signup_ips.items()
            if address == ip and self.users[i].created_at > since
        )

    async def by_email(self, email: str) -> User | None:
        return next((u for u in self.users.values() if u.email == email), None)

    async def by_id(self, user_id: int) -> User | None:
        return self.users.get(user_id)

    async def of_tenant(self, tenant_id: int) -> list[User]:
        return [u for u in self.users.values() if u.tenant_id == tenant_id]

    async def activate(self, user_id: int, *, now: datetime) -> User:
        """Like the SQL store: a pending user becomes active; an active or disabled one stays."""
        user = self.users.get(user_id)
        if user is None:
            raise NotFound("user", user_id)
        if user.status is not UserStatus.PENDING:
            return user
        return self._set(user_id, status=UserStatus.ACTIVE, activated_at=now)

    async def set_password(
        self,
        user_id: int,
        password_hash: str,
        *,
        sessions_end_at: datetime | None = None,
        keep_session: int | None = None,
    ) -> None:
        self._set(user_id, password_hash=password_hash)
        if sessions_end_at is not None:
            await self.sessions.revoke_all(user_id=user_id, now=sessions_end_at, keep=keep_session)

    async def set_language(self, user_id: int, language: Language) -> None:
        self._set(user_id, language=language)

    async def record_login(self, user_id: int, *, now: datetime) -> None:
        self._set(user_id, last_login_at=now)


class FakeOperatorStore:
    """`OperatorStore`: `operators` by id; e-mail addresses are unique. A change with
    `sessions_end_at` ends the operator's sessions in `sessions`."""

    def __init__(self, operators: Iterable[Operator] = (), *, sessions: FakeSessionStore | None = None) -> None:
        self.operators: dict[int, Operator] = {o.id: o for o in operators}
        self.sessions = FakeSessionStore() if sessions is None else sessions

    async def _set(self, operator_id: int, *, sessions_end_at: datetime | None = None, **changes: object) -> None:
        if operator_id not in self.operators:
            raise NotFound("operator", operator_id)
        self.operators[operator_id] = replace(self.operators[operator_id], **changes)  # type: ignore[arg-type]
        if sessions_end_at is not None:
            await self.sessions.revoke_all(operator_id=operator_id, now=sessions_end_at)

    async def add(
        self,
        *,
        email: str,
        name: str,
        password_hash: str,
        language: Language,
        now: datetime,
        noted: AuditNote | None = None,
    ) -> Operator:
        if any(o.email == email for o in self.operators.values()):
            raise EmailTaken(email)
        operator = Operator(
            id=max(self.operators, default=0) + 1,
            email=email,
            name=name,
            status=OperatorStatus.ACTIVE,
            language=language,
            created_at=now,
            last_login_at=None,
            password_hash=password_hash,
        )
        self.operators[operator.id] = operator
        return operator

    async def by_email(self, email: str) -> Operator | None:
        return next((o for o in self.operators.values() if o.email == email), None)

    async def by_id(self, operator_id: int) -> Operator | None:
        return self.operators.get(operator_id)

    async def count(self) -> int:
        return len(self.operators)

    async def all(self) -> list[Operator]:
        return sorted(self.operators.values(), key=lambda o: o.id)

    async def set_password(
        self,
        operator_id: int,
        password_hash: str,
        *,
        noted: AuditNote | None = None,
        sessions_end_at: datetime | None = None,
    ) -> None:
        await self._set(operator_id, sessions_end_at=sessions_end_at, password_hash=password_hash)

    async def set_language(self, operator_id: int, language: Language) -> None:
        await self._set(operator_id, language=language)

    async def set_status(
        self,
        operator_id: int,
        status: OperatorStatus,
        *,
        noted: AuditNote | None = None,
        sessions_end_at: datetime | None = None,
    ) -> None:
        await self._set(operator_id, sessions_end_at=sessions_end_at, status=status)

    async def record_login(self, operator_id: int, *, now: datetime) -> None:
        await self._set(operator_id, last_login_at=now)


class FakeSessionStore:
    """`SessionStore`: `sessions` by id, `token_hashes` maps each stored hash to its session;
    `touched` lists the `touch` calls as (session id, now)."""

    def __init__(self) -> None:
        self.sessions: dict[int, ConsoleSession] = {}
        self.token_hashes: dict[str, int] = {}
        self.touched: list[tuple[int, datetime]] = []

    async def add(
        self,
        *,
        token_hash: str,
        user_id: int | None,
        operator_id: int | None,
        csrf_token: str,
        now: datetime,
        expires_at: datetime,
        ip: str,
        user_agent: str,
    ) -> ConsoleSession:
        if token_hash in self.token_hashes:
            raise ValueError("token_hash is unique")
        session = ConsoleSession(
            id=len(self.sessions) + 1,
            user_id=user_id,
            operator_id=operator_id,
            csrf_token=csrf_token,
            created_at=now,
            last_seen_at=now,
            expires_at=expires_at,
            revoked_at=None,
            ip=ip,
            user_agent=user_agent,
        )
        self.sessions[session.id] = session
        self.token_hashes[token_hash] = session.id
        return session

    async def by_token_hash(self, token_hash: str) -> ConsoleSession | None:
        session_id = self.token_hashes.get(token_hash)
        return None if session_id is None else self.sessions[session_id]

    async def touch(self, session_id: int, *, now: datetime) -> None:
        self.touched.append((session_id, now))
        session = self.sessions[session_id]
        if session.revoked_at is None and session.last_seen_at < now:
            self.sessions[session_id] = replace(session, last_seen_at=now)

    async def revoke(self, session_id: int, *, now: datetime) -> None:
        session = self.sessions[session_id]
        if session.revoked_at is None:
            self.sessions[session_id] = replace(session, revoked_at=now)

    def _of(self, user_id: int | None, operator_id: int | None, now: datetime) -> list[ConsoleSession]:
        if (user_id is None) == (operator_id is None):
            raise ValueError("name exactly one of user_id and operator_id")
        return [
            s
            for s in self.sessions.values()
            if s.revoked_at is None
            and now < s.expires_at
            and (s.user_id == user_id if user_id is not None else s.operator_id == operator_id)
        ]

    async def revoke_all(
        self, *, user_id: int | None = None, operator_id: int | None = None, now: datetime, keep: int | None = None
    ) -> int:
        ended = [s for s in self._of(user_id, operator_id, now) if s.id != keep]
        for session in ended:
            await self.revoke(session.id, now=now)
        return len(ended)

    async def live_of(
        self, *, user_id: int | None = None, operator_id: int | None = None, now: datetime
    ) -> list[ConsoleSession]:
        return self._of(user_id, operator_id, now)


@dataclass
class _Token:
    user_id: int
    purpose: TokenPurpose
    token_hash: str
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None = None


class FakeTokenStore:
    """`TokenStore`: `tokens` as stored (hashes only); `consume` hands each one out once."""

    def __init__(self) -> None:
        self.tokens: list[_Token] = []

    async def add(
        self, *, user_id: int, purpose: TokenPurpose, token_hash: str, now: datetime, expires_at: datetime
    ) -> None:
        self.tokens.append(_Token(user_id, purpose, token_hash, now, expires_at))

    async def consume(self, *, token_hash: str, purpose: TokenPurpose, now: datetime) -> int | None:
        for token in self.tokens:
            if (
                token.token_hash == token_hash
                and token.purpose is purpose
                and token.used_at is None
                and now < token.expires_at
            ):
                token.used_at = now
                return token.user_id
        return None

    async def peek(self, *, token_hash: str, purpose: TokenPurpose, now: datetime) -> int | None:
        for token in self.tokens:
            if (
                token.token_hash == token_hash
                and token.purpose is purpose
                and token.used_at is None
                and now < token.expires_at
            ):
                return token.user_id
        return None

    async def issued_since(self, *, user_id: int, purpose: TokenPurpose, since: datetime) -> list[datetime]:
        return [
            t.created_at for t in self.tokens if t.user_id == user_id and t.purpose is purpose and t.created_at >= since
        ]


class FakeLoginFailures:
    """`LoginFailures`: `failures` as (e-mail, ip, at)."""

    def __init__(self) -> None:
        self.failures: list[tuple[str, str, datetime]] = []

    async def record(self, *, email: str, ip: str, now: datetime) -> None:
        self.failures.append((email, ip, now))

    async def count_since(self, *, email: str, ip: str, since: datetime) -> FailureCounts:
        recent = [(e, i) for e, i, at in self.failures if at >= since]
        return FailureCounts(
            email=sum(1 for e, _ in recent if e == email),
            ip=sum(1 for _, i in recent if i == ip),
            email_from_ip=sum(1 for e, i in recent if e == email and i == ip),
        )

    async def clear(self, *, email: str) -> None:
        self.failures = [f for f in self.failures if f[0] != email]


@dataclass
class _Challenge:
    id: int
    token_hash: str
    principal: Principal
    ip: str
    user_agent: str
    expires_at: datetime
    failures: int = 0
    done: bool = False


class FakeTwoStepStore:
    """`TwoStepStore`: `enabled` by principal (secret, last step, since), `codes` by principal
    (hash → used), `challenges` in the order made."""

    def __init__(self) -> None:
        self.enabled: dict[Principal, tuple[str, int | None, datetime]] = {}
        self.codes: dict[Principal, dict[str, bool]] = {}
        self.challenges: list[_Challenge] = []

    async def of(self, principal: Principal) -> TwoStep | None:
        if principal not in self.enabled:
            return None
        secret, last, since = self.enabled[principal]
        left = sum(1 for used in self.codes.get(principal, {}).values() if not used)
        return TwoStep(secret=secret, last_step=last, enabled_at=since, recovery_codes_left=left)

    async def enable(self, principal: Principal, *, secret: str, code_hashes: list[str], now: datetime) -> None:
        self.enabled[principal] = (secret, None, now)
        self.codes[principal] = dict.fromkeys(code_hashes, False)

    async def disable(self, principal: Principal, *, noted: AuditNote | None = None) -> bool:
        self.codes.pop(principal, None)
        return self.enabled.pop(principal, None) is not None

    async def use_step(self, principal: Principal, step: int) -> bool:
        if principal not in self.enabled:
            return False
        secret, last, since = self.enabled[principal]
        if last is not None and last >= step:
            return False
        self.enabled[principal] = (secret, step, since)
        return True

    async def use_recovery_code(self, principal: Principal, code_hash: str, *, now: datetime) -> bool:
        codes = self.codes.get(principal, {})
        if codes.get(code_hash) is not False:
            return False
        codes[code_hash] = True
        return True

    async def add_challenge(
        self, principal: Principal, *, token_hash: str, ip: str, user_agent: str, now: datetime, expires_at: datetime
    ) -> None:
        self.challenges.append(_Challenge(len(self.challenges) + 1, token_hash, principal, ip, user_agent, expires_at))

    async def challenge(self, token_hash: str, *, now: datetime) -> LoginChallenge | None:
        for c in self.challenges:
            if c.token_hash == token_hash and not c.done and c.expires_at > now:
                return LoginChallenge(c.id, c.principal, c.ip, c.user_agent, c.expires_at, c.failures)
        return None

    async def fail_challenge(self, challenge_id: int) -> None:
        self.challenges[challenge_id - 1].failures += 1

    async def finish_challenge(self, challenge_id: int, *, now: datetime) -> bool:
        found = self.challenges[challenge_id - 1]
        if found.done:
            return False
        found.done = True
        return True


# mypy checks here that every fake implements its port.
if TYPE_CHECKING:
    _catalog: Catalog = FakeCatalog()
    _messages: MessageStore = FakeMessageStore()
    _signal: DispatchSignal = FakeSignal()
    _reports: ReportStore = FakeReportStore()
    _accounts: AccountStore = FakeAccountStore()
    _apps: AppStore = FakeAppStore()
    _signatures: SignatureStore = FakeSignatureStore()
    _templates: TemplateStore = FakeTemplateStore()
    _qualifications: QualificationStore = FakeQualificationStore()
    _documents: DocumentStore = FakeDocumentStore()
    _audit: AuditLog = FakeAuditLog()
    _outbox: Outbox = FakeOutbox()
    _hasher: PasswordHasher = FakePasswordHasher()
    _users: UserStore = FakeUserStore()
    _operators: OperatorStore = FakeOperatorStore()
    _sessions: SessionStore = FakeSessionStore()
    _tokens: TokenStore = FakeTokenStore()
    _failures: LoginFailures = FakeLoginFailures()
    _two_step: TwoStepStore = FakeTwoStepStore()
