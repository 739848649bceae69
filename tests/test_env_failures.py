"""The environment fails, jbdesk does not: a full disk, a read-only or pulled USB stick, a database another program
holds locked, folders with Korean names and spaces. Each failure gives a clear Korean message, loses nothing
(instances stay 작성완료, the sequence does not move, no bundle or temp file is left behind) and the next try,
once the cause is gone, simply works.

Failures are injected where the operating system would report them: ``open`` and ``os.fsync`` as seen by
``jbdesk.fileio`` raise the errno a full, read-only or vanished device gives; the folder is really deleted for
the "stick pulled before writing" case; a second sqlite3 connection really holds ``BEGIN EXCLUSIVE``.
"""

from __future__ import annotations

import builtins
import errno
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from jbdesk import fileio
from jbdesk.bundle.container import read_container
from jbdesk.cli import main as cli_main
from jbdesk.domain.forms import FormKind, FormStatus
from jbdesk.domain.periods import Period
from jbdesk.errors import StoreError
from jbdesk.fileio import FileWriteError
from jbdesk.paths import DataPaths
from jbdesk.services.export import ensure_dir
from jbdesk.services.importer import Outcome
from jbdesk.services.workspace import Workspace
from jbdesk.store.settings import get_setting
from tests.bundle_factory import HQ_NAME, MONTH, Network, fill_staffing, has_korean, open_ws, ref, snapshot

ROOT = Path(__file__).resolve().parent.parent
MARCH = ref("F03", FormKind.STAFFING, MONTH)


@pytest.fixture
def net(tmp_path: Path) -> Iterator[Network]:
    """Head office and F03, enrolled, with March's staffing 작성완료 and not yet sent."""
    with Network(tmp_path / "net") as net:
        fill_staffing(net.add("F03"), "F03")
        yield net


def _chain(ws: Workspace) -> tuple[str | None, str | None]:
    with ws.db.reading() as s:
        return get_setting(s, "bundle_sequence"), get_setting(s, "last_bundle_digest")


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def _integrity(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def assert_nothing_sent(ws: Workspace, *folders: Path, chain: tuple[str | None, str | None] = (None, None)) -> None:
    """The failed export changed nothing: 작성완료 as before, sequence and chain unmoved, no file of it anywhere."""
    assert ws.forms.get(MARCH).status is FormStatus.READY
    assert _chain(ws) == chain
    for folder in (*folders, ws.paths.exports):
        assert _files(folder) == [], folder  # neither a bundle nor a temp file
    assert _integrity(ws.paths.database) == "ok"


def retry_works(net: Network, ws: Workspace, out: Path) -> None:
    """Once the cause is gone, the same export gives sequence 1 and head office takes it without a chain note."""
    result = ws.exports.export(out)
    assert result.sequence == 1 and result.path.parent == out
    assert ws.forms.get(MARCH).status is FormStatus.SUBMITTED
    assert [p.name for p in out.iterdir()] == [result.path.name]  # no leftovers beside it
    imported = net.hq.imports.import_paths([result.path])
    assert [(r.outcome, r.notes) for r in imported] == [(Outcome.ACCEPTED, ())]


class _FailingFile:
    """A file object on a device that gives out: ``write`` stores half of the bytes, then raises ``err``."""

    def __init__(self, fh: Any, err: int) -> None:
        self._fh, self._err = fh, err

    def write(self, data: bytes) -> int:
        self._fh.write(data[: len(data) // 2])
        self._fh.flush()
        raise OSError(self._err, os.strerror(self._err))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._fh, name)

    def __enter__(self) -> _FailingFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self._fh.close()


def fail_writes_in(monkeypatch: pytest.MonkeyPatch, folder: Path, err: int, *, at_open: bool = False) -> None:
    """Files ``jbdesk.fileio`` writes in ``folder`` fail with ``err``: when opened (a read-only device refuses at
    once) or half-way through the write (a full or vanishing device)."""

    def fake_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if "w" in mode and Path(file).parent == folder:
            if at_open:
                raise OSError(err, os.strerror(err), str(file))
            return _FailingFile(builtins.open(file, mode, *args, **kwargs), err)
        return builtins.open(file, mode, *args, **kwargs)

    monkeypatch.setattr(fileio, "open", fake_open, raising=False)  # module global shadows the builtin


# full disk, read-only and pulled USB ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("err", "at_open", "words"),
    [
        (errno.ENOSPC, False, "저장 공간이 부족합니다"),
        (errno.EROFS, True, "읽기 전용 저장 장치입니다"),
        (errno.EIO, False, "USB가 빠졌는지 확인하세요"),
        (errno.EACCES, True, "쓸 권한이 없습니다"),
    ],
    ids=["usb-full", "usb-read-only", "usb-io-error", "usb-no-permission"],
)
def test_usb_failure_during_export_loses_nothing(
    net: Network, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, err: int, at_open: bool, words: str
) -> None:
    ws = net.sites["F03"]
    usb = ensure_dir(tmp_path / "usb")
    with monkeypatch.context() as m:
        fail_writes_in(m, usb, err, at_open=at_open)
        with pytest.raises(FileWriteError) as exc:
            ws.exports.export(usb)
    assert words in exc.value.message and str(usb) in exc.value.message
    assert exc.value.detail and os.strerror(err) in exc.value.detail
    assert_nothing_sent(ws, usb)
    retry_works(net, ws, usb)


def test_every_disk_full_during_export(net: Network, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The data disk is full too: the archive copy in the data folder fails first (``os.fsync`` reports ENOSPC)."""
    ws = net.sites["F03"]
    usb = ensure_dir(tmp_path / "usb")

    def no_space(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    with monkeypatch.context() as m:
        m.setattr(os, "fsync", no_space)
        with pytest.raises(FileWriteError) as exc:
            ws.exports.export(usb)
    assert "저장 공간이 부족합니다" in exc.value.message and has_korean(exc.value.message)
    assert_nothing_sent(ws, usb)
    retry_works(net, ws, usb)


def test_disk_full_at_the_commit_takes_the_written_files_back(
    net: Network, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both copies of the bundle were written, then the transaction that marks the forms 제출됨 and advances the
    sequence fails to commit (SQLite reports the full disk at COMMIT). The files go too: a bundle the facility
    does not count as sent would otherwise share its sequence number with the next export (a fork at head
    office)."""
    from sqlalchemy.exc import OperationalError
    from sqlalchemy.orm.session import SessionTransaction

    ws = net.sites["F03"]
    usb = ensure_dir(tmp_path / "usb")
    real_commit = SessionTransaction.commit

    def full_at_commit(self: SessionTransaction, *args: Any, **kwargs: Any) -> Any:
        # the outermost commit (a flush commits an inner one) of the export, whose files are already written
        if self._parent is None and _files(usb):
            raise OperationalError("COMMIT", {}, sqlite3.OperationalError("database or disk is full"))
        return real_commit(self, *args, **kwargs)

    with monkeypatch.context() as m:
        m.setattr(SessionTransaction, "commit", full_at_commit)
        with pytest.raises(StoreError) as exc:
            ws.exports.export(usb)
    assert "디스크 공간이 부족하거나" in exc.value.message
    assert_nothing_sent(ws, usb)
    retry_works(net, ws, usb)


def test_usb_pulled_between_choosing_the_folder_and_writing(net: Network, tmp_path: Path) -> None:
    """The clerk chose the stick's folder, then pulled the stick. The folder is not re-created on the internal disk
    under the stick's old path: the export fails with the USB message and nothing is marked 제출됨."""
    ws = net.sites["F03"]
    usb = ensure_dir(tmp_path / "USB" / "보고")
    shutil.rmtree(tmp_path / "USB")
    with pytest.raises(FileWriteError) as exc:
        ws.exports.export(usb)
    assert "USB가 빠졌는지 확인하세요" in exc.value.message
    assert not (tmp_path / "USB").exists()
    assert_nothing_sent(ws, usb)
    retry_works(net, ws, ensure_dir(usb))  # the stick is back


def test_usb_vanishing_mid_write_keeps_the_first_error(
    net: Network, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The stick goes away during the write: removing the half-written files fails with EIO as well. The user still
    gets the write's Korean message (not a raw OSError from the clean-up), and the next export, with the stick
    back, removes the temp file the failed one could not."""
    ws = net.sites["F03"]
    usb = ensure_dir(tmp_path / "usb")
    real_unlink = Path.unlink

    def unlink(self: Path, missing_ok: bool = False) -> None:
        if self.parent == usb:
            raise OSError(errno.EIO, os.strerror(errno.EIO), str(self))
        real_unlink(self, missing_ok=missing_ok)

    with monkeypatch.context() as m:
        fail_writes_in(m, usb, errno.EIO)
        m.setattr(Path, "unlink", unlink)
        with pytest.raises(FileWriteError) as exc:
            ws.exports.export(usb)
    assert "USB가 빠졌는지 확인하세요" in exc.value.message
    left = _files(usb)
    assert len(left) == 1 and left[0].startswith(".jbdesk-F03-0001-") and left[0].endswith(".tmp")
    assert_nothing_sent(ws, chain=(None, None))  # the data folder has nothing of it
    assert ws.forms.get(MARCH).status is FormStatus.READY
    retry_works(net, ws, usb)  # also checks that the temp file is gone


KILLED_EXPORT = r"""
import os, sys, time
from pathlib import Path
from jbdesk.paths import DataPaths
from jbdesk.services.workspace import Workspace
calls = []
real = os.fsync
def stall(fd):
    calls.append(fd)
    if len(calls) == int(sys.argv[3]):
        print("writing", flush=True)
        time.sleep(60)
    real(fd)
os.fsync = stall
ws = Workspace.open(DataPaths(Path(sys.argv[1])))
ws.exports.export(Path(sys.argv[2]))
"""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
@pytest.mark.parametrize("stall_at", [1, 2], ids=["archive-copy", "usb-copy"])
def test_temp_files_of_a_killed_export_are_removed_by_the_next(net: Network, tmp_path: Path, stall_at: int) -> None:
    """jbdesk killed (power cut) while writing the archive copy or the stick's copy leaves a hidden temp file; the
    next export removes it and sends normally. Other programs' files on the stick are left alone."""
    import signal

    ws = net.sites["F03"]
    usb = ensure_dir(tmp_path / "usb")
    (usb / ".~lock.보고서.xlsx#").write_text("someone else's")
    (usb / ".other-program.1.tmp").write_text("someone else's")
    net.sites["F03"].close()
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    child = subprocess.Popen(
        [sys.executable, "-c", KILLED_EXPORT, str(net.site_root("F03")), str(usb), str(stall_at)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env,
    )  # fmt: skip
    assert child.stdout is not None and child.stdout.readline().strip() == "writing"
    os.kill(child.pid, signal.SIGKILL)
    child.wait(10)
    folder = ws.paths.exports if stall_at == 1 else usb
    litter = [p for p in folder.iterdir() if p.name.startswith(".jbdesk-") and p.name.endswith(f".{child.pid}.tmp")]
    assert len(litter) == 1, _files(folder)

    ws = net.sites["F03"] = open_ws(net.site_root("F03"))
    assert ws.forms.get(MARCH).status is FormStatus.READY and _chain(ws) == (None, None)
    result = ws.exports.export(usb)
    assert not any(p.name.endswith(".tmp") and p.name.startswith(".jbdesk-") for p in usb.iterdir())
    assert not any(p.name.endswith(".tmp") for p in ws.paths.exports.iterdir())
    assert sorted(_files(usb)) == sorted([".other-program.1.tmp", ".~lock.보고서.xlsx#", result.path.name])
    assert net.hq.imports.import_paths([result.path])[0].outcome is Outcome.ACCEPTED


def test_stale_temp_rule_spares_live_writers(tmp_path: Path) -> None:
    """Only atomic_write's own temp names, only with the prefix asked for, only when the writer is gone."""
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead = int(done.stdout)
    names = {
        f".jbdesk-F03-0001-x.jbd.{dead}.tmp": True,  # writer gone
        f".jbdesk-F03-0002-x.jbd.{os.getpid()}.tmp": True,  # ours, no write under way: a failed write's leftover
        f".jbdesk-F03-0003-x.jbd.{os.getppid()}.tmp": False,  # writer alive (pytest's parent)
        f".report.xlsx.{dead}.tmp": False,  # not a jbdesk file: not ours to remove on a stick
        "jbdesk-F03-0004-x.jbd": False,
        ".jbdesk-notes.tmp": False,  # no pid: not atomic_write's
    }
    for name in names:
        (tmp_path / name).write_bytes(b"x")
    removed = fileio.remove_stale_temps(tmp_path, "jbdesk-")
    assert sorted(p.name for p in removed) == sorted(n for n, gone in names.items() if gone)
    assert sorted(_files(tmp_path)) == sorted(n for n, gone in names.items() if not gone)
    assert fileio.remove_stale_temps(tmp_path / "없는 폴더") == []  # a pulled stick: nothing to do, no error


# a locked database ------------------------------------------------------------------------------------------
@pytest.fixture
def quick_busy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Wait 0.3 s instead of 5 s for a lock (connections opened from now on)."""
    from jbdesk.store import db

    real = db._on_connect

    def on_connect(conn: sqlite3.Connection, record: object) -> None:
        real(conn, record)
        cur = conn.cursor()
        cur.execute("PRAGMA busy_timeout=300")
        cur.close()

    monkeypatch.setattr(db, "_on_connect", on_connect)


class Lock:
    """Another program holding the database file: ``BEGIN EXCLUSIVE`` on its own connection."""

    def __init__(self, db: Path) -> None:
        self.conn = sqlite3.connect(db, isolation_level=None)
        self.conn.execute("BEGIN EXCLUSIVE")

    def release(self) -> None:
        self.conn.execute("ROLLBACK")
        self.conn.close()


def test_locked_database_refuses_a_form_edit_then_works(quick_busy: None, tmp_path: Path) -> None:
    with Network(tmp_path / "net") as net:
        ws = net.add("F03")
        rows = fill_staffing(ws, "F03", ready=False)
        lock = Lock(ws.paths.database)
        try:
            with pytest.raises(StoreError) as exc:
                ws.forms.set_value(MARCH, "rows/1/current", 99)
            assert "다른 프로그램이 사용 중" in exc.value.message
            assert ws.forms.get(MARCH).data.rows[1].current == rows[1]["current"]  # reading still works meanwhile
            with pytest.raises(StoreError, match="다른 프로그램이 사용 중"):
                ws.forms.mark_ready(MARCH)
        finally:
            lock.release()
        assert _integrity(ws.paths.database) == "ok"
        view = ws.forms.get(MARCH)
        assert view.data.rows[1].current == rows[1]["current"] and view.status is FormStatus.DRAFT
        ws.forms.set_value(MARCH, "rows/1/current", rows[1]["current"] - 1)
        ws.forms.set_value(MARCH, "rows/1/current", rows[1]["current"])
        assert ws.forms.get(MARCH).data.rows[1].current == rows[1]["current"]
        ws.forms.mark_ready(MARCH)


def test_locked_database_refuses_an_export_then_works(quick_busy: None, tmp_path: Path) -> None:
    with Network(tmp_path / "net") as net:
        ws = net.add("F03")
        fill_staffing(ws, "F03")
        usb = ensure_dir(tmp_path / "usb")
        lock = Lock(ws.paths.database)
        try:
            with pytest.raises(StoreError, match="다른 프로그램이 사용 중"):
                ws.exports.export(usb)
        finally:
            lock.release()
        assert_nothing_sent(ws, usb)
        retry_works(net, ws, usb)


def test_locked_database_refuses_an_import_then_works(quick_busy: None, tmp_path: Path) -> None:
    with Network(tmp_path / "net") as net:
        fill_staffing(net.add("F03"), "F03")
        bundle = net.export("F03")
        before = snapshot(net.hq)
        log_before = len(net.hq.imports.log())
        lock = Lock(net.hq.paths.database)
        try:
            with pytest.raises(StoreError) as exc:
                net.hq.imports.import_paths([bundle.path])
            assert "다른 프로그램이 사용 중" in exc.value.message
        finally:
            lock.release()
        assert snapshot(net.hq) == before and len(net.hq.imports.log()) == log_before
        assert _integrity(net.hq.paths.database) == "ok"
        results = net.hq.imports.import_paths([bundle.path])
        assert [(r.outcome, r.notes) for r in results] == [(Outcome.ACCEPTED, ())]
        assert net.hq.forms.get(MARCH).record.revision == 1


# Korean folder names with spaces ------------------------------------------------------------------------------
def test_korean_paths_with_spaces_for_the_whole_cycle(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Data folders and the stick's folder named as a clerk names them: setup, entry, export, import, feedback,
    through the services and through the command line."""
    data = tmp_path / "전북 자료"
    usb = ensure_dir(tmp_path / "USB 드라이브" / "보고 파일")
    hq = open_ws(data / "본부 PC")
    fac = open_ws(data / "시설 PC")
    try:
        hq.trust.hq_init(HQ_NAME)
        setup = fac.trust.setup_facility(hq.trust.provision("F03", usb), usb)
        assert setup.request_path.parent == usb
        hq.trust.enroll(setup.request_path)
        assert fac.trust.facility_key().public.fingerprint  # the key file under the Korean data folder opens

        rows = fill_staffing(fac, "F03")
        exported = fac.exports.export(usb)
        assert exported.path.parent == usb and exported.archive_copy.parent == data / "시설 PC" / "exports"
        assert read_container(exported.path.read_bytes()).manifest.facility_code == "F03"
        results = hq.imports.import_paths([usb])  # the folder, as the import page gives it
        assert [r.outcome for r in results] == [Outcome.ACCEPTED]
        assert [row.current for row in hq.forms.get(MARCH).data.rows] == [r["current"] for r in rows]

        hq.reviews.accept(MARCH, "확인했습니다.")
        written = hq.feedback.write("F03", usb)
        assert written.path.parent == usb
        applied = fac.feedback.apply_file(written.path)
        assert applied.accepted == ("월별 인력 현황 2026년 3월 1판",)
        assert fac.forms.get(MARCH).status is FormStatus.ACCEPTED

        # the same folders through the command line: April exported and imported
        fill_staffing(fac, "F03", "2026-04")
    finally:
        fac.close()
        hq.close()
    assert cli_main(["--data-dir", str(data / "시설 PC"), "export", "--out", str(usb), "--period", "2026-04"]) == 0
    april = Path(capsys.readouterr().out.strip())
    assert april.parent == usb and april.name.startswith("jbdesk-F03-0002-")
    assert cli_main(["--data-dir", str(data / "본부 PC"), "import", str(april)]) == 0
    with Workspace.open(DataPaths(data / "본부 PC")) as hq:
        assert hq.forms.get(ref("F03", FormKind.STAFFING, "2026-04")).record.revision == 1


KILLED_BEFORE_COMMIT = r"""
import os, signal, sys
from pathlib import Path
import jbdesk.store.forms as forms
from jbdesk.paths import DataPaths
from jbdesk.services.workspace import Workspace

def die(*args, **kwargs):  # the first thing the export does once both copies are written: mark the forms
    print("written", flush=True)
    os.kill(os.getpid(), signal.SIGKILL)

ws = Workspace.open(DataPaths(Path(sys.argv[1])))
forms.update_current = die
ws.exports.export(Path(sys.argv[2]))
"""


def _sequences(*folders: Path) -> list[tuple[int, str]]:
    found = []
    for folder in folders:
        for f in sorted(folder.glob("*.jbd")) if folder.exists() else []:
            m = read_container(f.read_bytes()).manifest
            found.append((m.sequence, read_container(f.read_bytes()).digest))
    return found


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
@pytest.mark.parametrize("stick", ["kept", "pulled"])
def test_a_kill_between_writing_an_export_and_committing_it_never_reuses_its_sequence(
    net: Network, tmp_path: Path, stick: str
) -> None:
    """Killed after both copies were written and before the forms were marked 제출됨: the bundle may already be on
    its way (it is whole on the stick), so at the next start it counts as sent. The next export continues the
    sequence after it, and head office accepts both without a gap or fork note. (Before: the next export reused
    sequence 1 for a second, different bundle.)"""
    ws = net.sites["F03"]
    usb = ensure_dir(tmp_path / "usb")
    ws.close()
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    child = subprocess.run(
        [sys.executable, "-c", KILLED_BEFORE_COMMIT, str(net.site_root("F03")), str(usb)],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    assert child.returncode == -9 and child.stdout.strip() == "written", child.stderr
    first = _files(usb)
    assert len(first) == 1 and first[0].startswith("jbdesk-F03-0001-")
    if stick == "pulled":
        kept = tmp_path / "kept-on-desk"
        shutil.move(usb, kept)  # the clerk took the stick away before starting jbdesk again

    ws = net.sites["F03"] = open_ws(net.site_root("F03"))
    bundle = read_container((ws.paths.exports / first[0]).read_bytes())
    assert ws.forms.get(MARCH).status is FormStatus.SUBMITTED
    assert _chain(ws) == ("1", bundle.digest)
    assert "보낸 것으로 처리했습니다" in (ws.exports.notice() or "") and first[0] in (ws.exports.notice() or "")
    fill_staffing(ws, "F03", Period.parse("2026-04"))
    second = ws.exports.export(ensure_dir(tmp_path / "usb2"))
    assert second.sequence == 2 and read_container(second.path.read_bytes()).manifest.prev_digest == bundle.digest
    assert ws.exports.notice() is None
    sequences = _sequences(usb, tmp_path / "usb2", ws.paths.exports)
    assert sorted({seq for seq, _ in sequences}) == [1, 2]
    assert len({digest for _, digest in sequences}) == 2  # each number names one bundle only
    results = net.hq.imports.import_paths([ws.paths.exports / first[0], second.path])
    assert [(r.outcome, r.notes) for r in results] == [(Outcome.ACCEPTED, ()), (Outcome.ACCEPTED, ())]
