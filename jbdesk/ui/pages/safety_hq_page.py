"""안전 점검 (head office): the latest checklist of each facility up to a half-year — score, grade (marked when an
open 상 risk capped it), corrective-action completion against its target — and every open action, most severe and
earliest due first, overdue ones marked."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLabel, QWidget

from jbdesk.domain.hq import SafetyBoard, SafetyFacility, SubmissionState, open_actions
from jbdesk.domain.numbers import fmt_decimal, fmt_percent
from jbdesk.domain.periods import Period, PeriodKind
from jbdesk.domain.reference import Target
from jbdesk.domain.safety import OpenAction
from jbdesk.i18n import tr
from jbdesk.services.workspace import Workspace
from jbdesk.ui.errors import show_error
from jbdesk.ui.widgets.hq_views import (
    BAD_FG,
    CENTER,
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
    "시설코드", "시설명", "점검표", "제출 상태", "판", "점검일", "점수", "등급", "상한 적용", "개선조치",
    "기한 내 완료", "완료율", "목표", "달성", "열린 조치", "열린 상 위험", "기한 경과",
)  # fmt: skip
TIPS = (
    "", "", "보여 주는 점검표의 반기 (그 반기까지 받은 최근 것)", "그 점검표의 제출 상태", "받은 판", "",
    "100점 만점 (가중치: 위험 상·중·하)", "A~D", "열린 '상' 위험 조치가 있어 A·B 등급을 C로 제한함",
    "이 점검표의 개선조치 수 (이월 포함)", "기한까지 조치완료·재점검확인한 수", "기한 내 완료 ÷ 개선조치",
    "개선조치 완료율 목표", "완료율이 목표 이상인가", "아직 끝나지 않은 조치", "열린 조치 중 위험 '상'",
    "열린 조치 중 기한이 지난 것",
)  # fmt: skip
ACTION_HEADERS = ("위험", "기한", "기한 경과", "시설", "항목", "상태", "이월", "담당", "지적 내용")


def target_text(target: Target | None) -> str:
    if target is None:
        return ""
    value = int(target.value) if float(target.value).is_integer() else target.value
    return f"{value}{target.unit.suffix}"


def met_text(met: bool | None) -> str:
    return "" if met is None else (tr("달성") if met else tr("미달"))


def _met_cell(met: bool | None) -> Cell:
    return Cell(met_text(met), align=CENTER, foreground=None if met is None else (GOOD_FG if met else BAD_FG))


def facility_row(f: SafetyFacility, target: Target | None) -> Row:
    s = f.score
    none = s is None

    def n(value: Any) -> Cell:
        return num("" if none or value is None else str(value))

    capped = bool(s and s.grade_capped)
    overdue = len(s.overdue_actions) if s else None
    high = sum(1 for a in s.open_actions if a.severity == "상") if s else None
    return Row(
        (
            Cell(f.facility.code),
            Cell(f.facility.name, background=ERROR_BG if f.cell.state is SubmissionState.MISSING else None),
            Cell(f.period.label if f.period else "", align=CENTER),
            state_cell(f.cell),
            num(str(f.revision) if f.revision is not None else ""),
            Cell(f.checked_on, align=CENTER),
            num(fmt_decimal(s.score) if s else ""),
            Cell(
                (s.grade or "") if s else "",
                align=CENTER,
                foreground=BAD_FG if capped else None,
                bold=True,
                tooltip=tr("열린 '상' 위험 조치가 있어 C로 제한됨") if capped else "",
            ),
            Cell(tr("예") if capped else "", align=CENTER, foreground=BAD_FG if capped else None),
            n(s.actions_raised if s else None),
            n(s.actions_closed_on_time if s else None),
            num(fmt_percent(s.completion_rate) if s else ""),
            Cell(target_text(target), align=CENTER),
            _met_cell(s.target_met) if s else Cell(),
            n(len(s.open_actions) if s else None),
            num("" if high is None else str(high), foreground=BAD_FG if high else None),
            num("" if overdue is None else str(overdue), background=ERROR_BG if overdue else None),
        ),
        value=f,
    )


def action_row(f: SafetyFacility, a: OpenAction) -> Row:
    return Row(
        (
            Cell(a.severity, align=CENTER, foreground=BAD_FG if a.severity == "상" else None, bold=a.severity == "상"),
            Cell(a.due, align=CENTER),
            Cell(tr("기한 경과") if a.overdue else "", align=CENTER, foreground=BAD_FG, bold=a.overdue),
            Cell(f"{f.facility.code} {f.facility.name}"),
            Cell(a.code, align=CENTER),
            Cell(a.status, align=CENTER),
            Cell(tr("이월") if a.carried else "", align=CENTER),
            Cell(a.owner),
            Cell(a.finding, tooltip=a.finding),
        ),
        value=a,
        background=ERROR_BG if a.overdue else None,
    )


class SafetyHqPage(HqPage):
    title_text = "안전 점검"

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(ws, parent)
        self.board: SafetyBoard | None = None
        today = ws.consolidation.today
        self.add_period_selector(
            PeriodKind.HALF, max(Period.containing(today, PeriodKind.HALF), first_period(PeriodKind.HALF)), "반기(&B):"
        )
        self.finish_tools()
        self.model = ViewModel(HEADERS)
        self.table = ViewTable(self.model, tr("시설별 안전 점검 표"))
        self.actions_model = ViewModel(ACTION_HEADERS)
        self.action_table = ViewTable(self.actions_model, tr("열린 개선조치 표"))
        self.actions_caption = QLabel()
        self.actions_caption.setStyleSheet("font-weight: bold;")
        self.add_split(self.table, self.actions_caption, self.action_table)
        self.add_note(
            tr("시설마다 고른 반기까지 받은 가장 최근 점검표를 보여 줍니다. 완료율 = 기한 내 완료 ÷ 개선조치. ")
            + tr("붉은 칸: 점검표를 받지 못했거나 기한이 지난 조치.")
        )
        self.follow_period()

    @property
    def half(self) -> Period:
        return self.nav.period()

    def refresh(self) -> None:
        try:
            self.board = self.ws.consolidation.safety_board(self.half)
        except Exception as exc:
            show_error(self, exc)
            return
        board = self.board
        self.model.set_rows([facility_row(f, board.target) for f in board.facilities], [tr(h) for h in HEADERS],
                            [tr(t) for t in TIPS])  # fmt: skip
        self.table.fit_columns(limits={1: 180})
        actions = open_actions(board)
        self.actions_model.set_rows([action_row(f, a) for f, a in actions], [tr(h) for h in ACTION_HEADERS])
        self.action_table.fit_columns(480, limits={3: 230, 8: 240})
        self.action_table.horizontalHeader().setStretchLastSection(True)
        overdue = sum(1 for _f, a in actions if a.overdue)
        self.actions_caption.setText(
            tr(f"열린 개선조치 {len(actions)}건 (기한 경과 {overdue}건) — 위험 상·중·하, 기한 순")
        )
        self.summary.setText(self._summary_text(board))

    def _summary_text(self, board: SafetyBoard) -> str:
        got = [f for f in board.facilities if f.score is not None]
        rate = board.completion_rate
        target = board.target
        met = None
        if rate is not None and target is not None and target.unit.suffix == "%":
            met = rate * 100 >= target.value
        text = f"<b>{board.half.label}</b> — " + tr(f"점검표 {len(got)}/{len(board.facilities)}개소 · ")
        text += tr(f"개선조치 완료율 <b>{fmt_percent(rate) or '-'}</b> ")
        text += tr(f"(기한 내 완료 {board.actions_closed_on_time} / 조치 {board.actions_raised})")
        if target is not None:
            colour = "#2E7D32" if met else "#B00020"
            text += tr(f" · 목표 {target_text(target)}") + (
                f" <span style='color:{colour}'>{met_text(met)}</span>" if met is not None else ""
            )
        capped = [f.facility.code for f in got if f.score is not None and f.score.grade_capped]
        if capped:
            text += "<br>" + tr(f"등급 상한(열린 '상' 위험): {', '.join(capped)}")
        return text

    def views(self) -> list[Any]:
        return [self.board] if self.board is not None else []

    def export_name(self) -> str:
        return tr(f"안전점검_{self.half}")
