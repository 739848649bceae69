"""회신: head office writes signed feedback files (decisions, receipts, configuration); a facility applies them."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths, Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from jbdesk.domain.forms import FORMS
from jbdesk.i18n import tr
from jbdesk.services.workspace import Mode, Workspace
from jbdesk.ui.errors import show_error
from jbdesk.ui.worker import Task, run_task


class FeedbackPage(QWidget):
    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.task: Task | None = None
        self.hq = ws.mode is Mode.HQ
        self._settings = QSettings(str(ws.paths.ui_settings), QSettings.Format.IniFormat)
        layout = QVBoxLayout(self)
        title = QLabel(tr("회신 보내기") if self.hq else tr("본부 회신"))
        title.setObjectName("pageTitle")
        layout.addWidget(title)
        intro = QLabel(
            tr(
                "시설마다 본부 서명이 된 회신 파일(.jbf)을 만듭니다. 접수·보완요청 결정과 의견, 본부가 받은 판(수신 "
                "확인), 바뀐 시설 정보와 설정이 들어 있습니다. 파일을 시설에 보내세요."
            )
            if self.hq
            else tr(
                "본부에서 받은 회신 파일(.jbf)을 반영합니다. 보완요청된 보고는 의견과 함께 표시되고, '수정하기'로 "
                "고쳐 다시 보내면 됩니다. 아래 목록은 본부가 받은 판입니다 (마지막 회신 기준). PC를 새로 바꾼 "
                "시설은 본부가 만든 복구 파일(.jbr)도 여기서 반영합니다."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.list = QListWidget()
        layout.addWidget(self.list, 1)
        row = QHBoxLayout()
        if self.hq:
            self.folder = QLineEdit(str(self._settings.value("feedback/folder", self._default())))
            browse = QPushButton(tr("찾아보기(&B)…"))
            browse.clicked.connect(self._browse)
            self.action = QPushButton(tr("선택한 시설 회신 만들기(&W)"))
            self.action.clicked.connect(self.write_selected)
            row.addWidget(QLabel(tr("저장할 곳:")))
            row.addWidget(self.folder, 1)
            row.addWidget(browse)
            self.list.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        else:
            self.action = QPushButton(tr("회신 파일 열기(&O)…"))
            self.action.clicked.connect(self.apply_file)
            row.addStretch(1)
        row.addWidget(self.action)
        layout.addLayout(row)
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.result)
        self.refresh()

    @staticmethod
    def _default() -> str:
        return QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DesktopLocation) or str(Path.home())

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, tr("저장할 곳"), self.folder.text())
        if folder:
            self.folder.setText(folder)

    def showEvent(self, event) -> None:
        self.refresh()
        super().showEvent(event)

    def refresh(self) -> None:
        self.list.clear()
        if self.hq:
            news = set(self.ws.feedback.facilities_with_news())
            for f in self.ws.registry.facilities():
                item = QListWidgetItem(f"{f.code}  {f.name}" + (tr("  · 새 소식 있음") if f.code in news else ""))
                item.setData(Qt.ItemDataRole.UserRole, f.code)
                self.list.addItem(item)
                item.setSelected(f.code in news)
            return
        lines = self.ws.feedback.receipt()
        if not lines:
            self.list.addItem(tr("아직 받은 회신이 없습니다."))
        for line in sorted(lines, key=lambda x: (x.ref.period.start, x.ref.form.value), reverse=True):
            self.list.addItem(
                f"{FORMS[line.ref.form].label} {line.ref.period.label}: "
                + tr(f"본부가 {line.revision}판을 받음 · {line.state} ({line.as_of:%Y-%m-%d} 기준)")
            )

    def write_selected(self) -> None:
        codes = [item.data(Qt.ItemDataRole.UserRole) for item in self.list.selectedItems()]
        if not codes:
            self.result.setText(tr("회신을 만들 시설을 고르세요 (새 소식이 있는 시설은 미리 골라 둡니다)."))
            return
        folder = Path(self.folder.text().strip())
        self._settings.setValue("feedback/folder", str(folder))

        def work(report, cancelled):
            from jbdesk.services.export import ensure_dir

            out = ensure_dir(folder)
            written = []
            for i, code in enumerate(codes):
                if cancelled():
                    break
                report(i, len(codes), code)
                written.append(self.ws.feedback.write(code, out))
            return written

        self.task = run_task(self, tr("회신 만들기"), work, self._written, self._failed)

    def _written(self, written) -> None:
        self.task = None
        self.result.setText(
            "\n".join(tr(f"{w.facility_code}: {w.path} (결정 {w.reviews}건, 보완요청 {w.returned}건)") for w in written)
        )
        self.refresh()

    def _failed(self, exc: BaseException) -> None:
        self.task = None
        show_error(self, exc)

    def apply_file(self, path: str | None = None) -> None:
        if not path:
            path, _ = QFileDialog.getOpenFileName(
                self, tr("본부 회신 파일"), "", tr("jbdesk 회신·복구 파일 (*.jbf *.jbr);;모든 파일 (*)")
            )
        if not path:
            return
        try:
            applied = self.ws.feedback.apply_file(Path(path))
        except Exception as exc:
            show_error(self, exc, tr("회신을 반영하지 못했습니다"))
            return
        text = applied.message
        if applied.returned:
            text += "\n" + tr("보완요청: ") + ", ".join(applied.returned)
        self.result.setText(text)
        self.refresh()
