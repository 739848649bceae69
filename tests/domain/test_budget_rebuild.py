"""예산 다시 불러오기: a check re-made from the budget in force keeps what the clerk entered, by key."""

from __future__ import annotations

from jbdesk.domain.budget import (
    BudgetCheckData,
    CheckAnswer,
    ExecutionLine,
    compute_budget_check,
    rebuild_check,
    remap_explanations,
)
from tests.domain.test_budget import (
    AC01_OK,
    AC02_OK,
    CHECKS,
    NATIONAL,
    PROGRAM,
    PROVINCE,
    SALARY,
    TRAVEL,
    expense,
    income,
    revised,
    salary,
)

EDUCATION = "세출/사업비/운영비/교육비/"
# 1차 추경 from July: 여비 dropped, 교육비 added.
REVISED = revised(
    [
        income("국고보조금", 12_000_000),
        income("시·도보조금", 3_600_000),
        salary(),
        expense("사업비", "운영비", "프로그램사업비", 2_400_000),
        expense("사업비", "운영비", "교육비", 1_200_000),
    ]
)
# July's check as it was made on the 본예산 (before the 추경 was entered).
JULY = BudgetCheckData(
    budget_version="본예산",
    lines=[
        ExecutionLine(key=NATIONAL),
        ExecutionLine(key=PROVINCE),
        ExecutionLine(key=SALARY, this_month=1_000_000, reason="호봉 승급분 반영"),
        ExecutionLine(key=TRAVEL, this_month=50_000, reason="도 단위 회의 출장"),
        ExecutionLine(key=PROGRAM, this_month=200_000),
    ],
    checks=[AC01_OK, AC02_OK, CheckAnswer(code="AC-08")],
    explanations={
        "budget.exec.off_plan@lines/4/reason": "하반기 프로그램 집중",
        "budget.exec.off_plan@lines/3/reason": "여비 설명",
        "budget.check@checks/1/status": "증빙 보완 중",
        "budget.balance": "경로 없는 설명",
    },
)
REORDERED = (CHECKS[1], CHECKS[0], CHECKS[2])  # the configuration lists AC-02 first now


def _rebuild(previous_cumulative: dict[str, int]) -> tuple[BudgetCheckData, list[ExecutionLine]]:
    execution = compute_budget_check(REVISED, 7, JULY, previous_cumulative)
    return rebuild_check(JULY, execution, REVISED, None, 7, REORDERED)


def test_lines_follow_the_budget_in_force_keeping_amounts_and_reasons() -> None:
    data, dropped = _rebuild({})
    assert data.budget_version == "1차 추경"
    assert [(line.key, line.this_month, line.reason) for line in data.lines] == [
        (NATIONAL, None, ""),
        (PROVINCE, None, ""),
        (SALARY, 1_000_000, "호봉 승급분 반영"),
        (PROGRAM, 200_000, ""),
        (EDUCATION, None, ""),
    ]
    assert [(line.key, line.this_month) for line in dropped] == [(TRAVEL, 50_000)]  # the page names what went


def test_answers_kept_by_code_in_the_configured_order() -> None:
    data, _ = _rebuild({})
    assert data.checks == [AC02_OK, AC01_OK, CheckAnswer(code="AC-08")]


def test_explanations_follow_their_line_or_check_and_are_dropped_with_it() -> None:
    data, _ = _rebuild({})
    assert data.explanations == {
        "budget.exec.off_plan@lines/3/reason": "하반기 프로그램 집중",  # 프로그램사업비 moved from line 4 to 3
        "budget.check@checks/0/status": "증빙 보완 중",  # AC-02 moved from 1 to 0
        "budget.balance": "경로 없는 설명",
    }


def test_a_dropped_line_with_spending_carried_into_it_stays_with_its_reason() -> None:
    data, dropped = _rebuild({TRAVEL: 300_000})
    assert [line.key for line in data.lines][-1] == TRAVEL
    assert data.lines[-1] == ExecutionLine(key=TRAVEL, this_month=50_000, reason="도 단위 회의 출장")
    assert dropped == []
    assert data.explanations["budget.exec.off_plan@lines/5/reason"] == "여비 설명"


def test_remap_drops_paths_that_point_past_the_old_lists() -> None:
    out = remap_explanations(
        {"a@lines/9/reason": "없는 줄", "b@checks/7/status": "없는 항목", "c@lines/x": "숫자 아님"},
        JULY,
        list(JULY.lines),
        list(JULY.checks),
    )
    assert out == {"c@lines/x": "숫자 아님"}
