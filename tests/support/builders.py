"""Test data through the real stores: tenants, keys, applications, signatures, templates, carriers,
routes and messages, on the database of the `db` fixture.

::

    stores = make_stores(db)
    build = Builder(stores)
    acme = await build.sender()  # tenant, key, app, approved sign and template, carrier, route
    messages = await build.add_messages(acme, 3)      # queued rows
    await build.deliver(acme.carrier.id, messages)    # claimed, submitted, receipted: final and reportable

Everything goes through the stores (and, where they check nothing a test would trip over, the domain
services), as the platform itself does. Signatures and templates are added and decided through their
stores directly (`decide(reviewer_id=None)`), so a test can hold several requests of one name in any
state. The few changes the platform has no store method for yet (disabling an application or a key
by its id alone, suspending a tenant, disabling a route) are plain UPDATEs, kept here so tests do
not write SQL of their own.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cryptography.fernet import Fernet
from sqlalchemy import Connection, select, update

from smscloud.adapters.crypto.fernet_box import FernetBox
from smscloud.adapters.storage import tables
from smscloud.adapters.storage.accounts import SqlAccountStore
from smscloud.adapters.storage.apps import SqlAppStore
from smscloud.adapters.storage.audit import SqlAuditLog
from smscloud.adapters.storage.carriers import SqlCarrierStore
from smscloud.adapters.storage.catalog import SqlCatalog
from smscloud.adapters.storage.database import Database
from smscloud.adapters.storage.dispatch_queue import SqlDispatchQueue
from smscloud.adapters.storage.documents import SqlDocumentStore
from smscloud.adapters.storage.history import SqlMessageHistory
from smscloud.adapters.storage.identity import (
    SqlLoginFailures,
    SqlOperatorStore,
    SqlSessionStore,
    SqlTokenStore,
    SqlUserStore,
)
from smscloud.adapters.storage.messages import SqlMessageStore, SqlReportStore
from smscloud.adapters.storage.qualifications import SqlQualificationStore
from smscloud.adapters.storage.receipts import SqlReceiptStore
from smscloud.adapters.storage.replies import SqlReplyStore
from smscloud.adapters.storage.signatures import SqlSignatureStore
from smscloud.adapters.storage.templates import SqlTemplateStore
from smscloud.domain.accounts.model import ApiKey, Tenant, TenantKind
from smscloud.domain.accounts.service import create_tenant, issue_api_key
from smscloud.domain.apps.model import Application, AppStatus, new_app_key, new_sdk_app_id
from smscloud.domain.carriers.model import Carrier
from smscloud.domain.documents.model import Document, DocumentPurpose
from smscloud.domain.identity.model import Language, Operator
from smscloud.domain.messages.dispatch import Submitted
from smscloud.domain.messages.model import NewMessage
from smscloud.domain.messages.receipts import Receipt, status_from_receipt
from smscloud.domain.messages.serials import new_serial_no
from smscloud.domain.qualification.model import Qualification
from smscloud.domain.shared.clock import FixedClock
from smscloud.domain.shared.review import ReviewStatus
from smscloud.domain.signatures.model import DocumentType, Signature, SignatureDraft, SignPurpose, SignType
from smscloud.domain.templates.model import SmsType, Template, TemplateDraft
from tests.support.carrier_settings import carrier_settings

__all__ = ["NOW", "PNG", "Builder", "Sender", "Stores", "make_stores", "message_row", "part_rows", "table_row"]

# 12:00 in Asia/Shanghai.
NOW = datetime(2026, 3, 10, 4, 0, tzinfo=UTC)
SIGN = "腾讯云"
TEMPLATE = "您的订单{1}已发货。"
CARRIER_PASSWORD = "pw"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(32)


@dataclass(frozen=True, slots=True)
class Stores:
    db: Database
    box: FernetBox
    clock: FixedClock
    accounts: SqlAccountStore
    apps: SqlAppStore
    signatures: SqlSignatureStore
    templates: SqlTemplateStore
    carriers: SqlCarrierStore
    catalog: SqlCatalog
    messages: SqlMessageStore
    queue: SqlDispatchQueue
    receipts: SqlReceiptStore
    reports: SqlReportStore
    replies: SqlReplyStore
    documents: SqlDocumentStore
    qualifications: SqlQualificationStore
    users: SqlUserStore
    operators: SqlOperatorStore
    sessions: SqlSessionStore
    tokens: SqlTokenStore
    login_failures: SqlLoginFailures
    audit: SqlAuditLog
    history: SqlMessageHistory


def make_stores(
    db: Database, *, now: datetime = NOW, catalog_ttl_s: float = 2.0, box: FernetBox | None = None
) -> Stores:
    """Every store over `db`, as `bootstrap.open_platform` wires them, with a fixed clock.

    `box`: the platform's, where a running smscloud must read what the stores write (AppKeys)."""
    box = box or FernetBox([Fernet.generate_key().decode()])
    return Stores(
        db=db,
        box=box,
        clock=FixedClock(now),
        accounts=SqlAccountStore(db, box),
        apps=SqlAppStore(db, box),
        signatures=SqlSignatureStore(db),
        templates=SqlTemplateStore(db),
        carriers=SqlCarrierStore(db, box),
        catalog=SqlCatalog(db, box, ttl_s=catalog_ttl_s),
        messages=SqlMessageStore(db),
        queue=SqlDispatchQueue(db),
        receipts=SqlReceiptStore(db),
        reports=SqlReportStore(db),
        replies=SqlReplyStore(db),
        documents=SqlDocumentStore(db),
        qualifications=SqlQualificationStore(db),
        users=SqlUserStore(db),
        operators=SqlOperatorStore(db),
        sessions=SqlSessionStore(db),
        tokens=SqlTokenStore(db),
        login_failures=SqlLoginFailures(db),
        audit=SqlAuditLog(db),
        history=SqlMessageHistory(db),
    )


@dataclass(frozen=True, slots=True)
class Sender:
    """A tenant ready to send: key, application, approved signature and template, a routed carrier."""

    tenant: Tenant
    key: ApiKey
    app: Application
    signature: Signature
    template: Template
    carrier: Carrier


_names = itertools.count(1)


class Builder:
    def __init__(self, stores: Stores) -> None:
        self.s = stores

    # --- accounts, applications ---------------------------------------------------------------------

    async def tenant(
        self,
        name: str | None = None,
        *,
        kind: TenantKind = TenantKind.ENTERPRISE,
        timezone: str = "Asia/Shanghai",
    ) -> Tenant:
        return await create_tenant(
            store=self.s.accounts,
            clock=self.s.clock,
            name=name or f"tenant {next(_names)}",
            kind=kind,
            timezone=timezone,
        )

    async def api_key(self, tenant_id: int) -> ApiKey:
        return await issue_api_key(store=self.s.accounts, clock=self.s.clock, tenant_id=tenant_id)

    async def app(self, tenant_id: int, name: str = "shop") -> Application:
        """An active application, stored directly: `create_application` would first want the tenant
        to have applied for SMS."""
        return await self.s.apps.add(
            tenant_id=tenant_id, sdk_app_id=new_sdk_app_id(), name=name, app_key=new_app_key(), now=self.s.clock.now()
        )

    async def document(
        self, tenant_id: int, purpose: DocumentPurpose = DocumentPurpose.SIGN_PROOF, data: bytes = PNG
    ) -> Document:
        return await self.s.documents.add(
            tenant_id=tenant_id,
            purpose=purpose,
            filename="proof.png",
            content_type="image/png",
            data=data,
            sha256=hashlib.sha256(data).hexdigest(),
            now=self.s.clock.now(),
        )

    async def operator(self, email: str | None = None, *, name: str = "Reviewer") -> Operator:
        """An active operator (with a password hash no password matches)."""
        return await self.s.operators.add(
            email=email or f"operator{next(_names)}@example.com",
            name=name,
            password_hash="$argon2id$not-a-hash",
            language=Language.EN,
            now=self.s.clock.now(),
        )

    async def qualification(
        self,
        tenant_id: int,
        company_name: str = "腾讯科技（深圳）有限公司",
        *,
        status: ReviewStatus = ReviewStatus.PENDING,
    ) -> Qualification:
        """A submission with its licence document, in `status` (decided through the store)."""
        licence = await self.document(tenant_id, DocumentPurpose.LICENCE)
        qualification = await self.s.qualifications.add(
            tenant_id=tenant_id,
            company_name=company_name,
            credit_code="91440300708461136T",
            licence_document_id=licence.id,
            contact_name="张三",
            contact_phone="13800000000",
            now=self.s.clock.now(),
        )
        if status is ReviewStatus.PENDING:
            return qualification
        decided = await self.s.qualifications.decide(
            qualification_id=qualification.id,
            status=status,
            reply=_reply(status),
            operator_id=None,
            now=self.s.clock.now(),
        )
        assert decided is not None
        return decided

    # --- signatures, templates -------------------------------------------------------------------------

    async def signature(
        self,
        tenant_id: int,
        name: str = SIGN,
        *,
        international: bool = False,
        status: ReviewStatus = ReviewStatus.APPROVED,
        proof_document_id: int | None = None,
    ) -> Signature:
        """A company signature in `status`, added and decided through the store (no name checks)."""
        draft = SignatureDraft(
            name=name,
            international=international,
            sign_type=SignType.COMPANY,
            document_type=DocumentType.BUSINESS_LICENCE,
            sign_purpose=SignPurpose.OWN,
            proof_document_id=proof_document_id,
        )
        signature = await self.s.signatures.add(tenant_id=tenant_id, draft=draft, now=self.s.clock.now())
        if status is ReviewStatus.PENDING:
            return signature
        decided = await self.s.signatures.decide(
            signature_id=signature.id, status=status, reply=_reply(status), reviewer_id=None, now=self.s.clock.now()
        )
        assert decided is not None
        return decided

    async def template(
        self,
        tenant_id: int,
        content: str = TEMPLATE,
        *,
        sms_type: SmsType = SmsType.NOTIFICATION,
        international: bool = False,
        status: ReviewStatus = ReviewStatus.APPROVED,
        name: str | None = None,
    ) -> Template:
        """A template in `status`, added and decided through the store (no content checks)."""
        draft = TemplateDraft(
            name=name or f"template {next(_names)}", content=content, sms_type=sms_type, international=international
        )
        template = await self.s.templates.add(tenant_id=tenant_id, draft=draft, now=self.s.clock.now())
        if status is ReviewStatus.PENDING:
            return template
        decided = await self.s.templates.decide(
            template_id=template.id, status=status, reply=_reply(status), reviewer_id=None, now=self.s.clock.now()
        )
        assert decided is not None
        return decided

    # --- carriers, routes ---------------------------------------------------------------------------------

    async def carrier(
        self, name: str | None = None, *, enabled: bool = True, password: str = CARRIER_PASSWORD, binds: int = 1
    ) -> Carrier:
        settings = carrier_settings(
            name=name or f"carrier {next(_names)}",
            host="127.0.0.1",
            system_id="smscloud",
            password=password,
            tps=0,
            binds=binds,
            enabled=enabled,
        )
        return await self.s.carriers.save(settings, now=self.s.clock.now())

    async def route(self, carrier_id: int, prefix: str = "", *, priority: int = 0) -> None:
        await self.s.carriers.ensure_route(prefix=prefix, carrier_id=carrier_id, priority=priority)

    async def sender(
        self,
        name: str | None = None,
        *,
        kind: TenantKind = TenantKind.ENTERPRISE,
        route_prefix: str | None = "",
    ) -> Sender:
        """A tenant with everything a send needs; its carrier is routed `route_prefix` (None: no route)."""
        tenant = await self.tenant(name, kind=kind)
        key = await self.api_key(tenant.id)
        app = await self.app(tenant.id)
        signature = await self.signature(tenant.id)
        template = await self.template(tenant.id)
        carrier = await self.carrier()
        if route_prefix is not None:
            await self.route(carrier.id, route_prefix)
        return Sender(tenant, key, app, signature, template, carrier)

    # --- state changes without a store method yet ---------------------------------------------------------

    async def _update(self, table: Any, row_id: int, **values: Any) -> None:
        def job(conn: Connection) -> None:
            conn.execute(update(table).where(table.c.id == row_id).values(**values))

        await self.s.db.write(job)

    async def disable_app(self, app_id: int) -> None:
        await self._update(tables.application, app_id, status=AppStatus.DISABLED.value)

    async def disable_key(self, key_id: int) -> None:
        await self._update(tables.api_key, key_id, status="disabled")

    async def suspend_tenant(self, tenant_id: int) -> None:
        await self._update(tables.tenant, tenant_id, status="suspended")

    async def disable_routes(self, carrier_id: int) -> None:
        def job(conn: Connection) -> None:
            conn.execute(update(tables.route).where(tables.route.c.carrier_id == carrier_id).values(enabled=False))

        await self.s.db.write(job)

    # --- messages -------------------------------------------------------------------------------------------

    def new_message(
        self,
        sender: Sender,
        *,
        phone: str = "+8613711112222",
        content: str = "【腾讯云】您的订单A1已发货。",
        segments: int = 1,
        created_at: datetime | None = None,
        carrier_id: int | None = None,
        session_context: str = "",
        serial_no: str | None = None,
        extend_code: str = "",
    ) -> NewMessage:
        created = created_at or self.s.clock.now()
        return NewMessage(
            serial_no=serial_no or new_serial_no(created),
            request_id="req-builder",
            tenant_id=sender.tenant.id,
            app_id=sender.app.id,
            phone=phone,
            country_code="86" if phone.startswith("+86") else "1",
            iso_code="CN" if phone.startswith("+86") else "US",
            international=not phone.startswith("+86"),
            sign_name=sender.signature.name,
            template_id=sender.template.id,
            sms_type=int(sender.template.sms_type),
            content=content,
            alphabet="ucs2",
            segments=segments,
            session_context=session_context,
            extend_code=extend_code,
            sender_id="",
            carrier_id=carrier_id if carrier_id is not None else sender.carrier.id,
            created_at=created,
        )

    async def add_messages(self, sender: Sender, count: int = 1, **fields: Any) -> list[NewMessage]:
        """`count` queued messages, stored in one `add` (as one SendSms does)."""
        messages = [self.new_message(sender, **fields) for _ in range(count)]
        await self.s.messages.add(messages)
        return messages

    async def deliver(
        self,
        carrier_id: int,
        messages: Sequence[NewMessage],
        *,
        stat: str = "DELIVRD",
        now: datetime | None = None,
    ) -> None:
        """Claim, submit and receipt `messages`: they end final and reportable.

        They must be exactly the queued, due messages of `carrier_id`. The carrier message id of each is
        ``"cm-" + serial_no``.
        """
        at = now or self.s.clock.now()
        claimed = await self.s.queue.claim(carrier_id=carrier_id, slot="builder", limit=10_000, now=at)
        assert {m.serial_no for m in claimed} == {m.serial_no for m in messages}, "deliver: other queued rows"
        mine = claimed
        await self.s.queue.record(
            [Submitted(m.id, (f"cm-{m.serial_no}",)) for m in mine], carrier_id=carrier_id, now=at
        )
        status = status_from_receipt(stat)
        assert status is not None
        await self.s.receipts.apply(
            [Receipt(carrier_id, f"cm-{m.serial_no}", status, stat, "000", at) for m in mine], now=at
        )


def _reply(status: ReviewStatus) -> str:
    return "rejected by the builder" if status is ReviewStatus.REJECTED else ""


async def table_row(db: Database, table: Any, row_id: int) -> Any:
    """The row of `table` with this id (all columns), or None: for checking what a store wrote."""

    def job(conn: Connection) -> Any:
        return conn.execute(select(table).where(table.c.id == row_id)).first()

    return await db.read(job)


async def message_row(db: Database, serial_no: str) -> Any:
    """The message row with this SerialNo (all columns)."""

    def job(conn: Connection) -> Any:
        return conn.execute(select(tables.message).where(tables.message.c.serial_no == serial_no)).one()

    return await db.read(job)


async def part_rows(db: Database, message_id: int) -> list[Any]:
    def job(conn: Connection) -> list[Any]:
        p = tables.message_part
        return list(conn.execute(select(p).where(p.c.message_id == message_id).order_by(p.c.part_no)).all())

    return await db.read(job)
