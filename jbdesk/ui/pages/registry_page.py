"""시설 등록부: the facility registry as a table; head office adds facilities and records status changes."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QDate, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from jbdesk.bundle.keys import short_of_hex
from jbdesk.domain.facilities import Facility, LifecycleStatus, totals
from jbdesk.domain.numbers import fmt_int
from jbdesk.i18n import tr
from jbdesk.services.recovery import RecoveryWritten
from jbdesk.services.workspace import Mode, Workspace
from jbdesk.ui.errors import show_error

_Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("코드", "시설명", "구분", "유형", "회계", "운영", "정원", "현원", "결원", "상태", "서명 키")
_NUMERIC = {6, 7, 8}


class FacilitiesModel(QAbstractTableModel):
    """Rows are frozen ``Facility`` objects plus a 계 row; status is as of ``today``."""

    def __init__(
        self, facilities: list[Facility] | None = None, today: date | None = None, keys: dict[str, str] | None = None
    ) -> None:
        super().__init__()
        self._rows: list[Facility] = list(facilities or [])
        self._today = today or date.today()
        self._keys = keys or {}

    def set_facilities(self, facilities: list[Facility], keys: dict[str, str] | None = None) -> None:
        self.beginResetModel()
        self._rows = list(facilities)
        self._keys = keys or {}
        self.endResetModel()

    def facility_at(self, row: int) -> Facility | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows) + (1 if self._rows else 0)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return tr(COLUMNS[section])
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row, col = index.row(), index.column()
        is_total = row == len(self._rows)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            align = Qt.AlignmentFlag.AlignRight if col in _NUMERIC else Qt.AlignmentFlag.AlignLeft
            return int(align | Qt.AlignmentFlag.AlignVCenter)
        if is_total:
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                return font
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(QColor("#eef2f7"))
            if role != Qt.ItemDataRole.DisplayRole:
                return None
            auth, cur, vac = totals(self._rows)
            return {
                1: tr(f"계 {len(self._rows)}개소"),
                6: fmt_int(auth),
                7: fmt_int(cur),
                8: fmt_int(vac, zero="-"),
            }.get(col)
        f = self._rows[row]
        status = f.status_on(self._today)
        if role == Qt.ItemDataRole.ForegroundRole and col == 9 and status is not None and not status.reports:
            return QBrush(QColor("#8a8a8a"))
        if role == Qt.ItemDataRole.ToolTipRole and col == 1 and f.aliases:
            return tr("다른 표기: ") + ", ".join(f.aliases)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        values = (
            f.code,
            f.name,
            f.group,
            f.type,
            f.account,
            f.operation,
            fmt_int(f.headcount_authorized),
            fmt_int(f.headcount_current),
            fmt_int(f.vacancy, zero="-"),
            status.value if status else tr("개시 전"),
            self._keys.get(f.code, ""),
        )
        return values[col]


class AddFacilityDialog(QDialog):
    def __init__(self, groups: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("시설 추가"))
        form = QFormLayout(self)
        self.code = QLineEdit()
        self.code.setPlaceholderText("F16")
        self.name = QLineEdit()
        self.type = QLineEdit()
        self.group = QComboBox()
        self.group.setEditable(True)
        self.group.addItems(groups)
        self.account = QComboBox()
        self.account.addItems(["특별회계", "일반회계"])
        self.operation = QComboBox()
        self.operation.addItems(["위수탁", "직영"])
        self.authorized = QSpinBox()
        self.authorized.setRange(0, 9999)
        self.current = QSpinBox()
        self.current.setRange(0, 9999)
        self.effective = QDateEdit(QDate.currentDate())
        self.effective.setCalendarPopup(True)
        self.effective.setDisplayFormat("yyyy-MM-dd")
        for label, widget in (
            ("시설 코드(&C)", self.code),
            ("시설명(&N)", self.name),
            ("유형(&T)", self.type),
            ("구분(&G)", self.group),
            ("회계", self.account),
            ("운영 형태", self.operation),
            ("정원", self.authorized),
            ("현원", self.current),
            ("운영 시작일", self.effective),
        ):
            form.addRow(tr(label), widget)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def facility(self) -> tuple[Facility, date]:
        effective = _day(self.effective.date())
        return (
            Facility(
                code=self.code.text().strip().upper(),
                name=self.name.text().strip(),
                type=self.type.text().strip(),
                group=self.group.currentText().strip(),
                account=self.account.currentText(),
                operation=self.operation.currentText(),
                headcount_authorized=self.authorized.value(),
                headcount_current=self.current.value(),
                headcount_as_of=effective,
            ),
            effective,
        )


class StatusDialog(QDialog):
    def __init__(self, facility: Facility, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("상태 변경 — ") + facility.name)
        form = QFormLayout(self)
        self.status = QComboBox()
        for s in LifecycleStatus:
            self.status.addItem(s.value, s)
        self.status.setCurrentIndex(list(LifecycleStatus).index(LifecycleStatus.TRANSFERRED))
        self.effective = QDateEdit(QDate.currentDate())
        self.effective.setCalendarPopup(True)
        self.effective.setDisplayFormat("yyyy-MM-dd")
        self.note = QLineEdit()
        form.addRow(tr("새 상태(&S)"), self.status)
        form.addRow(tr("효력 발생일(&D)"), self.effective)
        form.addRow(tr("비고"), self.note)
        hint = QLabel(tr("민간이전·운영종료일부터는 보고를 요구하지 않습니다. 이전 자료는 그대로 남습니다."))
        hint.setWordWrap(True)
        form.addRow(hint)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def values(self) -> tuple[LifecycleStatus, date, str]:
        return self.status.currentData(), _day(self.effective.date()), self.note.text()


def _day(d: QDate) -> date:
    return date(d.year(), d.month(), d.day())


class RegistryPage(QWidget):
    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.model = FacilitiesModel()
        layout = QVBoxLayout(self)
        title = QLabel(tr("시설 등록부"))
        title.setObjectName("pageTitle")
        layout.addWidget(title)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setAlternatingRowColors(True)
        layout.addWidget(self.table)

        buttons = QHBoxLayout()
        self.add_button = QPushButton(tr("시설 추가(&A)…"))
        self.status_button = QPushButton(tr("상태 변경(&S)…"))
        self.add_button.clicked.connect(self.add_facility)
        self.status_button.clicked.connect(self.change_status)
        self.provision_button = QPushButton(tr("설정 파일 발급(&P)…"))
        self.enroll_button = QPushButton(tr("등록 요청 처리(&E)…"))
        self.revoke_button = QPushButton(tr("키 폐기(&R)…"))
        self.recovery_button = QPushButton(tr("복구 파일 발급(&C)…"))
        self.recovery_button.setToolTip(
            tr("PC를 잃은 시설의 새 PC에 줄 파일: 본부가 받은 모든 판, 보완요청과 의견, 일련번호, 설정")
        )
        self.provision_button.clicked.connect(self.provision)
        self.enroll_button.clicked.connect(self.enroll)
        self.revoke_button.clicked.connect(self.revoke)
        self.recovery_button.clicked.connect(self.write_recovery)
        hq_buttons = (
            self.add_button, self.status_button, self.provision_button, self.enroll_button, self.revoke_button,
            self.recovery_button,
        )  # fmt: skip
        for b in hq_buttons:
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        editable = ws.mode is Mode.HQ
        for b in hq_buttons:
            b.setEnabled(editable)
            b.setVisible(editable or b in (self.add_button, self.status_button))
        if not editable:
            note = QLabel(tr("시설 정보는 본부에서만 바꿀 수 있습니다."))
            layout.addWidget(note)
        self.refresh()

    def refresh(self) -> None:
        facilities = self.ws.registry.facilities()
        keys: dict[str, str] = {}
        if self.ws.mode is Mode.HQ:
            for f in facilities:
                enrolled = self.ws.trust.keys(f.code)
                active = [k for k in enrolled if k.active]
                if active:
                    keys[f.code] = tr("등록됨 ") + short_of_hex(active[-1].public_key)
                else:
                    keys[f.code] = tr("폐기됨") if enrolled else tr("미등록")
        self.model.set_facilities(facilities, keys)

    def selected(self) -> Facility | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.facility_at(rows[0].row()) if rows else None

    def add_facility(self) -> None:
        groups = sorted({f.group for f in self.ws.registry.facilities()})
        dialog = AddFacilityDialog(groups, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            facility, effective = dialog.facility()
            self.ws.registry.add(facility, effective=effective)
        except Exception as exc:
            show_error(self, exc)
        self.refresh()

    def provision(self) -> None:
        facility = self.selected()
        if facility is None:
            QMessageBox.information(self, tr("설정 파일 발급"), tr("먼저 표에서 시설을 고르세요."))
            return
        path, _ = QFileDialog.getSaveFileName(
            self, tr("설정 파일 저장"), f"jbdesk-provision-{facility.code}.jbp", tr("jbdesk 설정 파일 (*.jbp)")
        )
        if not path:
            return
        try:
            written = self.ws.trust.provision(facility.code, Path(path))
            identity = self.ws.trust.hq_identity()
        except Exception as exc:
            show_error(self, exc)
            return
        short = short_of_hex(identity.public_key) if identity else "?"
        QMessageBox.information(
            self, tr("설정 파일 발급"),
            tr(f"{facility.name}의 설정 파일을 만들었습니다:\n{written}\n\n")
            + tr(f"시설에 보낸 뒤 전화로 본부 키 지문을 불러 주세요: {short}"),
        )  # fmt: skip

    def write_recovery(self, path: str | None = None) -> Path | None:
        """복구 파일 발급: everything head office holds of the selected facility, for its new PC."""
        facility = self.selected()
        if facility is None:
            _inform(self, tr("복구 파일 발급"), tr("먼저 표에서 시설을 고르세요."))
            return None
        if not path:
            path, _ = QFileDialog.getSaveFileName(
                self, tr("복구 파일 저장"), f"jbdesk-recovery-{facility.code}.jbr", tr("jbdesk 복구 파일 (*.jbr)")
            )
        if not path:
            return None
        try:
            written: RecoveryWritten = self.ws.recovery.write(facility.code, Path(path))
        except Exception as exc:
            show_error(self, exc)
            return None
        _inform(
            self,
            tr("복구 파일 발급"),
            tr(
                "{name}의 복구 파일을 만들었습니다:\n{path}\n\n본부가 받은 판 {revisions}개, 보완요청 {returned}건, "
                "마지막 일련번호 {sequence}.\n\n시설의 새 PC를 설정 파일로 설정하고 키를 등록한 뒤, 새 PC의 "
                "'본부 회신' 화면에서 이 파일을 반영하게 하세요."
            ).format(
                name=facility.name,
                path=written.path,
                revisions=written.revisions,
                returned=written.returned,
                sequence=written.last_sequence,
            ),
        )
        return written.path

    def enroll(self) -> None:
        from jbdesk.bundle.container import Kind
        from jbdesk.services.trust import read_file, read_self_signed

        path, _ = QFileDialog.getOpenFileName(
            self, tr("등록 요청 파일"), "", tr("jbdesk 등록 요청 (*.jbe);;모든 파일 (*)")
        )
        if not path:
            return
        try:
            container, key = read_self_signed(read_file(Path(path)), Kind.ENROL)
            code = container.manifest.facility_code
            name = self.ws.registry.get(code).name
        except Exception as exc:
            show_error(self, exc)
            return
        answer = QMessageBox.question(
            self, tr("등록 요청 처리"),
            tr(f"{code} {name}의 키 지문:\n\n    {key.short}\n\n")
            + tr("시설 담당자가 전화로 불러 준 지문과 같습니까? 같을 때만 '예'를 누르세요."),
        )  # fmt: skip
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            result = self.ws.trust.enroll(Path(path))
        except Exception as exc:
            show_error(self, exc)
            return
        self.refresh()
        QMessageBox.information(self, tr("등록 요청 처리"), tr(f"{result.facility_code} 키를 등록했습니다."))

    def revoke(self) -> None:
        facility = self.selected()
        if facility is None:
            return
        answer = QMessageBox.question(
            self, tr("키 폐기"),
            tr(f"{facility.name}의 서명 키를 폐기할까요? 이후 이 키로 서명된 파일은 받지 않습니다 ")
            + tr("(이미 받은 자료는 그대로 남습니다). 시설은 새 키로 다시 등록해야 합니다."),
        )  # fmt: skip
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self.ws.trust.revoke(facility.code)
        except Exception as exc:
            show_error(self, exc)
        self.refresh()

    def change_status(self) -> None:
        facility = self.selected()
        if facility is None:
            return
        dialog = StatusDialog(facility, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            status, effective, note = dialog.values()
            self.ws.registry.change_status(facility.code, status, effective, note)
        except Exception as exc:
            show_error(self, exc)
        self.refresh()


def _inform(parent: QWidget, title: str, text: str) -> None:
    box = QMessageBox(QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Ok, parent)
    box.button(QMessageBox.StandardButton.Ok).setText(tr("확인"))
    box.exec()
