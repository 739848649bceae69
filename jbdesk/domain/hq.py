"""Head office read models: who reported what, and the consolidated figures the views, the PDF and Excel print.

Everything here is pure: ``jbdesk.services.consolidation`` loads the received form instances and hands them to
the builders below; the frozen results are shared by the GUI pages, ``jbdesk.exports.pdf_monthly`` and
``jbdesk.exports.excel`` (the exports layer may not import services, so the types live here).

Definitions, decided here once:

- A cell of the submission tracker is one (facility, form, period). It is *not due* when the facility's
  lifecycle expects no report for the period. Otherwise it is *received* when head office holds a revision;
  the current (highest) revision is what counts, with head office's latest review decision *for that revision*:
  접수 (accepted) or 보완요청 (returned). A new revision arriving after 보완요청 has no decision yet, so it shows as
  received again (``resubmitted``). Without a revision it is *missing* once the due date has passed, before that
  *pending* (기한 전).
- *Late* (지연): the first revision head office received was signed (the bundle's ``created_at``, the facility's
  own export time) after the due date. A correction asked for by head office is not late; a report that was
  late stays marked late after its correction.
- Staffing board: figures are the totals of the received staffing form (current revision) of the month. A
  facility without one shows as missing, with no figures: the registry's headcounts (as of 2026-02-01) are kept
  only as ``reference_*`` fields, never mixed into totals. Subtotals and 계 sum the received facilities and say
  how many are missing. The change in 결원 compares each facility with its own previous month and is summed over
  facilities that reported both months.
- Budget roll-ups sum the 세입/세출 side totals of the received checks of the month; the execution rate to date is
  세출 cumulative ÷ 세출 budget in force.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from jbdesk.domain.budget import EXPENSE, INCOME, Amounts, BudgetExecution, ExecutionRow
from jbdesk.domain.facilities import Facility
from jbdesk.domain.forms import FORMS, FormKind, FormRef
from jbdesk.domain.numbers import fmt_int
from jbdesk.domain.periods import Period
from jbdesk.domain.reference import SafetyItem, Target
from jbdesk.domain.safety import OpenAction, SafetyScore
from jbdesk.domain.staffing import StaffingSummary
from jbdesk.domain.survey import PooledResult, SurveyResult
from jbdesk.errors import JbdeskError

# The forms head office tracks, in the order views list them.
TRACKED_FORMS: tuple[FormKind, ...] = (
    FormKind.STAFFING,
    FormKind.BUDGET,
    FormKind.QUARTERLY,
    FormKind.SAFETY,
    FormKind.SURVEY,
)


class Cancelled(JbdeskError):
    """Long work (building a report, writing a PDF or workbook) was cancelled; nothing was written."""

    def __init__(self) -> None:
        super().__init__("작업을 취소했습니다. 파일은 만들지 않았습니다.")


Progress = Callable[[int, int, str], None]  # (done, total, what)


def check_cancelled(cancelled: Callable[[], bool] | None) -> None:
    if cancelled is not None and cancelled():
        raise Cancelled()


SHORT_LABELS: dict[FormKind, str] = {
    FormKind.STAFFING: "인력",
    FormKind.BUDGET: "예산",
    FormKind.BUDGET_PLAN: "연간예산",
    FormKind.QUARTERLY: "분기",
    FormKind.SAFETY: "안전",
    FormKind.SURVEY: "만족도",
}


# -- facilities and bundles -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FacilityBrief:
    """A facility as head-office views list it (plan order = ``sort_order``)."""

    code: str
    name: str
    type: str
    group: str
    account: str  # 특별회계 / 일반회계
    operation: str  # 위수탁 / 직영
    sort_order: int
    reference_authorized: int  # registry headcounts (plan, as of ``reference_as_of``): reference only
    reference_current: int
    reference_as_of: date

    @classmethod
    def of(cls, f: Facility) -> FacilityBrief:
        return cls(
            f.code, f.name, f.type, f.group, f.account, f.operation, f.sort_order,
            f.headcount_authorized, f.headcount_current, f.headcount_as_of,
        )  # fmt: skip


@dataclass(frozen=True)
class BundleRef:
    """The signed bundle that brought one revision: printed in report footers so paper traces to signed data."""

    facility_code: str
    form: FormKind
    period: Period
    revision: int
    sequence: int | None  # the facility's bundle number
    digest: str  # SHA-256 of the bundle file
    key_short: str  # short fingerprint of the signing key (K3F9-...)
    signed_at: datetime | None  # the facility's export time (manifest created_at)

    @property
    def label(self) -> str:
        seq = f" #{self.sequence}" if self.sequence is not None else ""
        return (
            f"{self.facility_code} {SHORT_LABELS[self.form]} {self.period} {self.revision}판{seq} 키 {self.key_short}"
        )


# -- reviews ----------------------------------------------------------------------------------------------------------


class ReviewDecision(StrEnum):
    ACCEPTED = "접수"
    RETURNED = "보완요청"


@dataclass(frozen=True)
class ReviewInfo:
    """Head office's decision on one received revision. ``field_comments``: (payload path, comment) pairs."""

    id: int
    ref: FormRef
    revision: int
    decision: ReviewDecision
    comment: str
    field_comments: tuple[tuple[str, str], ...]
    decided_at: datetime
    decided_by: str
    sent_at: datetime | None  # when the 보완요청 went back to the facility (feedback issue); None: not yet


# -- submission tracker -----------------------------------------------------------------------------------------------


class SubmissionState(StrEnum):
    NOT_DUE = "해당없음"
    PENDING = "기한 전"
    MISSING = "미제출"
    RECEIVED = "접수대기"
    RETURNED = "보완요청"
    ACCEPTED = "접수"

    @property
    def colour(self) -> str:
        """Background colour (hex) for tables; the state is always printed as text too."""
        return STATE_COLOURS[self]


STATE_COLOURS: dict[SubmissionState, str] = {
    SubmissionState.NOT_DUE: "#EEEEEE",
    SubmissionState.PENDING: "#FFFFFF",
    SubmissionState.MISSING: "#F8D7DA",
    SubmissionState.RECEIVED: "#FFF3CD",
    SubmissionState.RETURNED: "#FFE0B2",
    SubmissionState.ACCEPTED: "#D4EDDA",
}
LATE_LABEL = "지연"


@dataclass(frozen=True)
class ReceivedInfo:
    """One revision held at head office, with the bundle that brought it."""

    revision: int
    bundle: BundleRef | None
    note: str  # the facility's comment sent with a corrected revision


def decide_state(
    due: date | None,
    today: date,
    received: Sequence[ReceivedInfo],
    review: ReviewInfo | None,
) -> tuple[SubmissionState, bool]:
    """(state, late) of one tracker cell; ``received`` in revision order, ``review``: latest for the current one."""
    if due is None and not received:
        return SubmissionState.NOT_DUE, False
    if not received:
        assert due is not None
        return (SubmissionState.MISSING if today > due else SubmissionState.PENDING), False
    signed = [r.bundle.signed_at for r in received if r.bundle is not None and r.bundle.signed_at is not None]
    late = due is not None and bool(signed) and min(signed).date() > due
    if review is None:
        return SubmissionState.RECEIVED, late
    state = SubmissionState.ACCEPTED if review.decision is ReviewDecision.ACCEPTED else SubmissionState.RETURNED
    return state, late


@dataclass(frozen=True)
class TrackerCell:
    facility_code: str
    form: FormKind
    period: Period
    state: SubmissionState
    due: date | None  # None: not due
    late: bool
    revision: int | None  # current revision held, None when nothing received
    first_signed_at: datetime | None  # when the first revision was signed (lateness is judged on it)
    review: ReviewInfo | None  # latest decision on the current revision
    resubmitted: bool  # the current revision came after a 보완요청 of an earlier one
    correction_days: int | None = None  # days from that 보완요청 to the signed correction

    @property
    def ref(self) -> FormRef:
        return FormRef(self.facility_code, self.form, self.period)

    @property
    def received(self) -> bool:
        return self.revision is not None

    @property
    def label(self) -> str:
        """Text shown in the grid: '미제출', '1판 접수대기', '2판 접수 · 지연', '–' (not due)."""
        if self.state is SubmissionState.NOT_DUE:
            return "–"
        if self.revision is None:
            return self.state.value
        text = f"{self.revision}판 {self.state.value}"
        if self.late:
            text += f" · {LATE_LABEL}"
        if self.correction_days is not None and self.state is SubmissionState.RECEIVED:
            text += f" · 보완 {self.correction_days}일"  # until head office decides on the correction
        return text

    @property
    def colour(self) -> str:
        return self.state.colour


def count_states(cells: Iterable[TrackerCell]) -> dict[SubmissionState, int]:
    counts = dict.fromkeys(SubmissionState, 0)
    for c in cells:
        counts[c.state] += 1
    return counts


@dataclass(frozen=True)
class TrackerRow:
    facility: FacilityBrief
    cells: tuple[TrackerCell, ...]  # one per period of the grid
    counts: dict[SubmissionState, int]
    late: int


@dataclass(frozen=True)
class TrackerGrid:
    """Facility × period for one form. ``column_counts[i]`` counts the states of ``periods[i]``."""

    form: FormKind
    periods: tuple[Period, ...]
    rows: tuple[TrackerRow, ...]
    column_counts: tuple[dict[SubmissionState, int], ...]
    column_late: tuple[int, ...]
    totals: dict[SubmissionState, int]
    due_day: int
    today: date

    @property
    def title(self) -> str:
        return f"{FORMS[self.form].label} 제출 현황"

    def cell(self, code: str, period: Period) -> TrackerCell:
        for row in self.rows:
            if row.facility.code == code:
                return row.cells[self.periods.index(period)]
        raise KeyError(code)


def build_tracker(
    form: FormKind, periods: Sequence[Period], rows: Sequence[tuple[FacilityBrief, Sequence[TrackerCell]]],
    due_day: int, today: date,
) -> TrackerGrid:  # fmt: skip
    out = tuple(TrackerRow(f, tuple(cells), count_states(cells), sum(1 for c in cells if c.late)) for f, cells in rows)
    columns = tuple(count_states(r.cells[i] for r in out) for i in range(len(periods)))
    late = tuple(sum(1 for r in out if r.cells[i].late) for i in range(len(periods)))
    totals = count_states(c for r in out for c in r.cells)
    return TrackerGrid(form, tuple(periods), out, columns, late, totals, due_day, today)


# -- received forms ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Note:
    """Something the facility wrote that the report should show: a warning and its explanation, a correction note."""

    form: FormKind
    period: Period
    kind: str  # '경고 설명' / '정정 사유' / '검토 의견'
    text: str
    context: str = ""  # the warning message explained, or the field

    @property
    def label(self) -> str:
        return f"{SHORT_LABELS[self.form]} {self.period.label} {self.kind}"


@dataclass(frozen=True)
class ReceivedForm:
    """The current revision of one received instance with what the entry page computes for it."""

    facility: FacilityBrief
    ref: FormRef
    revision: int
    cell: TrackerCell
    data: Any  # the form's msgspec payload
    computed: Any  # StaffingSummary / BudgetExecution / QuarterlyReport / SafetyScore / SurveyResult / None
    notes: tuple[Note, ...]
    bundle: BundleRef | None


# -- staffing board ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StaffingBoardRow:
    facility: FacilityBrief
    cell: TrackerCell
    authorized: int | None  # None: no received staffing form for the month
    current: int | None
    vacancy: int | None  # 결원 = 현원 − 정원 (negative = posts unfilled, printed △)
    previous_vacancy: int | None  # the facility's own previous month
    vacancy_change: int | None  # vacancy − previous_vacancy

    @property
    def received(self) -> bool:
        return self.authorized is not None


@dataclass(frozen=True)
class StaffingSubtotal:
    label: str  # group name, or '계'
    facilities: int
    received: int
    authorized: int
    current: int
    vacancy: int
    previous_vacancy: int | None
    vacancy_change: int | None

    @property
    def missing(self) -> int:
        return self.facilities - self.received

    @property
    def totals_line(self) -> str:
        """'정원 114 · 현원 104 · 결원 △10'."""
        return f"정원 {fmt_int(self.authorized)} · 현원 {fmt_int(self.current)} · 결원 {fmt_int(self.vacancy)}"


@dataclass(frozen=True)
class StaffingGroup:
    name: str
    rows: tuple[StaffingBoardRow, ...]
    subtotal: StaffingSubtotal


@dataclass(frozen=True)
class StaffingBoard:
    """The plan's table 소속시설(위수탁) 현황 for one month."""

    month: Period
    groups: tuple[StaffingGroup, ...]
    total: StaffingSubtotal

    @property
    def rows(self) -> tuple[StaffingBoardRow, ...]:
        return tuple(r for g in self.groups for r in g.rows)

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(r.facility.code for r in self.rows if not r.received)


def _subtotal(label: str, rows: Sequence[StaffingBoardRow]) -> StaffingSubtotal:
    got = [r for r in rows if r.received]
    changes = [r.vacancy_change for r in got if r.vacancy_change is not None]
    previous = [r.previous_vacancy for r in got if r.previous_vacancy is not None]
    return StaffingSubtotal(
        label=label,
        facilities=len(rows),
        received=len(got),
        authorized=sum(r.authorized or 0 for r in got),
        current=sum(r.current or 0 for r in got),
        vacancy=sum(r.vacancy or 0 for r in got),
        previous_vacancy=sum(previous) if previous else None,
        vacancy_change=sum(changes) if changes else None,
    )


def group_order(facilities: Iterable[FacilityBrief]) -> list[str]:
    """Groups in plan order: by the first facility (sort order) of each."""
    order: list[str] = []
    for f in sorted(facilities, key=lambda f: (f.sort_order, f.code)):
        if f.group not in order:
            order.append(f.group)
    return order


def build_staffing_board(
    month: Period,
    entries: Sequence[tuple[FacilityBrief, TrackerCell, StaffingSummary | None, StaffingSummary | None]],
) -> StaffingBoard:
    """``entries``: (facility, cell, this month's summary, previous month's summary) per facility due."""
    rows: list[StaffingBoardRow] = []
    for facility, cell, summary, previous in entries:
        total = summary.total if summary is not None else None
        authorized = total.authorized if total is not None else None
        current = total.current if total is not None else None
        vacancy = (current - authorized) if authorized is not None and current is not None else None
        before = previous.total if previous is not None else None
        prev_vacancy = (
            before.current - before.authorized
            if before is not None and before.current is not None and before.authorized is not None
            else None
        )
        change = vacancy - prev_vacancy if vacancy is not None and prev_vacancy is not None else None
        rows.append(StaffingBoardRow(facility, cell, authorized, current, vacancy, prev_vacancy, change))
    groups = []
    for name in group_order(r.facility for r in rows):
        members = tuple(sorted((r for r in rows if r.facility.group == name), key=lambda r: r.facility.sort_order))
        groups.append(StaffingGroup(name, members, _subtotal(name, members)))
    return StaffingBoard(month, tuple(groups), _subtotal("계", rows))


# -- budget execution -------------------------------------------------------------------------------------------------

FLAG_LABELS = {"over_budget": "예산 초과", "off_plan": "계획 대비 편차", "refund": "반납·여입"}


@dataclass(frozen=True)
class BudgetFlag:
    """A line that needs a reason (over budget, off plan, refund) and the reason given."""

    key: str
    label: str  # '세출 사무비 인건비 급여'
    kinds: tuple[str, ...]  # FLAG_LABELS values
    reason: str
    amounts: Amounts

    @property
    def explained(self) -> bool:
        return bool(self.reason.strip())


def sum_amounts(items: Iterable[Amounts]) -> Amounts:
    items = list(items)
    return Amounts(
        budget=sum(a.budget for a in items),
        previous_cumulative=sum(a.previous_cumulative for a in items),
        this_month=sum(a.this_month for a in items),
        cumulative=sum(a.cumulative for a in items),
        planned=sum(a.planned for a in items),
    )


ZERO = Amounts(0, 0, 0, 0, 0)


def side_amounts(execution: BudgetExecution, side: str) -> Amounts:
    return sum_amounts(t.amounts for t in execution.side_totals if t.side == side)


def flags_of(execution: BudgetExecution) -> tuple[BudgetFlag, ...]:
    out = []
    for row in execution.rows:
        if not row.needs_reason:
            continue
        kinds = tuple(label for name, label in FLAG_LABELS.items() if getattr(row, name))
        out.append(BudgetFlag(row.key, row_label(row), kinds, row.reason, row.amounts))
    return tuple(out)


def row_label(row: ExecutionRow) -> str:
    return " ".join(p for p in (row.side, row.gwan, row.hang, row.mok, row.semok) if p)


@dataclass(frozen=True)
class BudgetFacility:
    facility: FacilityBrief
    cell: TrackerCell
    revision: int | None
    execution: BudgetExecution | None  # None: no received check for the month
    income: Amounts | None
    expense: Amounts | None
    flags: tuple[BudgetFlag, ...]

    @property
    def rate(self) -> float | None:
        """세출 execution rate to date."""
        return self.expense.rate if self.expense is not None else None


@dataclass(frozen=True)
class BudgetRollup:
    label: str
    kind: str  # 'group' / 'account' / 'total'
    facilities: int
    received: int
    income: Amounts
    expense: Amounts

    @property
    def rate(self) -> float | None:
        return self.expense.rate


@dataclass(frozen=True)
class BudgetBoard:
    month: Period
    facilities: tuple[BudgetFacility, ...]
    groups: tuple[BudgetRollup, ...]
    accounts: tuple[BudgetRollup, ...]
    total: BudgetRollup

    @property
    def planned_rate(self) -> float:
        """Straight-line plan to the end of the month: month ÷ 12."""
        return self.month.index / 12


def _rollup(label: str, kind: str, items: Sequence[BudgetFacility]) -> BudgetRollup:
    got = [b for b in items if b.execution is not None]
    return BudgetRollup(
        label, kind, len(items), len(got),
        sum_amounts(b.income or ZERO for b in got), sum_amounts(b.expense or ZERO for b in got),
    )  # fmt: skip


def build_budget_board(
    month: Period, entries: Sequence[tuple[FacilityBrief, TrackerCell, int | None, BudgetExecution | None]]
) -> BudgetBoard:
    facilities = tuple(
        BudgetFacility(
            f,
            cell,
            revision,
            execution,
            side_amounts(execution, INCOME) if execution else None,
            side_amounts(execution, EXPENSE) if execution else None,
            flags_of(execution) if execution else (),
        )
        for f, cell, revision, execution in entries
    )
    groups = tuple(
        _rollup(g, "group", [b for b in facilities if b.facility.group == g])
        for g in group_order(b.facility for b in facilities)
    )
    accounts_order = [a for a in ("특별회계", "일반회계") if any(b.facility.account == a for b in facilities)]
    accounts_order += sorted({b.facility.account for b in facilities} - set(accounts_order))
    accounts = tuple(_rollup(a, "account", [b for b in facilities if b.facility.account == a]) for a in accounts_order)
    return BudgetBoard(month, facilities, groups, accounts, _rollup("계", "total", facilities))


# -- safety -----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SafetyFacility:
    """The latest received checklist of a facility up to the board's half-year."""

    facility: FacilityBrief
    cell: TrackerCell  # of the latest half that has a checklist, else of the board's half
    period: Period | None  # the half of the checklist shown; None: none received yet
    revision: int | None
    checked_on: str
    score: SafetyScore | None

    @property
    def open_actions(self) -> tuple[OpenAction, ...]:
        return self.score.open_actions if self.score is not None else ()


@dataclass(frozen=True)
class SafetyBoard:
    half: Period
    facilities: tuple[SafetyFacility, ...]
    target: Target | None
    actions_raised: int
    actions_closed_on_time: int

    @property
    def completion_rate(self) -> float | None:
        """Over all facilities: actions closed by their due date ÷ actions on the checklists."""
        return round(self.actions_closed_on_time / self.actions_raised, 3) if self.actions_raised else None

    @property
    def open_actions(self) -> int:
        return sum(len(f.open_actions) for f in self.facilities)


def build_safety_board(half: Period, facilities: Sequence[SafetyFacility], target: Target | None) -> SafetyBoard:
    scored = [f.score for f in facilities if f.score is not None]
    return SafetyBoard(
        half, tuple(facilities), target,
        sum(s.actions_raised for s in scored), sum(s.actions_closed_on_time for s in scored),
    )  # fmt: skip


# -- surveys ----------------------------------------------------------------------------------------------------------

SUPPRESSED_LABEL = "비공개(응답 3명 미만)"


@dataclass(frozen=True)
class SurveyFacility:
    facility: FacilityBrief
    cell: TrackerCell
    revision: int | None
    result: SurveyResult | None

    @property
    def user_score(self) -> float | None:
        return self.result.user.printable_score if self.result else None

    @property
    def staff_score(self) -> float | None:
        """None when suppressed (fewer than 3 staff respondents) or not received."""
        return self.result.staff.printable_score if self.result else None

    @property
    def staff_suppressed(self) -> bool:
        return bool(self.result and self.result.staff.suppressed)


@dataclass(frozen=True)
class SurveyBoard:
    year: int
    facilities: tuple[SurveyFacility, ...]
    method: str
    method_text: str
    user: PooledResult | None  # None when nothing received
    staff: PooledResult | None
    user_target: Target | None
    staff_target: Target | None


# -- the monthly report -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SummaryLine:
    """One facility on the summary page."""

    facility: FacilityBrief
    staffing: TrackerCell
    budget: TrackerCell
    authorized: int | None
    current: int | None
    vacancy: int | None
    rate: float | None  # 세출 execution rate to date
    safety_grade: str | None
    safety_period: Period | None
    user_score: float | None
    staff_score: float | None
    staff_suppressed: bool


@dataclass(frozen=True)
class FacilityPage:
    facility: FacilityBrief
    staffing: ReceivedForm | None
    staffing_row: StaffingBoardRow | None
    budget: BudgetFacility | None
    safety: SafetyFacility | None
    survey: SurveyFacility | None
    vacancy_trend: tuple[tuple[Period, int | None], ...]  # 결원 per month of the year up to the report month
    rate_trend: tuple[tuple[Period, float | None], ...]  # 세출 execution rate per month
    notes: tuple[Note, ...]
    bundles: tuple[BundleRef, ...]


@dataclass(frozen=True)
class MonthlyReport:
    """Everything the monthly sheet (PDF) and workbook (Excel) print for ``month``, computed once."""

    month: Period
    generated_at: datetime
    hq_name: str
    due_day: int
    facilities: tuple[FacilityBrief, ...]  # due that month (staffing expected), plan order
    summary: tuple[SummaryLine, ...]
    trackers: tuple[TrackerGrid, ...]  # per tracked form, periods of the year up to the month
    staffing_board: StaffingBoard
    budget_board: BudgetBoard
    safety_board: SafetyBoard
    survey_board: SurveyBoard
    pages: tuple[FacilityPage, ...]
    received: tuple[ReceivedForm, ...]  # every received current revision of the year up to the month
    vacancy_trend: tuple[tuple[Period, int | None, int], ...]  # (month, Σ결원 over received, facilities received)
    safety_items: tuple[SafetyItem, ...]
    bundles: tuple[BundleRef, ...] = field(default=())  # behind the summary page

    @property
    def title(self) -> str:
        return f"{self.month.year}년 {self.month.index}월 소속시설 운영 현황"

    def received_of(self, form: FormKind) -> tuple[ReceivedForm, ...]:
        return tuple(r for r in self.received if r.ref.form is form)

    @property
    def anything_received(self) -> bool:
        return any(r.ref.period == self.month for r in self.received)


def latest_by_facility(forms: Iterable[ReceivedForm]) -> Mapping[str, ReceivedForm]:
    """The newest period per facility."""
    out: dict[str, ReceivedForm] = {}
    for r in sorted(forms, key=lambda r: r.ref.period.start):
        out[r.facility.code] = r
    return out


SEVERITY_ORDER = {"상": 0, "중": 1, "하": 2}  # 상→하


def open_actions(board: SafetyBoard) -> list[tuple[SafetyFacility, OpenAction]]:
    """Every open action of the board, by severity (상→하), then due date, then facility order."""
    found = [(f, a) for f in board.facilities for a in f.open_actions]
    return sorted(
        found,
        key=lambda fa: (SEVERITY_ORDER.get(fa[1].severity, 9), fa[1].due or "9999", fa[0].facility.sort_order),
    )
