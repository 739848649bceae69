"""Facilities, their lifecycle (transfers, re-consignments) and which reports are due from them when."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from pathlib import Path

from jbdesk.domain.forms import FORMS, FormKind, Schedule
from jbdesk.domain.periods import Period, add_months
from jbdesk.errors import InvalidInputError

# Headcounts in facilities.csv are "2026. 2. 1. 기준" (plan L170).
HEADCOUNT_AS_OF = date(2026, 2, 1)
# jbdesk tracks reports from 2026 on; a seeded facility is 운영 from this day.
TRACKING_START = date(2026, 1, 1)
# Transfers to private operators are handed over in Nov-Dec 2026: nothing is due from December on.
PLANNED_TRANSFER_DATE = date(2026, 12, 1)
# The re-consignment agreements take effect with the 2027 contract (plan L4849-L4850).
PLANNED_RECONSIGNMENT_DATE = date(2027, 1, 1)


class LifecycleStatus(StrEnum):
    OPERATING = "운영"
    TRANSFER_PLANNED = "민간이전예정"
    TRANSFERRED = "민간이전"
    RECONSIGNED = "재위탁"
    CLOSED = "운영종료"

    @property
    def reports(self) -> bool:
        """Whether a facility in this status is expected to report."""
        return self not in (LifecycleStatus.TRANSFERRED, LifecycleStatus.CLOSED)


class Feature(StrEnum):
    """What applies at a facility; safety items are filtered by these (safety-items.csv applies_to)."""

    DIRECT_USERS = "direct_users"
    GAS = "gas"
    KITCHEN = "kitchen"
    MEDICATION = "medication"
    HOME_VISIT = "home_visit"
    RESIDENTIAL_OR_CHILDCARE = "residential_or_childcare"
    EXTRA_PREMISES = "extra_premises"


FEATURE_LABELS: dict[Feature, str] = {
    Feature.DIRECT_USERS: "직접 이용자",
    Feature.GAS: "가스 사용",
    Feature.KITCHEN: "급식·조리",
    Feature.MEDICATION: "의약품 관리",
    Feature.HOME_VISIT: "재가·현장 방문",
    Feature.RESIDENTIAL_OR_CHILDCARE: "생활시설·아동돌봄",
    Feature.EXTRA_PREMISES: "추가 확보 시설",
}


@dataclass(frozen=True)
class LifecycleEvent:
    effective: date
    status: LifecycleStatus
    note: str = ""


@dataclass(frozen=True)
class Facility:
    code: str
    name: str
    type: str
    group: str
    account: str  # 특별회계 / 일반회계
    operation: str  # 위수탁 / 직영
    headcount_authorized: int
    headcount_current: int
    aliases: tuple[str, ...] = ()
    headcount_as_of: date = HEADCOUNT_AS_OF
    budget_mkrw: tuple[int, int, int, int, int] = (0, 0, 0, 0, 0)  # 계, 국비, 도비, 시군비, 기타 (백만원)
    features: frozenset[Feature] = field(default_factory=frozenset)
    events: tuple[LifecycleEvent, ...] = ()
    sort_order: int = 0

    @property
    def vacancy(self) -> int:
        """결원 = 현원 − 정원 (negative means unfilled posts, printed with △)."""
        return self.headcount_current - self.headcount_authorized

    def status_on(self, day: date) -> LifecycleStatus | None:
        """The status in force on ``day``; None before the facility's first event."""
        current: LifecycleStatus | None = None
        for event in sorted(self.events, key=lambda e: e.effective):
            if event.effective <= day:
                current = event.status
        return current

    def reports_during(self, start: date, end: date) -> bool:
        """True when the facility is in a reporting status on any day of [start, end]."""
        ordered = sorted(self.events, key=lambda e: e.effective)
        status = self.status_on(start)
        if status is not None and status.reports:
            return True
        return any(start < e.effective <= end and e.status.reports for e in ordered)

    def reports_in(self, period: Period) -> bool:
        return self.reports_during(period.start, period.end)

    def with_event(self, event: LifecycleEvent) -> Facility:
        return replace(self, events=tuple(sorted((*self.events, event), key=lambda e: e.effective)))


@dataclass(frozen=True)
class DueForm:
    facility_code: str
    form: FormKind
    period: Period
    opens: date
    due: date

    @property
    def label(self) -> str:
        return f"{FORMS[self.form].label} {self.period.label}"

    def overdue_on(self, day: date) -> bool:
        return day > self.due


def forms_due(facility: Facility, form: FormKind, period: Period, schedule: Schedule | None = None) -> DueForm | None:
    """The due form for (facility, form, period), or None when nothing is expected then."""
    schedule = schedule or Schedule()
    if FORMS[form].period_kind is not period.kind:
        raise InvalidInputError(f"{FORMS[form].label}의 기간 단위가 아닙니다: {period}")
    if not facility.reports_in(period):
        return None
    return DueForm(facility.code, form, period, schedule.opens(form, period), schedule.due(form, period))


def due_in_month(facility: Facility, month: Period, schedule: Schedule | None = None) -> list[DueForm]:
    """Every report expected from the facility whose due date falls in ``month``.

    Answers "which reports are due from F05 in 2026-12?": the November monthly forms (due on the
    10th) and the 2026 survey (due 12-31); nothing for the December period once F05 is transferred.
    """
    schedule = schedule or Schedule()
    out: list[DueForm] = []
    for form, spec in FORMS.items():
        if not spec.scheduled:
            continue
        # A due date lies at most a few months after its period starts: scan the last 13 months' periods.
        period = Period.containing(add_months(month.start, -13), spec.period_kind)
        while period.start <= month.end:
            due = forms_due(facility, form, period, schedule)
            if due is not None and month.contains(due.due):
                out.append(due)
            period = period.next()
    return sorted(out, key=lambda d: (d.due, d.form.value))


_TYPE_FEATURES: dict[str, set[Feature]] = {
    "학대피해노인 쉼터": {Feature.RESIDENTIAL_OR_CHILDCARE, Feature.KITCHEN, Feature.GAS, Feature.MEDICATION},
    "다함께돌봄센터": {Feature.RESIDENTIAL_OR_CHILDCARE, Feature.KITCHEN},
    "노인보호전문기관": {Feature.HOME_VISIT},
    "전북인돌봄센터": {Feature.HOME_VISIT},
    "청년미래센터": {Feature.HOME_VISIT},
    "건강가정다문화가족": {Feature.KITCHEN},
}


def _seed_events(status_2026: str, note: str) -> tuple[LifecycleEvent, ...]:
    events = [LifecycleEvent(TRACKING_START, LifecycleStatus.OPERATING, "")]
    if status_2026 == "민간이전예정":
        events.append(LifecycleEvent(TRACKING_START, LifecycleStatus.TRANSFER_PLANNED, note))
        events.append(LifecycleEvent(PLANNED_TRANSFER_DATE, LifecycleStatus.TRANSFERRED, "민간 운영법인으로 이전"))
    elif status_2026 == "재위탁":
        events.append(LifecycleEvent(PLANNED_RECONSIGNMENT_DATE, LifecycleStatus.RECONSIGNED, note))
    # A facility never holds two events on one day with different meaning: keep the later-listed.
    by_day: dict[date, LifecycleEvent] = {}
    for e in events:
        by_day[e.effective] = e
    return tuple(by_day[d] for d in sorted(by_day))


def load_seed_facilities(csv_path: Path) -> list[Facility]:
    """The 15 facilities of the 2026 plan (facilities.csv) with seeded lifecycle events."""
    with csv_path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    out = []
    for order, r in enumerate(rows, start=1):
        features = set(_TYPE_FEATURES.get(r["type"], set()))
        if r["has_direct_users"].strip().lower() == "yes":
            features.add(Feature.DIRECT_USERS)
        else:
            features.discard(Feature.DIRECT_USERS)
        out.append(
            Facility(
                code=r["code"],
                name=r["name"],
                aliases=tuple(a for a in r["aliases"].split("|") if a),
                type=r["type"],
                group=r["group"],
                account=r["account"],
                operation=r["operation"],
                headcount_authorized=int(r["headcount_authorized"]),
                headcount_current=int(r["headcount_current"]),
                budget_mkrw=(
                    int(r["budget_2026_total_mkrw"]),
                    int(r["budget_2026_national_mkrw"]),
                    int(r["budget_2026_province_mkrw"]),
                    int(r["budget_2026_city_mkrw"]),
                    int(r["budget_2026_other_mkrw"]),
                ),
                features=frozenset(features),
                events=_seed_events(r["status_2026"], r["status_note"]),
                sort_order=order,
            )
        )
    return out


def totals(facilities: Iterable[Facility]) -> tuple[int, int, int]:
    """(정원, 현원, 결원) summed."""
    fs = list(facilities)
    auth = sum(f.headcount_authorized for f in fs)
    cur = sum(f.headcount_current for f in fs)
    return auth, cur, cur - auth
