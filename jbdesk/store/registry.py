"""Facility registry rows, read and written as frozen domain ``Facility`` objects."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, selectinload

from jbdesk import clock
from jbdesk.domain.facilities import Facility, Feature, LifecycleEvent, LifecycleStatus
from jbdesk.store.models import FacilityEventRow, FacilityRow
from jbdesk.store.statements import cursor


def _to_domain(row: FacilityRow) -> Facility:
    return Facility(
        code=row.code,
        name=row.name,
        aliases=tuple(a for a in row.aliases.split("|") if a),
        type=row.type,
        group=row.group_name,
        account=row.account,
        operation=row.operation,
        headcount_authorized=row.headcount_authorized,
        headcount_current=row.headcount_current,
        headcount_as_of=row.headcount_as_of,
        budget_mkrw=(
            row.budget_total_mkrw,
            row.budget_national_mkrw,
            row.budget_province_mkrw,
            row.budget_city_mkrw,
            row.budget_other_mkrw,
        ),
        features=frozenset(Feature(f) for f in row.features.split(",") if f),
        events=tuple(LifecycleEvent(e.effective, LifecycleStatus(e.status), e.note) for e in row.events),
        sort_order=row.sort_order,
    )


def list_facilities(s: Session) -> list[Facility]:
    rows = s.scalars(
        select(FacilityRow).options(selectinload(FacilityRow.events)).order_by(FacilityRow.sort_order, FacilityRow.code)
    )
    return [_to_domain(r) for r in rows]


def get_facility(s: Session, code: str) -> Facility | None:
    row = s.get(FacilityRow, code)
    return _to_domain(row) if row is not None else None


def count_facilities(s: Session) -> int:
    return len(s.scalars(select(FacilityRow.code)).all())


def save_facility(s: Session, f: Facility) -> None:
    """Insert or update the facility and replace its lifecycle events."""
    row = s.get(FacilityRow, f.code)
    if row is None:
        row = FacilityRow(code=f.code)
        s.add(row)
    row.name = f.name
    row.aliases = "|".join(f.aliases)
    row.type = f.type
    row.group_name = f.group
    row.account = f.account
    row.operation = f.operation
    row.headcount_authorized = f.headcount_authorized
    row.headcount_current = f.headcount_current
    row.headcount_as_of = f.headcount_as_of
    (
        row.budget_total_mkrw,
        row.budget_national_mkrw,
        row.budget_province_mkrw,
        row.budget_city_mkrw,
        row.budget_other_mkrw,
    ) = f.budget_mkrw
    row.features = ",".join(sorted(x.value for x in f.features))
    row.sort_order = f.sort_order
    existing = {(e.effective, e.status): e for e in row.events}
    wanted = {(e.effective, e.status.value): e for e in f.events}
    for key, ev in existing.items():
        if key not in wanted:
            row.events.remove(ev)
        else:
            ev.note = wanted[key].note
    for key, e in wanted.items():
        if key not in existing:
            row.events.append(
                FacilityEventRow(effective=e.effective, status=e.status.value, note=e.note, recorded_at=clock.now())
            )


def delete_facilities_except(s: Session, keep_code: str) -> int:
    result = s.execute(delete(FacilityRow).where(FacilityRow.code != keep_code))
    return cursor(result).rowcount or 0
