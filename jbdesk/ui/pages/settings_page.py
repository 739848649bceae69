"""설정: what this PC is, where its data lives, backups (take one now, restore one), the operator's name, and on a
facility PC setting it up again from a provisioning file (which replaces its signing key, after a question)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from jbdesk.domain.retention import label_of
from jbdesk.i18n import tr
from jbdesk.services import backup
from jbdesk.services.mode import Mode
from jbdesk.services.workspace import Workspace
from jbdesk.ui.errors import show_error


class SettingsPage(QWidget):
    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        info = ws.info()
        layout = QVBoxLayout(self)
        title = QLabel(tr("설정"))
        title.setObjectName("pageTitle")
        layout.addWidget(title)
        form = QFormLayout()
        mode = info.mode.label if info.mode else tr("미설정")
        facility = f"{info.facility_code} {info.facility_name}" if info.facility_code else "-"
        for label, value in (
            (tr("이 PC의 용도"), mode),
            (tr("시설"), facility),
            (tr("데이터 폴더"), str(info.data_dir)),
            (tr("데이터 파일"), str(info.database)),
            (tr("프로그램 버전"), info.app_version),
        ):
            text = QLabel(value)
            text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(label + ":", text)
        self.operator = QLineEdit(ws.forms.operator)
        self.operator.setPlaceholderText(tr("변경 이력에 남을 이름 (예: 김담당)"))
        self.operator.editingFinished.connect(lambda: ws.forms.set_operator(self.operator.text()))
        form.addRow(tr("입력자 이름(&N):"), self.operator)
        layout.addLayout(form)
        if info.mode is Mode.FACILITY and ws.trust.has_facility_key():
            key_box = QGroupBox(tr("서명 키"))
            key_layout = QHBoxLayout(key_box)
            self.replace_key_button = QPushButton(tr("본부 설정 파일로 다시 설정(키 교체)(&K)…"))
            self.replace_key_button.clicked.connect(lambda: self.replace_key())
            key_layout.addWidget(self.replace_key_button)
            key_layout.addStretch(1)
            layout.addWidget(key_box)

        box = QGroupBox(tr("백업"))
        box_layout = QVBoxLayout(box)
        note = QLabel(
            tr(
                "jbdesk는 하루 한 번 시작할 때, 그리고 가져오기·프로그램 업데이트·복원 전에 자동으로 백업합니다. "
                "{rule} USB 등에 따로 보관하려면 데이터 폴더 전체를 복사하세요."
            ).format(rule=ws.backup_retention.describe())
        )
        note.setWordWrap(True)
        box_layout.addWidget(note)
        self.list = QListWidget()
        self.list.setAccessibleName(tr("백업 목록"))
        box_layout.addWidget(self.list)
        row = QHBoxLayout()
        self.backup_button = QPushButton(tr("지금 백업(&B)"))
        self.restore_button = QPushButton(tr("선택한 백업으로 되돌리기(&R)…"))
        self.backup_button.clicked.connect(self.backup_now)
        self.restore_button.clicked.connect(self.restore)
        row.addWidget(self.backup_button)
        row.addWidget(self.restore_button)
        row.addStretch(1)
        box_layout.addLayout(row)
        layout.addWidget(box, 1)
        self.refresh()

    def refresh(self) -> None:
        self.list.clear()
        for b in backup.backups(self.ws.paths):
            item = QListWidgetItem(f"{b.taken_at:%Y-%m-%d %H:%M:%S}  ·  {label_of(b.reason)}  ·  {b.size // 1024:,} KB")
            item.setData(Qt.ItemDataRole.UserRole, str(b.path))
            self.list.addItem(item)

    def backup_now(self) -> None:
        try:
            made = self.ws.backup("manual")
        except Exception as exc:
            show_error(self, exc)
            return
        self.refresh()
        QMessageBox.information(self, tr("백업"), tr(f"백업했습니다:\n{made.path}"))

    def replace_key(self, provision: str | None = None) -> bool:
        """Set this facility PC up again from a provisioning file, which replaces its signing key: asked first,
        with what that means (``facility setup --replace-key`` on the command line)."""
        from jbdesk.services.trust import replace_key_explanation
        from jbdesk.ui.first_run import request_folder

        info = self.ws.info()
        question = replace_key_explanation(info.facility_code or "", info.facility_name or "")
        if not ask_yes_no(self, tr("서명 키 바꾸기"), question + "\n\n" + tr("그래도 키를 바꿀까요?")):
            return False
        if not provision:
            provision, _ = QFileDialog.getOpenFileName(
                self, tr("본부 설정 파일"), "", tr("jbdesk 설정 파일 (*.jbp);;모든 파일 (*)")
            )
        if not provision:
            return False
        path = Path(provision)
        try:
            result = self.ws.trust.setup_facility(path, request_folder(path), replace_key=True)
        except Exception as exc:
            show_error(self, exc)
            return False
        box = QMessageBox(
            QMessageBox.Icon.Information, tr("서명 키 바꾸기"),
            tr(
                "새 서명 키를 만들었습니다. 이 PC 키 지문: {key}\n← 본부에 불러 주세요.\n\n등록 요청 파일을 본부로 "
                "보내세요:\n{request}\n\n본부가 새 키를 등록하기 전까지 보내는 파일은 본부가 받지 않습니다."
            ).format(key=result.facility_short, request=result.request_path),
            QMessageBox.StandardButton.Ok, self,
        )  # fmt: skip
        box.button(QMessageBox.StandardButton.Ok).setText(tr("확인"))
        box.exec()
        return True

    def restore(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        answer = QMessageBox.question(
            self,
            tr("백업으로 되돌리기"),
            tr(f"{item.text()} 백업으로 되돌릴까요? 그 뒤에 입력한 내용은 사라집니다 ")
            + tr("(지금 파일은 지우지 않고 데이터 폴더에 남겨 둡니다). 되돌린 뒤 jbdesk를 다시 시작합니다."),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        paths = self.ws.paths
        try:
            self.ws.close()
            backup.restore(paths, Path(item.data(Qt.ItemDataRole.UserRole)))
        except Exception as exc:
            show_error(self, exc)
        QMessageBox.information(self, tr("백업으로 되돌리기"), tr("되돌렸습니다. jbdesk를 다시 시작하세요."))
        QApplication.quit()


def ask_yes_no(parent: QWidget, title: str, text: str) -> bool:
    """A question with 예 / 아니요 (아니요 is the default: Enter does not replace anything by mistake)."""
    box = QMessageBox(
        QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, parent
    )
    box.button(QMessageBox.StandardButton.Yes).setText(tr("예"))
    box.button(QMessageBox.StandardButton.No).setText(tr("아니요"))
    box.setDefaultButton(QMessageBox.StandardButton.No)
    return box.exec() == QMessageBox.StandardButton.Yes
