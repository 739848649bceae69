"""Head-office pages on the realistic first quarter of tests/hq_factory.py: each page shows the service's figures
(text and colour), the tracker records 접수/보완요청 through its dialog, views export to Excel as shown, the monthly
report is written on the worker and printed by QPainter, and every table model is a correct Qt model.

No modal dialog runs: save dialogs and questions are monkeypatched, review dialogs open non-modally (``open()``),
and Korean text is set on widgets directly (Hangul key events abort Qt's test driver)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from PySide6.QtCore import QEventLoop, Qt, QTimer, QUrl
from PySide6.QtGui import QBrush, QColor, QDesktopServices
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QFileDialog, QMessageBox

from jbdesk.domain.forms import FormKind, FormRef
from jbdesk.domain.hq import STATE_COLOURS, SUPPRESSED_LABEL, SubmissionState
from jbdesk.domain.numbers import fmt_decimal, fmt_int, fmt_percent
from jbdesk.domain.periods import Period
from jbdesk.ui.app import make_app
from jbdesk.ui.main_window import MainWindow
from jbdesk.ui.pages.board_page import BoardPage
from jbdesk.ui.pages.execution_page import ExecutionPage
from jbdesk.ui.pages.report_page import ReportPage, make_printer, paint_report
from jbdesk.ui.pages.safety_hq_page import SafetyHqPage
from jbdesk.ui.pages.survey_hq_page import SurveyHqPage
from jbdesk.ui.pages.tracker_page import TrackerPage
from jbdesk.ui.widgets.hq_views import ViewModel
from tests.hq_factory import F09_REASON, FEB, MARCH, consolidation, hq_copy

S = SubmissionState
JAN = Period.parse("2026-01")


@pytest.fixture
def office(qapp, tmp_path: Path):
    make_app()
    ws = hq_copy(tmp_path)
    yield ws
    ws.close()


@pytest.fixture
def no_dialogs(monkeypatch: pytest.MonkeyPatch) -> dict[str, list]:
    """Every static dialog answers at once; what would have been shown is recorded."""
    seen: dict[str, list] = {"errors": [], "questions": [], "opened": [], "save": []}

    def exec_box(box: QMessageBox) -> int:
        seen["errors"].append(box.text())
        return int(QMessageBox.StandardButton.Ok)

    monkeypatch.setattr(QMessageBox, "exec", exec_box)
    monkeypatch.setattr(
        QMessageBox, "question",
        staticmethod(lambda *a, **k: seen["questions"].append(a[2]) or QMessageBox.StandardButton.Yes),
    )  # fmt: skip
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: seen["opened"].append(url) or True))
    return seen


def save_to(monkeypatch: pytest.MonkeyPatch, path: Path, seen: dict[str, list]) -> None:
    def answer(parent, title, name, filters):
        seen["save"].append(name)
        return str(path), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(answer))


def show(qtbot, page):
    qtbot.addWidget(page)
    page.resize(1280, 820)
    page.show()
    qtbot.waitExposed(page)
    return page


def texts(model: ViewModel) -> list[list[str]]:
    return [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]


def row_of(model: ViewModel, code: str) -> int:
    found = model.find_row(lambda r: (r.header or "").startswith(code + " ") or any(
        c.text == code or c.text.startswith(code + " ") for c in r.cells[:2]))  # fmt: skip
    assert found >= 0, code
    return found


def background(index) -> QColor | None:
    brush = index.data(Qt.ItemDataRole.BackgroundRole)
    return brush.color() if isinstance(brush, QBrush) else None


def finish(page, timeout: int = 60_000) -> None:
    """Run the event loop until the page's worker task reports. (Not qtbot.waitUntil: QTest.qWait keeps the GIL
    between its polls, so a Python worker thread crawls along ten times slower.)"""
    task = page.task
    assert task is not None, "no work was started"
    loop = QEventLoop()
    task.done.connect(lambda _result: loop.quit())
    task.error.connect(lambda _exc: loop.quit())
    QTimer.singleShot(timeout, loop.quit)
    loop.exec()
    assert page.task is None, "the work did not finish in time"


def wait_done(qtbot, page, path: Path, timeout: int = 60_000) -> None:
    finish(page, timeout)
    assert path.exists()


def squash(text: str) -> str:
    """PDF text without spacing (Qt's PDF writer maps spaces to U+0001 in extracted text)."""
    return re.sub(r"[\s\x01]+", "", text)


def as_shown(value, kind: str = "int") -> str:
    """An Excel cell as the page writes it: integers with separators and △, rates as percent, None blank."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if kind == "pct":
        return fmt_percent(value)
    if kind.startswith("score"):
        return fmt_decimal(value)
    return fmt_int(value)


# -- 제출 현황 ---------------------------------------------------------------------------------------------------------


def test_tracker_shows_each_cell_in_text_and_colour_with_counts(qtbot, office, no_dialogs) -> None:
    page = show(qtbot, TrackerPage(office))
    assert page.model.headers[:4] == ["2026년 1월", "2026년 2월", "2026년 3월", "2026년 4월"]  # Jan to today
    page.set_range(JAN, MARCH)
    grid = consolidation(office).tracker(FormKind.STAFFING, JAN, MARCH)
    model = page.model
    assert model.headers == ["2026년 1월", "2026년 2월", "2026년 3월", "제출", "미제출", "지연"]
    for r, row in enumerate(grid.rows):
        assert model.headerData(r, Qt.Orientation.Vertical) == f"{row.facility.code} {row.facility.name}"
        for c, cell in enumerate(row.cells):
            index = model.index(r, c)
            assert index.data() == cell.label  # the state in words ...
            assert background(index) == QColor(cell.colour)  # ... and in colour
            assert index.data(Qt.ItemDataRole.UserRole) == cell
    f02, f13 = row_of(model, "F02"), row_of(model, "F13")
    assert model.index(f02, 2).data() == "1판 접수대기 · 지연"
    assert model.index(f02, 2).data(Qt.ItemDataRole.ForegroundRole).color() == QColor("#B00020")
    assert "2026-04-13" in model.index(f02, 2).data(Qt.ItemDataRole.ToolTipRole)
    assert background(model.index(row_of(model, "F01"), 2)) == QColor(STATE_COLOURS[S.ACCEPTED])
    assert background(model.index(f13, 2)) == QColor(STATE_COLOURS[S.MISSING])
    assert [model.index(f13, c).data() for c in (3, 4, 5)] == ["1", "2", "0"]  # per row
    totals = model.rowCount() - 1
    assert model.headerData(totals, Qt.Orientation.Vertical) == "계 (제출/미제출/지연)"
    assert [model.index(totals, c).data() for c in range(3)] == ["0/15/0", "15/0/0", "14/1/1"]  # per column
    assert "미제출 16" in page.summary.text() and "지연 1" in page.summary.text()
    legend = {label.text() for label in page.findChildren(type(page.title))}
    assert {"접수", "접수대기", "보완요청", "미제출", "기한 전"} <= legend


def test_tracker_other_forms_and_range(qtbot, office, no_dialogs) -> None:
    page = show(qtbot, TrackerPage(office))
    page.set_form(FormKind.SAFETY)
    page.set_range(JAN, MARCH)
    assert page.model.headers[0] == "2026년 상반기"
    assert page.model.index(row_of(page.model, "F03"), 0).data() == "1판 접수대기"
    assert page.model.index(row_of(page.model, "F02"), 0).data() == "미제출"
    page.set_form(FormKind.SURVEY)
    assert page.model.headers[0] == "2026년"
    assert page.model.index(row_of(page.model, "F02"), 0).data() == "기한 전"


def test_double_click_returns_a_report_for_correction(qtbot, office, no_dialogs) -> None:
    page = show(qtbot, TrackerPage(office))
    page.set_range(JAN, MARCH)
    model, table = page.model, page.table
    row = row_of(model, "F04")
    assert model.index(row, 2).data() == "1판 접수대기"
    rect = table.visualRect(model.index(row, 2))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # a double click is a
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # click, then the second
    dialog = page.detail
    assert dialog is not None and dialog.isVisible()
    assert dialog.table.rowCount() == 1  # the revisions received (판 비교)
    assert "1판 접수대기" in dialog.info.text()
    dialog.return_button.click()
    ask = dialog.return_dialog
    assert ask is not None and not ask.ok_button.isEnabled()  # a 보완요청 needs a comment
    ask.comment.setPlainText("돌봄직 현원을 다시 확인해 주세요.")
    ask.path.setCurrentIndex(ask.path.findData("rows/0/current"))
    assert ask.path.currentText().startswith("관리직 · 현원  = ")  # job family and column, not rows/0/current
    ask.field_text.setText("현원이 지난달과 다릅니다")
    ask.add_button.click()
    assert ask.fields.item(0).text() == "관리직 · 현원: 현원이 지난달과 다릅니다"
    assert ask.ok_button.isEnabled()
    ask.ok_button.click()

    assert model.index(row, 2).data() == "1판 보완요청"
    assert background(model.index(row, 2)) == QColor(STATE_COLOURS[S.RETURNED])
    latest = office.reviews.latest(FormRef("F04", FormKind.STAFFING, MARCH))
    assert (latest.decision.value, latest.comment) == ("보완요청", "돌봄직 현원을 다시 확인해 주세요.")
    assert latest.field_comments == (("rows/0/current", "현원이 지난달과 다릅니다"),)
    assert "보완요청" in page.status.text()
    assert no_dialogs["errors"] == []


def test_review_history_names_the_commented_field(qtbot, office, no_dialogs) -> None:
    page = show(qtbot, TrackerPage(office))
    page.set_range(JAN, MARCH)
    dialog = page.open_cell(page.model.index(row_of(page.model, "F03"), 2))
    assert dialog is not None
    qtbot.addWidget(dialog)
    assert "돌봄직 · 휴직: 휴직 1명 누락?" in dialog.info.text()  # rows/3/on_leave of the revision reviewed
    ask = dialog.ask_return()
    assert ask.path.itemData(0) == "rows/0/job_family" and ask.path.itemText(0).startswith("관리직 · 직종  = ")
    ask.reject()


def test_enter_on_a_cell_accepts_and_missing_cells_only_explain(qtbot, office, no_dialogs) -> None:
    page = show(qtbot, TrackerPage(office))
    page.set_range(JAN, MARCH)
    model, table = page.model, page.table
    f02 = row_of(model, "F02")
    table.setFocus()
    table.setCurrentIndex(model.index(f02, 2))
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert page.detail is not None
    page.detail.accept_button.click()
    assert model.index(f02, 2).data() == "1판 접수 · 지연"  # lateness stays visible after 접수
    assert table.currentIndex() == model.index(f02, 2)  # the keyboard stays where it was
    table.selectionModel().select(model.index(f02, 2), table.selectionModel().SelectionFlag.ClearAndSelect)
    assert table.copy_selection() == "1판 접수 · 지연"  # Ctrl+C copies what is shown

    page.detail = None
    table.setCurrentIndex(model.index(row_of(model, "F13"), 2))
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert page.detail is None and "받은 보고가 없습니다" in page.status.text()


def test_due_day_setting_recounts_lateness(qtbot, office, no_dialogs) -> None:
    page = show(qtbot, TrackerPage(office))
    page.set_range(JAN, MARCH)
    assert page.due_spin.value() == 10
    page.due_spin.setValue(14)
    assert office.consolidation.due_day == 14
    assert page.model.index(row_of(page.model, "F02"), 2).data() == "1판 접수대기"  # 04-13 is on time now
    assert "다음 달 14일" in page.summary.text()


# -- 인력 현황판 ------------------------------------------------------------------------------------------------------


def test_board_shows_the_plans_table_with_totals_and_missing(qtbot, office, no_dialogs) -> None:
    page = show(qtbot, BoardPage(office))
    assert page.month == MARCH  # the month whose reports came in last
    board = consolidation(office).staffing_board(MARCH)
    rows = texts(page.model)
    assert page.model.headers == ["구분", "유형", "시설명", "정원", "현원", "결원", "전월 결원", "증감", "제출 상태"]
    t = board.total
    assert rows[-1] == ["계", "", "", fmt_int(t.authorized), fmt_int(t.current), fmt_int(t.vacancy),
                        fmt_int(t.previous_vacancy), fmt_int(t.vacancy_change), "14/15개소"]  # fmt: skip
    assert rows[-1][3:6] == ["100", "94", "△6"]
    assert page.model.index(page.model.rowCount() - 1, 3).data(Qt.ItemDataRole.FontRole).bold()
    subtotals = [r for r in rows if r[1] == "소계"]
    assert [r[3:6] for r in subtotals] == [["50", "48", "△2"], ["45", "42", "△3"], ["5", "4", "△1"]]
    assert subtotals[1][8] == "1개소 미제출"
    f01 = next(r for r in rows if r[2] == "전북특별자치도서부노인보호전문기관")
    assert f01[3:9] == ["8", "7", "△1", "0", "△1", "1판 접수"]
    f13 = next(i for i, r in enumerate(rows) if r[2] == "전북특별자치도청년미래센터")
    assert rows[f13][3:6] == ["", "", ""] and rows[f13][8] == "미제출"
    assert background(page.model.index(f13, 2)) is not None  # marked, not just blank
    assert "F13" in page.summary.text() and "정원 100 · 현원 94 · 결원 △6" in page.summary.text()
    assert page.table.columnSpan(page.model.rowCount() - 1, 0) == 3  # 계 spans 구분..시설명
    assert page.table.rowSpan(0, 0) == 9  # 국·공립 시설: 8 facilities and 소계

    page.set_period(FEB)
    assert texts(page.model)[-1][3:6] == ["114", "104", "△10"]


def test_board_exports_what_it_shows(qtbot, office, no_dialogs, monkeypatch, tmp_path) -> None:
    target = tmp_path / "out" / "board.xlsx"
    target.parent.mkdir()
    save_to(monkeypatch, target.with_suffix(""), no_dialogs)  # the suffix is added when left off
    page = show(qtbot, BoardPage(office))
    page.excel_button.click()
    wait_done(qtbot, page, target)
    assert no_dialogs["save"] and no_dialogs["save"][0].endswith("인력현황판_2026-03.xlsx")
    sheet = load_workbook(target)["인력현황표"]
    written = [[as_shown(v) for v in row] for row in sheet.iter_rows(min_row=4, max_col=9, values_only=True)]
    assert written == texts(page.model)
    assert str(target) in page.status.text()


# -- 예산 집행 ---------------------------------------------------------------------------------------------------------


def test_execution_page_figures_rollups_and_lines(qtbot, office, no_dialogs) -> None:
    page = show(qtbot, ExecutionPage(office))
    board = consolidation(office).budget_board(MARCH)
    rows = texts(page.model)
    f09 = next(b for b in board.facilities if b.facility.code == "F09")
    r = next(r for r in rows if r[1].startswith("F09 "))
    assert r[7:12] == [fmt_int(f09.expense.budget), fmt_int(f09.expense.this_month), fmt_int(f09.expense.cumulative),
                       fmt_percent(f09.rate), fmt_int(f09.expense.remainder)]  # fmt: skip
    assert F09_REASON in r[12] and r[13] == "0"
    total = rows[-1]
    assert total[:2] == ["계", "계"] and total[3] == "3/15개소"
    assert total[7] == fmt_int(board.total.expense.budget) and total[10] == fmt_percent(board.total.rate)
    accounts = {r[1]: r[3] for r in rows if r[0] == "회계"}
    assert accounts == {"특별회계": "2/13개소", "일반회계": "1/2개소"}
    assert [r[1] for r in rows if r[0] == "그룹"] == ["국·공립 시설", "국가 및 지방자치단체 위탁사업", "전북인돌봄센터"]

    page.select_facility("F09")
    assert "F09" in page.lines_caption.text()
    lines = texts(page.lines_model)
    utilities = next(i for i, line in enumerate(lines) if line[3] == "공공요금")
    assert lines[utilities][5] == "계획 대비 편차" and lines[utilities][12] == F09_REASON
    assert background(page.lines_model.index(utilities, 0)) is not None
    assert next(line for line in lines if line[0] == "세출 계")[9] == fmt_int(f09.expense.cumulative)
    assert all(line[6] != "0" or line[9] != "0" for line in lines)  # lines without budget or execution left out
    page.all_lines_box.setChecked(True)
    assert page.lines_model.rowCount() > len(lines)
    page.select_facility("F02")
    assert page.lines_model.rowCount() == 0 and "받지 못했습니다" in page.lines_caption.text()


def test_execution_exports_what_it_shows(qtbot, office, no_dialogs, monkeypatch, tmp_path) -> None:
    target = tmp_path / "budget.xlsx"
    save_to(monkeypatch, target, no_dialogs)
    page = show(qtbot, ExecutionPage(office))
    page.excel_button.click()
    wait_done(qtbot, page, target)
    sheet = load_workbook(target)["예산집행 2026-03"]
    kinds = ["int"] * 14
    kinds[10] = "pct"
    written = [
        [as_shown(v, kinds[c]) for c, v in enumerate(row)] for row in sheet.iter_rows(min_row=2, values_only=True)
    ]
    assert [c.value for c in sheet[1]] == page.model.headers
    assert written == texts(page.model)


# -- 안전 점검 / 만족도 ------------------------------------------------------------------------------------------------


def test_safety_page_scores_grades_and_open_actions(qtbot, office, no_dialogs) -> None:
    page = show(qtbot, SafetyHqPage(office))
    assert str(page.half) == "2026-H1"
    rows = {r[0]: r for r in texts(page.model)}
    assert rows["F01"][6:9] == ["100.0", "A", ""]
    assert rows["F03"][7:9] == ["C", "예"]  # capped by an open 상
    assert rows["F09"][9:14] == ["2", "1", "50.0%", "90%", "미달"]
    assert rows["F02"][3] == "미제출" and rows["F02"][6] == ""
    actions = texts(page.actions_model)
    assert [(a[0], a[4], a[1], a[2]) for a in actions] == [
        ("상", "SF-GAS-01", "2026-02-27", "기한 경과"),
        ("하", "SF-BLD-03", "2026-08-31", ""),
    ]
    assert background(page.actions_model.index(0, 3)) is not None  # overdue row marked
    summary = page.summary.text()
    assert "33.3%" in summary and "목표 90%" in summary and "미달" in summary


def test_survey_page_pools_and_keeps_staff_suppressed(qtbot, office, no_dialogs) -> None:
    page = show(qtbot, SurveyHqPage(office))
    board = consolidation(office).survey_board(2026)
    rows = texts(page.model)
    f05 = next(r for r in rows if r[1].startswith("F05 "))
    assert f05[9] == SUPPRESSED_LABEL and f05[11] == ""
    f01 = next(r for r in rows if r[1].startswith("F01 "))
    f01_result = next(f for f in board.facilities if f.facility.code == "F01")
    assert f01[5] == fmt_decimal(f01_result.user_score) + "점" and f01[7] == "90점"
    pooled, mean = rows[-2], rows[-1]
    assert pooled[0] == "전체(응답자 가중)" and pooled[4] == "40"
    assert pooled[5] == fmt_decimal(board.user.score) + "점" and pooled[9] == fmt_decimal(board.staff.score) + "점"
    assert mean[0] == "시설 점수 평균" and mean[5] == fmt_decimal(board.user.facility_mean_score) + "점"
    assert "비공개 1개소" in page.summary.text()
    assert str(fmt_decimal(board.user.score)) in page.summary.text()


# -- 월간 보고서 -------------------------------------------------------------------------------------------------------


def test_report_page_summary_and_pdf_on_the_worker(qtbot, office, no_dialogs, monkeypatch, tmp_path) -> None:
    page = show(qtbot, ReportPage(office))
    assert page.month == MARCH
    summary = page.summary.text()
    assert "정원 100 · 현원 94 · 결원 △6" in summary and "F13" in summary and "미제출 1개소" in summary
    assert texts(page.model)[-1][4:7] == ["100", "94", "△6"]
    target = tmp_path / "report.pdf"
    save_to(monkeypatch, target, no_dialogs)
    page.pdf_button.click()
    assert not page.pdf_button.isEnabled()  # one job at a time
    wait_done(qtbot, page, target)
    assert page.pdf_button.isEnabled()
    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(target).pages))
    assert "2026년3월소속시설운영현황" in text
    assert "전북특별자치도청년미래센터" in text
    assert no_dialogs["opened"] == [QUrl.fromLocalFile(str(target))]  # offered, and the answer was yes
    assert no_dialogs["errors"] == []
    assert page.report is not None and page.report.month == MARCH


def test_report_page_writes_the_monthly_workbook(qtbot, office, no_dialogs, monkeypatch, tmp_path) -> None:
    target = tmp_path / "report.xlsx"
    save_to(monkeypatch, target, no_dialogs)
    page = show(qtbot, ReportPage(office))
    page.excel_button.click()
    wait_done(qtbot, page, target)
    assert "인력현황표" in load_workbook(target).sheetnames


def test_report_for_a_month_with_nothing_received_says_so(qtbot, office, no_dialogs, monkeypatch, tmp_path) -> None:
    target = tmp_path / "empty.pdf"
    save_to(monkeypatch, target, no_dialogs)
    page = show(qtbot, ReportPage(office))
    page.set_period(Period.parse("2026-05"))
    page.pdf_button.click()
    finish(page)
    assert "받은 보고가 없습니다" in no_dialogs["errors"][0]
    assert not target.exists()


def test_printing_draws_the_report_with_qpainter(qapp, office, tmp_path) -> None:
    make_app()
    report = consolidation(office).monthly_report(MARCH)
    printer = make_printer()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    target = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(target))
    pages = paint_report(printer, report)
    if sys.version_info < (3, 12):  # PySide6 drops references to None while painting: make_app's guard holds
        assert sys.getrefcount(None) > 1 << 39
    reader = PdfReader(target)
    assert pages == len(reader.pages) >= 1 + len(report.pages)
    first = squash(reader.pages[0].extract_text())
    assert "2026년3월소속시설운영현황" in first and "결" in first and "원장" in first
    assert "정원100·현원94·결원△6" in first
    last = squash(reader.pages[-1].extract_text())
    assert f"{pages}/{pages}" in last and "근거자료" in last


def test_print_preview_opens_with_a_kept_printer(qtbot, office, no_dialogs) -> None:
    page = show(qtbot, ReportPage(office))
    page.print_button.click()
    finish(page)
    assert page.printer is not None and page.preview.isVisible()
    page.preview.close()


# -- models and navigation ------------------------------------------------------------------------------------------


def test_every_table_model_is_a_correct_qt_model(qtbot, qtmodeltester, office, no_dialogs) -> None:
    pages = [TrackerPage(office), BoardPage(office), ExecutionPage(office), SafetyHqPage(office),
             SurveyHqPage(office), ReportPage(office)]  # fmt: skip
    models = []
    for page in pages:
        qtbot.addWidget(page)
        models += [m for m in (getattr(page, n, None) for n in ("model", "lines_model", "actions_model")) if m]
    assert all(m.rowCount() > 0 for m in models)
    for model in models:
        qtmodeltester.check(model)
    qtmodeltester.check(ViewModel(["a"]))


def test_head_office_navigation_opens_the_new_pages(qtbot, office, no_dialogs) -> None:
    window = MainWindow(office)
    qtbot.addWidget(window)
    for key, cls in (("tracker", TrackerPage), ("board", BoardPage), ("execution", ExecutionPage),
                     ("safety_hq", SafetyHqPage), ("survey_hq", SurveyHqPage), ("report", ReportPage)):  # fmt: skip
        assert isinstance(window.show_page(key), cls)


@pytest.mark.parametrize(
    ("page_class", "sheet", "kinds"),
    [
        (SafetyHqPage, "안전점검 2026-H1", {6: "score", 11: "pct"}),
        (SurveyHqPage, "만족도 2026", {5: "score점", 6: "pct", 9: "score점"}),
    ],
)
def test_safety_and_survey_export_what_they_show(
    qtbot, office, no_dialogs, monkeypatch, tmp_path, page_class, sheet, kinds
) -> None:
    target = tmp_path / "view.xlsx"
    save_to(monkeypatch, target, no_dialogs)
    page = show(qtbot, page_class(office))
    page.excel_button.click()
    wait_done(qtbot, page, target)
    ws = load_workbook(target)[sheet]
    assert [c.value for c in ws[1]] == page.model.headers

    def shown(col: int, value) -> str:
        kind = kinds.get(col, "int")
        if kind.endswith("점") and isinstance(value, int | float):  # 75.0 reads back as 75
            return as_shown(value, "score") + "점"
        return as_shown(value, kind)

    written = [[shown(c, v) for c, v in enumerate(row)] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert written == texts(page.model)


def test_cancelled_work_says_so_without_a_message_box(qtbot, office, no_dialogs) -> None:
    from jbdesk.domain.hq import Cancelled

    page = show(qtbot, BoardPage(office))
    page._failed(Cancelled())
    assert "취소" in page.status.text() and no_dialogs["errors"] == []
