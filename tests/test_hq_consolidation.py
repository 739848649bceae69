"""Head-office read models on a first quarter that arrived through the real path (tests/hq_factory.py): the
submission tracker's statuses on hand-checkable dates, the staffing board in the plan's layout, budget roll-ups,
safety and surveys, and the monthly report's pages and bundles."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from jbdesk.domain.forms import FormKind
from jbdesk.domain.hq import Cancelled, SubmissionState
from jbdesk.domain.periods import Period
from jbdesk.errors import InvalidInputError, ModeError
from jbdesk.services.consolidation import ConsolidationService
from tests.hq_factory import (
    F09_REASON,
    F09_UTILITIES_MARCH,
    FEB,
    MARCH,
    RETURN_COMMENT,
    consolidation,
    hq_copy,
)

S = SubmissionState


@pytest.fixture
def hq(tmp_path: Path):
    ws = hq_copy(tmp_path)
    yield ws
    ws.close()


def test_tracker_statuses_on_hand_checkable_dates(hq) -> None:
    """Due day 10, today 2026-04-15: signed 04-08 is on time, 04-13 late; a 보완요청 on revision 1 does not
    stick to the corrected revision 2; nothing received after the due date is missing."""
    grid = consolidation(hq).tracker(FormKind.STAFFING, Period.parse("2026-01"), MARCH)

    assert grid.periods == (Period.parse("2026-01"), FEB, MARCH)
    labels = {row.facility.code: row.cells[2].label for row in grid.rows}
    assert labels["F01"] == "1판 접수"
    assert labels["F02"] == "1판 접수대기 · 지연"
    assert labels["F03"].startswith("2판 접수대기 · 보완 ")  # the correction took days, shown
    assert labels["F10"] == "1판 보완요청"
    assert labels["F13"] == "미제출"
    assert labels["F04"] == "1판 접수대기"
    f02 = grid.cell("F02", MARCH)
    assert (f02.state, f02.late, f02.due) == (S.RECEIVED, True, date(2026, 4, 10))
    assert f02.first_signed_at.date() == date(2026, 4, 13)
    f03 = grid.cell("F03", MARCH)
    assert (f03.state, f03.revision, f03.late, f03.resubmitted, f03.review) == (S.RECEIVED, 2, False, True, None)
    assert grid.cell("F10", MARCH).review.comment == "대체인력 근무일수를 다시 확인해 주세요."
    assert grid.cell("F01", MARCH).colour != grid.cell("F13", MARCH).colour  # colour and text, never colour alone

    # counts per column (January: nobody; February: all 15; March: 14 received, 1 missing, 1 late)
    assert grid.column_counts[0][S.MISSING] == 15
    assert grid.column_counts[1][S.RECEIVED] == 15
    march = grid.column_counts[2]
    assert (march[S.ACCEPTED], march[S.RETURNED], march[S.MISSING], march[S.RECEIVED]) == (1, 1, 1, 12)
    assert grid.column_late == (0, 0, 1)
    # and per row
    f13 = next(r for r in grid.rows if r.facility.code == "F13")
    assert (f13.counts[S.MISSING], f13.counts[S.RECEIVED]) == (2, 1)


def test_before_the_due_date_nothing_received_is_pending_not_missing(hq) -> None:
    early = ConsolidationService(hq, today=date(2026, 4, 9))
    assert early.tracker(FormKind.STAFFING, MARCH).cell("F13", MARCH).state is S.PENDING
    on_due_day = ConsolidationService(hq, today=date(2026, 4, 10))
    assert on_due_day.tracker(FormKind.STAFFING, MARCH).cell("F13", MARCH).label == "기한 전"


def test_transferred_facility_is_not_due_in_december(hq) -> None:
    late_year = ConsolidationService(hq, today=date(2027, 1, 15))
    grid = late_year.tracker(FormKind.STAFFING, Period.parse("2026-11"), Period.parse("2026-12"))
    nov, dec = grid.cell("F05", Period.parse("2026-11")), grid.cell("F05", Period.parse("2026-12"))
    assert (nov.state, dec.state) == (S.MISSING, S.NOT_DUE)
    assert dec.label == "–" and dec.due is None
    assert grid.cell("F01", Period.parse("2026-12")).state is S.MISSING  # F01 keeps reporting
    assert grid.column_counts[1][S.NOT_DUE] == 5  # F04-F08 are handed over in Nov-Dec


def test_due_day_is_a_head_office_setting(hq) -> None:
    service = consolidation(hq)
    assert service.due_day == 10
    service.set_due_day(14)
    assert service.tracker(FormKind.STAFFING, MARCH).cell("F02", MARCH).label == "1판 접수대기"  # 04-13 ≤ 04-14
    with pytest.raises(InvalidInputError, match="1일에서 28일"):
        service.set_due_day(31)


def test_other_form_trackers_follow_their_cadence(hq) -> None:
    grids = {g.form: g for g in consolidation(hq).trackers(Period.parse("2026-01"), MARCH)}
    safety = grids[FormKind.SAFETY]
    assert safety.periods == (Period.parse("2026-H1"),)
    assert safety.cell("F03", Period.parse("2026-H1")).label == "1판 접수대기"  # signed 02-25, due 02-28
    assert safety.cell("F02", Period.parse("2026-H1")).state is S.MISSING
    survey = grids[FormKind.SURVEY]
    assert survey.cell("F05", Period.of_year(2026)).label == "1판 접수대기"
    assert survey.cell("F02", Period.of_year(2026)).state is S.PENDING  # due 12-31
    assert grids[FormKind.QUARTERLY].cell("F01", Period.parse("2026-Q1")).state is S.MISSING  # due 04-10


def test_staffing_board_groups_subtotals_and_change(hq) -> None:
    board = consolidation(hq).staffing_board(MARCH)

    assert [g.name for g in board.groups] == ["국·공립 시설", "국가 및 지방자치단체 위탁사업", "전북인돌봄센터"]
    assert [len(g.rows) for g in board.groups] == [8, 5, 2]
    totals = {g.name: (g.subtotal.authorized, g.subtotal.current, g.subtotal.vacancy) for g in board.groups}
    # registry: 50/49, 59/51 (F13 14/9 missing in March), 5/4; F01 lost one in March
    assert totals == {
        "국·공립 시설": (50, 48, -2),
        "국가 및 지방자치단체 위탁사업": (45, 42, -3),
        "전북인돌봄센터": (5, 4, -1),
    }
    t = board.total
    assert (t.authorized, t.current, t.vacancy, t.received, t.missing) == (100, 94, -6, 14, 1)
    assert t.totals_line == "정원 100 · 현원 94 · 결원 △6"
    assert (t.previous_vacancy, t.vacancy_change) == (-5, -1)  # over the 14 that reported both months
    f01 = next(r for r in board.rows if r.facility.code == "F01")
    assert (f01.authorized, f01.current, f01.vacancy, f01.previous_vacancy, f01.vacancy_change) == (8, 7, -1, 0, -1)
    f13 = next(r for r in board.rows if r.facility.code == "F13")
    assert (f13.received, f13.authorized, f13.previous_vacancy, f13.cell.state) == (False, None, -5, S.MISSING)
    assert (f13.facility.reference_authorized, f13.facility.reference_current) == (14, 9)  # reference only
    assert board.missing == ("F13",)

    feb = consolidation(hq).staffing_board(FEB).total
    assert (feb.authorized, feb.current, feb.vacancy, feb.received) == (114, 104, -10, 15)  # the plan's totals


def test_budget_board_matches_the_entry_computation(hq) -> None:
    board = consolidation(hq).budget_board(MARCH)
    got = {b.facility.code: b for b in board.facilities if b.execution is not None}
    assert set(got) == {"F01", "F09", "F14"}
    for _code, b in got.items():
        view = hq.forms.get(b.cell.ref)
        assert b.execution == view.computed  # the same handler computation as the entry page
    f09 = got["F09"]
    [flag] = f09.flags
    assert flag.label == "세출 사무비 운영비 공공요금" and flag.kinds == ("계획 대비 편차",)
    assert flag.reason == F09_REASON and flag.amounts.cumulative == F09_UTILITIES_MARCH
    expense = sum(b.expense.budget for b in got.values())
    assert board.total.expense.budget == expense
    assert board.total.expense.cumulative == sum(b.expense.cumulative for b in got.values())
    accounts = {a.label: (a.facilities, a.received) for a in board.accounts}
    assert accounts == {"특별회계": (13, 2), "일반회계": (2, 1)}
    assert [g.label for g in board.groups] == ["국·공립 시설", "국가 및 지방자치단체 위탁사업", "전북인돌봄센터"]
    assert board.planned_rate == 0.25


def test_safety_board_latest_checklist_open_actions_and_completion(hq) -> None:
    board = consolidation(hq).safety_board(MARCH)
    rows = {f.facility.code: f for f in board.facilities}
    assert rows["F01"].score.grade == "A" and rows["F01"].open_actions == ()
    f03 = rows["F03"].score
    assert (f03.grade, f03.grade_capped) == ("C", True)  # an open 상 caps the grade
    assert [(a.code, a.severity, a.overdue) for a in f03.open_actions] == [("SF-GAS-01", "상", True)]
    f09 = rows["F09"].score
    assert (f09.actions_raised, f09.actions_closed_on_time, f09.completion_rate) == (2, 1, 0.5)
    assert f09.target_met is False and f09.target.value == 90
    assert rows["F02"].score is None and rows["F02"].cell.state is S.MISSING
    assert (board.actions_raised, board.actions_closed_on_time, board.completion_rate) == (3, 1, 0.333)


def test_survey_board_pools_and_keeps_suppression(hq) -> None:
    board = consolidation(hq).survey_board(2026)
    rows = {f.facility.code: f for f in board.facilities if f.result is not None}
    assert set(rows) == {"F01", "F05", "F14"}
    assert rows["F05"].staff_suppressed and rows["F05"].staff_score is None
    assert rows["F05"].result.staff.score is not None  # computed, but never printable
    assert rows["F01"].staff_score == rows["F01"].result.staff.score
    user_scores = [rows[c].user_score for c in ("F01", "F05", "F14")]
    assert board.user.facility_mean_score == pytest.approx(sum(user_scores) / 3, abs=0.06)
    assert board.staff.suppressed_facilities == 1
    assert board.staff.facility_mean_score == pytest.approx(
        (rows["F01"].staff_score + rows["F14"].staff_score) / 2, abs=0.06
    )
    assert board.user.valid == 20 + 8 + 12 and board.staff.valid == 7 + 2 + 3  # the pool keeps F05's counts
    assert (board.user_target.value, board.user_target.unit.suffix) == (90, "점")
    assert board.user.target_met is False


def test_monthly_report_pages_notes_and_bundles(hq) -> None:
    steps: list[tuple[int, int, str]] = []
    report = consolidation(hq).monthly_report(MARCH, progress=lambda d, t, w: steps.append((d, t, w)))

    assert report.title == "2026년 3월 소속시설 운영 현황"
    assert [f.code for f in report.facilities] == [f"F{i:02d}" for i in range(1, 16)]
    assert steps[-1][0] == steps[-1][1] and len(steps) > 10
    pages = {p.facility.code: p for p in report.pages}
    f03 = pages["F03"]
    assert any(n.kind == "정정 사유" and "휴직 1명" in n.text for n in f03.notes)
    assert {(b.form, b.revision) for b in f03.bundles} == {(FormKind.STAFFING, 2), (FormKind.SAFETY, 1)}
    key = hq.imports.revisions(f03.staffing.ref)[-1].key_fingerprint
    from jbdesk.bundle.keys import short_of_fingerprint

    assert all(b.key_short == short_of_fingerprint(key) for b in f03.bundles)
    f05 = pages["F05"]
    assert any(n.kind == "경고 설명" and "종사자 유효 응답이 2명" in n.context for n in f05.notes)
    assert [v for _, v in pages["F01"].vacancy_trend] == [None, 0, -1]
    assert [(m.index, v, n) for m, v, n in report.vacancy_trend] == [(1, None, 0), (2, -10, 15), (3, -6, 14)]
    line = next(s for s in report.summary if s.facility.code == "F05")
    assert line.staff_suppressed and line.staff_score is None
    assert report.anything_received


def test_returned_comment_is_kept_on_the_old_revision(hq) -> None:
    from jbdesk.services.review import ReviewService

    history = ReviewService(hq).history(consolidation(hq).tracker(FormKind.STAFFING, MARCH).cell("F03", MARCH).ref)
    assert [(h.revision, h.decision.value, h.comment) for h in history] == [(1, "보완요청", RETURN_COMMENT)]
    assert history[0].field_comments == (("rows/3/on_leave", "휴직 1명 누락?"),)
    assert history[0].decided_by == "시설운영팀 김담당" and history[0].sent_at is None


def test_cancel_stops_the_report(hq) -> None:
    with pytest.raises(Cancelled, match="취소"):
        consolidation(hq).monthly_report(MARCH, cancelled=lambda: True)


def test_reports_need_head_office_and_a_month(tmp_path: Path, workspace) -> None:
    workspace.set_facility("F05")
    with pytest.raises(ModeError, match="본부 PC에서만"):
        ConsolidationService(workspace).monthly_report(MARCH)


def test_views_export_to_excel(hq, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    service = consolidation(hq)
    views = [service.tracker(FormKind.STAFFING, FEB, MARCH), service.staffing_board(MARCH), service.budget_board(MARCH),
             service.safety_board(MARCH), service.survey_board(2026)]  # fmt: skip
    path = service.write_views_xlsx(views, tmp_path / "views.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames == ["인력 제출현황", "인력현황표", "예산집행 2026-03", "안전점검 2026-H1", "만족도 2026"]
    grid = wb["인력 제출현황"]
    assert [c.value for c in grid[2]][:5] == ["시설코드", "시설명", "2026년 2월", "2026년 3월", "제출"]
    f02 = next(row for row in grid.iter_rows(values_only=True) if row[0] == "F02")
    assert f02[3] == "1판 접수대기 · 지연"
