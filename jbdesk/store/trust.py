"""Head office records of trust and arrivals: enrolled keys, issued provisioning files, merged bundles, import log."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from jbdesk.domain.forms import FormKind, FormRef, FormStatus, InstanceRecord
from jbdesk.domain.periods import Period
from jbdesk.store.models import BundleRow, FacilityKeyRow, FormInstanceRow, ImportLogRow, ProvisionRow
from jbdesk.store.statements import cursor, table_of


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


# Import runs these a few times per bundle, thousands of bundles at a time. Core statements on the tables, built
# once here (building a statement cost more than running it; an ORM query and flush several times more): plain rows,
# no unit of work, nothing kept in the session afterwards.
_BUNDLE = table_of(BundleRow)
_INSTANCE = table_of(FormInstanceRow)
_BY_DIGEST = select(_BUNDLE).where(_BUNDLE.c.digest == bindparam("digest"))
_OF_FACILITY = (
    select(_BUNDLE).where(_BUNDLE.c.facility_code == bindparam("code")).order_by(_BUNDLE.c.sequence, _BUNDLE.c.id)
)
_INSERT_BUNDLE = insert(_BUNDLE)
# A range of periods (as text), not IN (...): an expanding IN is compiled again on every call; rows in between that
# are not asked for are dropped by the caller.
_REVISIONS = select(_INSTANCE.c.form, _INSTANCE.c.period, _INSTANCE.c.revision, _INSTANCE.c.digest).where(
    _INSTANCE.c.facility_code == bindparam("code"), _INSTANCE.c.period.between(bindparam("first"), bindparam("last"))
)
_INSERT_INSTANCE = insert(_INSTANCE)
_INSERT_LOG = insert(table_of(ImportLogRow))


def bundle_by_digest(s: Session, digest: str) -> BundleInfo | None:
    row = s.execute(_BY_DIGEST, {"digest": digest}).first()
    return _bundle(row) if row else None  # type: ignore[arg-type]  # a Row has the same attributes


def imported_digests(s: Session) -> set[str]:
    """Digests of every bundle merged and not rolled back."""
    return set(s.execute(select(_BUNDLE.c.digest).where(_BUNDLE.c.outcome != ROLLED_BACK)).scalars())


def bundles_of(s: Session, facility_code: str) -> list[BundleInfo]:
    return [_bundle(r) for r in s.execute(_OF_FACILITY, {"code": facility_code})]  # type: ignore[arg-type]


ROLLED_BACK = "rolled_back"


def sequence_chain(s: Session, facility_code: str) -> list[tuple[int, str]]:
    """(sequence, digest) of every bundle of the facility still merged (not rolled back), in sequence order."""
    return [
        (r.sequence, r.digest) for r in s.execute(_OF_FACILITY, {"code": facility_code}) if r.outcome != ROLLED_BACK
    ]


def add_bundle(s: Session, info: BundleInfo, *, seen_before: bool = True) -> int:
    """Record a merged bundle; ``seen_before=False`` when the caller has just found no row with its digest."""
    found = s.execute(_BY_DIGEST, {"digest": info.digest}).first() if seen_before else None
    if found is not None and found.outcome == ROLLED_BACK:  # imported again after its merge was undone
        notes = json.dumps([*json.loads(found.notes or "[]"), *info.notes], ensure_ascii=False)
        s.execute(
            update(_BUNDLE)
            .where(_BUNDLE.c.id == found.id)
            .values(imported_at=info.imported_at, file_name=info.file_name, outcome=info.outcome, notes=notes)
        )
        return int(found.id)
    result = s.execute(
        _INSERT_BUNDLE,
        dict(
            digest=info.digest, facility_code=info.facility_code, sequence=info.sequence,
            prev_digest=info.prev_digest, key_fingerprint=info.key_fingerprint, created_at=info.created_at,
            imported_at=info.imported_at, file_name=info.file_name, outcome=info.outcome,
            notes=json.dumps(list(info.notes), ensure_ascii=False),
        ),
    )  # fmt: skip
    key = cursor(result).inserted_primary_key
    assert key is not None  # a single-row INSERT always reports its key
    return int(key[0])


def roll_back_bundle(s: Session, digest: str, note: str) -> tuple[BundleInfo, int]:
    """Remove the revisions a bundle brought (the previous revision becomes current again); keep the bundle
    row, marked rolled back, so the undo itself stays on record. Returns the bundle and the rows removed."""
    row = s.scalars(select(BundleRow).where(BundleRow.digest == digest)).first()
    if row is None:
        raise LookupError(digest)
    removed = cursor(s.execute(delete(FormInstanceRow).where(FormInstanceRow.bundle_id == row.id))).rowcount or 0
    row.outcome = ROLLED_BACK
    row.notes = json.dumps([*json.loads(row.notes or "[]"), note], ensure_ascii=False)
    s.flush()
    return _bundle(row), removed


def find_bundles(s: Session, prefix: str) -> list[BundleInfo]:
    """Bundles whose digest starts with ``prefix`` (people type the first 8-12 characters)."""
    rows = s.scalars(select(BundleRow).where(BundleRow.digest.startswith(prefix.lower())))
    return [_bundle(r) for r in rows]


def revision_digests(s: Session, refs: list[FormRef]) -> dict[FormRef, dict[int, str]]:
    """Every revision head office holds of each of ``refs`` (one facility), with its digest: one query."""
    if not refs:
        return {}
    s.flush()  # a Core query does not autoflush: revisions added as ORM rows in this transaction must count
    code = refs[0].facility_code
    wanted = {(ref.form.value, str(ref.period)): ref for ref in refs}
    periods = [p for _, p in wanted]
    rows = s.execute(_REVISIONS, {"code": code, "first": min(periods), "last": max(periods)})
    out: dict[FormRef, dict[int, str]] = {ref: {} for ref in refs}
    for form, period, revision, digest in rows:
        ref = wanted.get((form, period))
        if ref is not None:
            out[ref][revision] = digest or ""
    return out


def max_revision(s: Session, ref: FormRef) -> int:
    return max(revision_digests(s, [ref])[ref], default=0)


def add_received(s: Session, records: list[tuple[InstanceRecord, str]], bundle_id: int) -> None:
    """The revisions a bundle brings, each with its payload digest (one statement)."""
    if not records:
        return
    s.execute(
        _INSERT_INSTANCE,
        [
            dict(
                facility_code=r.ref.facility_code, form=r.ref.form.value, period=str(r.ref.period),
                revision=r.revision, status=r.status.value, config_version=r.config_version,
                payload=r.payload.decode("utf-8"), created_at=r.created_at, updated_at=r.updated_at,
                ready_at=r.ready_at, submitted_at=r.submitted_at, note=r.note, digest=digest, bundle_id=bundle_id,
            )
            for r, digest in records
        ],
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
    s.execute(
        _INSERT_LOG,
        dict(
            at=at, file_name=file_name, digest=digest, facility_code=facility_code, outcome=outcome, reason=reason,
            message=message,
        ),
    )  # fmt: skip


def import_log(s: Session) -> list[tuple[datetime, str, str, str, str, str]]:
    rows = s.scalars(select(ImportLogRow).order_by(ImportLogRow.id))
    return [(r.at, r.file_name, r.facility_code, r.outcome, r.reason, r.message) for r in rows]
