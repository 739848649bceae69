"""Head-office workbooks (openpyxl): the monthly workbook and 'export what this view shows'.

Data sheets have one header row (bold, shaded), frozen below it, with an autofilter over the data, Korean
headers, widths from the content, and number formats with thousands separators and △ for negatives. Money is
in 원 (unrounded, so sums match the database); rates are fractions formatted as percentages. The staffing board
sheet keeps the plan's own layout (group cells merged, 소계 and 계 rows), so it has a title and no filter.
openpyxl is imported here and in ``xlsx_rows`` (which writes the rows, and ``xlsx_splice`` for very large books)
only.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from jbdesk.domain.budget import EXPENSE, INCOME, BudgetExecution
from jbdesk.domain.forms import FORMS, FormKind
from jbdesk.domain.hq import (
    FLAG_LABELS,
    SHORT_LABELS,
    SUPPRESSED_LABEL,
    BudgetBoard,
    MonthlyReport,
    Progress,
    ReceivedForm,
    SafetyBoard,
    StaffingBoard,
    SubmissionState,
    SurveyBoard,
    TrackerGrid,
    check_cancelled,
    side_amounts,
)
from jbdesk.domain.quarterly import QuarterlyReport
from jbdesk.domain.reference import SafetyItem, Target
from jbdesk.domain.safety import SafetyScore, effective_status
from jbdesk.domain.staffing import COUNT_FIELDS, StaffingSummary
from jbdesk.domain.survey import SurveyResult
from jbdesk.exports.xlsx_rows import LARGE_FROM, Book, Sheet
from jbdesk.fileio import atomic_write

INT = '#,##0;"△"#,##0;0'  # 1,234 / △10 / 0
PCT = '0.0%;"△"0.0%;0.0%'
SCORE = '0.0;"△"0.0;0.0'
DATE = "yyyy-mm-dd"
DATETIME = "yyyy-mm-dd hh:mm"
TEXT = "@"

HEAD_FILL = PatternFill("solid", fgColor="E8ECF2")
TOTAL_FILL = PatternFill("solid", fgColor="F3F3F3")
SUBTOTAL_FILL = PatternFill("solid", fgColor="F7F7F2")
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="center")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left")


@dataclass(frozen=True)
class Col:
    header: str
    fmt: str | None = None  # number format; None: general text
    width: float | None = None  # None: from the content


def _display_width(value: Any) -> float:
    """Column width units for a value: wide (Hangul) characters count twice."""
    if value is None:
        return 0
    if isinstance(value, float):
        text = f"{value:,.1f}"
    elif isinstance(value, int):
        text = f"{value:,}"
    elif isinstance(value, datetime):
        text = "2026-01-01 00:00"
    elif isinstance(value, date):
        text = "2026-01-01"
    else:
        text = str(value)
    return _text_width(text)


@lru_cache(maxsize=4096)
def _text_width(text: str) -> int:
    line = max(text.split("\n"), key=len)
    if line.isascii():
        return len(line)
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in line)


def _print_setup(sheet: Sheet, title_rows: str | None = None, landscape: bool = True) -> None:
    """A4, fit to one page wide, header rows repeated: printing from Excel or Calc gives readable pages."""
    ws = sheet.ws
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    if title_rows:
        ws.print_title_rows = title_rows


def _sheet_name(name: str) -> str:
    bad = "[]:*?/\\"
    return "".join("_" if ch in bad else ch for ch in name)[:31]


def _widths(sheet: Sheet, widths: Sequence[float]) -> None:
    for c, width in enumerate(widths, start=1):
        sheet.ws.column_dimensions[get_column_letter(c)].width = width


def _head_style(book: Book) -> int:
    return book.style(font=BOLD, fill=HEAD_FILL, alignment=CENTER, border=BOX)


def data_sheet(book: Book, name: str, columns: Sequence[Col], rows: Iterable[Sequence[Any]]) -> Sheet:
    """A filterable table: header row 1, data from row 2, frozen header, autofilter, widths, formats."""
    sheet = book.sheet(_sheet_name(name))
    sheet.append([col.header for col in columns], _head_style(book), height=30)
    formats = [book.style(number_format=col.fmt) if col.fmt is not None else 0 for col in columns]
    plain = [0] * len(columns)  # text in a number column keeps the general format
    widths = [_display_width(col.header) for col in columns]
    for r, row in enumerate(rows):
        if len(row) != len(columns):
            raise ValueError(f"{name}: {len(row)} values for {len(columns)} columns")
        sheet.append(row, formats, text=plain)
        if r < 400:  # widths from the first rows: enough to size a column, and cheap
            for c, value in enumerate(row):
                widths[c] = max(widths[c], _display_width(value))
    _widths(
        sheet,
        [
            col.width if col.width is not None else min(max(w + 2, 6), 60)
            for col, w in zip(columns, widths, strict=True)
        ],
    )
    ws = sheet.ws
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(sheet.max_row, 2)}"
    _print_setup(sheet, "1:1")
    return sheet


def _target(target: Target | None) -> str:
    if target is None:
        return ""
    value = int(target.value) if float(target.value).is_integer() else target.value
    return f"{value}{target.unit.suffix}"


# -- sheets from the read models --------------------------------------------------------------------------------------


def staffing_board_sheet(book: Book, board: StaffingBoard, name: str = "인력현황표") -> Sheet:
    """The plan's table 소속시설(위수탁) 현황: merged group cells, 소계 per group, 계."""
    sheet = book.sheet(_sheet_name(name))
    merged = sheet.ws.merged_cells
    sheet.append([f"소속시설(위수탁) 현황 ({board.month.label}, 단위: 명)"], book.style(font=TITLE))
    merged.add("A1:I1")
    sheet.append(["결원 = 현원 - 정원 (△: 부족 인원). 미제출 시설은 합계에서 빠집니다. 증감 = 당월 결원 - 전월 결원."])
    merged.add("A2:I2")
    headers = ["구분", "유형", "시설명", "정원", "현원", "결원", "전월 결원", "증감", "제출 상태"]
    sheet.append(headers, _head_style(book))

    def styles(fill: PatternFill | None = None, bold: bool = False, numbers: bool = True) -> list[int]:
        """Per column: a border; the count format (4-8); wrapped text (1-3, 9); the fill from column 2."""
        return [
            book.style(
                border=BOX, font=BOLD if bold else None, fill=fill if fill is not None and c >= 2 else None,
                alignment=WRAP if c <= 3 or c == 9 else None, number_format=INT if numbers and 4 <= c <= 8 else None,
            )
            for c in range(1, 10)
        ]  # fmt: skip

    plain, plain_text = styles(), styles(numbers=False)
    sub, sub_text = styles(SUBTOTAL_FILL, bold=True), styles(SUBTOTAL_FILL, bold=True, numbers=False)
    total, total_text = styles(TOTAL_FILL, bold=True), styles(TOTAL_FILL, bold=True, numbers=False)
    name_cell = book.style(border=BOX, alignment=CENTER)  # the group's name, merged over its rows
    group_first, group_first_text = [name_cell, *plain[1:]], [name_cell, *plain_text[1:]]
    total[0] = total_text[0] = book.style(border=BOX, font=BOLD, fill=TOTAL_FILL, alignment=CENTER)
    for group in board.groups:
        first = sheet.max_row + 1
        for i, row in enumerate(group.rows):
            sheet.append(
                [group.name if i == 0 else None, row.facility.type, row.facility.name, row.authorized, row.current,
                 row.vacancy, row.previous_vacancy, row.vacancy_change, row.cell.label],
                group_first if i == 0 else plain, text=group_first_text if i == 0 else plain_text,
            )  # fmt: skip
        s = group.subtotal
        note = f"{s.missing}개소 미제출" if s.missing else f"{s.received}개소"
        sheet.append([None, "소계", None, s.authorized, s.current, s.vacancy, s.previous_vacancy, s.vacancy_change,
                      note], sub, text=sub_text)  # fmt: skip
        r = sheet.max_row
        merged.add(f"B{r}:C{r}")
        if group.rows:  # the group's name over its rows and 소계 (a one-row range is no merge)
            merged.add(f"A{first}:A{r}")
    t = board.total
    sheet.append(["계", None, None, t.authorized, t.current, t.vacancy, t.previous_vacancy, t.vacancy_change,
                  f"{t.received}/{t.facilities}개소"], total, text=total_text)  # fmt: skip
    r = sheet.max_row
    merged.add(f"A{r}:C{r}")
    _widths(sheet, [16, 22, 40, 8, 8, 8, 10, 8, 20])
    sheet.ws.freeze_panes = "A4"
    _print_setup(sheet, "3:3", landscape=False)
    return sheet


def tracker_long_rows(grids: Sequence[TrackerGrid]) -> list[list[Any]]:
    rows = []
    for g in grids:
        for row in g.rows:
            for cell in row.cells:
                review = cell.review
                rows.append(
                    [FORMS[g.form].label, str(cell.period), row.facility.code, row.facility.name, cell.state.value,
                     cell.revision, "지연" if cell.late else "", cell.due, cell.first_signed_at,
                     review.decision.value if review else "", review.comment if review else "", cell.label]
                )  # fmt: skip
    return rows


TRACKER_COLUMNS = [
    Col("보고"), Col("기간"), Col("시설코드"), Col("시설명"), Col("상태"), Col("판", INT), Col("지연"),
    Col("제출 기한", DATE), Col("처음 서명", DATETIME), Col("검토 결정"), Col("검토 의견"), Col("표시"),
]  # fmt: skip


def tracker_grid_sheet(book: Book, grids: Sequence[TrackerGrid], name: str = "제출현황(표)") -> Sheet:
    """Facility × period grids, one block per form, with counts per row and column (as the GUI shows them)."""
    sheet = book.sheet(_sheet_name(name))
    head, boxed = _head_style(book), book.style(border=BOX)
    totals_style = book.style(font=BOLD, fill=TOTAL_FILL, border=BOX, alignment=CENTER)
    states: dict[str, int] = {}  # a state's colour → its cell style

    def state_style(colour: str) -> int:
        if colour not in states:
            states[colour] = book.style(
                border=BOX, alignment=CENTER, fill=PatternFill("solid", fgColor=colour.lstrip("#"))
            )
        return states[colour]

    max_cols = 0
    for n, g in enumerate(grids):
        if n:
            sheet.append([])  # a blank row between blocks
        sheet.append([f"{g.title} (기한: 다음 달 {g.due_day}일, 기준일 {g.today:%Y-%m-%d})"], book.style(font=BOLD))
        headers = ["시설코드", "시설명", *[p.label for p in g.periods], "제출", "미제출", "지연"]
        max_cols = max(max_cols, len(headers))
        sheet.append(headers, head)
        periods = len(g.periods)
        for row in g.rows:
            received = sum(1 for cell in row.cells if cell.received)
            values = [row.facility.code, row.facility.name, *[c.label for c in row.cells], received,
                      row.counts[SubmissionState.MISSING], row.late]  # fmt: skip
            styles = [boxed, boxed, *[state_style(c.colour) for c in row.cells], boxed, boxed, boxed]
            sheet.append(values, styles)
        totals = ["", "계 (제출/미제출/지연)"]
        totals += [
            f"{sum(1 for row in g.rows if row.cells[i].received)}/{g.column_counts[i][SubmissionState.MISSING]}/{g.column_late[i]}"
            for i in range(periods)
        ]
        sheet.append(totals, totals_style)
    _widths(sheet, [9, 38] + [16] * max(max_cols - 2, 0))
    sheet.ws.freeze_panes = "C1"
    _print_setup(sheet)
    return sheet


BUDGET_BOARD_COLUMNS = [
    Col("구분"), Col("이름"), Col("회계"), Col("제출 상태"), Col("판", INT), Col("세입 예산", INT), Col("세입 누계", INT),
    Col("세출 예산", INT), Col("세출 당월", INT), Col("세출 누계", INT), Col("세출 집행률", PCT), Col("세출 잔액", INT),
    Col("사유 필요 과목"), Col("사유 없는 과목 수", INT),
]  # fmt: skip


def budget_board_rows(board: BudgetBoard) -> list[list[Any]]:
    rows = []
    for b in board.facilities:
        inc, exp = b.income, b.expense
        rows.append(
            ["시설", f"{b.facility.code} {b.facility.name}", b.facility.account, b.cell.label, b.revision,
             inc.budget if inc else None, inc.cumulative if inc else None, exp.budget if exp else None,
             exp.this_month if exp else None, exp.cumulative if exp else None, b.rate,
             exp.remainder if exp else None,
             "; ".join(f"{f.label} ({'·'.join(f.kinds)}): {f.reason}" for f in b.flags),
             sum(1 for f in b.flags if not f.explained) if b.execution else None]
        )  # fmt: skip
    for roll in (*board.groups, *board.accounts, board.total):
        kind = {"group": "그룹", "account": "회계", "total": "계"}[roll.kind]
        rows.append(
            [kind, roll.label, "", f"{roll.received}/{roll.facilities}개소", None, roll.income.budget,
             roll.income.cumulative, roll.expense.budget, roll.expense.this_month, roll.expense.cumulative,
             roll.rate, roll.expense.remainder, "", None]
        )  # fmt: skip
    return rows


SAFETY_BOARD_COLUMNS = [
    Col("시설코드"), Col("시설명"), Col("점검표"), Col("제출 상태"), Col("판", INT), Col("점검일"), Col("점수", SCORE),
    Col("등급"), Col("상한 적용"), Col("개선조치", INT), Col("기한 내 완료", INT), Col("완료율", PCT), Col("목표"),
    Col("달성"), Col("열린 조치", INT), Col("열린 상 위험", INT), Col("기한 경과", INT),
]  # fmt: skip


def _met(met: bool | None) -> str:
    return "" if met is None else ("달성" if met else "미달")


def safety_board_rows(board: SafetyBoard) -> list[list[Any]]:
    rows = []
    for f in board.facilities:
        s = f.score
        rows.append(
            [f.facility.code, f.facility.name, f.period.label if f.period else "", f.cell.label, f.revision,
             f.checked_on or None, s.score if s else None, s.grade if s else None,
             ("예" if s.grade_capped else "") if s else None, s.actions_raised if s else None,
             s.actions_closed_on_time if s else None, s.completion_rate if s else None, _target(board.target),
             _met(s.target_met) if s else "", len(s.open_actions) if s else None,
             sum(1 for a in s.open_actions if a.severity == "상") if s else None,
             len(s.overdue_actions) if s else None]
        )  # fmt: skip
    return rows


SURVEY_BOARD_COLUMNS = [
    Col("구분"), Col("시설"), Col("제출 상태"), Col("판", INT), Col("이용자 유효 응답", INT), Col("이용자 점수", SCORE),
    Col("이용자 긍정 비율", PCT), Col("이용자 목표"), Col("이용자 달성"), Col("종사자 점수", SCORE),
    Col("종사자 목표"), Col("종사자 달성"), Col("환산 방식"),
]  # fmt: skip


def survey_board_rows(board: SurveyBoard) -> list[list[Any]]:
    """Per facility, then pooled (respondent-weighted) and the plain mean. Staff respondent counts are left out
    per facility: next to the pooled figures they would reveal a suppressed facility's score."""
    rows = []
    ut, st = _target(board.user_target), _target(board.staff_target)
    for f in board.facilities:
        r: SurveyResult | None = f.result
        staff: Any = SUPPRESSED_LABEL if f.staff_suppressed else f.staff_score
        rows.append(
            ["시설", f"{f.facility.code} {f.facility.name}", f.cell.label, f.revision, r.user.valid if r else None,
             f.user_score, r.user.positive if r else None, ut, _met(r.user.target_met) if r else "", staff, st,
             "" if f.staff_suppressed or r is None else _met(r.staff.target_met), r.method_text if r else ""]
        )  # fmt: skip
    u, s = board.user, board.staff
    if u is not None:
        rows.append(
            ["전체(응답자 가중)", f"{u.facilities}개소", "", None, u.valid, u.score, u.positive, ut, _met(u.target_met),
             s.score if s else None, st, _met(s.target_met) if s else "", board.method_text]
        )  # fmt: skip
        rows.append(
            ["시설 점수 평균", f"{u.facilities}개소", "", None, None, u.facility_mean_score, None, ut, "",
             s.facility_mean_score if s else None, st, "", board.method_text]
        )  # fmt: skip
    return rows


# -- per-form sheets from the received instances ----------------------------------------------------------------------


def _who(r: ReceivedForm) -> list[Any]:
    return [str(r.ref.period), r.facility.code, r.facility.name, r.facility.group, r.revision, r.cell.label]


WHO = [Col("기간"), Col("시설코드"), Col("시설명"), Col("구분"), Col("판", INT), Col("제출 상태")]
STAFF_COUNTS = [Col(label, INT) for label in COUNT_FIELDS.values()]


def staffing_rows(received: Sequence[ReceivedForm]) -> list[list[Any]]:
    rows = []
    for r in received:
        s: StaffingSummary = r.computed
        t = s.total
        rows.append(_who(r) + [t.authorized, t.current, t.vacancy] + [getattr(t, k) for k in list(COUNT_FIELDS)[2:]])
    return rows


STAFFING_COLUMNS = [*WHO, Col("정원", INT), Col("현원", INT), Col("결원", INT), *STAFF_COUNTS[2:]]


def staffing_line_rows(received: Sequence[ReceivedForm]) -> list[list[Any]]:
    rows = []
    for r in received:
        s: StaffingSummary = r.computed
        for line in s.rows:
            rows.append(
                [str(r.ref.period), r.facility.code, r.facility.name, r.revision, line.job_family, line.authorized,
                 line.current, line.vacancy] + [getattr(line, k) for k in list(COUNT_FIELDS)[2:]]
            )  # fmt: skip
    return rows


STAFFING_LINE_COLUMNS = [
    Col("기간"), Col("시설코드"), Col("시설명"), Col("판", INT), Col("직종"), Col("정원", INT), Col("현원", INT),
    Col("결원", INT), *STAFF_COUNTS[2:],
]  # fmt: skip


def budget_rows(received: Sequence[ReceivedForm]) -> list[list[Any]]:
    rows = []
    for r in received:
        ex: BudgetExecution = r.computed
        inc, exp = side_amounts(ex, INCOME), side_amounts(ex, EXPENSE)
        needs = [row for row in ex.rows if row.needs_reason]
        rows.append(
            [*_who(r), r.facility.account, ex.version_name or "", inc.budget, inc.cumulative, exp.budget, exp.this_month, exp.cumulative, exp.rate, exp.remainder, len(needs), len(ex.unexplained)]
        )  # fmt: skip
    return rows


BUDGET_COLUMNS = [
    *WHO, Col("회계"), Col("적용 예산"), Col("세입 예산", INT), Col("세입 누계", INT), Col("세출 예산", INT),
    Col("세출 당월", INT), Col("세출 누계", INT), Col("세출 집행률", PCT), Col("세출 잔액", INT),
    Col("사유 필요 과목 수", INT), Col("사유 없는 과목 수", INT),
]  # fmt: skip


def budget_line_rows(received: Sequence[ReceivedForm]) -> list[list[Any]]:
    rows = []
    for r in received:
        ex: BudgetExecution = r.computed
        for row in ex.rows:
            a = row.amounts
            flags = [label for name, label in FLAG_LABELS.items() if getattr(row, name)]
            rows.append(
                [str(r.ref.period), r.facility.code, r.facility.name, r.revision, row.side, row.gwan, row.hang,
                 row.mok, row.semok, a.budget, a.previous_cumulative, a.this_month, a.cumulative, a.rate,
                 a.remainder, "·".join(flags), row.reason]
            )  # fmt: skip
    return rows


BUDGET_LINE_COLUMNS = [
    Col("기간"), Col("시설코드"), Col("시설명"), Col("판", INT), Col("구분"), Col("관"), Col("항"), Col("목"), Col("세목"),
    Col("예산현액", INT), Col("전월 누계", INT), Col("당월", INT), Col("누계", INT), Col("집행률", PCT),
    Col("잔액", INT), Col("표시"), Col("사유(비고)", width=40),
]  # fmt: skip


def quarterly_rows(received: Sequence[ReceivedForm]) -> list[list[Any]]:
    rows = []
    for r in received:
        q: QuarterlyReport = r.computed
        exp = [t.figures for t in q.side_totals if t.side == EXPENSE]
        f = exp[0] if exp else None
        rows.append(
            [*_who(r), q.version_name or "", f.budget if f else None, f.quarter_total if f else None, f.cumulative if f else None, f.rate if f else None, ", ".join(m.label for m in q.missing), r.data.narrative]
        )  # fmt: skip
    return rows


QUARTERLY_COLUMNS = [
    *WHO, Col("적용 예산"), Col("세출 예산", INT), Col("분기 집행", INT), Col("누계", INT), Col("집행률", PCT),
    Col("빠진 달"), Col("분기 실적 내용", width=60),
]  # fmt: skip


def safety_rows(received: Sequence[ReceivedForm]) -> list[list[Any]]:
    rows = []
    for r in received:
        s: SafetyScore = r.computed
        c = s.status_counts
        rows.append(
            [*_who(r), r.data.checked_on, s.score, s.grade, "예" if s.grade_capped else "", c.get("적합"), c.get("부분적합"), c.get("부적합"), c.get("해당없음"), c.get("확인불가"), c.get("미응답"), s.actions_raised, s.actions_closed_on_time, s.completion_rate, _target(s.target), _met(s.target_met), len(s.open_actions), len(s.overdue_actions)]
        )  # fmt: skip
    return rows


SAFETY_COLUMNS = [
    *WHO, Col("점검일"), Col("점수", SCORE), Col("등급"), Col("상한 적용"), Col("적합", INT), Col("부분적합", INT),
    Col("부적합", INT), Col("해당없음", INT), Col("확인불가", INT), Col("미응답", INT), Col("개선조치", INT),
    Col("기한 내 완료", INT), Col("완료율", PCT), Col("목표"), Col("달성"), Col("열린 조치", INT), Col("기한 경과", INT),
]  # fmt: skip


def safety_item_rows(received: Sequence[ReceivedForm], items: Sequence[SafetyItem]) -> list[list[Any]]:
    catalogue = {i.code: i for i in items}
    rows = []
    for r in received:
        for a in r.data.answers:
            item = catalogue.get(a.code)
            status = effective_status(item, a, r.data) if item is not None else a.status
            rows.append(
                [str(r.ref.period), r.facility.code, r.facility.name, r.revision, a.code,
                 item.category if item else "", item.question if item else "", status or "", a.severity,
                 a.count, a.total, a.date, a.file_ref, a.na_reason or a.note]
            )  # fmt: skip
    return rows


SAFETY_ITEM_COLUMNS = [
    Col("기간"), Col("시설코드"), Col("시설명"), Col("판", INT), Col("항목"), Col("분야"), Col("점검 내용", width=50),
    Col("상태"), Col("위험"), Col("수", INT), Col("전체", INT), Col("날짜"), Col("근거 문서"), Col("비고·사유", width=30),
]  # fmt: skip


def safety_action_rows(received: Sequence[ReceivedForm]) -> list[list[Any]]:
    rows = []
    for r in received:
        s: SafetyScore = r.computed
        open_paths = {o.field: o for o in s.open_actions}
        entries = [(f"answers/{i}/action", a.code, a.severity, a.action, False) for i, a in enumerate(r.data.answers)
                   if a.action is not None]  # fmt: skip
        entries += [(f"carried_actions/{j}/action", c.code, c.severity, c.action, True)
                    for j, c in enumerate(r.data.carried_actions)]  # fmt: skip
        for path, code, severity, action, carried in entries:
            o = open_paths.get(path)
            rows.append(
                [str(r.ref.period), r.facility.code, r.facility.name, r.revision, code, severity, action.finding,
                 action.plan, action.owner, action.due, action.status, action.closed_on, "예" if carried else "",
                 "열림" if o is not None else "닫힘", "기한 경과" if o is not None and o.overdue else ""]
            )  # fmt: skip
    return rows


SAFETY_ACTION_COLUMNS = [
    Col("기간"), Col("시설코드"), Col("시설명"), Col("판", INT), Col("항목"), Col("위험"), Col("지적 내용", width=36),
    Col("조치 계획", width=36), Col("담당"), Col("기한"), Col("상태"), Col("완료일"), Col("이월"), Col("열림"),
    Col("기한 경과"),
]  # fmt: skip


def survey_rows(received: Sequence[ReceivedForm]) -> list[list[Any]]:
    rows = []
    for r in received:
        res: SurveyResult = r.computed
        u, s = res.user, res.staff
        staff: Any = SUPPRESSED_LABEL if s.suppressed else s.score
        rows.append(
            [*_who(r), u.eligible, u.distributed, u.returned, u.valid, u.response_rate, u.mean, u.score, u.positive, _target(u.target), _met(u.target_met), staff, "" if s.suppressed else s.positive, _target(s.target), "" if s.suppressed else _met(s.target_met), res.method_text]
        )  # fmt: skip
    return rows


SURVEY_COLUMNS = [
    *WHO, Col("이용자 대상", INT), Col("배포", INT), Col("회수", INT), Col("유효 응답", INT), Col("회수율", PCT),
    Col("평균(5점)", "0.00"), Col("이용자 점수", SCORE), Col("긍정 비율", PCT), Col("이용자 목표"), Col("이용자 달성"),
    Col("종사자 점수", SCORE), Col("종사자 긍정 비율", PCT), Col("종사자 목표"), Col("종사자 달성"), Col("환산 방식"),
]  # fmt: skip


def notes_rows(report: MonthlyReport) -> list[list[Any]]:
    rows = []
    for page in report.pages:
        for n in page.notes:
            rows.append(
                [page.facility.code, page.facility.name, FORMS[n.form].label, str(n.period), n.kind, n.text, n.context]
            )
    return rows


NOTES_COLUMNS = [
    Col("시설코드"), Col("시설명"), Col("보고"), Col("기간"), Col("구분"), Col("내용", width=50), Col("관련 경고·판", width=50),
]  # fmt: skip


def bundle_rows(report: MonthlyReport) -> list[list[Any]]:
    seen = set()
    rows = []
    for r in report.received:
        b = r.bundle
        if b is None or (b.digest, b.form, b.period) in seen:
            continue
        seen.add((b.digest, b.form, b.period))
        rows.append(
            [b.facility_code, r.facility.name, FORMS[b.form].label, str(b.period), b.revision, b.sequence, b.signed_at,
             b.key_short, b.digest]
        )  # fmt: skip
    return rows


BUNDLE_COLUMNS = [
    Col("시설코드"), Col("시설명"), Col("보고"), Col("기간"), Col("판", INT), Col("꾸러미 번호", INT),
    Col("서명 시각", DATETIME), Col("서명키 지문"), Col("꾸러미 SHA-256", width=30),
]  # fmt: skip


def _info_sheet(book: Book, report: MonthlyReport) -> None:
    sheet = book.sheet("정보")
    sheet.append([report.title], book.style(font=TITLE))
    sheet.append([])
    lines = [
        ("작성 기관", report.hq_name),
        ("기준 월", report.month.label),
        ("보고 대상", f"{len(report.facilities)}개소"),
        ("제출 기한", f"다음 달 {report.due_day}일"),
        ("작성 시각", report.generated_at),
        ("인력 합계", report.staffing_board.total.totals_line),
        ("금액 단위", "원 (천 단위 구분, 음수는 △)"),
        ("집행률", "세출 누계 ÷ 예산현액 (계획 = 월 ÷ 12)"),
        ("만족도", f"100점 환산: {report.survey_board.method_text}; 종사자 응답 3명 미만 시설은 점수 비공개"),
        ("제출 상태", "n판 = 본부가 받은 판, 지연 = 처음 받은 판이 기한 뒤 서명됨, 보완요청·접수 = 본부 검토 결과"),
    ]
    bold, when = book.style(font=BOLD), book.style(number_format=DATETIME, alignment=LEFT)
    for k, v in lines:
        sheet.append([k, v], [bold, when if isinstance(v, datetime) else 0])
    _widths(sheet, [14, 90])
    _print_setup(sheet)


# -- workbooks --------------------------------------------------------------------------------------------------------


def _save(book: Book, path: Path) -> Path:
    atomic_write(path, book.save())
    return path


def build_monthly_workbook(
    report: MonthlyReport, *, progress: Progress | None = None, cancelled: Callable[[], bool] | None = None
) -> Book:
    step = progress or (lambda d, t, w: None)
    book = Book(large=len(report.facilities) >= LARGE_FROM)
    _info_sheet(book, report)
    got = {form: report.received_of(form) for form in FORMS}
    builders: list[tuple[str, Callable[[], Any]]] = [
        ("인력현황표", lambda: staffing_board_sheet(book, report.staffing_board)),
        ("제출현황", lambda: data_sheet(book, "제출현황", TRACKER_COLUMNS, tracker_long_rows(report.trackers))),
        ("제출현황(표)", lambda: tracker_grid_sheet(book, report.trackers)),
        ("인력", lambda: data_sheet(book, "인력", STAFFING_COLUMNS, staffing_rows(got[FormKind.STAFFING]))),
        ("인력_직종", lambda: data_sheet(book, "인력_직종", STAFFING_LINE_COLUMNS, staffing_line_rows(got[FormKind.STAFFING]))),
        ("예산집행", lambda: data_sheet(book, "예산집행", BUDGET_COLUMNS, budget_rows(got[FormKind.BUDGET]))),
        ("예산집행_과목", lambda: data_sheet(book, "예산집행_과목", BUDGET_LINE_COLUMNS, budget_line_rows(got[FormKind.BUDGET]))),
        ("예산집행_종합", lambda: data_sheet(book, "예산집행_종합", BUDGET_BOARD_COLUMNS, budget_board_rows(report.budget_board))),
        ("분기실적", lambda: data_sheet(book, "분기실적", QUARTERLY_COLUMNS, quarterly_rows(got[FormKind.QUARTERLY]))),
        ("안전점검", lambda: data_sheet(book, "안전점검", SAFETY_COLUMNS, safety_rows(got[FormKind.SAFETY]))),
        ("안전_항목", lambda: data_sheet(book, "안전_항목", SAFETY_ITEM_COLUMNS, safety_item_rows(got[FormKind.SAFETY], report.safety_items))),
        ("안전_조치", lambda: data_sheet(book, "안전_조치", SAFETY_ACTION_COLUMNS, safety_action_rows(got[FormKind.SAFETY]))),
        ("만족도", lambda: data_sheet(book, "만족도", SURVEY_COLUMNS, survey_rows(got[FormKind.SURVEY]))),
        ("만족도_종합", lambda: data_sheet(book, "만족도_종합", SURVEY_BOARD_COLUMNS, survey_board_rows(report.survey_board))),
        ("메모", lambda: data_sheet(book, "메모", NOTES_COLUMNS, notes_rows(report))),
        ("근거자료", lambda: data_sheet(book, "근거자료", BUNDLE_COLUMNS, bundle_rows(report))),
    ]  # fmt: skip
    for i, (name, build) in enumerate(builders):
        check_cancelled(cancelled)
        step(i, len(builders), name)
        build()
    book.wb.active = 1  # open on the staffing board
    step(len(builders), len(builders), "")
    return book


def write_monthly_workbook(
    report: MonthlyReport,
    path: Path,
    *,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Path:
    book = build_monthly_workbook(report, progress=progress, cancelled=cancelled)
    try:
        check_cancelled(cancelled)
        return _save(book, path)
    finally:
        book.close()


def write_views(views: Sequence[Any], path: Path) -> Path:
    """Each view as the GUI shows it, one sheet per view (TrackerGrid, StaffingBoard, BudgetBoard, SafetyBoard,
    SurveyBoard)."""
    book = Book()
    for view in views:
        if isinstance(view, TrackerGrid):
            tracker_grid_sheet(book, [view], f"{SHORT_LABELS[view.form]} 제출현황")
        elif isinstance(view, StaffingBoard):
            staffing_board_sheet(book, view)
        elif isinstance(view, BudgetBoard):
            data_sheet(book, f"예산집행 {view.month}", BUDGET_BOARD_COLUMNS, budget_board_rows(view))
        elif isinstance(view, SafetyBoard):
            data_sheet(book, f"안전점검 {view.half}", SAFETY_BOARD_COLUMNS, safety_board_rows(view))
        elif isinstance(view, SurveyBoard):
            data_sheet(book, f"만족도 {view.year}", SURVEY_BOARD_COLUMNS, survey_board_rows(view))
        else:
            raise TypeError(f"no sheet for {type(view).__name__}")
    if not book.sheets:
        book.sheet("빈 시트")
    return _save(book, path)
