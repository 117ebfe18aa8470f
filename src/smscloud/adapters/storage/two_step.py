"""Two-step verification in the two_step, recovery_code and login_challenge tables.

The TOTP secret is sealed with the same Fernet keys as API SecretKeys and AppKeys (it must be read
back to check a code, so it cannot be hashed); recovery codes and challenge tokens are random and
stored as SHA-256 hashes. "Used once" is a conditional UPDATE each time, so two logins racing with
the same code cannot both succeed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, Table, delete, func, insert, select, update

from smscloud.adapters.storage import tables
from smscloud.adapters.storage.audit import add_audit_entry
from smscloud.adapters.storage.database import Database
from smscloud.domain.audit.model import AuditNote
from smscloud.domain.identity.model import LoginChallenge, Principal
from smscloud.domain.identity.two_step import TwoStep
from smscloud.domain.shared.secrets import SecretBox

__all__ = ["SqlTwoStepStore"]

_t = tables.two_step
_r = tables.recovery_code
_c = tables.login_challenge


def _of(table: Table, principal: Principal) -> ColumnElement[bool]:
    if (principal.user_id is None) == (principal.operator_id is None):
        raise ValueError("a principal is a user or an operator")
    if principal.user_id is not None:
        return table.c.user_id == principal.user_id
    return table.c.operator_id == principal.operator_id


class SqlTwoStepStore:
    """`TwoStepStore` over SQLAlchemy Core."""

    def __init__(self, db: Database, box: SecretBox) -> None:
        self._db = db
        self._box = box

    async def of(self, principal: Principal) -> TwoStep | None:
        def job(conn: Connection) -> tuple[Any, int] | None:
            row = conn.execute(select(_t).where(_of(_t, principal))).first()
            if row is None:
                return None
            left = conn.execute(
                select(func.count()).select_from(_r).where(_of(_r, principal), _r.c.used_at.is_(None))
            ).scalar_one()
            return row, int(left)

        found = await self._db.read(job)
        if found is None:
            return None
        row, left = found
        return TwoStep(
            secret=self._box.open(row.secret),
            last_step=row.last_step,
            enabled_at=row.enabled_at,
            recovery_codes_left=left,
        )

    async def enable(self, principal: Principal, *, secret: str, code_hashes: list[str], now: datetime) -> None:
        sealed = self._box.seal(secret)

        def job(conn: Connection) -> None:
            conn.execute(delete(_t).where(_of(_t, principal)))
            conn.execute(delete(_r).where(_of(_r, principal)))
            owner = {"user_id": principal.user_id, "operator_id": principal.operator_id}
            conn.execute(insert(_t).values(**owner, secret=sealed, last_step=None, enabled_at=now))
            if code_hashes:
                conn.execute(insert(_r), [{**owner, "code_hash": code_hash} for code_hash in code_hashes])

        await self._db.write(job)

    async def disable(self, principal: Principal, *, noted: AuditNote | None = None) -> bool:
        def job(conn: Connection) -> bool:
            conn.execute(delete(_r).where(_of(_r, principal)))
            was_on = bool(conn.execute(delete(_t).where(_of(_t, principal))).rowcount)
            if was_on and noted is not None:
                add_audit_entry(conn, noted)
            return was_on

        return await self._db.write(job)

    async def use_step(self, principal: Principal, step: int) -> bool:
        def job(conn: Connection) -> bool:
            done = conn.execute(
                update(_t)
                .where(_of(_t, principal), (_t.c.last_step.is_(None)) | (_t.c.last_step < step))
                .values(last_step=step)
            )
            return done.rowcount == 1

        return await self._db.write(job)

    async def use_recovery_code(self, principal: Principal, code_hash: str, *, now: datetime) -> bool:
        def job(conn: Connection) -> bool:
            done = conn.execute(
                update(_r)
                .where(_of(_r, principal), _r.c.code_hash == code_hash, _r.c.used_at.is_(None))
                .values(used_at=now)
            )
            return done.rowcount == 1

        return await self._db.write(job)

    async def add_challenge(
        self, principal: Principal, *, token_hash: str, ip: str, user_agent: str, now: datetime, expires_at: datetime
    ) -> None:
        def job(conn: Connection) -> None:
            # Finished and expired challenges are of no use to anyone: each login tidies them away.
            conn.execute(delete(_c).where(_c.c.expires_at <= now))
            conn.execute(
                insert(_c).values(
                    token_hash=token_hash,
                    user_id=principal.user_id,
                    operator_id=principal.operator_id,
                    ip=ip[:64],
                    user_agent=user_agent[:256],
                    created_at=now,
                    expires_at=expires_at,
                    failures=0,
                )
            )

        await self._db.write(job)

    async def challenge(self, token_hash: str, *, now: datetime) -> LoginChallenge | None:
        def job(conn: Connection) -> Any:
            return conn.execute(
                select(_c).where(_c.c.token_hash == token_hash, _c.c.done_at.is_(None), _c.c.expires_at > now)
            ).first()

        row = await self._db.read(job)
        if row is None:
            return None
        return LoginChallenge(
            id=row.id,
            principal=Principal(row.user_id, row.operator_id),
            ip=row.ip,
            user_agent=row.user_agent,
            expires_at=row.expires_at,
            failures=row.failures,
        )

    async def fail_challenge(self, challenge_id: int) -> None:
        def job(conn: Connection) -> None:
            conn.execute(update(_c).where(_c.c.id == challenge_id).values(failures=_c.c.failures + 1))

        await self._db.write(job)

    async def finish_challenge(self, challenge_id: int, *, now: datetime) -> bool:
        def job(conn: Connection) -> bool:
            done = conn.execute(update(_c).where(_c.c.id == challenge_id, _c.c.done_at.is_(None)).values(done_at=now))
            return done.rowcount == 1

        return await self._db.write(job)
