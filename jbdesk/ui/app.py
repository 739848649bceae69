"""Start the GUI: QApplication, bundled font, main window, workspace, first-run choice.

The window comes first: on a data dir opened here before, the shell (navigation of the remembered mode, a
불러오는 중 page) is shown and painted, then the workspace is opened on the next turn of the event loop. So nothing
heavy (SQLAlchemy, the services, the form modules) is imported before the window is on screen. A first start opens
the workspace before the window, since the mode it asks for decides the navigation.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from jbdesk import __version__, logs
from jbdesk.errors import JbdeskError
from jbdesk.i18n import tr
from jbdesk.paths import DataPaths, resolve_data_dir
from jbdesk.resources import resource
from jbdesk.ui.errors import install_crash_handler, route_qt_messages, show_error
from jbdesk.ui.fonts import apply_app_font
from jbdesk.ui.pyside_workarounds import guard_none_refcount

if TYPE_CHECKING:
    from jbdesk.services.workspace import Workspace
    from jbdesk.ui.main_window import MainWindow

STYLE = """
QLabel#pageTitle { font-size: 16pt; font-weight: bold; padding: 4px 0 8px 0; }
QListWidget#navigation { font-size: 11pt; }
QListWidget#navigation::item { padding: 5px 2px; }
QListWidget#navigation::item:selected { background: #2f5d9b; color: white; }
"""


def make_app(argv: list[str] | None = None) -> QApplication:
    guard_none_refcount()
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("jbdesk")
    app.setApplicationDisplayName(tr("jbdesk 사회서비스원 보고"))
    app.setApplicationVersion(__version__)
    app.setOrganizationName("전북특별자치도사회서비스원")
    app.setWindowIcon(QIcon(str(resource("icons", "jbdesk.png"))))
    apply_app_font(app)
    app.setStyleSheet(STYLE)
    return app


def ensure_mode(ws: Workspace, parent: QWidget | None = None) -> bool:
    """Ask the mode on first start. False when the user cancelled."""
    if ws.info().configured:
        return True
    from jbdesk.ui.first_run import FirstRunDialog, request_folder

    dialog = FirstRunDialog(ws.registry.facilities(), parent)
    while dialog.exec() == QDialog.DialogCode.Accepted:
        kind, value = dialog.choice()
        try:
            if kind == "hq":
                short = ws.trust.hq_init(value or "")
                QMessageBox.information(
                    dialog, tr("본부 설정"),
                    tr(f"본부 서명 키를 만들었습니다.\n\n본부 키 지문: {short}\n\n")
                    + tr("시설에 설정 파일을 보낼 때 이 지문을 전화로 불러 주세요."),
                )  # fmt: skip
            elif kind == "provision":
                if not value:
                    raise JbdeskError(tr("본부에서 받은 설정 파일을 고르세요."))
                path = Path(value)
                result = ws.trust.setup_facility(path, request_folder(path))
                QMessageBox.information(
                    dialog, tr("시설 설정"),
                    tr(f"{result.facility_name} ({result.facility_code}) 시설 PC로 설정했습니다.\n\n")
                    + tr(f"본부 키 지문: {result.hq_short}\n← 본부가 불러 주는 지문과 같은지 확인하세요.\n\n")
                    + tr(f"이 PC 키 지문: {result.facility_short}\n← 본부에 불러 주세요.\n\n")
                    + tr(f"등록 요청 파일을 본부로 보내세요:\n{result.request_path}"),
                )  # fmt: skip
            else:
                ws.set_facility(value or "")
            return True
        except JbdeskError as exc:
            show_error(dialog, exc)
    return False


def open_or_recover(paths: DataPaths, parent: QWidget | None = None) -> Workspace | None:
    """Open the data dir; when the database is damaged, offer the newest good backup instead."""
    from jbdesk.services.backup import DamagedDatabaseError, restore
    from jbdesk.services.workspace import Workspace  # SQLAlchemy comes with it: only once the window is shown

    try:
        return Workspace.open(paths)
    except DamagedDatabaseError as exc:
        good = exc.latest_good
        if good is None:
            raise
        answer = QMessageBox.question(
            parent, tr("데이터 파일 손상"),
            tr("데이터 파일이 손상되어 열 수 없습니다.\n\n")
            + tr(f"가장 최근의 정상 백업({good.taken_at:%Y-%m-%d %H:%M})으로 되돌릴까요? ")
            + tr("손상된 파일은 지우지 않고 옆에 남겨 둡니다."),
        )  # fmt: skip
        if answer != QMessageBox.StandardButton.Yes:
            return None
        restore(paths, good.path)
        return Workspace.open(paths)


def open_workspace(
    paths: DataPaths, parent: QWidget | None, *, screenshot: bool = False
) -> tuple[Workspace | None, int]:
    """The workspace ready for the window (opened, recovered if damaged, its mode chosen), or None and the exit
    code: 1 after the Korean message (newer schema, locked database, unusable data dir, ...), 0 when the user
    cancelled the first-run choice."""
    try:
        ws = open_or_recover(paths, parent)
        if ws is None:
            return None, 1
        if screenshot and not ws.info().configured:
            ws.set_head_office()  # a screenshot run must not block on the first-run question
        if not ensure_mode(ws, parent):
            ws.close()
            return None, 0
    except Exception as exc:  # not only JbdeskError: an unexpected one gets the generic message, not a dead window
        show_error(parent, exc, tr("jbdesk를 시작할 수 없습니다"))
        return None, 1
    return ws, 0


class _Start:
    """The rest of start-up once the window is up: open the workspace into it, then the checks' timers."""

    def __init__(self, app: QApplication, window: MainWindow, screenshot: str | None) -> None:
        self.app, self.window, self.screenshot = app, window, screenshot
        self.ws: Workspace | None = None
        self.code: int | None = None  # set when start-up ends the program

    def open(self) -> None:
        """Slot of ``shellShown``: the shell is painted, now the database (and SQLAlchemy with it)."""
        ws, code = open_workspace(self.window.paths, self.window, screenshot=bool(self.screenshot))
        if ws is None:
            self._end(code)
            return
        self.ws = ws
        try:
            self.window.attach(ws)
        except Exception as exc:
            show_error(self.window, exc, tr("jbdesk를 시작할 수 없습니다"))
            self._end(1)
            return
        self.ready()

    def ready(self) -> None:
        if self.screenshot:
            window, path = self.window, self.screenshot
            QTimer.singleShot(400, lambda: (window.grab().save(path), window.close(), self.app.quit()))

    def _end(self, code: int) -> None:
        """Close the shell and leave the event loop with ``code``. Closing the last window would post a quit of
        its own, left pending after this exit: it is turned off for the close."""
        self.code = code
        quit_on_close = self.app.quitOnLastWindowClosed()
        self.app.setQuitOnLastWindowClosed(False)
        try:
            self.window.close()
        finally:
            self.app.setQuitOnLastWindowClosed(quit_on_close)
        self.app.exit(code)


def run_gui(data_dir: str | None = None, *, screenshot: str | None = None, page: str | None = None) -> int:
    app = make_app()
    paths = resolve_data_dir(data_dir)
    logs.setup(paths)  # again if the CLI did: idempotent; the window may be started on its own
    install_crash_handler(app)
    route_qt_messages()

    from jbdesk.ui.main_window import MainWindow, ShellHint

    hint = ShellHint.read(paths)
    if hint is None:  # first start on this data dir: its mode, and so the navigation, is in the database
        ws, code = open_workspace(paths, None, screenshot=bool(screenshot))
        if ws is None:
            return code
        window = MainWindow(ws)
        start = _Start(app, window, screenshot)
        start.ws = ws
        start.ready()
    else:
        window = MainWindow(paths=paths, hint=hint)
        start = _Start(app, window, screenshot)
        window.shellShown.connect(start.open)
    if page:
        window.show_page(page)
    window.show()
    if not screenshot and (quit_ms := os.environ.get("JB_QUIT_MS")):
        QTimer.singleShot(int(quit_ms), window.close)
    code = app.exec()
    if start.ws is not None:
        start.ws.close()
    return start.code if start.code is not None else code
