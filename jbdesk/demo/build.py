"""A complete simulated deployment through the real services (``jbdesk demo``).

Head office is initialised and provisions every facility; each facility PC is set up from its provisioning
file and enrolled; a year of reports is entered through ``FormService`` (pre-fill, edit, explain, 작성완료),
exported as signed bundles on plausible days (``clock.frozen_at``), and imported at head office in the order
the files would arrive. Nothing is written into a database by hand. The figures come from
``jbdesk.demo.data``; the same seed gives the same data.
"""

from __future__ import annotations

import random
import shutil
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import msgspec

from jbdesk import clock
from jbdesk.demo import data as dd
from jbdesk.demo import safety_data, survey_data
from jbdesk.domain import budget
from jbdesk.domain.facilities import Facility
from jbdesk.domain.forms import FormKind, FormRef, Schedule
from jbdesk.domain.periods import Period
from jbdesk.domain.validation import Problem, Severity
from jbdesk.errors import InvalidInputError, JbdeskError
from jbdesk.fileio import atomic_write
from jbdesk.paths import DataPaths
from jbdesk.services.export import ensure_dir
from jbdesk.services.workspace import Workspace

HQ_NAME = "전북특별자치도사회서비스원"
YEAR = dd.YEAR
FIRST_MONTH = Period.month(YEAR, 1)
LAST_MONTH = Period.month(YEAR, 12)
SCHEDULE = Schedule()
COMPLETE_MARKER = ".demo-complete"  # written when the whole deployment is built
# Scenario roles (used when the facility is part of the run)
MISSING_CODE = "F11"  # one monthly staffing report never sent
CORRECTED_CODE = "F12"  # one month returned by head office and corrected (revision 2)
LATE_FIXED = {("F15", 1), ("F13", 2)}  # always late, so even a short run shows lateness
LATE_PROBABILITY = {"F13": 0.3, "F15": 0.25, "F04": 0.15}  # per month; others 0.05
HOLIDAYS = frozenset(
    date.fromisoformat(d)
    for d in (
        "2026-01-01", "2026-02-16", "2026-02-17", "2026-02-18", "2026-03-02", "2026-05-05", "2026-05-25",
        "2026-06-03", "2026-06-06", "2026-08-17", "2026-09-24", "2026-09-25", "2026-09-26", "2026-10-05",
        "2026-10-09", "2026-12-25", "2027-01-01",
    )
)  # fmt: skip
OPERATORS = ("사무국장", "시설 담당자", "행정 담당자", "시설장")

Progress = Callable[[str], None]


class DemoError(JbdeskError):
    """The demo could not be built (a folder in the way, a bad option, or a rule the generator missed)."""


@dataclass(frozen=True)
class DemoOptions:
    root: Path
    through: Period = field(default_factory=lambda: Period.month(YEAR, 10))
    facilities: int = 15
    seed: int = 2026
    do_import: bool = True
    not_after: datetime | None = None  # no moment later than this (set when --through defaults to last month)
    verbose: bool = True  # one progress line per facility and month (else one per facility)
    workers: int = 0  # processes for the facility PCs; 0 = as many as the machine has cores (up to 8)


@dataclass(frozen=True)
class ExportedBundle:
    path: Path
    facility: str
    created: datetime
    content: str  # what it carries, e.g. "2026-03 인력·예산·1분기"
    late: bool = False
    instances: tuple[tuple[FormRef, int], ...] = ()  # (form instance, revision)


@dataclass(frozen=True)
class DemoResult:
    root: Path
    hq_dir: Path
    bundles_dir: Path
    facilities: int
    through: Period
    bundles: tuple[ExportedBundle, ...]
    imported: dict[str, int]  # outcome value -> count (empty with --no-import)
    reviewed: dict[str, int]  # head office decisions: 접수 / 보완요청 -> count
    late: tuple[str, ...]
    missing: tuple[str, ...]
    corrected: tuple[str, ...]
    timings: dict[str, float]  # phase -> seconds

    @property
    def seconds(self) -> float:
        return sum(self.timings.values())


def default_through(today: date) -> Period:
    """Last month, kept inside the demo year."""
    last = Period.month(today.year, today.month).previous()
    return min(max(last, FIRST_MONTH), LAST_MONTH)


def parse_through(text: str) -> Period:
    period = Period.parse(text)
    if period.kind.value != "month" or not FIRST_MONTH <= period <= LAST_MONTH:
        raise InvalidInputError(f"--through는 {FIRST_MONTH}부터 {LAST_MONTH} 사이의 월이어야 합니다: {text}")
    return period


# -- days -------------------------------------------------------------------------------------------------------------
def _business_days(year: int, month: int, first: int, last: int) -> list[date]:
    out = []
    for day in range(first, last + 1):
        try:
            d = date(year, month, day)
        except ValueError:
            break
        if d.weekday() < 5 and d not in HOLIDAYS:
            out.append(d)
    return out


def _at(day: date, rng: random.Random, earliest: int = 9, latest: int = 17) -> datetime:
    minutes = rng.randint(earliest * 60, latest * 60 - 1)
    return datetime(day.year, day.month, day.day, minutes // 60, minutes % 60)


def _pick_day(year: int, month: int, first: int, last: int, rng: random.Random) -> date:
    days = _business_days(year, month, first, last) or _business_days(year, month, 1, 28)
    return rng.choice(days)


# -- the simulated facility -----------------------------------------------------------------------------------------
@dataclass
class _Event:
    moment: datetime
    order: int
    kind: str  # plan, month, correct, safety, survey
    period: Period
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class _Plan:
    """What a facility run needs to know about the whole demo (picklable: runs go to worker processes)."""

    opts: DemoOptions
    bundles_dir: Path
    missing: tuple[str, int] | None  # (facility, month) whose staffing report is never sent
    corrected: tuple[str, int] | None  # (facility, month) returned by head office and corrected


def review_moment(month: Period) -> datetime:
    """When head office sends the returned month back: the first working day after the import on the 11th."""
    entry = month.next()
    day = _business_days(entry.year, entry.index, 12, 20)[0]
    return datetime(day.year, day.month, day.day, 10, 0)


def correction_moment(month: Period) -> datetime:
    """The facility corrects it on the next working day."""
    entry = month.next()
    day = _business_days(entry.year, entry.index, 12, 20)[1]
    return datetime(day.year, day.month, day.day, 11, 0)


@dataclass(frozen=True)
class _RunOutput:
    code: str
    bundles: tuple[ExportedBundle, ...]
    late: tuple[str, ...]
    lines: tuple[str, ...]  # progress lines
    seconds: float


def _run_facility(plan: _Plan, f: Facility, data_dir: Path) -> _RunOutput:
    """A facility's whole year on its own PC (data dir); runs in a worker process when there are many."""
    started = time.perf_counter()
    ws = Workspace.open(DataPaths(data_dir))
    try:
        run = _FacilityRun(plan, f, ws)
        run.run()
    finally:
        ws.close()
    lines = list(run.lines)
    if not plan.opts.verbose:
        late = f", 지연 {len(run.late)}건" if run.late else ""
        lines.append(f"{f.code} {f.name}: 보고 {len(run.bundles)}건 보냄{late}")
    return _RunOutput(f.code, tuple(run.bundles), tuple(run.late), tuple(lines), time.perf_counter() - started)


def _run_facility_args(args: tuple[_Plan, Facility, Path]) -> _RunOutput:
    return _run_facility(*args)


class _FacilityRun:
    """One facility PC through the year: its simulated staff and money, and what the clerk enters when."""

    def __init__(self, demo: _Plan, f: Facility, ws: Workspace) -> None:
        self.demo, self.f, self.ws = demo, f, ws
        self.lines: list[str] = []
        seed = demo.opts.seed
        self.rng_text = random.Random(f"{seed}:{f.code}:text")
        staff_sim = dd.StaffingSim(f, random.Random(f"{seed}:{f.code}:staff"))
        self.authorized_total = staff_sim.authorized_total()
        self.design = dd.design_budget(
            f, staff_sim.families, ws.reference.budget_accounts, random.Random(f"{seed}:{f.code}:budget")
        )
        self.execution = dd.ExecutionSim(f, self.design, random.Random(f"{seed}:{f.code}:exec"), self.authorized_total)
        self.months = [m for m in range(1, demo.opts.through.index + 1) if f.reports_in(Period.month(YEAR, m))]
        self.staffing: dict[int, dd.StaffingPlan] = {}
        self.staff_now: dict[int, int] = {}
        last = max(self.months, default=0)
        for m in range(1, max(last, 11 if demo.opts.through.index >= 11 else last) + 1):
            self.staffing[m] = staff_sim.month(m)
            self.staff_now[m] = staff_sim.current_total()
        self.plan = budget.BudgetPlanData(versions=[budget.BudgetVersion(lines=self.design.plan_lines)])
        self.bundles: list[ExportedBundle] = []
        self.late: list[str] = []
        self.entered_staffing: dict[int, list[str]] = {}  # month -> job families entered
        self.reasons: dict[str, str] = {}  # budget line -> the reason the clerk last wrote (pre-filled next month)

    # schedule ----------------------------------------------------------------------------------------------------
    def events(self) -> list[_Event]:
        opts, code, seed = self.demo.opts, self.f.code, self.demo.opts.seed
        out: list[_Event] = []
        rng = random.Random(f"{seed}:{code}:plan-day")
        out.append(_Event(_at(_pick_day(YEAR, 1, 12, 28, rng), rng), 0, "plan", Period.of_year(YEAR)))
        transfer = self._transfer_month()
        for m in self.months:
            rng = random.Random(f"{seed}:{code}:{m}:day")
            entry = Period.month(YEAR, m).next()
            late = (code, m) in LATE_FIXED or rng.random() < LATE_PROBABILITY.get(code, 0.05)
            if (code, m) == self.demo.corrected:
                late = False  # head office reviews it on the 12th
            if transfer and m == transfer:  # the last month before the handover is closed before it
                day = _pick_day(YEAR, m, 24, 30, rng)
                late = False
            else:
                day = (
                    _pick_day(entry.year, entry.index, 11, 19, rng)
                    if late
                    else _pick_day(entry.year, entry.index, 2, 9, rng)
                )
            out.append(_Event(_at(day, rng), 1, "month", Period.month(YEAR, m)))
            if (code, m) == self.demo.corrected:
                out.append(_Event(correction_moment(Period.month(YEAR, m)), 2, "correct", Period.month(YEAR, m)))
        if opts.through.index >= 2:
            out.append(self._safety_event(1))
        if opts.through.index >= 10 and self.f.reports_in(Period.half(YEAR, 2)):
            out.append(self._safety_event(2))
        if opts.through.index >= 11:
            rng = random.Random(f"{seed}:{code}:survey-day")
            day = _pick_day(YEAR, 11, 16, 26, rng) if transfer else _pick_day(YEAR, 12, 1, 18, rng)
            out.append(_Event(_at(day, rng), 3, "survey", Period.of_year(YEAR)))
        out.sort(key=lambda e: (e.moment, e.order))
        if opts.not_after is not None:
            limit = opts.not_after - timedelta(minutes=5)
            out = [replace(e, moment=min(e.moment, limit)) for e in out]
        return out

    def _safety_event(self, half: int) -> _Event:
        rng = random.Random(f"{self.demo.opts.seed}:{self.f.code}:H{half}-day")
        month = 2 if half == 1 else 10
        checked = _pick_day(YEAR, month, 3, 13, rng)
        export = _pick_day(YEAR, month, 16, 27, rng)
        return _Event(_at(export, rng), 4, "safety", Period.half(YEAR, half), {"checked_on": checked})

    def _transfer_month(self) -> int | None:
        """The last reporting month of a facility handed over during the year (None if it stays)."""
        last = max((m for m in range(1, 13) if self.f.reports_in(Period.month(YEAR, m))), default=12)
        return last if last < 12 else None

    # running -----------------------------------------------------------------------------------------------------
    def run(self) -> None:
        for event in self.events():
            with clock.frozen_at(event.moment):
                contents = getattr(self, f"_enter_{event.kind}")(event)
            if not contents:
                continue
            export_at = event.moment + timedelta(minutes=20 + event.moment.minute % 17)
            if self.demo.opts.not_after is not None:
                export_at = min(export_at, self.demo.opts.not_after - timedelta(minutes=1))
            with clock.frozen_at(export_at):
                result = self.ws.exports.export(self.demo.bundles_dir)
            late = self._late(event, export_at)
            label = f"{self.f.code} {contents}"
            bundle = ExportedBundle(result.path, self.f.code, export_at, contents, late, result.instances)
            self.bundles.append(bundle)
            if late:
                self.late.append(f"{label} ({export_at:%m-%d} 제출, 기한 {self._due(event):%m-%d})")
            if self.demo.opts.verbose:
                mark = "  지연" if late else ""
                self.lines.append(
                    f"  {self.f.code}  {contents:<24} {export_at:%Y-%m-%d %H:%M} 보냄 ({result.size:,} B){mark}"
                )

    def _due(self, event: _Event) -> date:
        if event.kind in ("month", "correct"):
            return SCHEDULE.due(FormKind.STAFFING, event.period)
        form = {"plan": FormKind.BUDGET_PLAN, "safety": FormKind.SAFETY, "survey": FormKind.SURVEY}[event.kind]
        return SCHEDULE.due(form, event.period)

    def _late(self, event: _Event, at: datetime) -> bool:
        return event.kind != "correct" and at.date() > self._due(event)

    def _ref(self, form: FormKind, period: Period) -> FormRef:
        return FormRef(self.f.code, form, period)

    def _finish(self, ref: FormRef, view: Any, explanations: dict[str, str] | None = None) -> None:
        """Explain what the rules warn about (the clerk's words), then 작성완료."""
        for problem in view.blocking:
            if problem.severity is Severity.ERROR:
                detail = "\n".join(f"{p.key}: {p.message}" for p in view.blocking)
                raise DemoError(f"데모 자료가 입력 규칙에 맞지 않습니다: {ref.label} ({self.f.code})", detail=detail)
            text = (explanations or {}).get(problem.key) or _explanation(problem)
            self.ws.forms.explain(ref, problem.key, text)
        self.ws.forms.mark_ready(ref)

    # entries -----------------------------------------------------------------------------------------------------
    def _enter_plan(self, event: _Event) -> str:
        ref = self._ref(FormKind.BUDGET_PLAN, event.period)
        view = self.ws.forms.replace_data(ref, self.plan, action="import")
        self._finish(ref, view)
        return f"{YEAR} 연간 예산(본예산 {dd.round_million(self.design.sources.total):,}백만원)"

    def _enter_month(self, event: _Event) -> str:
        m = event.period.index
        parts = []
        if (self.f.code, m) != self.demo.missing:
            self._enter_staffing(event.period, wrong=(self.f.code, m) == self.demo.corrected)
            parts.append("인력")
        self._enter_budget(event.period)
        parts.append("예산")
        if m % 3 == 0:
            self._enter_quarterly(Period.quarter(YEAR, m // 3))
            parts.append(f"{m // 3}분기")
        return f"{event.period} {'·'.join(parts)}"

    def _staffing_rows(self, period: Period, wrong: bool = False) -> list[dict[str, Any]]:
        rows = [dict(r) for r in self.staffing[period.index].rows]
        if wrong:  # revision 1 of the returned month: a 휴직 left out (or put in the wrong row)
            i = max(range(len(rows)), key=lambda k: rows[k]["current"])
            rows[i]["on_leave"] = 0 if rows[i]["on_leave"] else 1
            rows[i]["substitute_days"] = 0 if rows[i]["on_leave"] == 0 else 18
        return rows

    def _enter_staffing(self, period: Period, *, wrong: bool = False) -> None:
        """One row per job family; the first month (or one after a gap) also sets the job families."""
        ref = self._ref(FormKind.STAFFING, period)
        plan = self.staffing[period.index]
        rows = self._staffing_rows(period, wrong)
        previous = self.entered_staffing.get(period.index - 1)
        # pre-filled with last month's job families and 정원: type over each row; else set the families too
        same = previous == plan.families
        values = [(f"rows/{i}", row) for i, row in enumerate(rows)] if same else [("rows", rows)]
        view = self.ws.forms.set_values(ref, values)
        self._finish(ref, view, plan.explanations)
        self.entered_staffing[period.index] = plan.families

    def _enter_budget(self, period: Period) -> None:
        """The month's execution per line of the budget in force, reasons where it strays, the check list.

        The pre-fill is one line per budget line with last month's reasons; the clerk's block is typed over it
        (one ``set_values`` for the lines and one for the checks).
        """
        m = period.index
        ref = self._ref(FormKind.BUDGET, period)
        staff = {r["job_family"]: r["current"] for r in self.staffing[m].rows}
        spend = self.execution.month(m, staff, sum(staff.values()))
        lines = [
            budget.ExecutionLine(key=p.line.key, this_month=spend.get(p.line.key) or None, reason=self.reasons.get(p.line.key, ""))
            for p in self.design.lines
        ]  # fmt: skip
        check = budget.BudgetCheckData(budget_version=budget.VERSION_NAMES[0], lines=lines)
        execution = budget.compute_budget_check(self.plan, m, check, dict(self.execution.cumulative))
        by_key = {p.line.key: p for p in self.design.lines}
        for line, row in zip(lines, execution.rows, strict=False):
            if row.key == line.key and row.needs_reason:
                self.reasons[line.key] = self.execution.reason(by_key[line.key], row)
        self.execution.advance(spend)
        rng = random.Random(f"{self.demo.opts.seed}:{self.f.code}:{m}:checks")
        difference = rng.random() < 0.04
        answers = dd.check_answers(
            self.ws.reference.accounting_checks, m, self.execution.book_balance(), rng, difference=difference
        )
        typed = [{"key": ln.key, "this_month": ln.this_month, "reason": self.reasons.get(ln.key, "")} for ln in lines]
        view = self.ws.forms.set_values(ref, [("lines", typed), ("checks", answers)])
        self._finish(ref, view)

    def _enter_quarterly(self, quarter: Period) -> None:
        ref = self._ref(FormKind.QUARTERLY, quarter)
        months = [m.index for m in quarter.months()]
        rows = [r for m in months for r in self.staffing[m].rows]
        expense = [p.line for p in self.design.lines if p.line.side == budget.EXPENSE]
        cumulative = sum(self.execution.cumulative.get(line.key, 0) for line in expense)
        text = dd.quarterly_narrative(
            self.f, quarter, sum(line.amount for line in expense), cumulative, self.staffing[months[-1]],
            sum(r["hires"] for r in rows), sum(r["leavers"] for r in rows), self.rng_text,
        )  # fmt: skip
        view = self.ws.forms.set_values(ref, [("narrative", text)])
        self._finish(ref, view)

    def _enter_correct(self, event: _Event) -> str:
        """Head office returned the month: revision 2 with the 휴직 fixed, and a note saying what changed."""
        ref = self._ref(FormKind.STAFFING, event.period)
        right = self._staffing_rows(event.period)
        view = self.ws.forms.get(ref)
        assert view is not None
        entered = msgspec.to_builtins(view.data.rows)
        fixes = [
            (f"rows/{i}/{k}", v, entered[i][k], row["job_family"])
            for i, row in enumerate(right)
            for k, v in row.items()
            if entered[i][k] != v
        ]
        note = ", ".join(f"{fam} {_FIELD_LABELS.get(p.rsplit('/', 1)[1], p)} {old}→{new}" for p, new, old, fam in fixes)
        self.ws.forms.reopen(ref, note=f"본부 보완요청 반영: {note}")
        view = self.ws.forms.set_values(ref, [(p, new) for p, new, *_ in fixes])
        self._finish(ref, view)
        return f"{event.period} 인력 수정본(2판)"

    def _enter_safety(self, event: _Event) -> str:
        ref = self._ref(FormKind.SAFETY, event.period)
        view = self.ws.forms.open(ref)
        items = {i.code: i for i in _safety_items(self.ws, self.f)}
        month = 2 if event.period.index == 1 else 10
        staff = self.staff_now.get(min(month, max(self.staff_now)), self.f.headcount_current)
        entry = safety_data.safety_entry(
            self.f, [items[a.code] for a in view.data.answers if a.code in items], event.period,
            event.extra["checked_on"], event.moment.date(), staff, view.data.carried_actions,
            random.Random(f"{self.demo.opts.seed}:{self.f.code}:{event.period}:safety"),
        )  # fmt: skip
        answers = msgspec.to_builtins(view.data.answers)
        carried = msgspec.to_builtins(view.data.carried_actions)
        for a in answers:
            a.update(entry.answers.get(a["code"], {}))
        for c, action in zip(carried, entry.carried, strict=True):
            c["action"] = action
        values: list[tuple[str, Any]] = [("checked_on", entry.checked_on.isoformat()), ("answers", answers)]
        if carried:
            values.append(("carried_actions", carried))
        view = self.ws.forms.set_values(ref, values)
        self._finish(ref, view)
        found = sum(1 for a in entry.answers.values() if a.get("action"))
        return f"{event.period} 안전점검(지적 {found}건)"

    def _enter_survey(self, event: _Event) -> str:
        ref = self._ref(FormKind.SURVEY, event.period)
        view = self.ws.forms.open(ref)
        staff_now = self.staff_now[max(k for k in self.staff_now if k <= 11)]
        rng = random.Random(f"{self.demo.opts.seed}:{self.f.code}:survey")
        entry = survey_data.survey_entry(self.f, self.ws.reference, staff_now, rng)
        values: list[tuple[str, Any]] = []
        for block in ("user", "staff"):
            data = entry[block]
            for key in ("eligible", "distributed", "returned", "valid"):
                values.append((f"{block}/{key}", data[key]))
            counts = {c["code"]: c for c in data["items"]}
            values.append((f"{block}/items", [counts[item.code] for item in getattr(view.data, block).items]))
        view = self.ws.forms.set_values(ref, values)
        self._finish(ref, view)
        score = view.computed.user.score
        return f"{YEAR} 만족도(이용자 {score if score is not None else '-'}점)"


_FIELD_LABELS = {"on_leave": "휴직", "substitute_days": "대체인력 근무일수"}


def _safety_items(ws: Workspace, f: Facility) -> tuple[Any, ...]:
    from jbdesk.domain.safety import applicable_items

    return applicable_items(ws.reference.safety_items, f.features)


def _explanation(problem: Problem) -> str:
    """What a clerk writes next to a warning the rules raise on realistic data."""
    code = problem.code
    texts = {
        "budget.check.balance": "월말 예금이자 입금분이 장부에 아직 반영되지 않음 — 다음 달 초 정리",
        "survey.small_n": (
            "직접 서비스 이용자가 없는 기관으로 이용자 만족도 조사 대상이 아님"
            if problem.field and problem.field.startswith("user")
            else "종사자 2명 이하 소규모 기관: 개인 응답 노출 방지를 위해 점수 비공개(본부 지침)"
        ),
        "safety.expert_needed": "전문업체 점검 예약(다음 달 첫째 주) — 결과 받은 뒤 갱신",
        "safety.evidence_missing": "근거 문서는 본부 제출 폴더에 별도 보관",
        "safety.derived_mismatch": "실제 현장 확인 결과에 따라 상태 입력",
        "safety.severity_lowered": "임시 조치로 위험이 줄어 위험수준 하향",
        "safety.zero_count": "이번 반기 해당 인원 없음(확인함)",
        "staffing.continuity": "직종 간 이동(인사발령)으로 현원 조정",
        "budget.line.calc": "산출 기준 단가 조정분 반영",
        "budget.balance": "세입·세출 차액은 추경에서 정리",
    }
    return texts.get(code, f"확인함: {problem.message}")


# -- the demo as a whole ---------------------------------------------------------------------------------------------
class _Demo:
    def __init__(self, opts: DemoOptions, progress: Progress) -> None:
        self.opts = opts
        self.progress = progress
        self.root = opts.root
        self.hq_dir = self.root / "hq"
        self.bundles_dir = self.root / "bundles"
        self.files_dir = self.root / "files"
        self.facilities_dir = self.root / "facilities"
        self.missing: tuple[str, int] | None = None
        self.corrected: tuple[str, int] | None = None
        self.timings: dict[str, float] = {}
        self.reviewed: Counter[str] = Counter()

    # scenario --------------------------------------------------------------------------------------------------
    def _choose_roles(self, codes: list[str]) -> None:
        through = self.opts.through.index
        missing_month = 7 if through >= 8 else (through if through >= 3 else None)
        if missing_month is not None:
            code = MISSING_CODE if MISSING_CODE in codes else codes[-1]
            self.missing = (code, missing_month)
        code = CORRECTED_CODE if CORRECTED_CODE in codes else codes[0]
        self.corrected = (code, 2 if through >= 2 else 1)
        if self.missing == self.corrected:
            self.missing = None

    # building --------------------------------------------------------------------------------------------------
    def build(self) -> DemoResult:
        if self.hq_dir.exists() or self.facilities_dir.exists():
            raise DemoError(f"이미 데모가 있는 폴더입니다: {self.root}. 다른 폴더를 고르거나 지운 뒤 다시 실행하세요.")
        started = time.perf_counter()
        for d in (self.bundles_dir, self.files_dir, self.facilities_dir):
            ensure_dir(d)
        template = self.root / ".template"
        if template.exists():
            shutil.rmtree(template)
        Workspace.open(DataPaths(template)).close()  # one migrated, seeded, unconfigured data dir, copied per PC
        hq = self._open_copy(template, self.hq_dir)
        try:
            facilities = self._init_head_office(hq)
            codes = [f.code for f in facilities]
            self._choose_roles(codes)
            self.timings["본부 준비"] = time.perf_counter() - started
            runs = self._run_facilities(hq, template, facilities)
            bundles = [b for r in runs for b in r.bundles]
            imported: dict[str, int] = {}
            if self.opts.do_import:
                t = time.perf_counter()
                imported = self._import(hq, bundles)
                self.timings["본부 가져오기·검토"] = time.perf_counter() - t
        finally:
            hq.close()
            shutil.rmtree(template, ignore_errors=True)
        missing = []
        if self.missing:
            code, m = self.missing
            missing.append(f"{code} 월별 인력 현황 {Period.month(YEAR, m)} (보내지 않음)")
        corrected = []
        if self.corrected:
            code, m = self.corrected
            corrected.append(f"{code} 월별 인력 현황 {Period.month(YEAR, m)}: 1판 보완요청 → 2판 재제출")
        # Written last: a folder without it is an interrupted build (scripts/run.sh then builds again).
        atomic_write(self.root / COMPLETE_MARKER, f"{self.opts.through}\n".encode())
        return DemoResult(
            root=self.root, hq_dir=self.hq_dir, bundles_dir=self.bundles_dir, facilities=len(facilities),
            through=self.opts.through, bundles=tuple(sorted(bundles, key=lambda b: (b.created, b.path.name))),
            imported=imported, reviewed=dict(self.reviewed), late=tuple(x for r in runs for x in r.late),
            missing=tuple(missing),
            corrected=tuple(corrected), timings=dict(self.timings),
        )  # fmt: skip

    def _open_copy(self, template: Path, target: Path) -> Workspace:
        shutil.copytree(template, target)
        return Workspace.open(DataPaths(target))

    def _init_head_office(self, hq: Workspace) -> list[Facility]:
        with clock.frozen_at(datetime(YEAR - 1, 12, 8, 9, 30)):
            short = hq.trust.hq_init(HQ_NAME)
            hq.forms.set_operator("본부 시설운영팀")
            seeded = hq.registry.facilities()
            extra = dd.synthetic_facilities(seeded, self.opts.facilities - len(seeded), self.opts.seed)
            for f in extra:
                hq.registry.add(f, effective=date(YEAR, 1, 1))
        facilities = hq.registry.facilities()[: self.opts.facilities]
        self.progress(f"본부: {HQ_NAME} (키 지문 {short}), 시설 {len(facilities)}곳, {FIRST_MONTH}~{self.opts.through}")
        return facilities

    def _run_facilities(self, hq: Workspace, template: Path, facilities: list[Facility]) -> list[_RunOutput]:
        """Provision, set up and enrol every facility PC (head office is one database: in this process), then
        run the facilities' years, side by side in worker processes when there are several."""
        t0 = time.perf_counter()
        for n, f in enumerate(facilities):
            base = datetime(YEAR - 1, 12, 9, 10, 0) + timedelta(minutes=7 * n)
            with clock.frozen_at(base):
                provision = hq.trust.provision(f.code, self.files_dir)
            ws = self._open_copy(template, self.facilities_dir / f.code)
            try:
                with clock.frozen_at(base + timedelta(days=2)):
                    setup = ws.trust.setup_facility(provision, self.files_dir)
                    ws.forms.set_operator(OPERATORS[n % len(OPERATORS)])
            finally:
                ws.close()
            with clock.frozen_at(base + timedelta(days=3)):
                hq.trust.enroll(setup.request_path)
            if self.opts.verbose:
                self.progress(f"{f.code} {f.name}: 설정·등록 완료 (시설 키 {setup.facility_short})")
        self.timings["시설 설정·등록"] = time.perf_counter() - t0

        t1 = time.perf_counter()
        plan = _Plan(self.opts, self.bundles_dir, self.missing, self.corrected)
        jobs = [(plan, f, self.facilities_dir / f.code) for f in facilities]
        workers = self.opts.workers or _auto_workers(len(jobs))
        outputs: list[_RunOutput] = []
        if workers <= 1:
            results: Iterable[_RunOutput] = map(_run_facility_args, jobs)
            for out in results:
                outputs.append(self._report(out))
        else:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            self.progress(f"시설 PC {len(jobs)}곳의 1년치 입력을 프로세스 {workers}개로 나누어 진행합니다.")
            context = multiprocessing.get_context("spawn")  # the same on Windows; no inherited database handles
            with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
                for out in pool.map(_run_facility_args, jobs, chunksize=1):
                    outputs.append(self._report(out))
        self.timings["시설 입력·내보내기"] = time.perf_counter() - t1
        return outputs

    def _report(self, out: _RunOutput) -> _RunOutput:
        for line in out.lines:
            self.progress(line)
        return out

    def _sessions(self, bundles: list[ExportedBundle]) -> list[datetime]:
        """Head office works on the 11th and the 26th of each month, the day it returns the corrected month, and
        once after the last file."""
        if not bundles:
            return []
        last = max(b.created for b in bundles)
        out = []
        month = FIRST_MONTH
        while month.start <= last.date():
            out.append(datetime(month.year, month.index, 11, 9, 30))
            out.append(datetime(month.year, month.index, 26, 16, 0))
            month = month.next()
        if self.corrected:
            out.append(review_moment(Period.month(YEAR, self.corrected[1])))
        final = last + timedelta(hours=2)
        out = [t for t in out if t < final] + [final]
        if self.opts.not_after is not None:
            out = [min(t, self.opts.not_after) for t in out]
        return sorted(set(out))

    def _import(self, hq: Workspace, bundles: list[ExportedBundle]) -> dict[str, int]:
        """Each session: review what arrived at earlier sessions (접수, or 보완요청 for the corrected month), then
        import the files that have arrived since, oldest first. The last arrivals stay 접수대기."""
        from jbdesk.services.review import ReviewService

        review = ReviewService(hq)
        pending = sorted(bundles, key=lambda b: (b.created, b.path.name))
        outcomes: Counter[str] = Counter()
        to_review: list[tuple[FormRef, int]] = []
        i = 0
        for session in self._sessions(pending):
            with clock.frozen_at(session):
                decided = self._review(review, to_review)
                to_review = []
                batch = []
                while i < len(pending) and pending[i].created <= session:
                    batch.append(pending[i])
                    i += 1
                results = hq.imports.import_paths([b.path for b in batch]) if batch else []
            for b, r in zip(batch, results, strict=True):
                if r.outcome.value == "accepted":
                    to_review += list(b.instances)
            counts = Counter(r.outcome.value for r in results)
            outcomes.update(counts)
            parts = [f"{_OUTCOME_LABELS.get(k, k)} {v}" for k, v in sorted(counts.items())]
            if decided:
                parts.append(decided)
            if batch or decided:
                what = f"파일 {len(batch)}개 가져오기" if batch else "검토"
                self.progress(f"본부 {session:%Y-%m-%d %H:%M} {what} ({', '.join(parts)})")
            for r in results:
                if not r.outcome.ok:
                    self.progress(f"  ! {r.file_name}: {r.message}")
        return dict(outcomes)

    def _review(self, review: Any, refs: list[tuple[FormRef, int]]) -> str:
        """Head office's decisions on received revisions: the corrected month goes back, the rest are accepted."""
        accepted = returned = 0
        for ref, revision in refs:
            if self.corrected and (ref.facility_code, ref.form, ref.period.index) == (
                self.corrected[0], FormKind.STAFFING, self.corrected[1]
            ) and revision == 1 and ref.period.kind.value == "month":  # fmt: skip
                view = review.ws.forms.get(ref)
                rows = view.data.rows if view is not None else []
                i = max(range(len(rows)), key=lambda k: rows[k].current or 0) if rows else 0
                review.return_for_correction(
                    ref,
                    "휴직 인원과 대체인력 근무일수가 인사기록(휴직 발령 현황)과 다릅니다. 확인 후 다시 보내 주세요.",
                    {f"rows/{i}/on_leave": "휴직 발령 현황과 대조해 주세요."} if rows else None,
                    revision=revision,
                )
                returned += 1
            else:
                review.accept(ref, revision=revision)
                accepted += 1
        self.reviewed.update({"접수": accepted, "보완요청": returned})
        parts = [f"검토 접수 {accepted}"] if accepted else []
        if returned:
            parts.append(f"보완요청 {returned}")
        return ", ".join(parts)


_OUTCOME_LABELS = {
    "accepted": "접수",
    "already_imported": "이미 가져옴",
    "stale": "이전 판",
    "refused": "거부",
    "conflict": "충돌",
}


def _auto_workers(jobs: int) -> int:
    import os

    return max(1, min(os.cpu_count() or 1, 8, jobs // 3))


def build_demo(opts: DemoOptions, progress: Progress = lambda _: None) -> DemoResult:
    """Build the deployment under ``opts.root`` (``hq/``, ``facilities/<code>/``, ``bundles/``, ``files/``)."""
    if opts.facilities < 1:
        raise InvalidInputError("--facilities는 1 이상이어야 합니다.")
    if not FIRST_MONTH <= opts.through <= LAST_MONTH:
        raise InvalidInputError(f"--through는 {FIRST_MONTH}부터 {LAST_MONTH} 사이여야 합니다.")
    opts.root.mkdir(parents=True, exist_ok=True)
    return _Demo(opts, progress).build()


def bundle_payloads(paths: Iterable[Path]) -> dict[str, bytes]:
    """Every form payload in the given bundles, by ``facility/member`` (to compare two runs of the same seed)."""
    from jbdesk.bundle.container import read_container

    out: dict[str, bytes] = {}
    for path in paths:
        container = read_container(path.read_bytes())
        for name, data in container.members.items():
            out[f"{container.manifest.facility_code}/{name}"] = data
    return out


__all__ = [
    "DemoError",
    "DemoOptions",
    "DemoResult",
    "ExportedBundle",
    "build_demo",
    "bundle_payloads",
    "default_through",
    "parse_through",
]
