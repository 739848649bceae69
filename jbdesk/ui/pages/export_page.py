"""보내기 (facility): what is ready, where to write it (a USB stick), and the signed file that results."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from PySide6.QtCore import QSettings, QStandardPaths, Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from jbdesk.bundle.keys import short_of_hex
from jbdesk.errors import JbdeskError
from jbdesk.i18n import tr
from jbdesk.services.export import ExportResult, ensure_dir
from jbdesk.services.workspace import Workspace
from jbdesk.ui.errors import show_error
from jbdesk.ui.worker import Task, run_task


class ExportPage(QWidget):
    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.task: Task | None = None
        self.last_result: ExportResult | None = None
        self._settings = QSettings(str(ws.paths.ui_settings), QSettings.Format.IniFormat)
        layout = QVBoxLayout(self)
        title = QLabel(tr("보내기"))
        title.setObjectName("pageTitle")
        layout.addWidget(title)
        intro = QLabel(
            tr(
                "작성완료한 보고를 본부 서명 확인이 되는 파일 하나(.jbd)로 만듭니다. 파일을 USB에 담거나 "
                "전자우편에 붙여 본부로 보내세요. 보낸 보고는 '제출됨'이 되어 더 고칠 수 없고, 고칠 때는 "
                "'수정하기'로 새 판을 만듭니다."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)

        self.identity = QLabel()
        self.identity.setWordWrap(True)
        self.identity.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.identity)

        box = QGroupBox(tr("보낼 보고 (작성완료)"))
        box_layout = QVBoxLayout(box)
        self.list = QListWidget()
        self.list.setAccessibleName(tr("보낼 보고 목록"))
        box_layout.addWidget(self.list)
        layout.addWidget(box, 1)

        row = QHBoxLayout()
        label = QLabel(tr("저장할 곳(&F):"))
        self.folder = QLineEdit()
        label.setBuddy(self.folder)
        self.folder.setText(str(self._settings.value("export/folder", self._default_folder())))
        browse = QPushButton(tr("찾아보기(&B)…"))
        browse.clicked.connect(self.choose_folder)
        row.addWidget(label)
        row.addWidget(self.folder, 1)
        row.addWidget(browse)
        layout.addLayout(row)

        actions = QHBoxLayout()
        self.export_button = QPushButton(tr("파일 만들기(&E)"))
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.export)
        self.result_label = QLabel()
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        actions.addWidget(self.result_label, 1)
        actions.addWidget(self.export_button)
        layout.addLayout(actions)
        self.refresh()

    @staticmethod
    def _default_folder() -> str:
        return QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DesktopLocation) or str(Path.home())

    def showEvent(self, event) -> None:  # forms may have been made ready meanwhile
        self.refresh()
        super().showEvent(event)

    def refresh(self) -> None:
        hq = self.ws.trust.hq_identity()
        try:
            key = self.ws.trust.facility_key().public.short
        except JbdeskError:
            key = None
        if hq is None or key is None:
            self.identity.setText(
                tr(
                    "이 PC는 아직 본부 설정 파일로 설정되지 않아 파일을 보낼 수 없습니다. 본부에 설정 파일을 요청하세요."
                )
            )
        else:
            self.identity.setText(
                tr(f"받는 곳: {hq.name} (본부 키 {short_of_hex(hq.public_key)}) · 이 PC의 서명 키: {key}")
            )
        self.list.clear()
        try:
            ready = self.ws.exports.ready()
        except JbdeskError as exc:
            self.list.addItem(exc.message)
            ready = []
        for line in self.ws.exports.describe(ready):
            self.list.addItem(line)
        if not ready:
            self.list.addItem(tr("보낼 보고가 없습니다. 각 보고를 작성완료하면 여기에 나타납니다."))
        self.export_button.setEnabled(bool(ready) and hq is not None and key is not None and self.task is None)
        note = self.ws.exports.notice()  # an export killed half-way, settled at start: until the next export
        if note and self.last_result is None:
            self.result_label.setText(note)

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, tr("저장할 곳 (USB 등)"), self.folder.text())
        if folder:
            self.folder.setText(folder)

    def export(self) -> None:
        try:
            target = ensure_dir(Path(self.folder.text().strip()))
        except JbdeskError as exc:
            show_error(self, exc)
            return
        self._settings.setValue("export/folder", str(target))
        self.export_button.setEnabled(False)

        secret = self._passphrase_if_needed()
        if secret is False:
            self.refresh()
            return

        def work(report, cancelled):
            report(0, 1, tr("서명하고 저장하는 중…"))
            return self.ws.exports.export(target, passphrase=secret or None)

        self.task = run_task(self, tr("보내기"), work, self._done, self._failed)

    def _passphrase_if_needed(self) -> str | Literal[False] | None:
        """Ask for the key's passphrase on the GUI thread before the work starts (False: the user cancelled)."""
        from PySide6.QtWidgets import QInputDialog, QLineEdit

        from jbdesk.bundle.keys import PassphraseRequired

        try:
            self.ws.trust.facility_key()
            return None
        except PassphraseRequired:
            text, ok = QInputDialog.getText(
                self, tr("서명 키 암호"), tr("이 PC의 서명 키 암호:"), QLineEdit.EchoMode.Password
            )
            return text if ok and text else False
        except JbdeskError:
            return None  # reported by the export itself

    def _done(self, result: ExportResult) -> None:
        self.task = None
        self.last_result = result
        self.result_label.setText(
            tr(f"만들었습니다: {result.path}\n보고 {len(result.instances)}건, 일련번호 {result.sequence}. ")
            + tr("이 파일을 본부로 보내세요. 사본은 데이터 폴더의 exports에도 남아 있습니다.")
        )
        self.refresh()

    def _failed(self, exc: BaseException) -> None:
        self.task = None
        self.refresh()
        show_error(self, exc, tr("보내기를 하지 못했습니다"))
