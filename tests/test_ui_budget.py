"""Budget pages through their widgets: 연간 예산, 월별 예산집행 점검 and the generated 분기실적보고서.

Digits are typed with key events; Korean text goes through the model or the widget (Hangul key events abort
Qt's test driver). Every test reads the result back from the database with a fresh ``forms.get``.
"""

from __future__ import annotations

from datetime import date

import msgspec
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import QAbstractItemView

from jbdesk.domain import budget
from jbdesk.domain.forms import FormKind, FormRef, FormStatus
from jbdesk.domain.periods import Period
from jbdesk.services.workspace import Workspace
from jbdesk.ui.app import make_app
from jbdesk.ui.main_window import MainWindow
from jbdesk.ui.pages.budget_page import BudgetCheckPage
from jbdesk.ui.pages.budget_plan_page import BudgetPlanPage
from jbdesk.ui.pages.quarterly_page import QuarterlyPage
from jbdesk.ui.widgets.grid import ERROR_BG, WARNING_BG

YEAR = Period.parse("2026")
MARCH = Period.parse("2026-03")
Q1 = Period.parse("2026-Q1")
PLAN = FormRef("F03", FormKind.BUDGET_PLAN, YEAR)
SALARY = "세출/사무비/인건비/급여/"
UTILITIES = "세출/사무비/운영비/공공요금/"


@pytest.fixture
def f03(qapp, workspace: Workspace) -> Workspace:
    make_app()
    workspace.set_facility("F03")
    workspace.forms._today = date(2026, 4, 5)
    return workspace


def show(qtbot, page):
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    return page


def check_ref(period: Period) -> FormRef:
    return FormRef("F03", FormKind.BUDGET, period)


def col(model, key: str) -> int:
    return [c.key for c in model.columns].index(key)


def cell(model, row: int, key: str):
    return model.index(row, col(model, key))


def background(index) -> object:
    brush = index.data(Qt.ItemDataRole.BackgroundRole)
    return brush.color() if isinstance(brush, QBrush) else None


def problem_texts(page) -> list[str]:
    return [page.problems.list.item(i).text() for i in range(page.problems.list.count())]


def type_into(qtbot, grid, row: int, column: int, digits: str, end=Qt.Key.Key_Return) -> None:
    """Type like a clerk: the first key opens the editor, the rest go into it, Enter/Tab commits."""
    grid.setFocus()
    grid.setCurrentIndex(grid.model().index(row, column))
    qtbot.keyClicks(grid, digits[0])
    editor = grid.focusWidget()
    assert editor is not grid, "typing did not open an editor"
    qtbot.keyClicks(editor, digits[1:])
    qtbot.keyClick(editor, end)
    if end == Qt.Key.Key_Return:  # Qt closes the editor and moves down from the event loop
        qtbot.waitUntil(lambda: grid.state() != QAbstractItemView.State.EditingState)


def small_plan() -> budget.BudgetPlanData:
    """13,200,000원 each side: 국비 7.2백만, 도비 6백만."""
    lines = [
        budget.BudgetLine(side="세입", gwan="보조금수입", hang="보조금수입", mok="국고보조금", national=7_200_000),
        budget.BudgetLine(side="세입", gwan="보조금수입", hang="보조금수입", mok="시·도보조금", province=6_000_000),
        budget.BudgetLine(gwan="사무비", hang="인건비", mok="급여", national=6_000_000, province=6_000_000),
        budget.BudgetLine(gwan="사무비", hang="운영비", mok="공공요금", national=1_200_000),
    ]
    return budget.BudgetPlanData(versions=[budget.BudgetVersion(lines=lines)])


def line_index(data: budget.BudgetCheckData, key: str) -> int:
    return next(i for i, line in enumerate(data.lines) if line.key == key)


# ---------------------------------------------------------------------------------------------------------
# 연간 예산


def test_plan_typing_paste_semok_validation_revision_and_ready(qtbot, f03: Workspace) -> None:
    page = show(qtbot, BudgetPlanPage(f03))
    page.set_period(YEAR)
    assert [page.version_combo.itemText(i) for i in range(page.version_combo.count())] == ["본예산 (1월부터)"]
    page.filter.set_group(("세출", None))
    model, grid = page.model, page.grid
    lines = page.version().lines
    assert all(line.side == "세출" for line in (lines[model.item_index(r)] for r in range(model.data_rows)))
    assert model.headerData(model.data_rows, Qt.Orientation.Vertical) == "세출 계"
    salary = next(r for r in range(model.data_rows) if lines[model.item_index(r)].mok == "급여")

    # 국비, Tab to 도비, Enter moves down
    type_into(qtbot, grid, salary, col(model, "national"), "80000000", Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: grid.currentIndex().column() == col(model, "province"))
    qtbot.keyClicks(grid.focusWidget(), "92800000")
    qtbot.keyClick(grid.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: grid.currentIndex().row() == salary + 1)
    assert cell(model, salary, "sources_sum").data() == "172,800,000"

    # an Excel block: 제수당 and the next line, 국비 and 도비
    grid.setCurrentIndex(cell(model, salary + 1, "national"))
    assert grid.paste_text("14000000\t14800000\r\n1000000\t2000000\r\n") == 4
    # 산출내역 of 급여 pasted as 단가, 수량, 횟수: 2,400,000 × 6 × 12 = 172,800,000
    grid.setCurrentIndex(cell(model, salary, "calc_unit"))
    assert grid.paste_text("2400000\t6\t12") == 3
    total_row = model.data_rows
    assert cell(model, total_row, "national").data() == "95,000,000"
    assert cell(model, total_row, "province").data() == "109,600,000"
    assert cell(model, total_row, "total").data() == "204,600,000"

    # a stated 계 that the sources do not add up to: error in the panel and on the cells
    type_into(qtbot, grid, salary, col(model, "total"), "170000000")
    qtbot.waitUntil(lambda: any("재원 합계" in t for t in problem_texts(page)))
    assert background(cell(model, salary, "total")) == ERROR_BG
    assert background(cell(model, salary, "sources_sum")) == ERROR_BG
    page.ready_button.click()  # refused: the error stays, the status does not move
    assert f03.forms.get(PLAN).status is FormStatus.DRAFT
    grid.setCurrentIndex(cell(model, salary, "total"))
    qtbot.keyClick(grid, Qt.Key.Key_Delete)  # blank 계 = the sum of the sources
    assert not any("재원 합계" in t for t in problem_texts(page))
    assert background(cell(model, salary, "total")) != ERROR_BG

    # a 세목 of the facility's own under 프로그램사업비
    programme = next(r for r in range(model.data_rows) if lines[model.item_index(r)].mok == "프로그램사업비")
    grid.setCurrentIndex(cell(model, programme, "mok"))
    page.add_semok("심리상담")
    new = page._selected_line()
    added = page.version().lines[new]
    assert (added.gwan, added.hang, added.mok, added.semok) == ("사업비", "운영비", "프로그램사업비", "심리상담")
    type_into(qtbot, grid, model.row_of(new), col(model, "national"), "6000000")

    # remove an unused line, then balance 세입 with 세출 through the 세입 view
    lines = page.version().lines
    spare = next(r for r in range(model.data_rows) if lines[model.item_index(r)].mok == "잡지출")
    before = len(page.version().lines)
    grid.setCurrentIndex(cell(model, spare, "mok"))
    page.remove_line()
    assert len(page.version().lines) == before - 1
    assert any("세입 합계" in t for t in problem_texts(page))  # 세입 0 vs 세출 210,600,000: a warning
    page.filter.set_group(("세입", None))
    income = page.version().lines
    national = next(r for r in range(model.data_rows) if income[model.item_index(r)].mok == "국고보조금")
    province = next(r for r in range(model.data_rows) if income[model.item_index(r)].mok == "시·도보조금")
    type_into(qtbot, grid, national, col(model, "national"), "101000000")
    type_into(qtbot, grid, province, col(model, "province"), "109600000")
    assert "차액" not in page.summary_label.text()
    assert "세출 계</b> 210,600,000원" in page.summary_label.text()

    page.ready_button.click()
    assert page.view.status is FormStatus.READY
    stored = f03.forms.get(PLAN)
    assert stored.status is FormStatus.READY
    saved = {line.key: line for line in stored.data.versions[0].lines}
    line = saved[SALARY]
    assert (line.national, line.province, line.total) == (80_000_000, 92_800_000, None)
    assert (line.calc_unit, line.calc_qty, line.calc_freq) == (2_400_000, 6, 12)
    assert saved["세출/사무비/인건비/제수당/"].province == 14_800_000
    assert saved["세출/사업비/운영비/프로그램사업비/심리상담"].national == 6_000_000
    assert "세출/잡지출/잡지출/잡지출/" not in saved

    # 추경 추가: a copy of 본예산 from July, selected at once; its 적용 월 can be moved
    page.add_revision(7)
    assert page.version_combo.currentText() == "1차 추경 (7월부터)"
    assert page.month_spin.isEnabled()
    page.month_spin.setValue(8)
    stored = f03.forms.get(PLAN)
    assert [(v.name, v.effective_month) for v in stored.data.versions] == [("본예산", 1), ("1차 추경", 8)]
    assert stored.data.versions[1].lines == stored.data.versions[0].lines
    assert stored.status is FormStatus.DRAFT  # an edit after 작성완료 asks for 작성완료 again


# ---------------------------------------------------------------------------------------------------------
# 월별 예산집행 점검


@pytest.fixture
def planned(f03: Workspace) -> Workspace:
    f03.forms.replace_data(PLAN, small_plan())
    return f03


def test_check_over_budget_reason_checks_and_ready(qtbot, planned: Workspace) -> None:
    page = show(qtbot, BudgetCheckPage(planned))
    page.set_period(MARCH)
    assert "본예산" in page.version_label.text()
    assert page.stale_box.isHidden()
    model, grid = page.model, page.grid
    assert model.data_rows == 2 and model.headerData(2, Qt.Orientation.Vertical) == "세출 계"  # 세출 view
    keys = [page.view.data.lines[model.item_index(r)].key for r in range(model.data_rows)]
    salary, utilities = keys.index(SALARY), keys.index(UTILITIES)
    assert cell(model, salary, "subject").data() == "사무비 · 인건비 · 급여"
    assert cell(model, salary, "budget").data() == "12,000,000"

    type_into(qtbot, grid, salary, col(model, "this_month"), "1000000")
    qtbot.waitUntil(lambda: grid.currentIndex().row() == salary + 1)
    type_into(qtbot, grid, utilities, col(model, "this_month"), "1500000")
    # 1,500,000 spent of 1,200,000: over budget, a reason is required
    assert any("사무비 · 운영비 · 공공요금: 누계 집행액이 예산을 초과" in t for t in problem_texts(page))
    assert background(cell(model, utilities, "reason")) == ERROR_BG
    assert background(cell(model, utilities, "remainder")) == ERROR_BG
    assert cell(model, utilities, "remainder").data() == "△300,000"
    assert cell(model, utilities, "rate").data() == "125.0%"
    assert cell(model, salary, "cumulative").data() == "1,000,000"
    assert cell(model, 2, "this_month").data() == "2,500,000"  # 세출 계
    checks = page.check_model
    ac08 = next(r for r in range(checks.data_rows) if page.view.data.checks[r].code == "AC-08")
    assert cell(checks, ac08, "status").data() == "부적합"  # computed: a line lacks its reason
    assert not cell(checks, ac08, "status").flags() & Qt.ItemFlag.ItemIsEditable
    model.setData(cell(model, utilities, "reason"), "동절기 전기요금 인상")
    assert not any("예산을 초과" in t for t in problem_texts(page))
    assert background(cell(model, utilities, "reason")) != ERROR_BG
    assert cell(checks, ac08, "status").data() == "적합"

    # the accounting check list: balances typed, statuses pasted, the difference explained
    page.tabs.setCurrentIndex(2)
    ac01 = next(r for r in range(checks.data_rows) if page.view.data.checks[r].code == "AC-01")
    assert not cell(checks, ac01 + 1, "bank_balance").flags() & Qt.ItemFlag.ItemIsEditable  # AC-01 only
    type_into(qtbot, page.check_grid, ac01, col(checks, "bank_balance"), "5000000", Qt.Key.Key_Tab)
    qtbot.keyClicks(page.check_grid.focusWidget(), "4990000")
    qtbot.keyClick(page.check_grid.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: cell(checks, ac01, "difference").data() == "10,000")
    checks.setData(cell(checks, ac01, "status"), "적합")
    page.check_grid.setCurrentIndex(cell(checks, ac01 + 1, "status"))
    assert page.check_grid.paste_text("\n".join(["적합"] * 5 + ["해당없음"])) == 6
    warning = next(p for p in page.view.validation.warnings if p.code == "budget.check.balance")
    assert background(cell(checks, ac01, "book_balance")) == WARNING_BG
    page.problems.select_warning(warning.key)
    page.problems.explain_edit.setText("미결제 수표 1건 (4월 2일 결제)")
    page.problems.explain_button.click()

    page.ready_button.click()
    assert page.view.status is FormStatus.READY
    stored = planned.forms.get(check_ref(MARCH))
    assert stored.status is FormStatus.READY
    data = stored.data
    assert data.lines[line_index(data, SALARY)].this_month == 1_000_000
    line = data.lines[line_index(data, UTILITIES)]
    assert (line.this_month, line.reason) == (1_500_000, "동절기 전기요금 인상")
    answers = {a.code: a for a in data.checks}
    assert (answers["AC-01"].bank_balance, answers["AC-01"].book_balance) == (5_000_000, 4_990_000)
    assert answers["AC-07"].status == "해당없음" and answers["AC-02"].status == "적합"
    assert data.explanations[warning.key] == "미결제 수표 1건 (4월 2일 결제)"


def test_check_refund_is_allowed_and_needs_a_reason(qtbot, planned: Workspace) -> None:
    feb = Period.parse("2026-02")
    r = check_ref(feb)
    view = planned.forms.open(r)
    planned.forms.set_value(r, f"lines/{line_index(view.data, SALARY)}/this_month", 1_000_000)
    page = show(qtbot, BudgetCheckPage(planned))
    page.set_period(MARCH)
    model = page.model
    row = next(r for r in range(model.data_rows) if page.view.data.lines[model.item_index(r)].key == SALARY)
    assert cell(model, row, "previous").data() == "1,000,000"
    type_into(qtbot, page.grid, row, col(model, "this_month"), "-50000")
    assert cell(model, row, "this_month").data() == "△50,000"
    assert cell(model, row, "cumulative").data() == "950,000"
    assert any("반납" in t for t in problem_texts(page))
    model.setData(cell(model, row, "reason"), "2월 과지급분 반납")
    assert not any("반납" in t for t in problem_texts(page))
    data = planned.forms.get(check_ref(MARCH)).data
    assert data.lines[line_index(data, SALARY)].this_month == -50_000


def test_check_reload_after_a_revision_keeps_what_was_entered(qtbot, planned: Workspace) -> None:
    page = show(qtbot, BudgetCheckPage(planned))
    page.set_period(MARCH)
    model = page.model
    row = next(r for r in range(model.data_rows) if page.view.data.lines[model.item_index(r)].key == SALARY)
    type_into(qtbot, page.grid, row, col(model, "this_month"), "1000000")
    model.setData(cell(model, row, "reason"), "정기 급여")

    # 1차 추경 from March adds a 세목 and raises 급여 (entered on the 연간 예산 page meanwhile)
    plan = budget.add_revision(planned.forms.get(PLAN).data, 3)
    revised = plan.versions[1]
    extra = budget.BudgetLine(gwan="사업비", hang="운영비", mok="프로그램사업비", semok="심리상담", national=600_000)
    lines = [msgspec.structs.replace(ln, province=7_000_000) if ln.key == SALARY else ln for ln in revised.lines]
    revised = msgspec.structs.replace(revised, lines=[*lines, extra])
    planned.forms.replace_data(PLAN, msgspec.structs.replace(plan, versions=[plan.versions[0], revised]))

    page.hide()
    page.show()  # coming back to the page shows the budget as it is now
    assert page.stale_box.isVisible() and page.reload_button.isVisible()
    assert "1차 추경" in page.stale_label.text()
    assert any(p.code == "budget.version.stale" for p in page.view.validation.errors)
    page.reload_button.click()
    assert page.stale_box.isHidden()
    assert "1차 추경" in page.version_label.text()
    stored = planned.forms.get(check_ref(MARCH)).data
    assert stored.budget_version == "1차 추경"
    kept = stored.lines[line_index(stored, SALARY)]
    assert (kept.this_month, kept.reason) == (1_000_000, "정기 급여")
    assert any(line.key == extra.key for line in stored.lines)
    row = next(r for r in range(model.data_rows) if page.view.data.lines[model.item_index(r)].key == SALARY)
    assert cell(model, row, "budget").data() == "13,000,000"
    subjects = [cell(model, r, "subject").data() for r in range(model.data_rows)]
    assert "사업비 · 운영비 · 프로그램사업비 · 심리상담" in subjects


def test_check_without_a_plan_sends_the_clerk_to_the_plan(qtbot, f03: Workspace) -> None:
    window = MainWindow(f03)
    qtbot.addWidget(window)
    window.show()
    page = window.show_page("budget")
    assert isinstance(page, BudgetCheckPage)
    assert page.stale_box.isVisible() and page.plan_button.isVisible() and not page.reload_button.isVisible()
    assert "연간 예산" in page.stale_label.text()
    page.plan_button.click()
    assert isinstance(window.current_page(), BudgetPlanPage)


# ---------------------------------------------------------------------------------------------------------
# 분기실적보고서


def test_quarterly_sums_the_months_lists_missing_ones_and_keeps_the_narrative(qtbot, planned: Workspace) -> None:
    forms = planned.forms
    spent = {1: 1_000_000, 2: 1_200_000, 3: 1_300_000}

    def enter(month: int) -> None:
        r = check_ref(Period.month(2026, month))
        view = forms.open(r)
        forms.set_value(r, f"lines/{line_index(view.data, SALARY)}/this_month", spent[month])

    enter(1)
    enter(3)
    staffing = FormRef("F03", FormKind.STAFFING, MARCH)
    forms.open(staffing)
    forms.set_values(staffing, [("rows/1/authorized", 3), ("rows/1/current", 2), ("rows/1/leavers", 1)])

    page = show(qtbot, QuarterlyPage(planned))
    page.set_period(Q1)
    model = page.model
    assert [model.headerData(col(model, k), Qt.Orientation.Horizontal) for k in ("m0", "m1", "m2")] == [
        "1월",
        "2월",
        "3월",
    ]
    assert page.missing_label.isVisible() and "2026년 2월" in page.missing_label.text()
    assert any("2026년 2월 예산집행 점검이 없습니다" in t for t in problem_texts(page))
    row = next(r for r in range(model.data_rows) if cell(model, r, "subject").data() == "사무비 · 인건비 · 급여")
    assert [cell(model, row, k).data() for k in ("m0", "m1", "m2", "quarter")] == [
        "1,000,000",
        "미작성",
        "1,300,000",
        "2,300,000",
    ]
    assert not cell(model, row, "m0").flags() & Qt.ItemFlag.ItemIsEditable  # generated, never retyped
    assert page.staff_table.item(2, 0).text() == "3" and page.staff_table.item(3, 4).text() == "1"

    enter(2)
    page.hide()
    page.show()  # back from the monthly page: regenerated
    assert page.missing_label.isHidden()
    assert cell(model, row, "quarter").data() == "3,500,000" == f"{sum(spent.values()):,}"
    assert cell(model, row, "cumulative").data() == "3,500,000"
    assert cell(model, model.data_rows, "quarter").data() == "3,500,000"  # 세출 계
    assert cell(model, row, "rate").data() == "29.2%"

    page.narrative.setFocus()
    page.narrative.insertPlainText("1분기 학대피해노인 5명 보호, 심리상담 6회 운영.")
    page.narrative.flush()
    page.ready_button.click()
    stored = forms.get(FormRef("F03", FormKind.QUARTERLY, Q1))
    assert stored.status is FormStatus.READY
    assert stored.data.narrative == "1분기 학대피해노인 5명 보호, 심리상담 6회 운영."
