"""The monthly report sheet 'YYYY년 M월 소속시설 운영 현황' as an A4 PDF, for administrators to sign (결재).

Layout: page 1 has the title, the 결재 box (담당 / 팀장 / 원장) at the top right, the key figures, the summary table
of every facility due that month and two charts (execution rate, 결원 trend); page 2 the plan's staffing table,
the budget roll-ups, safety and surveys; then one page per facility. Every page's footer names the signed bundles
behind it (facility, form, revision, bundle number, key fingerprint), the generation time and 'n / N'.

Fonts: NanumGothic embedded as a subset (``jbdesk.exports.fonts``). reportlab is imported here only.

Any number of facilities: the tables over every facility are ``_RowTable``s, which split between any two rows
onto as many pages as they need (header repeated, the group named again); a cell never holds more than a page.
Speed (500 facilities make about 1,000 pages): cells hold plain text, broken into lines here, rather than
Paragraphs wherever no markup is needed; one-line headings are ``_Line``s; charts are drawn straight onto the
canvas; the canvas writes each repeated string's operators once (``_NumberedCanvas``); reportlab's C accelerator
(rl-accel) is a dependency.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, Line, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.rl_accel import fp_str
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import HRFlowable
from reportlab.platypus.tables import CellStyle

from jbdesk.domain.budget import EXPENSE, INCOME
from jbdesk.domain.hq import (
    SHORT_LABELS,
    SUPPRESSED_LABEL,
    BudgetFacility,
    BundleRef,
    FacilityBrief,
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
CODE_GREY = colors.HexColor("#555555")
LIGHT_GRID = colors.HexColor("#DDDDDD")
DASH = "–"
CELL_SIZE = 7.5  # table text: every cell's font size (``_CellStyle`` and the cell Paragraph styles)
CELL_LEADING = 9.5
PAD_X = 3  # left and right padding of every table cell
PAD_TOP, PAD_BOTTOM = 2, 2.5
FOOTER_LINES = 4  # what fits between the footer rule and the page-number line
SECTION_ROOM = 30 * mm  # a section heading starts a new page when less than this is left under it
MAX_CELL_LINES = 30  # a facility's text in a table cell: more goes under the table (a row must fit a page)
_Command = tuple[Any, ...]  # a TableStyle command: ("GRID", (0, 0), (-1, -1), 0.5, GRID)
RATE_CHART_MAX = 12  # facilities in the page-1 execution-rate chart; more are chosen by distance from the plan


# -- styles -----------------------------------------------------------------------------------------------------------


def _style(
    name: str, size: float, *, bold: bool = False, align: Literal[0, 1, 2, 4] = 0, leading: float = 1.3, **kw: Any
) -> ParagraphStyle:
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
_TAGS = re.compile(r"<[^>]*>")


def _esc(text: str) -> str:
    return text.translate(_GLYPH_FIXES).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# -- page furniture ---------------------------------------------------------------------------------------------------


class _NumberedCanvas(Canvas):
    """Writes 'n / N' on every page once the page count is known, and draws single strings the short way.

    Tables draw each cell with drawString / drawRightString / drawCentredString, for which reportlab builds a
    text object every time (font lookup, split into subsets, escaping, number formatting): a fifth of the whole
    PDF. Here the operators for a string in a font are made once and reused (the same labels and figures recur
    on every page), and what is written is what reportlab writes: 'BT 1 0 0 1 x y Tm /F1+0 7.5 Tf 9.5 TL (…) Tj
    T* ET'. Anything unusual (render modes, spacing, right-to-left, shaping, a non-TrueType font) goes the usual
    way.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []
        self._jb_text: dict[tuple[str, float, float, str], str] = {}

    @property
    def _rl(self) -> Any:
        """This canvas's reportlab internals (_fontname, _doc, _code...), untyped in types-reportlab. Issue 19
        item 3 takes them out of this module."""
        return self

    def _text_ops(self, text: str) -> str | None:
        rl = self._rl
        key = (rl._fontname, rl._fontsize, rl._leading, text)
        ops = self._jb_text.get(key)
        if ops is None:
            font: Any = getFont(rl._fontname)
            if not getattr(font, "_dynamicFont", False) or not isinstance(text, str):
                return None
            size = f"{fp_str(rl._fontsize)} Tf {fp_str(rl._leading)} TL"
            ops = " ".join(
                f"{font.getSubsetInternalName(subset, rl._doc)} {size} ({rl._escape(part)}) Tj"
                for subset, part in font.splitString(text, rl._doc)
            )
            if len(self._jb_text) > 50_000:
                self._jb_text.clear()  # bounded: most strings are figures that never recur
            self._jb_text[key] = ops
        return ops

    def _text_at(self, x: float, y: float, text: str, anchor: float, usual: Callable[..., None], *args: Any) -> None:
        """Text at (x, y); ``anchor``: 0 starts there, 1 ends there, 0.5 is centred on x."""
        ops = self._text_ops(text) if self.bottomup and not any(args) else None
        if ops is None:
            usual(x, y, text, *args)
            return
        rl = self._rl
        if anchor:
            x -= anchor * stringWidth(text, rl._fontname, rl._fontsize)
        rl._code.append(f"BT 1 0 0 1 {fp_str(x, y)} Tm {ops} T* ET")

    def drawString(
        self,
        x: float,
        y: float,
        text: str,
        mode: Literal[0, 1, 2, 3, 4, 5, 6, 7] | None = None,
        charSpace: float = 0,
        direction: Literal["LTR", "RTL"] | None = None,
        wordSpace: float | None = None,
        shaping: bool = False,
    ) -> None:
        self._text_at(x, y, text, 0, super().drawString, mode, charSpace, direction, wordSpace, shaping)

    def drawRightString(
        self,
        x: float,
        y: float,
        text: str,
        mode: Literal[0, 1, 2, 3, 4, 5, 6, 7] | None = None,
        charSpace: float = 0,
        direction: Literal["LTR", "RTL"] | None = None,
        wordSpace: float | None = None,
        shaping: bool = False,
    ) -> None:
        self._text_at(x, y, text, 1, super().drawRightString, mode, charSpace, direction, wordSpace, shaping)

    def drawCentredString(
        self,
        x: float,
        y: float,
        text: str,
        mode: Literal[0, 1, 2, 3, 4, 5, 6, 7] | None = None,
        charSpace: float = 0,
        direction: Literal["LTR", "RTL"] | None = None,
        wordSpace: float | None = None,
        shaping: bool = False,
    ) -> None:
        self._text_at(x, y, text, 0.5, super().drawCentredString, mode, charSpace, direction, wordSpace, shaping)

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._rl._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self.setFont(REGULAR, 7.5)
            self.setFillColor(colors.black)
            self.drawRightString(PAGE_W - MARGIN_X, 8 * mm, f"{self._rl._pageNumber} / {total}")
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
        self._footers: dict[str, tuple[Paragraph, float]] = {}  # a text repeats on the pages of one section
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
            if text not in self._footers:
                p = Paragraph(text, self.styles.footer)
                self._footers[text] = p, p.wrap(WIDTH, top)[1]
            p, h = self._footers[text]
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


@lru_cache(maxsize=64)
def _colour(hex_code: str) -> colors.Color:
    return colors.HexColor(hex_code)


def _lines(text: str, width: float, font: str, size: float) -> list[str]:
    """``text`` broken into lines of at most ``width`` as a Paragraph breaks it: at spaces (runs of them count as
    one), a word longer than a line at any character; line breaks in the text are kept."""
    out: list[str] = []
    for part in text.split("\n"):
        line = ""
        for word in part.split():
            candidate = f"{line} {word}" if line else word
            if stringWidth(candidate, font, size) <= width:
                line = candidate
                continue
            if line:
                out.append(line)
            line = ""
            for ch in word:  # a word wider than the line is cut where it must be
                if line and stringWidth(line + ch, font, size) > width:
                    out.append(line)
                    line = ""
                line += ch
        out.append(line)
    return out


def _cell(text: str, width: float, style: ParagraphStyle) -> str:
    """A table cell's text, broken into lines that fit ``width``: plain text is drawn by the table itself, at a
    fraction of a Paragraph's cost (no markup parse, no line breaking on every wrap). ``_table``'s cell style gives
    it the font of ``style``; each table gives the column the style's alignment and the bold where it is needed."""
    plain = text.translate(_GLYPH_FIXES)
    if "\n" not in plain and stringWidth(plain, style.fontName, style.fontSize) <= width - 2 * PAD_X:
        return plain
    return "\n".join(_lines(plain, width - 2 * PAD_X, style.fontName, style.fontSize))


def _clip(text: str, width: float, style: ParagraphStyle, label: str, overflow: list[str]) -> str:
    """``text`` for a table cell, cut after ``MAX_CELL_LINES`` lines with a pointer to the whole of it, which goes
    into ``overflow`` ('label: text') to print under the table: a row taller than a page cannot be laid out, and
    a facility's explanation has no length limit."""
    lines = _lines(text.translate(_GLYPH_FIXES), width - 2 * PAD_X, style.fontName, style.fontSize)
    if len(lines) <= MAX_CELL_LINES:
        return text
    overflow.append(f"{label}: {text}")
    return " ".join(lines[: MAX_CELL_LINES - 1]) + f" … ({len(overflow)}: 표 아래에 전문)"


def _overflow(overflow: Sequence[str], st: _Styles) -> list[Flowable]:
    return [Paragraph(f"({i}) {_esc(text)}", st.small) for i, text in enumerate(overflow, start=1)]


def _head(labels: Sequence[str], widths: Sequence[float], st: _Styles) -> list[Any]:
    """A header row: bold centred text (``_table`` sets the font), broken into lines where a label must wrap."""
    return [
        "\n".join(_lines(label, width - 2 * PAD_X, BOLD, CELL_SIZE))
        for label, width in zip(labels, widths, strict=True)
    ]


class _Line(Flowable):
    """One line of text in runs of different size and colour ('F01' small and grey, then the name), drawn
    directly: the summary pages print one per facility, and a Paragraph for each is most of their cost."""

    def __init__(self, runs: Sequence[tuple[str, str, float, colors.Color]], leading: float) -> None:
        super().__init__()
        self.runs = runs
        self.widths = [stringWidth(text, font, size) for text, font, size, _ in runs]
        self.width = sum(self.widths)
        self.height = leading
        self.baseline = leading - max(size for _, _, size, _ in runs)  # where a Paragraph puts its first line

    def wrap(self, *_: Any) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canv = self.canv
        x = 0.0
        for (text, font, size, colour), width in zip(self.runs, self.widths, strict=True):
            canv.setFont(font, size)
            canv.setFillColor(colour)
            canv.drawString(x, self.baseline, text)
            x += width


def _para(markup: str, style: ParagraphStyle) -> Flowable:
    """A Paragraph, or for one line of plain text (a heading, a short note) a ``_Line``: it looks the same and
    costs far less (no markup parse, no line breaking)."""
    if "<" in markup or "&" in markup or style.alignment != 0:
        return Paragraph(markup, style)
    line = _Line([(markup, style.fontName, style.fontSize, style.textColor)], style.leading)
    if line.width > WIDTH:
        return Paragraph(markup, style)
    line.spaceBefore, line.spaceAfter = style.spaceBefore, style.spaceAfter
    return line


def _code_name(f: FacilityBrief, width: float, st: _Styles) -> Flowable:
    """'F01 시설명' with the code small and grey; wraps (as a Paragraph) only when the name is too long."""
    name = f.name.translate(_GLYPH_FIXES)
    line = _Line([(f.code, REGULAR, 6.5, CODE_GREY), (f" {name}", REGULAR, CELL_SIZE, colors.black)], st.cell.leading)
    if line.width <= width - 2 * PAD_X:
        return line
    return Paragraph(f"<font size=6.5 color='#555555'>{f.code}</font> {_esc(f.name)}", st.cell)


class _CellStyle(CellStyle):
    """Every table cell's starting style: the font, leading, padding and vertical alignment of the whole report, as
    defaults rather than commands (a command over every cell touches each of them once per table, and again when
    reportlab splits the table across a page)."""

    fontname = REGULAR
    fontsize = CELL_SIZE
    leading = CELL_LEADING
    leftPadding = rightPadding = PAD_X
    topPadding = PAD_TOP
    bottomPadding = PAD_BOTTOM
    valign = "MIDDLE"


def _table(data: list[list[Any]], widths: Sequence[float], styles: list[_Command] | None = None, header_rows: int = 1,
           row_heights: Sequence[float] | None = None) -> Table:  # fmt: skip
    cell_styles = [[_CellStyle("") for _ in row] for row in data]
    table = Table(data, colWidths=list(widths), rowHeights=row_heights, repeatRows=header_rows, hAlign="LEFT",
                  cellStyles=cell_styles)  # fmt: skip
    base = [("GRID", (0, 0), (-1, -1), 0.4, GRID), ("BACKGROUND", (0, 0), (-1, header_rows - 1), HEAD_BG)]
    head = [("FONTNAME", (0, 0), (-1, header_rows - 1), BOLD), ("ALIGN", (0, 0), (-1, header_rows - 1), "CENTER")]
    commands: list[Any] = [*base, *(styles or []), *head]
    table.setStyle(TableStyle(commands))
    return table


def _state_style(cells: Sequence[tuple[int, int, TrackerCell]]) -> list[_Command]:
    return [("BACKGROUND", (c, r), (c, r), _colour(cell.colour)) for c, r, cell in cells]


@dataclass
class _Row:
    """One body row of a ``_RowTable``: its cells, its own commands (row 0 = this row) and its group."""

    cells: list[Any]
    styles: list[_Command] = field(default_factory=list)
    group: str | None = None  # consecutive rows of one group share the group column (column 0)


def _at(command: _Command, row: int) -> _Command:
    (c0, r0), (c1, r1) = command[1], command[2]
    return (command[0], (c0, r0 + row), (c1, r1 + row), *command[3:])


def _runs(rows: Sequence[_Row]) -> Iterator[tuple[int, int, str]]:
    """(first, last, group) of each run of consecutive rows in one group."""
    i = 0
    while i < len(rows):
        group, j = rows[i].group, i
        while j + 1 < len(rows) and rows[j + 1].group == group:
            j += 1
        if group is not None:
            yield i, j, group
        i = j + 1


class _RowTable(Flowable):
    """A table over any number of rows (every facility): it splits between any two rows onto as many pages as it
    needs, the header repeated on each, and column 0 names each row's group, spanned over the group's rows on each
    page (so a group continued on the next page is named there again). A reportlab SPAN over a whole group would
    forbid splitting inside it: a group taller than a page cannot be laid out at all.

    Row heights are measured once (one table over every row, the group column left empty); each page's table is
    then built with its rows' heights given, so a split costs only the rows of the page it makes.
    """

    def __init__(
        self,
        head: list[list[Any]],
        rows: list[_Row],
        widths: Sequence[float],
        styles: list[_Command],
        group_cell: Callable[[str], Any] | None = None,
        *,
        heights: tuple[list[float], list[float]] | None = None,
    ) -> None:
        super().__init__()
        self.head, self.rows, self.widths, self.styles, self.group_cell = head, rows, list(widths), styles, group_cell
        self.hAlign = "LEFT"
        self._heights = heights  # (header row heights, body row heights without the group labels)
        self._labels: dict[str, float] = {}

    def _data(self, rows: Sequence[_Row], groups: bool) -> tuple[list[list[Any]], list[_Command]]:
        h = len(self.head)
        data = [list(r) for r in self.head]
        commands = list(self.styles)
        for i, row in enumerate(rows):
            data.append(list(row.cells))
            commands += [_at(c, h + i) for c in row.styles]
        if groups and self.group_cell is not None:
            for first, last, group in _runs(rows):
                data[h + first][0] = self.group_cell(group)
                if last > first:
                    commands.append(("SPAN", (0, h + first), (0, h + last)))
        return data, commands

    def _measure(self, avail_width: float) -> tuple[list[float], list[float]]:
        if self._heights is None:
            data, commands = self._data(self.rows, groups=False)
            table = _table(data, self.widths, commands, len(self.head))
            table.wrap(avail_width, 1e9)  # every row measured (reportlab stops at the available height)
            heights = list(getattr(table, "_rowHeights"))  # noqa: B009  # reportlab internal (issue 19 item 3)
            self._heights = heights[: len(self.head)], heights[len(self.head) :]
        return self._heights

    def _label_height(self, group: str) -> float:
        if group not in self._labels:
            cell = self.group_cell(group) if self.group_cell is not None else ""
            if isinstance(cell, Flowable):
                h = cell.wrap(self.widths[0] - 2 * PAD_X, 1e9)[1]
            else:
                h = CELL_LEADING * (str(cell).count("\n") + 1)
            self._labels[group] = h + PAD_TOP + PAD_BOTTOM
        return self._labels[group]

    def _row_heights(self, rows: Sequence[_Row], heights: Sequence[float]) -> list[float]:
        """The rows' measured heights, each group's share grown where its label needs more than its rows give."""
        out = list(heights)
        for first, last, group in _runs(rows):
            short = self._label_height(group) - sum(out[first : last + 1])
            if short > 0:
                for i in range(first, last + 1):
                    out[i] += short / (last - first + 1)
        return out

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        head, body = self._measure(avail_width)
        self.width = sum(self.widths)
        self.height = sum(head) + sum(self._row_heights(self.rows, body))
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        head, body = self._measure(avail_width)
        room = avail_height - sum(head)
        k, used = 0, 0.0
        while k < len(self.rows) and used + body[k] <= room:
            used += body[k]
            k += 1
        while k > 0 and sum(self._row_heights(self.rows[:k], body[:k])) > room:
            k -= 1  # a group label taller than its few rows on this page
        if k == 0:
            return []  # not even one row: the frame moves the table to the next page
        if k == len(self.rows):
            return [self]

        def part(rows: list[_Row], heights: list[float]) -> _RowTable:
            return _RowTable(self.head, rows, self.widths, self.styles, self.group_cell, heights=(head, heights))

        return [part(self.rows[:k], body[:k]), part(self.rows[k:], body[k:])]

    def draw(self) -> None:
        head, body = self._measure(self.width)
        data, commands = self._data(self.rows, groups=True)
        table = _table(data, self.widths, commands, len(self.head), head + self._row_heights(self.rows, body))
        table.wrapOn(self.canv, self.width, self.height)
        table.drawOn(self.canv, 0, 0)


def _bundle_text(bundles: Sequence[BundleRef], *, detail: int) -> str:
    """The bundles behind a page, at three levels of detail (0 = most):

    0: 'F01 [Y6GX-2TCJ-…] #3 인력 2026-03 1판 · 예산 2026-03 1판, #1 안전 2026-H1 1판'
    1: 'F01 [Y6GX-2TC] #3 인력1·예산1, #1 안전1'
    2: 'F01 [Y6GX-2TC] #1·3'
    """
    if not bundles:
        return "근거 자료: 받은 보고 없음"
    by_facility: dict[tuple[str, str], dict[int | None, list[BundleRef]]] = {}
    for b in bundles:
        by_facility.setdefault((b.facility_code, b.key_short), {}).setdefault(b.sequence, []).append(b)
    parts = []
    for (code, key), by_seq in by_facility.items():
        ordered = sorted(by_seq.items(), key=lambda kv: kv[0] or 0)
        shown_key = key[:9] if detail else key
        if detail >= 2:
            numbers = "·".join(str(seq) for seq, _ in ordered if seq is not None)
            parts.append(f"<b>{code}</b> [{shown_key}] #{numbers}" if numbers else f"<b>{code}</b> [{shown_key}]")
            continue
        chunks = []
        for seq, items in ordered:
            if detail:
                forms = "·".join(f"{SHORT_LABELS[b.form]}{b.revision}" for b in items)
            else:
                forms = " · ".join(f"{SHORT_LABELS[b.form]} {b.period} {b.revision}판" for b in items)
            chunks.append(f"#{seq} {forms}" if seq is not None else forms)
        parts.append(f"<b>{code}</b> [{shown_key}] " + ", ".join(chunks))
    lead = {
        0: "근거 자료(서명된 보고 파일)",
        1: "근거 자료(시설 [서명키 지문] #꾸러미 번호 보고·판)",
        2: "근거 자료(시설 [서명키 지문] #꾸러미 번호)",
    }[detail]
    return f"{lead}: " + "  ".join(parts)


def _footer_text(bundles: Sequence[BundleRef], st: _Styles, *, detail: int) -> str:
    """The most detailed bundle list from ``detail`` on that fits the footer; too many bundles for any: a count
    and where the list is (each facility's page, the workbook's '근거자료' sheet)."""
    style = st.footer
    for level in range(detail, 3):
        text = _bundle_text(bundles, detail=level)
        lines = stringWidth(_TAGS.sub("", text), BOLD, style.fontSize) / WIDTH  # bold: an upper bound
        if lines <= FOOTER_LINES - 1:
            return text  # fits with a line to spare for breaking at words: no need to lay it out
        if lines > 2 * FOOTER_LINES:
            continue  # far too long: not worth laying out
        if Paragraph(text, style).wrap(WIDTH, PAGE_H)[1] <= FOOTER_LINES * style.leading + 0.1:
            return text
    facilities = len({b.facility_code for b in bundles})
    files = len({b.digest for b in bundles})
    where = "각 시설 쪽 아래와 " if facilities > 1 else ""
    return (
        f"근거 자료: {facilities}개 시설이 서명한 보고 파일 {files}개, 보고 {len(bundles)}건. 파일마다의 꾸러미 번호·"
        f"서명키 지문·판은 {where}엑셀 보고서의 '근거자료' 시트에 있습니다."
    )


# -- charts -----------------------------------------------------------------------------------------------------------


def _drawing(width: float, height: float) -> Drawing:
    d = Drawing(width, height)
    # the renderer's starting font: NanumGothic, not an unembedded Helvetica (types-reportlab leaves it out)
    d.initialFontName = REGULAR  # type: ignore[attr-defined]
    return d


def _rate_chart(report: MonthlyReport, width: float, height: float) -> Drawing | None:
    entries = [(b.facility.code, b.rate) for b in report.budget_board.facilities if b.rate is not None]
    if not entries:
        return None
    planned = report.budget_board.planned_rate * 100
    title = "세출 예산 집행률(누계)"
    if len(entries) > RATE_CHART_MAX:  # a bar per facility would be unreadable: those furthest from the plan
        far = sorted(entries, key=lambda e: -abs(e[1] * 100 - planned))[:RATE_CHART_MAX]
        entries = [e for e in entries if e in far]
        title = f"세출 예산 집행률(누계) · 계획과 차이가 큰 {RATE_CHART_MAX}개소"
    values = [round(rate * 100, 1) for _, rate in entries]
    top = max(50.0, (int(max([*values, planned]) // 10) + 2) * 10)
    d = _drawing(width, height)
    d.add(String(0, height - 9, title, fontName=BOLD, fontSize=8))
    chart = HorizontalBarChart()
    chart.x, chart.y = 30, 18
    chart.width, chart.height = width - 45, height - 34  # type: ignore[assignment]  # stubs: int; floats work
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


class _Chart(Flowable):
    """A small chart drawn straight onto the canvas: lines, polylines, dots and text. Each facility page has two;
    as reportlab Drawings they were a fifth of the whole PDF's time (renderPDF walks and restyles every node)."""

    def __init__(self, width: float, height: float) -> None:
        super().__init__()
        self.width, self.height = width, height
        self.ops: list[tuple[Any, ...]] = []

    def wrap(self, *_: Any) -> tuple[float, float]:
        return self.width, self.height

    def line(self, points: Sequence[tuple[float, float]], colour: Any, width: float, dash: bool = False) -> None:
        self.ops.append(("line", points, colour, width, dash))

    def dot(self, x: float, y: float, r: float, colour: Any) -> None:
        self.ops.append(("dot", x, y, r, colour))

    def text(self, x: float, y: float, text: str, *, font: str = REGULAR, size: float = 6.5, anchor: str = "start",
             colour: Any = colors.black) -> None:  # fmt: skip
        self.ops.append(("text", x, y, text, font, size, anchor, colour))

    def draw(self) -> None:
        canv = self.canv
        stroke = fill = font = None
        for op in self.ops:
            if op[0] == "line":
                _, points, colour, width, dash = op
                if stroke != (colour, width, dash):
                    stroke = colour, width, dash
                    canv.setStrokeColor(colour)
                    canv.setLineWidth(width)
                    canv.setDash([2, 2] if dash else [])
                path = canv.beginPath()
                path.moveTo(*points[0])
                for x, y in points[1:]:
                    path.lineTo(x, y)
                canv.drawPath(path, stroke=1, fill=0)
            elif op[0] == "dot":
                _, x, y, r, colour = op
                if fill != colour:
                    fill = colour
                    canv.setFillColor(colour)
                if stroke != (colour, 1, False):
                    stroke = colour, 1, False
                    canv.setStrokeColor(colour)
                    canv.setLineWidth(1)
                    canv.setDash([])
                canv.circle(x, y, r, stroke=1, fill=1)
            else:
                _, x, y, text, name, size, anchor, colour = op
                if font != (name, size):
                    font = name, size
                    canv.setFont(name, size)
                if fill != colour:
                    fill = colour
                    canv.setFillColor(colour)
                draw = {"start": canv.drawString, "middle": canv.drawCentredString, "end": canv.drawRightString}
                draw[anchor](x, y, text)


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
) -> _Chart:
    """A small line chart: gaps (None) break the line; values labelled above points.

    ``series``: (values per category, colour, dashed). Only the first series gets value labels.
    """
    d = _Chart(width, height)
    d.text(0, height - 9, title, font=BOLD, size=8)
    if note:
        d.text(width, height - 9, note, size=6, anchor="end")
    x0, y0, x1, y1 = 30, 14, width - 6, height - 20
    span = (high - low) or 1

    def y_of(v: float) -> float:
        return y0 + (v - low) / span * (y1 - y0)

    tick = low
    while tick <= high + 1e-9:
        y = y_of(tick)
        d.line([(x0, y), (x1, y)], LIGHT_GRID, 0.4)
        d.text(x0 - 3, y - 2.2, fmt(tick), anchor="end")
        tick += step
    if low < 0 < high:
        d.line([(x0, y_of(0)), (x1, y_of(0))], GRID, 0.6)
    n = max(len(categories), 1)
    xs = [x0 + (x1 - x0) * (i + 0.5) / n for i in range(n)]
    for x, name in zip(xs, categories, strict=True):
        d.text(x, y0 - 9, name, anchor="middle")
    d.line([(x0, y0), (x0, y1)], GRID, 0.6)
    for k, (values, colour, dashed) in enumerate(series):
        run: list[tuple[float, float]] = []
        for x, v in [*zip(xs, values, strict=True), (0.0, None)]:  # a None at the end closes the last run
            if v is not None:
                run.append((x, y_of(v)))
                continue
            if len(run) > 1:
                d.line(run, colour, 0.8 if dashed else 1.3, dashed)
            run = []
        if dashed:
            continue
        for x, v in zip(xs, values, strict=True):
            if v is None:
                continue
            d.dot(x, y_of(v), 1.8, colour)
            if labels and k == 0:
                d.text(x, y_of(v) + 4, fmt(v), anchor="middle")
    return d


def _trend_chart(
    title: str, points: Sequence[tuple[Period, int | None]], width: float, height: float, note: str = ""
) -> _Chart | None:
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


def _months_note(counts: Sequence[tuple[Period, int]]) -> str:
    """How many facilities each month's figure sums, months with one count joined: '1~11월 10개소 · 12월 9개소'."""
    runs: list[list[Any]] = []  # [first month, last month, count]
    for m, n in counts:
        if not n:
            continue
        if runs and runs[-1][2] == n and runs[-1][1] == m.index - 1:
            runs[-1][1] = m.index
        else:
            runs.append([m.index, m.index, n])
    return " · ".join(f"{a}월 {n}개소" if a == b else f"{a}~{b}월 {n}개소" for a, b, n in runs)


def _side_by_side(left: Flowable | None, right: Flowable | None) -> Table | None:
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


def _summary_table(report: MonthlyReport, st: _Styles) -> _RowTable:
    head = ["구분", "시설", "인력 현황", "예산 점검", "정원", "현원", "결원", "집행률", "안전", "이용자", "종사자"]
    widths: list[float] = [58, 140, 58, 58, 24, 24, 26, 33, 24, 30, 30]
    widths[1] += WIDTH - sum(widths)
    rows: list[_Row] = []
    for line in report.summary:
        staff = "비공개" if line.staff_suppressed else _score(line.staff_score)  # the suppressed score is never printed
        cells = [
            "", _code_name(line.facility, widths[1], st), _cell(line.staffing.label, widths[2], st.cell_c),
            _cell(line.budget.label, widths[3], st.cell_c), _n(line.authorized), _n(line.current), _n(line.vacancy),
            _pct(line.rate), line.safety_grade or DASH, _score(line.user_score), staff,
        ]  # fmt: skip
        rows.append(_Row(cells, _state_style([(2, 0, line.staffing), (3, 0, line.budget)]), line.facility.group))
    total = report.staffing_board.total
    budget = report.budget_board.total
    survey = report.survey_board
    rows.append(
        _Row(
            ["계", _cell(f"{total.facilities}개소 (인력 {total.received}개소 제출)", sum(widths[1:4]), st.cell_b), "", "",
             _n(total.authorized), _n(total.current), _n(total.vacancy), _pct(budget.rate), "",
             _score(survey.user.score if survey.user else None), _score(survey.staff.score if survey.staff else None)],
            [("SPAN", (1, 0), (3, 0)), ("BACKGROUND", (0, 0), (-1, 0), TOTAL_BG), ("FONTNAME", (0, 0), (1, 0), BOLD),
             ("FONTNAME", (4, 0), (-1, 0), BOLD), ("ALIGN", (0, 0), (0, 0), "CENTER"),
             ("ALIGN", (1, 0), (1, 0), "LEFT")],
        )
    )  # fmt: skip
    styles = [
        ("ALIGN", (2, 1), (3, -1), "CENTER"),
        ("ALIGN", (4, 1), (-1, -1), "RIGHT"),
        ("ALIGN", (8, 1), (8, -1), "CENTER"),
    ]
    return _RowTable([_head(head, widths, st)], rows, widths, styles, lambda g: Paragraph(_esc(g), st.group))


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
    widths: list[float] = [58, 86, 150, 30, 30, 30, 38, 30, 58]
    widths[2] += WIDTH - sum(widths)
    rows: list[_Row] = []
    for group in board.groups:
        for row in group.rows:
            cells = [
                "", _cell(row.facility.type, widths[1], st.cell), _cell(row.facility.name, widths[2], st.cell),
                _n(row.authorized), _n(row.current), _n(row.vacancy), _n(row.previous_vacancy), _n(row.vacancy_change),
                _cell(row.cell.label, widths[8], st.cell_c),
            ]  # fmt: skip
            rows.append(_Row(cells, _state_style([(8, 0, row.cell)]), group.name))
        sub = group.subtotal
        note = f"{sub.missing}개소 미제출" if sub.missing else f"{sub.received}개소"
        rows.append(
            _Row(
                ["", "소계", "", _n(sub.authorized), _n(sub.current), _n(sub.vacancy), _n(sub.previous_vacancy),
                 _n(sub.vacancy_change), _cell(note, widths[8], st.cell_c)],
                [("SPAN", (1, 0), (2, 0)), ("BACKGROUND", (1, 0), (-1, 0), SUBTOTAL_BG),
                 ("FONTNAME", (1, 0), (7, 0), BOLD)],
                group.name,
            )
        )  # fmt: skip
    t = board.total
    rows.append(
        _Row(
            ["계", "", "", _n(t.authorized), _n(t.current), _n(t.vacancy), _n(t.previous_vacancy),
             _n(t.vacancy_change), f"{t.received}/{t.facilities}개소"],
            [("SPAN", (0, 0), (2, 0)), ("BACKGROUND", (0, 0), (-1, 0), TOTAL_BG), ("FONTNAME", (0, 0), (7, 0), BOLD),
             ("ALIGN", (0, 0), (0, 0), "CENTER")],
        )
    )  # fmt: skip
    styles = [("ALIGN", (3, 1), (7, -1), "RIGHT"), ("ALIGN", (8, 1), (8, -1), "CENTER")]
    missing = [r for r in board.rows if not r.received]
    out: list[Flowable] = [
        CondPageBreak(SECTION_ROOM),
        _para(f"2. 소속시설(위수탁) 현황 ({board.month.label} 인력, 단위: 명)", st.h1),
        _RowTable([_head(head, widths, st)], rows, widths, styles, lambda g: Paragraph(_esc(g), st.cell_c)),
    ]
    if missing:
        refs = ", ".join(
            f"{r.facility.name}(정원 {r.facility.reference_authorized} · 현원 {r.facility.reference_current})"
            for r in missing
        )
        as_of = missing[0].facility.reference_as_of
        out.append(
            _para(
                f"미제출 시설은 합계에서 빠져 있습니다. 참고(등록부 {as_of:%Y. %m. %d.} 기준): {_esc(refs)}", st.small
            )
        )
    out.append(
        _para(
            "결원 = 현원 - 정원(△는 부족 인원). 증감 = 시설별 당월 결원 - 전월 결원(두 달 모두 제출한 시설의 합).",
            st.small,
        )
    )
    return out


def _budget_rollup(report: MonthlyReport, st: _Styles) -> list[Flowable]:
    board = report.budget_board
    head = ["구분", "제출", "세출 예산", "집행 누계", "집행률", "잔액"]
    widths: list[float] = [170, 50, 80, 80, 50, 80]
    widths[0] += WIDTH - sum(widths)
    rows: list[_Row] = []
    for roll in (*board.groups, *board.accounts, board.total):
        a = roll.expense
        cells = [_cell(roll.label, widths[0], st.cell), f"{roll.received}/{roll.facilities}", _won_k(a.budget),
                 _won_k(a.cumulative), _pct(a.rate), _won_k(a.remainder)]  # fmt: skip
        rows.append(_Row(cells))
    rows[-1].cells[0] = "계"
    rows[-1].styles = [("BACKGROUND", (0, 0), (-1, 0), TOTAL_BG), ("FONTNAME", (0, 0), (0, 0), BOLD),
                       ("FONTNAME", (2, 0), (-1, 0), BOLD)]  # fmt: skip
    rows[len(board.groups)].styles.append(("LINEABOVE", (0, 0), (-1, 0), 1.0, GRID))  # groups above, accounts below
    return [
        CondPageBreak(SECTION_ROOM),
        _para(f"3. 예산 집행 ({board.month.label} 누계, 그룹·회계별, 단위: 천원)", st.h1),
        _RowTable([_head(head, widths, st)], rows, widths, [("ALIGN", (1, 1), (-1, -1), "RIGHT")]),
        _para(f"제출한 시설의 세출만 합산합니다. 계획 집행률(월할) {_pct(board.planned_rate)}.", st.small),
    ]


def _half(period: Period | None, year: int) -> str:
    if period is None:
        return ""
    return period.label.replace(f"{year}년 ", "") if period.year == year else period.label


def _safety_overview(report: MonthlyReport, st: _Styles) -> list[Flowable]:
    board = report.safety_board
    head = ["시설", "점검표", "점검일", "점수", "등급", "열린 조치", "상 위험", "완료율", "목표"]
    widths: list[float] = [150, 90, 50, 32, 42, 34, 30, 38, 44]
    widths[0] += WIDTH - sum(widths)
    target = _target_text(board.target)
    rows: list[_Row] = []
    for sf in board.facilities:
        s = sf.score
        name = _cell(f"{sf.facility.code} {sf.facility.name}", widths[0], st.cell)
        state = _state_style([(1, 0, sf.cell)])
        if s is None:
            rows.append(_Row([name, _cell(sf.cell.label, widths[1], st.cell_c), "", "", "", "", "", "", ""], state))
            continue
        high = sum(1 for a in s.open_actions if a.severity == "상")
        grade = (s.grade or DASH) + (" (상한)" if s.grade_capped else "")
        cells = [
            name, _cell(f"{_half(sf.period, board.half.year)} {sf.cell.label}", widths[1], st.cell_c), sf.checked_on,
            _score(s.score), grade, _n(len(s.open_actions)), _n(high), _pct(s.completion_rate),
            f"{target} {_met(s.target_met)}".strip(),
        ]  # fmt: skip
        rows.append(_Row(cells, state))
    styles = [("ALIGN", (1, 1), (-1, -1), "CENTER"), ("ALIGN", (3, 1), (3, -1), "RIGHT")]
    return [
        CondPageBreak(SECTION_ROOM),
        _para(f"4. 안전 점검 (시설별 최근 점검표, {board.half.label}까지)", st.h1),
        _RowTable([_head(head, widths, st)], rows, widths, styles),
        _para(
            "점수·등급은 점검표의 계산 방식(가중치 상3·중2·하1)을 따릅니다. 조치가 끝나지 않은 '상' 위험이 있으면 최고 C등급. "
            "완료율 = 기한 내 완료한 개선조치 ÷ 점검표의 개선조치.",
            st.small,
        ),
    ]


def _survey_overview(report: MonthlyReport, st: _Styles) -> list[Flowable]:
    board = report.survey_board
    received = [f for f in board.facilities if f.result is not None]
    out: list[Flowable] = [CondPageBreak(SECTION_ROOM), _para(f"5. 만족도 조사 ({board.year}년, 100점 환산)", st.h1)]
    if not received:
        out.append(_para(f"{board.year}년 만족도 조사 결과를 받은 시설이 없습니다 (조사 기간 11~12월).", st.body))
        return out
    ut, stt = _target_text(board.user_target), _target_text(board.staff_target)
    head = ["시설", "이용자 n", "이용자 점수", "종사자 점수"]
    widths: list[float] = [200, 60, 80, 110]
    widths[0] += WIDTH - sum(widths)
    # Per-facility staff respondent counts are not printed: with the pooled figures they would let a reader
    # back out a suppressed facility's score.
    rows: list[_Row] = []
    for f in received:
        r = f.result
        assert r is not None  # received: those with a result
        staff = SUPPRESSED_LABEL if f.staff_suppressed else _score(f.staff_score)
        rows.append(
            _Row([_cell(f"{f.facility.code} {f.facility.name}", widths[0], st.cell), _n(r.user.valid),
                  _score(f.user_score), _cell(staff, widths[3], st.cell_r)])
        )  # fmt: skip
    user, staff_ = board.user, board.staff
    total = [("BACKGROUND", (0, 0), (-1, 0), TOTAL_BG), ("FONTNAME", (0, 0), (0, 0), BOLD)]
    for label, attr in (("전체(응답자 가중)", "score"), ("시설 점수 평균", "facility_mean_score")):
        cells = [label, _n(user.valid) if attr == "score" and user else "",
                 _score(getattr(user, attr) if user else None), _score(getattr(staff_, attr) if staff_ else None)]  # fmt: skip
        rows.append(_Row(cells, list(total)))
    cells = ["목표", "", f"{ut} {_met(user.target_met if user else None)}".strip(),
             f"{stt} {_met(staff_.target_met if staff_ else None)}".strip()]  # fmt: skip
    rows.append(_Row(cells, list(total)))
    out += [
        _RowTable([_head(head, widths, st)], rows, widths, [("ALIGN", (1, 1), (-1, -1), "RIGHT")]),
        _para(
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
    widths: list[float] = [90, *[38] * 10]
    widths[0] += WIDTH - sum(widths)

    def row(label: Any, line: StaffingLine) -> list[Any]:
        return [
            label, _n(line.authorized), _n(line.current), _n(line.vacancy), _n(line.hires), _n(line.leavers),
            _n(line.on_leave), _n(line.probation), _n(line.substitute_days), _n(line.side_job_reports),
            _n(line.direct_employment),
        ]  # fmt: skip

    data = [_head(head, widths, st)]
    data += [row(_cell(line.job_family, widths[0], st.cell), line) for line in summary.rows]
    data.append(row("계", summary.total))
    last = len(data) - 1
    return _table(
        data,
        widths,
        [
            ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
            ("BACKGROUND", (0, last), (-1, last), TOTAL_BG),
            ("FONTNAME", (0, last), (-1, last), BOLD),
        ],
    )


def _budget_table(bf: BudgetFacility, st: _Styles) -> list[Flowable]:
    ex = bf.execution
    assert ex is not None
    head = ["구분", "관", "항", "목", "예산현액", "당월", "누계", "집행률", "잔액", "비고(사유)"]
    widths: list[float] = [24, 48, 48, 62, 56, 50, 56, 34, 56, 60]
    widths[-1] += WIDTH - sum(widths)
    data: list[list[Any]] = [_head(head, widths, st)]
    styles: list[_Command] = []
    overflow: list[str] = []
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
            remark: Any = ""
            mok = r.mok + (f" ({r.semok})" if r.semok else "")
            if flag is not None:
                text = "<font color='#C44E52'>" + "·".join(flag.kinds) + "</font>"
                if flag.reason.strip():
                    text += f": {_esc(_clip(flag.reason, widths[9], st.cell, f'{mok} 사유', overflow))}"
                else:
                    text += ": <b>사유 없음</b>"
                remark = Paragraph(text, st.cell)
            elif r.reason.strip():
                remark = _cell(_clip(r.reason, widths[9], st.cell, f"{mok} 비고", overflow), widths[9], st.cell)
            data.append(
                [side, _cell(r.gwan, widths[1], st.cell), _cell(r.hang, widths[2], st.cell), _cell(mok, widths[3], st.cell),
                 _won_k(a.budget), _won_k(a.this_month), _won_k(a.cumulative), _pct(a.rate), _won_k(a.remainder),
                 remark]
            )  # fmt: skip
            if flag is not None:
                styles.append(("BACKGROUND", (0, len(data) - 1), (-2, len(data) - 1), colors.HexColor("#FFF3CD")))
        total = next((t.amounts for t in ex.side_totals if t.side == side), None)
        if total is not None:
            data.append(
                [f"{side} 계", "", "", "", _won_k(total.budget), _won_k(total.this_month),
                 _won_k(total.cumulative), _pct(total.rate), _won_k(total.remainder), ""]
            )  # fmt: skip
            n = len(data) - 1
            styles += [
                ("SPAN", (0, n), (3, n)),
                ("BACKGROUND", (0, n), (-1, n), TOTAL_BG),
                ("FONTNAME", (0, n), (8, n), BOLD),
                ("ALIGN", (0, n), (0, n), "LEFT"),
            ]
    styles = [("ALIGN", (4, 1), (8, -1), "RIGHT"), ("ALIGN", (0, 1), (0, -1), "CENTER"), *styles]
    version = f"{ex.version_name} 기준" if ex.version_name else "적용 예산 없음"
    return [
        _table(data, widths, styles),
        *_overflow(overflow, st),
        _para(
            f"{version} · 계획 집행률(월할) {_pct(ex.month / 12)} · 집행률이 계획과 {fmt_percent(ex.threshold, 0)}p 넘게 "
            "차이 나거나 예산을 넘은 과목, 반납이 있는 과목은 노란색으로 표시합니다. 집행·예산이 없는 과목은 생략.",
            st.small,
        ),
    ]


def _safety_section(sf: SafetyFacility | None, st: _Styles) -> list[Flowable]:
    if sf is None or sf.score is None:
        label = sf.cell.label if sf is not None else DASH
        return [_para(f"받은 안전 점검표가 없습니다 ({label}).", st.body)]
    s = sf.score
    grade = f"{s.grade}" + (" (조치가 끝나지 않은 '상' 위험으로 상한)" if s.grade_capped else "")
    target = _target_text(s.target)
    out: list[Flowable] = [
        _para(
            f"{sf.period.label if sf.period else ''} 점검표 ({sf.cell.label}, 점검일 {sf.checked_on}): 점수 "
            f"<b>{_score(s.score)}</b>점 · 등급 <b>{grade}</b> · 개선조치 {s.actions_raised}건 중 기한 내 완료 "
            f"{s.actions_closed_on_time}건, 완료율 {_pct(s.completion_rate)}"
            + (f" (목표 {target}, {_met(s.target_met)})" if target and s.target_met is not None else ""),
            st.body,
        )
    ]
    if not s.open_actions:
        out.append(_para("열린 개선조치가 없습니다.", st.body))
        return out
    head = ["위험", "항목", "지적 내용", "담당", "기한", "상태"]
    widths: list[float] = [28, 58, 200, 70, 56, 80]
    widths[2] += WIDTH - sum(widths)
    data: list[list[Any]] = [_head(head, widths, st)]
    styles: list[_Command] = []
    overflow: list[str] = []
    for a in s.open_actions:
        status: Any = a.status + (" · 이월" if a.carried else "")
        if a.overdue:
            status = Paragraph(f"{_esc(status)} · <font color='#C44E52'><b>기한 경과</b></font>", st.cell)
        else:
            status = _cell(status, widths[5], st.cell)
        finding = _clip(a.finding, widths[2], st.cell, f"{a.code} 지적 내용", overflow)
        owner = _clip(a.owner, widths[3], st.cell, f"{a.code} 담당", overflow)
        data.append(
            [a.severity, a.code, _cell(finding, widths[2], st.cell), _cell(owner, widths[3], st.cell), a.due, status]
        )
        if a.severity == "상":
            styles.append(("BACKGROUND", (0, len(data) - 1), (0, len(data) - 1), colors.HexColor("#F8D7DA")))
    styles.append(("ALIGN", (0, 1), (1, -1), "CENTER"))
    out.append(_table(data, widths, styles))
    out += _overflow(overflow, st)
    return out


def _survey_section(sv: SurveyFacility | None, year: int, st: _Styles) -> list[Flowable]:
    if sv is None or sv.result is None:
        return [_para(f"{year}년 만족도 조사 결과를 아직 받지 않았습니다.", st.body)]
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
        _para(
            block("이용자", r.user, sv.user_score, False)
            + " · "
            + block("종사자", r.staff, sv.staff_score, sv.staff_suppressed),
            st.body,
        ),
        _para(f"환산 방식: {_esc(r.method_text)}", st.small),
    ]


def _facility_page(page: FacilityPage, report: MonthlyReport, st: _Styles) -> list[Flowable]:
    f = page.facility
    month = report.month
    out: list[Flowable] = [
        _Footer(_footer_text(page.bundles, st, detail=0)),
        _para(f"{f.code} {_esc(f.name)}", st.h1),
        _para(f"{_esc(f.group)} · {_esc(f.type)} · {f.account} · {f.operation}", st.subtitle),
        HRFlowable(width="100%", thickness=0.6, color=GRID, spaceBefore=2, spaceAfter=3),
    ]
    out.append(_para(f"1. 인력 현황 ({month.label}, 단위: 명)", st.h2))
    if page.staffing is not None:
        out.append(_staffing_table(page.staffing.computed, st))
        row = page.staffing_row
        if row is not None and row.previous_vacancy is not None:
            out.append(
                _para(
                    f"{page.staffing.cell.label} · 전월 결원 {_n(row.previous_vacancy)} → 당월 {_n(row.vacancy)} "
                    f"(증감 {fmt_int(row.vacancy_change, zero='0')})",
                    st.small,
                )
            )
        else:
            out.append(_para(page.staffing.cell.label, st.small))
    else:
        cell = page.staffing_row.cell if page.staffing_row else None
        due = f" (기한 {cell.due:%Y. %m. %d.})" if cell and cell.due else ""
        out.append(
            _para(
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
    out.append(CondPageBreak(20 * mm))
    out.append(_para(f"2. 예산 집행 ({month.label} 누계, 관·항·목, 단위: 천원)", st.h2))
    if page.budget is not None and page.budget.execution is not None:
        out += _budget_table(page.budget, st)
    else:
        label = page.budget.cell.label if page.budget is not None else DASH
        out.append(_para(f"{month.label} 예산집행 점검: {label}.", st.body))
    out.append(CondPageBreak(40 * mm))
    out.append(_para("3. 안전 점검 (최근 점검표의 열린 개선조치)", st.h2))
    out += _safety_section(page.safety, st)
    out.append(CondPageBreak(20 * mm))
    out.append(_para(f"4. 만족도 조사 ({report.survey_board.year}년)", st.h2))
    out += _survey_section(page.survey, report.survey_board.year, st)
    out.append(CondPageBreak(20 * mm))
    out.append(_para("5. 작성 메모 · 경고 설명 · 검토 의견", st.h2))
    if page.notes:
        for note in page.notes:
            context = f" <font color='#555555'>({_esc(note.context)})</font>" if note.context else ""
            out.append(
                _para(
                    f"· <b>[{SHORT_LABELS[note.form]} {note.period.label}] {_esc(note.kind)}</b>: {_esc(note.text)}{context}",
                    st.body,
                )
            )
    else:
        out.append(_para("없음", st.body))
    return out


def _rate_trend(page: FacilityPage, width: float, height: float) -> _Chart | None:
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


def build_story(
    report: MonthlyReport, st: _Styles, progress: Progress, cancelled: Callable[[], bool] | None
) -> list[Flowable]:
    total = len(report.pages) + 2
    story: list[Flowable] = [
        _Footer(_footer_text(report.bundles, st, detail=1)),
        _heading(report, st),
        Spacer(0, 4 * mm),
        _key_figures(report, st),
        _para(f"1. 시설별 종합 ({report.month.label} 보고 대상 {len(report.facilities)}개소)", st.h1),
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
            note=_months_note([(m, n) for m, _, n in report.vacancy_trend]),
        ),
    )
    if charts is not None:
        story += [Spacer(0, 3 * mm), charts]  # one row: never split
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
