"""가져오기 (head office): many files or a folder, dropped or chosen; verified off the GUI thread; a result table."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QDragEnterEvent, QDropEvent, QStandardItem, QStandardItemModel
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
from jbdesk.services.importer import ImportResult, Outcome
from jbdesk.services.workspace import Workspace
from jbdesk.ui.worker import Task, run_task

COLOURS = {
    Outcome.ACCEPTED: "#2e7d32",
    Outcome.ALREADY: "#555555",
    Outcome.STALE: "#8a6d00",
    Outcome.REFUSED: "#b00020",
    Outcome.CONFLICT: "#b00020",
}


class ImportPage(QWidget):
    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.task: Task | None = None
        self.results: list[ImportResult] = []
        self.setAcceptDrops(True)
        layout = QVBoxLayout(self)
        title = QLabel(tr("가져오기"))
        title.setObjectName("pageTitle")
        layout.addWidget(title)
        self.drop_label = QLabel(
            tr(
                "시설에서 보낸 파일(.jbd)을 여기에 끌어다 놓거나 아래 단추로 고르세요. 여러 파일이나 폴더도 "
                "됩니다. 서명과 내용을 모두 확인한 파일만 합치며, 받지 않은 파일은 이유를 보여 줍니다."
            )
        )
        self.drop_label.setWordWrap(True)
        self.drop_label.setStyleSheet("border: 2px dashed #9bb0cc; padding: 14px; color: #333;")
        layout.addWidget(self.drop_label)
        buttons = QHBoxLayout()
        self.files_button = QPushButton(tr("파일 고르기(&F)…"))
        self.folder_button = QPushButton(tr("폴더 고르기(&D)…"))
        self.files_button.clicked.connect(self.choose_files)
        self.folder_button.clicked.connect(self.choose_folder)
        buttons.addWidget(self.files_button)
        buttons.addWidget(self.folder_button)
        buttons.addStretch(1)
        self.summary = QLabel()
        buttons.addWidget(self.summary)
        layout.addLayout(buttons)
        self.model = QStandardItemModel(0, 5)
        self.model.setHorizontalHeaderLabels([tr("파일"), tr("시설"), tr("일련번호"), tr("결과"), tr("내용·사유")])
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        layout.addWidget(self.table, 1)

        history = QHBoxLayout()
        history.addWidget(QLabel(tr("가져온 파일 (최근 순)")))
        history.addStretch(1)
        self.rollback_button = QPushButton(tr("선택한 가져오기 되돌리기(&U)…"))
        self.rollback_button.clicked.connect(self.rollback_selected)
        history.addWidget(self.rollback_button)
        layout.addLayout(history)
        self.bundles = QStandardItemModel(0, 5)
        self.bundles.setHorizontalHeaderLabels([tr("가져온 시각"), tr("파일"), tr("시설"), tr("일련번호"), tr("상태")])
        self.bundle_table = QTableView()
        self.bundle_table.setModel(self.bundles)
        self.bundle_table.verticalHeader().setVisible(False)
        self.bundle_table.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.bundle_table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.bundle_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.bundle_table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.bundle_table, 1)
        self.refresh_bundles()

    def refresh_bundles(self) -> None:
        self.bundles.removeRows(0, self.bundles.rowCount())
        labels = {o.value: o.label for o in Outcome} | {"rolled_back": tr("되돌림")}
        for b in self.ws.imports.all_bundles():
            cells = [QStandardItem(f"{b.imported_at:%Y-%m-%d %H:%M}"), QStandardItem(b.file_name),
                     QStandardItem(b.facility_code), QStandardItem(str(b.sequence)),
                     QStandardItem(labels.get(b.outcome, b.outcome))]  # fmt: skip
            cells[0].setData(b.digest, Qt.ItemDataRole.UserRole)
            self.bundles.appendRow(cells)

    def rollback_selected(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        from jbdesk.ui.errors import show_error

        rows = self.bundle_table.selectionModel().selectedRows()
        if not rows:
            return
        digest = self.bundles.item(rows[0].row(), 0).data(Qt.ItemDataRole.UserRole)
        name = self.bundles.item(rows[0].row(), 1).text()
        answer = QMessageBox.question(
            self, tr("가져오기 되돌리기"),
            tr(f"{name}을(를) 가져오기 전으로 되돌릴까요? 이 파일로 들어온 판이 빠지고 이전 판이 다시 현재 판이 ")
            + tr("됩니다. 되돌린 일은 감사 기록에 남고, 파일은 나중에 다시 가져올 수 있습니다."),
        )  # fmt: skip
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self.ws.imports.rollback(digest)
        except Exception as exc:
            show_error(self, exc)
        self.refresh_bundles()

    # choosing ----------------------------------------------------------------------------
    def choose_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self, tr("가져올 파일"), "", tr("jbdesk 보고 파일 (*.jbd);;모든 파일 (*)")
        )
        if files:
            self.start([Path(f) for f in files])

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, tr("가져올 폴더"))
        if folder:
            self.start([Path(folder)])

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.start(paths)

    # running -----------------------------------------------------------------------------
    def start(self, paths: list[Path]) -> Task | None:
        if self.task is not None:
            return None
        self.files_button.setEnabled(False)
        self.folder_button.setEnabled(False)

        def work(report, cancelled):
            return self.ws.imports.import_paths(paths, progress=report, cancelled=cancelled)

        self.task = run_task(self, tr("가져오는 중"), work, self._done, self._failed)
        return self.task

    def _finish(self) -> None:
        self.task = None
        self.files_button.setEnabled(True)
        self.folder_button.setEnabled(True)

    def _failed(self, exc: BaseException) -> None:
        from jbdesk.ui.errors import show_error

        self._finish()
        show_error(self, exc, tr("가져오기를 하지 못했습니다"))

    def _done(self, results: list[ImportResult]) -> None:
        self._finish()
        self.refresh_bundles()
        self.results = results
        self.model.removeRows(0, self.model.rowCount())
        for r in results:
            detail = r.message
            if r.instances:
                detail += " — " + ", ".join(f"{f} {p} {rev}판" for f, p, rev, _ in r.instances)
            if r.notes:
                detail += "\n" + "\n".join(f"· {n}" for n in r.notes)
            cells = [
                QStandardItem(r.file_name),
                QStandardItem(r.facility_code),
                QStandardItem(str(r.sequence) if r.sequence else ""),
                QStandardItem(r.outcome.label),
                QStandardItem(detail),
            ]
            cells[3].setForeground(QBrush(QColor(COLOURS[r.outcome])))
            cells[3].setData(r.outcome.value, Qt.ItemDataRole.UserRole)
            self.model.appendRow(cells)
        self.table.resizeRowsToContents()
        counts = {o: sum(1 for r in results if r.outcome is o) for o in Outcome}
        self.summary.setText(
            tr(f"접수 {counts[Outcome.ACCEPTED]} · 이미 가져옴 {counts[Outcome.ALREADY]} · ")
            + tr(f"이전 판 {counts[Outcome.STALE]} · 거부 {counts[Outcome.REFUSED] + counts[Outcome.CONFLICT]}")
        )
