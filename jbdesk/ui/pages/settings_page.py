"""설정: what this PC is, where its data lives and how to back it up."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout, QWidget

from jbdesk.i18n import tr
from jbdesk.services.workspace import Workspace


class SettingsPage(QWidget):
    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
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
            text.setTextInteractionFlags(
                text.textInteractionFlags() | text.textInteractionFlags().TextSelectableByMouse
            )
            form.addRow(label + ":", text)
        layout.addLayout(form)
        backup = QLabel(
            tr(
                "백업: 프로그램을 닫은 뒤 데이터 폴더 전체를 USB 등에 복사하면 됩니다. "
                "프로그램은 스키마를 올리기 전에 backups 폴더에 자동으로 사본을 남깁니다."
            )
        )
        backup.setWordWrap(True)
        layout.addWidget(backup)
        layout.addStretch(1)
