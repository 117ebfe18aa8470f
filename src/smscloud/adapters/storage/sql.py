"""Small SQL building blocks that differ between the two databases."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Connection, Row, Table, any_, bindparam, select, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql.type_api import TypeEngine

__all__ = ["breaks_unique_index", "one_of", "take_once"]


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


def take_once(
    conn: Connection,
    table: Table,
    *,
    app_id: int,
    state: str,
    waiting: int,
    taken: int,
    columns: Sequence[ColumnElement[Any]],
    limit: int,
) -> list[Row[Any]]:
    """The application's oldest `limit` rows whose `state` column is `waiting`, marked `taken` and
    returned oldest first: Tencent's pull queues, where each item is handed out once, also to
    callers pulling at the same moment (`FOR UPDATE SKIP LOCKED` on PostgreSQL).

    Two statements, not `UPDATE … WHERE id IN (SELECT … LIMIT n)`: PostgreSQL may re-run such a
    subquery per row and ignore its LIMIT (see SqlDispatchQueue.claim).
    """
    flag = table.c[state]
    due = select(table.c.id).where(table.c.app_id == app_id, flag == waiting).order_by(table.c.id).limit(limit)
    if conn.dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    ids = list(conn.execute(due).scalars())
    if not ids:
        return []
    rows = conn.execute(
        update(table).where(table.c.id.in_(ids), flag == waiting).values({flag: taken}).returning(*columns)
    ).all()
    return sorted(rows, key=lambda row: row.id)
