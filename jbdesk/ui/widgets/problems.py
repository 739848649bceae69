"""Problems panel: every error and warning of the form; warnings take their explanation here."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from jbdesk.domain.validation import Problem, Severity, ValidationResult
from jbdesk.i18n import tr


class ProblemsPanel(QWidget):
    fieldActivated = Signal(str)  # field path
    explanationGiven = Signal(str, str)  # problem key, text

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.header = QLabel()
        self.list = QListWidget()
        self.list.setAccessibleName(tr("고칠 곳 목록"))
        self.list.setMaximumHeight(150)
        self.describe: Callable[[str], str | None] = lambda field: (
            None
        )  # page hook: field path -> what the clerk calls it (item, row)
        layout.addWidget(self.header)
        layout.addWidget(self.list)
        row = QHBoxLayout()
        self.explain_label = QLabel(tr("경고 사유(&R):"))
        self.explain_edit = QLineEdit()
        self.explain_edit.setPlaceholderText(tr("경고를 고르고 사유를 적은 뒤 Enter (예: 본부 전보 1명)"))
        self.explain_label.setBuddy(self.explain_edit)
        self.explain_button = QPushButton(tr("사유 저장"))
        row.addWidget(self.explain_label)
        row.addWidget(self.explain_edit, 1)
        row.addWidget(self.explain_button)
        layout.addLayout(row)
        self._problems: list[Problem] = []
        self._explanations: Mapping[str, str] = {}
        self.list.currentRowChanged.connect(self._selected)
        self.list.itemActivated.connect(self._activated)
        self.explain_edit.returnPressed.connect(self._save_explanation)
        self.explain_button.clicked.connect(self._save_explanation)
        self._selected(-1)

    def set_problems(self, result: ValidationResult, explanations: Mapping[str, str], editable: bool) -> None:
        current = self.current_problem()
        self._problems = list(result.errors) + list(result.warnings)
        self._explanations = explanations
        self._editable = editable
        self.list.blockSignals(True)
        self.list.clear()
        for p in self._problems:
            explained = explanations.get(p.key, "").strip()
            mark = "오류" if p.severity is Severity.ERROR else ("경고·사유 있음" if explained else "경고")
            where = self.describe(p.field) if p.field else None
            text = (
                f"[{mark}] " + (f"{where}: " if where else "") + p.message + (f"  → {explained}" if explained else "")
            )
            item = QListWidgetItem(text)
            colour = "#b00020" if p.severity is Severity.ERROR else ("#2e7d32" if explained else "#8a6d00")
            item.setForeground(QBrush(QColor(colour)))
            self.list.addItem(item)
        self.list.blockSignals(False)
        # As tall as its lines (2-7), so an almost clean form leaves room for the grid.
        rows = min(max(self.list.count(), 2), 7)
        self.list.setFixedHeight(rows * self.list.fontMetrics().height() + 12 + rows * 4)
        errors = len(result.errors)
        open_warnings = len(result.unexplained(explanations))
        if not self._problems:
            self.header.setText(tr("고칠 곳이 없습니다. 작성완료할 수 있습니다."))
        else:
            self.header.setText(tr(f"오류 {errors}건, 사유가 필요한 경고 {open_warnings}건"))
        if current is not None and current in self._problems:
            self.list.setCurrentRow(self._problems.index(current))
        else:
            self._selected(-1)

    def current_problem(self) -> Problem | None:
        row = self.list.currentRow()
        return self._problems[row] if 0 <= row < len(self._problems) else None

    def select_warning(self, key: str) -> None:
        for i, p in enumerate(self._problems):
            if p.key == key:
                self.list.setCurrentRow(i)
                return

    def _selected(self, row: int) -> None:
        p = self._problems[row] if 0 <= row < len(getattr(self, "_problems", [])) else None
        can = p is not None and p.severity is Severity.WARNING and getattr(self, "_editable", False)
        self.explain_edit.setEnabled(can)
        self.explain_button.setEnabled(can)
        self.explain_edit.setText(self._explanations.get(p.key, "") if p is not None else "")

    def _activated(self, item: QListWidgetItem) -> None:
        p = self._problems[self.list.row(item)]
        if p.field:
            self.fieldActivated.emit(p.field)
        if p.severity is Severity.WARNING:
            self.explain_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def _save_explanation(self) -> None:
        p = self.current_problem()
        if p is not None and p.severity is Severity.WARNING:
            self.explanationGiven.emit(p.key, self.explain_edit.text())
