"""만족도 조사 page: respondent numbers by keyboard, pasted counts, live scores, validation, suppression, 작성완료."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from jbdesk.domain.forms import FormKind, FormRef, FormStatus
from jbdesk.domain.periods import Period
from jbdesk.services.workspace import Workspace
from jbdesk.ui.pages.survey_page import COUNT_KEYS, ITEM_KEYS, SUPPRESSED_NOTE, BlockWidget, SurveyPage
from jbdesk.ui.widgets.grid import ERROR_BG

YEAR = Period.parse("2026")
REF = FormRef("F03", FormKind.SURVEY, YEAR)


@pytest.fixture
def f03(workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    workspace.set_facility("F03")
    workspace.forms._today = date(2026, 4, 5)

    def no_dialog(_parent, exc, _title=None):  # a modal box would hang the run: fail instead
        raise AssertionError(f"error dialog: {exc}")

    monkeypatch.setattr("jbdesk.ui.pages.form_page.show_error", no_dialog)
    return workspace


@pytest.fixture
def page(qtbot, f03: Workspace) -> SurveyPage:
    page = SurveyPage(f03)
    qtbot.addWidget(page)
    page.resize(1180, 800)
    page.show()
    qtbot.waitExposed(page)
    page.set_period(YEAR)
    return page


def type_numbers(qtbot, block: BlockWidget, values: list[str]) -> None:
    """조사 대상 / 배포 / 회수 / 유효 응답 typed in a row: Enter moves to the next cell, then to the item grid."""
    grid = block.numbers
    grid.setFocus()
    grid.setCurrentIndex(block.numbers_model.index(0, 0))
    for col, text in enumerate(values):
        index = block.numbers_model.index(0, col)
        assert grid.currentIndex() == index
        qtbot.keyClick(grid, text[0])
        editor = grid.indexWidget(index)
        qtbot.keyClicks(editor, text[1:])
        qtbot.keyClick(editor, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda index=index: grid.indexWidget(index) is None)


def type_item_cell(qtbot, block: BlockWidget, row: int, key: str, text: str) -> None:
    grid = block.items
    index = block.items_model.index(row, ITEM_KEYS.index(key))
    grid.setCurrentIndex(index)
    grid.setFocus()
    qtbot.keyClick(grid, text[0])
    editor = grid.indexWidget(index)
    qtbot.keyClicks(editor, text[1:])
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: grid.indexWidget(index) is None)


def shown(block: BlockWidget, row: int, key: str) -> str:
    return block.items_model.data(block.items_model.index(row, ITEM_KEYS.index(key)))


def problem_texts(page: SurveyPage) -> list[str]:
    return [page.problems.list.item(i).text() for i in range(page.problems.list.count())]


def test_user_counts_by_keyboard_and_paste_show_scores_and_catch_excess(qtbot, page: SurveyPage) -> None:
    user = page.blocks["user"]
    assert page.tabs.currentWidget() is user
    assert shown(user, 0, "question") == "시설을 이용하기 위한 절차와 방법이 쉽고 편리하다."
    assert user.items_model.headerData(0, Qt.Orientation.Vertical) == "US-01"

    type_numbers(qtbot, user, ["12", "12", "10", "10"])
    block = page.view.data.user
    assert (block.eligible, block.distributed, block.returned, block.valid) == (12, 12, 10, 10)
    assert user.items.hasFocus()  # Enter on the last number hands over to the item grid
    assert user.numbers_model.data(user.numbers_model.index(0, COUNT_KEYS.index("response_rate"))) == "83.3%"

    # One Excel block for all 12 items: answers at 1..5 points.
    user.items.setCurrentIndex(user.items_model.index(0, ITEM_KEYS.index("counts/0")))
    assert user.items.paste_text("\n".join(["0\t0\t2\t4\t4"] * 12) + "\n") == 60
    assert page.view.data.user.items[11].counts == [0, 0, 2, 4, 4]
    assert (shown(user, 0, "n"), shown(user, 0, "mean"), shown(user, 0, "score"), shown(user, 0, "positive")) == (
        "10",
        "4.20",
        "80.0",
        "80.0%",
    )
    total = user.items_model.data_rows
    assert user.items_model.headerData(total, Qt.Orientation.Vertical) == "계"
    assert shown(user, total, "counts/4") == "48" and shown(user, total, "score") == "80.0"
    summary = user.summary.text()
    assert "이용자 만족도 80.0점</b> / 목표 90점" in summary and "미달" in summary
    assert "긍정률(4-5점) 80.0%" in summary and "회수율 83.3% (회수 10 ÷ 배포 12)" in summary
    assert "80.0점" in page.tabs.tabText(0)

    # 11 answers on a 10-respondent survey: an error on the item's count cells; typing the right digit fixes it.
    user.items.setCurrentIndex(user.items_model.index(1, ITEM_KEYS.index("counts/0")))
    user.items.paste_text("0\t0\t2\t4\t5")
    assert any("US-02 응답 합계(11)가 유효 응답 수(10)보다 많습니다" in t for t in problem_texts(page))
    bad = user.items_model.index(1, ITEM_KEYS.index("counts/4"))
    assert user.items_model.data(bad, Qt.ItemDataRole.BackgroundRole).color() == ERROR_BG
    type_item_cell(qtbot, user, 1, "counts/4", "4")
    assert user.items.currentIndex().row() == 2  # Enter went down
    assert not any("응답 합계" in t for t in problem_texts(page))
    assert user.items_model.data(bad, Qt.ItemDataRole.BackgroundRole) is None

    # Letters are refused with a message and nothing is saved.
    assert not user.items_model.setData(user.items_model.index(2, ITEM_KEYS.index("counts/0")), "다섯")
    assert "숫자가 아닙니다" in page.notice.text()
    assert page.view.data.user.items[2].counts == [0, 0, 2, 4, 4]


def test_staff_suppression_method_switch_and_ready(qtbot, page: SurveyPage, f03: Workspace) -> None:
    user, staff = page.blocks["user"], page.blocks["staff"]
    type_numbers(qtbot, user, ["8", "8", "7", "7"])
    user.items.setCurrentIndex(user.items_model.index(0, ITEM_KEYS.index("counts/0")))
    user.items.paste_text("\n".join(["0\t0\t1\t3\t3"] * 12))

    # A two-person staff survey: the score is computed, but the printed report will hide it.
    qtbot.keyClick(page, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    assert page.tabs.currentWidget() is staff
    assert not staff.suppressed.isVisible()
    type_numbers(qtbot, staff, ["6", "2", "2", "2"])
    staff.items.setCurrentIndex(staff.items_model.index(0, ITEM_KEYS.index("counts/0")))
    assert staff.items.paste_text("\n".join(["0\t0\t0\t1\t1"] * 11)) == 55
    assert staff.suppressed.isVisible() and staff.suppressed.text() == SUPPRESSED_NOTE
    assert page.view.computed.staff.suppressed and page.view.computed.staff.score == 87.5
    warning = next(p for p in page.view.validation.warnings if p.code == "survey.small_n")
    assert warning.field == "staff/valid"
    assert page.view.blocking == (warning,)

    # Explaining the warning in the problems panel.
    page.problems.list.setCurrentRow(page.problems._problems.index(warning))
    page.problems.explain_edit.setText("종사자 2명 시설: 전원 응답")
    qtbot.keyClick(page.problems.explain_edit, Qt.Key.Key_Return)
    assert page.view.blocking == ()

    # The score method: the formula is shown and every score follows the choice.
    assert "(평균 − 1) ÷ 4 × 100" in page.method_text.text()
    user_linear = page.view.computed.user.score
    page.method_combo.setCurrentIndex(page.method_combo.findData("ratio"))
    page.method_combo.activated.emit(page.method_combo.currentIndex())
    assert page.view.data.method == "ratio"
    assert "평균 ÷ 5 × 100" in page.method_text.text()
    assert page.view.computed.user.score != user_linear
    assert shown(staff, 0, "score") == "90.0"  # mean 4.50 ÷ 5 × 100
    assert "90.0점" in page.tabs.tabText(1)

    qtbot.mouseClick(page.ready_button, Qt.MouseButton.LeftButton)
    assert page.view.status is FormStatus.READY
    stored = f03.forms.get(REF)
    assert stored is not None and stored.status is FormStatus.READY
    data = stored.data
    assert data.method == "ratio"
    assert (data.user.eligible, data.user.distributed, data.user.returned, data.user.valid) == (8, 8, 7, 7)
    assert [c.counts for c in data.user.items] == [[0, 0, 1, 3, 3]] * 12
    assert (data.staff.eligible, data.staff.valid) == (6, 2)
    assert [c.counts for c in data.staff.items] == [[0, 0, 0, 1, 1]] * 11
    assert data.explanations[warning.key] == "종사자 2명 시설: 전원 응답"
