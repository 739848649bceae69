"""Alembic environment: runs on the engine jbdesk hands over (no alembic.ini, no URL in a file)."""

from __future__ import annotations

from alembic import context

from jbdesk.store.models import Base

config = context.config
engine = config.attributes["engine"]

with engine.begin() as connection:
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    context.run_migrations()
