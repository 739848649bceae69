"""Alembic migrations applied at start; a copy of the database is kept before any upgrade."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

from jbdesk.store.backup import take_backup

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine, path: Path, *, from_version: int, to_revision: str = "head") -> None:
    if from_version > 0 and path.exists() and path.stat().st_size:
        # nothing pruned here: the data dir's retention setting is in the database being upgraded
        take_backup(path, path.parent / "backups", f"before-migration-v{from_version}", None)
    command.upgrade(alembic_config(engine), to_revision)
