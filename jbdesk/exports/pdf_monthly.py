"""The monthly report sheet 'YYYY년 M월 소속시설 운영 현황' as an A4 PDF, for administrators to sign (결재).

Layout: page 1 has the title, the 결재 box (담당 / 팀장 / 원장) at the top right, the key figures, the summary table
of every facility due that month and two charts (execution rate, 결원 trend); page 2 the plan's staffing table,
the budget roll-ups, safety and surveys; then one page per facility. Every page's footer names the signed bundles
behind it (facility, form, revision, bundle number, key fingerprint), the generation time and 'n / N'.

Fonts: NanumGothic embedded as a subset (``jbdesk.exports.fonts``). reportlab is imported here only.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Circle, Drawing, Line, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import HRFlowable

from jbdesk.domain.budget import EXPENSE, INCOME, Amounts
from jbdesk.domain.hq import (
    SHORT_LABELS,
    SUPPRESSED_LABEL,
    BudgetFacility,
    BundleRef,
    FacilityPage,
    MonthlyReport,
    Progress,
    SafetyFacility,
    SubmissionState,
    SurveyFacility,
    TrackerCell,
    check_cancelled,
)
from jbdesk.domain.numbers import fmt_decimal, fmt_int, fmt_percent, won_to_unit
from jbdesk.domain.periods import Period
from jbdesk.domain.reference import Target
from jbdesk.domain.staffing import StaffingLine, StaffingSummary
from jbdesk.exports.fonts import BOLD, REGULAR, register_fonts
from jbdesk.fileio import atomic_write

PAGE_W, PAGE_H = A4
MARGIN_X = 15 * mm
MARGIN_TOP = 14 * mm
MARGIN_BOTTOM = 27 * mm
WIDTH = PAGE_W - 2 * MARGIN_X
GRID = colors.HexColor("#7F7F7F")
HEAD_BG = colors.HexColor("#E8ECF2")
TOTAL_BG = colors.HexColor("#F3F3F3")
SUBTOTAL_BG = colors.HexColor("#F7F7F2")
BAR = colors.HexColor("#4C72B0")
BAR_WARN = colors.HexColor("#C44E52")
DASH = "–"


# -- styles -----------------------------------------------------------------------------------------------------------


def _style(name: str, size: float, *, bold: bool = False, align: int = 0, leading: float = 1.3, **kw: Any):
    """Leading ≥ 1.2 × size everywhere (Hangul overlaps the next line below that)."""
    return ParagraphStyle(
        name, fontName=BOLD if bold else REGULAR, fontSize=size, leading=round(size * leading, 1), alignment=align,
        **kw,
    )  # fmt: skip


class _Styles:
    def __init__(self) -> None:
        self.title = _style("title", 17, bold=True, leading=1.3)
        self.subtitle = _style("subtitle", 8.5, textColor=colors.HexColor("#404040"))
        self.h1 = _style("h1", 11.5, bold=True, spaceBefore=6, spaceAfter=3)
        self.h2 = _style("h2", 9.5, bold=True, spaceBefore=5, spaceAfter=2)
        self.body = _style("body", 8.5)
        self.small = _style("small", 7, textColor=colors.HexColor("#404040"))
        self.cell = _style("cell", 7.5, leading=1.25)
        self.cell_c = _style("cell_c", 7.5, align=TA_CENTER, leading=1.25)
        self.cell_r = _style("cell_r", 7.5, align=TA_RIGHT, leading=1.25)
        self.cell_b = _style("cell_b", 7.5, bold=True, leading=1.25)
        self.group = _style("group", 7, align=TA_CENTER, leading=1.3)
        self.head = _style("head", 7.5, bold=True, align=TA_CENTER, leading=1.25)
        self.footer = _style("footer", 6, leading=1.3, textColor=colors.HexColor("#303030"))
        self.box = _style("box", 8.5, leading=1.45)


# NanumGothic has no glyph for U+2212 (minus sign), which the domain's messages use: print a hyphen.
_GLYPH_FIXES = str.maketrans({"\u2212": "-"})


def _esc(text: str) -> str:
    return text.translate(_GLYPH_FIXES).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# -- page furniture ---------------------------------------------------------------------------------------------------


class _NumberedCanvas(Canvas):
    """Writes 'n / N' on every page once the page count is known."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self.setFont(REGULAR, 7.5)
            self.setFillColor(colors.black)
            self.drawRightString(PAGE_W - MARGIN_X, 8 * mm, f"{self._pageNumber} / {total}")
            super().showPage()
        super().save()


class _Footer(Flowable):
    """Zero-size marker: from the page it lands on, the footer names these bundles."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text
        self.width = self.height = 0

    def wrap(self, *_: Any) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.canv._jb_footer = self.text  # type: ignore[attr-defined]


class _Doc(BaseDocTemplate):
    def __init__(self, buf: io.BytesIO, report: MonthlyReport, styles: _Styles) -> None:
        super().__init__(
            buf, pagesize=A4, leftMargin=MARGIN_X, rightMargin=MARGIN_X, topMargin=MARGIN_TOP,
            bottomMargin=MARGIN_BOTTOM, title=report.title, author=report.hq_name,
            subject=f"{report.month.label} 소속시설 운영 현황",
            creator="jbdesk", initialFontName=REGULAR,  # no stray (unembedded) Helvetica in the file
        )  # fmt: skip
        self.report, self.styles = report, styles
        frame = Frame(MARGIN_X, MARGIN_BOTTOM, WIDTH, PAGE_H - MARGIN_TOP - MARGIN_BOTTOM, 0, 0, 0, 0, id="body")
        self.addPageTemplates([PageTemplate("page", [frame], onPageEnd=self._furniture)])

    def _furniture(self, canv: Canvas, doc: Any) -> None:
        canv.saveState()
        canv.setStrokeColor(GRID)
        canv.setLineWidth(0.5)
        top = MARGIN_BOTTOM - 3 * mm
        canv.line(MARGIN_X, top, PAGE_W - MARGIN_X, top)
        text = getattr(canv, "_jb_footer", "")
        if text:
            p = Paragraph(text, self.styles.footer)
            _, h = p.wrap(WIDTH, top)
            p.drawOn(canv, MARGIN_X, top - 1.5 * mm - h)
        canv.setFont(REGULAR, 7)
        canv.setFillColor(colors.HexColor("#303030"))
        r = self.report
        canv.drawString(MARGIN_X, 8 * mm, f"{r.hq_name} · {r.title} · 출력 {r.generated_at:%Y-%m-%d %H:%M}")
        canv.restoreState()


# -- helpers ----------------------------------------------------------------------------------------------------------


def _n(value: int | None) -> str:
    return fmt_int(value, blank=DASH)


def _pct(value: float | None) -> str:
    return fmt_percent(value, blank=DASH)


def _score(value: float | None) -> str:
    return fmt_decimal(value, 1, blank=DASH)


def _won_k(value: int) -> str:
    return fmt_int(int(won_to_unit(value, 1_000)))


def _target_text(target: Target | None) -> str:
    if target is None:
        return ""
    value = fmt_decimal(target.value, 0) if float(target.value).is_integer() else fmt_decimal(target.value, 1)
    return f"{value}{target.unit.suffix}"


def _met(met: bool | None) -> str:
    return "" if met is None else ("달성" if met else "미달")


def _table(data: list[list[Any]], widths: Sequence[float], styles: list[tuple] | None = None, header_rows: int = 1):
    table = Table(data, colWidths=list(widths), repeatRows=header_rows, hAlign="LEFT")
    base = [
        ("FONT", (0, 0), (-1, -1), REGULAR, 7.5),
        ("LEADING", (0, 0), (-1, -1), 9.5),
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), HEAD_BG),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    table.setStyle(TableStyle(base + (styles or [])))
    return table


def _state_style(cells: Sequence[tuple[int, int, TrackerCell]]) -> list[tuple]:
    return [("BACKGROUND", (c, r), (c, r), colors.HexColor(cell.colour)) for c, r, cell in cells]


def _bundle_text(bundles: Sequence[BundleRef], *, compact: bool) -> str:
    """'F01 키 Y6GX-2TCJ-…: #3 인력 2026-03 1판 · 예산 2026-03 1판, #1 안전 2026-H1 1판'."""
    if not bundles:
        return "근거 자료: 받은 보고 없음"
    by_facility: dict[tuple[str, str], dict[int | None, list[BundleRef]]] = {}
    for b in bundles:
        by_facility.setdefault((b.facility_code, b.key_short), {}).setdefault(b.sequence, []).append(b)
    parts = []
    for (code, key), by_seq in by_facility.items():
        chunks = []
        for seq, items in sorted(by_seq.items(), key=lambda kv: kv[0] or 0):
            if compact:
                forms = "·".join(f"{SHORT_LABELS[b.form]}{b.revision}" for b in items)
            else:
                forms = " · ".join(f"{SHORT_LABELS[b.form]} {b.period} {b.revision}판" for b in items)
            chunks.append(f"#{seq} {forms}" if seq is not None else forms)
        shown_key = key[:9] if compact else key
        parts.append(f"<b>{code}</b> [{shown_key}] " + ", ".join(chunks))
    lead = "근거 자료(시설 [서명키 지문] #꾸러미 번호 보고·판)" if compact else "근거 자료(서명된 보고 파일)"
    return f"{lead}: " + "  ".join(parts)


# -- charts -----------------------------------------------------------------------------------------------------------


def _drawing(width: float, height: float) -> Drawing:
    d = Drawing(width, height)
    d.initialFontName = REGULAR  # the renderer's starting font: NanumGothic, not an unembedded Helvetica
    return d


def _rate_chart(report: MonthlyReport, width: float, height: float) -> Drawing | None:
    entries = [(b.facility.code, b.rate) for b in report.budget_board.facilities if b.rate is not None]
    if not entries:
        return None
    planned = report.budget_board.planned_rate * 100
    values = [round(rate * 100, 1) for _, rate in entries]
    top = max(50.0, (int(max([*values, planned]) // 10) + 2) * 10)
    d = _drawing(width, height)
    d.add(String(0, height - 9, "세출 예산 집행률(누계)", fontName=BOLD, fontSize=8))
    chart = HorizontalBarChart()
    chart.x, chart.y = 30, 18
    chart.width, chart.height = width - 45, height - 34
    chart.data = [list(reversed(values))]
    chart.categoryAxis.categoryNames = [code for code, _ in reversed(entries)]
    chart.categoryAxis.labels.fontName = REGULAR
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.valueMin, chart.valueAxis.valueMax = 0, top
    chart.valueAxis.valueStep = 10 if top <= 60 else 20
    chart.valueAxis.labels.fontName = REGULAR
    chart.valueAxis.labels.fontSize = 6.5
    chart.valueAxis.labelTextFormat = lambda v: f"{v:.0f}%"
    chart.bars[0].fillColor = BAR
    chart.bars[0].strokeColor = None
    chart.barLabelFormat = lambda v: f"{v:.1f}%"
    chart.barLabels.fontName = REGULAR
    chart.barLabels.fontSize = 6.5
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    d.add(chart)
    x = chart.x + chart.width * planned / top
    d.add(Line(x, chart.y - 2, x, chart.y + chart.height + 2, strokeColor=BAR_WARN, strokeWidth=0.8,
               strokeDashArray=[2, 2]))  # fmt: skip
    d.add(String(x + 2, chart.y + chart.height + 2, f"계획 {planned:.1f}%", fontName=REGULAR, fontSize=6.5,
                 fillColor=BAR_WARN))  # fmt: skip
    return d


def _line_chart(
    title: str,
    categories: Sequence[str],
    series: Sequence[tuple[Sequence[float | None], Any, bool]],
    width: float,
    height: float,
    *,
    fmt: Callable[[float], str],
    low: float,
    high: float,
    step: float,
    note: str = "",
    labels: bool = True,
) -> Drawing:
    """A small line chart drawn with reportlab shapes: gaps (None) break the line; values labelled above points.

    ``series``: (values per category, colour, dashed). Only the first series gets value labels.
    """
    d = _drawing(width, height)
    d.add(String(0, height - 9, title, fontName=BOLD, fontSize=8))
    if note:
        d.add(String(width, height - 9, note, fontName=REGULAR, fontSize=6, textAnchor="end"))
    x0, y0, x1, y1 = 30, 14, width - 6, height - 20
    span = (high - low) or 1

    def y_of(v: float) -> float:
        return y0 + (v - low) / span * (y1 - y0)

    tick = low
    while tick <= high + 1e-9:
        y = y_of(tick)
        d.add(Line(x0, y, x1, y, strokeColor=colors.HexColor("#DDDDDD"), strokeWidth=0.4))
        d.add(String(x0 - 3, y - 2.2, fmt(tick), fontName=REGULAR, fontSize=6.5, textAnchor="end"))
        tick += step
    if low < 0 < high:
        d.add(Line(x0, y_of(0), x1, y_of(0), strokeColor=GRID, strokeWidth=0.6))
    n = max(len(categories), 1)
    xs = [x0 + (x1 - x0) * (i + 0.5) / n for i in range(n)]
    for x, name in zip(xs, categories, strict=True):
        d.add(String(x, y0 - 9, name, fontName=REGULAR, fontSize=6.5, textAnchor="middle"))
    d.add(Line(x0, y0, x0, y1, strokeColor=GRID, strokeWidth=0.6))
    for k, (values, colour, dashed) in enumerate(series):
        dash = [2, 2] if dashed else None
        for i in range(1, len(values)):
            a, b = values[i - 1], values[i]
            if a is not None and b is not None:
                d.add(Line(xs[i - 1], y_of(a), xs[i], y_of(b), strokeColor=colour, strokeWidth=0.8 if dashed else 1.3,
                           strokeDashArray=dash))  # fmt: skip
        if dashed:
            continue
        for x, v in zip(xs, values, strict=True):
            if v is None:
                continue
            d.add(Circle(x, y_of(v), 1.8, fillColor=colour, strokeColor=colour))
            if labels and k == 0:
                d.add(String(x, y_of(v) + 4, fmt(v), fontName=REGULAR, fontSize=6.5, textAnchor="middle"))
    return d


def _trend_chart(
    title: str, points: Sequence[tuple[Period, int | None]], width: float, height: float, note: str = ""
) -> Drawing | None:
    """결원 per month (negative = unfilled posts, printed with △)."""
    values = [v for _, v in points]
    known = [v for v in values if v is not None]
    if not known:
        return None
    low, high = min([*known, 0]), max([*known, 0])
    step = max(1, (high - low + 3) // 4)
    low = (low // step - (1 if low < 0 else 0)) * step
    high = -(-high // step) * step if high > 0 else 0
    if high - low < 2 * step:  # all zero: still draw a scale below 0 (결원 is 0 or negative)
        low = high - 2 * step
    return _line_chart(
        title, [f"{p.index}월" for p, _ in points], [(values, BAR_WARN, False)], width, height,
        fmt=lambda v: fmt_int(round(v)), low=low, high=high, step=step, note=note,
    )  # fmt: skip


def _side_by_side(left: Drawing | None, right: Drawing | None) -> Table | None:
    if left is None and right is None:
        return None
    cells = [left or "", right or ""]
    t = Table([cells], colWidths=[WIDTH / 2, WIDTH / 2], hAlign="LEFT")
    t.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), REGULAR, 8),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return t


# -- page 1 and 2 -----------------------------------------------------------------------------------------------------


def _approval_box(st: _Styles) -> Table:
    """결재 (담당 / 팀장 / 원장): a narrow '결재' column, a title row and an empty row to sign in."""
    data = [["결\n재", "담당", "팀장", "원장"], ["", "", "", ""]]
    t = Table(data, colWidths=[7 * mm, 17 * mm, 17 * mm, 17 * mm], rowHeights=[5.5 * mm, 15 * mm])
    t.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), REGULAR, 8),
                ("LEADING", (0, 0), (-1, -1), 10),
                ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
                ("SPAN", (0, 0), (0, 1)),
                ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("BACKGROUND", (0, 0), (0, 1), HEAD_BG),
                ("BACKGROUND", (1, 0), (-1, 0), HEAD_BG),
            ]
        )
    )
    return t


def _heading(report: MonthlyReport, st: _Styles) -> Table:
    due = f"{report.due_day}일"
    sub = (
        f"{report.hq_name} 시설운영팀<br/>기준: {report.month.label} 보고 (다음 달 {due}까지 제출) · "
        f"작성 {report.generated_at:%Y. %m. %d. %H:%M}"
    )
    left = [Paragraph(_esc(report.title), st.title), Spacer(0, 2), Paragraph(sub, st.subtitle)]
    t = Table([[left, _approval_box(st)]], colWidths=[WIDTH - 60 * mm, 60 * mm], hAlign="LEFT")
    t.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), REGULAR, 8),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return t


def _key_figures(report: MonthlyReport, st: _Styles) -> Table:
    board = report.staffing_board.total
    change = (
        f" (전월 대비 결원 {fmt_int(board.vacancy_change, zero='변동 없음')})"
        if board.vacancy_change is not None
        else ""
    )
    lines = [
        f"<b>인력</b>: {board.facilities}개소 중 {board.received}개소 제출"
        + (f", <b>{board.missing}개소 미제출</b>" if board.missing else "")
        + f" · {board.totals_line}{change}",
    ]
    budget = report.budget_board
    lines.append(
        f"<b>예산 집행</b>: {budget.total.received}개소 제출 · 세출 집행률(누계) {_pct(budget.total.rate)}"
        f" (계획 {_pct(budget.planned_rate)}) · 예산 {_won_k(budget.total.expense.budget)}천원 중 "
        f"{_won_k(budget.total.expense.cumulative)}천원 집행"
    )
    safety = report.safety_board
    with_score = [f for f in safety.facilities if f.score is not None]
    target = _target_text(safety.target)
    lines.append(
        f"<b>안전 점검</b>({safety.half.label}까지 최근 점검표): {len(with_score)}개소 · 열린 개선조치 "
        f"{safety.open_actions}건 · 조치 완료율 {_pct(safety.completion_rate)}"
        + (f" (목표 {target})" if target else "")
    )
    survey = report.survey_board
    if survey.user is not None:
        parts = []
        for name, pooled, target_ in (
            ("이용자", survey.user, survey.user_target),
            ("종사자", survey.staff, survey.staff_target),
        ):
            if pooled is None:
                continue
            parts.append(
                f"{name} {_score(pooled.score)}점(응답자 가중) · 시설 평균 {_score(pooled.facility_mean_score)}점"
                + (f" (목표 {_target_text(target_)}, {_met(pooled.target_met)})" if target_ else "")
            )
        lines.append(
            f"<b>만족도</b>({survey.year}년, {len([f for f in survey.facilities if f.result])}개소): "
            + "; ".join(parts)
        )
    else:
        lines.append(f"<b>만족도</b>: {survey.year}년 조사 결과를 받은 시설이 없습니다.")
    t = Table([[Paragraph("<br/>".join(lines), st.box)]], colWidths=[WIDTH])
    t.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), REGULAR, 8),
                ("BOX", (0, 0), (-1, -1), 0.6, GRID),
                ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#FAFAFA")),
                ("LEFTPADDING", (0, 0), (-1, -1), 6),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    return t


def _cell_text(cell: TrackerCell) -> str:
    return cell.label


def _summary_table(report: MonthlyReport, st: _Styles) -> Table:
    head = ["구분", "시설", "인력 현황", "예산 점검", "정원", "현원", "결원", "집행률", "안전", "이용자", "종사자"]
    data: list[list[Any]] = [[Paragraph(h, st.head) for h in head]]
    styles: list[tuple] = []
    state_cells = []
    groups: list[tuple[str, int, int]] = []
    for line in report.summary:
        r = len(data)
        if not groups or groups[-1][0] != line.facility.group:
            groups.append((line.facility.group, r, r))
        else:
            groups[-1] = (groups[-1][0], groups[-1][1], r)
        staff = "비공개" if line.staff_suppressed else _score(line.staff_score)  # the suppressed score is never printed
        grade = line.safety_grade or DASH
        data.append(
            [
                "",
                Paragraph(
                    f"<font size=6.5 color='#555555'>{line.facility.code}</font> {_esc(line.facility.name)}", st.cell
                ),
                Paragraph(_cell_text(line.staffing), st.cell_c),
                Paragraph(_cell_text(line.budget), st.cell_c),
                _n(line.authorized),
                _n(line.current),
                _n(line.vacancy),
                _pct(line.rate),
                grade,
                _score(line.user_score),
                staff,
            ]
        )
        state_cells += [(2, r, line.staffing), (3, r, line.budget)]
    for name, first, last in groups:
        data[first][0] = Paragraph(_esc(name), st.group)
        styles.append(("SPAN", (0, first), (0, last)))
    total = report.staffing_board.total
    budget = report.budget_board.total
    data.append(
        [Paragraph("계", st.head), Paragraph(f"{total.facilities}개소 (인력 {total.received}개소 제출)", st.cell_b), "", "",
         _n(total.authorized), _n(total.current), _n(total.vacancy), _pct(budget.rate), "",
         _score(report.survey_board.user.score if report.survey_board.user else None),
         _score(report.survey_board.staff.score if report.survey_board.staff else None)]
    )  # fmt: skip
    last = len(data) - 1
    styles += [
        ("SPAN", (1, last), (3, last)),
        ("BACKGROUND", (0, last), (-1, last), TOTAL_BG),
        ("FONT", (4, last), (-1, last), BOLD, 7.5),
        ("ALIGN", (4, 1), (-1, -1), "RIGHT"),
        ("ALIGN", (8, 1), (8, -1), "CENTER"),
    ]
    widths = [58, 140, 58, 58, 24, 24, 26, 33, 24, 30, 30]
    widths[1] += WIDTH - sum(widths)
    return _table(data, widths, styles + _state_style(state_cells))


def _legend(st: _Styles) -> Paragraph:
    parts = [
        f"<font backColor='{s.colour}'>&nbsp;{s.value}&nbsp;</font>"
        for s in (SubmissionState.ACCEPTED, SubmissionState.RECEIVED, SubmissionState.RETURNED, SubmissionState.MISSING, SubmissionState.PENDING)
    ]  # fmt: skip
    return Paragraph(
        "제출 상태: " + " ".join(parts) + " · '지연' = 기한 뒤 서명 · n판 = 받은 판 번호 · "
        "집행률 = 세출 누계 ÷ 예산현액 · 만족도 = 100점 환산, 종사자 응답 3명 미만은 비공개 · '–' = 자료 없음",
        st.small,
    )


def _staffing_board(report: MonthlyReport, st: _Styles) -> list[Flowable]:
    board = report.staffing_board
    head = ["구분", "유형", "시설명", "정원", "현원", "결원", "전월 결원", "증감", "제출"]
    data: list[list[Any]] = [[Paragraph(h, st.head) for h in head]]
    styles: list[tuple] = []
    cells = []
    for group in board.groups:
        first = len(data)
        for row in group.rows:
            r = len(data)
            data.append(
                [
                    "",
                    Paragraph(_esc(row.facility.type), st.cell),
                    Paragraph(_esc(row.facility.name), st.cell),
                    _n(row.authorized),
                    _n(row.current),
                    _n(row.vacancy),
                    _n(row.previous_vacancy),
                    _n(row.vacancy_change),
                    Paragraph(row.cell.label, st.cell_c),
                ]
            )
            cells.append((8, r, row.cell))
        data[first][0] = Paragraph(_esc(group.name), st.cell_c)
        sub = group.subtotal
        note = f"{sub.missing}개소 미제출" if sub.missing else f"{sub.received}개소"
        data.append(
            ["", Paragraph("소계", st.cell_b), "", _n(sub.authorized), _n(sub.current), _n(sub.vacancy),
             _n(sub.previous_vacancy), _n(sub.vacancy_change), Paragraph(note, st.cell_c)]
        )  # fmt: skip
        styles += [
            ("SPAN", (0, first), (0, len(data) - 1)),
            ("SPAN", (1, len(data) - 1), (2, len(data) - 1)),
            ("BACKGROUND", (1, len(data) - 1), (-1, len(data) - 1), SUBTOTAL_BG),
            ("FONT", (3, len(data) - 1), (7, len(data) - 1), BOLD, 7.5),
        ]
    t = board.total
    data.append(
        [Paragraph("계", st.head), "", "", _n(t.authorized), _n(t.current), _n(t.vacancy), _n(t.previous_vacancy),
         _n(t.vacancy_change), Paragraph(f"{t.received}/{t.facilities}개소", st.cell_c)]
    )  # fmt: skip
    last = len(data) - 1
    styles += [
        ("SPAN", (0, last), (2, last)),
        ("BACKGROUND", (0, last), (-1, last), TOTAL_BG),
        ("FONT", (3, last), (7, last), BOLD, 7.5),
        ("ALIGN", (3, 1), (7, -1), "RIGHT"),
    ]
    widths = [58, 86, 150, 30, 30, 30, 38, 30, 58]
    widths[2] += WIDTH - sum(widths)
    missing = [r for r in board.rows if not r.received]
    out: list[Flowable] = [
        Paragraph(f"2. 소속시설(위수탁) 현황 ({board.month.label} 인력, 단위: 명)", st.h1),
        _table(data, widths, styles + _state_style(cells)),
    ]
    if missing:
        refs = ", ".join(
            f"{r.facility.name}(정원 {r.facility.reference_authorized} · 현원 {r.facility.reference_current})"
            for r in missing
        )
        as_of = missing[0].facility.reference_as_of
        out.append(
            Paragraph(
                f"미제출 시설은 합계에서 빠져 있습니다. 참고(등록부 {as_of:%Y. %m. %d.} 기준): {_esc(refs)}", st.small
            )
        )
    out.append(
        Paragraph(
            "결원 = 현원 - 정원(△는 부족 인원). 증감 = 시설별 당월 결원 - 전월 결원(두 달 모두 제출한 시설의 합).",
            st.small,
        )
    )
    return out


def _amounts_row(label: str, a: Amounts, received: str) -> list[Any]:
    return [label, received, _won_k(a.budget), _won_k(a.cumulative), _pct(a.rate), _won_k(a.remainder)]


def _budget_rollup(report: MonthlyReport, st: _Styles) -> list[Flowable]:
    board = report.budget_board
    head = ["구분", "제출", "세출 예산", "집행 누계", "집행률", "잔액"]
    data: list[list[Any]] = [[Paragraph(h, st.head) for h in head]]
    styles: list[tuple] = []
    for roll in (*board.groups, *board.accounts):
        data.append(
            [
                Paragraph(_esc(roll.label), st.cell),
                *_amounts_row("", roll.expense, f"{roll.received}/{roll.facilities}")[1:],
            ]
        )
    data.append(
        [
            Paragraph("계", st.cell_b),
            *_amounts_row("", board.total.expense, f"{board.total.received}/{board.total.facilities}")[1:],
        ]
    )
    split = 1 + len(board.groups)
    styles += [
        ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
        ("LINEABOVE", (0, split), (-1, split), 1.0, GRID),
        ("BACKGROUND", (0, len(data) - 1), (-1, len(data) - 1), TOTAL_BG),
        ("FONT", (2, len(data) - 1), (-1, len(data) - 1), BOLD, 7.5),
    ]
    widths = [170, 50, 80, 80, 50, 80]
    widths[0] += WIDTH - sum(widths)
    return [
        Paragraph(f"3. 예산 집행 ({board.month.label} 누계, 그룹·회계별, 단위: 천원)", st.h1),
        _table(data, widths, styles),
        Paragraph(f"제출한 시설의 세출만 합산합니다. 계획 집행률(월할) {_pct(board.planned_rate)}.", st.small),
    ]


def _half(period: Period | None, year: int) -> str:
    if period is None:
        return ""
    return period.label.replace(f"{year}년 ", "") if period.year == year else period.label


def _safety_overview(report: MonthlyReport, st: _Styles) -> list[Flowable]:
    board = report.safety_board
    head = ["시설", "점검표", "점검일", "점수", "등급", "열린 조치", "상 위험", "완료율", "목표"]
    data: list[list[Any]] = [[Paragraph(h, st.head) for h in head]]
    styles: list[tuple] = []
    target = _target_text(board.target)
    cells = []
    for sf in board.facilities:
        s = sf.score
        r = len(data)
        if s is None:
            data.append([Paragraph(f"{sf.facility.code} {_esc(sf.facility.name)}", st.cell), Paragraph(sf.cell.label, st.cell_c), "", "", "", "", "", "", ""])  # fmt: skip
            cells.append((1, r, sf.cell))
            continue
        high = sum(1 for a in s.open_actions if a.severity == "상")
        grade = (s.grade or DASH) + (" (상한)" if s.grade_capped else "")
        data.append(
            [
                Paragraph(f"{sf.facility.code} {_esc(sf.facility.name)}", st.cell),
                Paragraph(f"{_half(sf.period, board.half.year)} {sf.cell.label}", st.cell_c),
                sf.checked_on,
                _score(s.score),
                grade,
                _n(len(s.open_actions)),
                _n(high),
                _pct(s.completion_rate),
                f"{target} {_met(s.target_met)}".strip(),
            ]
        )
        cells.append((1, r, sf.cell))
    styles += [("ALIGN", (2, 1), (-1, -1), "CENTER"), ("ALIGN", (3, 1), (3, -1), "RIGHT")]
    widths = [150, 90, 50, 32, 42, 34, 30, 38, 44]
    widths[0] += WIDTH - sum(widths)
    return [
        Paragraph(f"4. 안전 점검 (시설별 최근 점검표, {board.half.label}까지)", st.h1),
        _table(data, widths, styles + _state_style(cells)),
        Paragraph(
            "점수·등급은 점검표의 계산 방식(가중치 상3·중2·하1)을 따릅니다. 조치가 끝나지 않은 '상' 위험이 있으면 최고 C등급. "
            "완료율 = 기한 내 완료한 개선조치 ÷ 점검표의 개선조치.",
            st.small,
        ),
    ]


def _survey_overview(report: MonthlyReport, st: _Styles) -> list[Flowable]:
    board = report.survey_board
    received = [f for f in board.facilities if f.result is not None]
    out: list[Flowable] = [Paragraph(f"5. 만족도 조사 ({board.year}년, 100점 환산)", st.h1)]
    if not received:
        out.append(Paragraph(f"{board.year}년 만족도 조사 결과를 받은 시설이 없습니다 (조사 기간 11~12월).", st.body))
        return out
    ut, stt = _target_text(board.user_target), _target_text(board.staff_target)
    # Per-facility staff respondent counts are not printed: with the pooled figures they would let a reader
    # back out a suppressed facility's score.
    head = ["시설", "이용자 n", "이용자 점수", "종사자 점수"]
    data: list[list[Any]] = [[Paragraph(h, st.head) for h in head]]
    for f in received:
        r = f.result
        staff = SUPPRESSED_LABEL if f.staff_suppressed else _score(f.staff_score)
        data.append(
            [Paragraph(f"{f.facility.code} {_esc(f.facility.name)}", st.cell), _n(r.user.valid),
             _score(f.user_score), Paragraph(staff, st.cell_r)]
        )  # fmt: skip
    for label, attr in (("전체(응답자 가중)", "score"), ("시설 점수 평균", "facility_mean_score")):
        user, staff = board.user, board.staff
        data.append(
            [Paragraph(label, st.cell_b), _n(user.valid) if attr == "score" and user else "",
             _score(getattr(user, attr) if user else None), _score(getattr(staff, attr) if staff else None)]
        )  # fmt: skip
    data.append(
        [Paragraph("목표", st.cell_b), "", f"{ut} {_met(board.user.target_met if board.user else None)}".strip(),
         f"{stt} {_met(board.staff.target_met if board.staff else None)}".strip()]
    )  # fmt: skip
    n = len(data)
    styles = [
        ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
        ("BACKGROUND", (0, n - 3), (-1, n - 1), TOTAL_BG),
    ]
    widths = [200, 60, 80, 110]
    widths[0] += WIDTH - sum(widths)
    out += [
        _table(data, widths, styles),
        Paragraph(
            f"환산 방식: {_esc(board.method_text)}. 종사자 응답이 3명 미만인 시설은 점수를 싣지 않습니다. 전체 점수는 시설의 응답 수를 합하여 계산(응답자 가중)하고, "
            "시설 점수 평균은 공개된 시설 점수의 단순 평균입니다. 비공개 시설의 응답은 전체 점수에만 포함됩니다.",
            st.small,
        ),
    ]
    return out


# -- facility pages ---------------------------------------------------------------------------------------------------


def _staffing_table(summary: StaffingSummary, st: _Styles) -> Table:
    head = [
        "직종",
        "정원",
        "현원",
        "결원",
        "입사",
        "퇴사",
        "휴직",
        "수습",
        "대체인력\n근무일",
        "겸직\n신고",
        "직접\n고용",
    ]
    data: list[list[Any]] = [[Paragraph(h.replace("\n", "<br/>"), st.head) for h in head]]

    def row(line: StaffingLine) -> list[Any]:
        return [
            Paragraph(_esc(line.job_family), st.cell), _n(line.authorized), _n(line.current), _n(line.vacancy),
            _n(line.hires), _n(line.leavers), _n(line.on_leave), _n(line.probation), _n(line.substitute_days),
            _n(line.side_job_reports), _n(line.direct_employment),
        ]  # fmt: skip

    data += [row(line) for line in summary.rows]
    data.append(row(summary.total))
    data[-1][0] = Paragraph("계", st.cell_b)
    last = len(data) - 1
    widths = [90] + [38] * 10
    widths[0] += WIDTH - sum(widths)
    return _table(
        data,
        widths,
        [
            ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
            ("BACKGROUND", (0, last), (-1, last), TOTAL_BG),
            ("FONT", (1, last), (-1, last), BOLD, 7.5),
        ],
    )


def _budget_table(bf: BudgetFacility, st: _Styles) -> list[Flowable]:
    ex = bf.execution
    assert ex is not None
    head = ["구분", "관", "항", "목", "예산현액", "당월", "누계", "집행률", "잔액", "비고(사유)"]
    data: list[list[Any]] = [[Paragraph(h, st.head) for h in head]]
    styles: list[tuple] = []
    flags = {f.key: f for f in bf.flags}
    for side in (INCOME, EXPENSE):
        rows = [
            r for r in ex.rows if r.side == side and (r.amounts.budget or r.amounts.cumulative or r.amounts.this_month)
        ]
        if not rows:
            continue
        for r in rows:
            a = r.amounts
            flag = flags.get(r.key)
            remark = ""
            if flag is not None:
                remark = "<font color='#C44E52'>" + "·".join(flag.kinds) + "</font>"
                remark += f": {_esc(flag.reason)}" if flag.reason.strip() else ": <b>사유 없음</b>"
            elif r.reason.strip():
                remark = _esc(r.reason)
            mok = r.mok + (f" ({r.semok})" if r.semok else "")
            data.append(
                [side, Paragraph(_esc(r.gwan), st.cell), Paragraph(_esc(r.hang), st.cell), Paragraph(_esc(mok), st.cell),
                 _won_k(a.budget), _won_k(a.this_month), _won_k(a.cumulative), _pct(a.rate), _won_k(a.remainder),
                 Paragraph(remark, st.cell)]
            )  # fmt: skip
            if flag is not None:
                styles.append(("BACKGROUND", (0, len(data) - 1), (-2, len(data) - 1), colors.HexColor("#FFF3CD")))
        total = next((t.amounts for t in ex.side_totals if t.side == side), None)
        if total is not None:
            data.append(
                [Paragraph(f"{side} 계", st.cell_b), "", "", "", _won_k(total.budget), _won_k(total.this_month),
                 _won_k(total.cumulative), _pct(total.rate), _won_k(total.remainder), ""]
            )  # fmt: skip
            n = len(data) - 1
            styles += [
                ("SPAN", (0, n), (3, n)),
                ("BACKGROUND", (0, n), (-1, n), TOTAL_BG),
                ("FONT", (4, n), (8, n), BOLD, 7.5),
            ]
    styles += [("ALIGN", (4, 1), (8, -1), "RIGHT"), ("ALIGN", (0, 1), (0, -1), "CENTER")]
    widths = [24, 48, 48, 62, 56, 50, 56, 34, 56, 60]
    widths[-1] += WIDTH - sum(widths)
    version = f"{ex.version_name} 기준" if ex.version_name else "적용 예산 없음"
    return [
        _table(data, widths, styles),
        Paragraph(
            f"{version} · 계획 집행률(월할) {_pct(ex.month / 12)} · 집행률이 계획과 {fmt_percent(ex.threshold, 0)}p 넘게 "
            "차이 나거나 예산을 넘은 과목, 반납이 있는 과목은 노란색으로 표시합니다. 집행·예산이 없는 과목은 생략.",
            st.small,
        ),
    ]


def _safety_section(sf: SafetyFacility | None, st: _Styles) -> list[Flowable]:
    if sf is None or sf.score is None:
        label = sf.cell.label if sf is not None else DASH
        return [Paragraph(f"받은 안전 점검표가 없습니다 ({label}).", st.body)]
    s = sf.score
    grade = f"{s.grade}" + (" (조치가 끝나지 않은 '상' 위험으로 상한)" if s.grade_capped else "")
    target = _target_text(s.target)
    out: list[Flowable] = [
        Paragraph(
            f"{sf.period.label if sf.period else ''} 점검표 ({sf.cell.label}, 점검일 {sf.checked_on}): 점수 "
            f"<b>{_score(s.score)}</b>점 · 등급 <b>{grade}</b> · 개선조치 {s.actions_raised}건 중 기한 내 완료 "
            f"{s.actions_closed_on_time}건, 완료율 {_pct(s.completion_rate)}"
            + (f" (목표 {target}, {_met(s.target_met)})" if target and s.target_met is not None else ""),
            st.body,
        )
    ]
    if not s.open_actions:
        out.append(Paragraph("열린 개선조치가 없습니다.", st.body))
        return out
    head = ["위험", "항목", "지적 내용", "담당", "기한", "상태"]
    data: list[list[Any]] = [[Paragraph(h, st.head) for h in head]]
    styles: list[tuple] = []
    for a in s.open_actions:
        status = a.status + (" · 이월" if a.carried else "")
        if a.overdue:
            status += " · <font color='#C44E52'><b>기한 경과</b></font>"
        data.append(
            [a.severity, a.code, Paragraph(_esc(a.finding), st.cell), Paragraph(_esc(a.owner), st.cell), a.due,
             Paragraph(status, st.cell)]
        )  # fmt: skip
        if a.severity == "상":
            styles.append(("BACKGROUND", (0, len(data) - 1), (0, len(data) - 1), colors.HexColor("#F8D7DA")))
    styles.append(("ALIGN", (0, 1), (1, -1), "CENTER"))
    widths = [28, 58, 200, 70, 56, 80]
    widths[2] += WIDTH - sum(widths)
    out.append(_table(data, widths, styles))
    return out


def _survey_section(sv: SurveyFacility | None, year: int, st: _Styles) -> list[Flowable]:
    if sv is None or sv.result is None:
        return [Paragraph(f"{year}년 만족도 조사 결과를 아직 받지 않았습니다.", st.body)]
    r = sv.result

    def block(name: str, b: Any, score: float | None, suppressed: bool) -> str:
        if suppressed:
            return f"{name} {SUPPRESSED_LABEL}"
        target = _target_text(b.target)
        n = f"유효 응답 {_n(b.valid)}명, " if name == "이용자" else ""  # staff n stays off paper (see overview)
        return (
            f"{name} <b>{_score(score)}</b>점 ({n}긍정 {_pct(b.positive)}"
            + (f", 목표 {target} {_met(b.target_met)}" if target else "")
            + ")"
        )

    return [
        Paragraph(
            block("이용자", r.user, sv.user_score, False)
            + " · "
            + block("종사자", r.staff, sv.staff_score, sv.staff_suppressed),
            st.body,
        ),
        Paragraph(f"환산 방식: {_esc(r.method_text)}", st.small),
    ]


def _facility_page(page: FacilityPage, report: MonthlyReport, st: _Styles) -> list[Flowable]:
    f = page.facility
    month = report.month
    out: list[Flowable] = [
        _Footer(_bundle_text(page.bundles, compact=False)),
        Paragraph(f"{f.code} {_esc(f.name)}", st.h1),
        Paragraph(f"{_esc(f.group)} · {_esc(f.type)} · {f.account} · {f.operation}", st.subtitle),
        HRFlowable(width="100%", thickness=0.6, color=GRID, spaceBefore=2, spaceAfter=3),
    ]
    out.append(Paragraph(f"1. 인력 현황 ({month.label}, 단위: 명)", st.h2))
    if page.staffing is not None:
        out.append(_staffing_table(page.staffing.computed, st))
        row = page.staffing_row
        if row is not None and row.previous_vacancy is not None:
            out.append(
                Paragraph(
                    f"{page.staffing.cell.label} · 전월 결원 {_n(row.previous_vacancy)} → 당월 {_n(row.vacancy)} "
                    f"(증감 {fmt_int(row.vacancy_change, zero='0')})",
                    st.small,
                )
            )
        else:
            out.append(Paragraph(page.staffing.cell.label, st.small))
    else:
        cell = page.staffing_row.cell if page.staffing_row else None
        due = f" (기한 {cell.due:%Y. %m. %d.})" if cell and cell.due else ""
        out.append(
            Paragraph(
                f"<b>{month.label} 인력 현황 {cell.label if cell else '미제출'}</b>{due}. 참고: 등록부 "
                f"{f.reference_as_of:%Y. %m. %d.} 기준 정원 {f.reference_authorized} · 현원 {f.reference_current}",
                st.body,
            )
        )
    charts = _side_by_side(
        _trend_chart("결원 추이(명)", page.vacancy_trend, WIDTH / 2 - 6, 100),
        _rate_trend(page, WIDTH / 2 - 6, 100),
    )
    if charts is not None:
        out += [Spacer(0, 3), charts]
    out.append(Paragraph(f"2. 예산 집행 ({month.label} 누계, 관·항·목, 단위: 천원)", st.h2))
    if page.budget is not None and page.budget.execution is not None:
        out += _budget_table(page.budget, st)
    else:
        label = page.budget.cell.label if page.budget is not None else DASH
        out.append(Paragraph(f"{month.label} 예산집행 점검: {label}.", st.body))
    out.append(CondPageBreak(40 * mm))
    out.append(Paragraph("3. 안전 점검 (최근 점검표의 열린 개선조치)", st.h2))
    out += _safety_section(page.safety, st)
    out.append(Paragraph(f"4. 만족도 조사 ({report.survey_board.year}년)", st.h2))
    out += _survey_section(page.survey, report.survey_board.year, st)
    out.append(Paragraph("5. 작성 메모 · 경고 설명 · 검토 의견", st.h2))
    if page.notes:
        for note in page.notes:
            context = f" <font color='#555555'>({_esc(note.context)})</font>" if note.context else ""
            out.append(
                Paragraph(
                    f"· <b>[{SHORT_LABELS[note.form]} {note.period.label}] {_esc(note.kind)}</b>: {_esc(note.text)}{context}",
                    st.body,
                )
            )
    else:
        out.append(Paragraph("없음", st.body))
    return out


def _rate_trend(page: FacilityPage, width: float, height: float) -> Drawing | None:
    """세출 execution rate per month (solid) against the straight-line plan (dashed)."""
    values = [round(v * 100, 1) if v is not None else None for _, v in page.rate_trend]
    known = [v for v in values if v is not None]
    if not known:
        return None
    plan = [round(p.index / 12 * 100, 1) for p, _ in page.rate_trend]
    high = max(50, (int(max(known + plan) // 10) + 2) * 10)
    return _line_chart(
        "세출 집행률 추이(%)", [f"{p.index}월" for p, _ in page.rate_trend],
        [(values, BAR, False), (plan, BAR_WARN, True)], width, height,
        fmt=lambda v: f"{v:.0f}" if float(v).is_integer() else f"{v:.1f}", low=0, high=high,
        step=10 if high <= 60 else 20, note="실선 집행률 · 점선 계획(월할)",
    )  # fmt: skip


# -- build ------------------------------------------------------------------------------------------------------------


def build_story(report: MonthlyReport, st: _Styles, progress: Progress, cancelled: Callable[[], bool] | None):
    total = len(report.pages) + 2
    story: list[Flowable] = [
        _Footer(_bundle_text(report.bundles, compact=True)),
        _heading(report, st),
        Spacer(0, 4 * mm),
        _key_figures(report, st),
        Paragraph(f"1. 시설별 종합 ({report.month.label} 보고 대상 {len(report.facilities)}개소)", st.h1),
        _summary_table(report, st),
        Spacer(0, 1.5 * mm),
        _legend(st),
    ]
    charts = _side_by_side(
        _rate_chart(report, WIDTH / 2 - 6, 150),
        _trend_chart(
            "결원 추이(제출 시설 합계, 명)",
            [(m, v) for m, v, _ in report.vacancy_trend],
            WIDTH / 2 - 6,
            150,
            note=" · ".join(f"{m.index}월 {n}개소" for m, _, n in report.vacancy_trend if n),
        ),
    )
    if charts is not None:
        story += [Spacer(0, 3 * mm), KeepTogether(charts)]
    progress(1, total, "종합 현황")
    check_cancelled(cancelled)
    story.append(PageBreak())
    story += _staffing_board(report, st)
    story += _budget_rollup(report, st)
    story += _safety_overview(report, st)
    story += _survey_overview(report, st)
    for i, page in enumerate(report.pages):
        check_cancelled(cancelled)
        progress(2 + i, total, page.facility.name)
        story.append(PageBreak())
        story += _facility_page(page, report, st)
    return story


def render_monthly_pdf(
    report: MonthlyReport, *, progress: Progress | None = None, cancelled: Callable[[], bool] | None = None
) -> bytes:
    register_fonts()
    st = _Styles()
    report_progress = progress or (lambda d, t, w: None)
    story = build_story(report, st, report_progress, cancelled)
    buf = io.BytesIO()
    doc = _Doc(buf, report, st)
    doc.build(story, canvasmaker=_NumberedCanvas)
    check_cancelled(cancelled)
    return buf.getvalue()


def write_monthly_pdf(
    report: MonthlyReport,
    path: Path,
    *,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Path:
    data = render_monthly_pdf(report, progress=progress, cancelled=cancelled)
    atomic_write(path, data)
    if progress is not None:
        progress(1, 1, "")
    return path


__all__ = ["render_monthly_pdf", "write_monthly_pdf"]
