"""Head office: review decisions on received revisions, and a light index of everything received.

The index reads no payloads: the submission tracker needs only which revisions arrived in which bundle, signed
when and by which key.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from jbdesk.domain.forms import FormKind, FormRef
from jbdesk.domain.hq import ReviewDecision, ReviewInfo
from jbdesk.domain.periods import Period
from jbdesk.store.models import BundleRow, FormInstanceRow, FormReviewRow


@dataclass(frozen=True)
class ReceivedRow:
    """One revision held at head office (no payload) and its bundle, if it came in one."""

    facility_code: str
    form: str
    period: str
    revision: int
    status: str
    note: str
    bundle_sequence: int | None
    bundle_digest: str | None
    key_fingerprint: str | None
    bundle_created_at: str | None


def received_index(s: Session, forms: tuple[str, ...] | None = None) -> list[ReceivedRow]:
    """Every revision of every instance (optionally of ``forms`` only), ordered by instance and revision."""
    query = (
        select(
            FormInstanceRow.facility_code,
            FormInstanceRow.form,
            FormInstanceRow.period,
            FormInstanceRow.revision,
            FormInstanceRow.status,
            FormInstanceRow.note,
            BundleRow.sequence,
            BundleRow.digest,
            BundleRow.key_fingerprint,
            BundleRow.created_at,
        )
        .outerjoin(BundleRow, FormInstanceRow.bundle_id == BundleRow.id)
        .order_by(FormInstanceRow.facility_code, FormInstanceRow.form, FormInstanceRow.period, FormInstanceRow.revision)
    )
    if forms is not None:
        query = query.where(FormInstanceRow.form.in_(forms))
    return [
        ReceivedRow(code, form, period, revision, status, note, sequence, digest, fingerprint, created_at)
        for code, form, period, revision, status, note, sequence, digest, fingerprint, created_at in s.execute(query)
    ]


def _info(row: FormReviewRow) -> ReviewInfo:
    comments = json.loads(row.field_comments or "{}")
    return ReviewInfo(
        id=row.id,
        ref=FormRef(row.facility_code, FormKind(row.form), Period.parse(row.period)),
        revision=row.revision,
        decision=ReviewDecision(row.decision),
        comment=row.comment,
        field_comments=tuple((str(k), str(v)) for k, v in comments.items()),
        decided_at=row.decided_at,
        decided_by=row.decided_by,
        sent_at=row.sent_at,
    )


def add_review(
    s: Session,
    ref: FormRef,
    revision: int,
    decision: ReviewDecision,
    *,
    comment: str,
    field_comments: dict[str, str],
    at: datetime,
    by: str,
) -> ReviewInfo:
    row = FormReviewRow(
        facility_code=ref.facility_code, form=ref.form.value, period=str(ref.period), revision=revision,
        decision=decision.value, comment=comment, field_comments=json.dumps(field_comments, ensure_ascii=False),
        decided_at=at, decided_by=by,
    )  # fmt: skip
    s.add(row)
    s.flush()
    return _info(row)


def reviews_of(s: Session, ref: FormRef) -> list[ReviewInfo]:
    rows = s.scalars(
        select(FormReviewRow)
        .where(
            FormReviewRow.facility_code == ref.facility_code,
            FormReviewRow.form == ref.form.value,
            FormReviewRow.period == str(ref.period),
        )
        .order_by(FormReviewRow.id)
    )
    return [_info(r) for r in rows]


def all_reviews(s: Session) -> list[ReviewInfo]:
    """Every decision, oldest first (the tracker keeps the latest per instance and revision)."""
    return [_info(r) for r in s.scalars(select(FormReviewRow).order_by(FormReviewRow.id))]


def unsent_returns(s: Session) -> list[ReviewInfo]:
    rows = s.scalars(
        select(FormReviewRow)
        .where(FormReviewRow.decision == ReviewDecision.RETURNED.value, FormReviewRow.sent_at.is_(None))
        .order_by(FormReviewRow.id)
    )
    return [_info(r) for r in rows]


def mark_sent(s: Session, ids: list[int], at: datetime) -> None:
    """The decisions went back to the facility in a feedback file."""
    for row in s.scalars(select(FormReviewRow).where(FormReviewRow.id.in_(ids))):
        if row.sent_at is None:
            row.sent_at = at


def has_review(s: Session, ref: FormRef, revision: int, decision: str, decided_at: datetime) -> bool:
    """At a facility: was this head-office decision already applied (a feedback file read twice)?"""
    return (
        s.scalars(
            select(FormReviewRow.id).where(
                FormReviewRow.facility_code == ref.facility_code,
                FormReviewRow.form == ref.form.value,
                FormReviewRow.period == str(ref.period),
                FormReviewRow.revision == revision,
                FormReviewRow.decision == decision,
                FormReviewRow.decided_at == decided_at,
            )
        ).first()
        is not None
    )
