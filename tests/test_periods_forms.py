"""Periods and the form calendar: text forms, shifting, entry windows and due dates."""

from __future__ import annotations

from datetime import date

import pytest

from jbdesk.domain.forms import FormKind, Schedule
from jbdesk.domain.numbers import fmt_decimal, fmt_int, parse_int
from jbdesk.domain.periods import Period
from jbdesk.errors import InvalidInputError


@pytest.mark.parametrize("text", ["2026-03", "2026-Q1", "2026-H2", "2026"])
def test_period_text_round_trip(text: str) -> None:
    assert str(Period.parse(text)) == text


def test_period_labels_and_bounds() -> None:
    assert Period.parse("2026-02").label == "2026년 2월"
    assert Period.parse("2026-02").end == date(2026, 2, 28)
    assert Period.parse("2026-H2").label == "2026년 하반기"
    assert Period.parse("2026-H2").start == date(2026, 7, 1)
    assert [str(m) for m in Period.parse("2026-Q2").months()] == ["2026-04", "2026-05", "2026-06"]
    assert str(Period.parse("2026-01").previous()) == "2025-12"
    assert str(Period.parse("2026-H2").next()) == "2027-H1"


@pytest.mark.parametrize("bad", ["2026-13", "2026-00", "26-01", "2026-Q5", "abc", ""])
def test_bad_period_is_refused_in_korean(bad: str) -> None:
    with pytest.raises(InvalidInputError, match="기간"):
        Period.parse(bad)


def test_due_dates() -> None:
    s = Schedule()
    assert s.due(FormKind.STAFFING, Period.parse("2026-11")) == date(2026, 12, 10)
    assert s.due(FormKind.STAFFING, Period.parse("2026-12")) == date(2027, 1, 10)
    assert s.due(FormKind.SAFETY, Period.parse("2026-H1")) == date(2026, 2, 28)
    assert s.due(FormKind.SAFETY, Period.parse("2026-H2")) == date(2026, 10, 31)
    assert s.due(FormKind.SURVEY, Period.parse("2026")) == date(2026, 12, 31)
    assert Schedule(monthly_due_day=5).due(FormKind.BUDGET, Period.parse("2026-03")) == date(2026, 4, 5)


def test_korean_number_formatting() -> None:
    assert fmt_int(1234567) == "1,234,567"
    assert fmt_int(-10) == "△10"
    assert fmt_int(-2592) == "△2,592"
    assert fmt_int(0, zero="-") == "-"
    assert fmt_decimal(-2.25, 1) == "△2.3"
    assert parse_int("△1,234") == -1234
    assert parse_int(" 12,000 원") == 12000
    assert parse_int("") is None
    with pytest.raises(InvalidInputError):
        parse_int("열둘")
    with pytest.raises(InvalidInputError):
        parse_int("-3", allow_negative=False)
