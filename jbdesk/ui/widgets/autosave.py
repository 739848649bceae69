"""Text fields that save themselves: after a short pause in typing, on Enter and when focus leaves."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QWidget

# Autosave must land within a second of the last keystroke (killing the app loses at most the field typed).
PAUSE_MS = 600

Commit = Callable[[list[tuple[str, Any]]], bool]


class _Debounce:
    def __init__(self, owner: QWidget, flush: Callable[[], None]) -> None:
        self.timer = QTimer(owner)
        self.timer.setSingleShot(True)
        self.timer.setInterval(PAUSE_MS)
        self.timer.timeout.connect(flush)


class AutosaveLineEdit(QLineEdit):
    """One-line text bound to ``path``; ``set_value`` from the page never triggers a save."""

    def __init__(self, path: str, commit: Commit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = path
        self._commit = commit
        self._saved = ""
        self._debounce = _Debounce(self, self.flush)
        self.textEdited.connect(lambda _t: self._debounce.timer.start())
        self.returnPressed.connect(self.flush)

    def set_value(self, text: str) -> None:
        self._saved = text or ""
        if self.text() != self._saved and not self._debounce.timer.isActive():
            self.setText(self._saved)

    def flush(self) -> None:
        self._debounce.timer.stop()
        if self.text() != self._saved:
            text = self.text()
            if self._commit([(self.path, text)]):
                self._saved = text

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self.flush()
        super().focusOutEvent(event)


class AutosaveTextEdit(QPlainTextEdit):
    """Multi-line text (narratives, findings) bound to ``path``."""

    def __init__(self, path: str, commit: Commit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = path
        self._commit = commit
        self._saved = ""
        self._loading = False
        self._debounce = _Debounce(self, self.flush)
        self.textChanged.connect(self._changed)

    def _changed(self) -> None:
        if not self._loading:
            self._debounce.timer.start()

    def set_value(self, text: str) -> None:
        self._saved = text or ""
        if self.toPlainText() != self._saved and not self._debounce.timer.isActive():
            self._loading = True
            self.setPlainText(self._saved)
            self._loading = False

    def flush(self) -> None:
        self._debounce.timer.stop()
        if self.toPlainText() != self._saved:
            text = self.toPlainText()
            if self._commit([(self.path, text)]):
                self._saved = text

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self.flush()
        super().focusOutEvent(event)
