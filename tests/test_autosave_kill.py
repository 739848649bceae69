"""Autosave survives SIGKILL: a running app is killed mid-entry; every edit it reported saved is in the database."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from jbdesk.domain.forms import FormKind, FormRef
from jbdesk.domain.periods import Period
from jbdesk.paths import DataPaths
from jbdesk.services.workspace import Workspace

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")

# The child is the real page: edits go through the grid model exactly as a finished cell edit does,
# and through the narrative-style autosave text field. It prints after each edit returns.
CHILD = r"""
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from pathlib import Path
from jbdesk.paths import DataPaths
from jbdesk.services.workspace import Workspace
from jbdesk.domain.periods import Period
from jbdesk.ui.app import make_app
from jbdesk.ui.pages.staffing_page import StaffingPage

app = make_app()
ws = Workspace.open(DataPaths(Path(sys.argv[1])))
page = StaffingPage(ws)
page.set_period(Period.parse("2026-02"))
page.show()
n = 0
while True:
    row, col = divmod(n % 54, 9)
    value = 100 + n
    assert page.model.setData(page.model.index(row, [1, 2, 4, 5, 6, 7, 8, 9, 10][col]), str(value))
    print(f"saved {n} {row} {col} {value}", flush=True)
    n += 1
    app.processEvents()
"""

KEYS = ["authorized", "current", "hires", "leavers", "on_leave", "probation", "substitute_days",
        "side_job_reports", "direct_employment"]  # fmt: skip


def test_kill_during_entry_loses_nothing_that_was_saved(tmp_path: Path) -> None:
    data = tmp_path / "data"
    subprocess.run([sys.executable, "-m", "jbdesk", "--data-dir", str(data), "mode", "facility", "F03"], check=True,
                   capture_output=True)  # fmt: skip
    script = tmp_path / "child.py"
    script.write_text(CHILD, encoding="utf-8")
    rng = random.Random(20261122)
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parent.parent))
    kills = 0
    expected: dict[tuple[int, int], int] = {}
    for _ in range(6):
        child = subprocess.Popen([sys.executable, str(script), str(data)], stdout=subprocess.PIPE, text=True, env=env)
        assert child.stdout is not None
        wanted = rng.randint(3, 60)
        started = time.monotonic()
        lines = []
        while len(lines) < wanted and time.monotonic() - started < 60:
            line = child.stdout.readline()
            if not line:
                break
            lines.append(line)
        time.sleep(rng.random() * 0.05)  # land anywhere: between edits or inside the next transaction
        os.kill(child.pid, signal.SIGKILL)
        child.wait(10)
        kills += 1
        assert lines, "the child never saved anything"
        for line in lines:
            _, _n, row, col, value = line.split()
            expected[(int(row), int(col))] = int(value)

        conn = sqlite3.connect(data / "jbdesk.sqlite")
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        conn.close()
        with Workspace.open(DataPaths(data)) as ws:
            view = ws.forms.get(FormRef("F03", FormKind.STAFFING, Period.parse("2026-02")))
            assert view is not None
            for (row, col), value in expected.items():
                # a later, unreported edit of the same cell may also have landed: never an older value
                assert getattr(view.data.rows[row], KEYS[col]) >= value
    assert kills == 6
