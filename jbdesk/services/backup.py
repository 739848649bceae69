"""Backups: daily at start, before every import batch, migration and restore, kept per kind; health check, restore.

What is kept is ``jbdesk.domain.retention.Retention`` (7 daily, 4 weekly, the last 5 before imports, the last 3
before migrations and restores, the last 5 made by hand), set per data dir (``Workspace.set_backup_retention``).
The workspace takes its copies through ``Workspace.backup`` (which first signs the audit log's head); the functions
here work on the files alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from jbdesk import clock
from jbdesk.domain.retention import BackupKind, Retention, kind_of
from jbdesk.errors import StoreError
from jbdesk.paths import DataPaths
from jbdesk.store import backup as store


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


def backup_now(paths: DataPaths, reason: str = "manual", retention: Retention | None = None) -> store.BackupFile:
    """A copy now; then the copies ``retention`` (default: ``Retention()``) does not keep are removed."""
    return store.take_backup(paths.database, paths.backups, reason, retention or Retention())


def daily_due(paths: DataPaths) -> bool:
    """At start: no daily copy yet today, and there is data to copy."""
    if not paths.database.exists():
        return False
    today = clock.today()
    return not any(b.taken_at.date() == today and kind_of(b.reason) is BackupKind.DAILY for b in backups(paths))


def restore(paths: DataPaths, backup: Path) -> None:
    """Put a backup in place of the database. Close every workspace on this data dir first.

    A healthy current database is copied first (``before-restore``, kept with the copies before migrations) and is
    also kept aside in the data dir; the audit log's anchor file follows the restored database."""
    from jbdesk.services import audit_anchor

    if paths.database.exists() and store.integrity_ok(paths.database, quick=True):
        store.take_backup(paths.database, paths.backups, "before-restore", None)
    store.restore(backup, paths.database)
    audit_anchor.after_restore(paths, backup)
