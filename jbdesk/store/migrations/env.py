"""Alembic environment: runs on the engine jbdesk hands over (no alembic.ini, no URL in a file)."""

from __future__ import annotations

from alembic import context

from jbdesk.store.models import Base

config = context.config
engine = config.attributes["engine"]

with engine.connect() as connection:
    # A batch migration copies tables; with foreign keys on, dropping the old copy would cascade deletes.
    # The pragma only takes effect outside a transaction, so it is set before migrations begin.
    connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
    connection.commit()
    with connection.begin():
        context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
        context.run_migrations()
        broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"migration left broken references: {broken[:5]}")
    connection.exec_driver_sql("PRAGMA foreign_keys=ON")
    connection.commit()
