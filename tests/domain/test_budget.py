"""연간 예산 and 월별 예산집행 점검: versions, plan rules, execution figures and check rules, JSON round trip."""

from __future__ import annotations

from pathlib import Path

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from jbdesk.domain.budget import (
    BudgetCheckData,
    BudgetLine,
    BudgetPlanData,
    BudgetVersion,
    CheckAnswer,
    ExecutionLine,
    add_revision,
    balance_difference,
    budget_in_force,
    check_status,
    compute_budget_check,
    cumulative_after,
    new_budget_plan,
    prefill_budget_check,
    validate_budget_check,
    validate_budget_plan,
)
from jbdesk.domain.reference import AccountingCheck, BudgetAccount, load_reference
from jbdesk.domain.validation import ValidationResult
from jbdesk.errors import InvalidInputError

DATA_DIR = Path(__file__).resolve().parents[2] / "resources" / "data"

ACCOUNTS = (
    BudgetAccount("세입", "보조금수입", "보조금수입", "국고보조금", ""),
    BudgetAccount("세입", "보조금수입", "보조금수입", "시·도보조금", ""),
    BudgetAccount("세출", "사무비", "인건비", "급여", ""),
    BudgetAccount("세출", "사무비", "운영비", "여비", ""),
    BudgetAccount("세출", "사업비", "운영비", "프로그램사업비", ""),
)
CHECKS = (
    AccountingCheck("AC-01", "통장 잔액과 장부 잔액이 일치하는가?", "status+amounts"),
    AccountingCheck("AC-02", "증빙서류를 갖추었는가?", "status"),
    AccountingCheck("AC-08", "계획과 크게 다른 항목에 사유를 기록하였는가?", "computed"),
)

SALARY = "세출/사무비/인건비/급여/"
TRAVEL = "세출/사무비/운영비/여비/"
PROGRAM = "세출/사업비/운영비/프로그램사업비/"
NATIONAL = "세입/보조금수입/보조금수입/국고보조금/"
PROVINCE = "세입/보조금수입/보조금수입/시·도보조금/"


def salary(total: int | None = 12_000_000, **changes: object) -> BudgetLine:
    """급여 12,000,000 = 국비 6,000,000 + 도비 4,000,000 + 시군비 2,000,000; 산출 250,000 × 4명 × 12개월."""
    line = BudgetLine(side="세출", gwan="사무비", hang="인건비", mok="급여", total=total)
    sources = {"national": 6_000_000, "province": 4_000_000, "city": 2_000_000, "other": 0}
    calc = {"calc_unit": 250_000, "calc_qty": 4, "calc_freq": 12, "calc_note": "250,000원×4명×12개월"}
    return msgspec.structs.replace(line, **{**sources, **calc, **changes})


def no_calc(line: BudgetLine) -> BudgetLine:
    return msgspec.structs.replace(line, calc_unit=None, calc_qty=None, calc_freq=None, calc_note="")


def income(mok: str, amount: int) -> BudgetLine:
    return BudgetLine(side="세입", gwan="보조금수입", hang="보조금수입", mok=mok, other=amount)


def expense(gwan: str, hang: str, mok: str, amount: int) -> BudgetLine:
    return BudgetLine(side="세출", gwan=gwan, hang=hang, mok=mok, national=amount)


# 세입 12,000,000 + 3,600,000 = 15,600,000 = 세출 12,000,000 + 1,200,000 + 2,400,000.
MAIN_LINES = [
    income("국고보조금", 12_000_000),
    income("시·도보조금", 3_600_000),
    salary(),
    expense("사무비", "운영비", "여비", 1_200_000),
    expense("사업비", "운영비", "프로그램사업비", 2_400_000),
]
PLAN = BudgetPlanData(versions=[BudgetVersion(name="본예산", effective_month=1, lines=MAIN_LINES)])


def revised(lines: list[BudgetLine], month: int = 7) -> BudgetPlanData:
    """PLAN plus a 1차 추경 from ``month`` with ``lines``."""
    return BudgetPlanData(
        versions=[PLAN.versions[0], BudgetVersion(name="1차 추경", effective_month=month, lines=lines)]
    )


ONE = BudgetPlanData(versions=[BudgetVersion(name="본예산", effective_month=1, lines=[salary()])])  # for check rules


def plan_problems(plan: BudgetPlanData) -> list[tuple[str, str, str | None]]:
    return [(p.severity.name, p.code, p.field) for p in validate_budget_plan(plan, ACCOUNTS).problems]


def one_line_plan(line: BudgetLine) -> BudgetPlanData:
    return BudgetPlanData(versions=[BudgetVersion(lines=[line])])


# ---------------------------------------------------------------------------------------------------------
# yearly budget


def test_line_key_amount_and_sources() -> None:
    line = salary()
    assert line.key == "세출/사무비/인건비/급여/"
    assert line.account_key == "세출/사무비/인건비/급여"
    assert msgspec.structs.replace(line, semok="관리직").key == "세출/사무비/인건비/급여/관리직"
    assert line.sources_sum == 6_000_000 + 4_000_000 + 2_000_000 + 0 == 12_000_000
    assert salary(total=None).amount == 12_000_000  # 계 not stated: derived from the sources
    assert salary(total=11_000_000).amount == 11_000_000  # stated 계 is the approved budget


def test_new_budget_plan_has_one_empty_line_per_account_on_both_sides() -> None:
    plan = new_budget_plan(ACCOUNTS)
    (version,) = plan.versions
    assert (version.name, version.effective_month) == ("본예산", 1)
    assert [line.account_key for line in version.lines] == [a.key for a in ACCOUNTS]
    assert all(line.amount == 0 and line.total is None and line.calc_unit is None for line in version.lines)


def test_new_budget_plan_from_the_shipped_chart_of_accounts() -> None:
    accounts = load_reference(DATA_DIR).budget_accounts
    (version,) = new_budget_plan(accounts).versions
    assert len(version.lines) == len(accounts)
    assert {line.side for line in version.lines} == {"세입", "세출"}
    # An untouched plan only has the 0 = 0 balance: no errors, no warnings.
    assert validate_budget_plan(new_budget_plan(accounts), accounts).problems == ()


def test_add_revision_copies_the_latest_lines_into_the_next_revision() -> None:
    first = add_revision(PLAN, 7)
    assert [(v.name, v.effective_month) for v in first.versions] == [("본예산", 1), ("1차 추경", 7)]
    assert first.versions[1].lines == first.versions[0].lines
    changed = BudgetVersion(name="1차 추경", effective_month=7, lines=[salary(total=None, other=2_400_000)])
    edited = msgspec.structs.replace(first, versions=[first.versions[0], changed])
    second = add_revision(edited, 10)
    assert second.versions[2].name == "2차 추경"
    assert second.versions[2].lines == changed.lines  # copied from 1차 추경, not 본예산
    third = add_revision(second, 12)
    assert [v.name for v in third.versions] == ["본예산", "1차 추경", "2차 추경", "3차 추경"]


def test_add_revision_refuses_a_fourth_revision_an_early_month_and_an_empty_plan() -> None:
    full = add_revision(add_revision(add_revision(PLAN, 4), 7), 10)
    with pytest.raises(InvalidInputError, match="3차까지"):
        add_revision(full, 12)
    with pytest.raises(InvalidInputError, match="2월에서 12월"):
        add_revision(PLAN, 1)
    with pytest.raises(InvalidInputError):
        add_revision(PLAN, 13)
    with pytest.raises(InvalidInputError, match="본예산"):
        add_revision(BudgetPlanData(), 3)


def test_budget_in_force_is_the_latest_version_already_effective() -> None:
    plan = add_revision(add_revision(PLAN, 7), 10)
    in_force = {month: budget_in_force(plan, month).name for month in range(1, 13)}  # type: ignore[union-attr]
    expected = {**dict.fromkeys(range(1, 7), "본예산"), **dict.fromkeys((7, 8, 9), "1차 추경")}
    assert in_force == {**expected, **dict.fromkeys((10, 11, 12), "2차 추경")}
    assert budget_in_force(BudgetPlanData(), 5) is None
    late = BudgetPlanData(versions=[BudgetVersion(effective_month=3)])
    assert budget_in_force(late, 2) is None


def test_a_consistent_plan_has_no_problems() -> None:
    assert plan_problems(PLAN) == []
    assert plan_problems(add_revision(PLAN, 7)) == []


def test_sources_must_add_up_to_the_stated_total() -> None:
    # 5,000,000 + 3,000,000 + 2,000,000 + 0 = 10,000,000 ≠ 계 11,000,000
    line = no_calc(salary(total=11_000_000, national=5_000_000, province=3_000_000, city=2_000_000, other=0))
    result = validate_budget_plan(one_line_plan(line), ACCOUNTS)
    (found,) = result.errors
    assert (found.code, found.field) == ("budget.line.sources", "versions/0/lines/0/total")
    assert found.message == "재원 합계 10,000,000원이 계 11,000,000원과 다릅니다."


def test_a_blank_total_is_derived_and_never_mismatches() -> None:
    line = salary(total=None, national=5_000_000, province=3_000_000, city=2_000_000, calc_unit=None)
    plan = one_line_plan(msgspec.structs.replace(line, calc_qty=None, calc_freq=None))
    assert [c for _, c, _ in plan_problems(plan)] == ["budget.balance"]  # 세입 0 vs 세출 10,000,000 only


def test_calculation_that_recomputes_is_fine_and_one_that_does_not_is_a_warning() -> None:
    assert validate_budget_plan(PLAN, ACCOUNTS).problems == ()  # 250,000 × 4 × 12 = 12,000,000
    wrong = [*MAIN_LINES[:2], salary(calc_freq=11), *MAIN_LINES[3:]]  # 250,000 × 4 × 11 = 11,000,000
    result = validate_budget_plan(BudgetPlanData(versions=[BudgetVersion(lines=wrong)]), ACCOUNTS)
    assert result.errors == ()
    (found,) = result.warnings
    assert (found.code, found.field) == ("budget.line.calc", "versions/0/lines/2/calc_unit")
    assert found.message == "산출내역 250,000 × 4 × 11 = 11,000,000원이 금액 12,000,000원과 다릅니다."
    assert result.can_complete({found.key: "11개월분만 편성(1월 결원)"})


def test_calculation_is_compared_with_the_derived_amount_when_total_is_blank() -> None:
    line = salary(total=None, national=5_000_000)  # 계 = 5,000,000 + 4,000,000 + 2,000,000 = 11,000,000
    result = validate_budget_plan(one_line_plan(line), ACCOUNTS)
    assert "12,000,000원이 금액 11,000,000원과" in next(
        p.message for p in result.warnings if p.code == "budget.line.calc"
    )


def test_partial_calculation_is_a_warning() -> None:
    line = salary(calc_freq=None)
    problems = validate_budget_plan(one_line_plan(line), ACCOUNTS).warnings
    assert ("budget.line.calc_incomplete", "versions/0/lines/0/calc_unit") in [(p.code, p.field) for p in problems]


@pytest.mark.parametrize("name", ["national", "province", "city", "other", "total", "calc_unit", "calc_qty"])
def test_negative_amounts_are_errors(name: str) -> None:
    result = validate_budget_plan(one_line_plan(salary(**{name: -1})), ACCOUNTS)
    assert [(p.code, p.field) for p in result.errors] == [("budget.line.negative", f"versions/0/lines/0/{name}")]


def test_account_must_be_in_the_chart_unless_it_is_a_semok_under_a_known_mok() -> None:
    # 급여 split into 세목 관리직 10,000,000 (6,000,000 + 4,000,000) and 돌봄직 2,000,000 (시군비).
    manager = no_calc(salary(semok="관리직", total=None, city=0))
    carer = no_calc(salary(semok="돌봄직", total=2_000_000, national=0, province=0))
    own_semok = [*MAIN_LINES[:2], manager, carer, *MAIN_LINES[3:]]
    assert plan_problems(BudgetPlanData(versions=[BudgetVersion(lines=own_semok)])) == []
    unknown_mok = [*MAIN_LINES[:2], salary(mok="상여금"), *MAIN_LINES[3:]]
    result = validate_budget_plan(BudgetPlanData(versions=[BudgetVersion(lines=unknown_mok)]), ACCOUNTS)
    (found,) = result.errors
    assert (found.code, found.field) == ("budget.line.account", "versions/0/lines/2/mok")
    assert found.message == "예산과목 '세출 사무비 인건비 상여금'의 관·항·목이 과목표에 없습니다."
    semok_of_unknown = one_line_plan(salary(hang="운영비", semok="관리직"))
    assert ("ERROR", "budget.line.account", "versions/0/lines/0/mok") in plan_problems(semok_of_unknown)


def test_side_must_be_income_or_expense_and_names_cannot_hold_a_slash() -> None:
    assert ("ERROR", "budget.line.side", "versions/0/lines/0/side") in plan_problems(one_line_plan(salary(side="지출")))
    assert ("ERROR", "budget.line.slash", "versions/0/lines/0/mok") in plan_problems(
        one_line_plan(salary(semok="관리/돌봄"))
    )


def test_duplicate_lines_in_a_version_are_errors() -> None:
    plan = BudgetPlanData(versions=[BudgetVersion(lines=[*MAIN_LINES, salary()])])
    assert ("ERROR", "budget.line.duplicate", "versions/0/lines/5/mok") in plan_problems(plan)


def test_unbalanced_income_and_expense_is_a_warning() -> None:
    plan = BudgetPlanData(versions=[BudgetVersion(lines=MAIN_LINES[1:])])  # 세입 3,600,000 vs 세출 15,600,000
    result = validate_budget_plan(plan, ACCOUNTS)
    (found,) = result.warnings
    assert (found.code, found.field) == ("budget.balance", "versions/0")
    assert found.message == "세입 합계 3,600,000원과 세출 합계 15,600,000원이 다릅니다."


def test_versions_effective_months_must_increase_strictly() -> None:
    same = BudgetVersion(name="1차 추경", effective_month=1, lines=MAIN_LINES)
    result = validate_budget_plan(BudgetPlanData(versions=[PLAN.versions[0], same]), ACCOUNTS)
    (found,) = result.errors
    assert (found.code, found.field) == ("budget.version.order", "versions/1/effective_month")
    assert found.message == "적용 월은 앞 예산(본예산, 1월)보다 뒤여야 합니다."
    out_of_range = BudgetPlanData(versions=[BudgetVersion(effective_month=13, lines=MAIN_LINES)])
    assert plan_problems(out_of_range) == [("ERROR", "budget.version.month", "versions/0/effective_month")]


def test_at_most_main_budget_and_three_revisions() -> None:
    versions = [BudgetVersion(name=f"v{m}", effective_month=m, lines=MAIN_LINES) for m in (1, 4, 7, 10, 12)]
    assert plan_problems(BudgetPlanData(versions=versions)) == [("ERROR", "budget.versions.too_many", "versions/4")]


def test_a_plan_without_versions_is_an_error() -> None:
    assert plan_problems(BudgetPlanData()) == [("ERROR", "budget.versions.empty", "versions")]


# ---------------------------------------------------------------------------------------------------------
# monthly execution: figures


AC01_OK = CheckAnswer(code="AC-01", status="적합", bank_balance=1_000_000, book_balance=1_000_000)
AC02_OK = CheckAnswer(code="AC-02", status="적합")


def check(plan: BudgetPlanData = ONE, /, **amounts: int | None) -> BudgetCheckData:
    """A check of the plan's latest version: one line per budget line with this month's amount from
    ``amounts`` (keyed as SALARY, TRAVEL ...; blank if not given), extra keys appended; every item 적합."""
    latest = plan.versions[-1]
    keys = dict.fromkeys([*(line.key for line in latest.lines), *amounts])
    return BudgetCheckData(
        budget_version=latest.name,
        lines=[ExecutionLine(key=k, this_month=amounts.get(k)) for k in keys],
        checks=[AC01_OK, AC02_OK, CheckAnswer(code="AC-08")],
    )


def with_reason(data: BudgetCheckData, index: int, reason: str) -> BudgetCheckData:
    lines = list(data.lines)
    lines[index] = msgspec.structs.replace(lines[index], reason=reason)
    return msgspec.structs.replace(data, lines=lines)


def row_of(execution, key):  # type: ignore[no-untyped-def]
    return next(r for r in execution.rows if r.key == key)


def test_march_figures_of_a_12000000_line_on_plan() -> None:
    # Jan + Feb spent 2,000,000; March 1,000,000 → cumulative 3,000,000 = 25.0% = 3/12: on the straight line.
    execution = compute_budget_check(PLAN, 3, check(PLAN, **{SALARY: 1_000_000}), {SALARY: 2_000_000})
    a = row_of(execution, SALARY).amounts
    assert (a.budget, a.previous_cumulative, a.this_month, a.cumulative) == (
        12_000_000,
        2_000_000,
        1_000_000,
        3_000_000,
    )
    assert a.rate == 0.25
    assert a.remainder == 9_000_000
    assert (a.planned, a.deviation) == (3_000_000, 0)
    assert execution.version_name == "본예산"
    assert not row_of(execution, SALARY).needs_reason


def test_straight_line_plan_is_rounded_half_up_to_the_won() -> None:
    plan = one_line_plan(expense("사무비", "운영비", "여비", 18))
    assert row_of(compute_budget_check(plan, 1, BudgetCheckData(), {}), TRAVEL).amounts.planned == 2  # 1.5 → 2
    plan = one_line_plan(expense("사무비", "운영비", "여비", 1_000_001))
    assert row_of(compute_budget_check(plan, 1, BudgetCheckData(), {}), TRAVEL).amounts.planned == 83_333


def test_rate_is_none_without_budget_and_remainder_can_be_negative() -> None:
    plan = one_line_plan(expense("사무비", "운영비", "여비", 0))
    a = row_of(compute_budget_check(plan, 3, check(**{TRAVEL: 50_000}), {}), TRAVEL).amounts
    assert a.rate is None
    assert a.remainder == -50_000


def test_blank_lines_count_as_nothing_spent() -> None:
    execution = compute_budget_check(PLAN, 2, check(PLAN), {SALARY: 1_000_000})
    assert row_of(execution, SALARY).amounts.cumulative == 1_000_000
    assert row_of(execution, TRAVEL).amounts.this_month == 0


def test_totals_per_side_per_gwan_and_per_gwan_hang() -> None:
    data = check(PLAN, **{NATIONAL: 3_000_000, PROVINCE: 900_000, SALARY: 1_000_000, TRAVEL: 100_000, PROGRAM: 200_000})
    execution = compute_budget_check(PLAN, 3, data, {SALARY: 2_000_000, TRAVEL: 200_000})
    sides = {t.label: (t.amounts.budget, t.amounts.cumulative) for t in execution.side_totals}
    assert sides == {"세입": (15_600_000, 3_900_000), "세출": (15_600_000, 3_000_000 + 300_000 + 200_000)}
    gwans = {t.label: (t.amounts.budget, t.amounts.this_month) for t in execution.gwan_totals}
    assert gwans == {
        "세입 보조금수입": (15_600_000, 3_900_000),
        "세출 사무비": (13_200_000, 1_100_000),
        "세출 사업비": (2_400_000, 200_000),
    }
    hangs = {t.label: t.amounts.cumulative for t in execution.hang_totals}
    # 운영비 under 사무비 and under 사업비 are different 관·항 and stay apart.
    assert hangs == {
        "세입 보조금수입 보조금수입": 3_900_000,
        "세출 사무비 인건비": 3_000_000,
        "세출 사무비 운영비": 300_000,
        "세출 사업비 운영비": 200_000,
    }
    expense_total = next(t for t in execution.side_totals if t.side == "세출").amounts
    assert expense_total.rate == 3_500_000 / 15_600_000
    assert expense_total.remainder == 12_100_000
    assert expense_total.planned == 3_000_000 + 300_000 + 600_000


def test_a_year_is_a_chain_of_months() -> None:
    cumulative: dict[str, int] = {}
    for month in range(1, 13):
        cumulative = cumulative_after(PLAN, month, check(PLAN, **{SALARY: 1_000_000, TRAVEL: 100_000}), cumulative)
    assert cumulative[SALARY] == 12 * 1_000_000 == 12_000_000
    assert cumulative[TRAVEL] == 1_200_000
    assert cumulative[NATIONAL] == 0


@given(st.lists(st.integers(0, 5_000_000), min_size=1, max_size=12))
def test_cumulative_is_previous_cumulative_plus_this_month(amounts: list[int]) -> None:
    cumulative: dict[str, int] = {}
    for month, amount in enumerate(amounts, start=1):
        before = cumulative.get(SALARY, 0)
        execution = compute_budget_check(PLAN, month, check(**{SALARY: amount}), cumulative)
        assert row_of(execution, SALARY).amounts.cumulative == before + amount
        cumulative = cumulative_after(PLAN, month, check(**{SALARY: amount}), cumulative)
    assert cumulative[SALARY] == sum(amounts)


_KEYS = [SALARY, TRAVEL, PROGRAM, NATIONAL, "세출/사업비/운영비/행사비/", "세입/기타수입/기타/이자/"]


@given(
    st.lists(  # twelve months of lines: any key (also keys without budget), refunds, blanks, duplicates
        st.lists(st.tuples(st.sampled_from(_KEYS), st.none() | st.integers(-500_000, 5_000_000)), max_size=8),
        min_size=12,
        max_size=12,
    ),
    st.integers(2, 12),
)
def test_the_fast_cumulative_equals_the_full_computation(months: list[list[tuple[str, int | None]]], cut: int) -> None:
    """``cumulative_after`` skips the rows and subtotals; its keys, their order and values must stay those of the
    full computation, which the reports and the entry rules show."""
    plan = revised(MAIN_LINES[:3], month=cut)  # lines dropped by a 추경 keep their cumulative
    cumulative: dict[str, int] = {}
    for month, entries in enumerate(months, start=1):
        data = BudgetCheckData(lines=[ExecutionLine(key=key, this_month=amount) for key, amount in entries])
        full = compute_budget_check(plan, month, data, cumulative)
        fast = cumulative_after(plan, month, data, cumulative)
        assert list(fast.items()) == [(row.key, row.amounts.cumulative) for row in full.rows]
        cumulative = fast


def test_revision_changes_the_budget_in_force_from_its_month() -> None:
    revised = add_revision(PLAN, 7)
    bigger = BudgetVersion(name="1차 추경", effective_month=7, lines=[salary(total=None, other=2_400_000)])
    plan = msgspec.structs.replace(revised, versions=[PLAN.versions[0], bigger])
    assert row_of(compute_budget_check(plan, 6, BudgetCheckData(), {}), SALARY).amounts.budget == 12_000_000
    july = compute_budget_check(plan, 7, BudgetCheckData(), {SALARY: 8_400_000})
    a = row_of(july, SALARY).amounts
    assert (july.version_name, a.budget, a.planned) == ("1차 추경", 14_400_000, 8_400_000)  # 14,400,000 × 7/12


def test_spending_on_a_line_dropped_by_a_revision_stays_in_the_totals() -> None:
    plan = revised(MAIN_LINES[:3])  # 여비 and 프로그램사업비 dropped from July
    execution = compute_budget_check(
        plan, 7, check(plan, **{SALARY: 0}), {SALARY: 6_000_000, TRAVEL: 300_000, PROGRAM: 0}
    )
    orphan = row_of(execution, TRAVEL)
    assert (orphan.amounts.budget, orphan.amounts.cumulative, orphan.over_budget) == (0, 300_000, True)
    assert PROGRAM not in [r.key for r in execution.rows]  # nothing spent: nothing to carry
    assert next(t for t in execution.side_totals if t.side == "세출").amounts.cumulative == 6_300_000


# ---------------------------------------------------------------------------------------------------------
# monthly execution: rules


def check_problems(
    data: BudgetCheckData,
    month: int = 3,
    previous: dict[str, int] | None = None,
    *,
    plan: BudgetPlanData = ONE,
    threshold: float = 0.25,
) -> ValidationResult:
    return validate_budget_check(plan, month, data, previous or {}, CHECKS, threshold=threshold)


def test_a_complete_check_on_plan_can_be_completed() -> None:
    data = check(PLAN, **{NATIONAL: 0, SALARY: 1_000_000, TRAVEL: 100_000, PROGRAM: 200_000})
    result = check_problems(data, previous={SALARY: 2_000_000, TRAVEL: 200_000, PROGRAM: 400_000}, plan=PLAN)
    assert result.problems == ()
    assert result.can_complete(data.explanations)


def test_execution_far_ahead_of_plan_needs_a_reason() -> None:
    # 9,000,000 / 12,000,000 = 75.0% by March; plan 3/12 = 25.0%; 75 − 25 = 50 points > 25 points.
    data = check(**{SALARY: 3_000_000})
    result = check_problems(data, previous={SALARY: 6_000_000})
    assert result.errors == ()
    (found,) = result.warnings
    assert (found.code, found.field) == ("budget.exec.off_plan", "lines/0/reason")
    assert found.message == "집행률 75.0%가 계획 25.0%와 25%p 넘게 차이 납니다. 사유를 입력하세요."
    assert check_problems(with_reason(data, 0, "상반기 일시 채용"), previous={SALARY: 6_000_000}).problems == ()


def test_execution_far_behind_plan_needs_a_reason_too() -> None:
    # 0 spent by June: 0% vs 50% → warning.
    result = check_problems(check(**{SALARY: 0}), month=6)
    assert [(p.code, p.field) for p in result.warnings] == [("budget.exec.off_plan", "lines/0/reason")]


def test_deviation_of_exactly_the_threshold_is_no_warning_and_threshold_is_configurable() -> None:
    data = check(**{SALARY: 3_000_000})
    previous = {SALARY: 3_000_000}  # 6,000,000 = 50% by March: 25 points off, not more
    assert check_problems(data, previous=previous).problems == ()
    tighter = check_problems(data, previous=previous, threshold=0.2)
    assert [p.code for p in tighter.warnings] == ["budget.exec.off_plan"]
    assert "20%p" in tighter.warnings[0].message


def test_plan_deviation_is_not_checked_for_income_or_zero_budget_lines() -> None:
    # 세입: 국고보조금 received in full in March (100% vs 25%): no warning. 세출 lines are on plan (25%).
    data = check(PLAN, **{NATIONAL: 12_000_000, SALARY: 3_000_000, TRAVEL: 300_000, PROGRAM: 600_000})
    assert check_problems(data, plan=PLAN).problems == ()
    plan = one_line_plan(expense("사무비", "운영비", "여비", 0))
    execution = compute_budget_check(plan, 3, check(**{TRAVEL: 0}), {})
    assert not row_of(execution, TRAVEL).off_plan


def test_over_budget_needs_a_reason_and_the_reason_clears_it() -> None:
    # 12,000,000 budget; 11,500,000 + 1,000,000 = 12,500,000 by December.
    data = check(**{SALARY: 1_000_000})
    result = check_problems(data, month=12, previous={SALARY: 11_500_000})
    (found,) = result.errors
    assert (found.code, found.field) == ("budget.exec.over_budget", "lines/0/reason")
    assert found.message == "누계 집행액이 예산을 초과합니다. 사유를 입력하세요."
    assert row_of(compute_budget_check(PLAN, 12, data, {SALARY: 11_500_000}), SALARY).amounts.remainder == -500_000
    cleared = check_problems(with_reason(data, 0, "퇴직자 연차수당 정산, 2차 추경 반영 예정"), 12, {SALARY: 11_500_000})
    assert cleared.problems == ()


def test_spending_exactly_the_budget_is_not_over_budget() -> None:
    assert check_problems(check(**{SALARY: 1_000_000}), month=12, previous={SALARY: 11_000_000}).problems == ()


def test_income_above_budget_is_not_an_error() -> None:
    data = check(PLAN, **{NATIONAL: 13_000_000, SALARY: 3_000_000, TRAVEL: 300_000, PROGRAM: 600_000})
    assert check_problems(data, plan=PLAN).problems == ()


def test_a_refund_is_allowed_with_a_reason() -> None:
    # 여비: 500,000 spent before; 200,000 returned in March → 500,000 − 200,000 = 300,000 = 25% of 1,200,000.
    data = check(PLAN, **{SALARY: 1_000_000, TRAVEL: -200_000, PROGRAM: 600_000})
    previous = {SALARY: 2_000_000, TRAVEL: 500_000}
    execution = compute_budget_check(PLAN, 3, data, previous)
    assert row_of(execution, TRAVEL).amounts.cumulative == 300_000
    result = check_problems(data, previous=previous, plan=PLAN)
    assert [(p.severity.name, p.code, p.field) for p in result.problems] == [
        ("WARNING", "budget.exec.refund", "lines/3/reason")
    ]
    cleared = check_problems(with_reason(data, 3, "출장 취소 여비 반납"), previous=previous, plan=PLAN)
    assert cleared.problems == ()


def test_refunds_cannot_bring_cumulative_below_zero() -> None:
    data = with_reason(check(PLAN, **{SALARY: 1_000_000, TRAVEL: -200_000, PROGRAM: 600_000}), 3, "반납")
    result = check_problems(data, previous={SALARY: 2_000_000, TRAVEL: 100_000}, plan=PLAN)
    (found,) = result.errors
    assert (found.code, found.field) == ("budget.exec.cumulative_negative", "lines/3/this_month")
    assert found.message == "누계 집행액이 △100,000원으로 0보다 작습니다. 반납액을 확인하세요."


def test_an_untouched_check_is_an_error() -> None:
    result = check_problems(check())
    assert ("budget.exec.empty", "lines") in [(p.code, p.field) for p in result.errors]


def test_lines_must_belong_to_the_budget() -> None:
    data = check(**{SALARY: 3_000_000, "세출/사무비/인건비/상여금/": 0})
    result = check_problems(data)
    assert [(p.code, p.field) for p in result.errors] == [("budget.exec.unknown_line", "lines/1/key")]
    assert result.errors[0].message == "예산에 없는 과목입니다."


def test_a_line_twice_is_an_error() -> None:
    data = BudgetCheckData(
        budget_version="본예산",
        lines=[ExecutionLine(key=SALARY, this_month=3_000_000), ExecutionLine(key=SALARY, this_month=1)],
        checks=check().checks,
    )
    assert [(p.code, p.field) for p in check_problems(data).errors] == [("budget.exec.duplicate", "lines/1/key")]


def test_spending_kept_on_a_line_dropped_by_a_revision_must_be_explained() -> None:
    plan = revised(MAIN_LINES[:3])  # 여비 and 프로그램사업비 dropped from July
    data = check(plan, **{SALARY: 1_000_000})
    result = validate_budget_check(plan, 7, data, {SALARY: 6_000_000, TRAVEL: 300_000}, CHECKS)
    (found,) = result.errors
    assert (found.code, found.field) == ("budget.exec.over_budget", "lines")
    assert found.message == (
        "예산에서 빠진 과목 '세출 사무비 운영비 여비'에 누계 집행액이 있습니다. 과목을 추가하고 사유를 입력하세요."
    )
    added = msgspec.structs.replace(data, lines=[*data.lines, ExecutionLine(key=TRAVEL, reason="추경에서 감액")])
    assert validate_budget_check(plan, 7, added, {SALARY: 6_000_000, TRAVEL: 300_000}, CHECKS).problems == ()


def test_every_budget_line_must_be_in_the_check() -> None:
    data = check(PLAN, **{SALARY: 3_000_000})
    data = msgspec.structs.replace(data, lines=[line for line in data.lines if line.key != TRAVEL])
    result = check_problems(data, plan=PLAN)
    assert [(p.code, p.field, p.message) for p in result.errors] == [
        (
            "budget.exec.missing_line",
            "lines",
            "예산과목 '세출 사무비 운영비 여비'이(가) 점검표에 없습니다. 점검표를 다시 불러오세요.",
        )
    ]


def test_the_check_must_follow_the_budget_in_force() -> None:
    plan = add_revision(ONE, 3)
    result = validate_budget_check(plan, 3, check(ONE, **{SALARY: 3_000_000}), {}, CHECKS)
    (found,) = result.errors
    assert (found.code, found.field) == ("budget.version.stale", "budget_version")
    assert found.message == "3월에 적용되는 예산은 1차 추경입니다. 점검표를 다시 불러오세요."
    result = validate_budget_check(BudgetPlanData(), 3, BudgetCheckData(), {}, CHECKS)
    assert ("budget.version.missing", "budget_version") in [(p.code, p.field) for p in result.errors]


# ---------------------------------------------------------------------------------------------------------
# monthly execution: check items


def with_answers(*answers: CheckAnswer) -> BudgetCheckData:
    return msgspec.structs.replace(check(**{SALARY: 3_000_000}), checks=list(answers))


def test_every_item_must_be_answered_except_computed_ones() -> None:
    data = with_answers(AC01_OK, CheckAnswer(code="AC-02"), CheckAnswer(code="AC-08"))
    result = check_problems(data)
    assert [(p.code, p.field, p.message) for p in result.errors] == [
        ("budget.check.unanswered", "checks/1/status", "점검 결과를 선택하세요.")
    ]


def test_missing_items_are_errors_but_a_missing_computed_item_is_not() -> None:
    result = check_problems(with_answers(AC01_OK))
    assert [(p.code, p.field, p.message) for p in result.errors] == [
        ("budget.check.missing", "checks", "점검 항목 AC-02이(가) 없습니다.")
    ]


def test_non_compliant_needs_a_note() -> None:
    bad = CheckAnswer(code="AC-02", status="부적합")
    result = check_problems(with_answers(AC01_OK, bad))
    assert [(p.code, p.field) for p in result.errors] == [("budget.check.note", "checks/1/note")]
    noted = msgspec.structs.replace(bad, note="카드전표 2건 누락, 재발급 요청")
    assert check_problems(with_answers(AC01_OK, noted)).problems == ()


def test_unknown_status_is_an_error() -> None:
    result = check_problems(with_answers(AC01_OK, CheckAnswer(code="AC-02", status="예")))
    assert [(p.code, p.field) for p in result.errors] == [("budget.check.status", "checks/1/status")]


def test_bank_and_book_balances_are_required_for_ac01() -> None:
    result = check_problems(with_answers(CheckAnswer(code="AC-01", status="적합"), AC02_OK))
    assert [(p.code, p.field) for p in result.errors] == [
        ("budget.check.bank", "checks/0/bank_balance"),
        ("budget.check.book", "checks/0/book_balance"),
    ]
    not_applicable = CheckAnswer(code="AC-01", status="해당없음")
    assert check_problems(with_answers(not_applicable, AC02_OK)).problems == ()


def test_balance_difference_is_a_warning_needing_an_explanation() -> None:
    # bank 1,000,000 − book 999,000 = 1,000
    answer = CheckAnswer(code="AC-01", status="적합", bank_balance=1_000_000, book_balance=999_000)
    assert balance_difference(answer) == 1_000
    assert balance_difference(CheckAnswer(code="AC-01", bank_balance=1)) is None
    data = with_answers(answer, AC02_OK)
    result = check_problems(data)
    (found,) = result.warnings
    assert (found.code, found.field) == ("budget.check.balance", "checks/0/book_balance")
    assert found.message == "통장 잔액과 장부 잔액이 1,000원 차이 납니다. 사유를 적어 주세요."
    assert not result.can_complete(data.explanations)
    assert result.can_complete({found.key: "3월 31일 이자 1,000원 미기장"})


def test_computed_check_is_answered_by_the_figures() -> None:
    ac08 = CHECKS[2]
    on_plan = compute_budget_check(ONE, 3, check(**{SALARY: 3_000_000}), {})
    assert check_status(ac08, None, on_plan) == "적합"
    ahead = check(**{SALARY: 9_000_000})
    off = compute_budget_check(ONE, 3, ahead, {})
    assert off.unexplained == (SALARY,)
    assert check_status(ac08, CheckAnswer(code="AC-08", status="적합"), off) == "부적합"  # the clerk cannot overrule
    explained = compute_budget_check(ONE, 3, with_reason(ahead, 0, "연초 일괄 지급"), {})
    assert check_status(ac08, None, explained) == "적합"
    assert check_status(CHECKS[1], AC02_OK, off) == "적합"
    assert check_status(CHECKS[1], None, off) == ""


# ---------------------------------------------------------------------------------------------------------
# prefill


def test_prefill_builds_empty_lines_of_the_version_in_force_and_unanswered_items() -> None:
    data = prefill_budget_check(PLAN, None, 3, CHECKS)
    assert data.budget_version == "본예산"
    assert [line.key for line in data.lines] == [NATIONAL, PROVINCE, SALARY, TRAVEL, PROGRAM]
    assert all(line.this_month is None and line.reason == "" for line in data.lines)
    assert data.checks == [CheckAnswer(code="AC-01"), CheckAnswer(code="AC-02"), CheckAnswer(code="AC-08")]


def test_prefill_follows_a_revision_and_carries_reasons_but_not_amounts_or_answers() -> None:
    plan = revised(MAIN_LINES[2:])  # 세입 lines dropped from July
    june = with_reason(check(PLAN, **{SALARY: 1_000_000, TRAVEL: 50_000}), 2, "2차 추경 반영 예정")
    july = prefill_budget_check(plan, june, 7, CHECKS)
    assert july.budget_version == "1차 추경"
    assert [(line.key, line.this_month, line.reason) for line in july.lines] == [
        (SALARY, None, "2차 추경 반영 예정"),
        (TRAVEL, None, ""),
        (PROGRAM, None, ""),
    ]
    assert all(a.status == "" and a.bank_balance is None for a in july.checks)


def test_prefill_without_a_budget_gives_an_empty_check_that_does_not_validate() -> None:
    data = prefill_budget_check(BudgetPlanData(), None, 1, CHECKS)
    assert (data.budget_version, data.lines) == ("", [])
    result = validate_budget_check(BudgetPlanData(), 1, data, {}, CHECKS)
    assert result.errors[0].message == "1월에 적용할 예산이 없습니다. 연간 예산을 먼저 입력하세요."


# ---------------------------------------------------------------------------------------------------------
# payload JSON


def test_plan_json_round_trip() -> None:
    plan = msgspec.structs.replace(add_revision(PLAN, 7), explanations={"budget.balance@versions/0": "이월금 미반영"})
    raw = msgspec.json.encode(plan)
    assert msgspec.json.decode(raw, type=BudgetPlanData) == plan
    assert '"mok":"급여"'.encode() in raw


def test_check_json_round_trip() -> None:
    data = msgspec.structs.replace(
        with_reason(check(PLAN, **{SALARY: 1_000_000, TRAVEL: -20_000}), 3, "반납"),
        explanations={"budget.check.balance@checks/0/book_balance": "이자 미기장"},
    )
    assert msgspec.json.decode(msgspec.json.encode(data), type=BudgetCheckData) == data


def test_missing_json_fields_take_defaults() -> None:
    line = msgspec.json.decode('{"versions":[{"lines":[{"mok":"급여","national":5}]}]}'.encode(), type=BudgetPlanData)
    only = line.versions[0]
    assert (only.name, only.effective_month) == ("본예산", 1)
    assert only.lines[0] == BudgetLine(mok="급여", national=5)
    assert msgspec.json.decode(b"{}", type=BudgetCheckData) == BudgetCheckData()


@pytest.mark.parametrize(
    "raw",
    [
        b'{"versions":[{"effective_month":"3"}]}',
        b'{"versions":[{"lines":[{"national":1.5}]}]}',
        b'{"versions":[{"lines":[{"total":"1,000"}]}]}',
        b'{"versions":{}}',
    ],
)
def test_wrong_plan_json_types_are_rejected(raw: bytes) -> None:
    with pytest.raises(msgspec.ValidationError):
        msgspec.json.decode(raw, type=BudgetPlanData)


@pytest.mark.parametrize(
    "raw",
    [
        b'{"lines":[{"key":"x","this_month":"1000"}]}',
        b'{"lines":[{"key":"x","this_month":10.5}]}',
        b'{"checks":[{"code":"AC-01","bank_balance":true}]}',
        b'{"checks":[{"code":"AC-01","status":null}]}',
        b'{"budget_version":3}',
    ],
)
def test_wrong_check_json_types_are_rejected(raw: bytes) -> None:
    with pytest.raises(msgspec.ValidationError):
        msgspec.json.decode(raw, type=BudgetCheckData)
