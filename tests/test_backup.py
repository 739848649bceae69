"""Backups through SQLite's backup API: daily and before imports, kept N deep, restore, damaged-file recovery."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from jbdesk import clock
from jbdesk.domain.forms import FormKind, FormRef
from jbdesk.domain.periods import Period
from jbdesk.paths import DataPaths
from jbdesk.services import backup
from jbdesk.services.workspace import Workspace

REF = FormRef("F03", FormKind.STAFFING, Period.parse("2026-02"))


def _facility(root: Path) -> Workspace:
    ws = Workspace.open(DataPaths(root))
    ws.set_facility("F03")
    return ws


def test_daily_backup_once_a_day_and_pruned(tmp_path: Path) -> None:
    paths = DataPaths(tmp_path)
    with clock.frozen_at(datetime(2026, 3, 2, 9, 0)):
        Workspace.open(paths).close()
        Workspace.open(paths).close()
    assert [b.reason for b in backup.backups(paths)] == ["daily"]
    for day in range(3, 20):
        with clock.frozen_at(datetime(2026, 3, day, 9, 0)):
            Workspace.open(paths).close()
    kept = backup.backups(paths)
    assert len(kept) == backup.DEFAULT_KEEP
    assert kept[0].taken_at == datetime(2026, 3, 19, 9, 0)


def test_restore_brings_back_the_data_and_keeps_the_replaced_file(tmp_path: Path) -> None:
    ws = _facility(tmp_path)
    ws.forms.set_value(REF, "rows/0/current", 3)
    copy = backup.backup_now(ws.paths)
    ws.forms.set_value(REF, "rows/0/current", 9)
    ws.close()
    backup.restore(DataPaths(tmp_path), copy.path)
    with Workspace.open(DataPaths(tmp_path)) as again:
        assert again.forms.get(REF).data.rows[0].current == 3
    assert list(tmp_path.glob("jbdesk.sqlite.replaced-*"))


def test_damaged_database_is_refused_with_the_latest_good_backup(tmp_path: Path) -> None:
    ws = _facility(tmp_path)
    ws.forms.set_value(REF, "rows/0/current", 4)
    good = backup.backup_now(ws.paths)
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


def test_backup_before_every_import_batch_and_configurable_keep(tmp_path: Path) -> None:
    paths = DataPaths(tmp_path / "hq")
    with Workspace.open(paths) as hq:
        hq.set_head_office()
        hq.set_backup_keep(3)
        (tmp_path / "in").mkdir()
        (tmp_path / "in" / "x.jbd").write_bytes(b"junk")
        for _ in range(4):
            hq.imports.import_paths([tmp_path / "in"])
        kept = backup.backups(paths)
        assert len(kept) == 3 and all(b.reason.startswith("before-import") for b in kept)
        with pytest.raises(Exception, match="1~365"):
            hq.set_backup_keep(0)
