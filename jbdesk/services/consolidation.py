"""Head office read models: submission tracker, staffing board, budget execution, safety, surveys, the monthly report.

Each public method returns frozen dataclasses from ``jbdesk.domain.hq`` (re-exported here), computed from the
received form instances (current revision = highest) with the same handlers the entry pages use, so head office
prints exactly the figures the facility saw. One ``_Snapshot`` per call reads the store once.

Usage (head office)::

    hq = ConsolidationService(ws)
    grid = hq.tracker(FormKind.STAFFING, Period.parse("2026-01"), Period.parse("2026-12"))
    board = hq.staffing_board(Period.parse("2026-03"))
    report = hq.monthly_report(Period.parse("2026-03"), progress=cb, cancelled=flag)
    hq.write_monthly_pdf(report, Path("2026-03.pdf")); hq.write_monthly_xlsx(report, Path("2026-03.xlsx"))
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import msgspec

from jbdesk import clock
from jbdesk.bundle.keys import short_of_fingerprint
from jbdesk.domain import survey as survey_domain
from jbdesk.domain.budget import EXPENSE, BudgetExecution
from jbdesk.domain.facilities import Facility, forms_due
from jbdesk.domain.field_names import describe
from jbdesk.domain.forms import FORMS, FormKind, FormRef, InstanceRecord, Schedule
from jbdesk.domain.hq import (
    TRACKED_FORMS,
    BudgetBoard,
    BudgetFacility,
    BudgetFlag,
    BudgetRollup,
    BundleRef,
    Cancelled,
    FacilityBrief,
    FacilityPage,
    MonthlyReport,
    Note,
    Progress,
    ReceivedForm,
    ReceivedInfo,
    ReviewDecision,
    ReviewInfo,
    SafetyBoard,
    SafetyFacility,
    StaffingBoard,
    StaffingBoardRow,
    StaffingGroup,
    StaffingSubtotal,
    SubmissionState,
    SummaryLine,
    SurveyBoard,
    SurveyFacility,
    TrackerCell,
    TrackerGrid,
    TrackerRow,
    build_budget_board,
    build_safety_board,
    build_staffing_board,
    build_tracker,
    check_cancelled,
    decide_state,
)
from jbdesk.domain.periods import Period, PeriodKind
from jbdesk.domain.safety import COMPLETION_INDICATOR
from jbdesk.domain.staffing import StaffingSummary
from jbdesk.errors import InvalidInputError, NotFoundError
from jbdesk.services.form_types import HANDLERS, FormContext
from jbdesk.store import Session
from jbdesk.store import forms as form_store
from jbdesk.store import review as review_store
from jbdesk.store.settings import get_setting, set_setting

if TYPE_CHECKING:
    from jbdesk.services.workspace import Workspace

__all__ = [
    "BudgetBoard",
    "BudgetFacility",
    "BudgetFlag",
    "BudgetRollup",
    "BundleRef",
    "Cancelled",
    "ConsolidationService",
    "FacilityBrief",
    "FacilityPage",
    "MonthlyReport",
    "Note",
    "ReceivedForm",
    "ReviewDecision",
    "ReviewInfo",
    "SafetyBoard",
    "SafetyFacility",
    "StaffingBoard",
    "StaffingBoardRow",
    "StaffingGroup",
    "StaffingSubtotal",
    "SubmissionState",
    "SummaryLine",
    "SurveyBoard",
    "SurveyFacility",
    "TrackerCell",
    "TrackerGrid",
    "TrackerRow",
]

DUE_DAY_SETTING = "monthly_due_day"
DEFAULT_DUE_DAY = 10


def _parse_signed(text: str | None) -> datetime | None:
    """The manifest's created_at (local time with offset) as the facility's wall-clock time."""
    if not text:
        return None
    try:
        return datetime.fromisoformat(text).replace(tzinfo=None)
    except ValueError:
        return None


def periods_between(kind: PeriodKind, first: Period, last: Period) -> list[Period]:
    """Periods of ``kind`` overlapping ``first.start`` .. ``last.end``."""
    period, end = Period.containing(first.start, kind), last.end
    out = []
    while period.start <= end:
        out.append(period)
        period = period.next()
    return out


class _Snapshot:
    """What one call reads: facilities, the received index, reviews; payloads and computations on demand."""

    def __init__(self, svc: ConsolidationService, s: Session) -> None:
        self.svc, self.s = svc, s
        ws = svc.ws
        self.reference = ws.reference
        self.today = svc.today
        self.schedule = svc.schedule
        self.facilities: dict[str, Facility] = {f.code: f for f in ws.registry.facilities()}
        self.briefs = {c: FacilityBrief.of(f) for c, f in self.facilities.items()}
        self.rows: dict[tuple[str, str, str], list[review_store.ReceivedRow]] = {}
        self._periods: dict[tuple[str, str], list[str]] = {}  # (facility, form) → periods received
        for row in review_store.received_index(s):
            key = (row.facility_code, row.form, row.period)
            if key not in self.rows:
                self._periods.setdefault((row.facility_code, row.form), []).append(row.period)
            self.rows.setdefault(key, []).append(row)
        self.reviews: dict[tuple[str, str, str], list[ReviewInfo]] = {}
        for r in review_store.all_reviews(s):
            self.reviews.setdefault((r.ref.facility_code, r.ref.form.value, str(r.ref.period)), []).append(r)
        self._keys: dict[str, str] = {}
        self._records: dict[str, dict[tuple[FormKind, Period], InstanceRecord]] = {}
        self._memo: dict[tuple[str, int, int], dict[str, int]] = {}
        self._data: dict[FormRef, Any] = {}
        self._computed: dict[FormRef, Any] = {}
        self._cells: dict[FormRef, TrackerCell] = {}

    # facilities ----------------------------------------------------------------------------------------------
    def ordered(self, codes: Sequence[str] | None = None) -> list[Facility]:
        chosen = self.facilities.values() if codes is None else [self.facilities[c] for c in codes]
        return sorted(chosen, key=lambda f: (f.sort_order, f.code))

    def due_for(self, form: FormKind, period: Period) -> list[Facility]:
        return [f for f in self.ordered() if forms_due(f, form, period, self.schedule) is not None]

    # received ------------------------------------------------------------------------------------------------
    def key_short(self, fingerprint: str | None) -> str:
        if not fingerprint:
            return ""
        if fingerprint not in self._keys:
            try:
                self._keys[fingerprint] = short_of_fingerprint(fingerprint)
            except ValueError:
                self._keys[fingerprint] = fingerprint[:12]
        return self._keys[fingerprint]

    def received(self, ref: FormRef) -> list[ReceivedInfo]:
        out = []
        for row in self.rows.get((ref.facility_code, ref.form.value, str(ref.period)), []):
            bundle = None
            if row.bundle_digest:
                bundle = BundleRef(
                    ref.facility_code, ref.form, ref.period, row.revision, row.bundle_sequence, row.bundle_digest,
                    self.key_short(row.key_fingerprint), _parse_signed(row.bundle_created_at),
                )  # fmt: skip
            out.append(ReceivedInfo(row.revision, bundle, row.note))
        return out

    def periods_received(self, code: str, form: FormKind) -> list[Period]:
        return sorted(Period.parse(p) for p in self._periods.get((code, form.value), []))

    def cell(self, ref: FormRef) -> TrackerCell:
        if ref in self._cells:
            return self._cells[ref]
        facility = self.facilities.get(ref.facility_code)
        due_form = forms_due(facility, ref.form, ref.period, self.schedule) if facility is not None else None
        due = due_form.due if due_form is not None else None
        received = self.received(ref)
        current = received[-1].revision if received else None
        reviews = self.reviews.get((ref.facility_code, ref.form.value, str(ref.period)), [])
        mine = [r for r in reviews if r.revision == current]
        review = mine[-1] if mine else None
        resubmitted = current is not None and any(
            r.decision is ReviewDecision.RETURNED and r.revision < current for r in reviews
        )
        state, late = decide_state(due, self.today, received, review)
        signed = [r.bundle.signed_at for r in received if r.bundle is not None and r.bundle.signed_at is not None]
        correction_days = None
        if (
            resubmitted
            and current is not None
            and received[-1].bundle is not None
            and received[-1].bundle.signed_at is not None
        ):
            returns = [r for r in reviews if r.decision is ReviewDecision.RETURNED and r.revision < current]
            corrected_at = received[-1].bundle.signed_at.replace(tzinfo=None)
            correction_days = max((corrected_at - returns[-1].decided_at).days, 0)
        cell = TrackerCell(
            ref.facility_code, ref.form, ref.period, state, due, late, current, min(signed) if signed else None,
            review, resubmitted, correction_days,
        )  # fmt: skip
        self._cells[ref] = cell
        return cell

    # payloads and figures ---------------------------------------------------------------------------------
    def data(self, ref: FormRef) -> Any:
        if ref not in self._data:
            code = ref.facility_code
            if code not in self._records:  # one query per facility: a report reads most of its instances
                self._records[code] = {
                    (r.ref.form, r.ref.period): r for r in form_store.current_for_facility(self.s, code)
                }
            record = self._records[code].get((ref.form, ref.period))
            self._data[ref] = (
                msgspec.json.decode(record.payload, type=HANDLERS[ref.form].data_type) if record is not None else None
            )
        return self._data[ref]

    def context(self, ref: FormRef) -> FormContext:
        def load(form: FormKind, period: Period) -> Any:
            return self.data(FormRef(ref.facility_code, form, period))

        return FormContext(ref, self.facilities[ref.facility_code], self.reference, self.today, load, self._memo)

    def computed(self, ref: FormRef) -> Any:
        if ref not in self._computed:
            data = self.data(ref)
            self._computed[ref] = HANDLERS[ref.form].compute(data, self.context(ref)) if data is not None else None
        return self._computed[ref]

    def received_form(self, ref: FormRef) -> ReceivedForm | None:
        data = self.data(ref)
        received = self.received(ref)
        if data is None or not received or ref.facility_code not in self.facilities:
            return None
        cell = self.cell(ref)
        notes = self.notes(ref, data, received[-1], cell)
        return ReceivedForm(
            self.briefs[ref.facility_code], ref, received[-1].revision, cell, data, self.computed(ref), notes,
            received[-1].bundle,
        )  # fmt: skip

    def notes(self, ref: FormRef, data: Any, current: ReceivedInfo, cell: TrackerCell) -> tuple[Note, ...]:
        out: list[Note] = []
        reviews = self.reviews.get((ref.facility_code, ref.form.value, str(ref.period)), [])
        explanations: dict[str, str] = dict(getattr(data, "explanations", {}) or {})
        if explanations:
            problems = HANDLERS[ref.form].validate(data, self.context(ref)).warnings
            messages = {p.key: p.message for p in problems}
            for key, text in explanations.items():
                if text.strip():
                    out.append(Note(ref.form, ref.period, "경고 설명", text.strip(), messages.get(key, key)))
        if current.note.strip():
            out.append(Note(ref.form, ref.period, "정정 사유", current.note.strip(), f"{current.revision}판"))
        payload = msgspec.to_builtins(data) if any(r.field_comments for r in reviews) else None
        for review in reviews:
            text = review.comment or "; ".join(
                f"{describe(ref.form, payload, path, self.reference)}: {comment}"
                for path, comment in review.field_comments
            )
            if text:
                kind = f"본부 {review.decision.value}({review.revision}판)"
                out.append(Note(ref.form, ref.period, kind, text, f"{review.decided_at:%Y-%m-%d} {review.decided_by}"))
        return tuple(out)


class ConsolidationService:
    """Head-office views over the received reports. ``today`` defaults to the form service's today."""

    def __init__(self, ws: Workspace, today: date | None = None) -> None:
        self.ws = ws
        self._today = today

    @property
    def today(self) -> date:
        return self._today or self.ws.forms.today

    # settings -------------------------------------------------------------------------------------------------
    @property
    def due_day(self) -> int:
        """Day of the following month on which monthly reports are due (head office setting, default 10)."""
        with self.ws.db.reading() as s:
            text = get_setting(s, DUE_DAY_SETTING)
        try:
            day = int(text) if text else DEFAULT_DUE_DAY
        except ValueError:
            day = DEFAULT_DUE_DAY
        return day if 1 <= day <= 28 else DEFAULT_DUE_DAY

    def set_due_day(self, day: int) -> None:
        from jbdesk.services.workspace import Mode

        self.ws.require_mode(Mode.HQ)
        if not 1 <= day <= 28:
            raise InvalidInputError("제출 기한 날짜는 1일에서 28일 사이여야 합니다.")
        with self.ws.db.transaction() as s:
            set_setting(s, DUE_DAY_SETTING, str(day))

    @property
    def schedule(self) -> Schedule:
        return Schedule(monthly_due_day=self.due_day)

    def _snapshot(self, s: Session) -> _Snapshot:
        return _Snapshot(self, s)

    # tracker --------------------------------------------------------------------------------------------------
    def tracker(self, form: FormKind, first: Period, last: Period | None = None) -> TrackerGrid:
        """Facility × period grid of ``form`` over the periods overlapping ``first`` .. ``last``."""
        with self.ws.db.reading() as s:
            return self._tracker(self._snapshot(s), form, first, last or first)

    def trackers(self, first: Period, last: Period | None = None) -> tuple[TrackerGrid, ...]:
        """One grid per tracked form (staffing, budget, quarterly, safety, survey) over the same span."""
        with self.ws.db.reading() as s:
            snap = self._snapshot(s)
            return tuple(self._tracker(snap, form, first, last or first) for form in TRACKED_FORMS)

    def _tracker(self, snap: _Snapshot, form: FormKind, first: Period, last: Period) -> TrackerGrid:
        if form not in TRACKED_FORMS:
            raise InvalidInputError(f"제출 현황을 볼 수 없는 보고입니다: {FORMS[form].label}")
        if last.end < first.start:
            first, last = last, first
        periods = periods_between(FORMS[form].period_kind, first, last)
        rows = []
        for f in snap.ordered():
            cells = [snap.cell(FormRef(f.code, form, p)) for p in periods]
            if any(c.state is not SubmissionState.NOT_DUE or c.received for c in cells):
                rows.append((snap.briefs[f.code], cells))
        return build_tracker(form, periods, rows, snap.schedule.monthly_due_day, snap.today)

    # boards ---------------------------------------------------------------------------------------------------
    def staffing_board(self, month: Period) -> StaffingBoard:
        with self.ws.db.reading() as s:
            return self._staffing_board(self._snapshot(s), _month(month))

    def _staffing_board(self, snap: _Snapshot, month: Period) -> StaffingBoard:
        entries = []
        for f in self._facilities_for(snap, FormKind.STAFFING, month):
            ref = FormRef(f.code, FormKind.STAFFING, month)
            previous = FormRef(f.code, FormKind.STAFFING, month.previous())
            entries.append(
                (snap.briefs[f.code], snap.cell(ref), self._summary(snap, ref), self._summary(snap, previous))
            )
        return build_staffing_board(month, entries)

    @staticmethod
    def _summary(snap: _Snapshot, ref: FormRef) -> StaffingSummary | None:
        return snap.computed(ref) if snap.received(ref) else None

    @staticmethod
    def _facilities_for(snap: _Snapshot, form: FormKind, period: Period) -> list[Facility]:
        """Facilities due for ``form`` in ``period``, plus any that sent one anyway."""
        due = {f.code for f in snap.due_for(form, period)}
        sent = {c for c in snap.facilities if snap.received(FormRef(c, form, period))}
        return snap.ordered(sorted(due | sent))

    def budget_board(self, month: Period) -> BudgetBoard:
        with self.ws.db.reading() as s:
            return self._budget_board(self._snapshot(s), _month(month))

    def _execution(self, snap: _Snapshot, ref: FormRef) -> BudgetExecution | None:
        return snap.computed(ref) if snap.received(ref) else None

    def _budget_board(self, snap: _Snapshot, month: Period) -> BudgetBoard:
        entries = []
        for f in self._facilities_for(snap, FormKind.BUDGET, month):
            ref = FormRef(f.code, FormKind.BUDGET, month)
            cell = snap.cell(ref)
            entries.append((snap.briefs[f.code], cell, cell.revision, self._execution(snap, ref)))
        return build_budget_board(month, entries)

    def safety_board(self, half: Period) -> SafetyBoard:
        """The latest received checklist of each facility up to ``half`` (a half-year, or a month within one)."""
        with self.ws.db.reading() as s:
            return self._safety_board(self._snapshot(s), Period.containing(half.start, PeriodKind.HALF))

    def _safety_facility(self, snap: _Snapshot, code: str, half: Period) -> SafetyFacility:
        got = [p for p in snap.periods_received(code, FormKind.SAFETY) if p.start <= half.start]
        if not got:
            return SafetyFacility(
                snap.briefs[code], snap.cell(FormRef(code, FormKind.SAFETY, half)), None, None, "", None
            )
        ref = FormRef(code, FormKind.SAFETY, got[-1])
        cell = snap.cell(ref)
        data = snap.data(ref)
        return SafetyFacility(snap.briefs[code], cell, got[-1], cell.revision, data.checked_on, snap.computed(ref))

    def _safety_board(self, snap: _Snapshot, half: Period) -> SafetyBoard:
        codes = [f.code for f in snap.ordered() if f.reports_in(half) or snap.periods_received(f.code, FormKind.SAFETY)]
        facilities = [self._safety_facility(snap, c, half) for c in codes]
        target = snap.reference.target(half.year, COMPLETION_INDICATOR)
        return build_safety_board(half, facilities, target)

    def survey_board(self, year: int) -> SurveyBoard:
        with self.ws.db.reading() as s:
            return self._survey_board(self._snapshot(s), year)

    def _survey_board(self, snap: _Snapshot, year: int) -> SurveyBoard:
        period = Period.of_year(year)
        facilities = [
            SurveyFacility(snap.briefs[f.code], cell, cell.revision, snap.computed(cell.ref) if cell.received else None)
            for f in self._facilities_for(snap, FormKind.SURVEY, period)
            for cell in [snap.cell(FormRef(f.code, FormKind.SURVEY, period))]
        ]
        datas = [snap.data(sf.cell.ref) for sf in facilities if sf.result is not None]
        methods = {d.method for d in datas}
        method = methods.pop() if len(methods) == 1 else survey_domain.DEFAULT_METHOD
        ref_data = snap.reference
        targets = {
            name: ref_data.target(year, survey_domain.TARGET_INDICATORS[code])
            for name, code in survey_domain.BLOCKS.items()
        }
        pooled = {}
        for name, code in survey_domain.BLOCKS.items():
            items = ref_data.survey(code)
            blocks = [(getattr(d, name), items) for d in datas]
            pooled[name] = survey_domain.pool_blocks(blocks, method, targets[name]) if blocks else None
        return SurveyBoard(
            year, tuple(facilities), method, survey_domain.METHODS[method], pooled["user"], pooled["staff"],
            targets["user"], targets["staff"],
        )  # fmt: skip

    def received(self, form: FormKind, first: Period, last: Period | None = None) -> list[ReceivedForm]:
        """Every received instance of ``form`` in the periods overlapping ``first`` .. ``last``, plan order."""
        with self.ws.db.reading() as s:
            return self._received(self._snapshot(s), form, first, last or first)

    @staticmethod
    def _received(snap: _Snapshot, form: FormKind, first: Period, last: Period) -> list[ReceivedForm]:
        out = []
        for p in periods_between(FORMS[form].period_kind, first, last):
            for f in snap.ordered():
                found = (
                    snap.received_form(FormRef(f.code, form, p)) if snap.received(FormRef(f.code, form, p)) else None
                )
                if found is not None:
                    out.append(found)
        return out

    # the monthly report ----------------------------------------------------------------------------------------
    def monthly_report(
        self, month: Period, *, progress: Progress | None = None, cancelled: Callable[[], bool] | None = None
    ) -> MonthlyReport:
        """Everything the monthly sheet and workbook print for ``month`` (raises ``Cancelled`` when cancelled)."""
        from jbdesk.services.workspace import Mode

        self.ws.require_mode(Mode.HQ)
        month = _month(month)
        with self.ws.db.reading() as s:
            return self._monthly(self._snapshot(s), month, progress, cancelled)

    def _monthly(
        self, snap: _Snapshot, month: Period, progress: Progress | None, cancelled: Callable[[], bool] | None
    ) -> MonthlyReport:
        report = progress or (lambda d, t, w: None)
        year_start = Period.month(month.year, 1)
        facilities = self._facilities_for(snap, FormKind.STAFFING, month)
        total = len(facilities) + 5
        report(0, total, "제출 현황")
        trackers = tuple(self._tracker(snap, form, year_start, month) for form in TRACKED_FORMS)
        check_cancelled(cancelled)
        report(1, total, "인력 현황")
        board = self._staffing_board(snap, month)
        budget = self._budget_board(snap, month)
        check_cancelled(cancelled)
        report(2, total, "안전 점검")
        safety = self._safety_board(snap, Period.containing(month.start, PeriodKind.HALF))
        survey_year = max(
            (
                p.year
                for c in snap.facilities
                for p in snap.periods_received(c, FormKind.SURVEY)
                if p.year <= month.year
            ),
            default=month.year,
        )
        surveys = self._survey_board(snap, survey_year)
        check_cancelled(cancelled)
        report(3, total, "받은 보고")
        received: list[ReceivedForm] = []
        for form in (*TRACKED_FORMS, FormKind.BUDGET_PLAN):
            received += self._received(snap, form, year_start, month)
        months = [Period.month(month.year, m) for m in range(1, month.index + 1)]
        pages = []
        rows = _BoardRows.of(board, budget, safety, surveys)
        for i, f in enumerate(facilities):
            check_cancelled(cancelled)
            report(4 + i, total, f.name)
            pages.append(self._page(snap, f, month, months, rows, survey_year))
        trend = []
        for m in months:
            values = [
                summary.total.current - summary.total.authorized
                for f in facilities
                if (summary := self._summary(snap, FormRef(f.code, FormKind.STAFFING, m))) is not None
                and summary.total.current is not None
                and summary.total.authorized is not None
            ]
            trend.append((m, sum(values) if values else None, len(values)))
        summary_lines = tuple(self._summary_line(snap, f, month, rows) for f in facilities)
        bundles = tuple(b for page in pages for b in page.bundles)
        report(total, total, "")
        return MonthlyReport(
            month=month, generated_at=clock.now(), hq_name=self._hq_name(snap), due_day=snap.schedule.monthly_due_day,
            facilities=tuple(snap.briefs[f.code] for f in facilities), summary=summary_lines, trackers=trackers,
            staffing_board=board, budget_board=budget, safety_board=safety, survey_board=surveys, pages=tuple(pages),
            received=tuple(received), vacancy_trend=tuple(trend), safety_items=snap.reference.safety_items,
            bundles=bundles,
        )  # fmt: skip

    @staticmethod
    def _hq_name(snap: _Snapshot) -> str:
        return get_setting(snap.s, "hq_name", "") or "전북특별자치도사회서비스원"

    def _summary_line(self, snap: _Snapshot, f: Facility, month: Period, rows: _BoardRows) -> SummaryLine:
        row, budget = rows.staffing.get(f.code), rows.budget.get(f.code)
        safety, survey = rows.safety.get(f.code), rows.survey.get(f.code)
        return SummaryLine(
            facility=snap.briefs[f.code],
            staffing=snap.cell(FormRef(f.code, FormKind.STAFFING, month)),
            budget=snap.cell(FormRef(f.code, FormKind.BUDGET, month)),
            authorized=row.authorized if row else None,
            current=row.current if row else None,
            vacancy=row.vacancy if row else None,
            rate=budget.rate if budget else None,
            safety_grade=safety.score.grade if safety and safety.score else None,
            safety_period=safety.period if safety else None,
            user_score=survey.user_score if survey else None,
            staff_score=survey.staff_score if survey else None,
            staff_suppressed=survey.staff_suppressed if survey else False,
        )

    def _page(
        self, snap: _Snapshot, f: Facility, month: Period, months: list[Period], rows: _BoardRows, survey_year: int
    ) -> FacilityPage:
        staffing_ref = FormRef(f.code, FormKind.STAFFING, month)
        staffing = snap.received_form(staffing_ref) if snap.received(staffing_ref) else None
        vacancy_trend: list[tuple[Period, int | None]] = []
        rate_trend: list[tuple[Period, float | None]] = []
        for m in months:
            summary = self._summary(snap, FormRef(f.code, FormKind.STAFFING, m))
            t = summary.total if summary is not None else None
            vacancy_trend.append(
                (m, t.current - t.authorized if t and t.current is not None and t.authorized is not None else None)
            )
            execution = self._execution(snap, FormRef(f.code, FormKind.BUDGET, m))
            expense = [x.amounts for x in execution.side_totals if x.side == EXPENSE] if execution else []
            rate_trend.append((m, expense[0].rate if expense else None))
        refs = [
            staffing_ref,
            FormRef(f.code, FormKind.BUDGET, month),
            FormRef(f.code, FormKind.BUDGET_PLAN, Period.of_year(month.year)),
        ]
        safety = rows.safety.get(f.code)
        if safety is not None and safety.period is not None:
            refs.append(FormRef(f.code, FormKind.SAFETY, safety.period))
        survey = rows.survey.get(f.code)
        if survey is not None and survey.result is not None:
            refs.append(FormRef(f.code, FormKind.SURVEY, Period.of_year(survey_year)))
        if month.index % 3 == 0:
            refs.append(FormRef(f.code, FormKind.QUARTERLY, Period.containing(month.start, PeriodKind.QUARTER)))
        notes: list[Note] = []
        bundles: list[BundleRef] = []
        for ref in refs:
            got = snap.received_form(ref) if snap.received(ref) else None
            if got is None:
                continue
            notes.extend(got.notes)
            if got.bundle is not None:
                bundles.append(got.bundle)
        return FacilityPage(
            facility=snap.briefs[f.code], staffing=staffing, staffing_row=rows.staffing.get(f.code),
            budget=rows.budget.get(f.code), safety=safety, survey=survey, vacancy_trend=tuple(vacancy_trend),
            rate_trend=tuple(rate_trend), notes=tuple(notes), bundles=tuple(bundles),
        )  # fmt: skip

    # files ----------------------------------------------------------------------------------------------------
    def write_monthly_pdf(
        self,
        report: MonthlyReport,
        path: Path,
        *,
        progress: Progress | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> Path:
        """The monthly sheet as an A4 PDF (written atomically)."""
        from jbdesk.exports.pdf_monthly import write_monthly_pdf

        return write_monthly_pdf(report, path, progress=progress, cancelled=cancelled)

    def write_monthly_xlsx(
        self,
        report: MonthlyReport,
        path: Path,
        *,
        progress: Progress | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> Path:
        """The monthly workbook (written atomically)."""
        from jbdesk.exports.excel import write_monthly_workbook

        return write_monthly_workbook(report, path, progress=progress, cancelled=cancelled)

    def write_views_xlsx(self, views: Sequence[Any], path: Path) -> Path:
        """Any of the views (TrackerGrid, StaffingBoard, BudgetBoard, SafetyBoard, SurveyBoard) as one workbook,
        one sheet each, laid out as the GUI shows them ("export what you see")."""
        from jbdesk.exports.excel import write_views

        return write_views(list(views), path)


@dataclass(frozen=True)
class _BoardRows:
    """The month's board rows by facility code, for the facility pages and the summary lines."""

    staffing: dict[str, StaffingBoardRow]
    budget: dict[str, BudgetFacility]
    safety: dict[str, SafetyFacility]
    survey: dict[str, SurveyFacility]

    @classmethod
    def of(cls, board: StaffingBoard, budget: BudgetBoard, safety: SafetyBoard, surveys: SurveyBoard) -> _BoardRows:
        return cls(
            {r.facility.code: r for r in board.rows},
            {b.facility.code: b for b in budget.facilities},
            {x.facility.code: x for x in safety.facilities},
            {x.facility.code: x for x in surveys.facilities},
        )


def _month(period: Period) -> Period:
    if period.kind is not PeriodKind.MONTH:
        raise InvalidInputError(f"월 단위 기간을 입력하세요 (예: 2026-03): {period}")
    return period


def require_received(report: MonthlyReport) -> None:
    """The CLI refuses a month with nothing received (Korean message)."""
    if not report.anything_received:
        raise NotFoundError(f"{report.month.label}에 받은 보고가 없습니다. 시설 보고 파일을 먼저 가져오세요.")
