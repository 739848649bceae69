"""Staffing page through its widgets: keys, paste, validation shown, 작성완료, values in the database."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush

from jbdesk.domain.forms import FormKind, FormRef, FormStatus
from jbdesk.domain.periods import Period
from jbdesk.services.workspace import Workspace
from jbdesk.ui.app import make_app
from jbdesk.ui.main_window import MainWindow
from jbdesk.ui.pages.staffing_page import StaffingPage
from jbdesk.ui.widgets.grid import ERROR_BG, WARNING_BG

FEB = Period.parse("2026-02")
MAR = Period.parse("2026-03")
# 정원 현원 결원 입사 퇴사 휴직 수습 대체 겸직 직접고용 (결원 is computed: pasted blocks skip read-only cells)
BLOCK = "\n".join(
    [
        "1\t1\t\t0\t0\t0\t0\t0\t0\t1",
        "3\t3\t\t0\t0\t0\t1\t4\t1\t3",
        "1\t1\t\t0\t0\t0\t0\t0\t0\t1",
        "0\t0\t\t0\t0\t0\t0\t0\t0\t0",
        "1\t0\t\t0\t1\t0\t0\t12\t0\t0",
        "0\t0\t\t0\t0\t0\t0\t0\t0\t0",
    ]
)


@pytest.fixture
def f03(qapp, workspace: Workspace) -> Workspace:
    make_app()
    workspace.set_facility("F03")
    workspace.forms._today = date(2026, 4, 5)
    return workspace


@pytest.fixture
def page(qtbot, f03: Workspace) -> StaffingPage:
    p = StaffingPage(f03)
    qtbot.addWidget(p)
    p.set_period(FEB)
    p.show()
    qtbot.waitExposed(p)
    return p


def stored(ws: Workspace, period: Period = FEB):
    return ws.forms.get(FormRef("F03", FormKind.STAFFING, period))


def test_typing_with_enter_and_tab_moves_like_a_spreadsheet(qtbot, page: StaffingPage, f03: Workspace) -> None:
    grid = page.grid
    grid.setFocus()
    grid.setCurrentIndex(page.model.index(0, 1))  # 관리직 정원
    qtbot.keyClicks(grid, "2")
    qtbot.keyClick(grid.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: grid.currentIndex().row() == 1)  # Enter committed and moved down (queued by Qt)
    assert grid.currentIndex().column() == 1
    qtbot.keyClicks(grid, "4")
    qtbot.keyClick(grid.focusWidget(), Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: grid.currentIndex().column() == 2)  # Tab moved right
    qtbot.keyClick(grid.focusWidget(), Qt.Key.Key_Escape)
    data = stored(f03).data
    assert (data.rows[0].authorized, data.rows[1].authorized) == (2, 4)
    assert "자동 저장됨" in page.saved_label.text()


def test_paste_block_totals_and_ready(qtbot, page: StaffingPage, f03: Workspace) -> None:
    page.grid.setCurrentIndex(page.model.index(0, 1))
    assert page.grid.paste_text(BLOCK) == 6 * 9
    last = page.model.rowCount() - 1
    assert page.model.index(last, 1).data() == "6"  # 정원 계
    assert page.model.index(last, 2).data() == "5"  # 현원 계
    assert page.model.index(last, 3).data() == "△1"  # 결원 계
    assert page.model.index(4, 3).data() == "△1"  # 조리직 결원
    qtbot.mouseClick(page.ready_button, Qt.MouseButton.LeftButton)
    view = stored(f03)
    assert view.status is FormStatus.READY
    assert [r.current for r in view.data.rows] == [1, 3, 1, 0, 0, 0]
    assert view.data.rows[4].substitute_days == 12
    assert "작성완료" in page.status_label.text()


def test_error_is_shown_next_to_the_field_and_blocks_ready(qtbot, page: StaffingPage, f03: Workspace) -> None:
    page.grid.setCurrentIndex(page.model.index(0, 1))
    page.grid.paste_text(BLOCK)
    page.grid.setCurrentIndex(page.model.index(0, 10))
    page.grid.paste_text("5")  # 직접고용 5 > 현원 1
    cell = page.model.index(0, 10)
    assert page.model.data(cell, Qt.ItemDataRole.BackgroundRole) == QBrush(ERROR_BG)
    assert "현원" in page.model.data(cell, Qt.ItemDataRole.ToolTipRole)
    assert "오류 1건" in page.problems.header.text()
    page.mark_ready()  # refused: an error remains (a message box would block, so call the service path)
    assert stored(f03).status is FormStatus.DRAFT
    page.grid.paste_text("1")
    assert page.problems.header.text().startswith("고칠 곳이 없습니다")


def test_bad_input_is_refused_with_a_message_and_nothing_saved(qtbot, page: StaffingPage, f03: Workspace) -> None:
    page.grid.setCurrentIndex(page.model.index(0, 2))
    page.grid.paste_text("7")
    assert page.model.setData(page.model.index(0, 2), "일곱") is False
    assert "숫자가 아닙니다" in page.notice.text() and page.notice.isVisible()
    assert page.model.setData(page.model.index(0, 2), "-1") is False
    assert "음수" in page.notice.text()
    assert stored(f03).data.rows[0].current == 7


def test_warning_explained_in_the_problems_panel(qtbot, page: StaffingPage, f03: Workspace) -> None:
    page.grid.setCurrentIndex(page.model.index(0, 1))
    page.grid.paste_text(BLOCK)
    page.mark_ready()
    page.set_period(MAR)
    assert page.model.index(1, 1).data() == "3"  # 정원 pre-filled from February
    assert page.model.index(1, 2).data() == ""  # 현원 is not
    page.grid.setCurrentIndex(page.model.index(0, 1))
    march = BLOCK.replace("3\t3\t\t0", "3\t4\t\t0").replace("1\t0\t\t0\t1", "1\t0\t\t0\t0")
    page.grid.paste_text(march)  # 사회복지직 현원 3 -> 4 without a hire; 조리직 no new leaver
    cell = page.model.index(1, 2)
    assert page.model.data(cell, Qt.ItemDataRole.BackgroundRole) == QBrush(WARNING_BG)
    assert stored(f03, MAR).blocking
    page.problems.list.setCurrentRow(0)
    assert page.problems.explain_edit.isEnabled()
    page.problems.explain_edit.setText("본부에서 전보 1명")
    qtbot.keyClick(page.problems.explain_edit, Qt.Key.Key_Return)
    view = stored(f03, MAR)
    assert list(view.data.explanations.values()) == ["본부에서 전보 1명"]
    qtbot.mouseClick(page.ready_button, Qt.MouseButton.LeftButton)
    assert stored(f03, MAR).status is FormStatus.READY


def test_due_list_opens_the_form_at_its_period(qtbot, f03: Workspace) -> None:
    window = MainWindow(f03)
    qtbot.addWidget(window)
    home = window.show_page("home")
    row = next(
        r for r in range(home.model.rowCount())
        if home.model.item(r, 0).text() == "월별 인력 현황" and home.model.item(r, 1).text() == "2026년 1월"
    )  # fmt: skip
    assert "기한 지남" in home.model.item(row, 3).text()
    home.table.activated.emit(home.model.index(row, 0))
    page = window.current_page()
    assert isinstance(page, StaffingPage)
    assert page.navigator.period() == Period.parse("2026-01")
