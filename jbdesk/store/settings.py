"""Key-value settings kept in the database (mode, facility code, operator name, ...)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from jbdesk.store.models import Setting


def get_setting(s: Session, key: str, default: str | None = None) -> str | None:
    row = s.get(Setting, key)
    return row.value if row is not None else default


def set_setting(s: Session, key: str, value: str) -> None:
    row = s.get(Setting, key)
    if row is None:
        s.add(Setting(key=key, value=value))
    else:
        row.value = value


def all_settings(s: Session) -> dict[str, str]:
    return {row.key: row.value for row in s.query(Setting)}
