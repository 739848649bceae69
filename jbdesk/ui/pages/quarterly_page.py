"""분기실적보고서: generated from the quarter's three monthly execution checks; only the narrative is typed."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from jbdesk.domain.budget import EXPENSE, subject_label
from jbdesk.domain.forms import FormKind
from jbdesk.domain.numbers import fmt_int, fmt_percent
from jbdesk.domain.quarterly import QuarterFigures, QuarterlyReport
from jbdesk.i18n import tr
from jbdesk.services.forms import FormView
from jbdesk.ui.pages.budget_page import (
    BudgetGridModel,
    GroupFilter,
    hide_side_column,
    make_grid,
    money,
    show_page,
)
from jbdesk.ui.pages.form_page import FormPage
from jbdesk.ui.widgets.autosave import AutosaveTextEdit
from jbdesk.ui.widgets.grid import Column

MISSING = "미작성"


def month_amount(value: Any) -> str:
    return tr(MISSING) if value == MISSING else money(value)


COLUMNS = (
    Column("side", tr("구분"), "computed", editable=False, width=44, numeric_display=False),
    Column("subject", tr("과목 (관·항·목·세목)"), "computed", editable=False, width=200, numeric_display=False),
    Column("budget", tr("예산액"), "computed", editable=False, width=94, fmt=money),
    Column("m0", tr("1월"), "computed", editable=False, width=86, fmt=month_amount),
    Column("m1", tr("2월"), "computed", editable=False, width=86, fmt=month_amount),
    Column("m2", tr("3월"), "computed", editable=False, width=86, fmt=month_amount),
    Column("quarter", tr("분기 계"), "computed", editable=False, width=94, fmt=money, tooltip=tr("세 달의 합")),
    Column("cumulative", tr("누계"), "computed", editable=False, width=94, fmt=money, tooltip=tr("연초부터")),
    Column("rate", tr("집행률"), "computed", editable=False, width=56, fmt=fmt_percent),
    Column("remainder", tr("잔액"), "computed", editable=False, width=94, fmt=money),
    Column("reason", tr("사유 (최근 월)"), "computed", editable=False, width=80, numeric_display=False),
)
STAFF_COLUMNS = (tr("정원"), tr("현원"), tr("결원"), tr("입사"), tr("퇴사"))


def staff_cells(*counts: int | None) -> list[str]:
    authorized, current, vacancy, hires, leavers = counts
    return [fmt_int(authorized), fmt_int(current), fmt_int(vacancy, zero="-"), fmt_int(hires), fmt_int(leavers)]


def figures_cells(f: QuarterFigures, missing: set[int]) -> dict[str, Any]:
    months = {f"m{i}": (MISSING if i in missing else (m or 0)) for i, m in enumerate(f.months)}
    return {
        "budget": f.budget,
        **months,
        "quarter": f.quarter_total,
        "cumulative": f.cumulative,
        "rate": f.rate,
        "remainder": f.remainder,
    }


class QuarterlyPage(FormPage):
    form = FormKind.QUARTERLY

    def build_body(self, layout: QVBoxLayout) -> None:
        self.intro = QLabel(
            tr(
                "이 보고서는 세 달의 월별 예산집행 점검으로 자동으로 만들어집니다. "
                "금액을 고치려면 그 달의 점검표를 고치세요."
            )
        )
        self.intro.setWordWrap(True)
        self.intro.setStyleSheet("color: #555;")
        layout.addWidget(self.intro)

        missing_row = QHBoxLayout()
        self.missing_label = QLabel()
        self.missing_label.setObjectName("missingMonths")
        self.missing_label.setWordWrap(True)
        self.missing_label.setStyleSheet("color: #b00020; font-weight: bold;")
        self.missing_button = QPushButton(tr("그 달 점검표 열기(&O)"))
        missing_row.addWidget(self.missing_label, 1)
        missing_row.addWidget(self.missing_button)
        layout.addLayout(missing_row)
        self.missing_button.clicked.connect(self.go_to_missing)

        bar = QHBoxLayout()
        view_caption = QLabel(tr("보기(&V):"))
        self.filter = GroupFilter((EXPENSE, None))
        view_caption.setBuddy(self.filter)
        bar.addWidget(view_caption)
        bar.addWidget(self.filter)
        bar.addSpacing(16)
        self.version_label = QLabel()
        bar.addWidget(self.version_label, 1)
        layout.addLayout(bar)

        self.model = BudgetGridModel("rows", COLUMNS, lambda _changes: False)
        self.grid = make_grid(self.model, tr("분기 예산 집행 표"), elide_left=("subject",))
        layout.addWidget(self.grid, 1)
        self.filter.groupChanged.connect(self.render_rows)

        bottom = QHBoxLayout()
        staff_box = QGroupBox(tr("인력 요약"))
        staff_layout = QVBoxLayout(staff_box)
        self.staff_table = QTableWidget(4, len(STAFF_COLUMNS))
        self.staff_table.setAccessibleName(tr("분기 인력 요약 표"))
        self.staff_table.setHorizontalHeaderLabels(list(STAFF_COLUMNS))
        self.staff_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.staff_table.verticalHeader().setDefaultSectionSize(24)
        self.staff_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.staff_table.setFixedHeight(4 * 24 + self.staff_table.horizontalHeader().sizeHint().height() + 4)
        self.staff_note = QLabel()
        self.staff_note.setWordWrap(True)
        self.staff_note.setStyleSheet("color: #555;")
        staff_layout.addWidget(self.staff_table)
        staff_layout.addWidget(self.staff_note)
        staff_box.setMinimumWidth(360)
        bottom.addWidget(staff_box)

        narrative_box = QGroupBox(tr("분기 실적 내용(&N)"))
        narrative_layout = QVBoxLayout(narrative_box)
        self.narrative = AutosaveTextEdit("narrative", self.commit)
        self.narrative.setAccessibleName(tr("분기 실적 내용"))
        self.narrative.setPlaceholderText(
            tr("이번 분기의 주요 사업 실적, 예산 집행의 특이사항(초과·미집행 사유), 다음 분기 계획을 적어 주세요.")
        )
        self.narrative.setTabChangesFocus(True)
        narrative_layout.addWidget(self.narrative)
        bottom.addWidget(narrative_box, 1)
        staff_box.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        narrative_box.setMaximumHeight(staff_box.sizeHint().height())
        layout.addLayout(bottom)
        self._missing_periods: list = []

    def showEvent(self, event: QShowEvent) -> None:
        """The monthly checks may have changed on their page: regenerate when the page comes back."""
        super().showEvent(event)
        if not event.spontaneous() and self.view is not None:
            self.load()

    # showing ---------------------------------------------------------------------------------
    def show_view(self, view: FormView) -> None:
        report: QuarterlyReport = view.computed
        self.model.titles = {f"m{i}": tr(f"{p.index}월") for i, p in enumerate(report.months)}
        self._missing_periods = list(report.missing)
        if report.missing:
            months = ", ".join(p.label for p in report.missing)
            self.missing_label.setText(
                tr(f"작성하지 않은 월별 예산집행 점검: {months} — 그 달은 '미작성'으로 표시되고 0원으로 계산됩니다.")
            )
        self.missing_label.setVisible(bool(report.missing))
        self.missing_button.setVisible(bool(report.missing))
        version = report.version_name or tr("없음")
        self.version_label.setText(tr(f"적용 예산(분기 말): {version}"))
        self.filter.set_groups((row.side, row.gwan) for row in report.rows)
        self.render_rows()
        self._show_staffing(report)
        self.narrative.set_value(view.data.narrative)
        self.narrative.setReadOnly(not view.editable)

    def render_rows(self) -> None:
        view = self.view
        if view is None:
            return
        report: QuarterlyReport = view.computed
        missing = {i for i, p in enumerate(report.months) if p in report.missing}
        rows: list[dict[str, Any]] = []
        computed: list[dict[str, Any]] = []
        index_map: list[int] = []
        for i, row in enumerate(report.rows):
            if not self.filter.matches(row.side, row.gwan):
                continue
            index_map.append(i)
            rows.append({})
            computed.append(
                {
                    "side": row.side,
                    "subject": subject_label(row.gwan, row.hang, row.mok, row.semok),
                    "reason": row.reason,
                    **figures_cells(row.figures, missing),
                }
            )
        label = self.filter.total_label()
        total = None
        if label is not None:
            side, gwan = self.filter.group()
            totals = report.side_totals if gwan is None else report.gwan_totals
            found = next((t for t in totals if t.side == side and (gwan is None or t.gwan == gwan)), None)
            total = figures_cells(found.figures, missing) if found is not None else {}
            total["subject"] = label
        content = self.grid_content(view, rows, computed=computed, total=total)
        content.editable = False
        self.model.show(content, index_map, label)
        hide_side_column(self.grid, self.filter.group())

    def _show_staffing(self, report: QuarterlyReport) -> None:
        staffing = report.staffing
        labels = [tr(f"{p.index}월") for p in report.months] + [tr("분기")]
        self.staff_table.setVerticalHeaderLabels(labels)
        bold = QFont()
        bold.setBold(True)
        rows: list[list[str]] = []
        if staffing is not None:
            for _period, summary in staffing.months:
                if summary is None:
                    rows.append([tr(MISSING)] + [""] * 4)
                else:
                    t = summary.total
                    rows.append(staff_cells(t.authorized, t.current, t.vacancy, t.hires, t.leavers))
            s = staffing
            rows.append(staff_cells(s.authorized, s.current, s.vacancy, s.hires, s.leavers))
        for r in range(4):
            for c in range(len(STAFF_COLUMNS)):
                text = rows[r][c] if r < len(rows) else ""
                cell = QTableWidgetItem(text)
                cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if r == 3:
                    cell.setFont(bold)
                self.staff_table.setItem(r, c, cell)
        if staffing is None or len(staffing.missing) == 3:
            self.staff_note.setText(tr("이 분기의 월별 인력 현황이 없습니다."))
        elif staffing.missing:
            self.staff_note.setText(tr("월별 인력 현황 미작성: ") + ", ".join(p.label for p in staffing.missing))
        else:
            self.staff_note.setText(tr("분기: 정원·현원·결원은 분기 말, 입사·퇴사는 세 달의 합"))

    # actions ---------------------------------------------------------------------------------
    def go_to_missing(self) -> None:
        if self._missing_periods:
            show_page(self, "budget", self._missing_periods[0])

    def focus_field(self, path: str) -> None:
        if path == "narrative":
            self.narrative.setFocus(Qt.FocusReason.OtherFocusReason)
