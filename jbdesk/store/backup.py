"""Copies of the database through SQLite's backup API, their health check, and restoring one."""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from jbdesk import clock
from jbdesk.domain.retention import Retention, to_keep
from jbdesk.errors import StoreError
from jbdesk.fileio import private_dir, private_file

PREFIX = "jbdesk-"
SUFFIX = ".sqlite"


@dataclass(frozen=True)
class BackupFile:
    path: Path
    taken_at: datetime
    reason: str
    size: int


def _name(reason: str, at: datetime) -> str:
    return f"{PREFIX}{at:%Y%m%d-%H%M%S}-{reason}{SUFFIX}"


def _parse(path: Path) -> BackupFile | None:
    stem = path.name.removeprefix(PREFIX).removesuffix(SUFFIX)
    try:
        taken = datetime.strptime(stem[:15], "%Y%m%d-%H%M%S")
    except ValueError:
        return None
    return BackupFile(path, taken, stem[16:], path.stat().st_size)


def list_backups(folder: Path) -> list[BackupFile]:
    """Newest first."""
    if not folder.is_dir():
        return []
    found = [b for p in folder.glob(f"{PREFIX}*{SUFFIX}") if (b := _parse(p)) is not None]
    # Several copies can share a second (a batch right after the daily one): the file's own time breaks the tie.
    return sorted(found, key=lambda b: (b.taken_at, b.path.stat().st_mtime_ns), reverse=True)


def integrity_ok(path: Path, *, quick: bool = False) -> bool:
    """PRAGMA integrity_check (or the faster quick_check) on a file, read-only."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            pragma = "quick_check" if quick else "integrity_check"
            return bool(conn.execute(f"PRAGMA {pragma}").fetchone()[0] == "ok")
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return False


def take_backup(db: Path, folder: Path, reason: str, retention: Retention | None) -> BackupFile:
    """Copy ``db`` (consistent even while it is in use) into ``folder`` (this user's only); then remove the copies
    ``retention`` no longer keeps (None: none removed, for copies taken before the data dir's own setting can be
    read, i.e. before a migration or a restore)."""
    try:
        private_dir(folder)
    except OSError as exc:
        raise StoreError("백업을 만들 수 없습니다. 저장 공간과 데이터 폴더를 확인하세요.", detail=str(exc)) from exc
    at = clock.now()
    target = folder / _name(reason, at)
    n = 1
    while target.exists():  # two backups in one second (tests, scripted runs)
        target = folder / _name(f"{reason}-{n}", at)
        n += 1
    try:
        _copy(db, target)
    except (sqlite3.Error, OSError) as exc:
        raise StoreError("백업을 만들 수 없습니다. 저장 공간과 데이터 폴더를 확인하세요.", detail=str(exc)) from exc
    made = _parse(target)
    if retention is not None:
        prune(folder, retention)
    return made  # type: ignore[return-value]


def _copy(source: Path, target: Path) -> None:
    """SQLite's online backup into a temp file, then an atomic rename: the target is whole or absent."""
    tmp = target.with_name(target.name + ".tmp")
    try:
        private_file(tmp)  # the copy is as private as the database: SQLite would create it with the default mode
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            dst = sqlite3.connect(tmp)
            try:
                src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def prune(folder: Path, retention: Retention) -> list[BackupFile]:
    """Remove the copies ``retention`` does not keep (per kind: see ``jbdesk.domain.retention``); returns them."""
    found = list_backups(folder)
    kept = to_keep([(b.taken_at, b.reason) for b in found], retention)
    removed = [b for i, b in enumerate(found) if i not in kept]
    for old in removed:
        old.path.unlink(missing_ok=True)
    return removed


def restore(backup: Path, db: Path) -> None:
    """Replace the database by a backup (the caller has closed every connection). The current file is kept aside."""
    if not integrity_ok(backup):
        raise StoreError("이 백업 파일은 손상되었거나 jbdesk 데이터가 아닙니다.", detail=str(backup))
    stamp = f"{clock.now():%Y%m%d-%H%M%S}"
    staged = db.with_name(db.name + ".restore")
    _copy(backup, staged)
    # The replaced file and its WAL are kept aside, never deleted; a WAL left in place would be replayed
    # onto the restored copy.
    for suffix in ("", "-wal", "-shm"):
        current = db.with_name(db.name + suffix)
        if current.exists():
            os.replace(current, db.with_name(f"{db.name}{suffix}.replaced-{stamp}"))
    os.replace(staged, db)
