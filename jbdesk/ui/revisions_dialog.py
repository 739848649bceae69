"""판 비교 (head office): every revision received for one form instance, and what changed between two of them."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from jbdesk.bundle.keys import short_of_fingerprint
from jbdesk.domain.forms import FormRef
from jbdesk.i18n import tr
from jbdesk.services.workspace import Workspace


def _text(value: Any) -> str:
    if value is None:
        return tr("(없음)")
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


class RevisionsDialog(QDialog):
    def __init__(self, ws: Workspace, ref: FormRef, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("판 비교 — ") + f"{ref.facility_code} {ref.label}")
        self.resize(900, 560)
        self.ws = ws
        self.revisions = ws.imports.revisions(ref)
        layout = QVBoxLayout(self)
        headers = [tr("판"), tr("제출 시각"), tr("서명 키"), tr("파일"), tr("메모")]
        self.table = QTableWidget(len(self.revisions), len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        current = max((r.record.revision for r in self.revisions), default=0)
        for row, r in enumerate(self.revisions):
            mark = tr(" (현재)") if r.record.revision == current else ""
            submitted = r.record.submitted_at
            values = [
                f"{r.record.revision}{mark}",
                f"{submitted:%Y-%m-%d %H:%M}" if submitted else "",
                short_of_fingerprint(r.key_fingerprint) if r.key_fingerprint else "",
                (r.bundle_digest or "")[:12],
                r.record.note,
            ]
            for col, value in enumerate(values):
                self.table.setItem(row, col, QTableWidgetItem(value))
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table)

        picker = QHBoxLayout()
        self.left = QComboBox()
        self.right = QComboBox()
        for r in self.revisions:
            self.left.addItem(tr(f"{r.record.revision}판"), r.record.revision)
            self.right.addItem(tr(f"{r.record.revision}판"), r.record.revision)
        if len(self.revisions) >= 2:
            self.left.setCurrentIndex(len(self.revisions) - 2)
            self.right.setCurrentIndex(len(self.revisions) - 1)
        picker.addWidget(QLabel(tr("비교:")))
        picker.addWidget(self.left)
        picker.addWidget(QLabel("→"))
        picker.addWidget(self.right)
        picker.addStretch(1)
        layout.addLayout(picker)

        # 항목 names the row and the column (요양보호사 · 현원, SF-FIR-01 and its question · 상태): wider, wrapped.
        self.diff = QTableWidget(0, 3)
        self.diff.setHorizontalHeaderLabels([tr("항목"), tr("이전"), tr("새 값")])
        self.diff.setAccessibleName(tr("바뀐 항목 표"))
        self.diff.verticalHeader().setVisible(False)
        self.diff.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.diff.setWordWrap(True)
        header = self.diff.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.diff.setColumnWidth(0, 440)
        layout.addWidget(self.diff, 1)
        self.left.currentIndexChanged.connect(self.compare)
        self.right.currentIndexChanged.connect(self.compare)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(tr("닫기"))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.compare()

    def compare(self) -> None:
        by_rev = {r.record.revision: r.record for r in self.revisions}
        a, b = by_rev.get(self.left.currentData()), by_rev.get(self.right.currentData())
        changes = self.ws.reviews.changes(a, b) if a is not None and b is not None and a is not b else []
        self.diff.setRowCount(len(changes))
        for row, change in enumerate(changes):
            where = change.path if change.label == change.path else f"{change.label}\n{change.path}"
            tips = (where, _text(change.old), _text(change.new))
            for col, value in enumerate((change.label, _text(change.old), _text(change.new))):
                item = QTableWidgetItem(value)
                item.setToolTip(tips[col])
                self.diff.setItem(row, col, item)
        self.diff.resizeRowsToContents()
