"""at most one qualification in review or approved per tenant, and one live signature per name

Two submissions at the same moment (two tabs, a retried post) could both pass the service's
check and both be stored. These partial unique indexes make the database refuse the second.
Rows that already break the rule are settled first: of a tenant's qualifications in review or
approved, all but the one that decides (the approved one, else the newest) are marked rejected
as superseded; of a tenant's live signatures of one name, all but the approved (else the
oldest) are deleted.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_LIVE_QUALIFICATION = "status IN ('pending', 'approved')"
_LIVE_SIGNATURE = "deleted_at IS NULL AND status IN ('pending', 'approved')"


def _settle_duplicates() -> None:
    conn = op.get_bind()
    keep_qualification: dict[int, int] = {}
    for row in conn.execute(
        sa.text(
            f"SELECT id, tenant_id, status FROM qualification WHERE {_LIVE_QUALIFICATION} "  # noqa: S608 - constants
            "ORDER BY tenant_id, CASE status WHEN 'approved' THEN 0 ELSE 1 END, id DESC"
        )
    ):
        keep_qualification.setdefault(row.tenant_id, row.id)
        if keep_qualification[row.tenant_id] != row.id:
            conn.execute(
                sa.text(
                    "UPDATE qualification SET status = 'rejected', "
                    "review_reply = 'superseded by another submission' WHERE id = :id"
                ),
                {"id": row.id},
            )
    keep_signature: dict[tuple[int, str, bool], int] = {}
    deleted_at = conn.execute(sa.text("SELECT MAX(updated_at) FROM signature")).scalar()
    for row in conn.execute(
        sa.text(
            f"SELECT id, tenant_id, name, international FROM signature WHERE {_LIVE_SIGNATURE} "  # noqa: S608
            "ORDER BY tenant_id, name, international, CASE status WHEN 'approved' THEN 0 ELSE 1 END, id"
        )
    ):
        key = (row.tenant_id, row.name, bool(row.international))
        keep_signature.setdefault(key, row.id)
        if keep_signature[key] != row.id:
            conn.execute(
                sa.text("UPDATE signature SET deleted_at = :at WHERE id = :id"), {"at": deleted_at, "id": row.id}
            )


def upgrade() -> None:
    _settle_duplicates()
    op.create_index(
        "uq_qualification_live",
        "qualification",
        ["tenant_id"],
        unique=True,
        sqlite_where=sa.text(_LIVE_QUALIFICATION),
        postgresql_where=sa.text(_LIVE_QUALIFICATION),
    )
    op.create_index(
        "uq_signature_live_name",
        "signature",
        ["tenant_id", "name", "international"],
        unique=True,
        sqlite_where=sa.text(_LIVE_SIGNATURE),
        postgresql_where=sa.text(_LIVE_SIGNATURE),
    )


def downgrade() -> None:
    op.drop_index("uq_signature_live_name", table_name="signature")
    op.drop_index("uq_qualification_live", table_name="qualification")
