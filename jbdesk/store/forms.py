"""Form instances and their change history, read and written as plain records."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jbdesk.domain.forms import ChangeEntry, FormKind, FormRef, FormStatus, InstanceRecord
from jbdesk.domain.periods import Period
from jbdesk.store import audit
from jbdesk.store.models import ChangeRow, FormInstanceRow


def _record(row: FormInstanceRow) -> InstanceRecord:
    return InstanceRecord(
        ref=FormRef(row.facility_code, FormKind(row.form), Period.parse(row.period)),
        revision=row.revision,
        status=FormStatus(row.status),
        config_version=row.config_version,
        payload=row.payload.encode("utf-8"),
        created_at=row.created_at,
        updated_at=row.updated_at,
        ready_at=row.ready_at,
        submitted_at=row.submitted_at,
        note=row.note,
    )


def _current_row(s: Session, ref: FormRef) -> FormInstanceRow | None:
    return s.scalars(
        select(FormInstanceRow)
        .where(
            FormInstanceRow.facility_code == ref.facility_code,
            FormInstanceRow.form == ref.form.value,
            FormInstanceRow.period == str(ref.period),
        )
        .order_by(FormInstanceRow.revision.desc())
        .limit(1)
    ).first()


def current(s: Session, ref: FormRef) -> InstanceRecord | None:
    row = _current_row(s, ref)
    return _record(row) if row is not None else None


def revisions(s: Session, ref: FormRef) -> list[InstanceRecord]:
    rows = s.scalars(
        select(FormInstanceRow)
        .where(
            FormInstanceRow.facility_code == ref.facility_code,
            FormInstanceRow.form == ref.form.value,
            FormInstanceRow.period == str(ref.period),
        )
        .order_by(FormInstanceRow.revision)
    )
    return [_record(r) for r in rows]


def current_for_facility(s: Session, facility_code: str) -> list[InstanceRecord]:
    """The current revision of every form instance of one facility."""
    latest = (
        select(
            FormInstanceRow.form,
            FormInstanceRow.period,
            func.max(FormInstanceRow.revision).label("rev"),
        )
        .where(FormInstanceRow.facility_code == facility_code)
        .group_by(FormInstanceRow.form, FormInstanceRow.period)
        .subquery()
    )
    rows = s.scalars(
        select(FormInstanceRow)
        .join(
            latest,
            (FormInstanceRow.form == latest.c.form)
            & (FormInstanceRow.period == latest.c.period)
            & (FormInstanceRow.revision == latest.c.rev),
        )
        .where(FormInstanceRow.facility_code == facility_code)
    )
    return [_record(r) for r in rows]


def insert(s: Session, record: InstanceRecord) -> None:
    s.add(
        FormInstanceRow(
            facility_code=record.ref.facility_code,
            form=record.ref.form.value,
            period=str(record.ref.period),
            revision=record.revision,
            status=record.status.value,
            config_version=record.config_version,
            payload=record.payload.decode("utf-8"),
            created_at=record.created_at,
            updated_at=record.updated_at,
            ready_at=record.ready_at,
            submitted_at=record.submitted_at,
            note=record.note,
        )
    )
    s.flush()


def renumber(s: Session, ref: FormRef, old: int, new: int) -> None:
    """Give a revision another number (its history stays with it): a recovery file puts head office's revisions
    under the numbers they were sent with, and a draft begun on the new PC moves after them."""
    row = s.scalars(
        select(FormInstanceRow).where(
            FormInstanceRow.facility_code == ref.facility_code,
            FormInstanceRow.form == ref.form.value,
            FormInstanceRow.period == str(ref.period),
            FormInstanceRow.revision == old,
        )
    ).first()
    if row is None:
        raise LookupError(ref)
    row.revision = new
    s.flush()


def update_current(
    s: Session,
    ref: FormRef,
    *,
    payload: bytes | None = None,
    status: FormStatus | None = None,
    at: datetime,
    note: str | None = None,
) -> InstanceRecord:
    row = _current_row(s, ref)
    if row is None:
        raise LookupError(ref)
    if payload is not None:
        row.payload = payload.decode("utf-8")
    if status is not None:
        row.status = status.value
        if status is FormStatus.READY:
            row.ready_at = at
        elif status is FormStatus.SUBMITTED:
            row.submitted_at = at
    if note is not None:
        row.note = note
    row.updated_at = at
    s.flush()
    return _record(row)


def log_change(
    s: Session,
    ref: FormRef,
    *,
    at: datetime,
    os_user: str,
    operator: str,
    action: str,
    field: str = "",
    old_value: str | None = None,
    new_value: str | None = None,
) -> None:
    row = _current_row(s, ref)
    if row is None:
        raise LookupError(ref)
    # Every change of entered data also enters the hash-chained audit log, in the same transaction.
    audit.append(
        s, at=at, os_user=os_user, operator=operator, action=action,
        subject=f"{ref.facility_code} {ref.form.value} {ref.period} {row.revision}판",
        detail=json.dumps({"field": field, "old": old_value, "new": new_value}, ensure_ascii=False),
    )  # fmt: skip
    s.add(
        ChangeRow(
            instance_id=row.id,
            at=at,
            os_user=os_user,
            operator=operator,
            action=action,
            field=field,
            old_value=old_value,
            new_value=new_value,
        )
    )


def history(s: Session, ref: FormRef) -> list[ChangeEntry]:
    rows = s.execute(
        select(ChangeRow, FormInstanceRow.revision)
        .join(FormInstanceRow, ChangeRow.instance_id == FormInstanceRow.id)
        .where(
            FormInstanceRow.facility_code == ref.facility_code,
            FormInstanceRow.form == ref.form.value,
            FormInstanceRow.period == str(ref.period),
        )
        .order_by(ChangeRow.id)
    )
    return [
        ChangeEntry(c.at, c.os_user, c.operator, c.action, rev, c.field, c.old_value, c.new_value) for c, rev in rows
    ]
