"""Head office review of received form instances: 접수 / 보완요청 with comments (and, later, when it was sent).

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "form_review",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("facility_code", sa.String(16), sa.ForeignKey("facility.code"), nullable=False, index=True),
        sa.Column("form", sa.String(20), nullable=False),
        sa.Column("period", sa.String(10), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("decision", sa.String(10), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False, server_default=""),
        sa.Column("field_comments", sa.Text(), nullable=False, server_default="{}"),
        sa.Column("decided_at", sa.DateTime(), nullable=False),
        sa.Column("decided_by", sa.String(100), nullable=False, server_default=""),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
    )
    op.create_index("ix_form_review_instance", "form_review", ["facility_code", "form", "period", "revision"])
    op.execute("PRAGMA user_version = 4")


def downgrade() -> None:
    op.drop_index("ix_form_review_instance", "form_review")
    op.drop_table("form_review")
    op.execute("PRAGMA user_version = 3")
