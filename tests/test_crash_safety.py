"""SIGKILL at random points during data entry, export and import: nothing half-written, nothing lost.

Each operation runs in a child process that is killed at a random moment, at least 50 times per
operation (bounded in time). After every kill the database passes PRAGMA integrity_check; after the
import kills, running the same import again gives exactly what an uninterrupted run gives.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from jbdesk.bundle.container import read_container, verify_members, verify_signature
from jbdesk.domain.forms import FormKind, FormRef, FormStatus
from jbdesk.domain.periods import Period
from jbdesk.paths import DataPaths
from jbdesk.services.workspace import Workspace

pytestmark = [pytest.mark.slow, pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")]
KILLS = int(os.environ.get("JBDESK_CRASH_KILLS", "50"))
ROOT = Path(__file__).resolve().parent.parent
KEYS = ["authorized", "current", "hires", "leavers", "on_leave", "probation", "substitute_days",
        "side_job_reports", "direct_employment"]  # fmt: skip

ENTRY_CHILD = r"""
import sys
from pathlib import Path
from jbdesk.paths import DataPaths
from jbdesk.services.workspace import Workspace
from jbdesk.domain.forms import FormRef, FormKind
from jbdesk.domain.periods import Period
ws = Workspace.open(DataPaths(Path(sys.argv[1])))
ref = FormRef("F03", FormKind.STAFFING, Period.parse("2026-02"))
n = int(sys.argv[2])
while True:
    ws.forms.set_value(ref, f"rows/{n % 6}/current", n)
    print(n, flush=True)
    n += 1
"""

EXPORT_CHILD = r"""
import sys
from pathlib import Path
from jbdesk.paths import DataPaths
from jbdesk.services.workspace import Workspace
from jbdesk.domain.forms import FormRef, FormKind, FormStatus
from jbdesk.domain.periods import Period
ws = Workspace.open(DataPaths(Path(sys.argv[1])))
print("start", flush=True)
out = Path(sys.argv[2])
keys = ["authorized", "current", "hires", "leavers", "on_leave", "probation", "substitute_days",
        "side_job_reports", "direct_employment"]
period = Period.parse("2026-01")
while True:
    ref = FormRef("F03", FormKind.STAFFING, period)
    view = ws.forms.get(ref)
    if view is None or view.status in (FormStatus.DRAFT, FormStatus.READY):
        if view is None or view.status is FormStatus.DRAFT:
            ws.forms.set_values(ref, [(f"rows/{i}/{k}", 1) for i in range(6) for k in keys])
            ws.forms.mark_ready(ref)
        result = ws.exports.export(out)
        print("exported", result.path.name, flush=True)
    period = period.next()
"""

IMPORT_CHILD = r"""
import sys
from pathlib import Path
from jbdesk.paths import DataPaths
from jbdesk.services.workspace import Workspace
ws = Workspace.open(DataPaths(Path(sys.argv[1])))
print("start", flush=True)
for r in ws.imports.import_paths([Path(sys.argv[2])]):
    print(r.outcome.value, r.file_name, flush=True)
"""


def _child(code: str, *args: str) -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.Popen(
        [sys.executable, "-c", code, *args], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env
    )


def _kill_after(child: subprocess.Popen[str], rng: random.Random, max_delay: float) -> list[str]:
    """Kill at a random moment once the child has started working; return what it reported before."""
    assert child.stdout is not None
    time.sleep(rng.random() * max_delay)
    os.kill(child.pid, signal.SIGKILL)
    child.wait(10)
    return child.stdout.read().splitlines()


def _integrity(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("crash")
    with Workspace.open(DataPaths(root / "hq")) as hq:
        hq.trust.hq_init("전북특별자치도사회서비스원")
        provision = hq.trust.provision("F03", root)
        with Workspace.open(DataPaths(root / "f03")) as fac:
            setup = fac.trust.setup_facility(provision, root)
        hq.trust.enroll(setup.request_path)
    return {"root": root, "hq": root / "hq", "f03": root / "f03"}


def test_kills_during_data_entry(deployment: dict[str, Path]) -> None:
    data = deployment["root"] / "entry"
    shutil.copytree(deployment["f03"], data)
    rng = random.Random(7)
    saved: dict[int, int] = {}
    n = 0
    deadline = time.monotonic() + 240
    for _ in range(KILLS):
        assert time.monotonic() < deadline, "crash test exceeded its time bound"
        child = _child(ENTRY_CHILD, str(data), str(n))
        assert child.stdout is not None
        first = child.stdout.readline()  # the workspace is open and editing has begun
        lines = [first, *_kill_after(child, rng, 0.15)]
        done = [int(x) for x in lines if x.strip().isdigit()]
        for value in done:
            saved[value % 6] = max(saved.get(value % 6, -1), value)
        n = (max(done) + 1) if done else n
        assert _integrity(data / "jbdesk.sqlite") == "ok"
    with Workspace.open(DataPaths(data)) as ws:
        view = ws.forms.get(FormRef("F03", FormKind.STAFFING, Period.parse("2026-02")))
        for row, value in saved.items():
            assert view.data.rows[row].current >= value  # every reported save is there (or a later one)


def test_kills_during_export_leave_only_whole_bundles(deployment: dict[str, Path]) -> None:
    data = deployment["root"] / "export"
    shutil.copytree(deployment["f03"], data)
    usb = deployment["root"] / "usb"
    usb.mkdir()
    rng = random.Random(11)
    deadline = time.monotonic() + 300
    for _ in range(KILLS):
        assert time.monotonic() < deadline, "crash test exceeded its time bound"
        child = _child(EXPORT_CHILD, str(data), str(usb))
        assert child.stdout is not None
        child.stdout.readline()  # opened (start-up takes seconds on a busy machine): the kill lands in the work
        _kill_after(child, rng, 1.2)
        assert _integrity(data / "jbdesk.sqlite") == "ok"
    with Workspace.open(DataPaths(data)) as ws:
        key = ws.trust.facility_key().public
        archived: set[tuple[str, str, int]] = set()
        by_sequence: dict[int, set[str]] = {}
        for folder in (usb, data / "exports"):
            for f in folder.glob("*.jbd"):  # every bundle at the target is whole and correctly signed
                container = read_container(f.read_bytes())
                verify_signature(container, key)
                verify_members(container)
                by_sequence.setdefault(container.manifest.sequence, set()).add(container.digest)
                if folder == data / "exports":
                    archived |= {(i.form, i.period, i.revision) for i in container.manifest.instances}
        # a kill between writing and committing never leaves two bundles with one sequence number
        assert {seq: len(digests) for seq, digests in by_sequence.items() if len(digests) > 1} == {}
        submitted = [
            r for r in ws.forms.due_statuses("F03") if r.status is FormStatus.SUBMITTED
        ]  # nothing is marked 제출됨 without its bundle kept
        assert submitted, "no export completed at all: increase the kill delay"
        for s in submitted:
            assert ("staffing", str(s.due.period), 1) in archived or s.due.form is not FormKind.STAFFING
    with Workspace.open(DataPaths(deployment["hq"])) as hq_probe:
        results = hq_probe.imports.verify_bytes(next(usb.glob("*.jbd")).read_bytes(), "probe")
        assert results.outcome.ok


def _snapshot(hq: Path) -> list[tuple]:
    conn = sqlite3.connect(hq / "jbdesk.sqlite")
    try:
        rows = conn.execute(
            "SELECT facility_code, form, period, revision, status, digest, payload FROM form_instance "
            "ORDER BY facility_code, form, period, revision"
        ).fetchall()
        bundles = conn.execute("SELECT digest, sequence, outcome, notes FROM bundle ORDER BY digest").fetchall()
        return [*rows, *bundles]
    finally:
        conn.close()


def test_kills_during_import_then_reimport_equals_uninterrupted(deployment: dict[str, Path]) -> None:
    root = deployment["root"]
    source = root / "import-src"
    shutil.copytree(deployment["f03"], source)
    folder = root / "bundles"
    folder.mkdir()
    with Workspace.open(DataPaths(source)) as fac:
        period = Period.parse("2026-01")
        for _ in range(24):
            ref = FormRef("F03", FormKind.STAFFING, period)
            fac.forms.set_values(ref, [(f"rows/{i}/{k}", 2) for i in range(6) for k in KEYS])
            fac.forms.mark_ready(ref)
            fac.exports.export(folder)
            period = period.next()
    reference = root / "hq-reference"
    shutil.copytree(deployment["hq"], reference)
    with Workspace.open(DataPaths(reference)) as hq:
        assert all(r.outcome.ok for r in hq.imports.import_paths([folder]))
    expected = _snapshot(reference)
    assert len([r for r in expected if len(r) == 7]) == 24

    rng = random.Random(13)
    deadline = time.monotonic() + 300
    for i in range(KILLS):
        assert time.monotonic() < deadline, "crash test exceeded its time bound"
        hq_dir = root / f"hq-{i}"
        shutil.copytree(deployment["hq"], hq_dir)
        child = _child(IMPORT_CHILD, str(hq_dir), str(folder))
        assert child.stdout is not None
        child.stdout.readline()  # opened; the import is under way
        _kill_after(child, rng, 1.0)
        assert _integrity(hq_dir / "jbdesk.sqlite") == "ok"
        with Workspace.open(DataPaths(hq_dir)) as hq:
            results = hq.imports.import_paths([folder])
        assert all(r.outcome.ok for r in results)
        assert _snapshot(hq_dir) == expected
        shutil.rmtree(hq_dir)
