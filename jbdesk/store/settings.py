"""Key-value settings kept in the database (mode, facility code, operator name, ...)."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import CursorResult, bindparam, delete, select, update
from sqlalchemy.orm import Session

from jbdesk.store.models import Setting

_GET = select(Setting.__table__.c.value).where(Setting.__table__.c.key == bindparam("key"))


def get_setting(s: Session, key: str, default: str | None = None) -> str | None:
    # A Core read (every audit entry reads the operator name); flush first so a value set earlier in this
    # transaction is seen, as the ORM's autoflush would.
    s.flush()
    value = s.execute(_GET, {"key": key}).scalar()
    return value if value is not None else default


def set_setting(s: Session, key: str, value: str) -> None:
    row = s.get(Setting, key)
    if row is None:
        s.add(Setting(key=key, value=value))
    else:
        row.value = value


def all_settings(s: Session) -> dict[str, str]:
    return {row.key: row.value for row in s.query(Setting)}


def replace_setting(s: Session, key: str, expected: str, value: str | None) -> bool:
    """Set ``key`` to ``value`` (None: delete it) only if it still holds ``expected``; True if it did.

    One statement that writes: run first in a transaction it takes the database's write lock at once, so whoever
    holds the lock has finished (committed or died) by the time this returns."""
    where = (Setting.key == key) & (Setting.value == expected)
    statement = delete(Setting).where(where) if value is None else update(Setting).where(where).values(value=value)
    result = cast(CursorResult[Any], s.execute(statement, execution_options={"synchronize_session": False}))
    return bool(result.rowcount)
