"""Alembic environment: smscloud runs migrations on a connection it hands over.

`smscloud.adapters.storage.migrate` opens the connection (sync on SQLite, asyncpg through
`run_sync` on PostgreSQL) and puts it in `config.attributes["connection"]`.
"""

from __future__ import annotations

from alembic import context

from smscloud.adapters.storage.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through `smscloud db upgrade`, which provides the connection")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
    transaction_per_migration=True,
)
with context.begin_transaction():
    context.run_migrations()
