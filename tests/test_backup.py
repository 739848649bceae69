"""Backups through SQLite's backup API: daily and before imports, kept N deep, restore, damaged-file recovery."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from jbdesk import clock
from jbdesk.domain.forms import FormKind, FormRef
from jbdesk.domain.periods import Period
from jbdesk.domain.retention import Retention
from jbdesk.paths import DataPaths
from jbdesk.services import backup
from jbdesk.services.workspace import Workspace

REF = FormRef("F03", FormKind.STAFFING, Period.parse("2026-02"))


def _facility(root: Path) -> Workspace:
    ws = Workspace.open(DataPaths(root))
    ws.set_facility("F03")
    return ws


def test_daily_backup_once_a_day_and_pruned(tmp_path: Path) -> None:
    """Opened every day for two months: the copies of the last 7 days and one from each of the 4 weeks before."""
    paths = DataPaths(tmp_path)
    with clock.frozen_at(datetime(2026, 3, 2, 9, 0)):
        Workspace.open(paths).close()
        Workspace.open(paths).close()
    assert [b.reason for b in backup.backups(paths)] == ["daily"]
    for day in range(1, 61):
        with clock.frozen_at(datetime(2026, 3, 2, 9, 0) + timedelta(days=day)):
            Workspace.open(paths).close()
    kept = [b.taken_at for b in backup.backups(paths)]
    last = datetime(2026, 5, 1, 9, 0)  # a Friday
    assert kept[:7] == [last - timedelta(days=d) for d in range(7)]
    # then each earlier week's newest: the Friday 04-24 (its week's days before the dailies), then Sundays
    assert kept[7:] == [datetime(2026, 4, 24, 9), datetime(2026, 4, 19, 9), datetime(2026, 4, 12, 9),
                        datetime(2026, 4, 5, 9)]  # fmt: skip


def test_imports_never_push_out_the_daily_backup(tmp_path: Path) -> None:
    """Issue 18: after 16 single-file imports the 14 kept copies were all from the last 8 seconds and the day's
    daily copy was gone. Now the daily copies are a kind of their own: the last 5 before imports are kept beside
    them, whatever the number of imports."""
    paths = DataPaths(tmp_path / "hq")
    (tmp_path / "in").mkdir()
    start = datetime(2026, 4, 6, 9, 0)
    with clock.frozen_at(start - timedelta(days=1)), Workspace.open(paths) as hq:
        hq.set_head_office()
    for s in range(16):
        with clock.frozen_at(start + timedelta(seconds=s // 2)), Workspace.open(paths) as hq:
            (tmp_path / "in" / f"x{s}.jbd").write_bytes(b"junk")
            hq.imports.import_paths([tmp_path / "in" / f"x{s}.jbd"])
    kept = backup.backups(paths)
    daily = [b for b in kept if b.reason == "daily"]
    assert [b.taken_at for b in daily] == [start, start - timedelta(days=1)]
    assert len([b for b in kept if b.reason.startswith("before-import")]) == 5
    assert len(kept) == 7


def test_restore_brings_back_the_data_and_keeps_the_replaced_file(tmp_path: Path) -> None:
    ws = _facility(tmp_path)
    ws.forms.set_value(REF, "rows/0/current", 3)
    copy = ws.backup()
    ws.forms.set_value(REF, "rows/0/current", 9)
    ws.close()
    backup.restore(DataPaths(tmp_path), copy.path)
    with Workspace.open(DataPaths(tmp_path)) as again:
        assert again.forms.get(REF).data.rows[0].current == 3
    assert list(tmp_path.glob("jbdesk.sqlite.replaced-*"))


def test_damaged_database_is_refused_with_the_latest_good_backup(tmp_path: Path) -> None:
    ws = _facility(tmp_path)
    ws.forms.set_value(REF, "rows/0/current", 4)
    good = ws.backup()
    ws.close()
    db = tmp_path / "jbdesk.sqlite"
    data = bytearray(db.read_bytes())
    data[4096:8192] = b"\xff" * 4096  # smash the second page
    db.write_bytes(bytes(data))
    with pytest.raises(backup.DamagedDatabaseError) as info:
        Workspace.open(DataPaths(tmp_path))
    assert "손상" in info.value.message and info.value.latest_good.path == good.path
    result = subprocess.run(
        [sys.executable, "-m", "jbdesk", "--data-dir", str(tmp_path), "facilities"], capture_output=True, text=True
    )
    assert result.returncode == 1 and "jbdesk restore" in result.stderr
    result = subprocess.run(
        [sys.executable, "-m", "jbdesk", "--data-dir", str(tmp_path), "restore", str(good.path)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    with Workspace.open(DataPaths(tmp_path)) as again:
        assert again.forms.get(REF).data.rows[0].current == 4


def test_a_damaged_backup_is_not_restored(tmp_path: Path) -> None:
    _facility(tmp_path).close()
    bad = tmp_path / "backups" / "jbdesk-20260101-000000-manual.sqlite"
    bad.write_bytes(b"garbage" * 1000)
    with pytest.raises(Exception, match="손상"):
        backup.restore(DataPaths(tmp_path), bad)
    assert sqlite3.connect(tmp_path / "jbdesk.sqlite").execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_backup_cli_lists_and_takes(tmp_path: Path) -> None:
    run = [sys.executable, "-m", "jbdesk", "--data-dir", str(tmp_path)]
    made = subprocess.run([*run, "backup"], capture_output=True, text=True, check=True).stdout.strip()
    conn = sqlite3.connect(made)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT count(*) FROM facility").fetchone()[0] == 15  # a real copy, not an empty file
    conn.close()
    listing = subprocess.run([*run, "backup", "--list"], capture_output=True, text=True, check=True).stdout
    assert "manual" in listing and "daily" in listing


def test_backup_before_every_import_batch_and_configurable_retention(tmp_path: Path) -> None:
    paths = DataPaths(tmp_path / "hq")
    with Workspace.open(paths) as hq:
        hq.set_head_office()
        hq.set_backup_retention(Retention(imports=3))
        (tmp_path / "in").mkdir()
        (tmp_path / "in" / "x.jbd").write_bytes(b"junk")
        for _ in range(4):
            hq.imports.import_paths([tmp_path / "in"])
        kept = backup.backups(paths)
        assert [b.reason.startswith("before-import") for b in kept].count(True) == 3
        assert [b.reason for b in kept].count("daily") == 1
        assert hq.backup_retention == Retention(imports=3)
    run = [sys.executable, "-m", "jbdesk", "--data-dir", str(paths.root)]
    done = subprocess.run([*run, "backup", "--keep-imports", "2", "--keep-daily", "10"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "최근 10일" in done.stdout and "가져오기 전 백업은 최근 2개" in done.stdout
    refused = subprocess.run([*run, "backup", "--keep-daily", "0"], capture_output=True, text=True)
    assert refused.returncode == 1 and "백업 보관 수는 1~365 사이여야 합니다" in refused.stderr
    listing = subprocess.run([*run, "backup", "--list"], capture_output=True, text=True, check=True).stdout
    assert "before-import" in listing and "최근 10일" in listing


def test_restore_and_migration_copies_are_a_kind_of_their_own(tmp_path: Path) -> None:
    """A restore first copies the current database (before-restore); these copies, like the ones before a schema
    upgrade, are kept apart from the daily ones and from imports."""
    ws = _facility(tmp_path)
    copy = ws.backup()
    for _ in range(8):
        ws.backup("before-import")
    ws.close()
    backup.restore(DataPaths(tmp_path), copy.path)
    reasons = [b.reason for b in backup.backups(DataPaths(tmp_path))]
    assert "before-restore" in reasons and "daily" in reasons and "manual" in reasons
    with Workspace.open(DataPaths(tmp_path)) as again:
        again.backup("before-import")
    reasons = [b.reason for b in backup.backups(DataPaths(tmp_path))]
    assert reasons.count("before-restore") == 1 and reasons.count("daily") == 1
    assert len([r for r in reasons if r.startswith("before-import")]) == 5


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes")
def test_database_and_backups_are_readable_by_the_user_only(tmp_path: Path) -> None:
    """0600 files in 0700 folders: the database (and its -wal, -shm), every backup, the audit anchor; a database an
    older jbdesk left 0644 in a 0755 folder is tightened when it is opened."""
    import os
    import stat

    def mode(p: Path) -> int:
        return stat.S_IMODE(p.stat().st_mode)

    root = tmp_path / "data"
    with _facility(root) as ws:
        ws.forms.set_value(REF, "rows/0/current", 3)
        ws.backup()
        files = [ws.paths.database, ws.paths.database.with_name("jbdesk.sqlite-wal"), *ws.paths.backups.iterdir()]
        assert all(mode(f) == 0o600 for f in files), {f.name: oct(mode(f)) for f in files}
        assert mode(root) == 0o700 and mode(ws.paths.backups) == 0o700
    os.chmod(root, 0o755)
    os.chmod(root / "jbdesk.sqlite", 0o644)
    with Workspace.open(DataPaths(root)):
        assert mode(root) == 0o700 and mode(root / "jbdesk.sqlite") == 0o600
