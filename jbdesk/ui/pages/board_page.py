"""인력 현황판 (head office): the plan's table 소속시설(위수탁) 현황 for a month — 구분, 유형, 시설, 정원, 현원, 결원 (△),
the change in 결원 against the previous month, 소계 per group and 계; facilities that sent nothing are marked and left
out of the sums (the service's rule)."""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtWidgets import QLabel, QWidget

from jbdesk.domain.hq import StaffingBoard, StaffingBoardRow, StaffingSubtotal, SubmissionState
from jbdesk.domain.numbers import fmt_int
from jbdesk.domain.periods import Period, PeriodKind
from jbdesk.i18n import tr
from jbdesk.services.workspace import Workspace
from jbdesk.ui.errors import show_error
from jbdesk.ui.widgets.hq_views import (
    CENTER,
    ERROR_BG,
    Cell,
    HqPage,
    Row,
    ViewModel,
    ViewTable,
    default_month,
    num,
    state_cell,
)

HEADERS = ("구분", "유형", "시설명", "정원", "현원", "결원", "전월 결원", "증감", "제출 상태")
TIPS = (
    "",
    "",
    "",
    "받은 월별 인력 현황의 정원 합계",
    "받은 월별 인력 현황의 현원 합계",
    "결원 = 현원 − 정원 (△: 모자라는 인원)",
    "같은 시설의 전월 결원",
    "증감 = 당월 결원 − 전월 결원 (△: 결원이 늘어남), 두 달 모두 낸 시설만",
    "이 달 월별 인력 현황의 제출 상태",
)


def _n(value: int | None) -> str:
    return fmt_int(value)


def _facility_row(r: StaffingBoardRow, group: str) -> Row:
    f = r.facility
    missing = r.cell.state is SubmissionState.MISSING
    tip = ""
    if not r.received:
        tip = tr(
            f"{f.name}: 이 달 보고를 아직 받지 않아 합계에서 뺐습니다 ({r.cell.label}). 등록부 기준 정원 "
            f"{f.reference_authorized} · 현원 {f.reference_current} ({f.reference_as_of:%Y-%m-%d}, 참고)"
        )
    return Row(
        (
            Cell(group, align=CENTER),
            Cell(f.type),
            Cell(f.name, background=ERROR_BG if missing else None, tooltip=f"{f.code} {f.name}"),
            num(_n(r.authorized)),
            num(_n(r.current)),
            num(_n(r.vacancy)),
            num(_n(r.previous_vacancy)),
            num(_n(r.vacancy_change)),
            state_cell(r.cell),
        ),
        value=r,
        tooltip=tip,
    )


def _subtotal_row(first: str, second: str, s: StaffingSubtotal, kind: str, status: str) -> Row:
    return Row(
        (
            Cell(first, align=CENTER),
            Cell(second, align=CENTER),
            Cell(),
            num(_n(s.authorized)),
            num(_n(s.current)),
            num(_n(s.vacancy)),
            num(_n(s.previous_vacancy)),
            num(_n(s.vacancy_change)),
            Cell(status, align=CENTER, foreground="#B00020" if s.missing else None),
        ),
        kind=kind,
        value=s,
    )


def board_rows(board: StaffingBoard) -> tuple[list[Row], list[tuple[int, int, int, int]]]:
    """Rows in the plan's layout and the spans (row, column, rows, columns) that merge the group cells."""
    rows: list[Row] = []
    spans: list[tuple[int, int, int, int]] = []
    for group in board.groups:
        first = len(rows)
        for i, r in enumerate(group.rows):
            rows.append(_facility_row(r, group.name if i == 0 else ""))
        s = group.subtotal
        status = tr(f"{s.missing}개소 미제출") if s.missing else tr(f"{s.received}개소")
        spans.append((len(rows), 1, 1, 2))
        rows.append(_subtotal_row("", tr("소계"), s, "subtotal", status))
        spans.append((first, 0, len(rows) - first, 1))
    t = board.total
    spans.append((len(rows), 0, 1, 3))
    rows.append(_subtotal_row(tr("계"), "", t, "total", tr(f"{t.received}/{t.facilities}개소")))
    return rows, spans


def not_received_text(board: StaffingBoard) -> str:
    """Who is missing (past the due date, red) and who is not due yet; both are left out of the sums."""
    missing = [r.facility for r in board.rows if r.cell.state is SubmissionState.MISSING]
    pending = [r.facility for r in board.rows if not r.received and r.cell.state is not SubmissionState.MISSING]
    parts = []
    if missing:
        names = ", ".join(f"{escape(f.code)} {escape(f.name)}" for f in missing)
        parts.append(f"<span style='color:#B00020'>{tr(f'미제출 {len(missing)}개소: {names}')}</span>")
    if pending:
        names = ", ".join(escape(f.code) for f in pending)
        parts.append(tr(f"아직 받지 않음(기한 전) {len(pending)}개소: {names}"))
    if not parts:
        return tr("모든 시설이 냈습니다.")
    return " · ".join(parts) + tr(" — 받지 않은 시설은 합계에서 빠집니다.")


class BoardPage(HqPage):
    title_text = "인력 현황판"

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(ws, parent)
        self.board: StaffingBoard | None = None
        today = ws.consolidation.today
        self.add_period_selector(PeriodKind.MONTH, default_month(today), "월(&M):")
        self.finish_tools()
        self.caption = QLabel()
        self.caption.setStyleSheet("font-weight: bold;")
        self.body.addWidget(self.caption)
        self.model = ViewModel(HEADERS)
        self.table = ViewTable(self.model, tr("소속시설 현황 표"))
        self.table.setWordWrap(True)  # the group names in their merged cells
        self.body.addWidget(self.table, 1)
        self.add_note(
            tr("결원 = 현원 − 정원 (△: 모자라는 인원). 증감 = 당월 결원 − 전월 결원 (△: 결원이 늘어남). ")
            + tr("미제출 시설(붉은 칸)은 소계·계에서 빠집니다. 단위: 명")
        )
        self.follow_period()

    @property
    def month(self) -> Period:
        return self.nav.period()

    def refresh(self) -> None:
        try:
            self.board = self.ws.consolidation.staffing_board(self.month)
        except Exception as exc:
            show_error(self, exc)
            return
        board = self.board
        rows, spans = board_rows(board)
        self.table.clearSpans()
        self.model.set_rows(rows, [tr(h) for h in HEADERS], [tr(t) for t in TIPS])
        for r, c, nr, nc in spans:
            if nr > 1 or nc > 1:
                self.table.setSpan(r, c, nr, nc)
        self.table.fit_columns()
        self.table.horizontalHeader().resizeSection(0, 150)  # group names wrap in their merged cells
        self.caption.setText(tr(f"소속시설(위수탁) 현황 ({board.month.label}, 단위: 명)"))
        self.summary.setText(self._summary_text(board))

    def _summary_text(self, board: StaffingBoard) -> str:
        t = board.total
        text = f"<b>{board.month.label}</b> — <b>{t.totals_line}</b>" + tr(
            f" ({t.facilities}개소 중 {t.received}개소 제출)"
        )
        if t.vacancy_change is not None:
            text += tr(f" · 전월 대비 결원 증감 {fmt_int(t.vacancy_change)}")
        return text + "<br>" + not_received_text(board)

    def views(self) -> list[Any]:
        return [self.board] if self.board is not None else []

    def export_name(self) -> str:
        return tr(f"인력현황판_{self.month}")
