"""예산 집행 (head office): for a month, each facility's 세입/세출 budget in force, cumulative execution, rate and
remainder with the lines that need a reason, rolled up per group and per account (특별/일반회계); selecting a
facility shows its 관·항·목 lines."""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QWidget

from jbdesk.domain.budget import EXPENSE, INCOME, Amounts, BudgetExecution, ExecutionRow
from jbdesk.domain.hq import FLAG_LABELS, BudgetBoard, BudgetFacility, BudgetRollup, SubmissionState
from jbdesk.domain.numbers import fmt_int, fmt_percent
from jbdesk.domain.periods import Period, PeriodKind
from jbdesk.i18n import tr
from jbdesk.services.workspace import Workspace
from jbdesk.ui.errors import show_error
from jbdesk.ui.widgets.hq_views import (
    BAD_FG,
    CENTER,
    ERROR_BG,
    WARN_BG,
    Cell,
    HqPage,
    Row,
    ViewModel,
    ViewTable,
    default_month,
    num,
    state_cell,
)

HEADERS = (
    "구분", "이름", "회계", "제출 상태", "판", "세입 예산", "세입 누계", "세출 예산", "세출 당월", "세출 누계",
    "세출 집행률", "세출 잔액", "사유 필요 과목", "사유 없는 과목 수",
)  # fmt: skip
TIPS = (
    "시설 / 그룹 / 회계 / 계",
    "",
    "특별회계 / 일반회계",
    "이 달 월별 예산집행 점검의 제출 상태",
    "받은 판",
    "세입 예산현액 (원)",
    "세입 누계 (원)",
    "세출 예산현액 (원): 그 달에 적용되는 예산",
    "세출 이번 달 집행액 (원)",
    "세출 누계 (원)",
    "세출 누계 ÷ 세출 예산현액",
    "세출 예산현액 − 누계 (△: 예산 초과)",
    "예산 초과·계획 대비 편차·반납 과목과 시설이 적은 사유",
    "사유를 적어야 하는데 비어 있는 과목 수",
)
MISSING = SubmissionState.MISSING
KIND_LABELS = {"group": "그룹", "account": "회계", "total": "계"}
LINE_HEADERS = (
    "구분", "관", "항", "목", "세목", "점검", "예산현액", "전월 누계", "당월", "누계", "집행률", "잔액", "사유",
)  # fmt: skip
INCOME_COLUMNS = (5, 6)
SEMOK_COLUMN = 4


def _won(value: int | None) -> str:
    return fmt_int(value)


def _flag_text(b: BudgetFacility) -> str:
    return "; ".join(f"{f.label} ({'·'.join(f.kinds)}): {f.reason}" for f in b.flags)


def facility_row(b: BudgetFacility) -> Row:
    inc, exp = b.income, b.expense
    unexplained = sum(1 for f in b.flags if not f.explained) if b.execution else None
    flags = _flag_text(b)
    return Row(
        (
            Cell(tr("시설"), align=CENTER),
            Cell(f"{b.facility.code} {b.facility.name}", background=ERROR_BG if b.cell.state is MISSING else None),
            Cell(b.facility.account, align=CENTER),
            state_cell(b.cell),
            num(str(b.revision) if b.revision is not None else ""),
            num(_won(inc.budget if inc else None)),
            num(_won(inc.cumulative if inc else None)),
            num(_won(exp.budget if exp else None)),
            num(_won(exp.this_month if exp else None)),
            num(_won(exp.cumulative if exp else None)),
            num(fmt_percent(b.rate)),
            num(_won(exp.remainder if exp else None), foreground=BAD_FG if exp and exp.remainder < 0 else None),
            Cell(flags, tooltip=flags.replace("; ", "\n"), background=WARN_BG if b.flags else None),
            num(
                "" if unexplained is None else str(unexplained),
                background=ERROR_BG if unexplained else None,
            ),
        ),
        value=b,
    )


def rollup_row(r: BudgetRollup) -> Row:
    return Row(
        (
            Cell(tr(KIND_LABELS[r.kind]), align=CENTER),
            Cell(r.label),
            Cell(),
            Cell(
                tr(f"{r.received}/{r.facilities}개소"),
                align=CENTER,
                foreground=BAD_FG if r.received < r.facilities else None,
            ),
            Cell(),
            num(_won(r.income.budget)),
            num(_won(r.income.cumulative)),
            num(_won(r.expense.budget)),
            num(_won(r.expense.this_month)),
            num(_won(r.expense.cumulative)),
            num(fmt_percent(r.rate)),
            num(_won(r.expense.remainder)),
            Cell(),
            Cell(),
        ),
        kind="total" if r.kind == "total" else "subtotal",
        value=r,
    )


def budget_rows(board: BudgetBoard) -> list[Row]:
    """Facilities, then the roll-ups per group, per account, and 계 (the Excel sheet's order)."""
    return [facility_row(b) for b in board.facilities] + [
        rollup_row(r) for r in (*board.groups, *board.accounts, board.total)
    ]


def _amount_cells(a: Amounts) -> list[Cell]:
    return [
        num(_won(a.budget)),
        num(_won(a.previous_cumulative)),
        num(_won(a.this_month)),
        num(_won(a.cumulative)),
        num(fmt_percent(a.rate)),
        num(_won(a.remainder), foreground=BAD_FG if a.remainder < 0 else None),
    ]


def _line_row(r: ExecutionRow) -> Row:
    kinds = [label for name, label in FLAG_LABELS.items() if getattr(r, name)]
    background = (ERROR_BG if r.unexplained else WARN_BG) if r.needs_reason else None
    reason = r.reason if r.reason.strip() or not r.needs_reason else tr("(사유 없음)")
    return Row(
        (
            Cell(r.side, align=CENTER),
            Cell(r.gwan),
            Cell(r.hang),
            Cell(r.mok),
            Cell(r.semok),
            Cell("·".join(kinds), foreground=BAD_FG if kinds else None, tooltip=r.reason),
            *_amount_cells(r.amounts),
            Cell(reason, tooltip=r.reason),
        ),
        value=r,
        background=background,
    )


def _total_row(label: str, a: Amounts, kind: str) -> Row:
    return Row((Cell(label), Cell(), Cell(), Cell(), Cell(), Cell(), *_amount_cells(a), Cell()), kind=kind)


def _empty(r: ExecutionRow) -> bool:
    a = r.amounts
    return not (a.budget or a.previous_cumulative or a.this_month or a.cumulative or r.needs_reason or r.reason)


def line_rows(execution: BudgetExecution, all_lines: bool = False) -> list[Row]:
    """Lines grouped by side and 관 as in the plan, a 관 소계 after each 관 and the side's 계. Lines without
    budget or execution are left out unless ``all_lines``."""
    rows: list[Row] = []
    for side in (INCOME, EXPENSE):
        lines = [r for r in execution.rows if r.side == side and (all_lines or not _empty(r))]
        if not lines:
            continue
        gwans: list[str] = []
        for r in lines:
            if r.gwan not in gwans:
                gwans.append(r.gwan)
        for gwan in gwans:
            members = [r for r in lines if r.gwan == gwan]
            rows += [_line_row(r) for r in members]
            total = next((t for t in execution.gwan_totals if t.side == side and t.gwan == gwan), None)
            if total is not None and len(members) > 1:
                rows.append(_total_row(tr(f"{side} {gwan} 소계"), total.amounts, "subtotal"))
        side_total = next((t for t in execution.side_totals if t.side == side), None)
        if side_total is not None:
            rows.append(_total_row(tr(f"{side} 계"), side_total.amounts, "total"))
    return rows


class ExecutionPage(HqPage):
    title_text = "예산 집행"

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(ws, parent)
        self.board: BudgetBoard | None = None
        today = ws.consolidation.today
        self.add_period_selector(PeriodKind.MONTH, default_month(today), "월(&M):")
        self.income_box = QCheckBox(tr("세입 열 보기(&I)"))
        self.income_box.setToolTip(tr("세입 예산·누계 열을 보입니다 (엑셀에는 늘 들어갑니다)."))
        self.tools.addSpacing(12)
        self.tools.addWidget(self.income_box)
        self.finish_tools()

        self.model = ViewModel(HEADERS)
        self.table = ViewTable(self.model, tr("시설별 예산 집행 표"))
        self.table.setSelectionBehavior(ViewTable.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(ViewTable.SelectionMode.SingleSelection)
        self.lines_model = ViewModel(LINE_HEADERS)
        self.lines = ViewTable(self.lines_model, tr("관·항·목별 집행 표"))
        self.lines_caption = QLabel(tr("위 표에서 시설을 고르면 그 시설의 관·항·목별 집행이 보입니다."))
        self.lines_caption.setWordWrap(True)
        self.lines_caption.setStyleSheet("font-weight: bold;")
        caption_row = QHBoxLayout()
        caption_row.addWidget(self.lines_caption, 1)
        self.all_lines_box = QCheckBox(tr("예산·집행이 없는 과목도 보기(&A)"))
        caption_row.addWidget(self.all_lines_box)
        self.add_split(self.table, caption_row, self.lines)
        self.add_note(
            tr(
                "금액 단위: 원. 집행률 = 세출 누계 ÷ 세출 예산현액. 노란 칸: 사유가 필요한 과목, 붉은 칸: 사유가 없거나 "
            )
            + tr("보고를 받지 못함. 그룹·회계·계는 받은 시설만 더합니다.")
        )
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.income_box.toggled.connect(self._show_income)
        self.all_lines_box.toggled.connect(lambda _on: self.show_lines(self.selected()))
        self.follow_period()

    @property
    def month(self) -> Period:
        return self.nav.period()

    def refresh(self) -> None:
        selected = self.selected()
        code = selected.facility.code if selected is not None else None
        try:
            self.board = self.ws.consolidation.budget_board(self.month)
        except Exception as exc:
            show_error(self, exc)
            return
        board = self.board
        self.model.set_rows(budget_rows(board), [tr(h) for h in HEADERS], [tr(t) for t in TIPS])
        self.table.fit_columns(360, limits={1: 250, 12: 240})
        self._show_income(self.income_box.isChecked())
        self.summary.setText(self._summary_text(board))
        row = -1
        if code is not None:
            row = self.model.find_row(lambda r: isinstance(r.value, BudgetFacility) and r.value.facility.code == code)
        if row < 0:
            row = self.model.find_row(lambda r: isinstance(r.value, BudgetFacility) and r.value.execution is not None)
        if row >= 0:
            self.table.selectRow(row)
        self.show_lines(self.selected())

    def _summary_text(self, board: BudgetBoard) -> str:
        t = board.total
        planned = fmt_percent(board.planned_rate)
        flags = [f for b in board.facilities for f in b.flags]
        unexplained = sum(1 for f in flags if not f.explained)
        text = (
            f"<b>{board.month.label}</b> — "
            + tr(f"제출 {t.received}/{t.facilities}개소 · 세출 예산 {fmt_int(t.expense.budget)}원 중 누계 ")
            + tr(f"{fmt_int(t.expense.cumulative)}원, <b>집행률 {fmt_percent(t.rate) or '-'}</b> (계획 {planned}) · ")
            + tr(f"사유 필요 과목 {len(flags)}건")
        )
        if unexplained:
            text += f" <span style='color:#B00020'>({tr('사유 없음')} {unexplained}{tr('건')})</span>"
        missing = [b.facility for b in board.facilities if b.execution is None]
        if missing:
            names = ", ".join(f"{escape(f.code)}" for f in missing)
            text += "<br><span style='color:#B00020'>" + tr(f"받지 못한 시설 {len(missing)}개소: {names}") + "</span>"
        return text

    # the selected facility ------------------------------------------------------------------------------------------
    def selected(self) -> BudgetFacility | None:
        index = self.table.currentIndex()
        row = self.model.row(index.row()) if index.isValid() else None
        return row.value if row is not None and isinstance(row.value, BudgetFacility) else None

    def select_facility(self, code: str) -> None:
        row = self.model.find_row(lambda r: isinstance(r.value, BudgetFacility) and r.value.facility.code == code)
        if row >= 0:
            self.table.selectRow(row)
            self.show_lines(self.selected())

    def _show_income(self, shown: bool) -> None:
        for c in INCOME_COLUMNS:
            self.table.setColumnHidden(c, not shown)

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.show_lines(self.selected())

    def show_lines(self, b: BudgetFacility | None) -> None:
        if b is None:
            self.lines_model.set_rows([])
            self.lines_caption.setText(tr("위 표에서 시설을 고르면 그 시설의 관·항·목별 집행이 보입니다."))
            return
        f = b.facility
        if b.execution is None:
            self.lines_model.set_rows([])
            self.lines_caption.setText(
                tr(f"{f.code} {f.name}: {self.month.label} 예산집행 점검을 받지 못했습니다 ({b.cell.label}).")
            )
            return
        ex = b.execution
        budget = ex.version_name or tr("적용 예산 없음")
        self.lines_caption.setText(
            tr(f"{f.code} {f.name} — {self.month.label} 관·항·목별 집행 ({b.revision}판, 적용 예산: {budget}, ")
            + tr(f"사유 필요 과목 {len(b.flags)}건)")
        )
        self.lines_model.set_rows(line_rows(ex, self.all_lines_box.isChecked()), [tr(h) for h in LINE_HEADERS])
        self.lines.fit_columns(360, limits={1: 110, 2: 110, 3: 130, 12: 240})
        self.lines.horizontalHeader().setStretchLastSection(True)
        self.lines.setColumnHidden(SEMOK_COLUMN, not any(r.semok for r in ex.rows))

    def views(self) -> list[Any]:
        return [self.board] if self.board is not None else []

    def export_name(self) -> str:
        return tr(f"예산집행_{self.month}")
