"""연간 예산: 본예산 and up to three 추경, each a list of 관·항·목(·세목) lines with their funding sources."""

from __future__ import annotations

from typing import Any

import msgspec
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
)

from jbdesk.domain.budget import (
    EXPENSE,
    INCOME,
    SIDES,
    SOURCE_FIELDS,
    BudgetLine,
    BudgetVersion,
    add_revision,
    line_has_amounts,
    subject_label,
)
from jbdesk.domain.field_names import PLAN_LINE_FIELDS
from jbdesk.domain.forms import FormKind
from jbdesk.domain.periods import Period
from jbdesk.errors import InvalidInputError
from jbdesk.i18n import tr
from jbdesk.services.forms import FormView
from jbdesk.ui.errors import show_error
from jbdesk.ui.pages.budget_page import (
    BudgetGridModel,
    GroupFilter,
    focus_cell,
    hide_side_column,
    make_grid,
    money,
)
from jbdesk.ui.pages.form_page import FormPage
from jbdesk.ui.widgets.grid import Column

COLUMNS = (
    Column.of("side", PLAN_LINE_FIELDS, "choice", choices=SIDES, width=46, tooltip=tr("세입 또는 세출")),
    Column.of("gwan", PLAN_LINE_FIELDS, "text", width=78),
    Column.of("hang", PLAN_LINE_FIELDS, "text", width=78),
    Column.of("mok", PLAN_LINE_FIELDS, "text", width=132),
    Column.of("semok", PLAN_LINE_FIELDS, "text", width=84, tooltip=tr("시설이 목을 나눈 세목 (없으면 비워 둡니다)")),
    Column.of("national", PLAN_LINE_FIELDS, "money", width=90, fmt=money),
    Column.of("province", PLAN_LINE_FIELDS, "money", width=90, fmt=money),
    Column.of("city", PLAN_LINE_FIELDS, "money", width=90, fmt=money),
    Column.of("other", PLAN_LINE_FIELDS, "money", width=90, fmt=money, tooltip=tr("법인전입금·후원금·이용자부담 등")),
    Column(
        "sources_sum",
        tr("재원 합계"),
        "computed",
        editable=False,
        width=96,
        fmt=money,
        tooltip=tr("국비 + 도비 + 시군비 + 기타"),
    ),
    Column.of(
        "total",
        PLAN_LINE_FIELDS,
        "money",
        width=96,
        fmt=money,
        tooltip=tr("예산서에 적힌 계. 비워 두면 재원 합계를 예산액으로 씁니다."),
    ),
    Column.of("calc_unit", PLAN_LINE_FIELDS, "money", width=88, tooltip=tr("산출내역: 단가 × 수량 × 횟수 = 금액")),
    Column.of("calc_qty", PLAN_LINE_FIELDS, "int", width=46),
    Column.of("calc_freq", PLAN_LINE_FIELDS, "int", width=46, tooltip=tr("예: 12개월이면 12")),
    Column.of("calc_note", PLAN_LINE_FIELDS, "text", width=180, tooltip=tr("예: 생활지원사 3명 × 12개월")),
)
TOTAL_KEYS = (*SOURCE_FIELDS, "sources_sum", "total")


def version_label(version: BudgetVersion) -> str:
    return tr(f"{version.name} ({version.effective_month}월부터)")


class BudgetPlanPage(FormPage):
    form = FormKind.BUDGET_PLAN

    # layout ----------------------------------------------------------------------------------
    def build_body(self, layout: QVBoxLayout) -> None:
        self._version_index = 0
        self._shown_period: Period | None = None
        bar = QHBoxLayout()
        version_caption = QLabel(tr("예산 판(&B):"))
        self.version_combo = QComboBox()
        self.version_combo.setAccessibleName(tr("예산 판"))
        self.version_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        version_caption.setBuddy(self.version_combo)
        month_caption = QLabel(tr("적용 월(&M):"))
        self.month_spin = QSpinBox()
        self.month_spin.setRange(1, 12)
        self.month_spin.setSuffix(tr("월 집행부터"))
        self.month_spin.setKeyboardTracking(False)
        self.month_spin.setToolTip(tr("이 예산으로 집행을 점검하기 시작하는 달"))
        month_caption.setBuddy(self.month_spin)
        self.add_revision_button = QPushButton(tr("추경 추가(&A)…"))
        self.add_revision_button.setToolTip(tr("마지막 예산을 복사해 다음 추경(최대 3차)을 만듭니다."))
        self.remove_revision_button = QPushButton(tr("이 추경 삭제"))
        for w in (version_caption, self.version_combo, month_caption, self.month_spin):
            bar.addWidget(w)
        bar.addSpacing(12)
        bar.addWidget(self.add_revision_button)
        bar.addWidget(self.remove_revision_button)
        bar.addStretch(1)
        layout.addLayout(bar)

        view_bar = QHBoxLayout()
        view_caption = QLabel(tr("보기(&V):"))
        self.filter = GroupFilter((None, None))
        view_caption.setBuddy(self.filter)
        view_bar.addWidget(view_caption)
        view_bar.addWidget(self.filter)
        view_bar.addSpacing(16)
        self.summary_label = QLabel()
        self.summary_label.setTextFormat(Qt.TextFormat.RichText)
        self.summary_label.setObjectName("budgetSummary")
        self.summary_label.setWordWrap(True)
        view_bar.addWidget(self.summary_label, 1)
        layout.addLayout(view_bar)

        self.model = BudgetGridModel("versions/0/lines", COLUMNS, self._commit_lines, linked={"sources_sum": "total"})
        self.model.inputRejected.connect(self.show_notice)
        self.grid = make_grid(self.model, tr("예산과목 표"))
        self.grid.horizontalHeader().setStretchLastSection(False)
        layout.addWidget(self.grid, 1)

        actions = QHBoxLayout()
        self.add_account_button = QPushButton(tr("과목 추가(&I)…"))
        self.add_account_button.setToolTip(tr("과목표에서 관·항·목을 골라 줄을 추가합니다."))
        self.add_semok_button = QPushButton(tr("세목 추가(&N)…"))
        self.add_semok_button.setToolTip(tr("선택한 줄의 목 아래에 시설의 세목을 추가합니다."))
        self.remove_line_button = QPushButton(tr("선택 줄 삭제(&X)"))
        for b in (self.add_account_button, self.add_semok_button, self.remove_line_button):
            actions.addWidget(b)
        hint = QLabel(tr("Enter: 아래 칸 · Tab: 오른쪽 칸 · Ctrl+V: 엑셀에서 복사한 칸 붙여넣기 · Delete: 지우기"))
        hint.setStyleSheet("color: #666;")
        actions.addSpacing(12)
        actions.addWidget(hint)
        actions.addStretch(1)
        layout.addLayout(actions)

        self.version_combo.currentIndexChanged.connect(self._version_selected)
        self.month_spin.valueChanged.connect(self._month_changed)
        self.add_revision_button.clicked.connect(lambda: self.add_revision())
        self.remove_revision_button.clicked.connect(lambda: self.remove_revision())
        self.filter.groupChanged.connect(self.render_lines)
        self.add_account_button.clicked.connect(lambda: self.add_account())
        self.add_semok_button.clicked.connect(lambda: self.add_semok())
        self.remove_line_button.clicked.connect(lambda: self.remove_line())

    # showing ---------------------------------------------------------------------------------
    @property
    def version_index(self) -> int:
        return self._version_index

    def version(self) -> BudgetVersion | None:
        if self.view is None or not self.view.data.versions:
            return None
        return self.view.data.versions[min(self._version_index, len(self.view.data.versions) - 1)]

    def select_version(self, index: int) -> None:
        self._version_index = index
        if self.view is not None:
            self.show_view(self.view)

    def show_view(self, view: FormView) -> None:
        versions = view.data.versions
        if view.ref.period != self._shown_period:  # another year: start on the version in use now, the latest
            self._shown_period = view.ref.period
            self._version_index = len(versions) - 1
        self._version_index = max(0, min(self._version_index, len(versions) - 1))
        self.version_combo.blockSignals(True)
        self.version_combo.clear()
        for version in versions:
            self.version_combo.addItem(version_label(version))
        self.version_combo.setCurrentIndex(self._version_index)
        self.version_combo.blockSignals(False)
        version = self.version()
        self.month_spin.blockSignals(True)
        self.month_spin.setValue(version.effective_month if version else 1)
        self.month_spin.blockSignals(False)
        self.month_spin.setEnabled(view.editable and self._version_index > 0)
        self.add_revision_button.setEnabled(view.editable and 0 < len(versions) < 4)
        last = len(versions) - 1
        self.remove_revision_button.setEnabled(view.editable and self._version_index == last and last > 0)
        for b in (self.add_account_button, self.add_semok_button, self.remove_line_button):
            b.setEnabled(view.editable and version is not None)
        self.model.list_path = f"versions/{self._version_index}/lines"
        lines = version.lines if version else []
        self.filter.set_groups((line.side, line.gwan) for line in lines)
        self.render_lines()
        self._show_summary(lines)

    def render_lines(self) -> None:
        view = self.view
        if view is None:
            return
        version = self.version()
        rows: list[dict[str, Any]] = []
        computed: list[dict[str, Any]] = []
        index_map: list[int] = []
        shown: list[BudgetLine] = []
        for i, line in enumerate(version.lines if version else []):
            if not self.filter.matches(line.side, line.gwan):
                continue
            index_map.append(i)
            rows.append(msgspec.to_builtins(line))
            computed.append({"sources_sum": line.sources_sum})
            shown.append(line)
        label = self.filter.total_label()
        total = None
        if label is not None:
            total = {name: sum(getattr(line, name) for line in shown) for name in SOURCE_FIELDS}
            total["sources_sum"] = sum(line.sources_sum for line in shown)
            total["total"] = sum(line.amount for line in shown)
            total["gwan"] = label
        content = self.grid_content(view, rows, computed=computed, total=total)
        self.model.show(content, index_map, label)
        hide_side_column(self.grid, self.filter.group())

    def _show_summary(self, lines: list[BudgetLine]) -> None:
        income = sum(line.amount for line in lines if line.side == INCOME)
        expense = sum(line.amount for line in lines if line.side == EXPENSE)
        text = tr(f"<b>세입 계</b> {money(income)}원 &nbsp; <b>세출 계</b> {money(expense)}원")
        if income != expense:
            text += tr(f" &nbsp; <span style='color:#b00020'><b>차액</b> {money(income - expense)}원</span>")
        sources = {name: sum(getattr(ln, name) for ln in lines if ln.side == EXPENSE) for name in SOURCE_FIELDS}
        parts = [f"{label} {money(sources[name])}" for name, label in SOURCE_FIELDS.items() if sources[name]]
        if parts:
            text += "<br><span style='color:#555'>" + tr("세출 재원: ") + " · ".join(parts) + "</span>"
        self.summary_label.setText(text)

    # editing ---------------------------------------------------------------------------------
    def _commit_lines(self, changes: list[tuple[str, Any]]) -> bool:
        """A cleared 국비·도비·시군비·기타 cell means 0 (the sources are whole numbers, never 'unknown')."""
        fixed = [(path, 0 if value is None and path.rsplit("/", 1)[-1] in SOURCE_FIELDS else value)
                 for path, value in changes]  # fmt: skip
        return self.commit(fixed)

    def _version_selected(self, index: int) -> None:
        if index >= 0 and index != self._version_index:
            self.select_version(index)

    def _month_changed(self, month: int) -> None:
        if self.view is not None and self._version_index > 0:
            self.commit([(f"versions/{self._version_index}/effective_month", month)])

    def _selected_line(self) -> int | None:
        """Index in the version's lines of the grid's current row."""
        index = self.grid.currentIndex()
        if not index.isValid() or index.row() >= self.model.data_rows:
            return None
        return self.model.item_index(index.row())

    def _focus_line(self, item_index: int, key: str = "national") -> None:
        row = self.model.row_of(item_index)
        if row is None:
            self.filter.set_group((None, None))
            row = self.model.row_of(item_index)
        if row is not None:
            focus_cell(self.grid, row, key)

    def add_revision(self, month: int | None = None) -> None:
        """추경 추가: a copy of the latest version's lines, effective from the month the clerk gives."""
        view = self.view
        if view is None or not view.data.versions:
            return
        latest = view.data.versions[-1]
        if month is None:
            if len(view.data.versions) >= 4 or latest.effective_month >= 12:
                show_error(self, InvalidInputError(tr("더 추가할 수 있는 추경이 없습니다 (3차까지, 12월까지).")))
                return
            name = ("1차 추경", "2차 추경", "3차 추경")[len(view.data.versions) - 1]
            month, ok = QInputDialog.getInt(
                self,
                tr("추경 추가"),
                tr(f"{name}을 몇 월 집행부터 적용합니까?\n({latest.name}의 과목과 금액을 복사해 시작합니다.)"),
                min(latest.effective_month + 1, 12),
                latest.effective_month + 1,
                12,
            )
            if not ok:
                return
        try:
            plan = add_revision(view.data, month)
        except InvalidInputError as exc:
            show_error(self, exc)
            return
        self._version_index = len(plan.versions) - 1
        if self.run(self.ws.forms.replace_data, self.ref, plan, "revision") is not None:
            self.saved_label.setText(tr(f"{plan.versions[-1].name}을 만들었습니다. 바뀐 금액을 고치세요."))

    def remove_revision(self, confirm: bool = True) -> None:
        view = self.view
        if view is None or len(view.data.versions) < 2 or self._version_index != len(view.data.versions) - 1:
            return
        name = view.data.versions[-1].name
        if confirm:
            answer = QMessageBox.question(
                self, tr("추경 삭제"), tr(f"{name}을 삭제할까요? 이 추경에 입력한 금액이 모두 지워집니다.")
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        plan = msgspec.structs.replace(view.data, versions=list(view.data.versions[:-1]))
        self._version_index = len(plan.versions) - 1
        self.run(self.ws.forms.replace_data, self.ref, plan, "remove_revision")

    def _insert_line(self, index: int, line: BudgetLine) -> None:
        path = f"versions/{self._version_index}/lines"
        if self.run(self.ws.forms.insert_item, self.ref, path, index, msgspec.to_builtins(line)) is not None:
            self._focus_line(index)

    def add_account(self, account_label: str | None = None) -> None:
        """과목 추가: a line for an account of the chart (budget-accounts.csv), placed in chart order."""
        version = self.version()
        if version is None or self.view is None:
            return
        accounts = self.ws.reference.budget_accounts
        labels = [f"{a.side} · {subject_label(a.gwan, a.hang, a.mok)}" for a in accounts]
        if account_label is None:
            account_label, ok = QInputDialog.getItem(
                self, tr("과목 추가"), tr("추가할 예산과목 (관·항·목):"), labels, 0, False
            )
            if not ok:
                return
        if account_label not in labels:
            self.show_notice(tr(f"과목표에 없는 과목입니다: {account_label}"))
            return
        position = labels.index(account_label)
        account = accounts[position]
        line = BudgetLine(side=account.side, gwan=account.gwan, hang=account.hang, mok=account.mok)
        if any(existing.key == line.key for existing in version.lines):
            self.show_notice(tr("이미 있는 과목입니다. 목을 나누려면 그 줄을 고른 뒤 '세목 추가'를 누르세요."))
            return
        order = {a.key: i for i, a in enumerate(accounts)}
        before = [i for i, existing in enumerate(version.lines) if order.get(existing.account_key, -1) <= position]
        self._insert_line(before[-1] + 1 if before else 0, line)

    def add_semok(self, name: str | None = None) -> None:
        """세목 추가: a line under the selected line's 관·항·목 with a 세목 name of the facility's own."""
        version = self.version()
        selected = self._selected_line()
        if version is None:
            return
        if selected is None:
            self.show_notice(tr("세목을 추가할 목의 줄을 먼저 고르세요."))
            return
        base = version.lines[selected]
        if name is None:
            name, ok = QInputDialog.getText(
                self, tr("세목 추가"), tr(f"'{subject_label(base.gwan, base.hang, base.mok)}' 아래에 추가할 세목 이름:")
            )
            if not ok:
                return
        name = name.strip()
        if not name:
            return
        line = BudgetLine(side=base.side, gwan=base.gwan, hang=base.hang, mok=base.mok, semok=name)
        if any(existing.key == line.key for existing in version.lines):
            self.show_notice(tr(f"같은 이름의 세목이 이미 있습니다: {name}"))
            return
        same = [i for i, existing in enumerate(version.lines) if existing.account_key == base.account_key]
        self._insert_line(max(same) + 1, line)

    def remove_line(self, confirm: bool = True) -> None:
        version = self.version()
        selected = self._selected_line()
        if version is None or selected is None:
            self.show_notice(tr("삭제할 줄을 먼저 고르세요."))
            return
        line = version.lines[selected]
        if confirm and line_has_amounts(line):
            label = subject_label(line.gwan, line.hang, line.mok, line.semok)
            answer = QMessageBox.question(
                self, tr("줄 삭제"), tr(f"'{label}' 줄에 금액이 있습니다. 삭제할까요? (변경 이력에는 남습니다)")
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        row = self.grid.currentIndex().row()
        if self.run(self.ws.forms.remove_item, self.ref, f"versions/{self._version_index}/lines", selected):
            rows = self.model.data_rows
            if rows:
                focus_cell(self.grid, min(row, rows - 1), "national")

    def field_label(self, path: str) -> str | None:
        """The version and 과목 a problem is on (the list covers every version of the year)."""
        parts = path.split("/")
        if self.view is None or len(parts) < 2 or parts[0] != "versions" or not parts[1].isdigit():
            return None
        versions = self.view.data.versions
        vi = int(parts[1])
        if vi >= len(versions):
            return None
        label = versions[vi].name
        if len(parts) >= 4 and parts[2] == "lines" and parts[3].isdigit() and int(parts[3]) < len(versions[vi].lines):
            line = versions[vi].lines[int(parts[3])]
            label += " " + (subject_label(line.side, line.gwan, line.hang, line.mok, line.semok) or tr("(빈 과목)"))
        return label

    def focus_field(self, path: str) -> None:
        parts = path.split("/")
        if len(parts) >= 2 and parts[0] == "versions" and parts[1].isdigit():
            vi = int(parts[1])
            if vi != self._version_index and self.view is not None and vi < len(self.view.data.versions):
                self.select_version(vi)
            if len(parts) >= 4 and parts[2] == "lines" and parts[3].isdigit():
                self._focus_line(int(parts[3]), parts[4] if len(parts) > 4 else "national")
            elif len(parts) >= 3 and parts[2] == "effective_month":
                self.month_spin.setFocus(Qt.FocusReason.OtherFocusReason)
            else:
                self.summary_label.setFocus()
