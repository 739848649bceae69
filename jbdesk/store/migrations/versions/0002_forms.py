"""Form entry: form instances with revisions, and the change history.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "form_instance",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("facility_code", sa.String(16), sa.ForeignKey("facility.code"), nullable=False),
        sa.Column("form", sa.String(20), nullable=False),
        sa.Column("period", sa.String(10), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("config_version", sa.Integer(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("ready_at", sa.DateTime(), nullable=True),
        sa.Column("submitted_at", sa.DateTime(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False, server_default=""),
        sa.UniqueConstraint("facility_code", "form", "period", "revision"),
    )
    op.create_index("ix_form_instance_facility_code", "form_instance", ["facility_code"])
    op.create_table(
        "change_log",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("instance_id", sa.Integer(), sa.ForeignKey("form_instance.id", ondelete="CASCADE"), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("os_user", sa.String(100), nullable=False),
        sa.Column("operator", sa.String(100), nullable=False, server_default=""),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("field", sa.Text(), nullable=False, server_default=""),
        sa.Column("old_value", sa.Text(), nullable=True),
        sa.Column("new_value", sa.Text(), nullable=True),
    )
    op.create_index("ix_change_log_instance_id", "change_log", ["instance_id"])
    op.execute("PRAGMA user_version = 2")


def downgrade() -> None:
    op.drop_table("change_log")
    op.drop_table("form_instance")
    op.execute("PRAGMA user_version = 1")
