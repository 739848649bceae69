"""월별 인력 현황: defaults, pre-fill, 결원 and totals, every validation rule, JSON round trip."""

from __future__ import annotations

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from jbdesk.domain.staffing import (
    DEFAULT_JOB_FAMILIES,
    StaffingData,
    StaffingRow,
    compute_staffing,
    new_staffing,
    prefill_staffing,
    validate_staffing,
)


def row(job_family: str, authorized: int | None = 2, current: int | None = 2, **counts: int | None) -> StaffingRow:
    return StaffingRow(job_family=job_family, authorized=authorized, current=current, **counts)


def codes(data: StaffingData, previous: StaffingData | None = None) -> list[tuple[str, str | None]]:
    return [(p.code, p.field) for p in validate_staffing(data, previous).problems]


# F10 (대체인력지원센터): 관리직 1 + 돌봄직 12 + 조리직 2 = 정원 15, 현원 13, 결원 △2 (notes §1.1).
F10 = StaffingData(rows=[row("관리직", 1, 1), row("돌봄직", 12, 10), row("조리직", 2, 2)])


def test_new_staffing_has_the_default_job_families_empty() -> None:
    data = new_staffing()
    assert [r.job_family for r in data.rows] == ["관리직", "사회복지직", "상담직", "돌봄직", "조리직", "기타"]
    assert list(DEFAULT_JOB_FAMILIES) == [r.job_family for r in data.rows]
    assert all(r == StaffingRow(job_family=r.job_family) for r in data.rows)
    assert data.explanations == {}


def test_prefill_copies_job_families_and_authorized_only() -> None:
    previous = StaffingData(
        rows=[row("관리직", 1, 1, hires=1, leavers=0, on_leave=1), row("야간돌봄직", 4, 3, substitute_days=5)],
        explanations={"staffing.continuity@rows/0/current": "전보"},
    )
    data = prefill_staffing(previous)
    assert data.rows == [
        StaffingRow(job_family="관리직", authorized=1),
        StaffingRow(job_family="야간돌봄직", authorized=4),
    ]
    assert data.explanations == {}


def test_prefill_without_previous_month_is_the_default_form() -> None:
    assert prefill_staffing(None) == new_staffing()
    assert prefill_staffing(StaffingData()) == new_staffing()


def test_vacancy_is_current_minus_authorized_per_row_and_in_total() -> None:
    summary = compute_staffing(F10)
    assert [(r.job_family, r.vacancy) for r in summary.rows] == [("관리직", 0), ("돌봄직", -2), ("조리직", 0)]
    total = summary.total
    assert (total.job_family, total.authorized, total.current, total.vacancy) == ("계", 15, 13, -2)


def test_total_row_sums_every_column_and_skips_blanks() -> None:
    data = StaffingData(
        rows=[
            row("관리직", 1, 1, hires=1, leavers=0, on_leave=0, probation=1, substitute_days=3, direct_employment=1),
            row("돌봄직", 12, 10, hires=2, leavers=1, side_job_reports=1, direct_employment=10),
            row("조리직", 2, None),  # 현원 not entered yet: no 결원 for the row
        ]
    )
    summary = compute_staffing(data)
    assert summary.rows[2].vacancy is None
    total = summary.total
    assert (total.authorized, total.current) == (1 + 12 + 2, 1 + 10)
    assert total.vacancy == 0 + -2  # sum of the row 결원 that exist, not 11 − 15
    assert (total.hires, total.leavers, total.on_leave, total.probation) == (3, 1, 0, 1)
    assert (total.substitute_days, total.side_job_reports, total.direct_employment) == (3, 1, 11)


def test_total_of_a_column_nobody_entered_is_blank() -> None:
    assert compute_staffing(F10).total.hires is None
    assert compute_staffing(StaffingData()).total.authorized is None


@given(st.lists(st.tuples(st.integers(0, 50), st.integers(0, 50)), min_size=1, max_size=8))
def test_total_vacancy_equals_total_current_minus_total_authorized(pairs: list[tuple[int, int]]) -> None:
    data = StaffingData(rows=[row(f"직종{i}", a, c) for i, (a, c) in enumerate(pairs)])
    total = compute_staffing(data).total
    assert total.vacancy == total.current - total.authorized  # type: ignore[operator]


def test_complete_form_has_no_problems() -> None:
    assert validate_staffing(F10, None).problems == ()


def test_authorized_and_current_are_required() -> None:
    data = StaffingData(rows=[row("관리직", None, None)])
    result = validate_staffing(data, None)
    assert [(p.code, p.field, p.message) for p in result.errors] == [
        ("staffing.required", "rows/0/authorized", "정원을 입력하세요."),
        ("staffing.required", "rows/0/current", "현원을 입력하세요."),
    ]


def test_other_counts_may_stay_blank() -> None:
    assert validate_staffing(StaffingData(rows=[row("관리직", 1, 1)]), None).problems == ()


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("authorized", "정원은 0 이상의 정수여야 합니다."),
        ("current", "현원은 0 이상의 정수여야 합니다."),
        ("hires", "입사는 0 이상의 정수여야 합니다."),
        ("leavers", "퇴사는 0 이상의 정수여야 합니다."),
        ("on_leave", "휴직은 0 이상의 정수여야 합니다."),
        ("probation", "수습은 0 이상의 정수여야 합니다."),
        ("substitute_days", "대체인력 근무일수는 0 이상의 정수여야 합니다."),
        ("side_job_reports", "겸직 신고는 0 이상의 정수여야 합니다."),
        ("direct_employment", "직접고용은 0 이상의 정수여야 합니다."),
    ],
)
def test_negative_counts_are_errors(name: str, message: str) -> None:
    data = StaffingData(rows=[row("관리직", 3, 3), msgspec.structs.replace(row("돌봄직", 3, 3), **{name: -1})])
    result = validate_staffing(data, None)
    assert [(p.code, p.field, p.message) for p in result.errors] == [
        ("staffing.count.invalid", f"rows/1/{name}", message)
    ]


def test_non_integer_counts_built_in_code_are_errors() -> None:
    data = StaffingData(rows=[row("관리직", 3, 3, hires=1.5, leavers=True)])  # type: ignore[arg-type]
    assert codes(data) == [("staffing.count.invalid", "rows/0/hires"), ("staffing.count.invalid", "rows/0/leavers")]


def test_counts_of_100000_or_more_are_out_of_range() -> None:
    ok = StaffingData(rows=[row("관리직", 99_999, 99_999, substitute_days=99_999)])
    assert validate_staffing(ok, None).problems == ()
    bad = StaffingData(rows=[row("관리직", 3, 3, substitute_days=100_000)])
    assert codes(bad) == [("staffing.count.range", "rows/0/substitute_days")]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("direct_employment", "직접고용 인원이 현원(5)보다 많습니다."),
        ("on_leave", "휴직 인원이 현원(5)보다 많습니다."),
        ("probation", "수습 인원이 현원(5)보다 많습니다."),
    ],
)
def test_subsets_of_current_cannot_exceed_current(name: str, message: str) -> None:
    at_limit = StaffingData(rows=[row("돌봄직", 5, 5, **{name: 5})])
    assert validate_staffing(at_limit, None).problems == ()
    over = StaffingData(rows=[row("돌봄직", 5, 5, **{name: 6})])
    result = validate_staffing(over, None)
    assert [(p.code, p.field, p.message) for p in result.errors] == [
        (f"staffing.{name}.exceeds_current", f"rows/0/{name}", message)
    ]


def test_job_family_names_must_be_non_empty_and_unique() -> None:
    data = StaffingData(rows=[row("돌봄직"), row("  "), row(" 돌봄직 "), row("조리직")])
    result = validate_staffing(data, None)
    assert [(p.code, p.field) for p in result.errors] == [
        ("staffing.job_family.empty", "rows/1/job_family"),
        ("staffing.job_family.duplicate", "rows/2/job_family"),
    ]
    assert result.errors[1].message == "직종명 '돌봄직'이(가) 중복됩니다."


def test_renamed_and_added_job_families_are_fine() -> None:
    data = StaffingData(rows=[row("관리직"), row("야간돌봄직"), row("운전직")])
    assert validate_staffing(data, None).problems == ()


def test_a_form_without_rows_is_an_error() -> None:
    assert codes(StaffingData()) == [("staffing.rows.empty", "rows")]


# -- continuity: 현원 = 전월 현원 + 입사 − 퇴사 ---------------------------------------------------------

PREVIOUS = StaffingData(rows=[row("관리직", 1, 1), row("돌봄직", 6, 5)])


def test_continuity_holds_5_plus_1_minus_0_is_6() -> None:
    data = StaffingData(rows=[row("관리직", 1, 1), row("돌봄직", 6, 6, hires=1, leavers=0)])
    assert validate_staffing(data, PREVIOUS).problems == ()


def test_continuity_break_is_a_warning_naming_the_expected_number() -> None:
    data = StaffingData(rows=[row("관리직", 1, 1), row("돌봄직", 6, 7, hires=1, leavers=0)])
    result = validate_staffing(data, PREVIOUS)
    assert result.errors == ()
    (found,) = result.warnings
    assert (found.code, found.field) == ("staffing.continuity", "rows/1/current")
    assert found.message == "전월 현원 5 + 입사 1 − 퇴사 0 = 6 이어야 하나 7입니다. 사유(전보 등)를 적어 주세요."
    assert not result.can_complete(data.explanations)
    assert result.can_complete({found.key: "본부에서 1명 전보"})
    assert found.key == "staffing.continuity@rows/1/current"


def test_blank_hires_and_leavers_count_as_zero_in_continuity() -> None:
    data = StaffingData(rows=[row("돌봄직", 6, 3, leavers=1)])
    (found,) = validate_staffing(data, PREVIOUS).warnings
    assert found.message.startswith("전월 현원 5 + 입사 0 − 퇴사 1 = 4 이어야 하나 3입니다.")


def test_leaver_makes_5_plus_0_minus_1_equal_4() -> None:
    data = StaffingData(rows=[row("돌봄직", 6, 4, hires=None, leavers=1)])
    assert validate_staffing(data, PREVIOUS).problems == ()


def test_no_continuity_check_without_previous_month_or_for_a_new_job_family() -> None:
    data = StaffingData(rows=[row("돌봄직", 6, 9), row("운전직", 1, 1)])
    assert validate_staffing(data, None).problems == ()
    renamed = StaffingData(rows=[row("요양돌봄직", 6, 9)])
    assert validate_staffing(renamed, PREVIOUS).problems == ()


def test_no_continuity_check_when_either_current_is_blank() -> None:
    previous = StaffingData(rows=[row("돌봄직", 6, None)])
    assert codes(StaffingData(rows=[row("돌봄직", 6, 9)]), previous) == []
    assert codes(StaffingData(rows=[row("돌봄직", 6, None)]), PREVIOUS) == [("staffing.required", "rows/0/current")]


# -- payload JSON -------------------------------------------------------------------------------------------


def test_json_round_trip() -> None:
    data = StaffingData(
        rows=[row("관리직", 1, 1, hires=0, substitute_days=12), row("돌봄직", 12, 10)],
        explanations={"staffing.continuity@rows/1/current": "전보 1명"},
    )
    raw = msgspec.json.encode(data)
    assert b'"current":10' in raw
    assert msgspec.json.decode(raw, type=StaffingData) == data


def test_missing_json_fields_take_defaults() -> None:
    data = msgspec.json.decode('{"rows":[{"job_family":"기타","current":3}]}'.encode(), type=StaffingData)
    assert data.rows == [StaffingRow(job_family="기타", current=3)]
    assert data.explanations == {}


@pytest.mark.parametrize(
    "raw",
    [
        b'{"rows":[{"current":"3"}]}',
        b'{"rows":[{"current":2.5}]}',
        b'{"rows":[{"hires":true}]}',
        b'{"rows":{"current":3}}',
        b'{"explanations":{"k":1}}',
        b'{"rows":[{"job_family":7}]}',
    ],
)
def test_wrong_json_types_are_rejected(raw: bytes) -> None:
    with pytest.raises(msgspec.ValidationError):
        msgspec.json.decode(raw, type=StaffingData)
