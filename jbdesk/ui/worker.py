"""The one way to run long work (import, export, PDF, Excel) off the GUI thread, with progress and cancel.

``run_task`` shows a progress dialog, runs ``work(report, cancelled)`` on a pool thread and delivers
the result (or the exception) back on the GUI thread through queued signals.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from jbdesk.i18n import tr

Report = Callable[[int, int, str], None]  # (done, total, what)
Work = Callable[[Report, Callable[[], bool]], Any]


class _Signals(QObject):
    progress = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(object)


class _Runnable(QRunnable):
    def __init__(self, work: Work, signals: _Signals, cancel: threading.Event) -> None:
        super().__init__()
        self.work = work
        self.signals = signals
        self.cancel = cancel
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self.work(lambda d, t, w: self.signals.progress.emit(d, t, w), self.cancel.is_set)
        except BaseException as exc:  # delivered to the GUI thread, shown by the one error handler there
            self.signals.failed.emit(exc)
        else:
            self.signals.finished.emit(result)


class Task(QObject):
    """A running piece of work. Keep a reference until ``done`` or ``error`` fires."""

    done = Signal(object)
    error = Signal(object)

    def __init__(self, parent: QWidget | None, title: str, work: Work, *, show_dialog: bool = True) -> None:
        super().__init__(parent)
        self._cancel = threading.Event()
        self._signals = _Signals()
        self.dialog: QProgressDialog | None = None
        if show_dialog:
            self.dialog = QProgressDialog(title, tr("취소"), 0, 0, parent)
            self.dialog.setWindowTitle(title)
            self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
            self.dialog.setMinimumDuration(300)  # quick work finishes without a flash of a dialog
            self.dialog.canceled.connect(self.cancel)
        self._signals.progress.connect(self._progress, Qt.ConnectionType.QueuedConnection)
        self._signals.finished.connect(self._finished, Qt.ConnectionType.QueuedConnection)
        self._signals.failed.connect(self._failed, Qt.ConnectionType.QueuedConnection)
        QThreadPool.globalInstance().start(_Runnable(work, self._signals, self._cancel))

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def _progress(self, done: int, total: int, what: str) -> None:
        if self.dialog is not None:
            self.dialog.setMaximum(max(total, 1))
            self.dialog.setValue(min(done, total))
            if what:
                self.dialog.setLabelText(what)

    def _close(self) -> None:
        if self.dialog is not None:
            self.dialog.reset()
            self.dialog.close()

    def _finished(self, result: Any) -> None:
        self._close()
        self.done.emit(result)

    def _failed(self, exc: BaseException) -> None:
        self._close()
        self.error.emit(exc)


def run_task(
    parent: QWidget | None,
    title: str,
    work: Work,
    on_done: Callable[[Any], None],
    on_error: Callable[[BaseException], None] | None = None,
) -> Task:
    """Start ``work`` off the GUI thread; ``on_done``/``on_error`` run on the GUI thread afterwards."""
    from jbdesk.ui.errors import show_error

    task = Task(parent, title, work)
    task.done.connect(on_done)
    task.error.connect(on_error or (lambda exc: show_error(parent, exc)))
    return task
