"""Alembic migrations applied at start; a copy of the database is kept before any upgrade."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["engine"] = engine
    return cfg


def backup_copy(path: Path, label: str) -> Path | None:
    """Copy the database with SQLite's backup API into ``backups/`` next to it (None when nothing to copy)."""
    if not path.exists() or path.stat().st_size == 0:
        return None
    target_dir = path.parent / "backups"
    target_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = target_dir / f"jbdesk-{stamp}-{label}.sqlite"
    tmp = target.with_suffix(".tmp")
    src = sqlite3.connect(path)
    try:
        dst = sqlite3.connect(tmp)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    tmp.replace(target)
    return target


def upgrade(engine: Engine, path: Path, *, from_version: int, to_revision: str = "head") -> None:
    if from_version > 0:
        backup_copy(path, f"before-migration-v{from_version}")
    command.upgrade(alembic_config(engine), to_revision)
