"""Head office records of trust and arrivals: enrolled keys, issued provisioning files, merged bundles, import log."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from jbdesk.domain.forms import FormKind, FormRef, FormStatus, InstanceRecord
from jbdesk.domain.periods import Period
from jbdesk.store.models import BundleRow, FacilityKeyRow, FormInstanceRow, ImportLogRow, ProvisionRow


@dataclass(frozen=True)
class EnrolledKey:
    facility_code: str
    public_key: str
    fingerprint: str
    enrolled_at: datetime
    revoked_at: datetime | None
    revoked_reason: str

    @property
    def active(self) -> bool:
        return self.revoked_at is None


@dataclass(frozen=True)
class BundleInfo:
    digest: str
    facility_code: str
    sequence: int
    prev_digest: str
    key_fingerprint: str
    created_at: str
    imported_at: datetime
    file_name: str
    outcome: str
    notes: tuple[str, ...]


@dataclass(frozen=True)
class ReceivedRevision:
    """One revision held at head office, with the bundle that brought it."""

    record: InstanceRecord
    digest: str
    bundle_digest: str | None
    key_fingerprint: str | None


def _key(row: FacilityKeyRow) -> EnrolledKey:
    return EnrolledKey(
        row.facility_code, row.public_key, row.fingerprint, row.enrolled_at, row.revoked_at, row.revoked_reason
    )


def keys_of(s: Session, facility_code: str) -> list[EnrolledKey]:
    rows = s.scalars(
        select(FacilityKeyRow).where(FacilityKeyRow.facility_code == facility_code).order_by(FacilityKeyRow.id)
    )
    return [_key(r) for r in rows]


def key_by_fingerprint(s: Session, fingerprint: str) -> EnrolledKey | None:
    row = s.scalars(select(FacilityKeyRow).where(FacilityKeyRow.fingerprint == fingerprint)).first()
    return _key(row) if row else None


def add_key(s: Session, facility_code: str, public_key: str, fingerprint: str, at: datetime) -> None:
    s.add(FacilityKeyRow(facility_code=facility_code, public_key=public_key, fingerprint=fingerprint, enrolled_at=at))


def revoke_keys(s: Session, facility_code: str, at: datetime, reason: str, except_fp: str | None = None) -> int:
    count = 0
    for row in s.scalars(
        select(FacilityKeyRow).where(FacilityKeyRow.facility_code == facility_code, FacilityKeyRow.revoked_at.is_(None))
    ):
        if row.fingerprint != except_fp:
            row.revoked_at = at
            row.revoked_reason = reason
            count += 1
    return count


def add_provision(s: Session, facility_code: str, digest: str, at: datetime, config_version: int) -> None:
    s.add(ProvisionRow(facility_code=facility_code, digest=digest, issued_at=at, config_version=config_version))


def provision_facility(s: Session, digest: str) -> str | None:
    row = s.scalars(select(ProvisionRow).where(ProvisionRow.digest == digest)).first()
    return row.facility_code if row else None


def _bundle(row: BundleRow) -> BundleInfo:
    return BundleInfo(
        row.digest, row.facility_code, row.sequence, row.prev_digest, row.key_fingerprint, row.created_at,
        row.imported_at, row.file_name, row.outcome, tuple(json.loads(row.notes or "[]")),
    )  # fmt: skip


def bundle_by_digest(s: Session, digest: str) -> BundleInfo | None:
    row = s.scalars(select(BundleRow).where(BundleRow.digest == digest)).first()
    return _bundle(row) if row else None


def bundles_of(s: Session, facility_code: str) -> list[BundleInfo]:
    rows = s.scalars(
        select(BundleRow).where(BundleRow.facility_code == facility_code).order_by(BundleRow.sequence, BundleRow.id)
    )
    return [_bundle(r) for r in rows]


ROLLED_BACK = "rolled_back"


def add_bundle(s: Session, info: BundleInfo) -> int:
    earlier = s.scalars(select(BundleRow).where(BundleRow.digest == info.digest)).first()
    if earlier is not None and earlier.outcome == ROLLED_BACK:  # imported again after its merge was undone
        earlier.imported_at, earlier.file_name, earlier.outcome = info.imported_at, info.file_name, info.outcome
        earlier.notes = json.dumps([*json.loads(earlier.notes or "[]"), *info.notes], ensure_ascii=False)
        s.flush()
        return earlier.id
    row = BundleRow(
        digest=info.digest, facility_code=info.facility_code, sequence=info.sequence, prev_digest=info.prev_digest,
        key_fingerprint=info.key_fingerprint, created_at=info.created_at, imported_at=info.imported_at,
        file_name=info.file_name, outcome=info.outcome, notes=json.dumps(list(info.notes), ensure_ascii=False),
    )  # fmt: skip
    s.add(row)
    s.flush()
    return row.id


def roll_back_bundle(s: Session, digest: str, note: str) -> tuple[BundleInfo, int]:
    """Remove the revisions a bundle brought (the previous revision becomes current again); keep the bundle
    row, marked rolled back, so the undo itself stays on record. Returns the bundle and the rows removed."""
    row = s.scalars(select(BundleRow).where(BundleRow.digest == digest)).first()
    if row is None:
        raise LookupError(digest)
    removed = s.execute(delete(FormInstanceRow).where(FormInstanceRow.bundle_id == row.id)).rowcount or 0
    row.outcome = ROLLED_BACK
    row.notes = json.dumps([*json.loads(row.notes or "[]"), note], ensure_ascii=False)
    s.flush()
    return _bundle(row), removed


def find_bundles(s: Session, prefix: str) -> list[BundleInfo]:
    """Bundles whose digest starts with ``prefix`` (people type the first 8-12 characters)."""
    rows = s.scalars(select(BundleRow).where(BundleRow.digest.startswith(prefix.lower())))
    return [_bundle(r) for r in rows]


def revision_digest(s: Session, ref: FormRef, revision: int) -> str | None:
    row = s.scalars(
        select(FormInstanceRow).where(
            FormInstanceRow.facility_code == ref.facility_code,
            FormInstanceRow.form == ref.form.value,
            FormInstanceRow.period == str(ref.period),
            FormInstanceRow.revision == revision,
        )
    ).first()
    return row.digest if row else None


def max_revision(s: Session, ref: FormRef) -> int:
    value = s.scalar(
        select(func.max(FormInstanceRow.revision)).where(
            FormInstanceRow.facility_code == ref.facility_code,
            FormInstanceRow.form == ref.form.value,
            FormInstanceRow.period == str(ref.period),
        )
    )
    return int(value or 0)


def add_received(s: Session, record: InstanceRecord, digest: str, bundle_id: int) -> None:
    s.add(
        FormInstanceRow(
            facility_code=record.ref.facility_code, form=record.ref.form.value, period=str(record.ref.period),
            revision=record.revision, status=record.status.value, config_version=record.config_version,
            payload=record.payload.decode("utf-8"), created_at=record.created_at, updated_at=record.updated_at,
            ready_at=record.ready_at, submitted_at=record.submitted_at, note=record.note, digest=digest,
            bundle_id=bundle_id,
        )
    )  # fmt: skip


def received_revisions(s: Session, ref: FormRef) -> list[ReceivedRevision]:
    rows = s.execute(
        select(FormInstanceRow, BundleRow.digest, BundleRow.key_fingerprint)
        .outerjoin(BundleRow, FormInstanceRow.bundle_id == BundleRow.id)
        .where(
            FormInstanceRow.facility_code == ref.facility_code,
            FormInstanceRow.form == ref.form.value,
            FormInstanceRow.period == str(ref.period),
        )
        .order_by(FormInstanceRow.revision)
    )
    out = []
    for row, bundle_digest, fp in rows:
        record = InstanceRecord(
            ref=FormRef(row.facility_code, FormKind(row.form), Period.parse(row.period)),
            revision=row.revision, status=FormStatus(row.status), config_version=row.config_version,
            payload=row.payload.encode("utf-8"), created_at=row.created_at, updated_at=row.updated_at,
            ready_at=row.ready_at, submitted_at=row.submitted_at, note=row.note,
        )  # fmt: skip
        out.append(ReceivedRevision(record, row.digest, bundle_digest, fp))
    return out


def log_import(
    s: Session,
    *,
    at: datetime,
    file_name: str,
    digest: str,
    facility_code: str,
    outcome: str,
    reason: str,
    message: str,
) -> None:
    s.add(
        ImportLogRow(
            at=at, file_name=file_name, digest=digest, facility_code=facility_code, outcome=outcome, reason=reason,
            message=message,
        )
    )  # fmt: skip


def import_log(s: Session) -> list[tuple[datetime, str, str, str, str, str]]:
    rows = s.scalars(select(ImportLogRow).order_by(ImportLogRow.id))
    return [(r.at, r.file_name, r.facility_code, r.outcome, r.reason, r.message) for r in rows]
