"""Typed helpers for Core statements: a mapped class's Table, and the rows a DML statement touched."""

from __future__ import annotations

from typing import Any

from sqlalchemy import CursorResult, Result, Table
from sqlalchemy.orm import DeclarativeBase


def table_of(mapped: type[DeclarativeBase]) -> Table:
    """The Table behind a mapped class (typed as a plain FromClause by SQLAlchemy), for fast Core statements."""
    table = mapped.__table__
    if not isinstance(table, Table):  # every model here is declared with a table of its own
        raise TypeError(f"{mapped.__name__} is not mapped to a table")
    return table


def cursor(result: Result[Any]) -> CursorResult[Any]:
    """The DML result a Session returns (typed as a plain Result), for ``rowcount`` and ``inserted_primary_key``."""
    if not isinstance(result, CursorResult):
        raise TypeError(f"not the result of an INSERT, UPDATE or DELETE: {type(result).__name__}")
    return result
