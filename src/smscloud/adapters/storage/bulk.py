"""Hot-path statements run with the driver's own `executemany`.

SQLAlchemy builds a parameter dictionary and runs the type processors for every row of an
`executemany`, which on the message hot path costs more than SQLite's own work. A `Bulk`
compiles its Core statement once per dialect and then hands the driver plain tuples, converted
only where a column type needs it (`UtcTimestamp`). Same statement, same SQL, both databases.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Connection, Dialect
from sqlalchemy.sql.dml import UpdateBase

__all__ = ["Bulk", "Prepared"]

_Processor = Callable[[Any], Any] | None


class _Compiled:
    __slots__ = ("arrange", "sql")

    def __init__(self, sql: str, arrange: Callable[[Sequence[Any]], tuple[Any, ...]]) -> None:
        self.sql = sql
        self.arrange = arrange


class Prepared:
    """A `Bulk` statement with its rows converted for one dialect's driver."""

    __slots__ = ("params", "sql")

    def __init__(self, sql: str, params: list[tuple[Any, ...]]) -> None:
        self.sql = sql
        self.params = params

    def __len__(self) -> int:
        return len(self.params)

    def execute(self, conn: Connection) -> int:
        if not self.params:
            return 0
        return int(conn.exec_driver_sql(self.sql, self.params).rowcount)


class Bulk:
    """An INSERT or UPDATE whose per-row parameters are the bind names in `names`, in order."""

    def __init__(self, statement: UpdateBase, names: Sequence[str]) -> None:
        self._statement = statement
        self._names = tuple(names)
        self._compiled: dict[str, _Compiled] = {}

    def execute(self, conn: Connection, rows: Sequence[Sequence[Any]]) -> int:
        """Run the statement once per row; returns the rows it changed (as the driver counts)."""
        return self.prepare(conn.dialect, rows).execute(conn)

    def prepare(self, dialect: Dialect, rows: Sequence[Sequence[Any]]) -> Prepared:
        """Do the per-row work now, outside the transaction: a job then only hands it to the
        driver (which keeps SQLite's write lock, shared by processes, held for less time)."""
        compiled = self._compiled.get(dialect.name) or self._compile(dialect)
        return Prepared(compiled.sql, [compiled.arrange(row) for row in rows])

    def _compile(self, dialect: Dialect) -> _Compiled:
        compiled = self._statement.compile(dialect=dialect)
        order = compiled.positiontup
        if order is None:
            raise ValueError(f"{dialect.name} does not use positional parameters")
        index = {name: position for position, name in enumerate(self._names)}
        missing = set(self._names) - set(order)
        if missing:
            raise ValueError(f"the statement has no parameters named {sorted(missing)}")
        # `arrange` is generated as one tuple expression (no loop, no branch per value): it runs
        # once per row of every hot-path write. Only integers and generated names go into it.
        namespace: dict[str, Any] = {}
        values: list[str] = []
        for slot, name in enumerate(order):
            bind = compiled.binds[name]
            processor: _Processor = bind.type.bind_processor(dialect)
            if name in index:
                value = f"row[{index[name]}]"
                if processor is not None:
                    namespace[f"p{slot}"] = processor
                    value = f"p{slot}({value})"
            else:  # a value fixed in the statement itself, the same for every row
                fixed = compiled.params[name]
                namespace[f"f{slot}"] = processor(fixed) if processor else fixed
                value = f"f{slot}"
            values.append(value)
        arrange: Callable[[Sequence[Any]], tuple[Any, ...]] = eval(  # noqa: S307 - generated above
            f"lambda row: ({', '.join(values)},)", namespace
        )

        result = _Compiled(compiled.string, arrange)
        self._compiled[dialect.name] = result
        return result
