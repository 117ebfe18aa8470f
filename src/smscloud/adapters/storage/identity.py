"""Console users, operators, sessions, one-time tokens and failed logins.

E-mail addresses are unique per table (a unique index): adding a second user or operator with an
address raises `EmailTaken`, whether the job's own check sees the first one or, when two adds
race on PostgreSQL, the index refuses the second.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Connection, Table, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from smscloud.adapters.storage import mappers, tables
from smscloud.adapters.storage.audit import add_audit_entry
from smscloud.adapters.storage.database import Database
from smscloud.domain.audit.model import AuditNote
from smscloud.domain.identity.errors import EmailTaken
from smscloud.domain.identity.model import (
    ConsoleSession,
    Language,
    Operator,
    OperatorStatus,
    TokenPurpose,
    User,
    UserRole,
    UserStatus,
)
from smscloud.domain.identity.rules import FailureCounts
from smscloud.domain.shared.errors import NotFound

__all__ = ["FAILURES_KEPT", "SqlLoginFailures", "SqlOperatorStore", "SqlSessionStore", "SqlTokenStore", "SqlUserStore"]

# Failed logins older than this are deleted as new ones are recorded: throttling looks back minutes.
FAILURES_KEPT = timedelta(days=1)
# How many of the oldest failures each `record` looks at to prune (bounded work per failed login).
_PRUNE_BATCH = 100

_u = tables.user_account
_o = tables.operator
_cs = tables.console_session
_at = tables.auth_token
_lf = tables.login_failure


def _insert_with_email(conn: Connection, table: Table, values: dict[str, Any]) -> Any:
    """Insert a row of a table with a unique `email`; EmailTaken if the address is there already."""
    email = values["email"]
    if conn.execute(select(table.c.id).where(table.c.email == email)).first() is not None:
        raise EmailTaken(f"{email} is registered already")
    try:
        return conn.execute(insert(table).values(values).returning(*table.c)).one()
    except IntegrityError as error:
        if "email" in str(error.orig).lower():
            raise EmailTaken(f"{email} is registered already") from error
        raise


class SqlUserStore:
    """`UserStore` over the user_account table."""

    def __init__(self, db: Database) -> None:
        self._db = db

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
        """A pending user. Raises EmailTaken when the address is registered already."""
        values = {
            "tenant_id": tenant_id,
            "email": email,
            "password_hash": password_hash,
            "role": role.value,
            "status": UserStatus.PENDING.value,
            "language": language.value,
            "created_at": now,
            "signup_ip": None if signup_ip is None else signup_ip[:45],
        }
        return mappers.to_user(await self._db.write(lambda conn: _insert_with_email(conn, _u, values)))

    async def signups_since(self, *, ip: str, since: datetime) -> list[datetime]:
        def job(conn: Connection) -> list[datetime]:
            query = select(_u.c.created_at).where(_u.c.signup_ip == ip[:45], _u.c.created_at > since)
            return [row.created_at for row in conn.execute(query.order_by(_u.c.created_at))]

        return await self._db.read(job)

    async def by_email(self, email: str) -> User | None:
        return await self._one(_u.c.email == email)

    async def by_id(self, user_id: int) -> User | None:
        return await self._one(_u.c.id == user_id)

    async def of_tenant(self, tenant_id: int) -> list[User]:
        def job(conn: Connection) -> list[User]:
            rows = conn.execute(select(_u).where(_u.c.tenant_id == tenant_id).order_by(_u.c.id)).all()
            return [mappers.to_user(row) for row in rows]

        return await self._db.read(job)

    async def activate(self, user_id: int, *, now: datetime) -> User:
        """A pending user becomes active; an active or disabled one is left as it is. Raises
        NotFound when there is no such user."""

        def job(conn: Connection) -> Any:
            conn.execute(
                update(_u)
                .where(_u.c.id == user_id, _u.c.status == UserStatus.PENDING.value)
                .values(status=UserStatus.ACTIVE.value, activated_at=now)
            )
            return conn.execute(select(_u).where(_u.c.id == user_id)).first()

        row = await self._db.write(job)
        if row is None:
            raise NotFound("user", user_id)
        return mappers.to_user(row)

    async def set_password(
        self,
        user_id: int,
        password_hash: str,
        *,
        sessions_end_at: datetime | None = None,
        keep_session: int | None = None,
    ) -> None:
        """With `sessions_end_at`, the user's live sessions but `keep_session` end then, in the
        same transaction as the new hash."""

        def job(conn: Connection) -> None:
            conn.execute(update(_u).where(_u.c.id == user_id).values(password_hash=password_hash))
            if sessions_end_at is not None:
                _end_sessions(conn, user_id=user_id, now=sessions_end_at, keep=keep_session)

        await self._db.write(job)

    async def set_language(self, user_id: int, language: Language) -> None:
        await self._set(user_id, language=language.value)

    async def record_login(self, user_id: int, *, now: datetime) -> None:
        await self._set(user_id, last_login_at=now)

    async def _set(self, user_id: int, **values: Any) -> None:
        def job(conn: Connection) -> None:
            conn.execute(update(_u).where(_u.c.id == user_id).values(**values))

        await self._db.write(job)

    async def _one(self, where: ColumnElement[bool]) -> User | None:
        def job(conn: Connection) -> User | None:
            row = conn.execute(select(_u).where(where)).first()
            return None if row is None else mappers.to_user(row)

        return await self._db.read(job)


class SqlOperatorStore:
    """`OperatorStore` over the operator table."""

    def __init__(self, db: Database) -> None:
        self._db = db

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
        """An active operator, recorded with `noted`. Raises EmailTaken when the address is
        registered already."""
        values = {
            "email": email,
            "name": name,
            "password_hash": password_hash,
            "status": OperatorStatus.ACTIVE.value,
            "language": language.value,
            "created_at": now,
        }

        def job(conn: Connection) -> Any:
            row = _insert_with_email(conn, _o, values)
            if noted is not None:
                add_audit_entry(conn, noted, subject_id=row.id)
            return row

        return mappers.to_operator(await self._db.write(job))

    async def by_email(self, email: str) -> Operator | None:
        return await self._one(_o.c.email == email)

    async def by_id(self, operator_id: int) -> Operator | None:
        return await self._one(_o.c.id == operator_id)

    async def count(self) -> int:
        def job(conn: Connection) -> int:
            return int(conn.execute(select(func.count()).select_from(_o)).scalar_one())

        return await self._db.read(job)

    async def all(self) -> list[Operator]:
        def job(conn: Connection) -> list[Operator]:
            return [mappers.to_operator(row) for row in conn.execute(select(_o).order_by(_o.c.id)).all()]

        return await self._db.read(job)

    async def set_password(
        self,
        operator_id: int,
        password_hash: str,
        *,
        noted: AuditNote | None = None,
        sessions_end_at: datetime | None = None,
    ) -> None:
        await self._set(operator_id, noted=noted, sessions_end_at=sessions_end_at, password_hash=password_hash)

    async def set_language(self, operator_id: int, language: Language) -> None:
        await self._set(operator_id, language=language.value)

    async def set_status(
        self,
        operator_id: int,
        status: OperatorStatus,
        *,
        noted: AuditNote | None = None,
        sessions_end_at: datetime | None = None,
    ) -> None:
        await self._set(operator_id, noted=noted, sessions_end_at=sessions_end_at, status=status.value)

    async def record_login(self, operator_id: int, *, now: datetime) -> None:
        await self._set(operator_id, last_login_at=now)

    async def _set(
        self,
        operator_id: int,
        *,
        noted: AuditNote | None = None,
        sessions_end_at: datetime | None = None,
        **values: Any,
    ) -> None:
        """Change the row, with `noted` and (from `sessions_end_at`) the end of the operator's
        sessions in the same transaction."""

        def job(conn: Connection) -> None:
            changed = conn.execute(update(_o).where(_o.c.id == operator_id).values(**values)).rowcount
            if changed and noted is not None:
                add_audit_entry(conn, noted)
            if sessions_end_at is not None:
                _end_sessions(conn, operator_id=operator_id, now=sessions_end_at)

        await self._db.write(job)

    async def _one(self, where: ColumnElement[bool]) -> Operator | None:
        def job(conn: Connection) -> Operator | None:
            row = conn.execute(select(_o).where(where)).first()
            return None if row is None else mappers.to_operator(row)

        return await self._db.read(job)


def _principal(user_id: int | None, operator_id: int | None) -> ColumnElement[bool]:
    """The WHERE clause for the sessions of one user or one operator (exactly one must be given)."""
    if (user_id is None) == (operator_id is None):
        raise ValueError("name exactly one of user_id and operator_id")
    if user_id is not None:
        return _cs.c.user_id == user_id
    return _cs.c.operator_id == operator_id


def _live(now: datetime) -> ColumnElement[bool]:
    """Not revoked and not past its lifetime. (Idleness is the domain's call: `ConsoleSession.alive`.)"""
    return _cs.c.revoked_at.is_(None) & (_cs.c.expires_at > now)


def _end_sessions(
    conn: Connection,
    *,
    user_id: int | None = None,
    operator_id: int | None = None,
    now: datetime,
    keep: int | None = None,
) -> int:
    """Revoke, at `now`, every live session of the user or operator except `keep`; returns how many.
    The one statement behind `SqlSessionStore.revoke_all` and the password and status changes
    that end sessions in their own transaction."""
    statement = update(_cs).where(_principal(user_id, operator_id), _live(now)).values(revoked_at=now)
    if keep is not None:
        statement = statement.where(_cs.c.id != keep)
    return int(conn.execute(statement).rowcount)


class SqlSessionStore:
    """`SessionStore` over the console_session table; sessions are found by the hash of their token."""

    def __init__(self, db: Database) -> None:
        self._db = db

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
        _principal(user_id, operator_id)  # a session belongs to exactly one principal
        values = {
            "token_hash": token_hash,
            "user_id": user_id,
            "operator_id": operator_id,
            "csrf_token": csrf_token,
            "created_at": now,
            "last_seen_at": now,
            "expires_at": expires_at,
            "ip": ip,
            "user_agent": user_agent,
        }

        def job(conn: Connection) -> Any:
            return conn.execute(insert(_cs).values(values).returning(*_cs.c)).one()

        return mappers.to_console_session(await self._db.write(job))

    async def by_token_hash(self, token_hash: str) -> ConsoleSession | None:
        """The session with this token hash, revoked and expired ones included."""

        def job(conn: Connection) -> ConsoleSession | None:
            row = conn.execute(select(_cs).where(_cs.c.token_hash == token_hash)).first()
            return None if row is None else mappers.to_console_session(row)

        return await self._db.read(job)

    async def touch(self, session_id: int, *, now: datetime) -> None:
        """Note activity on a session that is not revoked (the time only moves forward)."""

        def job(conn: Connection) -> None:
            conn.execute(
                update(_cs)
                .where(_cs.c.id == session_id, _cs.c.revoked_at.is_(None), _cs.c.last_seen_at < now)
                .values(last_seen_at=now)
            )

        await self._db.write(job)

    async def revoke(self, session_id: int, *, now: datetime) -> None:
        """End a session; revoking it again keeps the first time."""

        def job(conn: Connection) -> None:
            conn.execute(update(_cs).where(_cs.c.id == session_id, _cs.c.revoked_at.is_(None)).values(revoked_at=now))

        await self._db.write(job)

    async def revoke_all(
        self, *, user_id: int | None = None, operator_id: int | None = None, now: datetime, keep: int | None = None
    ) -> int:
        """Revoke every live session of the user or operator except `keep`; returns how many.
        Exactly one of `user_id` and `operator_id` must be given (ValueError otherwise)."""
        _principal(user_id, operator_id)  # refused before the job is queued

        def job(conn: Connection) -> int:
            return _end_sessions(conn, user_id=user_id, operator_id=operator_id, now=now, keep=keep)

        return await self._db.write(job)

    async def live_of(
        self, *, user_id: int | None = None, operator_id: int | None = None, now: datetime
    ) -> list[ConsoleSession]:
        """The unrevoked, unexpired sessions of the user or operator, oldest first. Exactly one of
        `user_id` and `operator_id` must be given (ValueError otherwise)."""
        whose = _principal(user_id, operator_id)

        def job(conn: Connection) -> list[ConsoleSession]:
            rows = conn.execute(select(_cs).where(whose, _live(now)).order_by(_cs.c.id)).all()
            return [mappers.to_console_session(row) for row in rows]

        return await self._db.read(job)


class SqlTokenStore:
    """`TokenStore` over the auth_token table: one-time activation and reset links, by hash."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def add(
        self, *, user_id: int, purpose: TokenPurpose, token_hash: str, now: datetime, expires_at: datetime
    ) -> None:
        values = {
            "user_id": user_id,
            "purpose": purpose.value,
            "token_hash": token_hash,
            "created_at": now,
            "expires_at": expires_at,
        }

        def job(conn: Connection) -> None:
            conn.execute(insert(_at).values(values))

        await self._db.write(job)

    async def consume(self, *, token_hash: str, purpose: TokenPurpose, now: datetime) -> int | None:
        """Mark an unused, unexpired token used and return its user id, atomically; None otherwise.

        One conditional UPDATE … RETURNING: of two requests with the same link, exactly one gets the
        user id, on either database."""

        def job(conn: Connection) -> int | None:
            user_id = conn.execute(
                update(_at)
                .where(
                    _at.c.token_hash == token_hash,
                    _at.c.purpose == purpose.value,
                    _at.c.used_at.is_(None),
                    _at.c.expires_at > now,
                )
                .values(used_at=now)
                .returning(_at.c.user_id)
            ).scalar_one_or_none()
            return None if user_id is None else int(user_id)

        return await self._db.write(job)

    async def peek(self, *, token_hash: str, purpose: TokenPurpose, now: datetime) -> int | None:
        def job(conn: Connection) -> int | None:
            user_id = conn.execute(
                select(_at.c.user_id).where(
                    _at.c.token_hash == token_hash,
                    _at.c.purpose == purpose.value,
                    _at.c.used_at.is_(None),
                    _at.c.expires_at > now,
                )
            ).scalar_one_or_none()
            return None if user_id is None else int(user_id)

        return await self._db.read(job)

    async def issued_since(self, *, user_id: int, purpose: TokenPurpose, since: datetime) -> list[datetime]:
        def job(conn: Connection) -> list[datetime]:
            rows = conn.execute(
                select(_at.c.created_at).where(
                    _at.c.user_id == user_id, _at.c.purpose == purpose.value, _at.c.created_at >= since
                )
            ).scalars()
            return list(rows)

        return await self._db.read(job)


class SqlLoginFailures:
    """`LoginFailures` over the login_failure table, pruned of rows older than `FAILURES_KEPT`."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def record(self, *, email: str, ip: str, now: datetime) -> None:
        """Note a failed login, and delete expired ones among the oldest `_PRUNE_BATCH` rows: rows
        are added in time order, so the oldest sit at the lowest ids, and looking only there keeps
        each failed login's work bounded however large an attack makes the table."""
        cutoff = now - FAILURES_KEPT

        def job(conn: Connection) -> None:
            conn.execute(insert(_lf).values(email=email, ip=ip, at=now))
            oldest = select(_lf.c.id).order_by(_lf.c.id).limit(_PRUNE_BATCH)
            conn.execute(delete(_lf).where(_lf.c.id.in_(oldest), _lf.c.at < cutoff))

        await self._db.write(job)

    async def count_since(self, *, email: str, ip: str, since: datetime) -> FailureCounts:
        """Failures since `since` (inclusive): for this e-mail, from this address, and both."""

        def job(conn: Connection) -> FailureCounts:
            def count(where: ColumnElement[bool]) -> Any:
                return select(func.count()).select_from(_lf).where(where, _lf.c.at >= since).scalar_subquery()

            row = conn.execute(
                select(
                    count(_lf.c.email == email),
                    count(_lf.c.ip == ip),
                    count((_lf.c.email == email) & (_lf.c.ip == ip)),
                )
            ).one()
            return FailureCounts(email=int(row[0]), ip=int(row[1]), email_from_ip=int(row[2]))

        return await self._db.read(job)

    async def clear(self, *, email: str) -> None:
        """Forget the failures of this e-mail (after a successful login or a password reset)."""

        def job(conn: Connection) -> None:
            conn.execute(delete(_lf).where(_lf.c.email == email))

        await self._db.write(job)
