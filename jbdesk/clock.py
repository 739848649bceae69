"""The time jbdesk believes it is. Real time normally; the demo and tests set it to replay a year of work."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime

_frozen: datetime | None = None


def now() -> datetime:
    return _frozen if _frozen is not None else datetime.now()


def today() -> date:
    return now().date()


def now_iso() -> str:
    """Local time with its UTC offset, as written into signed manifests."""
    return now().astimezone().isoformat(timespec="seconds")


@contextmanager
def frozen_at(moment: datetime) -> Iterator[None]:
    """Within the block, ``now()`` is ``moment`` (the demo enters each month's reports on its own days)."""
    global _frozen
    previous, _frozen = _frozen, moment
    try:
        yield
    finally:
        _frozen = previous
