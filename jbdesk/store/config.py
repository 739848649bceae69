"""Configuration versions: which item lists, accounts and targets apply from which day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from jbdesk.store.models import ConfigVersionRow


@dataclass(frozen=True)
class StoredConfig:
    version: int
    effective_from: date
    payload: bytes
    created_at: datetime
    note: str


def _stored(row: ConfigVersionRow) -> StoredConfig:
    return StoredConfig(row.version, row.effective_from, row.payload.encode("utf-8"), row.created_at, row.note)


def versions(s: Session) -> list[StoredConfig]:
    return [_stored(r) for r in s.scalars(select(ConfigVersionRow).order_by(ConfigVersionRow.version))]


def get(s: Session, version: int) -> StoredConfig | None:
    row = s.get(ConfigVersionRow, version)
    return _stored(row) if row else None


def put(s: Session, version: int, effective_from: date, payload: bytes, at: datetime, note: str = "") -> None:
    row = s.get(ConfigVersionRow, version)
    if row is None:
        s.add(
            ConfigVersionRow(
                version=version, created_at=at, effective_from=effective_from, payload=payload.decode("utf-8"),
                note=note,
            )
        )  # fmt: skip
