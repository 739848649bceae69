"""Head-office workbooks (openpyxl): the monthly workbook and 'export what this view shows'.

Data sheets have one header row (bold, shaded), frozen below it, with an autofilter over the data, Korean
headers, widths from the content, and number formats with thousands separators and △ for negatives. Money is
in 원 (unrounded, so sums match the database); rates are fractions formatted as percentages. The staffing board
sheet keeps the plan's own layout (group cells merged, 소계 and 계 rows), so it has a title and no filter.
openpyxl is imported here only.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
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
        text = max(str(value).split("\n"), key=len)
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _print_setup(ws: Worksheet, title_rows: str | None = None, landscape: bool = True) -> None:
    """A4, fit to one page wide, header rows repeated: printing from Excel or Calc gives readable pages."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    if title_rows:
        ws.print_title_rows = title_rows


def _sheet_name(name: str) -> str:
    bad = "[]:*?/\\"
    return "".join("_" if ch in bad else ch for ch in name)[:31]


def data_sheet(wb: Workbook, name: str, columns: Sequence[Col], rows: Iterable[Sequence[Any]]) -> Worksheet:
    """A filterable table: header row 1, data from row 2, frozen header, autofilter, widths, formats."""
    ws = wb.create_sheet(_sheet_name(name))
    for c, col in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=c, value=col.header)
        cell.font, cell.fill, cell.alignment, cell.border = BOLD, HEAD_FILL, CENTER, BOX
    widths = [_display_width(col.header) for col in columns]
    count = 0
    for r, row in enumerate(rows, start=2):
        count += 1
        for c, (col, value) in enumerate(zip(columns, row, strict=True), start=1):
            cell = ws.cell(row=r, column=c, value=value)
            if col.fmt is not None and value is not None and not isinstance(value, str):
                cell.number_format = col.fmt
            if r < 400:
                widths[c - 1] = max(widths[c - 1], _display_width(value))
    for c, col in enumerate(columns, start=1):
        width = col.width if col.width is not None else min(max(widths[c - 1] + 2, 6), 60)
        ws.column_dimensions[get_column_letter(c)].width = width
    ws.freeze_panes = "A2"
    last = get_column_letter(len(columns))
    ws.auto_filter.ref = f"A1:{last}{max(count + 1, 2)}"
    ws.row_dimensions[1].height = 30
    _print_setup(ws, "1:1")
    return ws


def _target(target: Target | None) -> str:
    if target is None:
        return ""
    value = int(target.value) if float(target.value).is_integer() else target.value
    return f"{value}{target.unit.suffix}"


# -- sheets from the read models --------------------------------------------------------------------------------------


def staffing_board_sheet(wb: Workbook, board: StaffingBoard, name: str = "인력현황표") -> Worksheet:
    """The plan's table 소속시설(위수탁) 현황: merged group cells, 소계 per group, 계."""
    ws = wb.create_sheet(_sheet_name(name))
    ws["A1"] = f"소속시설(위수탁) 현황 ({board.month.label}, 단위: 명)"
    ws["A1"].font = TITLE
    ws.merge_cells("A1:I1")
    ws["A2"] = "결원 = 현원 - 정원 (△: 부족 인원). 미제출 시설은 합계에서 빠집니다. 증감 = 당월 결원 - 전월 결원."
    ws.merge_cells("A2:I2")
    headers = ["구분", "유형", "시설명", "정원", "현원", "결원", "전월 결원", "증감", "제출 상태"]
    for c, h in enumerate(headers, start=1):
        cell = ws.cell(row=3, column=c, value=h)
        cell.font, cell.fill, cell.alignment, cell.border = BOLD, HEAD_FILL, CENTER, BOX
    r = 4

    def put(values: Sequence[Any], fill: PatternFill | None = None, bold: bool = False) -> None:
        for c, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=c, value=value)
            cell.border = BOX
            if 4 <= c <= 8 and value is not None and not isinstance(value, str):
                cell.number_format = INT
            if c <= 3 or c == 9:
                cell.alignment = WRAP
            if fill is not None and c >= 2:
                cell.fill = fill
            if bold:
                cell.font = BOLD

    for group in board.groups:
        first = r
        for row in group.rows:
            put(
                [group.name if r == first else None, row.facility.type, row.facility.name, row.authorized,
                 row.current, row.vacancy, row.previous_vacancy, row.vacancy_change, row.cell.label]
            )  # fmt: skip
            r += 1
        sub = group.subtotal
        note = f"{sub.missing}개소 미제출" if sub.missing else f"{sub.received}개소"
        put([None, "소계", None, sub.authorized, sub.current, sub.vacancy, sub.previous_vacancy, sub.vacancy_change,
             note], SUBTOTAL_FILL, bold=True)  # fmt: skip
        ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=3)
        r += 1
        ws.merge_cells(start_row=first, start_column=1, end_row=r - 1, end_column=1)
        ws.cell(row=first, column=1).alignment = CENTER
    t = board.total
    put(["계", None, None, t.authorized, t.current, t.vacancy, t.previous_vacancy, t.vacancy_change,
         f"{t.received}/{t.facilities}개소"], TOTAL_FILL, bold=True)  # fmt: skip
    ws.cell(row=r, column=1).fill = TOTAL_FILL
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=3)
    ws.cell(row=r, column=1).alignment = CENTER
    for c, width in enumerate([16, 22, 40, 8, 8, 8, 10, 8, 20], start=1):
        ws.column_dimensions[get_column_letter(c)].width = width
    ws.freeze_panes = "A4"
    _print_setup(ws, "3:3", landscape=False)
    return ws


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


def tracker_grid_sheet(wb: Workbook, grids: Sequence[TrackerGrid], name: str = "제출현황(표)") -> Worksheet:
    """Facility × period grids, one block per form, with counts per row and column (as the GUI shows them)."""
    ws = wb.create_sheet(_sheet_name(name))
    r = 1
    max_cols = 0
    for g in grids:
        ws.cell(
            row=r, column=1, value=f"{g.title} (기한: 다음 달 {g.due_day}일, 기준일 {g.today:%Y-%m-%d})"
        ).font = BOLD
        r += 1
        headers = ["시설코드", "시설명", *[p.label for p in g.periods], "제출", "미제출", "지연"]
        max_cols = max(max_cols, len(headers))
        for c, h in enumerate(headers, start=1):
            cell = ws.cell(row=r, column=c, value=h)
            cell.font, cell.fill, cell.alignment, cell.border = BOLD, HEAD_FILL, CENTER, BOX
        r += 1
        for row in g.rows:
            received = sum(1 for cell in row.cells if cell.received)
            values = [row.facility.code, row.facility.name, *[c.label for c in row.cells], received,
                      row.counts[SubmissionState.MISSING], row.late]  # fmt: skip
            for c, value in enumerate(values, start=1):
                cell = ws.cell(row=r, column=c, value=value)
                cell.border = BOX
                if 3 <= c < 3 + len(row.cells):
                    state = row.cells[c - 3]
                    cell.fill = PatternFill("solid", fgColor=state.colour.lstrip("#"))
                    cell.alignment = CENTER
            r += 1
        totals = ["", "계 (제출/미제출/지연)"]
        totals += [
            f"{sum(1 for row in g.rows if row.cells[i].received)}/{g.column_counts[i][SubmissionState.MISSING]}/{g.column_late[i]}"
            for i in range(len(g.periods))
        ]
        for c, value in enumerate(totals, start=1):
            cell = ws.cell(row=r, column=c, value=value)
            cell.font, cell.fill, cell.border, cell.alignment = BOLD, TOTAL_FILL, BOX, CENTER
        r += 2
    ws.column_dimensions["A"].width = 9
    ws.column_dimensions["B"].width = 38
    for c in range(3, max_cols + 1):
        ws.column_dimensions[get_column_letter(c)].width = 16
    ws.freeze_panes = "C1"
    _print_setup(ws)
    return ws


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


def _info_sheet(wb: Workbook, report: MonthlyReport) -> None:
    ws = wb.create_sheet("정보")
    ws["A1"] = report.title
    ws["A1"].font = TITLE
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
    for r, (k, v) in enumerate(lines, start=3):
        ws.cell(row=r, column=1, value=k).font = BOLD
        cell = ws.cell(row=r, column=2, value=v)
        if isinstance(v, datetime):
            cell.number_format = DATETIME
            cell.alignment = Alignment(horizontal="left")
    ws.column_dimensions["A"].width = 14
    ws.column_dimensions["B"].width = 90
    _print_setup(ws)


# -- workbooks --------------------------------------------------------------------------------------------------------


def _save(wb: Workbook, path: Path) -> Path:
    buf = io.BytesIO()
    wb.save(buf)
    atomic_write(path, buf.getvalue())
    return path


def build_monthly_workbook(
    report: MonthlyReport, *, progress: Progress | None = None, cancelled: Callable[[], bool] | None = None
) -> Workbook:
    step = progress or (lambda d, t, w: None)
    wb = Workbook()
    wb.remove(wb.active)
    _info_sheet(wb, report)
    got = {form: report.received_of(form) for form in FORMS}
    builders: list[tuple[str, Callable[[], Any]]] = [
        ("인력현황표", lambda: staffing_board_sheet(wb, report.staffing_board)),
        ("제출현황", lambda: data_sheet(wb, "제출현황", TRACKER_COLUMNS, tracker_long_rows(report.trackers))),
        ("제출현황(표)", lambda: tracker_grid_sheet(wb, report.trackers)),
        ("인력", lambda: data_sheet(wb, "인력", STAFFING_COLUMNS, staffing_rows(got[FormKind.STAFFING]))),
        ("인력_직종", lambda: data_sheet(wb, "인력_직종", STAFFING_LINE_COLUMNS, staffing_line_rows(got[FormKind.STAFFING]))),
        ("예산집행", lambda: data_sheet(wb, "예산집행", BUDGET_COLUMNS, budget_rows(got[FormKind.BUDGET]))),
        ("예산집행_과목", lambda: data_sheet(wb, "예산집행_과목", BUDGET_LINE_COLUMNS, budget_line_rows(got[FormKind.BUDGET]))),
        ("예산집행_종합", lambda: data_sheet(wb, "예산집행_종합", BUDGET_BOARD_COLUMNS, budget_board_rows(report.budget_board))),
        ("분기실적", lambda: data_sheet(wb, "분기실적", QUARTERLY_COLUMNS, quarterly_rows(got[FormKind.QUARTERLY]))),
        ("안전점검", lambda: data_sheet(wb, "안전점검", SAFETY_COLUMNS, safety_rows(got[FormKind.SAFETY]))),
        ("안전_항목", lambda: data_sheet(wb, "안전_항목", SAFETY_ITEM_COLUMNS, safety_item_rows(got[FormKind.SAFETY], report.safety_items))),
        ("안전_조치", lambda: data_sheet(wb, "안전_조치", SAFETY_ACTION_COLUMNS, safety_action_rows(got[FormKind.SAFETY]))),
        ("만족도", lambda: data_sheet(wb, "만족도", SURVEY_COLUMNS, survey_rows(got[FormKind.SURVEY]))),
        ("만족도_종합", lambda: data_sheet(wb, "만족도_종합", SURVEY_BOARD_COLUMNS, survey_board_rows(report.survey_board))),
        ("메모", lambda: data_sheet(wb, "메모", NOTES_COLUMNS, notes_rows(report))),
        ("근거자료", lambda: data_sheet(wb, "근거자료", BUNDLE_COLUMNS, bundle_rows(report))),
    ]  # fmt: skip
    for i, (name, build) in enumerate(builders):
        check_cancelled(cancelled)
        step(i, len(builders), name)
        build()
    wb.active = 1  # open on the staffing board
    step(len(builders), len(builders), "")
    return wb


def write_monthly_workbook(
    report: MonthlyReport,
    path: Path,
    *,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Path:
    wb = build_monthly_workbook(report, progress=progress, cancelled=cancelled)
    check_cancelled(cancelled)
    return _save(wb, path)


def write_views(views: Sequence[Any], path: Path) -> Path:
    """Each view as the GUI shows it, one sheet per view (TrackerGrid, StaffingBoard, BudgetBoard, SafetyBoard,
    SurveyBoard)."""
    wb = Workbook()
    wb.remove(wb.active)
    for view in views:
        if isinstance(view, TrackerGrid):
            tracker_grid_sheet(wb, [view], f"{SHORT_LABELS[view.form]} 제출현황")
        elif isinstance(view, StaffingBoard):
            staffing_board_sheet(wb, view)
        elif isinstance(view, BudgetBoard):
            data_sheet(wb, f"예산집행 {view.month}", BUDGET_BOARD_COLUMNS, budget_board_rows(view))
        elif isinstance(view, SafetyBoard):
            data_sheet(wb, f"안전점검 {view.half}", SAFETY_BOARD_COLUMNS, safety_board_rows(view))
        elif isinstance(view, SurveyBoard):
            data_sheet(wb, f"만족도 {view.year}", SURVEY_BOARD_COLUMNS, survey_board_rows(view))
        else:
            raise TypeError(f"no sheet for {type(view).__name__}")
    if not wb.sheetnames:
        wb.create_sheet("빈 시트")
    return _save(wb, path)
