"""Start-up: the window (navigation, a 불러오는 중 page) is on screen before the database is opened, the home page
fills in right after, and a data dir that cannot be opened still ends in a clear Korean message and exit code 1,
whether the shell was already showing (a data dir opened before) or not (a first start)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from jbdesk.paths import DataPaths
from jbdesk.services import backup
from jbdesk.services.mode import Mode
from jbdesk.services.workspace import Workspace
from jbdesk.ui import app as ui_app
from jbdesk.ui.app import make_app, run_gui
from jbdesk.ui.errors import message_for
from jbdesk.ui.main_window import LoadingPage, MainWindow, ShellHint
from jbdesk.ui.pages.home_page import HomePage

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def app(qapp) -> QApplication:
    return make_app()


def _head_office(data_dir: Path, *, opened_in_gui: bool = True) -> DataPaths:
    """A head-office data dir; ``opened_in_gui``: the window has been open on it before (so the hint is there)."""
    paths = DataPaths(data_dir)
    with Workspace.open(paths) as ws:
        ws.set_head_office()
        if opened_in_gui:
            MainWindow(ws).deleteLater()
    return paths


@pytest.fixture
def errors(monkeypatch: pytest.MonkeyPatch, deadline: None) -> list[tuple[object, str, str | None]]:
    """Start-up's error messages (parent, message, title) instead of modal boxes."""
    shown: list[tuple[object, str, str | None]] = []

    def record(parent, exc, title=None) -> None:
        shown.append((parent, message_for(exc)[0], title))

    monkeypatch.setattr(ui_app, "show_error", record)
    return shown


@pytest.fixture
def deadline(app) -> Iterator[None]:
    """A start-up that went wrong ends the event loop (exit code 99) instead of waiting forever."""
    timer = QTimer()
    timer.setSingleShot(True)
    timer.timeout.connect(lambda: QApplication.exit(99))
    timer.start(15_000)
    yield
    timer.stop()


def test_the_window_remembers_its_mode_for_the_next_shell(app, qtbot, data_dir: Path) -> None:
    paths = DataPaths(data_dir)
    assert ShellHint.read(paths) is None  # nothing yet: a first start opens the database before the window
    with Workspace.open(paths) as ws:
        assert ShellHint.read(paths) is None
        ws.set_facility("F05")
        window = MainWindow(ws)
        qtbot.addWidget(window)
    assert ShellHint.read(paths) == ShellHint(Mode.FACILITY, "F05", "하가영무예다음다함께돌봄센터")


def test_shell_shows_navigation_then_the_home_page_fills_in(app, qtbot, data_dir: Path) -> None:
    paths = _head_office(data_dir)
    window = MainWindow(paths=paths, hint=ShellHint.read(paths))
    qtbot.addWidget(window)
    start = ui_app._Start(app, window, None)
    window.shellShown.connect(start.open)
    assert window.ws is None
    assert "registry" in window.page_keys() and "staffing" not in window.page_keys()
    assert isinstance(window.current_page(), LoadingPage)
    assert window.current_page().title.text() == "본부 현황"
    assert window.mode_label.text() == "용도: 본부" and str(data_dir) in window.data_label.text()
    assert isinstance(window.show_page("tracker"), LoadingPage)  # a click while loading waits for the data
    assert window.current_page().title.text() == "제출 현황"
    window.show_page("hq_home")
    with qtbot.waitSignal(window.shellShown, timeout=2000):
        window.show()
    try:
        assert window.ws is start.ws is not None
        home = window.current_page()
        assert isinstance(home, HomePage) and home.model.rowCount() == 15
        assert "등록 시설 15개소" in home.summary.text()
        assert window.stack.count() == 1  # the loading page is gone
    finally:
        window.close()
        start.ws.close()


def test_shell_of_the_wrong_mode_is_rebuilt_when_the_database_says_otherwise(app, qtbot, data_dir: Path) -> None:
    """ui.ini says facility (say the data dir was replaced by head office's): the database wins."""
    paths = _head_office(data_dir)
    window = MainWindow(paths=paths, hint=ShellHint(Mode.FACILITY, "F05", "하가영무예다음다함께돌봄센터"))
    qtbot.addWidget(window)
    assert "staffing" in window.page_keys()
    with Workspace.open(paths) as ws:
        window.attach(ws)
        assert "registry" in window.page_keys() and "staffing" not in window.page_keys()
        assert isinstance(window.current_page(), HomePage)
        assert window.windowTitle() == "jbdesk — 본부" and window.facility_label.text() == "시설: 전체 시설"
        assert [a.text() for a in window._go_menu.actions()][:2] == ["본부 현황", "제출 현황"]
    assert ShellHint.read(paths) == ShellHint(Mode.HQ)


def test_run_gui_opens_into_the_shell(app, deadline, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    paths = _head_office(data_dir)
    seen: list[tuple[object, int]] = []
    attach = MainWindow.attach

    def attached(self: MainWindow, ws: Workspace) -> None:
        attach(self, ws)
        seen.append((type(self.current_page()), self.current_page().model.rowCount()))
        self.close()

    monkeypatch.setattr(MainWindow, "attach", attached)
    assert run_gui(str(paths.root)) == 0
    assert seen == [(HomePage, 15)]


def _newer_schema(paths: DataPaths) -> None:
    conn = sqlite3.connect(paths.database)
    conn.execute("PRAGMA user_version = 999")
    conn.commit()
    conn.close()


@pytest.mark.parametrize("opened_in_gui", [True, False], ids=["shell-first", "first-start"])
def test_newer_database_gets_the_korean_message(app, errors, data_dir: Path, opened_in_gui: bool) -> None:
    paths = _head_office(data_dir, opened_in_gui=opened_in_gui)
    _newer_schema(paths)
    assert run_gui(str(paths.root)) == 1
    [(parent, message, title)] = errors
    assert "더 새로운 jbdesk" in message and title == "jbdesk를 시작할 수 없습니다"
    assert isinstance(parent, MainWindow) is opened_in_gui  # over the shell when it was showing
    if opened_in_gui:
        assert not parent.isVisible()


def test_locked_database_gets_the_korean_message(app, errors, data_dir: Path, monkeypatch) -> None:
    from jbdesk.store import db

    real = db._on_connect

    def quick_busy(conn: sqlite3.Connection, record: object) -> None:  # wait 0.3 s for the lock, not 5 s
        real(conn, record)
        conn.execute("PRAGMA busy_timeout=300")

    monkeypatch.setattr(db, "_on_connect", quick_busy)
    paths = _head_office(data_dir)
    conn = sqlite3.connect(paths.database)  # written by another version: the start records this one (a write)
    conn.execute("UPDATE setting SET value = '0.0.9' WHERE key = 'app_version'")
    conn.commit()
    conn.close()
    lock = sqlite3.connect(paths.database, isolation_level=None)
    lock.execute("BEGIN EXCLUSIVE")
    try:
        assert run_gui(str(paths.root)) == 1
    finally:
        lock.execute("ROLLBACK")
        lock.close()
    [(parent, message, _)] = errors
    assert "다른 프로그램이 사용 중" in message and isinstance(parent, MainWindow)


def test_unusable_data_dir_gets_a_message_not_a_traceback(app, errors, tmp_path: Path) -> None:
    blocker = tmp_path / "data"
    blocker.write_text("a file where the data folder should be")
    assert run_gui(str(blocker)) == 1
    [(_, message, title)] = errors
    assert "예상하지 못한 오류" in message and title == "jbdesk를 시작할 수 없습니다"


@pytest.mark.parametrize("answer", ["yes", "no"])
def test_damaged_database_offers_the_backup_over_the_shell(
    app, errors, data_dir: Path, monkeypatch: pytest.MonkeyPatch, answer: str
) -> None:
    paths = _head_office(data_dir)
    good = backup.backup_now(paths)
    data = bytearray(paths.database.read_bytes())
    data[4096:8192] = b"\xff" * 4096  # smash the second page
    paths.database.write_bytes(bytes(data))
    asked: list[object] = []

    def question(parent, title, text, *args) -> QMessageBox.StandardButton:
        asked.append(parent)
        yes = answer == "yes"
        return QMessageBox.StandardButton.Yes if yes else QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", question)
    attach = MainWindow.attach
    monkeypatch.setattr(MainWindow, "attach", lambda self, ws: (attach(self, ws), self.close()))
    code = run_gui(str(paths.root))
    assert len(asked) == 1 and isinstance(asked[0], MainWindow) and errors == []
    if answer == "yes":
        assert code == 0 and list(data_dir.glob("jbdesk.sqlite.replaced-*"))
        assert backup.check_health(paths).ok and good.path.exists()
    else:
        assert code == 1 and not backup.check_health(paths).ok


PROBE = r"""
import json, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from jbdesk.cli import main
from jbdesk.ui import main_window

HEAVY = ("sqlalchemy", "alembic", "openpyxl", "reportlab", "jbdesk.store", "jbdesk.services.workspace",
         "jbdesk.services.forms", "jbdesk.domain.budget")
seen = {}
show, attach = main_window.MainWindow.show, main_window.MainWindow.attach

def shown():
    QApplication.processEvents()
    seen["shown"] = sorted(m for m in HEAVY if m in sys.modules)

def patched_show(self):
    show(self)
    QTimer.singleShot(0, shown)

def patched_attach(self, ws):
    attach(self, ws)
    seen["home_rows"] = self.current_page().model.rowCount()
    seen["after"] = sorted(m for m in HEAVY if m in sys.modules)
    QTimer.singleShot(0, self.close)

main_window.MainWindow.show = patched_show
main_window.MainWindow.attach = patched_attach
code = main(["--data-dir", sys.argv[1], "gui"])
print(json.dumps(seen))
sys.exit(code)
"""


def test_nothing_heavy_is_imported_before_the_window_is_shown(app, data_dir: Path) -> None:
    """In a fresh interpreter, as ``jbdesk gui`` starts: SQLAlchemy and the services come after the first paint,
    and even then neither the export libraries nor alembic (no migration due)."""
    paths = _head_office(data_dir)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    result = subprocess.run(
        [sys.executable, "-c", PROBE, str(paths.root)], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["shown"] == []
    assert seen["home_rows"] == 15
    assert {"sqlalchemy", "jbdesk.store", "jbdesk.services.workspace"} <= set(seen["after"])
    assert not {"alembic", "openpyxl", "reportlab", "jbdesk.services.forms"} & set(seen["after"])
