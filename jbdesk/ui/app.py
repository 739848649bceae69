"""Start the GUI: QApplication, bundled font, workspace, first-run choice, main window."""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from jbdesk import __version__
from jbdesk.errors import JbdeskError
from jbdesk.i18n import tr
from jbdesk.paths import resolve_data_dir
from jbdesk.resources import resource
from jbdesk.services.workspace import Workspace
from jbdesk.ui.errors import show_error
from jbdesk.ui.fonts import apply_app_font

STYLE = """
QLabel#pageTitle { font-size: 16pt; font-weight: bold; padding: 4px 0 8px 0; }
QListWidget#navigation { font-size: 11pt; }
QListWidget#navigation::item { padding: 5px 2px; }
QListWidget#navigation::item:selected { background: #2f5d9b; color: white; }
"""


def make_app(argv: list[str] | None = None) -> QApplication:
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
    from jbdesk.ui.first_run import FirstRunDialog

    dialog = FirstRunDialog(ws.registry.list(), parent)
    while dialog.exec() == QDialog.DialogCode.Accepted:
        kind, code = dialog.choice()
        try:
            if kind == "hq":
                ws.set_head_office()
            else:
                ws.set_facility(code or "")
            return True
        except JbdeskError as exc:
            show_error(dialog, exc)
    return False


def run_gui(data_dir: str | None = None, *, screenshot: str | None = None, page: str | None = None) -> int:
    app = make_app()
    try:
        ws = Workspace.open(resolve_data_dir(data_dir))
    except JbdeskError as exc:
        show_error(None, exc, tr("jbdesk를 시작할 수 없습니다"))
        return 1
    if screenshot and not ws.info().configured:
        ws.set_head_office()  # a screenshot run must not block on the first-run question
    if not ensure_mode(ws):
        ws.close()
        return 0

    from jbdesk.ui.main_window import MainWindow

    window = MainWindow(ws)
    if page:
        window.show_page(page)
    window.show()
    if screenshot:
        QTimer.singleShot(400, lambda: (window.grab().save(screenshot), window.close(), app.quit()))
    elif quit_ms := os.environ.get("JB_QUIT_MS"):
        QTimer.singleShot(int(quit_ms), window.close)
    code = app.exec()
    ws.close()
    return code
