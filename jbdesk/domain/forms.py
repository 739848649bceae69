"""The catalogue of report forms, their cadence, entry windows and due dates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from jbdesk.domain.periods import Period, PeriodKind


class FormKind(StrEnum):
    STAFFING = "staffing"
    BUDGET = "budget"
    BUDGET_PLAN = "budget_plan"
    QUARTERLY = "quarterly"
    SAFETY = "safety"
    SURVEY = "survey"


class FormStatus(StrEnum):
    """Life of one form instance (facility, form, period)."""

    DRAFT = "작성중"
    READY = "작성완료"
    SUBMITTED = "제출됨"
    ACCEPTED = "접수"
    RETURNED = "보완요청"


@dataclass(frozen=True)
class FormSpec:
    kind: FormKind
    label: str
    period_kind: PeriodKind
    scheduled: bool = True  # False: entered when needed (the yearly budget), never "due"


FORMS: dict[FormKind, FormSpec] = {
    FormKind.STAFFING: FormSpec(FormKind.STAFFING, "월별 인력 현황", PeriodKind.MONTH),
    FormKind.BUDGET: FormSpec(FormKind.BUDGET, "월별 예산집행 점검", PeriodKind.MONTH),
    FormKind.BUDGET_PLAN: FormSpec(FormKind.BUDGET_PLAN, "연간 예산", PeriodKind.YEAR, scheduled=False),
    FormKind.QUARTERLY: FormSpec(FormKind.QUARTERLY, "분기실적보고서", PeriodKind.QUARTER),
    FormKind.SAFETY: FormSpec(FormKind.SAFETY, "반기 안전 점검표", PeriodKind.HALF),
    FormKind.SURVEY: FormSpec(FormKind.SURVEY, "만족도 조사", PeriodKind.YEAR),
}


@dataclass(frozen=True)
class Schedule:
    """When a form for a period can be entered and when it is due.

    Monthly forms are due on ``monthly_due_day`` of the following month (the plan says "early next
    month"; head office sets the day). The safety checklist is done in Jan-Feb (H1) and Sep-Oct (H2);
    surveys in Nov-Dec (domain brief, L4754).
    """

    monthly_due_day: int = 10

    def opens(self, form: FormKind, period: Period) -> date:
        if form is FormKind.SAFETY:
            return date(period.year, 1 if period.index == 1 else 9, 1)
        if form is FormKind.SURVEY:
            return date(period.year, 11, 1)
        if form is FormKind.BUDGET_PLAN:
            return date(period.year - 1, 12, 1)  # the budget is set before the year starts
        return period.start

    def due(self, form: FormKind, period: Period) -> date:
        if form is FormKind.SAFETY:
            end_month = 2 if period.index == 1 else 10
            return Period.month(period.year, end_month).end
        if form is FormKind.SURVEY:
            return date(period.year, 12, 31)
        if form is FormKind.BUDGET_PLAN:
            return date(period.year, 1, 31)
        following = period.end + timedelta(days=1)
        return following.replace(day=self.monthly_due_day)

    def periods_between(self, form: FormKind, first: Period, last_day: date) -> list[Period]:
        """Every period of ``form`` from the one containing ``first.start`` whose window opened by ``last_day``."""
        kind = FORMS[form].period_kind
        period = Period.containing(first.start, kind)
        out: list[Period] = []
        while self.opens(form, period) <= last_day:
            out.append(period)
            period = period.next()
        return out


@dataclass(frozen=True, order=True)
class FormRef:
    """Names one form instance: (facility, form, period). Its revisions share the ref."""

    facility_code: str
    form: FormKind
    period: Period

    def __post_init__(self) -> None:
        if FORMS[self.form].period_kind is not self.period.kind:
            from jbdesk.errors import InvalidInputError

            raise InvalidInputError(f"{FORMS[self.form].label}의 기간 단위가 아닙니다: {self.period}")

    @property
    def label(self) -> str:
        return f"{FORMS[self.form].label} {self.period.label}"


# A returned (보완요청) revision stays as it was sent: the correction is a new revision (수정하기).
EDITABLE = frozenset({FormStatus.DRAFT, FormStatus.READY})


@dataclass(frozen=True)
class InstanceRecord:
    """One stored revision as the store hands it out: the payload still as JSON bytes."""

    ref: FormRef
    revision: int
    status: FormStatus
    config_version: int
    payload: bytes
    created_at: datetime
    updated_at: datetime
    ready_at: datetime | None = None
    submitted_at: datetime | None = None
    note: str = ""

    @property
    def editable(self) -> bool:
        return self.status in EDITABLE


@dataclass(frozen=True)
class ChangeEntry:
    at: datetime
    os_user: str
    operator: str
    action: str  # create, edit, status, reopen
    revision: int
    field: str
    old_value: str | None
    new_value: str | None
