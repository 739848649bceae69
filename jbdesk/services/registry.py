"""The facility registry: list, add, change lifecycle status, and which reports are due when."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

from jbdesk.domain.facilities import (
    TRACKING_START,
    DueForm,
    Facility,
    LifecycleEvent,
    LifecycleStatus,
    due_in_month,
    forms_due,
)
from jbdesk.domain.forms import FORMS, FormKind, Schedule
from jbdesk.domain.periods import Period, PeriodKind
from jbdesk.errors import InvalidInputError, NotFoundError
from jbdesk.services import audit
from jbdesk.store import registry as store

if TYPE_CHECKING:
    from jbdesk.services.workspace import Workspace

_CODE = re.compile(r"^[A-Z][A-Z0-9-]{1,15}$")


class RegistryService:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    def facilities(self, *, reporting_on: date | None = None) -> list[Facility]:
        with self.ws.db.reading() as s:
            facilities = store.list_facilities(s)
        if reporting_on is not None:
            facilities = [f for f in facilities if (st := f.status_on(reporting_on)) is not None and st.reports]
        return facilities

    def get(self, code: str) -> Facility:
        with self.ws.db.reading() as s:
            facility = store.get_facility(s, code.strip().upper())
        if facility is None:
            raise NotFoundError(f"등록되지 않은 시설 코드입니다: {code}")
        return facility

    def add(self, facility: Facility, *, effective: date) -> Facility:
        """Head office registers a new facility, operating from ``effective``."""
        from jbdesk.services.workspace import Mode

        self.ws.require_mode(Mode.HQ)
        _check_new_facility(facility)
        with self.ws.db.transaction() as s:
            if store.get_facility(s, facility.code) is not None:
                raise InvalidInputError(f"이미 있는 시설 코드입니다: {facility.code}")
            order = max((f.sort_order for f in store.list_facilities(s)), default=0) + 1
            new = replace(
                facility,
                sort_order=facility.sort_order or order,
                events=facility.events or (LifecycleEvent(effective, LifecycleStatus.OPERATING, "신규 등록"),),
            )
            store.save_facility(s, new)
            audit.record(s, "registry", new.code, {"added": new.name, "from": str(effective)})
        return self.get(facility.code)

    def change_status(self, code: str, status: LifecycleStatus, effective: date, note: str = "") -> Facility:
        """Record a lifecycle change (transfer, re-consignment, closure) from ``effective`` on."""
        from jbdesk.services.workspace import Mode

        self.ws.require_mode(Mode.HQ)
        facility = self.get(code)
        if any(e.effective == effective and e.status is status for e in facility.events):
            raise InvalidInputError(f"{facility.code}에 같은 날짜의 같은 상태 변경이 이미 있습니다.")
        with self.ws.db.transaction() as s:
            store.save_facility(s, facility.with_event(LifecycleEvent(effective, status, note.strip())))
            audit.record(s, "registry", facility.code, {"status": status.value, "from": str(effective), "note": note})
        return self.get(code)

    def due_in_month(self, code: str, month: Period, schedule: Schedule | None = None) -> list[DueForm]:
        if month.kind is not PeriodKind.MONTH:
            raise InvalidInputError("월 단위 기간을 입력하세요 (예: 2026-12).")
        return due_in_month(self.get(code), month, schedule)

    def open_reports(self, code: str, today: date, schedule: Schedule | None = None) -> list[DueForm]:
        """Every report expected from the facility whose entry window has opened by ``today``, oldest first."""
        schedule = schedule or Schedule()
        facility = self.get(code)
        first = Period.month(TRACKING_START.year, TRACKING_START.month)
        out: list[DueForm] = []
        for form, spec in FORMS.items():
            if not spec.scheduled:
                continue
            for period in schedule.periods_between(form, first, today):
                due = forms_due(facility, form, period, schedule)
                if due is not None:
                    out.append(due)
        return sorted(out, key=lambda d: (d.due, d.form.value))

    def is_due(self, code: str, form: FormKind, period: Period) -> bool:
        return forms_due(self.get(code), form, period) is not None


def _check_new_facility(f: Facility) -> None:
    if not _CODE.match(f.code):
        raise InvalidInputError("시설 코드는 영문 대문자로 시작하는 2~16자(영문·숫자·-)여야 합니다. 예: F16")
    if not f.name.strip():
        raise InvalidInputError("시설명을 입력하세요.")
    if f.headcount_authorized < 0 or f.headcount_current < 0:
        raise InvalidInputError("정원과 현원은 0 이상이어야 합니다.")
    if f.account not in ("특별회계", "일반회계"):
        raise InvalidInputError("회계는 특별회계 또는 일반회계여야 합니다.")
