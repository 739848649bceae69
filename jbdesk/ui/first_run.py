"""First start: a facility PC set up from head office's provisioning file, or head office itself."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from jbdesk.domain.facilities import Facility
from jbdesk.i18n import tr

DEFAULT_HQ_NAME = "전북특별자치도사회서비스원"


class FirstRunDialog(QDialog):
    """Asks once. ``choice()``: ("provision", path) | ("hq", name) | ("facility", code) (practice only)."""

    def __init__(self, facilities: list[Facility], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("jbdesk 처음 설정"))
        self.setMinimumWidth(620)
        layout = QVBoxLayout(self)
        intro = QLabel(
            tr(
                "이 PC를 어디에서 사용하시나요? 한 번 정하면 이 데이터 폴더에서는 바꿀 수 없습니다. "
                "시설 PC에는 그 시설의 자료만 저장됩니다."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        grid = QGridLayout()
        layout.addLayout(grid)

        self.provision_radio = QRadioButton(tr("시설 PC — 본부에서 받은 설정 파일(.jbp)로 시작 (&P)"))
        self.provision_path = QLineEdit()
        self.provision_path.setPlaceholderText(tr("예: E:\\jbdesk-provision-F03.jbp"))
        browse = QPushButton(tr("찾아보기…"))
        browse.clicked.connect(self._browse)
        grid.addWidget(self.provision_radio, 0, 0, 1, 3)
        grid.addWidget(self.provision_path, 1, 1)
        grid.addWidget(browse, 1, 2)

        self.hq_radio = QRadioButton(tr("본부 PC — 시설 보고를 모으고 확인합니다 (&H)"))
        self.hq_name = QLineEdit(DEFAULT_HQ_NAME)
        self.hq_name.setAccessibleName(tr("본부 이름"))
        grid.addWidget(self.hq_radio, 2, 0, 1, 3)
        grid.addWidget(QLabel(tr("본부 이름:")), 3, 0)
        grid.addWidget(self.hq_name, 3, 1, 1, 2)

        self.facility_radio = QRadioButton(
            tr("연습용 시설 PC — 설정 파일 없이 시설만 고르기 (본부로 보낼 수 없음) (&T)")
        )
        self.facility_combo = QComboBox()
        self.facility_combo.setAccessibleName(tr("시설 선택"))
        for f in facilities:
            self.facility_combo.addItem(f"{f.code}  {f.name}", f.code)
        grid.addWidget(self.facility_radio, 4, 0, 1, 3)
        grid.addWidget(self.facility_combo, 5, 1, 1, 2)
        grid.setColumnMinimumWidth(0, 24)

        group = QButtonGroup(self)
        for radio in (self.provision_radio, self.hq_radio, self.facility_radio):
            group.addButton(radio)
            radio.toggled.connect(self._sync)
        self.provision_radio.setChecked(True)
        self._sync()

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("확인"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("취소"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _sync(self) -> None:
        self.provision_path.setEnabled(self.provision_radio.isChecked())
        self.hq_name.setEnabled(self.hq_radio.isChecked())
        self.facility_combo.setEnabled(self.facility_radio.isChecked())

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, tr("본부 설정 파일"), "", tr("jbdesk 설정 파일 (*.jbp);;모든 파일 (*)")
        )
        if path:
            self.provision_path.setText(path)
            self.provision_radio.setChecked(True)

    def choice(self) -> tuple[str, str | None]:
        if self.hq_radio.isChecked():
            return "hq", self.hq_name.text().strip()
        if self.facility_radio.isChecked():
            return "facility", self.facility_combo.currentData()
        return "provision", self.provision_path.text().strip()


def request_folder(provision: Path) -> Path:
    """The enrolment request goes next to the provisioning file (usually the USB stick it came on)."""
    return provision.parent
