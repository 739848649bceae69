"""월별 예산집행 점검: each line of the budget in force with this month's execution, plus the accounting checks.

Also home of the small pieces the three budget pages share (group filter, filtered grid model, labels).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

import msgspec
from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QFont, QPainter, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from jbdesk.domain.budget import (
    CHECK_STATUSES,
    EXPENSE,
    INCOME,
    SIDES,
    Amounts,
    BudgetExecution,
    BudgetPlanData,
    ExecutionTotal,
    balance_difference,
    budget_in_force,
    check_status,
    key_parts,
    rebuild_check,
    subject_label,
)
from jbdesk.domain.field_names import CHECK_FIELDS, EXECUTION_FIELDS
from jbdesk.domain.forms import FormKind, FormRef
from jbdesk.domain.numbers import fmt_int, fmt_percent
from jbdesk.domain.periods import Period
from jbdesk.domain.validation import Severity
from jbdesk.i18n import tr
from jbdesk.services.forms import FormView
from jbdesk.ui.pages.form_page import FormPage
from jbdesk.ui.widgets.grid import ERROR_BG, WARNING_BG, Column, GridContent, GridModel, GridView

_Index = QModelIndex | QPersistentModelIndex

# ---------------------------------------------------------------------------------------------------------
# shared by the budget pages


def money(value: Any) -> str:
    """원 with thousands separators, △ for negatives, '-' for zero (as budget tables print it)."""
    return value if isinstance(value, str) else fmt_int(value, zero="-")


def show_page(widget: QWidget, key: str, period: Period | None = None) -> bool:
    """Switch the main window to another page (and period); False outside the main window (tests, dialogs)."""
    window = widget.window()
    show = getattr(window, "show_page", None)
    if show is None:
        return False
    page = show(key)
    if period is not None and hasattr(page, "set_period"):
        page.set_period(period)
    return True


Group = tuple[str | None, str | None]  # (side, 관); None = any


class GroupFilter(QComboBox):
    """Which lines a budget grid shows: everything, one side, or one 관 of a side. The 계 row follows it."""

    groupChanged = Signal()

    def __init__(self, default: Group = (None, None), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.default = default
        self.setAccessibleName(tr("보기"))
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.set_groups([])
        self.currentIndexChanged.connect(lambda _i: self.groupChanged.emit())

    def set_groups(self, pairs: Iterable[tuple[str, str]]) -> None:
        """Offer the sides and 관 that the lines use (``pairs``: side, 관 of each line), keeping the choice."""
        current = self.group() if self.count() else self.default
        gwans: dict[str, list[str]] = {side: [] for side in SIDES}
        for side, gwan in pairs:
            if side in gwans and gwan not in gwans[side]:
                gwans[side].append(gwan)
        groups: list[tuple[str, Group]] = [(tr("세입·세출 전체"), (None, None))]
        for side in SIDES:
            groups.append((tr(f"{side} 전체"), (side, None)))
            groups.extend((f"    {side} · {gwan}" if gwan else f"    {side} · " + tr("(관 없음)"), (side, gwan))
                          for gwan in gwans[side])  # fmt: skip
        self.blockSignals(True)
        self.clear()
        for label, group in groups:
            self.addItem(label, group)
        found = next((i for i, (_, g) in enumerate(groups) if g == current), None)
        if found is None:
            found = next((i for i, (_, g) in enumerate(groups) if g == self.default), 0)
        self.setCurrentIndex(found)
        self.blockSignals(False)

    def group(self) -> Group:
        data = self.currentData()
        return tuple(data) if data else (None, None)

    def set_group(self, group: Group) -> None:
        for i in range(self.count()):
            if tuple(self.itemData(i)) == group:
                self.setCurrentIndex(i)
                return

    def matches(self, side: str, gwan: str) -> bool:
        want_side, want_gwan = self.group()
        return (want_side is None or side == want_side) and (want_gwan is None or gwan == want_gwan)

    def total_label(self) -> str | None:
        """Name of the 계 row, or None when both sides are shown (a 세입 + 세출 sum means nothing)."""
        side, gwan = self.group()
        if side is None:
            return None
        return tr(f"{gwan} 계") if gwan else tr(f"{side} 계")


class BudgetGridModel(GridModel):
    """A GridModel over a filtered view of a list: displayed row ``r`` edits item ``index_map[r]``.

    Also: per-row editability, the 계 row's own label, column titles set per period (months of a quarter),
    and computed cells that take the colour of the problems of a field of the same row (``linked``).
    """

    def __init__(
        self,
        list_path: str,
        columns: Sequence[Column],
        commit: Callable[[list[tuple[str, Any]]], bool],
        *,
        linked: dict[str, str] | None = None,
    ) -> None:
        super().__init__(list_path, columns, commit)
        self.index_map: list[int] = []
        self.total_label = tr("계")
        self.titles: dict[str, str] = {}
        self.linked = linked or {}
        self.row_editable: Callable[[int, Column], bool] | None = None
        self.full_text_tooltips = {"subject"}  # cells that may be cut short show their whole text on hover

    def show(self, content: GridContent, index_map: Sequence[int], total_label: str | None = None) -> None:
        self.index_map = list(index_map)
        self.total_label = total_label or tr("계")
        self.set_content(content)
        if self.columnCount():
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.columnCount() - 1)

    def item_index(self, row: int) -> int:
        return self.index_map[row] if row < len(self.index_map) else row

    def row_of(self, item_index: int) -> int | None:
        return self.index_map.index(item_index) if item_index in self.index_map else None

    def path(self, row: int, col: int) -> str:
        return f"{self.list_path}/{self.item_index(row)}/{self.columns[col].key}"

    def cell_editable(self, row: int, col: int) -> bool:
        if not super().cell_editable(row, col):
            return False
        return self.row_editable is None or self.row_editable(row, self.columns[col])

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole:
            if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
                column = self.columns[section]
                return self.titles.get(column.key, column.title)
            if orientation == Qt.Orientation.Vertical and section >= self.data_rows:
                return self.total_label
        return super().headerData(section, orientation, role)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if index.isValid() and role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ToolTipRole):
            field = self.linked.get(self.columns[index.column()].key)
            if field is not None and not self.is_total(index.row()):
                path = f"{self.list_path}/{self.item_index(index.row())}/{field}"
                problems = self.content.problems.get(path, [])
                open_problems = [p for p in problems if p.key not in self.content.explained]
                if open_problems and role == Qt.ItemDataRole.BackgroundRole:
                    errors = any(p.severity is Severity.ERROR for p in open_problems)
                    return QBrush(ERROR_BG if errors else WARNING_BG)
                if problems and role == Qt.ItemDataRole.ToolTipRole:
                    return "\n".join(f"[{p.severity.value}] {p.message}" for p in problems)
        value = super().data(index, role)
        tooltip = value is None and role == Qt.ItemDataRole.ToolTipRole and index.isValid()
        if tooltip and self.columns[index.column()].key in self.full_text_tooltips:
            return super().data(index, Qt.ItemDataRole.DisplayRole) or None
        return value


def hide_side_column(grid: GridView, group: Group) -> None:
    """The 구분 column says nothing when one side is shown."""
    model = grid.model()
    assert isinstance(model, BudgetGridModel)
    keys = [c.key for c in model.columns]
    if "side" in keys:
        grid.setColumnHidden(keys.index("side"), group[0] is not None)


class ElideLeftDelegate(QStyledItemDelegate):
    """Read-only text cut at the left ('…운영비 · 프로그램사업비 · 심리상담'): the end of a 과목 tells lines apart."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        left = QStyleOptionViewItem(option)
        left.textElideMode = Qt.TextElideMode.ElideLeft
        left.features &= ~QStyleOptionViewItem.ViewItemFeature.WrapText  # a wrapped line would be cut, not elided
        super().paint(painter, left, index)


def make_grid(model: BudgetGridModel, name: str, *, elide_left: Sequence[str] = ()) -> GridView:
    """A GridView without row numbers (the 계 row names itself in its first text cell), last column stretched."""
    grid = GridView(model)
    grid.setAccessibleName(name)
    grid.horizontalHeader().setStretchLastSection(True)
    grid.verticalHeader().hide()
    keys = [c.key for c in model.columns]
    for key in elide_left:
        grid.setItemDelegateForColumn(keys.index(key), ElideLeftDelegate(grid))
    return grid


def focus_cell(grid: GridView, row: int, key: str) -> None:
    model = grid.model()
    assert isinstance(model, BudgetGridModel)
    keys = [c.key for c in model.columns]
    col = keys.index(key) if key in keys else 0
    index = model.index(row, col)
    grid.setCurrentIndex(index)
    grid.scrollTo(index)
    grid.setFocus(Qt.FocusReason.OtherFocusReason)


def amounts_text(a: Amounts) -> str:
    rate = fmt_percent(a.rate) or "-"
    return tr(f"예산 {money(a.budget)} · 누계 {money(a.cumulative)} ({rate}) · 잔액 {money(a.remainder)}")


# ---------------------------------------------------------------------------------------------------------
# 월별 예산집행 점검

LINE_COLUMNS = (
    Column("side", tr("구분"), "computed", editable=False, width=44, numeric_display=False),
    Column("subject", tr("과목 (관·항·목·세목)"), "computed", editable=False, width=220, numeric_display=False),
    Column("budget", tr("예산액"), "computed", editable=False, width=96, fmt=money),
    Column("previous", tr("전월 누계"), "computed", editable=False, width=96, fmt=money),
    Column.of(
        "this_month",
        EXECUTION_FIELDS,
        "money",
        allow_negative=True,
        width=96,
        tooltip=tr("이번 달 집행액(원). 반납·여입은 음수(△ 또는 -)로 입력하고 사유를 적습니다."),
    ),
    Column("cumulative", tr("누계"), "computed", editable=False, width=96, fmt=money),
    Column("rate", tr("집행률"), "computed", editable=False, width=58, fmt=fmt_percent, tooltip=tr("누계 ÷ 예산액")),
    Column("remainder", tr("잔액"), "computed", editable=False, width=96, fmt=money, tooltip=tr("예산액 − 누계")),
    Column.of("reason", EXECUTION_FIELDS, "text", width=80, tooltip=tr("예산 초과, 계획과 차이, 반납의 사유")),
)

CHECK_COLUMNS = (
    Column("item", tr("점검 항목"), "computed", editable=False, width=340, numeric_display=False),
    Column.of(
        "status", CHECK_FIELDS, "choice", choices=CHECK_STATUSES, width=72, tooltip=tr("적합 / 부적합 / 해당없음")
    ),
    Column.of("bank_balance", CHECK_FIELDS, "money", width=100),
    Column.of("book_balance", CHECK_FIELDS, "money", width=100),
    Column("difference", tr("차이"), "computed", editable=False, width=84, fmt=money, tooltip=tr("통장 − 장부")),
    Column.of("note", CHECK_FIELDS, "text", width=120),
)
BALANCE_KEYS = ("bank_balance", "book_balance")
RELOAD_CODES = ("budget.version.stale", "budget.version.missing", "budget.exec.missing_line")


class BudgetCheckPage(FormPage):
    form = FormKind.BUDGET

    # layout ----------------------------------------------------------------------------------
    def build_body(self, layout: QVBoxLayout) -> None:
        self.version_label = QLabel()
        self.version_label.setObjectName("budgetInForce")
        self.version_label.setStyleSheet("font-weight: bold;")
        layout.addWidget(self.version_label)

        self.stale_box = QFrame()
        self.stale_box.setObjectName("staleBox")
        self.stale_box.setStyleSheet(
            "QFrame#staleBox { background: #fff4cc; border: 1px solid #e0c060; border-radius: 4px; }"
        )
        stale = QHBoxLayout(self.stale_box)
        self.stale_label = QLabel()
        self.stale_label.setWordWrap(True)
        self.reload_button = QPushButton(tr("예산 다시 불러오기(&L)"))
        self.reload_button.setToolTip(
            tr("적용 예산의 과목으로 점검표를 다시 만듭니다. 입력한 당월 집행액·사유·점검 결과는 그대로 둡니다.")
        )
        self.plan_button = QPushButton(tr("연간 예산 입력하러 가기(&P)"))
        stale.addWidget(self.stale_label, 1)
        stale.addWidget(self.reload_button)
        stale.addWidget(self.plan_button)
        self.stale_box.hide()
        layout.addWidget(self.stale_box)
        self.reload_button.clicked.connect(self.reload_budget)
        self.plan_button.clicked.connect(self.go_to_plan)

        self.tabs = QTabWidget()
        layout.addWidget(self.tabs, 1)

        lines_tab = QWidget()
        lines_layout = QVBoxLayout(lines_tab)
        top = QHBoxLayout()
        view_label = QLabel(tr("보기(&V):"))
        self.filter = GroupFilter((EXPENSE, None))
        view_label.setBuddy(self.filter)
        top.addWidget(view_label)
        top.addWidget(self.filter)
        top.addSpacing(16)
        self.summary_label = QLabel()
        self.summary_label.setObjectName("budgetSummary")
        self.summary_label.setTextFormat(Qt.TextFormat.RichText)
        self.summary_label.setWordWrap(True)
        top.addWidget(self.summary_label, 1)
        lines_layout.addLayout(top)
        self.model = BudgetGridModel("lines", LINE_COLUMNS, self.commit, linked={"remainder": "reason"})
        self.model.inputRejected.connect(self.show_notice)
        self.grid = make_grid(self.model, tr("예산과목별 집행 표"), elide_left=("subject",))
        lines_layout.addWidget(self.grid, 1)
        self.tabs.addTab(lines_tab, tr("예산 집행(&E)"))
        self.filter.groupChanged.connect(self.render_lines)

        self.subtotals = QTableWidget(0, 7)
        self.subtotals.setAccessibleName(tr("관별 소계 표"))
        self.subtotals.setHorizontalHeaderLabels(
            [tr("구분"), tr("예산액"), tr("전월 누계"), tr("당월 집행"), tr("누계"), tr("집행률"), tr("잔액")]
        )
        self.subtotals.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.subtotals.verticalHeader().hide()
        self.subtotals.verticalHeader().setDefaultSectionSize(26)
        self.subtotals.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for col, width in enumerate((200, 104, 104, 104, 104, 64, 104)):
            self.subtotals.setColumnWidth(col, width)
        self.subtotals.horizontalHeader().setStretchLastSection(True)
        self.tabs.addTab(self.subtotals, tr("관별 소계(&S)"))

        self.check_model = BudgetGridModel("checks", CHECK_COLUMNS, self.commit)
        self.check_model.inputRejected.connect(self.show_notice)
        self.check_model.row_editable = self._check_cell_editable
        self.check_grid = make_grid(self.check_model, tr("회계 점검 항목 표"))
        self.check_grid.verticalHeader().show()  # the check codes (AC-01 ...)
        self.check_grid.setWordWrap(True)
        self.check_grid.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.tabs.addTab(self.check_grid, tr("회계 점검(&C)"))
        self._checks_by_code = {c.code: c for c in self.ws.reference.accounting_checks}

    def showEvent(self, event: QShowEvent) -> None:
        """The budget or last month may have changed on another page: show the figures as they are now."""
        super().showEvent(event)
        if not event.spontaneous() and self.view is not None:
            self.load()

    # showing ---------------------------------------------------------------------------------
    def show_view(self, view: FormView) -> None:
        execution: BudgetExecution = view.computed
        codes = {p.code for p in view.validation.errors}
        if execution.version_name is None:
            self.version_label.setText(tr(f"{self.ref.period.label}에 적용할 예산이 없습니다."))
        else:
            plan = self._plan()
            version = budget_in_force(plan, execution.month) if plan else None
            since = tr(f" ({version.effective_month}월부터 적용)") if version else ""
            self.version_label.setText(tr(f"적용 예산: {execution.version_name}{since}"))
        self._show_stale(view, codes)
        rows = {r.key: r for r in execution.rows}
        self.filter.set_groups((r.side, r.gwan) for r in (rows.get(line.key) for line in view.data.lines) if r)
        self.render_lines()
        self._show_summary(execution)
        self._show_subtotals(execution)
        self._show_checks(view, execution)
        line_problems = sum(1 for p in view.validation.problems if (p.field or "").startswith("lines"))
        check_problems = sum(1 for p in view.validation.problems if (p.field or "").startswith("checks"))
        self.tabs.setTabText(0, tr("예산 집행(&E)") + (f"  ⚠ {line_problems}" if line_problems else ""))
        self.tabs.setTabText(2, tr("회계 점검(&C)") + (f"  ⚠ {check_problems}" if check_problems else ""))

    def _show_stale(self, view: FormView, codes: set[str]) -> None:
        execution: BudgetExecution = view.computed
        editable = view.editable
        if "budget.version.missing" in codes or execution.version_name is None:
            text = tr(
                f"{self.ref.period.year}년 연간 예산이 아직 없어 점검표를 만들 수 없습니다. "
                "연간 예산(본예산)을 먼저 입력한 뒤 '예산 다시 불러오기'를 누르세요."
            )
            self.stale_label.setText(text)
            self.reload_button.setVisible(False)
            self.plan_button.setVisible(True)
            self.stale_box.setVisible(True)
        elif "budget.version.stale" in codes:
            made = view.data.budget_version or tr("예산 없음")
            text = tr(
                f"이 점검표는 '{made}' 기준으로 만들어졌는데, {self.ref.period.label}에 적용되는 예산은 "
                f"'{execution.version_name}'입니다. 예산을 다시 불러오면 과목과 예산액이 바뀌고, 입력한 "
                "당월 집행액·사유·점검 결과는 그대로 남습니다."
            )
            self.stale_label.setText(text)
            self.reload_button.setVisible(True)
            self.reload_button.setEnabled(editable)
            self.plan_button.setVisible(False)
            self.stale_box.setVisible(True)
        elif "budget.exec.missing_line" in codes:
            self.stale_label.setText(
                tr("연간 예산에 이 점검표에 없는 과목이 있습니다(세목 추가 등). 예산을 다시 불러오세요.")
            )
            self.reload_button.setVisible(True)
            self.reload_button.setEnabled(editable)
            self.plan_button.setVisible(False)
            self.stale_box.setVisible(True)
        else:
            self.stale_box.setVisible(False)

    def render_lines(self) -> None:
        view = self.view
        if view is None:
            return
        execution: BudgetExecution = view.computed
        by_key = {r.key: r for r in execution.rows}
        rows: list[dict[str, Any]] = []
        computed: list[dict[str, Any]] = []
        index_map: list[int] = []
        for i, line in enumerate(view.data.lines):
            row = by_key.get(line.key)
            side, gwan, hang, mok, semok = key_parts(line.key)
            if not self.filter.matches(side, gwan):
                continue
            index_map.append(i)
            rows.append(msgspec.to_builtins(line))
            item: dict[str, Any] = {"side": side, "subject": subject_label(gwan, hang, mok, semok)}
            if row is not None:
                a = row.amounts
                item.update(
                    budget=a.budget,
                    previous=a.previous_cumulative,
                    cumulative=a.cumulative,
                    rate=a.rate,
                    remainder=a.remainder,
                )
            computed.append(item)
        label = self.filter.total_label()
        total = None
        if label is not None:
            total = {**self._total(execution, self.filter.group()), "subject": label}
        content = self.grid_content(view, rows, computed=computed, total=total)
        self.model.show(content, index_map, label)
        hide_side_column(self.grid, self.filter.group())

    @staticmethod
    def _total(execution: BudgetExecution, group: Group) -> dict[str, Any]:
        side, gwan = group
        if gwan is None:
            found = next((t.amounts for t in execution.side_totals if t.side == side), None)
        else:
            found = next((t.amounts for t in execution.gwan_totals if t.side == side and t.gwan == gwan), None)
        if found is None:  # nothing in the group: zeros, not stale figures
            found = Amounts(0, 0, 0, 0, 0)
        return {
            "budget": found.budget,
            "previous": found.previous_cumulative,
            "this_month": found.this_month,
            "cumulative": found.cumulative,
            "rate": found.rate,
            "remainder": found.remainder,
        }

    def _show_summary(self, execution: BudgetExecution) -> None:
        parts = []
        for total in execution.side_totals:
            colour = "#b00020" if total.side == EXPENSE and total.amounts.remainder < 0 else "#333"
            parts.append(f"<b>{total.side} 계</b> <span style='color:{colour}'>{amounts_text(total.amounts)}</span>")
        self.summary_label.setText("<br>".join(parts))

    def _show_subtotals(self, execution: BudgetExecution) -> None:
        ordered: list[tuple[ExecutionTotal, bool]] = []
        for side in (INCOME, EXPENSE):
            ordered.extend((t, True) for t in execution.side_totals if t.side == side)
            ordered.extend((t, False) for t in execution.gwan_totals if t.side == side)
        self.subtotals.setRowCount(len(ordered))
        bold = QFont()
        bold.setBold(True)
        for r, (t, is_side) in enumerate(ordered):
            a = t.amounts
            label = tr(f"{t.side} 계") if is_side else f"    {t.gwan or tr('(관 없음)')}"
            values = [
                label,
                money(a.budget),
                money(a.previous_cumulative),
                money(a.this_month),
                money(a.cumulative),
                fmt_percent(a.rate),
                money(a.remainder),
            ]
            for c, text in enumerate(values):
                cell = QTableWidgetItem(text)
                align = Qt.AlignmentFlag.AlignLeft if c == 0 else Qt.AlignmentFlag.AlignRight
                cell.setTextAlignment(align | Qt.AlignmentFlag.AlignVCenter)
                if is_side:
                    cell.setFont(bold)
                self.subtotals.setItem(r, c, cell)

    def _check_cell_editable(self, row: int, column: Column) -> bool:
        data = self.view.data if self.view is not None else None
        if data is None or row >= len(data.checks):
            return False
        check = self._checks_by_code.get(data.checks[row].code)
        kind = check.kind if check is not None else "status"
        if column.key in BALANCE_KEYS:
            return kind == "status+amounts"
        if column.key == "status":
            return kind != "computed"
        return True

    def _show_checks(self, view: FormView, execution: BudgetExecution) -> None:
        rows, computed, labels = [], [], []
        for answer in view.data.checks:
            check = self._checks_by_code.get(answer.code)
            row = msgspec.to_builtins(answer)
            text = check.text if check is not None else tr("(알 수 없는 항목)")
            if check is not None and check.kind == "computed":
                row["status"] = check_status(check, answer, execution)
                text += tr("  ※ 집행 내역의 사유로 자동 판정")
            rows.append(row)
            computed.append({"item": text, "difference": balance_difference(answer)})
            labels.append(answer.code)
        content = self.grid_content(view, rows, computed=computed, row_labels=labels)
        self.check_model.show(content, list(range(len(rows))))

    # actions ---------------------------------------------------------------------------------
    def _plan(self) -> BudgetPlanData | None:
        year = self.ref.period.year
        plan = self.ws.forms.get(FormRef(self.facility_code, FormKind.BUDGET_PLAN, Period.of_year(year)))
        return plan.data if plan is not None else None

    def reload_budget(self) -> None:
        """예산 다시 불러오기: lines of the budget in force, keeping this month's amounts and reasons by key."""
        view = self.view
        if view is None or not view.editable:
            return
        period = self.ref.period
        plan = self._plan() or BudgetPlanData()
        previous = None
        if period.index > 1:
            before = self.ws.forms.get(FormRef(self.facility_code, FormKind.BUDGET, period.previous()))
            previous = before.data if before is not None else None
        data, dropped = rebuild_check(
            view.data, view.computed, plan, previous, period.index, self.ws.reference.accounting_checks
        )
        if self.run(self.ws.forms.replace_data, self.ref, data, "reload") is None:
            return
        if dropped:
            names = ", ".join(
                f"{subject_label(*key_parts(line.key)[1:])} ({money(line.this_month or 0)}원)" for line in dropped
            )
            self.show_notice(tr(f"적용 예산에 없는 과목의 입력값을 지웠습니다: {names}"))
        else:
            self.saved_label.setText(tr(f"'{data.budget_version}' 기준으로 점검표를 다시 만들었습니다."))

    def go_to_plan(self) -> None:
        show_page(self, "budget_plan", Period.of_year(self.ref.period.year))

    def field_label(self, path: str) -> str | None:
        """The 과목 or check code a problem is on, so the list says which line needs the reason."""
        parts = path.split("/")
        if self.view is None or len(parts) < 2 or not parts[1].isdigit():
            return None
        i = int(parts[1])
        if parts[0] == "lines" and i < len(self.view.data.lines):
            return subject_label(*key_parts(self.view.data.lines[i].key)[1:])
        if parts[0] == "checks" and i < len(self.view.data.checks):
            return self.view.data.checks[i].code
        return None

    def focus_field(self, path: str) -> None:
        parts = path.split("/")
        if parts[0] == "budget_version":
            button = self.reload_button if self.reload_button.isVisible() else self.plan_button
            button.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        if parts[0] == "lines":
            self.tabs.setCurrentIndex(0)
            if len(parts) >= 2 and parts[1].isdigit():
                i = int(parts[1])
                if self.model.row_of(i) is None:
                    self.filter.set_group((None, None))
                row = self.model.row_of(i)
                if row is not None:
                    focus_cell(self.grid, row, parts[2] if len(parts) > 2 else "this_month")
            return
        if parts[0] == "checks":
            self.tabs.setCurrentIndex(2)
            if len(parts) >= 2 and parts[1].isdigit():
                focus_cell(self.check_grid, int(parts[1]), parts[2] if len(parts) > 2 else "status")
