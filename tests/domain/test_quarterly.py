"""분기실적보고서: built from the three monthly checks (quarter = sum of months), staffing, rules, JSON."""

from __future__ import annotations

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from jbdesk.domain.budget import (
    BudgetCheckData,
    BudgetLine,
    BudgetPlanData,
    BudgetVersion,
    ExecutionLine,
    cumulative_after,
)
from jbdesk.domain.periods import Period
from jbdesk.domain.quarterly import QuarterlyData, QuarterlyReport, compute_quarterly, new_quarterly, validate_quarterly
from jbdesk.domain.staffing import StaffingData, StaffingRow
from jbdesk.errors import InvalidInputError

SALARY = "세출/사무비/인건비/급여/"
TRAVEL = "세출/사무비/운영비/여비/"
NATIONAL = "세입/보조금수입/보조금수입/국고보조금/"

# 세입 국고보조금 13,200,000 = 세출 급여 12,000,000 + 여비 1,200,000.
LINES = [
    BudgetLine(side="세입", gwan="보조금수입", hang="보조금수입", mok="국고보조금", national=13_200_000),
    BudgetLine(side="세출", gwan="사무비", hang="인건비", mok="급여", national=12_000_000),
    BudgetLine(side="세출", gwan="사무비", hang="운영비", mok="여비", national=1_200_000),
]
PLAN = BudgetPlanData(versions=[BudgetVersion(lines=LINES)])
Q1 = Period.quarter(2026, 1)
JAN, FEB, MAR = Q1.months()


def month(salary: int | None, travel: int | None = None, national: int | None = None) -> BudgetCheckData:
    amounts = {NATIONAL: national, SALARY: salary, TRAVEL: travel}
    return BudgetCheckData(
        budget_version="본예산", lines=[ExecutionLine(key=k, this_month=v) for k, v in amounts.items()]
    )


def line(report: QuarterlyReport, key: str):  # type: ignore[no-untyped-def]
    return next(r for r in report.rows if r.key == key)


def test_q1_salary_is_the_sum_of_its_months() -> None:
    # 1,000,000 + 2,000,000 + 500,000 = 3,500,000 of 12,000,000 → 29.2%, 잔액 8,500,000.
    months = [(JAN, month(1_000_000)), (FEB, month(2_000_000)), (MAR, month(500_000))]
    report = compute_quarterly(PLAN, Q1, months, {})
    f = line(report, SALARY).figures
    assert f.months == (1_000_000, 2_000_000, 500_000)
    assert f.quarter_total == 3_500_000
    assert (f.previous_cumulative, f.cumulative) == (0, 3_500_000)
    assert f.rate == 3_500_000 / 12_000_000
    assert f.remainder == 8_500_000
    assert report.missing == ()
    assert report.months == (JAN, FEB, MAR)
    assert report.version_name == "본예산"


def test_q2_starts_from_the_cumulative_at_quarter_start() -> None:
    q2 = Period.quarter(2026, 2)
    months = [(m, month(1_000_000, 100_000)) for m in q2.months()]
    report = compute_quarterly(PLAN, q2, months, {SALARY: 3_500_000, TRAVEL: 300_000})
    f = line(report, SALARY).figures
    assert (f.previous_cumulative, f.quarter_total, f.cumulative) == (3_500_000, 3_000_000, 6_500_000)
    assert line(report, TRAVEL).figures.cumulative == 300_000 + 3 * 100_000 == 600_000


def test_quarter_end_cumulative_matches_the_chain_of_monthly_checks() -> None:
    checks = [month(1_000_000, 50_000, 13_200_000), month(2_000_000, 0, 0), month(500_000, 250_000, None)]
    cumulative: dict[str, int] = {SALARY: 0}
    for period, data in zip(Q1.months(), checks, strict=True):
        cumulative = cumulative_after(PLAN, period.index, data, cumulative)
    report = compute_quarterly(PLAN, Q1, list(zip(Q1.months(), checks, strict=True)), {})
    assert {r.key: r.figures.cumulative for r in report.rows} == cumulative
    assert cumulative == {NATIONAL: 13_200_000, SALARY: 3_500_000, TRAVEL: 300_000}


@given(st.lists(st.tuples(st.integers(0, 4_000_000), st.integers(-50_000, 400_000)), min_size=3, max_size=3))
def test_every_quarter_line_and_total_is_the_sum_of_its_months(amounts: list[tuple[int, int]]) -> None:
    months = [(p, month(s, t)) for p, (s, t) in zip(Q1.months(), amounts, strict=True)]
    report = compute_quarterly(PLAN, Q1, months, {SALARY: 0, TRAVEL: 100_000})
    for key, column in ((SALARY, 0), (TRAVEL, 1)):
        f = line(report, key).figures
        assert f.quarter_total == sum(a[column] for a in amounts) == sum(m or 0 for m in f.months)
        assert f.cumulative == f.previous_cumulative + f.quarter_total
    # Each month of the quarter row equals that month's own execution check.
    for i, execution in enumerate(report.executions):
        assert (
            line(report, SALARY).figures.months[i]
            == next(r for r in execution.rows if r.key == SALARY).amounts.this_month
        )
    expense = next(t for t in report.side_totals if t.side == "세출").figures
    assert expense.quarter_total == sum(s + t for s, t in amounts)
    assert expense.months == tuple(s + t for s, t in amounts)


def test_totals_per_side_gwan_and_hang() -> None:
    months = [
        (JAN, month(1_000_000, 100_000, 13_200_000)),
        (FEB, month(1_000_000, 0)),
        (MAR, month(1_000_000, 200_000)),
    ]
    report = compute_quarterly(PLAN, Q1, months, {})
    sides = {t.side: (t.figures.budget, t.figures.months, t.figures.cumulative) for t in report.side_totals}
    assert sides == {
        "세입": (13_200_000, (13_200_000, 0, 0), 13_200_000),  # blank later months = nothing received
        "세출": (13_200_000, (1_100_000, 1_000_000, 1_200_000), 3_300_000),
    }
    assert [(t.gwan, t.figures.quarter_total) for t in report.gwan_totals] == [
        ("보조금수입", 13_200_000),
        ("사무비", 3_300_000),
    ]
    assert [(t.hang, t.figures.quarter_total) for t in report.hang_totals] == [
        ("보조금수입", 13_200_000),
        ("인건비", 3_000_000),
        ("운영비", 300_000),
    ]
    expense = next(t for t in report.side_totals if t.side == "세출").figures
    assert (expense.rate, expense.remainder) == (0.25, 9_900_000)


def test_missing_months_are_listed_and_count_as_nothing_spent() -> None:
    report = compute_quarterly(PLAN, Q1, [(JAN, month(1_000_000)), (FEB, None)], {})
    assert report.missing == (FEB, MAR)
    f = line(report, SALARY).figures
    assert f.months == (1_000_000, None, None)
    assert f.quarter_total == f.cumulative == 1_000_000


def test_budget_is_the_version_in_force_at_quarter_end() -> None:
    revised = BudgetVersion(
        name="1차 추경",
        effective_month=3,
        lines=[*LINES[:1], BudgetLine(side="세출", gwan="사무비", hang="인건비", mok="급여", national=13_200_000)],
    )
    plan = msgspec.structs.replace(PLAN, versions=[*PLAN.versions, revised])
    march = BudgetCheckData(budget_version="1차 추경", lines=[ExecutionLine(key=SALARY, this_month=1_100_000)])
    report = compute_quarterly(plan, Q1, [(JAN, month(1_100_000, 100_000)), (FEB, month(1_100_000)), (MAR, march)], {})
    assert report.version_name == "1차 추경"
    assert line(report, SALARY).figures.budget == 13_200_000
    # 여비 left the budget in March but its 100,000 spent in January stays in the report.
    travel = line(report, TRAVEL).figures
    assert (travel.budget, travel.months, travel.cumulative) == (0, (100_000, 0, 0), 100_000)


def test_the_latest_reason_of_a_line_is_shown() -> None:
    jan = month(4_000_000)
    feb = msgspec.structs.replace(month(0), lines=[ExecutionLine(key=SALARY, this_month=0, reason="1월 일괄 지급")])
    report = compute_quarterly(PLAN, Q1, [(JAN, jan), (FEB, feb), (MAR, month(0))], {})
    assert line(report, SALARY).reason == "1월 일괄 지급"


def test_staffing_of_the_quarter() -> None:
    def staffing(current: int, hires: int | None, leavers: int | None) -> StaffingData:
        return StaffingData(
            rows=[
                StaffingRow(job_family="관리직", authorized=1, current=1),
                StaffingRow(job_family="돌봄직", authorized=12, current=current, hires=hires, leavers=leavers),
            ]
        )

    # 돌봄직 10 → 11 (+1) → 11 (+1 −1) → 10 (−1): hires 2, leavers 2; March 정원 13, 현원 11, 결원 △2.
    entries = [(JAN, staffing(11, 1, None)), (FEB, staffing(11, 1, 1)), (MAR, staffing(10, None, 1))]
    report = compute_quarterly(PLAN, Q1, [(m, month(0)) for m in Q1.months()], {}, staffing=entries)
    s = report.staffing
    assert s is not None
    assert (s.authorized, s.current, s.vacancy) == (13, 11, -2)
    assert (s.hires, s.leavers) == (2, 2)
    assert s.missing == ()
    assert [p for p, _ in s.months] == [JAN, FEB, MAR]


def test_staffing_with_a_missing_quarter_end_month() -> None:
    entries = [(JAN, StaffingData(rows=[StaffingRow(job_family="관리직", authorized=1, current=1, hires=1)]))]
    s = compute_quarterly(PLAN, Q1, [], {}, staffing=entries).staffing
    assert s is not None
    assert s.missing == (FEB, MAR)
    assert (s.authorized, s.current, s.vacancy, s.hires, s.leavers) == (None, None, None, 1, 0)
    assert compute_quarterly(PLAN, Q1, [], {}).staffing is None


def test_months_outside_the_quarter_and_non_quarters_are_refused() -> None:
    with pytest.raises(InvalidInputError):
        compute_quarterly(PLAN, Q1, [(Period.month(2026, 4), month(0))], {})
    with pytest.raises(InvalidInputError):
        compute_quarterly(PLAN, Period.half(2026, 1), [], {})


# -- validation ---------------------------------------------------------------------------------------------


def test_complete_quarter_with_narrative_is_valid() -> None:
    report = compute_quarterly(PLAN, Q1, [(m, month(1_000_000)) for m in Q1.months()], {})
    data = QuarterlyData(narrative="급여 정상 지급, 여비 집행 없음.")
    assert validate_quarterly(report, data).problems == ()


def test_every_monthly_check_is_required() -> None:
    report = compute_quarterly(PLAN, Q1, [(JAN, month(1)), (MAR, month(1))], {})
    result = validate_quarterly(report, QuarterlyData(narrative="내용"))
    assert [(p.code, p.field, p.message) for p in result.errors] == [
        ("quarterly.month.missing", None, "2026년 2월 예산집행 점검이 없습니다. 먼저 작성하세요.")
    ]


@pytest.mark.parametrize("narrative", ["", "   \n"])
def test_narrative_is_required(narrative: str) -> None:
    report = compute_quarterly(PLAN, Q1, [(m, month(0)) for m in Q1.months()], {})
    result = validate_quarterly(report, QuarterlyData(narrative=narrative))
    assert [(p.code, p.field, p.message) for p in result.errors] == [
        ("quarterly.narrative.empty", "narrative", "분기 실적 내용을 입력하세요.")
    ]


# -- payload JSON -------------------------------------------------------------------------------------------


def test_json_round_trip() -> None:
    data = QuarterlyData(narrative="1분기 급여 3,500,000원 집행", explanations={"k@narrative": "설명"})
    assert msgspec.json.decode(msgspec.json.encode(data), type=QuarterlyData) == data
    assert msgspec.json.decode(b"{}", type=QuarterlyData) == new_quarterly() == QuarterlyData()


@pytest.mark.parametrize("raw", [b'{"narrative":5}', b'{"narrative":null}', b'{"explanations":[]}', b"[]"])
def test_wrong_json_types_are_rejected(raw: bytes) -> None:
    with pytest.raises(msgspec.ValidationError):
        msgspec.json.decode(raw, type=QuarterlyData)
