"""The composition root: builds each process role's object graph from `Settings`.

Nothing else in smscloud chooses implementations. Entry points ask this module for a
`Platform` (storage, catalog, stores, parser, clock) and for the pieces of their role (the ASGI
app, the carrier manager, the simulator).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url
from starlette.applications import Starlette
from starlette.routing import BaseRoute

from smscloud.adapters.carriers.manager import CarrierManager
from smscloud.adapters.carriers.sender import SenderPolicy
from smscloud.adapters.carriers.wakeups import InProcessSignal
from smscloud.adapters.crypto.fernet_box import FernetBox, load_or_create_key_file
from smscloud.adapters.http.tencent_v3.api import TencentApi
from smscloud.adapters.http.tencent_v3.app import TencentAsgi
from smscloud.adapters.http.tencent_v3.context import ApiServices
from smscloud.adapters.phone.parser import LibPhoneNumberParser
from smscloud.adapters.storage.accounts import SqlAccountStore
from smscloud.adapters.storage.apps import SqlAppStore
from smscloud.adapters.storage.carriers import SqlCarrierStore
from smscloud.adapters.storage.catalog import SqlCatalog
from smscloud.adapters.storage.database import Database, open_database
from smscloud.adapters.storage.dispatch_queue import SqlDispatchQueue
from smscloud.adapters.storage.leases import InProcessLeases, PostgresLeases
from smscloud.adapters.storage.messages import SqlMessageStore, SqlReportStore
from smscloud.adapters.storage.migrate import upgrade
from smscloud.adapters.storage.receipts import SqlReceiptStore
from smscloud.adapters.storage.signatures import SqlSignatureStore
from smscloud.adapters.storage.templates import SqlTemplateStore
from smscloud.config import Settings
from smscloud.domain.carriers.model import Carrier
from smscloud.domain.carriers.ports import LeaseManager
from smscloud.domain.messages.ports import DispatchSignal
from smscloud.domain.shared.clock import Clock, SystemClock

__all__ = [
    "SIMULATOR_CARRIER",
    "Platform",
    "api_services",
    "build_asgi_app",
    "build_carrier_manager",
    "ensure_simulator_carrier",
    "open_platform",
    "secret_keys",
]

SIMULATOR_CARRIER = "simulator"


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
    accounts: SqlAccountStore
    apps: SqlAppStore
    signatures: SqlSignatureStore
    templates: SqlTemplateStore
    carriers: SqlCarrierStore
    signal: InProcessSignal
    leases: LeaseManager

    async def close(self) -> None:
        await self.db.close()


def secret_keys(settings: Settings) -> list[str]:
    """The Fernet keys: from settings, or a key file in the data directory (created once)."""
    if settings.secret_keys:
        return list(settings.secret_keys)
    return load_or_create_key_file(settings.data_path / "secret.key")


def _leases(settings: Settings) -> LeaseManager:
    url = make_url(settings.database_url)
    if url.get_backend_name() == "postgresql":
        return PostgresLeases(url.set(drivername="postgresql").render_as_string(hide_password=False))
    return InProcessLeases()


async def open_platform(settings: Settings, *, migrate: bool = True, clock: Clock | None = None) -> Platform:
    """Open the database (migrating it to the newest schema first) and build the stores."""
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
    return Platform(
        settings=settings,
        db=db,
        clock=clock or SystemClock(),
        box=box,
        catalog=SqlCatalog(db, box),
        parser=LibPhoneNumberParser(),
        messages=SqlMessageStore(db),
        queue=SqlDispatchQueue(db),
        receipts=SqlReceiptStore(db),
        reports=SqlReportStore(db),
        accounts=SqlAccountStore(db, box),
        apps=SqlAppStore(db, box),
        signatures=SqlSignatureStore(db),
        templates=SqlTemplateStore(db),
        carriers=SqlCarrierStore(db, box),
        signal=InProcessSignal(),
        leases=_leases(settings),
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
    )


def build_asgi_app(
    platform: Platform, *, signal: DispatchSignal | None = None, extra_routes: list[BaseRoute] | None = None
) -> TencentAsgi:
    """The API 3.0 on `/`, and a Starlette application for every other path."""
    api = TencentApi(api_services(platform, signal=signal))
    return TencentAsgi(api, Starlette(routes=list(extra_routes or [])))


def build_carrier_manager(platform: Platform) -> CarrierManager:
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
