"""First start: is this PC a facility workstation (which facility) or head office?"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from jbdesk.domain.facilities import Facility
from jbdesk.i18n import tr


class FirstRunDialog(QDialog):
    """Asks the mode once. ``choice()`` gives ("hq", None) or ("facility", code)."""

    def __init__(self, facilities: list[Facility], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("jbdesk 처음 설정"))
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)

        intro = QLabel(
            tr(
                "이 PC를 어디에서 사용하시나요?\n"
                "한 번 정하면 이 데이터 폴더에서는 바꿀 수 없습니다. 시설 PC에는 그 시설의 자료만 저장됩니다."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)

        self.facility_radio = QRadioButton(tr("시설 PC — 우리 시설의 보고를 입력하고 본부로 보냅니다"))
        self.hq_radio = QRadioButton(tr("본부 PC — 시설에서 온 보고를 모으고 확인합니다"))
        group = QButtonGroup(self)
        group.addButton(self.facility_radio)
        group.addButton(self.hq_radio)
        self.facility_radio.setChecked(True)

        self.facility_combo = QComboBox()
        self.facility_combo.setAccessibleName(tr("시설 선택"))
        for f in facilities:
            self.facility_combo.addItem(f"{f.code}  {f.name}", f.code)
        label = QLabel(tr("시설(&F):"))
        label.setBuddy(self.facility_combo)

        layout.addWidget(self.facility_radio)
        layout.addWidget(label)
        layout.addWidget(self.facility_combo)
        layout.addSpacing(8)
        layout.addWidget(self.hq_radio)

        self.facility_radio.toggled.connect(self.facility_combo.setEnabled)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("확인"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("취소"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons, alignment=Qt.AlignmentFlag.AlignRight)

    def choice(self) -> tuple[str, str | None]:
        if self.hq_radio.isChecked():
            return "hq", None
        return "facility", self.facility_combo.currentData()
