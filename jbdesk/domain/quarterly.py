"""분기실적보고서: generated from the quarter's three monthly execution checks plus a narrative, never retyped."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

import msgspec

from jbdesk.domain.budget import BudgetCheckData, BudgetExecution, BudgetPlanData, compute_budget_check
from jbdesk.domain.periods import Period, PeriodKind
from jbdesk.domain.staffing import StaffingData, StaffingSummary, compute_staffing
from jbdesk.domain.validation import Problem, ValidationResult, error
from jbdesk.errors import InvalidInputError

T = TypeVar("T")


class QuarterlyData(msgspec.Struct, frozen=True, kw_only=True):
    narrative: str = ""  # 분기 실적 내용: the only thing typed for the quarter
    explanations: dict[str, str] = {}


@dataclass(frozen=True)
class QuarterFigures:
    """A line or subtotal over the quarter, in 원. ``months`` holds each month's execution (None: check missing)."""

    budget: int  # version in force in the quarter's last month
    months: tuple[int | None, int | None, int | None]
    previous_cumulative: int  # at the start of the quarter

    @property
    def quarter_total(self) -> int:
        return sum(m or 0 for m in self.months)

    @property
    def cumulative(self) -> int:
        return self.previous_cumulative + self.quarter_total

    @property
    def rate(self) -> float | None:
        return self.cumulative / self.budget if self.budget else None

    @property
    def remainder(self) -> int:
        return self.budget - self.cumulative


@dataclass(frozen=True)
class QuarterRow:
    key: str
    side: str
    gwan: str
    hang: str
    mok: str
    semok: str
    figures: QuarterFigures
    reason: str  # the latest month's reason for variance, if any


@dataclass(frozen=True)
class QuarterTotal:
    """Per side (gwan = hang = ""), per 관 (hang = "") or per 관·항."""

    side: str
    gwan: str
    hang: str
    figures: QuarterFigures


@dataclass(frozen=True)
class QuarterStaffing:
    months: tuple[tuple[Period, StaffingSummary | None], ...]
    missing: tuple[Period, ...]
    authorized: int | None  # quarter-end month; None when that month is missing
    current: int | None
    vacancy: int | None
    hires: int  # summed over the months entered
    leavers: int


@dataclass(frozen=True)
class QuarterlyReport:
    quarter: Period
    months: tuple[Period, Period, Period]
    missing: tuple[Period, ...]  # months without an execution check
    version_name: str | None  # budget in force at quarter end
    executions: tuple[BudgetExecution, BudgetExecution, BudgetExecution]  # chained; a missing month counts 0
    rows: tuple[QuarterRow, ...]
    side_totals: tuple[QuarterTotal, ...]
    gwan_totals: tuple[QuarterTotal, ...]
    hang_totals: tuple[QuarterTotal, ...]
    staffing: QuarterStaffing | None


def new_quarterly() -> QuarterlyData:
    return QuarterlyData()


def _by_month(quarter: Period, entries: Sequence[tuple[Period, T | None]]) -> dict[Period, T | None]:
    months = set(quarter.months())
    found: dict[Period, T | None] = {}
    for period, data in entries:
        if period not in months:
            raise InvalidInputError(f"{period.label}은(는) {quarter.label}에 속하지 않습니다.")
        found[period] = data
    return found


def _add(items: list[QuarterFigures]) -> QuarterFigures:
    def month_sum(i: int) -> int | None:
        entered = [m for f in items if (m := f.months[i]) is not None]
        return sum(entered) if entered else None

    return QuarterFigures(
        budget=sum(f.budget for f in items),
        months=(month_sum(0), month_sum(1), month_sum(2)),
        previous_cumulative=sum(f.previous_cumulative for f in items),
    )


def _totals(rows: tuple[QuarterRow, ...], depth: int) -> tuple[QuarterTotal, ...]:
    groups: dict[tuple[str, str, str], list[QuarterFigures]] = {}
    for row in rows:
        group = (row.side, row.gwan if depth >= 2 else "", row.hang if depth >= 3 else "")
        groups.setdefault(group, []).append(row.figures)
    return tuple(QuarterTotal(side, gwan, hang, _add(items)) for (side, gwan, hang), items in groups.items())


def _staffing(quarter: Period, entries: Sequence[tuple[Period, StaffingData | None]]) -> QuarterStaffing:
    found = _by_month(quarter, entries)
    summaries = tuple((m, compute_staffing(data) if (data := found.get(m)) else None) for m in quarter.months())
    entered = [s for _, s in summaries if s is not None]
    last = summaries[-1][1]
    return QuarterStaffing(
        months=summaries,
        missing=tuple(m for m, s in summaries if s is None),
        authorized=last.total.authorized if last else None,
        current=last.total.current if last else None,
        vacancy=last.total.vacancy if last else None,
        hires=sum(s.total.hires or 0 for s in entered),
        leavers=sum(s.total.leavers or 0 for s in entered),
    )


def compute_quarterly(
    plan: BudgetPlanData,
    quarter: Period,
    months: list[tuple[Period, BudgetCheckData | None]],
    previous_cumulative_at_quarter_start: dict[str, int],
    staffing: list[tuple[Period, StaffingData | None]] | None = None,
) -> QuarterlyReport:
    """Chains the three months (each month's cumulative is the next one's start); a missing month counts as
    nothing spent so the other months still add up, and is listed in ``missing``."""
    if quarter.kind is not PeriodKind.QUARTER:
        raise InvalidInputError(f"분기가 아닙니다: {quarter}")
    found = _by_month(quarter, months)
    periods = quarter.months()
    cumulative = dict(previous_cumulative_at_quarter_start)
    executions: list[BudgetExecution] = []
    for period in periods:
        check = found.get(period) or BudgetCheckData()
        execution = compute_budget_check(plan, period.index, check, cumulative)
        executions.append(execution)
        cumulative = {row.key: row.amounts.cumulative for row in execution.rows}
    missing = tuple(p for p in periods if found.get(p) is None)
    rows = _quarter_rows(executions, periods, missing, previous_cumulative_at_quarter_start)
    return QuarterlyReport(
        quarter=quarter,
        months=(periods[0], periods[1], periods[2]),
        missing=missing,
        version_name=executions[-1].version_name,
        executions=(executions[0], executions[1], executions[2]),
        rows=rows,
        side_totals=_totals(rows, 1),
        gwan_totals=_totals(rows, 2),
        hang_totals=_totals(rows, 3),
        staffing=_staffing(quarter, staffing) if staffing is not None else None,
    )


def _quarter_rows(
    executions: list[BudgetExecution], periods: list[Period], missing: tuple[Period, ...], previous: dict[str, int]
) -> tuple[QuarterRow, ...]:
    """A row per budget line seen in any of the three months: its amounts per month and its latest reason."""
    by_key = [{row.key: row for row in e.rows} for e in executions]
    keys = dict.fromkeys(key for rows in by_key for key in rows)
    last = by_key[-1]
    out: list[QuarterRow] = []
    for key in keys:
        sample = next(rows[key] for rows in reversed(by_key) if key in rows)
        amounts = [
            None if p in missing else (rows[key].amounts.this_month if key in rows else 0)
            for p, rows in zip(periods, by_key, strict=True)
        ]
        reasons = [rows[key].reason for rows in by_key if key in rows and rows[key].reason.strip()]
        figures = QuarterFigures(
            budget=last[key].amounts.budget if key in last else 0,
            months=(amounts[0], amounts[1], amounts[2]),
            previous_cumulative=previous.get(key, 0),
        )
        out.append(
            QuarterRow(
                key=key,
                side=sample.side,
                gwan=sample.gwan,
                hang=sample.hang,
                mok=sample.mok,
                semok=sample.semok,
                figures=figures,
                reason=reasons[-1] if reasons else "",
            )
        )
    return tuple(out)


def validate_quarterly(report: QuarterlyReport, data: QuarterlyData) -> ValidationResult:
    problems: list[Problem] = [
        error("quarterly.month.missing", f"{period.label} 예산집행 점검이 없습니다. 먼저 작성하세요.")
        for period in report.missing
    ]
    if not data.narrative.strip():
        problems.append(error("quarterly.narrative.empty", "분기 실적 내용을 입력하세요.", "narrative"))
    return ValidationResult.of(problems)
