"""Pure entry rules moved out of the pages: typed dates and choices, which fields a row asks for, payload leaves,
the period a form opens on, the open actions of the safety board."""

from __future__ import annotations

from datetime import date

from jbdesk.domain.budget import BudgetLine, line_has_amounts
from jbdesk.domain.entry import normalize_date, resolve_choice
from jbdesk.domain.jsonpath import leaf_paths
from jbdesk.domain.periods import Period, PeriodKind, default_period
from jbdesk.domain.safety import RESPONSES, ResponseSpec, StatusSource, date_path, row_inputs


def test_dates_as_clerks_type_them_become_iso() -> None:
    assert normalize_date("2026.3.5") == normalize_date("20260305") == normalize_date(" 2026/03/05 ") == "2026-03-05"
    assert normalize_date("2026. 3. 5.") == "2026-03-05"
    assert normalize_date("2026.2.30") == "2026.2.30"  # not a date: left for validation to name
    assert normalize_date("다음 주") == "다음 주"


def test_choices_by_name_number_or_unambiguous_start() -> None:
    choices = ("적합", "부분적합", "부적합")
    assert resolve_choice("2", choices) == "부분적합"
    assert resolve_choice("부분", choices) == "부분적합"
    assert resolve_choice("부", choices) == "부"  # ambiguous: the grid refuses it and names the choices
    assert resolve_choice("4", choices) == "4"
    assert resolve_choice(" 적합 ", choices) == "적합"


def test_fields_a_checklist_row_asks_for() -> None:
    assert row_inputs(ResponseSpec(StatusSource.NONE)) == {"note"}
    assert row_inputs(ResponseSpec(StatusSource.TYPED, count=True, file=True)) == {
        "note", "status", "severity", "na_reason", "count", "file_ref",
    }  # fmt: skip
    assert row_inputs(RESPONSES["status"]) >= {"status", "note"}
    assert [p for p in ("checked_on", "answers/3/date", "carried_actions/0/action/due", "answers/3/count") if date_path(p)] == [
        "checked_on", "answers/3/date", "carried_actions/0/action/due",
    ]  # fmt: skip


def test_leaf_paths_name_each_row() -> None:
    doc = {"rows": [{"job_family": "돌봄직", "current": 3}, {"code": "SF-01", "note": ""}], "memo": "메모"}
    assert leaf_paths(doc) == [
        ("rows/0/job_family", "돌봄직", "돌봄직"),
        ("rows/0/current", 3, "돌봄직"),
        ("rows/1/code", "SF-01", "SF-01"),
        ("rows/1/note", "", "SF-01"),
        ("memo", "메모", ""),
    ]


def test_forms_open_on_the_period_a_clerk_means() -> None:
    today = date(2026, 4, 3)
    assert default_period(PeriodKind.MONTH, today) == Period.month(2026, 3)
    assert default_period(PeriodKind.QUARTER, today) == Period.containing(date(2026, 3, 1), PeriodKind.QUARTER)
    assert default_period(PeriodKind.YEAR, today) == Period.of_year(2026)


def test_a_budget_line_has_amounts_when_any_figure_or_calculation_is_entered() -> None:
    blank = BudgetLine(side="세출", gwan="사무비", hang="인건비", mok="급여")
    assert not line_has_amounts(blank)
    assert line_has_amounts(BudgetLine(side="세출", gwan="사무비", hang="인건비", mok="급여", national=1))
    assert line_has_amounts(BudgetLine(side="세출", gwan="사무비", hang="인건비", mok="급여", calc_note="월 25만원"))
