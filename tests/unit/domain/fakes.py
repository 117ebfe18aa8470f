"""In-memory implementations of the domain's ports, for unit tests of the use cases.

They keep what they are given in plain lists and dicts, and record the calls made to them, so a
test can assert both the answer of a use case and what it did to the outside world.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from smscloud.domain.accounts.model import ApiKey, ApiKeyStatus, Tenant, TenantKind, TenantStatus
from smscloud.domain.apps.model import Application, AppStatus
from smscloud.domain.messages.model import NewMessage, Report
from smscloud.domain.messages.routing import Route
from smscloud.domain.shared.errors import NotFound
from smscloud.domain.shared.review import ReviewStatus
from smscloud.domain.signatures.model import DocumentType, Signature, SignPurpose, SignType
from smscloud.domain.templates.model import SmsType, Template


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


class FakeAccountStore:
    """`AccountStore`."""

    def __init__(self) -> None:
        self.tenants: list[Tenant] = []
        self.keys: list[ApiKey] = []

    async def add_tenant(self, *, name: str, kind: TenantKind, timezone: str, now: datetime) -> Tenant:
        tenant = Tenant(len(self.tenants) + 1, name, kind, TenantStatus.ACTIVE, timezone, now)
        self.tenants.append(tenant)
        return tenant

    async def tenant_named(self, name: str) -> Tenant | None:
        return next((t for t in self.tenants if t.name == name), None)

    async def add_api_key(self, *, tenant_id: int, secret_id: str, secret_key: str, now: datetime) -> ApiKey:
        key = ApiKey(len(self.keys) + 1, tenant_id, secret_id, secret_key, ApiKeyStatus.ACTIVE, now)
        self.keys.append(key)
        return key

    async def api_keys_of(self, tenant_id: int) -> list[ApiKey]:
        return [k for k in self.keys if k.tenant_id == tenant_id]


class FakeAppStore:
    """`AppStore`."""

    def __init__(self) -> None:
        self.apps: list[Application] = []

    async def add(self, *, tenant_id: int, sdk_app_id: str, name: str, app_key: str, now: datetime) -> Application:
        application = Application(len(self.apps) + 1, tenant_id, sdk_app_id, name, app_key, AppStatus.ACTIVE, now)
        self.apps.append(application)
        return application

    async def of_tenant(self, tenant_id: int) -> list[Application]:
        return [a for a in self.apps if a.tenant_id == tenant_id]


class FakeSignatureStore:
    """`SignatureStore`."""

    def __init__(self) -> None:
        self.signatures: dict[int, Signature] = {}

    async def add(
        self,
        *,
        tenant_id: int,
        name: str,
        international: bool,
        sign_type: SignType,
        document_type: DocumentType,
        sign_purpose: SignPurpose,
        remark: str,
        now: datetime,
    ) -> Signature:
        new_id = len(self.signatures) + 1
        signature = Signature(
            new_id,
            tenant_id,
            name,
            international,
            sign_type,
            document_type,
            sign_purpose,
            remark,
            ReviewStatus.PENDING,
            "",
            now,
            now,
        )
        self.signatures[new_id] = signature
        return signature

    async def of_tenant(self, tenant_id: int) -> list[Signature]:
        return [s for s in self.signatures.values() if s.tenant_id == tenant_id]

    async def set_review(self, *, signature_id: int, status: ReviewStatus, reply: str, now: datetime) -> Signature:
        if signature_id not in self.signatures:
            raise NotFound("signature", signature_id)
        updated = replace(self.signatures[signature_id], status=status, review_reply=reply, updated_at=now)
        self.signatures[signature_id] = updated
        return updated


class FakeTemplateStore:
    """`TemplateStore`."""

    def __init__(self) -> None:
        self.templates: dict[int, Template] = {}

    async def add(
        self,
        *,
        tenant_id: int,
        name: str,
        content: str,
        sms_type: SmsType,
        international: bool,
        remark: str,
        now: datetime,
    ) -> Template:
        new_id = len(self.templates) + 1
        template = Template(
            new_id,
            tenant_id,
            name,
            content,
            sms_type,
            international,
            remark,
            ReviewStatus.PENDING,
            "",
            now,
            now,
        )
        self.templates[new_id] = template
        return template

    async def of_tenant(self, tenant_id: int) -> list[Template]:
        return [t for t in self.templates.values() if t.tenant_id == tenant_id]

    async def set_review(self, *, template_id: int, status: ReviewStatus, reply: str, now: datetime) -> Template:
        if template_id not in self.templates:
            raise NotFound("template", template_id)
        current = self.templates[template_id]
        updated = Template(
            current.id,
            current.tenant_id,
            current.name,
            current.content,
            current.sms_type,
            current.international,
            current.remark,
            status,
            reply,
            current.created_at,
            now,
        )
        self.templates[template_id] = updated
        return updated
