"""Test data through the real stores: tenants, keys, applications, signatures, templates, carriers,
routes and messages, on the database of the `db` fixture.

::

    stores = make_stores(db)
    build = Builder(stores)
    acme = await build.sender()  # tenant, key, app, approved sign and template, carrier, route
    messages = await build.add_messages(acme, 3)      # queued rows
    await build.deliver(acme.carrier.id, messages)    # claimed, submitted, receipted: final and reportable

Everything goes through the stores and the domain services, as the platform itself does. The few
changes the platform has no store method for yet (disabling an application or a key, suspending a
tenant, disabling a route) are plain UPDATEs, kept here so tests do not write SQL of their own.
"""

from __future__ import annotations

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
from smscloud.adapters.storage.carriers import SqlCarrierStore
from smscloud.adapters.storage.catalog import SqlCatalog
from smscloud.adapters.storage.database import Database
from smscloud.adapters.storage.dispatch_queue import SqlDispatchQueue
from smscloud.adapters.storage.messages import SqlMessageStore, SqlReportStore
from smscloud.adapters.storage.receipts import SqlReceiptStore
from smscloud.adapters.storage.signatures import SqlSignatureStore
from smscloud.adapters.storage.templates import SqlTemplateStore
from smscloud.domain.accounts.model import ApiKey, Tenant, TenantKind
from smscloud.domain.accounts.service import create_tenant, issue_api_key
from smscloud.domain.apps.model import Application
from smscloud.domain.apps.service import create_application
from smscloud.domain.carriers.model import Carrier
from smscloud.domain.messages.dispatch import Submitted
from smscloud.domain.messages.model import NewMessage
from smscloud.domain.messages.receipts import Receipt, status_from_receipt
from smscloud.domain.messages.serials import new_serial_no
from smscloud.domain.shared.clock import FixedClock
from smscloud.domain.shared.review import ReviewStatus
from smscloud.domain.signatures.model import Signature
from smscloud.domain.signatures.service import review_signature, submit_signature
from smscloud.domain.templates.model import SmsType, Template
from smscloud.domain.templates.service import review_template, submit_template

__all__ = ["NOW", "Builder", "Sender", "Stores", "make_stores", "message_row", "part_rows"]

# 12:00 in Asia/Shanghai.
NOW = datetime(2026, 3, 10, 4, 0, tzinfo=UTC)
SIGN = "腾讯云"
TEMPLATE = "您的订单{1}已发货。"
CARRIER_PASSWORD = "pw"


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


def make_stores(db: Database, *, now: datetime = NOW, catalog_ttl_s: float = 2.0) -> Stores:
    """Every store over `db`, as `bootstrap.open_platform` wires them, with a fixed clock."""
    box = FernetBox([Fernet.generate_key().decode()])
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
        return await create_application(store=self.s.apps, clock=self.s.clock, tenant_id=tenant_id, name=name)

    # --- signatures, templates -------------------------------------------------------------------------

    async def signature(
        self,
        tenant_id: int,
        name: str = SIGN,
        *,
        international: bool = False,
        status: ReviewStatus = ReviewStatus.APPROVED,
    ) -> Signature:
        signature = await submit_signature(
            store=self.s.signatures,
            clock=self.s.clock,
            tenant_id=tenant_id,
            name=name,
            international=international,
        )
        if status is ReviewStatus.PENDING:
            return signature
        return await review_signature(
            store=self.s.signatures,
            clock=self.s.clock,
            signature_id=signature.id,
            approve=status is ReviewStatus.APPROVED,
        )

    async def template(
        self,
        tenant_id: int,
        content: str = TEMPLATE,
        *,
        sms_type: SmsType = SmsType.NOTIFICATION,
        international: bool = False,
        status: ReviewStatus = ReviewStatus.APPROVED,
    ) -> Template:
        template = await submit_template(
            store=self.s.templates,
            clock=self.s.clock,
            tenant_id=tenant_id,
            name=f"template {next(_names)}",
            content=content,
            sms_type=sms_type,
            international=international,
        )
        if status is ReviewStatus.PENDING:
            return template
        return await review_template(
            store=self.s.templates,
            clock=self.s.clock,
            template_id=template.id,
            approve=status is ReviewStatus.APPROVED,
        )

    # --- carriers, routes ---------------------------------------------------------------------------------

    async def carrier(
        self, name: str | None = None, *, enabled: bool = True, password: str = CARRIER_PASSWORD
    ) -> Carrier:
        return await self.s.carriers.save(
            Carrier(
                id=0,
                name=name or f"carrier {next(_names)}",
                protocol="smpp",
                host="127.0.0.1",
                port=2775,
                system_id="smscloud",
                password=password,
                system_type="",
                source_addr="106900",
                window=10,
                tps=0,
                binds=1,
                enabled=enabled,
            ),
            now=self.s.clock.now(),
        )

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
        await self._update(tables.application, app_id, status="disabled")

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
            extend_code="",
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
