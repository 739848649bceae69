"""Signed bundles: enrolled facility keys, issued provisioning files, merged bundles, import log.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "facility_key",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("facility_code", sa.String(16), sa.ForeignKey("facility.code"), nullable=False, index=True),
        sa.Column("public_key", sa.String(64), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False, unique=True),
        sa.Column("enrolled_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.Column("revoked_reason", sa.Text(), nullable=False, server_default=""),
    )
    op.create_table(
        "provision",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("facility_code", sa.String(16), sa.ForeignKey("facility.code"), nullable=False, index=True),
        sa.Column("digest", sa.String(64), nullable=False, unique=True),
        sa.Column("issued_at", sa.DateTime(), nullable=False),
        sa.Column("config_version", sa.Integer(), nullable=False),
    )
    op.create_table(
        "bundle",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("digest", sa.String(64), nullable=False, unique=True),
        sa.Column("facility_code", sa.String(16), sa.ForeignKey("facility.code"), nullable=False, index=True),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("prev_digest", sa.String(64), nullable=False, server_default=""),
        sa.Column("key_fingerprint", sa.String(64), nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False, server_default=""),
        sa.Column("outcome", sa.String(20), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False, server_default=""),
    )
    op.create_table(
        "import_log",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False, server_default=""),
        sa.Column("facility_code", sa.String(16), nullable=False, server_default=""),
        sa.Column("outcome", sa.String(20), nullable=False),
        sa.Column("reason", sa.String(40), nullable=False, server_default=""),
        sa.Column("message", sa.Text(), nullable=False, server_default=""),
    )
    # Plain ADD COLUMN, not a batch table copy: copying form_instance would fire ON DELETE CASCADE on
    # change_log and lose the history.
    op.execute("ALTER TABLE form_instance ADD COLUMN digest VARCHAR(64) NOT NULL DEFAULT ''")
    op.execute("ALTER TABLE form_instance ADD COLUMN bundle_id INTEGER REFERENCES bundle (id)")
    op.create_index("ix_form_instance_bundle_id", "form_instance", ["bundle_id"])
    op.execute("PRAGMA user_version = 3")


def downgrade() -> None:
    op.drop_index("ix_form_instance_bundle_id", "form_instance")
    op.execute("ALTER TABLE form_instance DROP COLUMN bundle_id")
    op.execute("ALTER TABLE form_instance DROP COLUMN digest")
    op.drop_table("import_log")
    op.drop_table("bundle")
    op.drop_table("provision")
    op.drop_table("facility_key")
    op.execute("PRAGMA user_version = 2")
