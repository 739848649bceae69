"""Backups: daily at start and before every import batch and migration, kept N deep; health check and restore."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from jbdesk import clock
from jbdesk.errors import StoreError
from jbdesk.paths import DataPaths
from jbdesk.store import backup as store

DEFAULT_KEEP = 14


class DamagedDatabaseError(StoreError):
    """The database fails its integrity check; ``latest_good`` is the newest backup that passes."""

    def __init__(self, message: str, latest_good: store.BackupFile | None, detail: str | None = None) -> None:
        super().__init__(message, detail=detail)
        self.latest_good = latest_good


@dataclass(frozen=True)
class Health:
    ok: bool
    latest_good: store.BackupFile | None


def backups(paths: DataPaths) -> list[store.BackupFile]:
    return store.list_backups(paths.backups)


def latest_good(paths: DataPaths) -> store.BackupFile | None:
    return next((b for b in backups(paths) if store.integrity_ok(b.path)), None)


def check_health(paths: DataPaths) -> Health:
    """Run at every start before the database is opened for work."""
    if not paths.database.exists() or store.integrity_ok(paths.database, quick=True):
        return Health(True, None)
    return Health(False, latest_good(paths))


def require_healthy(paths: DataPaths) -> None:
    health = check_health(paths)
    if health.ok:
        return
    good = health.latest_good
    hint = (
        f" 가장 최근의 정상 백업: {good.path.name} ({good.taken_at:%Y-%m-%d %H:%M}). "
        f'복원하려면: jbdesk restore "{good.path}"'
        if good
        else " 정상 백업이 없습니다. 담당자에게 연락하세요."
    )
    raise DamagedDatabaseError("데이터 파일이 손상되었습니다." + hint, good, detail=str(paths.database))


def backup_now(paths: DataPaths, reason: str = "manual", keep: int = DEFAULT_KEEP) -> store.BackupFile:
    return store.take_backup(paths.database, paths.backups, reason, keep)


def daily_backup(paths: DataPaths, keep: int = DEFAULT_KEEP) -> store.BackupFile | None:
    """Once a day, at start: nothing if today's copy exists or there is no data yet."""
    if not paths.database.exists():
        return None
    today = clock.today()
    if any(b.taken_at.date() == today for b in backups(paths)):
        return None
    return backup_now(paths, "daily", keep)


def restore(paths: DataPaths, backup: Path) -> None:
    """Put a backup in place of the database. Close every workspace on this data dir first."""
    store.restore(backup, paths.database)
