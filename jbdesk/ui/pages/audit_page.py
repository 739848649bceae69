"""감사 기록: what happened, who did it, and whether the hash-chained log is intact; exportable to Excel."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from jbdesk.i18n import tr
from jbdesk.services.audit import ACTION_LABELS, AuditService
from jbdesk.services.workspace import Workspace
from jbdesk.ui.worker import Task, run_task

SHOWN = 1000


class AuditPage(QWidget):
    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = AuditService(ws)
        self.task: Task | None = None
        layout = QVBoxLayout(self)
        title = QLabel(tr("감사 기록"))
        title.setObjectName("pageTitle")
        layout.addWidget(title)
        row = QHBoxLayout()
        self.status = QLabel()
        self.status.setWordWrap(True)
        row.addWidget(self.status, 1)
        verify = QPushButton(tr("다시 검증(&V)"))
        verify.clicked.connect(self.refresh)
        self.export_button = QPushButton(tr("엑셀로 저장(&X)…"))
        self.export_button.clicked.connect(self.export)
        row.addWidget(verify)
        row.addWidget(self.export_button)
        layout.addLayout(row)
        self.model = QStandardItemModel(0, 6)
        self.model.setHorizontalHeaderLabels([tr("번호"), tr("일시"), tr("사용자"), tr("작업"), tr("대상"), tr("내용")])
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table, 1)
        self.refresh()

    def refresh(self) -> None:
        check = self.service.verify()
        colour = "#2e7d32" if check.ok else "#b00020"
        self.status.setText(
            f"<span style='color:{colour}'><b>{check.message}</b></span> " + tr(f"(최근 {SHOWN:,}건 표시)")
        )
        self.model.removeRows(0, self.model.rowCount())
        for e in self.service.entries(SHOWN):
            who = f"{e.operator} ({e.os_user})" if e.operator else e.os_user
            values = [str(e.id), f"{e.at:%Y-%m-%d %H:%M:%S}", who, ACTION_LABELS.get(e.action, e.action), e.subject,
                      e.detail[:200]]  # fmt: skip
            self.model.appendRow([QStandardItem(v) for v in values])

    def export(self, path: str | None = None) -> Task | None:
        if not path:
            path, _ = QFileDialog.getSaveFileName(self, tr("감사 기록 저장"), "감사기록.xlsx", tr("엑셀 (*.xlsx)"))
        if not path:
            return None
        target = Path(path)

        def work(report, cancelled):
            report(0, 1, tr("저장하는 중…"))
            return self.service.export_xlsx(target)

        self.task = run_task(self, tr("감사 기록 저장"), work, self._done)
        return self.task

    def _done(self, path: Path) -> None:
        self.task = None
        self.status.setText(self.status.text() + "<br>" + tr(f"저장했습니다: {path}"))
