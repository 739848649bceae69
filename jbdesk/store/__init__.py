"""Local SQLite storage through SQLAlchemy 2: engine, typed models, migrations and repositories."""

from jbdesk.store.db import SCHEMA_VERSION, Database, Session, open_database

__all__ = ["SCHEMA_VERSION", "Database", "Session", "open_database"]
