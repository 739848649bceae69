"""Reporting periods (month, quarter, half-year, year) and their text forms such as 2026-03 or 2026-H1."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from jbdesk.errors import InvalidInputError


class PeriodKind(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    HALF = "half"
    YEAR = "year"


_MONTHS_PER = {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3, PeriodKind.HALF: 6, PeriodKind.YEAR: 12}
_PATTERNS = (
    (re.compile(r"^(\d{4})-(\d{2})$"), PeriodKind.MONTH),
    (re.compile(r"^(\d{4})-Q([1-4])$"), PeriodKind.QUARTER),
    (re.compile(r"^(\d{4})-H([12])$"), PeriodKind.HALF),
    (re.compile(r"^(\d{4})$"), PeriodKind.YEAR),
)


@dataclass(frozen=True, order=True)
class Period:
    """A reporting period. ``index`` is the month (1-12), quarter (1-4), half (1-2) or 1 for a year."""

    year: int
    kind: PeriodKind
    index: int

    def __post_init__(self) -> None:
        per_year = 12 // _MONTHS_PER[self.kind]
        if not 1 <= self.index <= per_year or not 2000 <= self.year <= 2999:
            raise InvalidInputError(f"잘못된 기간입니다: {self.year} {self.kind} {self.index}")

    # construction -----------------------------------------------------------------
    @classmethod
    def month(cls, year: int, month: int) -> Period:
        return cls(year, PeriodKind.MONTH, month)

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        return cls(year, PeriodKind.QUARTER, quarter)

    @classmethod
    def half(cls, year: int, half: int) -> Period:
        return cls(year, PeriodKind.HALF, half)

    @classmethod
    def of_year(cls, year: int) -> Period:
        return cls(year, PeriodKind.YEAR, 1)

    @classmethod
    def parse(cls, text: str) -> Period:
        """Parse ``2026-03``, ``2026-Q1``, ``2026-H2`` or ``2026``."""
        text = text.strip().upper()
        for pattern, kind in _PATTERNS:
            m = pattern.match(text)
            if m:
                index = int(m.group(2)) if m.lastindex and m.lastindex >= 2 else 1
                return cls(int(m.group(1)), kind, index)
        raise InvalidInputError(f"기간 형식이 올바르지 않습니다: '{text}' (예: 2026-03, 2026-H1, 2026)")

    @classmethod
    def containing(cls, day: date, kind: PeriodKind) -> Period:
        months = _MONTHS_PER[kind]
        return cls(day.year, kind, (day.month - 1) // months + 1)

    # text ---------------------------------------------------------------------------
    def __str__(self) -> str:
        if self.kind is PeriodKind.MONTH:
            return f"{self.year}-{self.index:02d}"
        if self.kind is PeriodKind.QUARTER:
            return f"{self.year}-Q{self.index}"
        if self.kind is PeriodKind.HALF:
            return f"{self.year}-H{self.index}"
        return f"{self.year}"

    @property
    def label(self) -> str:
        """Korean label as printed on reports: 2026년 3월, 2026년 1분기, 2026년 상반기, 2026년."""
        if self.kind is PeriodKind.MONTH:
            return f"{self.year}년 {self.index}월"
        if self.kind is PeriodKind.QUARTER:
            return f"{self.year}년 {self.index}분기"
        if self.kind is PeriodKind.HALF:
            return f"{self.year}년 {'상' if self.index == 1 else '하'}반기"
        return f"{self.year}년"

    # calendar -----------------------------------------------------------------------
    @property
    def first_month(self) -> int:
        return (self.index - 1) * _MONTHS_PER[self.kind] + 1

    @property
    def last_month(self) -> int:
        return self.first_month + _MONTHS_PER[self.kind] - 1

    @property
    def start(self) -> date:
        return date(self.year, self.first_month, 1)

    @property
    def end(self) -> date:
        last = self.last_month
        return date(self.year, last, calendar.monthrange(self.year, last)[1])

    def months(self) -> list[Period]:
        return [Period.month(self.year, m) for m in range(self.first_month, self.last_month + 1)]

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def shift(self, steps: int) -> Period:
        """The period ``steps`` periods later (negative: earlier), of the same kind."""
        per_year = 12 // _MONTHS_PER[self.kind]
        ordinal = self.year * per_year + (self.index - 1) + steps
        return Period(ordinal // per_year, self.kind, ordinal % per_year + 1)

    def previous(self) -> Period:
        return self.shift(-1)

    def next(self) -> Period:
        return self.shift(1)


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole months, clamped to the end of the target month."""
    ordinal = day.year * 12 + day.month - 1 + months
    year, month = divmod(ordinal, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def default_period(kind: PeriodKind, today: date) -> Period:
    """The period a clerk most likely means: last month for monthly forms (reported early next month)."""
    if kind is PeriodKind.MONTH:
        return Period.containing(today, kind).previous()
    if kind is PeriodKind.QUARTER:
        return Period.containing(today, kind).previous()
    return Period.containing(today, kind)
