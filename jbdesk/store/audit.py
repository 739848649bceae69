"""The audit log: append in the caller's transaction, each entry's hash covering the one before it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from jbdesk.store.models import AuditRow

GENESIS = "0" * 64


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    os_user: str
    operator: str
    action: str
    subject: str
    detail: str
    hash: str


def entry_hash(prev: str, at: datetime, os_user: str, operator: str, action: str, subject: str, detail: str) -> str:
    text = "\x1f".join((prev, at.isoformat(timespec="microseconds"), os_user, operator, action, subject, detail))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def append(
    s: Session, *, at: datetime, os_user: str, operator: str, action: str, subject: str = "", detail: str = ""
) -> str:
    last = s.scalars(select(AuditRow).order_by(AuditRow.id.desc()).limit(1)).first()
    prev = last.hash if last is not None else GENESIS
    digest = entry_hash(prev, at, os_user, operator, action, subject, detail)
    s.add(
        AuditRow(
            at=at, os_user=os_user, operator=operator, action=action, subject=subject, detail=detail,
            prev_hash=prev, hash=digest,
        )
    )  # fmt: skip
    s.flush()
    return digest


def entries(s: Session, limit: int | None = None) -> list[AuditEntry]:
    query = select(AuditRow).order_by(AuditRow.id.desc())
    if limit:
        query = query.limit(limit)
    return [
        AuditEntry(r.id, r.at, r.os_user, r.operator, r.action, r.subject, r.detail, r.hash) for r in s.scalars(query)
    ]


def first_broken(s: Session) -> int | None:
    """Id of the first entry whose hash or link does not match; None when the chain is whole."""
    prev = GENESIS
    for row in s.scalars(select(AuditRow).order_by(AuditRow.id)):
        expected = entry_hash(prev, row.at, row.os_user, row.operator, row.action, row.subject, row.detail)
        if row.prev_hash != prev or row.hash != expected:
            return row.id
        prev = row.hash
    return None


def count(s: Session) -> int:
    return len(s.scalars(select(AuditRow.id)).all())
