"""Column types shared by both databases."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import BigInteger, DateTime, Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine
from typing_extensions import override

__all__ = ["UtcTimestamp"]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class UtcTimestamp(TypeDecorator[datetime]):
    """An aware UTC datetime.

    PostgreSQL stores it as `timestamptz`. SQLite has no time type, and SQLAlchemy's string
    form costs a parse per row on the hot path; there it is an integer of microseconds since
    the epoch, which sorts and compares correctly and round-trips exactly.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    @override
    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(BigInteger())
        return dialect.type_descriptor(DateTime(timezone=True))

    @override
    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; use an aware UTC datetime")
        if dialect.name == "sqlite":
            delta = value - _EPOCH
            return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
        return value

    @override
    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if dialect.name == "sqlite":
            return _from_micros(int(value))
        result: datetime = value
        return result.astimezone(UTC)


def _from_micros(micros: int) -> datetime:
    seconds, rest = divmod(micros, 1_000_000)
    return datetime.fromtimestamp(seconds, UTC).replace(microsecond=rest)
