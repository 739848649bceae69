"""반기 안전 점검표 page: keyboard entry, per-item inputs, guidance, corrective actions, carried actions, 작성완료."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox

from jbdesk.domain.forms import FormKind, FormRef, FormStatus
from jbdesk.domain.periods import Period
from jbdesk.domain.safety import GUIDANCE
from jbdesk.services.workspace import Workspace
from jbdesk.ui.pages.safety_page import CARRIED_COLUMNS, KEYS, SafetyPage, normalize_date, resolve_choice
from jbdesk.ui.widgets.grid import ERROR_BG, READONLY_BG

H1 = Period.parse("2026-H1")


@pytest.fixture
def f03(workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    workspace.set_facility("F03")
    workspace.forms._today = date(2026, 4, 5)

    def no_dialog(_parent, exc, _title=None):  # a modal box would hang the run: fail instead
        raise AssertionError(f"error dialog: {exc}")

    monkeypatch.setattr("jbdesk.ui.pages.form_page.show_error", no_dialog)
    return workspace


def make_page(qtbot, ws: Workspace, period: Period = H1) -> SafetyPage:
    page = SafetyPage(ws)
    qtbot.addWidget(page)
    page.resize(1180, 800)
    page.show()
    qtbot.waitExposed(page)
    page.set_period(period)
    return page


def row_of(page: SafetyPage, code: str) -> int:
    return [a.code for a in page.view.data.answers].index(code)


def answer(page: SafetyPage, code: str):
    return page.view.data.answers[row_of(page, code)]


def cell(page: SafetyPage, code: str, key: str):
    return page.model.index(row_of(page, code), KEYS.index(key))


def type_cell(qtbot, page: SafetyPage, code: str, key: str, text: str) -> None:
    """Type ASCII into a cell the way a clerk does: the first key opens the editor, Enter saves and moves down."""
    grid = page.grid
    index = cell(page, code, key)
    grid.setCurrentIndex(index)
    grid.setFocus()
    qtbot.keyClick(grid, text[0])
    editor = grid.indexWidget(index)
    assert editor is not None, f"{code}/{key} did not open an editor"
    target = editor.lineEdit() if isinstance(editor, QComboBox) else editor
    if len(text) > 1:
        qtbot.keyClicks(target, text[1:])
    qtbot.keyClick(target, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: grid.indexWidget(index) is None)


def problem_texts(page: SafetyPage) -> list[str]:
    return [page.problems.list.item(i).text() for i in range(page.problems.list.count())]


def test_date_and_choice_helpers() -> None:
    assert normalize_date("2026.3.5") == normalize_date("20260305") == normalize_date(" 2026/03/05 ") == "2026-03-05"
    assert normalize_date("2026.2.30") == "2026.2.30"  # not a date: left for validation to name
    assert resolve_choice("1", ("적합", "부분적합")) == "적합"
    assert resolve_choice("부분", ("적합", "부분적합", "부적합")) == "부분적합"
    assert resolve_choice("부", ("적합", "부분적합", "부적합")) == "부"  # ambiguous: rejected by the grid


def test_fill_checklist_by_keyboard_fix_problems_and_mark_ready(qtbot, f03: Workspace) -> None:
    page = make_page(qtbot, f03)
    ref = FormRef("F03", FormKind.SAFETY, H1)
    codes = [a.code for a in page.view.data.answers]
    assert "SF-GAS-01" in codes and "SF-USR-04" in codes and "SF-WRK-02" not in codes  # gas, medication; no visits
    assert page.model.headerData(0, Qt.Orientation.Vertical) == "SF-GOV-01"
    # The item text comes from the reference list; inputs an item does not ask for are grey and read-only.
    assert page.model.data(cell(page, "SF-GOV-01", "question")).startswith("안전관리 담당자(정·부)")
    assert not page.model.flags(cell(page, "SF-GOV-01", "count")) & Qt.ItemFlag.ItemIsEditable
    assert page.model.data(cell(page, "SF-GOV-01", "count"), Qt.ItemDataRole.BackgroundRole).color() == READONLY_BG
    assert page.model.flags(cell(page, "SF-EDU-01", "total")) & Qt.ItemFlag.ItemIsEditable
    assert not page.model.flags(cell(page, "SF-GOV-08", "status")) & Qt.ItemFlag.ItemIsEditable
    assert page.model.data(cell(page, "SF-EDU-02", "status")) == "점수 제외"

    # 점검일 typed the Korean way becomes ISO.
    qtbot.mouseClick(page.checked_on_edit, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(page.checked_on_edit, "2026.3.20")
    qtbot.keyClick(page.checked_on_edit, Qt.Key.Key_Return)
    assert page.view.data.checked_on == "2026-03-20"

    # Statuses by number: 1 적합 then Enter goes down to the next item.
    type_cell(qtbot, page, "SF-GOV-01", "status", "1")
    assert page.grid.currentIndex() == cell(page, "SF-GOV-02", "status")
    assert answer(page, "SF-GOV-01").status == "적합"
    # The guidance pane follows the cursor.
    assert page.guide_text.text() == GUIDANCE["SF-GOV-02"]
    assert "올해 재난·안전관리 계획이 수립·결재되어" in page.guide_title.text()

    # The rest of the status column pasted from a spreadsheet column; derived items left blank on purpose.
    derived = {"SF-EDU-01", "SF-EDU-04", "SF-HYG-01"}
    page.grid.setCurrentIndex(cell(page, "SF-GOV-02", "status"))
    lines = ["" if c in derived else "적합" for c in codes[row_of(page, "SF-GOV-02") :]]
    assert page.grid.paste_text("\n".join(lines)) > 30

    # Extra inputs, typed as digits.
    for code, key, text in [("SF-EDU-01", "count", "5"), ("SF-EDU-01", "total", "6"), ("SF-EDU-02", "count", "4"),
                            ("SF-EDU-03", "count", "6"), ("SF-EDU-04", "count", "6"), ("SF-EDU-06", "count", "5"),
                            ("SF-EQP-02", "count", "3"), ("SF-USR-02", "count", "1"),
                            ("SF-EDU-04", "date", "2026.3.5"), ("SF-HYG-01", "date", "20260214"),
                            ("SF-GOV-06", "date", "2026-12-31"), ("SF-WRK-01", "date", "2026-02-10")]:  # fmt: skip
        type_cell(qtbot, page, code, key, text)
    assert answer(page, "SF-EDU-04").date == "2026-03-05"
    assert page.model.data(cell(page, "SF-HYG-01", "status")) == "적합 (자동)"
    assert page.model.data(cell(page, "SF-EDU-01", "status")) == "부분적합 (자동)"  # 5/6 < 90%
    assert page.model.data(cell(page, "SF-EDU-01", "action")) == "입력 필요"
    type_cell(qtbot, page, "SF-EDU-01", "count", "6")  # the sixth certificate turned up
    assert page.model.data(cell(page, "SF-EDU-01", "status")) == "적합 (자동)"
    assert page.model.data(cell(page, "SF-EDU-01", "action")) == ""
    # Korean evidence names go in through the model (typing Hangul with key clicks is not possible in tests).
    for code in ("SF-GOV-02", "SF-GOV-03", "SF-EDU-05", "SF-FIR-07"):
        assert page.model.setData(cell(page, code, "file_ref"), f"{code} 결재문서 2026-{code[-2:]}")

    # 해당없음 without a reason is an error on the reason cell, listed in the problems panel.
    page.grid.setCurrentIndex(cell(page, "SF-BLD-02", "status"))
    page.grid.edit(page.grid.currentIndex())
    combo = page.grid.indexWidget(page.grid.currentIndex())
    assert isinstance(combo, QComboBox)
    combo.setCurrentText("해당없음")
    qtbot.keyClick(combo, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: answer(page, "SF-BLD-02").status == "해당없음")
    assert any("해당없음의 사유를 입력하세요" in t for t in problem_texts(page))
    assert page.model.data(cell(page, "SF-BLD-02", "na_reason"), Qt.ItemDataRole.BackgroundRole).color() == ERROR_BG
    page.model.setData(cell(page, "SF-BLD-02", "na_reason"), "단층 건물로 창문 추락 위험 없음")
    assert not any("해당없음의 사유" in t for t in problem_texts(page))

    # 부적합 by typing 3: severity takes the item's default (상), the action becomes required.
    type_cell(qtbot, page, "SF-GAS-01", "status", "3")
    assert (answer(page, "SF-GAS-01").status, answer(page, "SF-GAS-01").severity) == ("부적합", "상")
    assert page.model.data(cell(page, "SF-GAS-01", "action")) == "입력 필요"
    assert any("개선조치(내용·계획·담당·기한)를 입력하세요" in t for t in problem_texts(page))

    # 1 적합 / 2 부분적합 ... and an unambiguous beginning typed into the combo also work.
    page.grid.setCurrentIndex(cell(page, "SF-ELE-04", "status"))
    page.grid.edit(page.grid.currentIndex())
    combo = page.grid.indexWidget(page.grid.currentIndex())
    combo.setCurrentText("부분")
    qtbot.keyClick(combo, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: answer(page, "SF-ELE-04").status == "부분적합")
    assert answer(page, "SF-ELE-04").severity == "중"
    type_cell(qtbot, page, "SF-ELE-04", "status", "1")  # back to 적합: no action needed
    assert answer(page, "SF-ELE-04").status == "적합"

    # The corrective-action editor for the selected item: Korean text, owner role, default due from severity.
    page.grid.setCurrentIndex(cell(page, "SF-GAS-01", "status"))
    editor = page.action_editor
    assert editor.isEnabled() and "SF-GAS-01" in editor.title()
    assert editor.due.text() == "2026-03-27"  # 상: 7 days after 2026-03-20
    editor.finding.setText("주방 가스누설경보기 시험 버튼에 반응 없음")
    editor.finding.flush()
    editor.plan.setText("경보기 교체를 가스 공급업체에 요청")
    editor.plan.flush()
    editor.owner.setFocus()
    editor.owner.lineEdit().setText("시설장")
    qtbot.keyClick(editor.owner.lineEdit(), Qt.Key.Key_Return)
    action = answer(page, "SF-GAS-01").action
    assert (action.owner, action.due, action.status) == ("시설장", "2026-03-27", "미조치")
    assert [editor.status.itemText(i) for i in range(editor.status.count())] == ["미조치", "조치중", "조치완료", "이월"]
    capped = page.view.computed
    assert capped.score >= 90 and capped.grade == "C" and capped.grade_capped  # an A held down by the open 상
    assert "등급 <b>C</b>" in page.summary.text() and "상 미조치로 C 상한" in page.summary.text()
    assert "기한 지난 미조치 1건" in page.summary.text()  # today is 2026-04-05

    # Closing it: the closing date defaults to today (late), then the clerk types the real one.
    editor.status.setCurrentText("조치완료")
    editor.status.activated.emit(editor.status.currentIndex())
    assert answer(page, "SF-GAS-01").action.closed_on == "2026-04-05"
    assert "개선조치 완료율 <b>0.0%</b>" in page.summary.text() and "미달" in page.summary.text()
    editor.closed_on.clear()
    qtbot.keyClicks(editor.closed_on, "2026.3.25")
    qtbot.keyClick(editor.closed_on, Qt.Key.Key_Return)
    assert answer(page, "SF-GAS-01").action.closed_on == "2026-03-25"
    summary = page.summary.text()
    assert "완료율 <b>100.0%</b>" in summary and "목표 90% 달성" in summary and "C 상한" not in summary
    score = page.view.computed
    assert score.grade == "A" and "등급 <b>A</b>" in summary
    assert f"안전점수 <b>{score.score:.1f}점</b>" in summary and score.score == capped.score

    # Nothing blocks any more: 작성완료, then a fresh read from the database.
    assert page.view.blocking == ()
    qtbot.mouseClick(page.ready_button, Qt.MouseButton.LeftButton)
    assert page.view.status is FormStatus.READY and not page.ready_button.isEnabled()
    stored = f03.forms.get(ref)
    assert stored is not None and stored.status is FormStatus.READY
    by_code = {a.code: a for a in stored.data.answers}
    assert stored.data.checked_on == "2026-03-20"
    assert by_code["SF-GOV-01"].status == "적합"
    assert (by_code["SF-EDU-01"].count, by_code["SF-EDU-01"].total) == (6, 6)
    assert by_code["SF-HYG-01"].date == "2026-02-14" and by_code["SF-HYG-01"].status == ""
    assert by_code["SF-BLD-02"].na_reason == "단층 건물로 창문 추락 위험 없음"
    assert by_code["SF-FIR-07"].file_ref == "SF-FIR-07 결재문서 2026-07"
    gas = by_code["SF-GAS-01"].action
    assert gas is not None
    assert gas.finding == "주방 가스누설경보기 시험 버튼에 반응 없음"
    assert (gas.plan, gas.owner) == ("경보기 교체를 가스 공급업체에 요청", "시설장")
    assert (gas.status, gas.due, gas.closed_on) == ("조치완료", "2026-03-27", "2026-03-25")


def test_carried_actions_advance_only_along_allowed_steps(qtbot, f03: Workspace) -> None:
    forms = f03.forms
    h1 = FormRef("F03", FormKind.SAFETY, H1)
    view = forms.open(h1)
    i = [a.code for a in view.data.answers].index("SF-FIR-04")
    action = {"finding": "2층 유도등 미점등", "plan": "유도등 교체", "owner": "시설장", "due": "2026-02-17",
              "status": "조치완료", "carry_reason": "", "closed_on": "2026-02-15"}  # fmt: skip
    forms.set_values(
        h1, [("checked_on", "2026-02-10"), (f"answers/{i}/status", "부적합"), (f"answers/{i}/severity", "상"),
             (f"answers/{i}/action", action)],
    )  # fmt: skip

    page = make_page(qtbot, f03, Period.parse("2026-H2"))
    assert page.carried_model.data_rows == 1
    assert "이월 조치 1건" in page.tabs.tabText(1)
    status = page.carried_model.index(0, [c.key for c in CARRIED_COLUMNS].index("action/status"))
    assert page.carried_model.data(status) == "조치완료"
    # Only the allowed next steps are offered; a jump elsewhere is refused with a message and nothing saved.
    assert page.carried_model.status_choices(status) == ("조치완료", "재점검확인", "조치중")
    assert not page.carried_model.setData(status, "이월")
    assert "바꿀 수 없습니다" in page.notice.text()
    assert page.view.data.carried_actions[0].action.status == "조치완료"

    page.tabs.setCurrentIndex(1)
    grid = page.carried_grid
    grid.setCurrentIndex(status)
    assert "SF-FIR-04" in page.action_editor.title() and "이월" in page.action_editor.title()
    grid.setFocus()
    grid.edit(status)
    combo = grid.indexWidget(status)
    assert [combo.itemText(k) for k in range(combo.count())] == ["", "조치완료", "재점검확인", "조치중"]
    combo.setCurrentText("재점검확인")
    qtbot.keyClick(combo, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.view.data.carried_actions[0].action.status == "재점검확인")
    assert not page.carried_model.flags(status) & Qt.ItemFlag.ItemIsEditable  # 재점검확인 is final
    stored = forms.get(FormRef("F03", FormKind.SAFETY, Period.parse("2026-H2")))
    assert stored.data.carried_actions[0].action.status == "재점검확인"
    assert stored.data.carried_actions[0].action.closed_on == "2026-02-15"  # kept from the closing step
