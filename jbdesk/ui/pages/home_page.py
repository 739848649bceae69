"""첫 화면: for a facility, the reports due (overdue marked, status shown, Enter opens one); for head office,
the registry at a glance."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from jbdesk import clock
from jbdesk.domain.facilities import totals
from jbdesk.domain.forms import FORMS, FormKind, FormStatus
from jbdesk.domain.numbers import fmt_int
from jbdesk.domain.periods import Period, PeriodKind
from jbdesk.i18n import tr
from jbdesk.services.workspace import Mode, Workspace

LATE = QColor("#b00020")
DONE = QColor("#2e7d32")


class HomePage(QWidget):
    openForm = Signal(object, object)  # FormKind, Period

    def __init__(self, ws: Workspace, today: date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        info = ws.info()
        # head office's overview needs no form service (and the form modules it loads): it is the first page shown
        self.today = today or (ws.forms.today if info.mode is Mode.FACILITY else clock.today())
        layout = QVBoxLayout(self)
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
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.activated.connect(self._activated)
        layout.addWidget(self.table)
        self.facility_code = info.facility_code if info.mode is Mode.FACILITY else None
        self.refresh()

    def refresh(self) -> None:
        self.model.removeRows(0, self.model.rowCount())
        if self.facility_code:
            self._fill_facility(self.facility_code)
        else:
            self._fill_head_office()

    def showEvent(self, event) -> None:  # statuses change on the form pages: show them fresh
        self.refresh()
        super().showEvent(event)

    def _fill_facility(self, code: str) -> None:
        facility = self.ws.registry.get(code)
        statuses = self.ws.forms.due_statuses(code)
        receipt = {(line.ref.form, line.ref.period): line for line in self.ws.feedback.receipt()}
        todo = [s for s in statuses if s.status in (None, FormStatus.DRAFT, FormStatus.READY, FormStatus.RETURNED)]
        overdue = [s for s in statuses if s.overdue_on(self.today)]
        self.summary.setText(
            tr(f"{facility.name} ({facility.code}) — {self.today:%Y-%m-%d} 기준 보낼 보고 {len(todo)}건, ")
            + tr(f"기한이 지난 보고 {len(overdue)}건. 줄을 고르고 Enter를 누르면 그 보고를 엽니다.")
        )
        self.model.setColumnCount(5)
        self.model.setHorizontalHeaderLabels([tr("보고"), tr("기간"), tr("제출기한"), tr("상태"), tr("본부 확인")])
        for s in statuses:
            late = s.overdue_on(self.today)
            if s.status is None:
                text = tr("작성 전")
            else:
                text = s.status.value + (tr(f" ({s.revision}판)") if s.revision and s.revision > 1 else "")
            if late:
                text += tr(" · 기한 지남")
            cells = [
                QStandardItem(FORMS[s.due.form].label),
                QStandardItem(s.due.period.label),
                QStandardItem(f"{s.due.due:%Y-%m-%d}"),
                QStandardItem(text),
            ]
            held = receipt.get((s.due.form, s.due.period))
            cells.append(
                QStandardItem(
                    tr(f"{held.revision}판 {held.state} ({held.as_of:%m-%d} 기준)")
                    if held
                    else tr("회신 없음")
                    if s.status in (FormStatus.SUBMITTED,)
                    else ""
                )
            )
            cells[0].setData((s.due.form, s.due.period), Qt.ItemDataRole.UserRole)
            if late:
                cells[3].setForeground(QBrush(LATE))
            elif s.status in (FormStatus.SUBMITTED, FormStatus.ACCEPTED):
                cells[3].setForeground(QBrush(DONE))
            self.model.appendRow(cells)

    def _activated(self, index: QModelIndex) -> None:
        target = self.model.item(index.row(), 0).data(Qt.ItemDataRole.UserRole)
        if target:
            form, period = target
            self.openForm.emit(form, period)

    def _fill_head_office(self) -> None:
        month = Period.containing(self.today, PeriodKind.MONTH)
        facilities = self.ws.registry.facilities()
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


FORM_PAGES: dict[FormKind, str] = {
    FormKind.STAFFING: "staffing",
    FormKind.BUDGET: "budget",
    FormKind.BUDGET_PLAN: "budget_plan",
    FormKind.QUARTERLY: "quarterly",
    FormKind.SAFETY: "safety",
    FormKind.SURVEY: "survey",
}
