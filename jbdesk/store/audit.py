"""The audit log: append in the caller's transaction, each entry's hash covering the one before it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from jbdesk.store.models import AuditRow
from jbdesk.store.statements import table_of

GENESIS = "0" * 64
_AUDIT = table_of(AuditRow)
_LAST_HASH = select(_AUDIT.c.hash).order_by(_AUDIT.c.id.desc()).limit(1)
_INSERT = insert(_AUDIT)


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
    # Core statements, not ORM rows: every import and edit appends one entry, and the unit of work cost more than
    # the hashing. The chain is read and extended inside the caller's (write) transaction.
    s.flush()  # a Core query does not autoflush: an entry still pending as an ORM row must be chained
    prev = s.execute(_LAST_HASH).scalar() or GENESIS
    digest = entry_hash(prev, at, os_user, operator, action, subject, detail)
    s.execute(
        _INSERT,
        dict(
            at=at, os_user=os_user, operator=operator, action=action, subject=subject, detail=detail,
            prev_hash=prev, hash=digest,
        ),
    )  # fmt: skip
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
