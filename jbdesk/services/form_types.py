"""Per-form wiring: payload type, how a new period is pre-filled, validated and computed, with what context."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

import msgspec

from jbdesk.domain import budget, quarterly, safety, staffing, survey
from jbdesk.domain.facilities import Facility
from jbdesk.domain.forms import FormKind, FormRef
from jbdesk.domain.periods import Period
from jbdesk.domain.reference import ReferenceData, SafetyItem
from jbdesk.domain.validation import ValidationResult

Loader = Callable[[FormKind, Period], Any]


@dataclass(frozen=True)
class FormContext:
    """What a rule may look at besides the form itself: the facility, reference data, other instances."""

    ref: FormRef
    facility: Facility
    reference: ReferenceData
    today: date
    load: Loader  # current data of another instance of the same facility, or None
    # Shared by the contexts of one read-only view of the data (a report's snapshot), so that each facility's chain
    # of monthly cumulatives is derived once, not again for every month and form that needs it. None where the
    # data changes between calls (entry, import).
    memo: dict[tuple[str, int, int], dict[str, int]] | None = None

    def budget_plan(self) -> budget.BudgetPlanData:
        return self.load(FormKind.BUDGET_PLAN, Period.of_year(self.ref.period.year)) or budget.BudgetPlanData()

    def cumulative_before(self, month: int) -> dict[str, int]:
        """Cumulative execution per line at the end of ``month - 1``: the chain of this year's checks."""
        plan = self.budget_plan()
        year = self.ref.period.year
        cumulative: dict[str, int] = {}
        first = 1
        if self.memo is not None:
            for m in range(month, 1, -1):  # the latest month already derived
                found = self.memo.get((self.ref.facility_code, year, m))
                if found is not None:
                    cumulative, first = found, m
                    break
        for m in range(first, month):
            check = self.load(FormKind.BUDGET, Period.month(year, m))
            if check is not None:
                cumulative = budget.cumulative_after(plan, m, check, cumulative)
            if self.memo is not None:
                self.memo[(self.ref.facility_code, year, m + 1)] = cumulative
        return cumulative


class FormHandler(Protocol):
    @property
    def data_type(self) -> type[msgspec.Struct]: ...  # read-only: each handler narrows it to its own payload

    def new(self, ctx: FormContext) -> msgspec.Struct: ...

    def validate(self, data: Any, ctx: FormContext) -> ValidationResult: ...

    def compute(self, data: Any, ctx: FormContext) -> Any: ...


class StaffingHandler:
    data_type = staffing.StaffingData

    def _previous(self, ctx: FormContext) -> staffing.StaffingData | None:
        previous: staffing.StaffingData | None = ctx.load(FormKind.STAFFING, ctx.ref.period.previous())
        return previous

    def new(self, ctx: FormContext) -> staffing.StaffingData:
        return staffing.prefill_staffing(self._previous(ctx))

    def validate(self, data: staffing.StaffingData, ctx: FormContext) -> ValidationResult:
        return staffing.validate_staffing(data, self._previous(ctx))

    def compute(self, data: staffing.StaffingData, ctx: FormContext) -> staffing.StaffingSummary:
        return staffing.compute_staffing(data)


class BudgetPlanHandler:
    data_type = budget.BudgetPlanData

    def new(self, ctx: FormContext) -> budget.BudgetPlanData:
        last_year = ctx.load(FormKind.BUDGET_PLAN, ctx.ref.period.previous())
        if last_year is not None and last_year.versions:
            # Next year's 본예산 starts from this year's final lines: the clerk edits amounts, not structure.
            final = last_year.versions[-1]
            return budget.BudgetPlanData(
                versions=[budget.BudgetVersion(name="본예산", effective_month=1, lines=final.lines)]
            )
        return budget.new_budget_plan(ctx.reference.budget_accounts)

    def validate(self, data: budget.BudgetPlanData, ctx: FormContext) -> ValidationResult:
        return budget.validate_budget_plan(data, ctx.reference.budget_accounts)

    def compute(self, data: budget.BudgetPlanData, ctx: FormContext) -> None:
        return None


class BudgetCheckHandler:
    data_type = budget.BudgetCheckData

    def new(self, ctx: FormContext) -> budget.BudgetCheckData:
        month = ctx.ref.period.index
        previous = ctx.load(FormKind.BUDGET, ctx.ref.period.previous()) if month > 1 else None
        return budget.prefill_budget_check(ctx.budget_plan(), previous, month, ctx.reference.accounting_checks)

    def validate(self, data: budget.BudgetCheckData, ctx: FormContext) -> ValidationResult:
        month = ctx.ref.period.index
        return budget.validate_budget_check(
            ctx.budget_plan(), month, data, ctx.cumulative_before(month), ctx.reference.accounting_checks
        )

    def compute(self, data: budget.BudgetCheckData, ctx: FormContext) -> budget.BudgetExecution:
        month = ctx.ref.period.index
        return budget.compute_budget_check(ctx.budget_plan(), month, data, ctx.cumulative_before(month))


class QuarterlyHandler:
    data_type = quarterly.QuarterlyData

    def new(self, ctx: FormContext) -> quarterly.QuarterlyData:
        return quarterly.new_quarterly()

    def compute(self, data: quarterly.QuarterlyData, ctx: FormContext) -> quarterly.QuarterlyReport:
        q = ctx.ref.period
        months = q.months()
        return quarterly.compute_quarterly(
            ctx.budget_plan(),
            q,
            [(m, ctx.load(FormKind.BUDGET, m)) for m in months],
            ctx.cumulative_before(months[0].index),
            [(m, ctx.load(FormKind.STAFFING, m)) for m in months],
        )

    def validate(self, data: quarterly.QuarterlyData, ctx: FormContext) -> ValidationResult:
        return quarterly.validate_quarterly(self.compute(data, ctx), data)


class SafetyHandler:
    data_type = safety.SafetyData

    def items(self, ctx: FormContext) -> tuple[SafetyItem, ...]:
        return safety.applicable_items(ctx.reference.safety_items, ctx.facility.features)

    def new(self, ctx: FormContext) -> safety.SafetyData:
        previous = ctx.load(FormKind.SAFETY, ctx.ref.period.previous())
        return safety.prefill_safety(ctx.reference.safety_items, ctx.facility.features, previous)

    def validate(self, data: safety.SafetyData, ctx: FormContext) -> ValidationResult:
        return safety.validate_safety(data, self.items(ctx))

    def compute(self, data: safety.SafetyData, ctx: FormContext) -> safety.SafetyScore:
        target = ctx.reference.target(ctx.ref.period.year, safety.COMPLETION_INDICATOR)
        return safety.compute_safety(data, self.items(ctx), ctx.today, target)


class SurveyHandler:
    data_type = survey.SurveyData

    def new(self, ctx: FormContext) -> survey.SurveyData:
        return survey.new_survey(ctx.reference)

    def validate(self, data: survey.SurveyData, ctx: FormContext) -> ValidationResult:
        return survey.validate_survey(data, ctx.reference.survey_items)

    def compute(self, data: survey.SurveyData, ctx: FormContext) -> survey.SurveyResult:
        return survey.compute_survey(data, ctx.reference.survey_items, ctx.reference, ctx.ref.period.year)


HANDLERS: dict[FormKind, FormHandler] = {
    FormKind.STAFFING: StaffingHandler(),
    FormKind.BUDGET_PLAN: BudgetPlanHandler(),
    FormKind.BUDGET: BudgetCheckHandler(),
    FormKind.QUARTERLY: QuarterlyHandler(),
    FormKind.SAFETY: SafetyHandler(),
    FormKind.SURVEY: SurveyHandler(),
}
