"""월간 보고서 (head office): the month's summary on the page, and the signed-off sheet as PDF (reportlab, on the
worker), as the monthly workbook, or printed through Qt's print preview.

Printing draws the report with QPainter from the same ``MonthlyReport`` the PDF prints (there is no QtPdf to show
the PDF itself): a first page with the 결재 box, key figures and the summary of all facilities, the plan's staffing
table, then one page per facility (staffing, budget execution by 관·항·목 in 천원, open safety actions, survey,
notes), with page numbers, the generation time and the bundles behind each page in the footer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMarginsF, QRectF, Qt, QUrl
from PySide6.QtGui import QColor, QDesktopServices, QFont, QFontMetricsF, QPageLayout, QPageSize, QPainter, QPen
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QPushButton, QWidget

from jbdesk.domain.budget import EXPENSE, INCOME
from jbdesk.domain.forms import FormKind
from jbdesk.domain.hq import (
    SHORT_LABELS,
    SUPPRESSED_LABEL,
    FacilityPage,
    MonthlyReport,
    StaffingBoard,
    SubmissionState,
    TrackerCell,
)
from jbdesk.domain.numbers import fmt_decimal, fmt_int, fmt_percent, won_to_unit
from jbdesk.domain.periods import Period, PeriodKind
from jbdesk.i18n import tr
from jbdesk.services.workspace import Workspace
from jbdesk.ui.errors import show_error
from jbdesk.ui.pages.board_page import board_rows, not_received_text
from jbdesk.ui.widgets.hq_views import (
    CENTER,
    ERROR_BG,
    LEFT,
    RIGHT,
    WARN_BG,
    Cell,
    HqPage,
    Row,
    ViewModel,
    ViewTable,
    ask_save_path,
    default_month,
    num,
    safe_name,
    state_cell,
)

SUMMARY_HEADERS = ("구분", "시설", "인력 현황", "예산 점검", "정원", "현원", "결원", "결원 증감")


# -- the page ---------------------------------------------------------------------------------------------------------


def phase(report: Callable[[int, int, str], None], index: int, count: int) -> Callable[[int, int, str], None]:
    """Progress of step ``index`` of ``count`` as one bar (0-1000)."""

    def step(done: int, total: int, what: str) -> None:
        fraction = done / total if total else 1.0
        report(int((index + fraction) / count * 1000), 1000, what)

    return step


class ReportPage(HqPage):
    title_text = "월간 보고서"

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(ws, parent)
        self.board: StaffingBoard | None = None
        self.report: MonthlyReport | None = None
        self.printer: QPrinter | None = None  # kept: a QPrintPreviewDialog must not outlive its printer
        self.preview: QPrintPreviewDialog | None = None
        self.opened: list[QUrl] = []
        today = ws.consolidation.today
        self.add_period_selector(PeriodKind.MONTH, default_month(today), "보고 월(&M):")
        self.tools.addStretch(1)
        self.print_button = QPushButton(tr("미리보기·인쇄(&I)…"))
        self.print_button.setShortcut("Ctrl+P")
        self.print_button.setToolTip(tr("결재용 보고서를 미리 보고 인쇄합니다 (Ctrl+P)."))
        self.pdf_button = QPushButton(tr("PDF로 저장(&P)…"))
        self.pdf_button.setToolTip(tr("결재용 보고서(A4, 결재란·쪽 번호·근거 자료 포함)를 PDF로 저장합니다."))
        self.excel_button.setToolTip(
            tr("보고서의 모든 표(제출 현황, 인력, 예산, 안전, 만족도)를 엑셀 통합 문서로 저장합니다.")
        )
        for b in (self.print_button, self.pdf_button, self.excel_button):
            self.tools.addWidget(b)
        self.print_button.clicked.connect(self.print_preview)
        self.pdf_button.clicked.connect(self.save_pdf)

        self.caption = QLabel()
        self.caption.setStyleSheet("font-weight: bold;")
        self.body.addWidget(self.caption)
        self.model = ViewModel(SUMMARY_HEADERS)
        self.table = ViewTable(self.model, tr("보고 대상 시설 표"))
        self.table.setWordWrap(True)
        self.body.addWidget(self.table, 1)
        self.add_note(
            tr("보고서에는 이 표와 함께 예산 집행률, 안전 점검, 만족도, 시설별 쪽(인력·관항목별 집행·열린 개선조치·")
            + tr("메모)과 각 쪽의 근거 자료(시설·판·서명 키)가 실립니다. 만드는 데 몇 초 걸립니다.")
        )
        self.follow_period()

    @property
    def month(self) -> Period:
        return self.nav.period()

    # the summary on the page ------------------------------------------------------------------------------------
    def refresh(self) -> None:
        month = self.month
        try:
            self.board = self.ws.consolidation.staffing_board(month)
            budget = self.ws.consolidation.tracker(FormKind.BUDGET, month)
        except Exception as exc:
            show_error(self, exc)
            return
        board = self.board
        budget_cells = {row.facility.code: row.cells[0] for row in budget.rows}
        rows = []
        for group in board.groups:
            for i, r in enumerate(group.rows):
                b = budget_cells.get(r.facility.code)
                rows.append(
                    Row(
                        (
                            Cell(group.name if i == 0 else "", align=CENTER),
                            Cell(
                                f"{r.facility.code} {r.facility.name}",
                                background=ERROR_BG if r.cell.state is SubmissionState.MISSING else None,
                            ),
                            state_cell(r.cell),
                            state_cell(b) if b is not None else Cell("–", align=CENTER),
                            num(fmt_int(r.authorized)),
                            num(fmt_int(r.current)),
                            num(fmt_int(r.vacancy)),
                            num(fmt_int(r.vacancy_change)),
                        ),
                        value=r,
                    )
                )
        t = board.total
        rows.append(
            Row(
                (
                    Cell(tr("계"), align=CENTER),
                    Cell(tr(f"{t.received}/{t.facilities}개소 제출")),
                    Cell(),
                    Cell(),
                    num(fmt_int(t.authorized)),
                    num(fmt_int(t.current)),
                    num(fmt_int(t.vacancy)),
                    num(fmt_int(t.vacancy_change)),
                ),
                kind="total",
                value=t,
            )
        )
        self.table.clearSpans()
        self.model.set_rows(rows, [tr(h) for h in SUMMARY_HEADERS])
        first = 0
        for group in board.groups:
            if len(group.rows) > 1:
                self.table.setSpan(first, 0, len(group.rows), 1)
            first += len(group.rows)
        self.table.fit_columns()
        self.table.horizontalHeader().resizeSection(0, 150)
        title = tr(f"{month.year}년 {month.index}월 소속시설 운영 현황")
        self.caption.setText(tr(f"보고 대상 {t.facilities}개소 (인력 현황·예산 점검 제출 상태, 단위: 명)"))
        self.summary.setText(self._summary_text(title, board, list(budget_cells.values())))

    def _summary_text(self, title: str, board: StaffingBoard, budget: Sequence[TrackerCell]) -> str:
        t = board.total
        text = f"<b>{escape(title)}</b><br>" + tr(
            f"인력: <b>{t.totals_line}</b> ({t.received}/{t.facilities}개소 제출)"
        )
        late = [r.facility.code for r in board.rows if r.cell.late]
        returned = [r.facility.code for r in board.rows if r.cell.state is SubmissionState.RETURNED]
        got_budget = sum(1 for c in budget if c.received)
        text += tr(f" · 예산 점검 {got_budget}/{len(budget)}개소 제출")
        if late:
            text += tr(f" · 지연 {', '.join(late)}")
        if returned:
            text += tr(f" · 보완요청 {', '.join(returned)}")
        return text + "<br>" + tr("인력 현황: ") + not_received_text(board)

    def views(self) -> list[Any]:
        return [self.board] if self.board is not None else []

    def export_name(self) -> str:
        return tr(f"{self.month.year}년 {self.month.index}월 소속시설 운영 현황")

    # long work --------------------------------------------------------------------------------------------------
    def _set_busy(self, busy: bool) -> None:
        for b in (self.print_button, self.pdf_button, self.excel_button):
            b.setEnabled(not busy)

    def _build_then(self, title: str, write: Callable[[MonthlyReport, Any, Any], Any] | None, on_done) -> Any:
        from jbdesk.services.consolidation import require_received

        month, svc = self.month, self.ws.consolidation
        steps = 2 if write is not None else 1

        def work(report, cancelled):
            built = svc.monthly_report(month, progress=phase(report, 0, steps), cancelled=cancelled)
            require_received(built)
            result = write(built, phase(report, 1, steps), cancelled) if write is not None else None
            return built, result

        def done(value: tuple[MonthlyReport, Any]) -> None:
            self._set_busy(False)
            self.report = value[0]
            on_done(*value)

        task = self.start(title, work, done)
        if task is not None:
            self._set_busy(True)
        return task

    def _finish(self) -> None:
        super()._finish()
        self._set_busy(False)

    def save_pdf(self) -> Any:
        if self.task is not None:
            return None
        path = ask_save_path(
            self, tr("PDF로 저장"), safe_name(self.export_name()) + ".pdf", ".pdf", tr("PDF 문서 (*.pdf)")
        )
        if path is None:
            return None
        svc = self.ws.consolidation

        def write(report: MonthlyReport, progress: Any, cancelled: Any) -> Path:
            return svc.write_monthly_pdf(report, path, progress=progress, cancelled=cancelled)

        return self._build_then(tr("보고서 PDF를 만드는 중"), write, self._pdf_saved)

    def _pdf_saved(self, report: MonthlyReport, path: Path) -> None:
        self.last_saved = path
        self.status.setText(tr(f"저장했습니다: {path}"))
        answer = QMessageBox.question(
            self, tr("PDF로 저장"), tr(f"{report.title} PDF를 저장했습니다.\n{path}\n\n지금 열어 볼까요?")
        )
        if answer == QMessageBox.StandardButton.Yes:
            url = QUrl.fromLocalFile(str(path))
            self.opened.append(url)
            QDesktopServices.openUrl(url)

    def export_excel(self) -> Any:
        if self.task is not None:
            return None
        path = ask_save_path(self, tr("엑셀로 저장"), safe_name(self.export_name()) + ".xlsx", ".xlsx",
                             tr("Excel 통합 문서 (*.xlsx)"))  # fmt: skip
        if path is None:
            return None
        svc = self.ws.consolidation

        def write(report: MonthlyReport, progress: Any, cancelled: Any) -> Path:
            return svc.write_monthly_xlsx(report, path, progress=progress, cancelled=cancelled)

        return self._build_then(tr("보고서 엑셀 파일을 만드는 중"), write, lambda _r, p: self._saved(p))

    def print_preview(self) -> Any:
        return self._build_then(tr("인쇄할 보고서를 만드는 중"), None, lambda report, _none: self.show_preview(report))

    def show_preview(self, report: MonthlyReport) -> QPrintPreviewDialog:
        self.report = report
        self.printer = make_printer()
        self.preview = QPrintPreviewDialog(self.printer, self)
        self.preview.setWindowTitle(tr("인쇄 미리보기 — ") + report.title)
        self.preview.resize(980, 760)
        self.preview.paintRequested.connect(self._paint)
        self.preview.open()
        return self.preview

    def _paint(self, printer: QPrinter) -> None:
        if self.report is not None:
            paint_report(printer, self.report)


def make_printer() -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(15, 14, 15, 12),
            QPageLayout.Unit.Millimeter,
        )
    )
    printer.setDocName("jbdesk")
    return printer


# -- painting the report ----------------------------------------------------------------------------------------------

GRID = QColor("#7F7F7F")
HEAD_BG = "#E8ECF2"
TOTAL_BG = "#F3F3F3"


@dataclass(frozen=True)
class Col:
    header: str
    width: float  # relative
    align: str = LEFT


class _Sheet:
    """Lays the report out page by page (measured on the printer), then paints it with page numbers."""

    def __init__(self, printer: QPrinter, report: MonthlyReport) -> None:
        self.printer = printer
        self.report = report
        rect = printer.pageLayout().paintRectPixels(printer.resolution())
        self.mm = printer.resolution() / 25.4
        self.width = float(rect.width())
        self.footer_h = 16 * self.mm
        self.bottom = float(rect.height()) - self.footer_h
        self.family = QApplication.font().family()
        self.pages: list[list[Callable[[QPainter], None]]] = []
        self.footers: list[str] = []
        self.y = 0.0
        self.footer_text = ""

    # fonts and measuring ----------------------------------------------------------------------------------------
    def font(self, size: float, bold: bool = False) -> QFont:
        font = QFont(self.family)
        font.setPointSizeF(size)
        font.setBold(bold)
        return font

    def measure(self, text: str, font: QFont, width: float, flags: int) -> float:
        metrics = QFontMetricsF(font, self.printer)
        return metrics.boundingRect(QRectF(0, 0, max(width, 1.0), 1e7), flags, text).height()

    # pages ------------------------------------------------------------------------------------------------------
    def new_page(self, footer: str | None = None) -> None:
        self.pages.append([])
        self.footers.append(self.footer_text if footer is None else footer)
        self.y = 0.0

    def need(self, height: float) -> None:
        if not self.pages or self.y + height > self.bottom:
            self.new_page()

    def op(self, fn: Callable[[QPainter], None]) -> None:
        self.pages[-1].append(fn)

    def gap(self, mm: float) -> None:
        self.y += mm * self.mm

    def text(self, text: str, size: float = 9, bold: bool = False, colour: str = "#000000", x: float = 0,
             width: float | None = None, align: str = LEFT) -> None:  # fmt: skip
        font = self.font(size, bold)
        w = width if width is not None else self.width - x
        flags = int(_QT_ALIGN[align] | Qt.TextFlag.TextWordWrap)
        h = self.measure(text, font, w, flags)
        self.need(h)
        rect = QRectF(x, self.y, w, h)

        def draw(p: QPainter) -> None:
            p.setFont(font)
            p.setPen(QColor(colour))
            p.drawText(rect, flags, text)

        self.op(draw)
        self.y += h

    def table(self, cols: Sequence[Col], rows: Sequence[Row], size: float = 7.5) -> None:
        """A ruled table; the header row repeats on every page it runs over. In 소계/계 rows a label runs on over
        the empty text columns after it (as merged cells do on paper)."""
        total = sum(c.width for c in cols)
        widths = [c.width / total * self.width for c in cols]
        pad = 1.0 * self.mm
        head_font, body_font, bold_font = self.font(size, True), self.font(size), self.font(size, True)
        wrap = int(Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap)
        head = Row(tuple(Cell(tr(c.header), background=HEAD_BG, align=CENTER) for c in cols), kind="head")

        def layout(row: Row) -> list[tuple[Cell, float, float, Col]]:
            """(cell, x, width, column) of what is drawn, spans applied."""
            cells = list(row.cells) + [Cell()] * (len(cols) - len(row.cells))
            out, x, i = [], 0.0, 0
            while i < len(cols):
                w, j = widths[i], i + 1
                if row.kind in ("total", "subtotal") and cells[i].text and cols[i].align != RIGHT:
                    while j < len(cols) and not cells[j].text and cols[j].align != RIGHT:
                        w += widths[j]
                        j += 1
                out.append((cells[i], x, w, cols[i]))
                x += w
                i = j
            return out

        def height(parts: list[tuple[Cell, float, float, Col]], font: QFont) -> float:
            return max(self.measure(c.text or " ", font, w - 2 * pad, wrap) for c, _x, w, _col in parts) + 2 * pad

        def put(row: Row, parts: list[tuple[Cell, float, float, Col]], h: float) -> None:
            y = self.y

            def draw(p: QPainter) -> None:
                p.setPen(QPen(GRID, max(self.mm * 0.15, 1)))
                for cell, x, w, _col in parts:
                    rect = QRectF(x, y, w, h)
                    bg = cell.background or row.background or (TOTAL_BG if row.kind in ("total", "subtotal") else None)
                    if bg:
                        p.fillRect(rect, QColor(bg))
                    p.drawRect(rect)
                for cell, x, w, col in parts:
                    bold = row.kind != "data" if cell.bold is None else cell.bold
                    p.setFont(bold_font if bold else body_font)
                    p.setPen(QColor(cell.foreground or "#000000"))
                    align = CENTER if row.kind == "head" else cell.align
                    if align == LEFT and col.align != LEFT and row.kind != "head":
                        align = col.align
                    flags = int(_QT_ALIGN[align] | Qt.TextFlag.TextWordWrap)
                    p.drawText(QRectF(x + pad, y + pad, w - 2 * pad, h - 2 * pad), flags, cell.text)

            self.op(draw)
            self.y += h

        head_parts = layout(head)
        head_h = height(head_parts, head_font)
        self.need(head_h * 2)
        put(head, head_parts, head_h)
        for row in rows:
            parts = layout(row)
            h = height(parts, bold_font if row.kind != "data" else body_font)
            if self.y + h > self.bottom:
                self.new_page()
                put(head, head_parts, head_h)
            put(row, parts, h)

    # painting ---------------------------------------------------------------------------------------------------
    def paint(self) -> int:
        painter = QPainter()
        if not painter.begin(self.printer):
            return 0
        try:
            n = len(self.pages)
            for i, ops in enumerate(self.pages):
                if i:
                    self.printer.newPage()
                for fn in ops:
                    fn(painter)
                self._footer(painter, i + 1, n, self.footers[i])
        finally:
            painter.end()
        return len(self.pages)

    def _footer(self, p: QPainter, page: int, pages: int, bundles: str) -> None:
        r = self.report
        top = self.bottom + 3 * self.mm
        p.setPen(QPen(GRID, max(self.mm * 0.15, 1)))
        p.drawLine(0, int(top), int(self.width), int(top))
        small = self.font(6)
        p.setFont(small)
        p.setPen(QColor("#444444"))
        flags = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap)
        p.drawText(QRectF(0, top + 0.8 * self.mm, self.width, 8 * self.mm), flags, bundles)
        line = f"{r.hq_name} · {r.title} · {tr('출력')} {r.generated_at:%Y-%m-%d %H:%M}"
        base = QRectF(0, self.bottom + self.footer_h - 4 * self.mm, self.width, 4 * self.mm)
        p.setFont(self.font(7))
        p.drawText(base, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), line)
        p.drawText(base, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), f"{page} / {pages}")


_QT_ALIGN = {
    LEFT: Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
    RIGHT: Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
    CENTER: Qt.AlignmentFlag.AlignCenter,
}


def _bundles_text(page: FacilityPage | None, report: MonthlyReport) -> str:
    if page is None:
        return tr(
            "근거 자료: 시설별 쪽 아래에 시설·판·서명 키를 적었습니다. 같은 내용이 PDF와 엑셀(근거자료)에 있습니다."
        )
    if not page.bundles:
        return tr("근거 자료: 이 시설에서 받은 이 달 보고가 없습니다.")
    return tr("근거 자료(서명된 보고 파일): ") + " · ".join(b.label for b in page.bundles)


def _pct(value: float | None) -> str:
    return fmt_percent(value) if value is not None else "–"


def _score(value: float | None) -> str:
    return fmt_decimal(value) if value is not None else "–"


def _won_k(value: int) -> str:
    return fmt_int(int(won_to_unit(value, 1000)))


def _approval_box(sheet: _Sheet) -> None:
    mm = sheet.mm
    labels = [tr("담당"), tr("팀장"), tr("원장")]
    cell_w, label_w, head_h, sign_h = 20 * mm, 7 * mm, 6 * mm, 15 * mm
    x0 = sheet.width - label_w - cell_w * len(labels)
    font = sheet.font(8)

    def draw(p: QPainter) -> None:
        p.setPen(QPen(QColor("#000000"), max(mm * 0.2, 1)))
        p.setFont(font)
        p.drawRect(QRectF(x0, 0, label_w, head_h + sign_h))
        p.drawText(QRectF(x0, 0, label_w, head_h + sign_h), int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap),
                   tr("결\n재"))  # fmt: skip
        for i, label in enumerate(labels):
            x = x0 + label_w + i * cell_w
            p.drawRect(QRectF(x, 0, cell_w, head_h))
            p.drawRect(QRectF(x, head_h, cell_w, sign_h))
            p.drawText(QRectF(x, 0, cell_w, head_h), int(Qt.AlignmentFlag.AlignCenter), label)

    sheet.op(draw)


def _summary_rows(report: MonthlyReport) -> list[Row]:
    rows = []
    for s in report.summary:
        f = s.facility
        staff = tr(SUPPRESSED_LABEL) if s.staff_suppressed else _score(s.staff_score)
        grade = s.safety_grade or "–"
        rows.append(
            Row(
                (
                    Cell(f"{f.code} {f.name}"),
                    Cell(s.staffing.label, background=s.staffing.colour, align=CENTER),
                    Cell(s.budget.label, background=s.budget.colour, align=CENTER),
                    num(fmt_int(s.authorized)),
                    num(fmt_int(s.current)),
                    num(fmt_int(s.vacancy)),
                    num(_pct(s.rate)),
                    Cell(grade, align=CENTER),
                    num(_score(s.user_score)),
                    Cell(staff, align=RIGHT),
                )
            )
        )
    t = report.staffing_board.total
    b = report.budget_board.total
    rows.append(
        Row(
            (
                Cell(tr(f"계 ({t.received}/{t.facilities}개소 제출)")),
                Cell(),
                Cell(),
                num(fmt_int(t.authorized)),
                num(fmt_int(t.current)),
                num(fmt_int(t.vacancy)),
                num(_pct(b.rate)),
                Cell(),
                Cell(),
                Cell(),
            ),
            kind="total",
        )
    )
    return rows


SUMMARY_COLS = (
    Col("시설", 34), Col("인력 현황", 13, CENTER), Col("예산 점검", 13, CENTER), Col("정원", 6, RIGHT),
    Col("현원", 6, RIGHT), Col("결원", 6, RIGHT), Col("집행률", 8, RIGHT), Col("안전", 6, CENTER),
    Col("이용자", 7, RIGHT), Col("종사자", 9, RIGHT),
)  # fmt: skip
BOARD_COLS = (
    Col("구분", 14), Col("유형", 16), Col("시설명", 32), Col("정원", 6, RIGHT), Col("현원", 6, RIGHT),
    Col("결원", 6, RIGHT), Col("전월 결원", 8, RIGHT), Col("증감", 6, RIGHT), Col("제출 상태", 14, CENTER),
)  # fmt: skip
STAFF_COLS = (
    Col("직종", 20), Col("정원", 6, RIGHT), Col("현원", 6, RIGHT), Col("결원", 6, RIGHT), Col("입사", 6, RIGHT),
    Col("퇴사", 6, RIGHT), Col("휴직", 6, RIGHT), Col("수습", 6, RIGHT), Col("대체인력 근무일", 9, RIGHT),
    Col("겸직 신고", 7, RIGHT), Col("직접 고용", 7, RIGHT),
)  # fmt: skip
BUDGET_COLS = (
    Col("구분", 6, CENTER), Col("관", 12), Col("항", 12), Col("목", 16), Col("예산현액", 11, RIGHT),
    Col("당월", 10, RIGHT), Col("누계", 11, RIGHT), Col("집행률", 8, RIGHT), Col("잔액", 11, RIGHT),
    Col("비고(사유)", 22),
)  # fmt: skip
ACTION_COLS = (
    Col("위험", 6, CENTER), Col("항목", 12, CENTER), Col("지적 내용", 40), Col("담당", 12), Col("기한", 11, CENTER),
    Col("상태", 16, CENTER),
)  # fmt: skip


def _first_pages(sheet: _Sheet) -> None:
    r = sheet.report
    sheet.footer_text = _bundles_text(None, r)
    sheet.new_page()
    _approval_box(sheet)
    left = sheet.width - 75 * sheet.mm
    sheet.text(r.title, 16, True, width=left)
    sheet.gap(1.5)
    sheet.text(r.hq_name, 9, colour="#333333", width=left)
    sheet.text(
        tr(f"기준: {r.month.label} 보고 (다음 달 {r.due_day}일까지 제출) · 작성 {r.generated_at:%Y. %m. %d. %H:%M}"),
        8, colour="#333333", width=left,
    )  # fmt: skip
    sheet.y = max(sheet.y, 23 * sheet.mm)
    sheet.gap(3)
    t = r.staffing_board.total
    lines = [tr(f"인력: {t.facilities}개소 중 {t.received}개소 제출 · {t.totals_line}")]
    if t.vacancy_change is not None:
        lines[-1] += tr(f" (전월 대비 결원 증감 {fmt_int(t.vacancy_change)})")
    missing = [row.facility for row in r.staffing_board.rows if not row.received]
    if missing:
        lines.append(tr("인력 현황 미제출: ") + ", ".join(f"{f.code} {f.name}" for f in missing))
    b = r.budget_board.total
    lines.append(
        tr(f"예산 집행: {b.facilities}개소 중 {b.received}개소 제출 · 세출 집행률(누계) {_pct(b.rate)} ")
        + tr(f"(계획 {_pct(r.budget_board.planned_rate)}) · 세출 예산 {_won_k(b.expense.budget)}천원 중 ")
        + tr(f"{_won_k(b.expense.cumulative)}천원 집행")
    )
    s = r.safety_board
    lines.append(
        tr(f"안전 점검({s.half.label}까지 최근 점검표): 열린 개선조치 {s.open_actions}건 · 조치 완료율 ")
        + _pct(s.completion_rate)
        + (tr(f" (목표 {int(s.target.value)}{s.target.unit.suffix})") if s.target is not None else "")
    )
    sv = r.survey_board
    if sv.user is not None:
        lines.append(
            tr(f"만족도({sv.year}년): 이용자 {_score(sv.user.score)}점 · 종사자 ")
            + tr(f"{_score(sv.staff.score if sv.staff else None)}점 (응답자 가중)")
        )
    else:
        lines.append(tr(f"만족도: {sv.year}년 조사 결과를 받은 시설이 없습니다."))
    for line in lines:
        sheet.text("· " + line, 8.5)
        sheet.gap(0.8)
    sheet.gap(3)
    sheet.text(tr(f"1. 시설별 종합 ({r.month.label} 보고 대상 {len(r.facilities)}개소)"), 11, True)
    sheet.gap(1.5)
    sheet.table(SUMMARY_COLS, _summary_rows(r))
    sheet.gap(1)
    sheet.text(
        tr("제출 상태: 접수 · 접수대기 · 보완요청 · 미제출 · 기한 전, '지연' = 기한 뒤 첫 제출, n판 = 받은 판. 집행률 = ")
        + tr(f"세출 누계 ÷ 예산현액. 만족도는 100점 환산, 종사자 응답 3명 미만은 '{SUPPRESSED_LABEL}'."),
        6.5, colour="#444444",
    )  # fmt: skip
    sheet.gap(5)
    sheet.text(tr(f"2. 소속시설(위수탁) 현황 ({r.month.label}, 단위: 명)"), 11, True)
    sheet.gap(1.5)
    rows, _spans = board_rows(r.staffing_board)
    sheet.table(BOARD_COLS, rows)
    sheet.gap(1)
    sheet.text(
        tr("결원 = 현원 − 정원 (△: 모자라는 인원). 미제출 시설은 합계에서 빠집니다. 증감 = 당월 결원 − 전월 결원."),
        6.5, colour="#444444",
    )  # fmt: skip


def _facility_pages(sheet: _Sheet, page: FacilityPage) -> None:
    r = sheet.report
    f = page.facility
    sheet.footer_text = _bundles_text(page, r)
    sheet.new_page()
    sheet.text(f"{f.code} {f.name}", 14, True)
    sheet.text(f"{f.group} · {f.type} · {f.account} · {f.operation}", 8.5, colour="#444444")
    sheet.gap(3)
    sheet.text(tr(f"1. 인력 현황 ({r.month.label}, 단위: 명)"), 10.5, True)
    sheet.gap(1)
    if page.staffing is not None and page.staffing.computed is not None:
        summary = page.staffing.computed
        rows = []
        for line in (*summary.rows, summary.total):
            is_total = line is summary.total
            rows.append(
                Row(
                    (
                        Cell(tr("계") if is_total else line.job_family),
                        *[
                            num(fmt_int(v))
                            for v in (
                                line.authorized,
                                line.current,
                                line.vacancy,
                                line.hires,
                                line.leavers,
                                line.on_leave,
                                line.probation,
                                line.substitute_days,
                                line.side_job_reports,
                                line.direct_employment,
                            )
                        ],
                    ),
                    kind="total" if is_total else "data",
                )
            )
        sheet.table(STAFF_COLS, rows)
        row = page.staffing_row
        note = page.staffing.cell.label
        if row is not None and row.previous_vacancy is not None:
            note += tr(
                f" · 전월 결원 {fmt_int(row.previous_vacancy)} → 당월 {fmt_int(row.vacancy)} (증감 {fmt_int(row.vacancy_change)})"
            )
        sheet.text(note, 7, colour="#444444")
    else:
        cell = page.staffing_row.cell if page.staffing_row else None
        label = cell.label if cell else tr("미제출")
        due = tr(f" (기한 {cell.due:%Y-%m-%d})") if cell and cell.due else ""
        sheet.text(
            tr(f"{r.month.label} 인력 현황 {label}{due}. 참고: 등록부 {f.reference_as_of:%Y-%m-%d} 기준 ")
            + tr(f"정원 {f.reference_authorized} · 현원 {f.reference_current}"),
            8.5, True, colour="#8A1C1C",
        )  # fmt: skip
    trend = [f"{p.index}월 {fmt_int(v) if v is not None else '–'}" for p, v in page.vacancy_trend]
    rates = [f"{p.index}월 {_pct(v)}" for p, v in page.rate_trend]
    sheet.gap(1)
    sheet.text(tr("결원 추이: ") + " · ".join(trend), 7, colour="#444444")
    sheet.text(tr("세출 집행률 추이: ") + " · ".join(rates), 7, colour="#444444")
    sheet.gap(3)
    sheet.text(tr(f"2. 예산 집행 ({r.month.label} 누계, 관·항·목, 단위: 천원)"), 10.5, True)
    sheet.gap(1)
    b = page.budget
    if b is not None and b.execution is not None:
        ex = b.execution
        flags = {fl.key: fl for fl in b.flags}
        rows = []
        for side in (INCOME, EXPENSE):
            lines = [
                x
                for x in ex.rows
                if x.side == side and (x.amounts.budget or x.amounts.cumulative or x.amounts.this_month)
            ]
            for x in lines:
                a = x.amounts
                flag = flags.get(x.key)
                remark = x.reason
                if flag is not None:
                    remark = "·".join(flag.kinds) + ": " + (flag.reason.strip() or tr("사유 없음"))
                mok = x.mok + (f" ({x.semok})" if x.semok else "")
                rows.append(
                    Row(
                        (
                            Cell(side),
                            Cell(x.gwan),
                            Cell(x.hang),
                            Cell(mok),
                            num(_won_k(a.budget)),
                            num(_won_k(a.this_month)),
                            num(_won_k(a.cumulative)),
                            num(_pct(a.rate)),
                            num(_won_k(a.remainder)),
                            Cell(remark),
                        ),
                        background=(ERROR_BG if not flag.explained else WARN_BG) if flag is not None else None,
                    )
                )
            total = next((t.amounts for t in ex.side_totals if t.side == side), None)
            if total is not None and lines:
                rows.append(
                    Row(
                        (
                            Cell(tr(f"{side} 계")),
                            Cell(),
                            Cell(),
                            Cell(),
                            num(_won_k(total.budget)),
                            num(_won_k(total.this_month)),
                            num(_won_k(total.cumulative)),
                            num(_pct(total.rate)),
                            num(_won_k(total.remainder)),
                            Cell(),
                        ),
                        kind="total",
                    )
                )
        sheet.table(BUDGET_COLS, rows, 7)
        version = tr(f"{ex.version_name} 기준") if ex.version_name else tr("적용 예산 없음")
        sheet.text(
            version + tr(f" · 계획 집행률(월할) {_pct(ex.month / 12)} · 노란 줄: 사유가 필요한 과목 (붉은 줄: 사유 없음)"),
            6.5, colour="#444444",
        )  # fmt: skip
    else:
        label = b.cell.label if b is not None else "–"
        sheet.text(tr(f"{r.month.label} 예산집행 점검: {label}."), 8.5)
    sheet.gap(3)
    sheet.text(tr("3. 안전 점검 (최근 점검표의 열린 개선조치)"), 10.5, True)
    sheet.gap(1)
    sf = page.safety
    if sf is None or sf.score is None:
        sheet.text(tr(f"받은 안전 점검표가 없습니다 ({sf.cell.label if sf is not None else '–'})."), 8.5)
    else:
        s = sf.score
        grade = (s.grade or "–") + (tr(" (조치가 끝나지 않은 '상' 위험으로 상한)") if s.grade_capped else "")
        sheet.text(
            tr(f"{sf.period.label if sf.period else ''} 점검표 ({sf.cell.label}, 점검일 {sf.checked_on}): 점수 ")
            + tr(f"{_score(s.score)}점 · 등급 {grade} · 개선조치 {s.actions_raised}건 중 기한 내 완료 ")
            + tr(f"{s.actions_closed_on_time}건, 완료율 {_pct(s.completion_rate)}"),
            8.5,
        )
        if s.open_actions:
            sheet.gap(1)
            rows = []
            for action in s.open_actions:
                status = (
                    action.status
                    + (tr(" · 이월") if action.carried else "")
                    + (tr(" · 기한 경과") if action.overdue else "")
                )
                rows.append(
                    Row(
                        (
                            Cell(action.severity),
                            Cell(action.code),
                            Cell(action.finding),
                            Cell(action.owner),
                            Cell(action.due),
                            Cell(status, foreground="#B00020" if action.overdue else None),
                        ),
                        background="#F8D7DA" if action.severity == "상" else None,
                    )
                )
            sheet.table(ACTION_COLS, rows, 7)
        else:
            sheet.text(tr("열린 개선조치가 없습니다."), 8.5)
    sheet.gap(3)
    year = r.survey_board.year
    sheet.text(tr(f"4. 만족도 조사 ({year}년)"), 10.5, True)
    sheet.gap(1)
    sv = page.survey
    if sv is None or sv.result is None:
        sheet.text(tr(f"{year}년 만족도 조사 결과를 아직 받지 않았습니다."), 8.5)
    else:
        staff = tr(SUPPRESSED_LABEL) if sv.staff_suppressed else tr(f"{_score(sv.staff_score)}점")
        sheet.text(
            tr(f"이용자 {_score(sv.user_score)}점 (유효 응답 {fmt_int(sv.result.user.valid)}명) · 종사자 {staff}"),
            8.5,
        )
    sheet.gap(3)
    sheet.text(tr("5. 작성 메모 · 경고 설명 · 검토 의견"), 10.5, True)
    sheet.gap(1)
    if page.notes:
        for entry in page.notes:
            context = f" ({entry.context})" if entry.context else ""
            sheet.text(f"· [{SHORT_LABELS[entry.form]} {entry.period.label}] {entry.kind}: {entry.text}{context}", 8)
    else:
        sheet.text(tr("없음"), 8.5)


def layout_report(printer: QPrinter, report: MonthlyReport) -> _Sheet:
    sheet = _Sheet(printer, report)
    _first_pages(sheet)
    for page in report.pages:
        _facility_pages(sheet, page)
    return sheet


def paint_report(printer: QPrinter, report: MonthlyReport) -> int:
    """Draw the monthly report on ``printer`` (a real printer, the preview or a PDF file); returns the page count."""
    return layout_report(printer, report).paint()
