"""Foundation: settings, facility registry and lifecycle events.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "setting",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text(), nullable=False),
    )
    op.create_table(
        "facility",
        sa.Column("code", sa.String(16), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("aliases", sa.Text(), nullable=False, server_default=""),
        sa.Column("type", sa.String(100), nullable=False),
        sa.Column("group_name", sa.String(100), nullable=False),
        sa.Column("account", sa.String(20), nullable=False),
        sa.Column("operation", sa.String(20), nullable=False),
        sa.Column("headcount_authorized", sa.Integer(), nullable=False),
        sa.Column("headcount_current", sa.Integer(), nullable=False),
        sa.Column("headcount_as_of", sa.Date(), nullable=False),
        sa.Column("budget_total_mkrw", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("budget_national_mkrw", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("budget_province_mkrw", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("budget_city_mkrw", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("budget_other_mkrw", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("features", sa.Text(), nullable=False, server_default=""),
        sa.Column("sort_order", sa.Integer(), nullable=False, server_default="0"),
    )
    op.create_table(
        "facility_event",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("facility_code", sa.String(16), sa.ForeignKey("facility.code", ondelete="CASCADE"), nullable=False),
        sa.Column("effective", sa.Date(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("note", sa.Text(), nullable=False, server_default=""),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("facility_code", "effective", "status"),
    )
    op.create_index("ix_facility_event_facility_code", "facility_event", ["facility_code"])
    op.execute("PRAGMA user_version = 1")


def downgrade() -> None:
    op.drop_table("facility_event")
    op.drop_table("facility")
    op.drop_table("setting")
    op.execute("PRAGMA user_version = 0")
