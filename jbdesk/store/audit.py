"""The audit log: append in the caller's transaction, each entry's hash covering the one before it."""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, insert, select
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
    return int(s.execute(select(func.count()).select_from(_AUDIT)).scalar_one())


@dataclass(frozen=True)
class Head:
    """The newest entry: what an anchor signs."""

    id: int
    hash: str
    action: str
    count: int


def head(s: Session) -> Head | None:
    s.flush()
    row = s.execute(select(_AUDIT.c.id, _AUDIT.c.hash, _AUDIT.c.action).order_by(_AUDIT.c.id.desc()).limit(1)).first()
    if row is None:
        return None
    return Head(int(row.id), str(row.hash), str(row.action), count(s))


def has_action(s: Session, action: str) -> bool:
    s.flush()
    return s.execute(select(_AUDIT.c.id).where(_AUDIT.c.action == action).limit(1)).first() is not None


def get(s: Session, entry_id: int) -> AuditEntry | None:
    r = s.get(AuditRow, entry_id)
    return None if r is None else AuditEntry(r.id, r.at, r.os_user, r.operator, r.action, r.subject, r.detail, r.hash)


@dataclass(frozen=True)
class Chain:
    """Every entry in order, as verification reads it."""

    ids: list[int]
    hashes: dict[int, str]
    anchors: list[AuditEntry]  # entries with action ``anchor``
    first_broken: int | None  # first entry whose hash or link does not match


def read_chain(s: Session, anchor_action: str) -> Chain:
    ids: list[int] = []
    hashes: dict[int, str] = {}
    anchors: list[AuditEntry] = []
    broken: int | None = None
    prev = GENESIS
    for r in s.scalars(select(AuditRow).order_by(AuditRow.id)):
        ids.append(r.id)
        hashes[r.id] = r.hash
        if broken is None:
            expected = entry_hash(prev, r.at, r.os_user, r.operator, r.action, r.subject, r.detail)
            if r.prev_hash != prev or r.hash != expected:
                broken = r.id
        prev = r.hash
        if r.action == anchor_action:
            anchors.append(AuditEntry(r.id, r.at, r.os_user, r.operator, r.action, r.subject, r.detail, r.hash))
    return Chain(ids, hashes, anchors, broken)


def latest_anchor_in_file(db: Path, anchor_action: str) -> AuditEntry | None:
    """The newest anchor entry of a closed database file (a restored backup), read without SQLAlchemy's engine."""
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            row = conn.execute(
                "SELECT id, at, os_user, operator, action, subject, detail, hash FROM audit_log "
                "WHERE action = ? ORDER BY id DESC LIMIT 1",
                (anchor_action,),
            ).fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError:  # an older database without the table, or not a database
        return None
    if row is None:
        return None
    at = datetime.fromisoformat(row[1]) if isinstance(row[1], str) else row[1]
    return AuditEntry(int(row[0]), at, row[2], row[3], row[4], row[5], row[6], row[7])
