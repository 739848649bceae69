"""The one place where errors become messages the user reads, and the window's crash handler.

An error jbdesk expects (``JbdeskError``) is a message box with its Korean message. Anything else is a bug: its
traceback goes to the log file (``jbdesk.logs``) and the user sees ``CrashDialog`` with a Korean explanation and a
"자세한 내용 복사" button that puts everything a developer needs on the clipboard. ``install_crash_handler`` routes
errors nobody caught there too, from any thread: ``sys.excepthook`` (an exception escaping a Qt slot ends up there)
and ``threading.excepthook``; errors of the background worker (``jbdesk.ui.worker``) arrive through ``show_error``.
"""

from __future__ import annotations

import logging
import platform
import traceback
from datetime import datetime
from types import TracebackType

from PySide6.QtCore import QObject, Qt, QtMsgType, Signal, Slot, qInstallMessageHandler
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from jbdesk import __version__, logs
from jbdesk.errors import JbdeskError
from jbdesk.i18n import tr

log = logging.getLogger(__name__)

UNEXPECTED = "예상하지 못한 오류가 났습니다. 입력한 내용은 저장된 상태입니다. 이 메시지를 담당자에게 알려 주세요."


def message_for(exc: BaseException) -> tuple[str, str | None]:
    """(message, detail) for any exception; unexpected ones get a generic Korean message."""
    if isinstance(exc, JbdeskError):
        return exc.message, exc.detail
    return tr(UNEXPECTED), "".join(traceback.format_exception(exc)).strip()


def show_error(parent: QWidget | None, exc: BaseException, title: str | None = None) -> None:
    if not isinstance(exc, JbdeskError):
        details = logs.record_unexpected(type(exc), exc, exc.__traceback__)
        CrashDialog(parent, details, title=title).exec()
        return
    message, detail = message_for(exc)
    log.info("shown to the user: %s", exc)  # what the clerk saw, for whoever reads the log afterwards
    box = QMessageBox(QMessageBox.Icon.Warning, title or tr("jbdesk"), message, QMessageBox.StandardButton.Ok, parent)
    box.button(QMessageBox.StandardButton.Ok).setText(tr("확인"))
    if detail:
        box.setDetailedText(detail)
    box.exec()


class CrashDialog(QDialog):
    """An unexpected error: what happened in Korean, where the log is, the details, and a button to copy them."""

    def __init__(self, parent: QWidget | None, details: str, *, title: str | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title or tr("jbdesk 오류"))
        self.setMinimumWidth(560)
        self.report = _report(details)
        layout = QVBoxLayout(self)
        where = logs.log_file()
        text = tr(
            "예상하지 못한 오류가 났습니다. 지금까지 입력한 내용은 저장된 상태입니다.\n\n"
            "'자세한 내용 복사'를 누른 뒤 담당자에게 붙여 보내 주세요 (메일이나 메신저에 붙여넣기)."
        )
        if where is not None:
            text += "\n" + tr("같은 내용이 기록 파일에도 남았습니다: {path}").format(path=where)
        self.message = QLabel(text)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.message)
        self.details = QPlainTextEdit(details)
        self.details.setReadOnly(True)
        self.details.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.details.setMaximumHeight(160)
        self.details.setAccessibleName(tr("자세한 내용"))
        layout.addWidget(self.details)
        buttons = QDialogButtonBox()
        self.copy_button = QPushButton(tr("자세한 내용 복사(&C)"))
        self.close_button = QPushButton(tr("닫기"))
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.close_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.copy_button.clicked.connect(self.copy)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.close_button.setDefault(True)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.report)
        self.copy_button.setText(tr("복사했습니다"))


def _report(details: str) -> str:
    """What the clipboard gets: enough to find the bug without asking the clerk anything."""
    where = logs.log_file()
    return "\n".join(
        [
            f"jbdesk {__version__}",
            f"{datetime.now():%Y-%m-%d %H:%M:%S}",
            f"{platform.platform()} · Python {platform.python_version()}",
            f"log: {where}" if where is not None else "log: -",
            "",
            details,
        ]
    )


class _CrashRelay(QObject):
    """Carries an uncaught error from whichever thread it happened on to the GUI thread, where the dialog opens."""

    crashed = Signal(str)

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.dialog: CrashDialog | None = None
        self.crashed.connect(self.present, Qt.ConnectionType.QueuedConnection)

    @Slot(str)
    def present(self, details: str) -> None:
        if self.dialog is not None and self.dialog.isVisible():
            return  # one dialog at a time; every error is in the log
        self.dialog = CrashDialog(QApplication.activeWindow(), details)
        self.dialog.open()  # window-modal, without a nested event loop inside the hook


def install_crash_handler(app: QApplication) -> _CrashRelay:
    """Uncaught errors from now on: logged, then shown in ``CrashDialog`` (queued to the GUI thread)."""
    relay = _CrashRelay(app)

    def on_error(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None, where: str) -> None:
        relay.crashed.emit("".join(traceback.format_exception(exc_type, exc, tb)).strip())

    logs.install_hooks(on_error)
    return relay


_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def route_qt_messages() -> None:
    """Qt's own warnings go to the log (the windowed build has no console to print them on)."""
    qt_log = logging.getLogger("qt")

    def handler(kind: QtMsgType, _context: object, text: str) -> None:
        qt_log.log(_QT_LEVELS.get(kind, logging.WARNING), "%s", text)

    qInstallMessageHandler(handler)
