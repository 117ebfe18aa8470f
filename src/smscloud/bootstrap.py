"""The composition root: builds each process role's object graph from `Settings`.

Nothing else in smscloud chooses implementations. Entry points ask this module for a
`Platform` (storage, catalog, stores, parser, clock) and for the pieces of their role (the ASGI
app, the carrier manager, the simulator).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy.engine import make_url
from starlette.routing import BaseRoute

from smscloud.adapters.carriers.manager import CarrierManager
from smscloud.adapters.carriers.sender import SenderPolicy
from smscloud.adapters.carriers.wakeups import Doorbell, InProcessSignal, doorbell_address
from smscloud.adapters.console.app import build_console
from smscloud.adapters.console.context import ConsoleOptions, ConsoleServices
from smscloud.adapters.crypto.fernet_box import FernetBox, load_or_create_key_file
from smscloud.adapters.crypto.passwords import Argon2Hasher
from smscloud.adapters.http.health import health_routes
from smscloud.adapters.http.legacy_v5.api import V5Api
from smscloud.adapters.http.legacy_v5.app import V5Asgi
from smscloud.adapters.http.legacy_v5.context import V5Services
from smscloud.adapters.http.metrics import metrics_routes
from smscloud.adapters.http.tencent_v3.api import TencentApi
from smscloud.adapters.http.tencent_v3.app import TencentAsgi
from smscloud.adapters.http.tencent_v3.context import ApiServices, ContentServices
from smscloud.adapters.phone.parser import LibPhoneNumberParser
from smscloud.adapters.storage.accounts import SqlAccountStore
from smscloud.adapters.storage.apps import SqlAppStore
from smscloud.adapters.storage.audit import SqlAuditLog
from smscloud.adapters.storage.backlog import SqlBacklog
from smscloud.adapters.storage.binds import SqlBindReports
from smscloud.adapters.storage.carriers import SqlCarrierStore
from smscloud.adapters.storage.catalog import SqlCatalog
from smscloud.adapters.storage.database import Database, database_answers, open_database
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
from smscloud.adapters.storage.leases import FileLeases, PostgresLeases
from smscloud.adapters.storage.mail_outbox import SqlOutbox
from smscloud.adapters.storage.messages import SqlMessageStore, SqlReportStore
from smscloud.adapters.storage.migrate import upgrade
from smscloud.adapters.storage.qualifications import SqlQualificationStore
from smscloud.adapters.storage.receipts import SqlReceiptStore
from smscloud.adapters.storage.replies import SqlReplyStore
from smscloud.adapters.storage.signatures import SqlSignatureStore
from smscloud.adapters.storage.templates import SqlTemplateStore
from smscloud.adapters.storage.two_step import SqlTwoStepStore
from smscloud.config import Settings
from smscloud.domain.carriers.model import Carrier
from smscloud.domain.carriers.ports import LeaseManager
from smscloud.domain.carriers.rules import SIMULATOR_CARRIER
from smscloud.domain.identity.ports import PasswordHasher
from smscloud.domain.identity.service import Identity, SessionPolicy
from smscloud.domain.messages.ports import DispatchSignal
from smscloud.domain.notifications.model import Mail
from smscloud.domain.notifications.ports import Outbox
from smscloud.domain.reviews.service import Reviews
from smscloud.domain.shared.clock import Clock, SystemClock

__all__ = [
    "SIMULATOR_CARRIER",
    "Platform",
    "api_services",
    "build_asgi_app",
    "build_carrier_manager",
    "connector_doorbell",
    "console_options",
    "console_services",
    "ensure_simulator_carrier",
    "open_platform",
    "secret_keys",
    "v5_services",
]


@dataclass(slots=True)
class Platform:
    settings: Settings
    db: Database
    clock: Clock
    box: FernetBox
    catalog: SqlCatalog
    parser: LibPhoneNumberParser
    messages: SqlMessageStore
    queue: SqlDispatchQueue
    receipts: SqlReceiptStore
    reports: SqlReportStore
    replies: SqlReplyStore
    accounts: SqlAccountStore
    apps: SqlAppStore
    signatures: SqlSignatureStore
    templates: SqlTemplateStore
    carriers: SqlCarrierStore
    signal: InProcessSignal
    leases: LeaseManager
    documents: SqlDocumentStore
    qualifications: SqlQualificationStore
    users: SqlUserStore
    operators: SqlOperatorStore
    sessions: SqlSessionStore
    tokens: SqlTokenStore
    login_failures: SqlLoginFailures
    audit: SqlAuditLog
    history: SqlMessageHistory
    backlog: SqlBacklog
    binds: SqlBindReports
    outbox: SqlOutbox
    identity: Identity
    reviews: Reviews
    # Where use cases put mail: the outbox, telling the mail sender.
    notifications: Outbox
    # Called after mail is put in the outbox (the mail sender's wake, where one runs).
    mail_listeners: list[Callable[[], None]] = field(default_factory=list)

    async def close(self) -> None:
        await self.db.close()


@dataclass(slots=True)
class _NotifyingOutbox:
    """The outbox, telling the mail sender (if one runs here) that there is mail to send now."""

    outbox: SqlOutbox
    listeners: list[Callable[[], None]]

    async def put(self, mail: Mail, *, now: datetime) -> int:
        mail_id = await self.outbox.put(mail, now=now)
        for listener in self.listeners:
            listener()
        return mail_id


def secret_keys(settings: Settings) -> list[str]:
    """The Fernet keys: from settings, or a key file in the data directory (created once)."""
    if settings.secret_keys:
        return list(settings.secret_keys)
    return load_or_create_key_file(settings.data_path / "secret.key")


def _leases(settings: Settings) -> LeaseManager:
    url = make_url(settings.database_url)
    if url.get_backend_name() == "postgresql":
        return PostgresLeases(url.set(drivername="postgresql").render_as_string(hide_password=False))
    return FileLeases(settings.data_path / "leases")


async def open_platform(
    settings: Settings,
    *,
    migrate: bool = True,
    clock: Clock | None = None,
    hasher: PasswordHasher | None = None,
) -> Platform:
    """Open the database (migrating it to the newest schema first) and build the stores and use cases.

    `hasher` defaults to Argon2id with argon2-cffi's costs; tests pass a cheap one.
    """
    if make_url(settings.database_url).get_backend_name() == "sqlite":
        Path(settings.data_path).mkdir(parents=True, exist_ok=True)
    if migrate:
        await upgrade(settings.database_url)
    db = open_database(
        settings.database_url,
        sqlite_synchronous=settings.db.sqlite_synchronous,
        pool_size=settings.db.pool_size,
    )
    box = FernetBox(secret_keys(settings))
    clock = clock or SystemClock()
    catalog = SqlCatalog(db, box)
    accounts = SqlAccountStore(db, box)
    signatures = SqlSignatureStore(db)
    templates = SqlTemplateStore(db)
    users = SqlUserStore(db)
    qualifications = SqlQualificationStore(db)
    audit = SqlAuditLog(db)
    outbox = SqlOutbox(db, deliver=settings.mail.smtp_host is not None)
    listeners: list[Callable[[], None]] = []
    notifying = _NotifyingOutbox(outbox, listeners)
    operators = SqlOperatorStore(db)
    sessions = SqlSessionStore(db)
    tokens = SqlTokenStore(db)
    failures = SqlLoginFailures(db)
    identity = Identity(
        users=users,
        operators=operators,
        sessions=sessions,
        tokens=tokens,
        failures=failures,
        accounts=accounts,
        outbox=notifying,
        hasher=hasher or Argon2Hasher(),
        clock=clock,
        console_url=settings.console_url,
        two_step=SqlTwoStepStore(db, box),
        session_policy=SessionPolicy(
            idle=timedelta(seconds=settings.console.session_idle_s),
            max_age=timedelta(seconds=settings.console.session_max_age_s),
        ),
    )
    reviews = Reviews(
        qualifications=qualifications,
        signatures=signatures,
        templates=templates,
        users=users,
        outbox=notifying,
        clock=clock,
        console_url=settings.console_url,
        changed=catalog.invalidate,
    )
    return Platform(
        settings=settings,
        db=db,
        clock=clock,
        box=box,
        catalog=catalog,
        parser=LibPhoneNumberParser(),
        messages=SqlMessageStore(db),
        queue=SqlDispatchQueue(db),
        receipts=SqlReceiptStore(db),
        reports=SqlReportStore(db),
        replies=SqlReplyStore(db),
        accounts=accounts,
        apps=SqlAppStore(db, box),
        signatures=signatures,
        templates=templates,
        carriers=SqlCarrierStore(db, box),
        signal=InProcessSignal(),
        leases=_leases(settings),
        documents=SqlDocumentStore(db),
        qualifications=qualifications,
        users=users,
        operators=operators,
        sessions=sessions,
        tokens=tokens,
        login_failures=failures,
        audit=audit,
        history=SqlMessageHistory(db),
        backlog=SqlBacklog(db),
        binds=SqlBindReports(db),
        outbox=outbox,
        identity=identity,
        reviews=reviews,
        notifications=notifying,
        mail_listeners=listeners,
    )


def api_services(platform: Platform, *, signal: DispatchSignal | None = None) -> ApiServices:
    """The API's services; `signal` wakes the senders (in this process unless given)."""
    return ApiServices(
        credentials=platform.catalog,
        catalog=platform.catalog,
        messages=platform.messages,
        signal=signal or platform.signal,
        reports=platform.reports,
        parser=platform.parser,
        clock=platform.clock,
        replies=platform.replies,
        content=ContentServices(
            signatures=platform.signatures,
            templates=platform.templates,
            documents=platform.documents,
            qualifications=platform.qualifications,
            changed=platform.catalog.invalidate,
        ),
    )


def v5_services(platform: Platform, *, signal: DispatchSignal | None = None) -> V5Services:
    """The legacy v5 API's services: the same send path as API 3.0's, keyed by the AppKey."""
    return V5Services(
        catalog=platform.catalog,
        messages=platform.messages,
        signal=signal or platform.signal,
        reports=platform.reports,
        parser=platform.parser,
        clock=platform.clock,
        replies=platform.replies,
        templates=platform.templates,
        signatures=platform.signatures,
    )


def console_services(platform: Platform, *, signal: DispatchSignal | None = None) -> ConsoleServices:
    return ConsoleServices(
        identity=platform.identity,
        reviews=platform.reviews,
        users=platform.users,
        operators=platform.operators,
        accounts=platform.accounts,
        apps=platform.apps,
        signatures=platform.signatures,
        templates=platform.templates,
        documents=platform.documents,
        qualifications=platform.qualifications,
        audit=platform.audit,
        mail=platform.outbox,
        notifications=platform.notifications,
        history=platform.history,
        replies=platform.replies,
        backlog=platform.backlog,
        binds=platform.binds,
        carriers=platform.carriers,
        catalog=platform.catalog,
        messages=platform.messages,
        signal=signal or platform.signal,
        parser=platform.parser,
        clock=platform.clock,
        changed=platform.catalog.invalidate,
    )


def console_options(settings: Settings) -> ConsoleOptions:
    return ConsoleOptions(
        default_language=settings.console.default_language,
        secure_cookies=settings.console.secure_cookies,
        max_upload_bytes=settings.console.max_upload_bytes,
        api_endpoint=settings.public_endpoint,
        smtp_configured=settings.mail.smtp_host is not None,
        console_url=settings.console_url,
        operators_need_two_step=settings.console.operators_need_two_step,
    )


def build_asgi_app(
    platform: Platform, *, signal: DispatchSignal | None = None, extra_routes: list[BaseRoute] | None = None
) -> TencentAsgi:
    """The API 3.0 on `/`, the legacy v5 API under `/v5/`; the console (/console, /operator), the
    health checks (/healthz, /readyz) and `extra_routes` on every other path."""
    api = TencentApi(api_services(platform, signal=signal))
    routes = [
        *health_routes(lambda: database_answers(platform.db)),
        *metrics_routes(
            lambda: platform.backlog.per_carrier(now=platform.clock.now()), allowed=platform.settings.api.metrics_allow
        ),
        *(extra_routes or []),
    ]
    console = build_console(
        console_services(platform, signal=signal), console_options(platform.settings), extra_routes=routes
    )
    return TencentAsgi(api, V5Asgi(V5Api(v5_services(platform, signal=signal)), console))


def connector_doorbell(settings: Settings) -> Doorbell:
    """The wake-up an API process rings after storing messages: every connector process's."""
    return Doorbell(*(doorbell_address(settings.database_url, i) for i in range(settings.dispatch.connector_processes)))


def build_carrier_manager(platform: Platform, *, process_index: int = 0) -> CarrierManager:
    dispatch = platform.settings.dispatch
    policy = SenderPolicy(
        claim_batch=dispatch.claim_batch,
        poll_interval_s=dispatch.poll_interval_s,
        max_attempts=dispatch.max_attempts,
        retry_base_s=dispatch.retry_base_s,
        retry_cap_s=dispatch.retry_cap_s,
    )
    return CarrierManager(
        queue=platform.queue,
        receipts=platform.receipts,
        leases=platform.leases,
        signal=platform.signal,
        clock=platform.clock,
        policy=policy,
        process_index=process_index,
        process_count=dispatch.connector_processes,
        reports=platform.binds,
    )


async def ensure_simulator_carrier(platform: Platform) -> Carrier:
    """The simulator as a carrier (created or updated from settings), routed to when no route exists."""
    sim = platform.settings.simulator
    carrier = await platform.carriers.save(
        Carrier(
            id=0,
            name=SIMULATOR_CARRIER,
            protocol="smpp",
            host=sim.host,
            port=sim.port,
            system_id=sim.system_id,
            password=sim.password,
            system_type="",
            source_addr="106900",
            window=sim.window,
            tps=0,
            binds=sim.binds,
            enabled=True,
        ),
        now=platform.clock.now(),
    )
    if not await platform.catalog.routes():
        await platform.carriers.ensure_route(prefix="", carrier_id=carrier.id)
        platform.catalog.invalidate()
    return carrier
