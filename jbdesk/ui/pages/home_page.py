"""첫 화면: for a facility, the reports due now (overdue marked); for head office, the registry at a glance."""

from __future__ import annotations

from datetime import date

from PySide6.QtGui import QBrush, QColor, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from jbdesk.domain.facilities import totals
from jbdesk.domain.forms import FORMS
from jbdesk.domain.numbers import fmt_int
from jbdesk.domain.periods import Period
from jbdesk.i18n import tr
from jbdesk.services.workspace import Mode, Workspace


class HomePage(QWidget):
    def __init__(self, ws: Workspace, today: date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.today = today or date.today()
        layout = QVBoxLayout(self)
        info = ws.info()
        title = QLabel(tr("할 일") if info.mode is Mode.FACILITY else tr("본부 현황"))
        title.setObjectName("pageTitle")
        layout.addWidget(title)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.model = QStandardItemModel(0, 4)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table)
        if info.mode is Mode.FACILITY and info.facility_code:
            self._fill_facility(info.facility_code)
        else:
            self._fill_head_office()

    def _fill_facility(self, code: str) -> None:
        facility = self.ws.registry.get(code)
        reports = self.ws.registry.open_reports(code, self.today)
        overdue = [r for r in reports if r.overdue_on(self.today)]
        self.summary.setText(
            tr(f"{facility.name} ({facility.code}) — 오늘 {self.today:%Y-%m-%d} 기준 입력할 보고 {len(reports)}건, ")
            + tr(f"기한이 지난 보고 {len(overdue)}건")
        )
        self.model.setHorizontalHeaderLabels([tr("보고"), tr("기간"), tr("제출기한"), tr("상태")])
        for r in reversed(reports):
            late = r.overdue_on(self.today)
            cells = [
                QStandardItem(FORMS[r.form].label),
                QStandardItem(r.period.label),
                QStandardItem(f"{r.due:%Y-%m-%d}"),
                QStandardItem(tr("기한 지남") if late else tr("작성 전")),
            ]
            if late:
                cells[3].setForeground(QBrush(QColor("#b00020")))
            self.model.appendRow(cells)

    def _fill_head_office(self) -> None:
        month = Period.containing(self.today, Period.month(2026, 1).kind)
        facilities = self.ws.registry.list()
        reporting = [f for f in facilities if f.reports_in(month)]
        auth, cur, vac = totals(facilities)
        self.summary.setText(
            tr(f"등록 시설 {len(facilities)}개소 (정원 {auth}, 현원 {cur}, 결원 {fmt_int(vac, zero='-')}), ")
            + tr(f"{month.label} 보고 대상 {len(reporting)}개소")
        )
        self.model.setHorizontalHeaderLabels([tr("코드"), tr("시설명"), tr("구분"), tr(f"{month.label} 보고")])
        for f in facilities:
            due = f.reports_in(month)
            cells = [
                QStandardItem(f.code),
                QStandardItem(f.name),
                QStandardItem(f.group),
                QStandardItem(tr("대상") if due else tr("대상 아님")),
            ]
            self.model.appendRow(cells)
