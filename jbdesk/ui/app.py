"""Start the GUI: QApplication, bundled font, workspace, first-run choice, main window."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from jbdesk import __version__
from jbdesk.errors import JbdeskError
from jbdesk.i18n import tr
from jbdesk.paths import DataPaths, resolve_data_dir
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


def guard_none_refcount() -> None:
    """PySide6's abi3 wheels drop references to ``None`` on some void calls (QPainter drawing: tens of thousands
    per printed report) under Python 3.11, where ``None`` is not yet immortal (PEP 683 came in 3.12); at zero
    CPython aborts ("deallocating None"). ``None`` is never freed anyway, so its count is raised once far
    beyond reach. Nothing to do on 3.12+."""
    if sys.version_info < (3, 12) and sys.getrefcount(None) < 1 << 39:
        import ctypes

        ctypes.c_ssize_t.from_address(id(None)).value += 1 << 40  # ob_refcnt, the first field of every object


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

    dialog = FirstRunDialog(ws.registry.list(), parent)
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


def run_gui(data_dir: str | None = None, *, screenshot: str | None = None, page: str | None = None) -> int:
    app = make_app()
    paths = resolve_data_dir(data_dir)
    try:
        ws = open_or_recover(paths)
    except JbdeskError as exc:
        show_error(None, exc, tr("jbdesk를 시작할 수 없습니다"))
        return 1
    if ws is None:
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
