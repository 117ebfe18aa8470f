"""Lookups on the send path (keys, tenants, applications, templates, signatures, routes).

Every SendSms needs the caller's key, tenant, application, template and signature. Reading
them from the database on each request would cost a thread hop each, so they are cached for a
short time (`ttl_s`, 2 s by default): an approval, a disabled key or a rotated AppKey takes
effect everywhere within that time, and at once in the process that made the change, which
calls `invalidate()`. Misses are not cached, so something created a moment ago (by
`smscloud demo` in another process, say) is found at once.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

from sqlalchemy import Connection, select

from smscloud.adapters.storage import mappers, tables
from smscloud.adapters.storage.database import Database
from smscloud.domain.accounts.model import ApiKey, Tenant
from smscloud.domain.apps.model import Application
from smscloud.domain.messages.routing import Route
from smscloud.domain.shared.secrets import SecretBox
from smscloud.domain.signatures.model import Signature
from smscloud.domain.templates.model import Template

__all__ = ["SqlCatalog"]

T = TypeVar("T")


def _storable(key: str) -> bool:
    """Whether a text key could be in the database at all: PostgreSQL's text cannot hold NUL and
    refuses to compare with it (an error, not "no row"), so a key with NUL names nothing."""
    return "\x00" not in key


class _TtlCache:
    """Entries live `ttl_s`; concurrent misses of one key share a single load (no stampede)."""

    def __init__(self, ttl_s: float) -> None:
        self._ttl = ttl_s
        self._entries: dict[tuple[Any, ...], tuple[float, Any]] = {}
        self._loading: dict[tuple[Any, ...], asyncio.Future[Any]] = {}
        self._generation = 0

    async def get(self, key: tuple[Any, ...], load: Callable[[], Awaitable[T | None]]) -> T | None:
        hit = self._entries.get(key)
        if hit is not None and hit[0] > time.monotonic():
            value: T = hit[1]
            return value
        loading = self._loading.get(key)
        if loading is not None:
            shared: T | None = await asyncio.shield(loading)
            return shared
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._loading[key] = future
        generation = self._generation
        try:
            loaded = await load()
        except BaseException as error:
            future.set_exception(error)
            future.exception()  # retrieved: the waiters (if any) re-raise it
            raise
        finally:
            if self._loading.get(key) is future:
                del self._loading[key]
        future.set_result(loaded)
        if loaded is not None and generation == self._generation:
            if len(self._entries) > 50_000:
                self._entries.clear()
            self._entries[key] = (time.monotonic() + self._ttl, loaded)
        elif loaded is None:
            self._entries.pop(key, None)
        return loaded

    def clear(self) -> None:
        self._generation += 1
        self._entries.clear()
        self._loading.clear()


class SqlCatalog:
    """Implements `Catalog` (messages) and `Credentials` (accounts) over the database."""

    def __init__(self, db: Database, box: SecretBox, *, ttl_s: float = 2.0) -> None:
        self._db = db
        self._box = box
        self._cache = _TtlCache(ttl_s)

    def invalidate(self) -> None:
        self._cache.clear()

    async def api_key(self, secret_id: str) -> ApiKey | None:
        if not _storable(secret_id):
            return None

        def load(conn: Connection) -> ApiKey | None:
            row = conn.execute(select(tables.api_key).where(tables.api_key.c.secret_id == secret_id)).first()
            return None if row is None else mappers.to_api_key(row, self._box)

        return await self._cache.get(("api_key", secret_id), lambda: self._db.read(load))

    async def tenant(self, tenant_id: int) -> Tenant | None:
        def load(conn: Connection) -> Tenant | None:
            row = conn.execute(select(tables.tenant).where(tables.tenant.c.id == tenant_id)).first()
            return None if row is None else mappers.to_tenant(row)

        return await self._cache.get(("tenant", tenant_id), lambda: self._db.read(load))

    async def application(self, sdk_app_id: str) -> Application | None:
        if not _storable(sdk_app_id):
            return None

        def load(conn: Connection) -> Application | None:
            row = conn.execute(select(tables.application).where(tables.application.c.sdk_app_id == sdk_app_id)).first()
            return None if row is None else mappers.to_application(row, self._box)

        return await self._cache.get(("application", sdk_app_id), lambda: self._db.read(load))

    async def template(self, template_id: int) -> Template | None:
        def load(conn: Connection) -> Template | None:
            t = tables.template
            row = conn.execute(select(t).where(t.c.id == template_id, t.c.deleted_at.is_(None))).first()
            return None if row is None else mappers.to_template(row)

        return await self._cache.get(("template", template_id), lambda: self._db.read(load))

    async def signature(self, tenant_id: int, name: str, international: bool) -> Signature | None:
        if not _storable(name):
            return None

        def load(conn: Connection) -> Signature | None:
            s = tables.signature
            rows = conn.execute(
                select(s)
                .where(
                    s.c.tenant_id == tenant_id,
                    s.c.name == name,
                    s.c.international == international,
                    s.c.deleted_at.is_(None),
                )
                .order_by(s.c.id)
            ).all()
            signatures = [mappers.to_signature(row) for row in rows]
            # An approved one wins over a newer pending or rejected request of the same name.
            approved = [sig for sig in signatures if sig.status.usable]
            candidates = approved or signatures
            return candidates[0] if candidates else None

        return await self._cache.get(("signature", tenant_id, name, international), lambda: self._db.read(load))

    async def routes(self) -> Sequence[Route]:
        def load(conn: Connection) -> tuple[Route, ...]:
            r, c = tables.route, tables.carrier
            rows = conn.execute(
                select(r.c.prefix, r.c.carrier_id, r.c.priority)
                .join(c, c.c.id == r.c.carrier_id)
                .where(r.c.enabled.is_(True), c.c.enabled.is_(True))
            ).all()
            return tuple(Route(prefix=row.prefix, carrier_id=row.carrier_id, priority=row.priority) for row in rows)

        routes = await self._cache.get(("routes",), lambda: self._db.read(load))
        return routes or ()
