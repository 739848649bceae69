"""만족도 (head office): each facility's user and staff satisfaction scores for a year against the targets (with
units), the pooled score (respondent-weighted) and the plain mean of facility scores. Staff scores with fewer than
3 respondents stay hidden, here as in print."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLabel, QWidget

from jbdesk.domain.hq import SUPPRESSED_LABEL, SubmissionState, SurveyBoard, SurveyFacility
from jbdesk.domain.numbers import fmt_decimal, fmt_int, fmt_percent
from jbdesk.domain.periods import Period, PeriodKind
from jbdesk.i18n import tr
from jbdesk.services.workspace import Workspace
from jbdesk.ui.errors import show_error
from jbdesk.ui.pages.safety_hq_page import met_text, target_text
from jbdesk.ui.widgets.hq_views import (
    BAD_FG,
    CENTER,
    DIM_FG,
    ERROR_BG,
    GOOD_FG,
    Cell,
    HqPage,
    Row,
    ViewModel,
    ViewTable,
    first_period,
    num,
    state_cell,
)

HEADERS = (
    "구분", "시설", "제출 상태", "판", "이용자 유효 응답", "이용자 점수", "이용자 긍정 비율", "이용자 목표",
    "이용자 달성", "종사자 점수", "종사자 목표", "종사자 달성", "환산 방식",
)  # fmt: skip
TIPS = (
    "", "", "올해 만족도 조사의 제출 상태", "받은 판", "이용자 유효 응답 수 (명)", "100점 환산 점수",
    "긍정 응답(상위 두 척도) 비율", "", "", "종사자 응답이 3명 미만이면 비공개", "", "", "5점 척도 → 100점 환산 방식",
)  # fmt: skip


def score_text(value: float | None) -> str:
    return "" if value is None else fmt_decimal(value) + tr("점")


def _met_cell(met: bool | None) -> Cell:
    return Cell(met_text(met), align=CENTER, foreground=None if met is None else (GOOD_FG if met else BAD_FG))


def facility_row(f: SurveyFacility, board: SurveyBoard) -> Row:
    r = f.result
    ut, st = target_text(board.user_target), target_text(board.staff_target)
    if f.staff_suppressed:
        staff = Cell(
            tr(SUPPRESSED_LABEL), align=CENTER, foreground=DIM_FG,
            tooltip=tr("종사자 응답이 3명 미만이라 개인이 드러나지 않도록 점수를 싣지 않습니다 (전체 점수에는 포함)."),
        )  # fmt: skip
    else:
        staff = num(score_text(f.staff_score))
    return Row(
        (
            Cell(tr("시설"), align=CENTER),
            Cell(
                f"{f.facility.code} {f.facility.name}",
                background=ERROR_BG if f.cell.state is SubmissionState.MISSING else None,
            ),
            state_cell(f.cell),
            num(str(f.revision) if f.revision is not None else ""),
            num(fmt_int(r.user.valid) if r else ""),
            num(score_text(f.user_score)),
            num(fmt_percent(r.user.positive) if r else ""),
            Cell(ut, align=CENTER),
            _met_cell(r.user.target_met) if r else Cell(),
            staff,
            Cell(st, align=CENTER),
            Cell() if f.staff_suppressed or r is None else _met_cell(r.staff.target_met),
            Cell(r.method_text if r else "", foreground=DIM_FG),
        ),
        value=f,
    )


def pooled_rows(board: SurveyBoard) -> list[Row]:
    u, s = board.user, board.staff
    if u is None:
        return []
    ut, st = target_text(board.user_target), target_text(board.staff_target)
    pooled = Row(
        (
            Cell(tr("전체(응답자 가중)")),
            Cell(tr(f"{u.facilities}개소")),
            Cell(),
            Cell(),
            num(fmt_int(u.valid)),
            num(score_text(u.score)),
            num(fmt_percent(u.positive)),
            Cell(ut, align=CENTER),
            _met_cell(u.target_met),
            num(score_text(s.score if s else None)),
            Cell(st, align=CENTER),
            _met_cell(s.target_met) if s else Cell(),
            Cell(board.method_text, foreground=DIM_FG),
        ),
        kind="subtotal",
        value=u,
        tooltip=tr("시설들의 응답 수를 합하여 계산 (응답자가 많은 시설의 비중이 큼). 비공개 시설의 응답도 포함."),
    )
    mean = Row(
        (
            Cell(tr("시설 점수 평균")),
            Cell(tr(f"{u.facilities}개소")),
            Cell(),
            Cell(),
            Cell(),
            num(score_text(u.facility_mean_score)),
            Cell(),
            Cell(ut, align=CENTER),
            Cell(),
            num(score_text(s.facility_mean_score if s else None)),
            Cell(st, align=CENTER),
            Cell(),
            Cell(board.method_text, foreground=DIM_FG),
        ),
        kind="total",
        value=u,
        tooltip=tr("공개된 시설 점수의 단순 평균 (시설마다 한 번씩). 비공개 시설은 빠짐."),
    )
    return [pooled, mean]


class SurveyHqPage(HqPage):
    title_text = "만족도"

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(ws, parent)
        self.board: SurveyBoard | None = None
        today = ws.consolidation.today
        self.add_period_selector(
            PeriodKind.YEAR, max(Period.containing(today, PeriodKind.YEAR), first_period(PeriodKind.YEAR)), "연도(&Y):"
        )
        self.finish_tools()
        self.model = ViewModel(HEADERS)
        self.table = ViewTable(self.model, tr("시설별 만족도 표"))
        self.body.addWidget(self.table, 1)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #555;")
        self.body.addWidget(self.note)
        self.follow_period()

    @property
    def year(self) -> int:
        return self.nav.period().year

    def refresh(self) -> None:
        try:
            self.board = self.ws.consolidation.survey_board(self.year)
        except Exception as exc:
            show_error(self, exc)
            return
        board = self.board
        rows = [facility_row(f, board) for f in board.facilities] + pooled_rows(board)
        self.model.set_rows(rows, [tr(h) for h in HEADERS], [tr(t) for t in TIPS])
        self.table.fit_columns(300, limits={1: 250})
        self.summary.setText(self._summary_text(board))
        self.note.setText(
            tr(f"환산 방식: {board.method_text}. 종사자 응답이 3명 미만인 시설은 점수를 싣지 않습니다")
            + tr(f" ('{SUPPRESSED_LABEL}'). 전체(응답자 가중)는 시설의 응답 수를 합하여 계산하고, 시설 점수 평균은 ")
            + tr("공개된 시설 점수의 단순 평균입니다. 비공개 시설의 응답은 전체 점수에만 들어갑니다.")
        )

    def _summary_text(self, board: SurveyBoard) -> str:
        got = [f for f in board.facilities if f.result is not None]
        text = f"<b>{board.year}{tr('년')}</b> — " + tr(f"결과를 받은 시설 {len(got)}/{len(board.facilities)}개소")
        u, s = board.user, board.staff
        if u is None:
            return text + tr(" · 아직 받은 결과가 없습니다 (조사 기간 11~12월).")

        def part(name: str, p: Any, target: Any) -> str:
            met = met_text(p.target_met) if p is not None else ""
            colour = "#2E7D32" if p is not None and p.target_met else "#B00020"
            score = score_text(p.score if p else None) or "-"
            mean = score_text(p.facility_mean_score if p else None) or "-"
            goal = target_text(target)
            out = tr(f"{name} 전체 <b>{score}</b> (시설 평균 {mean})")
            if goal:
                out += tr(f" · 목표 {goal}") + (f" <span style='color:{colour}'>{met}</span>" if met else "")
            return out

        text += "<br>" + part(tr("이용자"), u, board.user_target) + " &nbsp;|&nbsp; "
        text += part(tr("종사자"), s, board.staff_target)
        if s is not None and s.suppressed_facilities:
            text += tr(f" · 비공개 {s.suppressed_facilities}개소")
        return text

    def views(self) -> list[Any]:
        return [self.board] if self.board is not None else []

    def export_name(self) -> str:
        return tr(f"만족도_{self.year}")
