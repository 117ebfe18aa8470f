"""Small SQL building blocks that differ between the two databases."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, any_, bindparam
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql.type_api import TypeEngine

__all__ = ["breaks_unique_index", "one_of"]


def one_of(column: ColumnElement[Any], values: Sequence[Any], *, postgres: bool) -> ColumnElement[bool]:
    """`column IN (values)`. On PostgreSQL as `column = ANY($1)` with one array parameter: an IN list
    is a different statement for every length, which asyncpg prepares anew each time (and the
    planner plans anew) — tens of milliseconds on the hot path."""
    if postgres:
        element_type: TypeEngine[Any] = column.type
        return column == any_(bindparam(None, list(values), type_=ARRAY(element_type)))
    return column.in_(list(values))


def breaks_unique_index(error: IntegrityError, index: str, sqlite_columns: str) -> bool:
    """Whether `error` is the violation of the unique index `index`: PostgreSQL names the index,
    SQLite names its columns ("UNIQUE constraint failed: table.a, table.b")."""
    text = str(error.orig)
    return index in text or ("UNIQUE constraint failed" in text and sqlite_columns in text)
