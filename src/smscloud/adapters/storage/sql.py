"""Small SQL building blocks that differ between the two databases."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, any_, bindparam
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.sql.type_api import TypeEngine

__all__ = ["one_of"]


def one_of(column: ColumnElement[Any], values: Sequence[Any], *, postgres: bool) -> ColumnElement[bool]:
    """`column IN (values)`. On PostgreSQL as `column = ANY($1)` with one array parameter: an IN list
    is a different statement for every length, which asyncpg prepares anew each time (and the
    planner plans anew) — tens of milliseconds on the hot path."""
    if postgres:
        element_type: TypeEngine[Any] = column.type
        return column == any_(bindparam(None, list(values), type_=ARRAY(element_type)))
    return column.in_(list(values))
