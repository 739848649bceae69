"""반기 안전 점검표: item filter, guidance, due dates, action states, carry-over, every rule, score and JSON."""

from __future__ import annotations

from datetime import date

import msgspec
import pytest

from jbdesk.domain.facilities import Feature
from jbdesk.domain.periods import Period
from jbdesk.domain.reference import SafetyItem, Target, TargetUnit, load_reference
from jbdesk.domain.safety import (
    GUIDANCE,
    RESPONSES,
    CarriedAction,
    CorrectiveAction,
    SafetyAnswer,
    SafetyData,
    applicable_items,
    compute_safety,
    default_due,
    effective_status,
    next_statuses,
    prefill_safety,
    response_spec,
    validate_safety,
)
from jbdesk.errors import InvalidInputError
from jbdesk.resources import resource

CSV_ITEMS = load_reference(resource("data")).safety_items
CHECKED = "2026-02-10"
TODAY = date(2026, 3, 5)


def item(code: str, response: str = "status", severity: str = "중", applies_to: str = "all") -> SafetyItem:
    return SafetyItem(code, "분류", f"{code} 질문", response, severity, applies_to, "test")


def action(status: str = "미조치", due: str = "2026-02-17", **kw: str) -> CorrectiveAction:
    base = {"finding": "소화기 압력 미달", "plan": "소화기 교체", "owner": "시설장"}
    return CorrectiveAction(**{**base, **kw}, due=due, status=status)


def data(*answers: SafetyAnswer, carried: list[CarriedAction] | None = None, checked_on: str = CHECKED) -> SafetyData:
    return SafetyData(checked_on=checked_on, answers=list(answers), carried_actions=carried or [])


def problems(d: SafetyData, items: list[SafetyItem]) -> list[tuple[str, str | None]]:
    return [(p.code, p.field) for p in validate_safety(d, items).problems]


# -- reference data and guidance -------------------------------------------------------------------------------------


def test_every_shipped_item_has_guidance_of_one_or_two_sentences() -> None:
    assert len(CSV_ITEMS) == 46
    assert set(GUIDANCE) == {i.code for i in CSV_ITEMS}
    for code, text in GUIDANCE.items():
        assert text.strip() and text.endswith("."), code
        assert 1 <= text.count(". ") + 1 <= 2, code


def test_every_shipped_response_value_is_defined() -> None:
    assert {i.response for i in CSV_ITEMS} <= set(RESPONSES)


def test_unknown_response_value_is_treated_as_a_plain_status_item() -> None:
    assert response_spec("something_new") == RESPONSES["status"]


# -- applicable items ------------------------------------------------------------------------------------------------


def test_a_facility_without_features_gets_the_35_all_items() -> None:
    # 46 items, 11 of them tied to a feature (2 gas, 3 direct_users, 2 residential, kitchen, medication,
    # home_visit, extra_premises).
    chosen = applicable_items(CSV_ITEMS, frozenset())
    assert len(chosen) == 35
    assert all(i.applies_to == "all" for i in chosen)


def test_features_add_their_items() -> None:
    gas = applicable_items(CSV_ITEMS, frozenset({Feature.GAS}))
    assert len(gas) == 37
    assert {"SF-GAS-01", "SF-GAS-02"} <= {i.code for i in gas}
    assert len(applicable_items(CSV_ITEMS, frozenset(Feature))) == 46


def test_applies_to_may_list_several_tags_and_keeps_catalogue_order() -> None:
    items = [item("A"), item("B", applies_to="gas|kitchen"), item("C", applies_to="home_visit")]
    assert [i.code for i in applicable_items(items, frozenset({Feature.KITCHEN}))] == ["A", "B"]


# -- due dates and action states -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("severity", "half", "expected"),
    [
        ("상", Period.half(2026, 1), date(2026, 2, 17)),  # 10 Feb + 7 days
        ("중", Period.half(2026, 1), date(2026, 3, 12)),  # 10 Feb + 30 days (18 days left in Feb, 12 in Mar)
        ("하", Period.half(2026, 1), date(2026, 12, 31)),  # end of the next half, 2026-H2
        ("하", Period.half(2026, 2), date(2027, 6, 30)),  # H2's next half is 2027-H1
    ],
)
def test_default_due_by_severity(severity: str, half: Period, expected: date) -> None:
    assert default_due(severity, date(2026, 2, 10), half) == expected


def test_default_due_rejects_an_unknown_severity() -> None:
    with pytest.raises(InvalidInputError):
        default_due("최상", date(2026, 2, 10), Period.half(2026, 1))


def test_action_status_machine() -> None:
    assert next_statuses("미조치") == ("조치중", "조치완료", "이월")
    assert next_statuses("조치중") == ("조치완료", "이월")
    assert next_statuses("조치완료") == ("재점검확인", "조치중")  # a failed re-check reopens it
    assert next_statuses("이월") == ("조치중", "조치완료")
    assert next_statuses("재점검확인") == ()
    with pytest.raises(InvalidInputError):
        next_statuses("완료")


# -- validation: statuses --------------------------------------------------------------------------------------------


def test_status_is_required_for_a_status_item() -> None:
    assert problems(data(SafetyAnswer(code="A")), [item("A")]) == [("safety.status_required", "answers/0/status")]


def test_a_compliant_answer_is_clean() -> None:
    assert problems(data(SafetyAnswer(code="A", status="적합")), [item("A")]) == []


def test_invalid_status_and_severity_values_are_errors() -> None:
    d = data(SafetyAnswer(code="A", status="양호", severity="최상"))
    found = problems(d, [item("A")])
    assert ("safety.invalid_value", "answers/0/status") in found
    assert ("safety.invalid_value", "answers/0/severity") in found


def test_not_applicable_needs_a_reason() -> None:
    items = [item("A", "status_na")]
    assert problems(data(SafetyAnswer(code="A", status="해당없음")), items) == [
        ("safety.na_reason_required", "answers/0/na_reason")
    ]
    assert problems(data(SafetyAnswer(code="A", status="해당없음", na_reason="가스 미사용(전기레인지)")), items) == []


def test_unverifiable_is_a_warning_asking_for_an_expert_check() -> None:
    d = data(SafetyAnswer(code="A", status="확인불가"))
    result = validate_safety(d, [item("A")])
    assert [(p.code, p.field) for p in result.warnings] == [("safety.expert_needed", "answers/0/status")]
    assert not result.errors
    assert not result.can_complete({})
    assert result.can_complete({"safety.expert_needed@answers/0/status": "3월 소방업체 점검 예약"})


def test_non_compliant_needs_severity_and_an_action() -> None:
    for status in ("부분적합", "부적합"):
        assert problems(data(SafetyAnswer(code="A", status=status)), [item("A")]) == [
            ("safety.severity_required", "answers/0/severity"),
            ("safety.action_required", "answers/0/action"),
        ]


def test_an_action_needs_finding_plan_owner_and_due() -> None:
    d = data(SafetyAnswer(code="A", status="부적합", severity="중", action=CorrectiveAction()))
    assert problems(d, [item("A")]) == [
        ("safety.action_field_required", "answers/0/action/finding"),
        ("safety.action_field_required", "answers/0/action/plan"),
        ("safety.action_field_required", "answers/0/action/owner"),
        ("safety.action_field_required", "answers/0/action/due"),
    ]


def test_a_complete_non_compliant_answer_is_clean() -> None:
    d = data(SafetyAnswer(code="A", status="부분적합", severity="중", action=action(due="2026-03-12")))
    assert problems(d, [item("A")]) == []


def test_action_due_must_be_an_iso_date() -> None:
    d = data(SafetyAnswer(code="A", status="부적합", severity="중", action=action(due="3월 말")))
    assert problems(d, [item("A")]) == [("safety.date_format", "answers/0/action/due")]


def test_carry_over_needs_a_reason_and_closing_needs_a_date() -> None:
    carried = action(status="이월")
    d = data(SafetyAnswer(code="A", status="부적합", severity="중", action=carried))
    assert problems(d, [item("A")]) == [("safety.carry_reason_required", "answers/0/action/carry_reason")]
    done = action(status="조치완료")
    d = data(SafetyAnswer(code="A", status="부적합", severity="중", action=done))
    assert problems(d, [item("A")]) == [("safety.closed_on_required", "answers/0/action/closed_on")]
    with_reason = action(status="이월", carry_reason="건물주 공사 일정(5월)")
    assert problems(data(SafetyAnswer(code="A", status="부적합", severity="중", action=with_reason)), [item("A")]) == []


def test_an_unknown_action_status_is_an_error() -> None:
    d = data(SafetyAnswer(code="A", status="부적합", severity="중", action=action(status="완료")))
    assert problems(d, [item("A")]) == [("safety.invalid_value", "answers/0/action/status")]


def test_lowering_an_items_default_severity_is_a_warning() -> None:
    d = data(SafetyAnswer(code="A", status="부적합", severity="하", action=action()))
    assert problems(d, [item("A", severity="상")]) == [("safety.severity_lowered", "answers/0/severity")]
    d = data(SafetyAnswer(code="A", status="부적합", severity="상", action=action()))
    assert problems(d, [item("A", severity="중")]) == []  # raising it is fine


def test_checked_on_is_required() -> None:
    d = data(SafetyAnswer(code="A", status="적합"), checked_on="")
    assert problems(d, [item("A")]) == [("safety.checked_on_required", "checked_on")]


def test_unknown_duplicate_and_missing_answers() -> None:
    d = data(SafetyAnswer(code="A", status="적합"), SafetyAnswer(code="A", status="적합"), SafetyAnswer(code="Z"))
    assert problems(d, [item("A"), item("B")]) == [
        ("safety.duplicate_item", "answers/1/code"),
        ("safety.unknown_item", "answers/2/code"),
        ("safety.missing_answer", "answers"),
    ]


# -- validation: extra fields by response type -----------------------------------------------------------------------


def test_status_file_warns_when_compliant_without_evidence() -> None:
    items = [item("A", "status+file")]
    assert problems(data(SafetyAnswer(code="A", status="적합")), items) == [
        ("safety.evidence_missing", "answers/0/file_ref")
    ]
    assert problems(data(SafetyAnswer(code="A", status="적합", file_ref="안전관리계획-2026-031")), items) == []


def test_status_count_needs_a_count_unless_not_applicable() -> None:
    items = [item("A", "status+count")]
    assert problems(data(SafetyAnswer(code="A", status="적합")), items) == [
        ("safety.count_required", "answers/0/count")
    ]
    assert problems(data(SafetyAnswer(code="A", status="적합", count=3)), items) == []
    assert problems(data(SafetyAnswer(code="A", status="해당없음", na_reason="야간 근무 없음")), items) == []
    assert problems(data(SafetyAnswer(code="A", status="적합", count=-1)), items) == [
        ("safety.count_negative", "answers/0/count")
    ]


def test_status_date_needs_a_date_and_expired_insurance_is_a_warning() -> None:
    items = [item("SF-GOV-06", "status+date", "상")]
    assert problems(data(SafetyAnswer(code="SF-GOV-06", status="적합")), items) == [
        ("safety.date_required", "answers/0/date")
    ]
    assert problems(data(SafetyAnswer(code="SF-GOV-06", status="적합", date="2026-12-31")), items) == []
    assert problems(data(SafetyAnswer(code="SF-GOV-06", status="적합", date="2026-01-31")), items) == [
        ("safety.expired", "answers/0/date")
    ]
    assert problems(data(SafetyAnswer(code="SF-GOV-06", status="적합", date="2026.12.31")), items) == [
        ("safety.date_format", "answers/0/date")
    ]


def test_count_only_items_need_a_count_and_warn_on_zero() -> None:
    items = [item("A", "count")]
    assert problems(data(SafetyAnswer(code="A")), items) == [("safety.count_required", "answers/0/count")]
    assert problems(data(SafetyAnswer(code="A", count=4)), items) == []
    assert problems(data(SafetyAnswer(code="A", count=0)), items) == [("safety.zero_count", "answers/0/count")]


@pytest.mark.parametrize(
    ("count", "total", "expected"),
    [(9, 10, "적합"), (10, 10, "적합"), (8, 10, "부분적합"), (1, 10, "부분적합"), (0, 10, "부적합")],
)
def test_count_ratio_status_is_derived_at_90_percent(count: int, total: int, expected: str) -> None:
    it = item("A", "count_ratio")
    answer = SafetyAnswer(code="A", count=count, total=total)
    assert effective_status(it, answer, data(answer)) == expected


def test_count_ratio_inputs_are_checked() -> None:
    items = [item("A", "count_ratio")]
    assert problems(data(SafetyAnswer(code="A")), items) == [
        ("safety.count_required", "answers/0/count"),
        ("safety.count_required", "answers/0/total"),
    ]
    assert problems(data(SafetyAnswer(code="A", count=12, total=10)), items) == [("safety.ratio", "answers/0/count")]
    assert problems(data(SafetyAnswer(code="A", count=0, total=0)), items) == [("safety.ratio", "answers/0/total")]


@pytest.mark.parametrize(
    ("day", "expected"),
    [("2026-02-10", "적합"), ("2025-08-10", "적합"), ("2025-08-09", "부적합"), ("", "")],
)
def test_date_status_is_derived_from_six_months_before_the_check(day: str, expected: str) -> None:
    it = item("A", "date")
    answer = SafetyAnswer(code="A", date=day)
    assert effective_status(it, answer, data(answer)) == expected


def test_derived_items_need_their_inputs_or_a_typed_status() -> None:
    items = [item("A", "date+count")]
    assert problems(data(SafetyAnswer(code="A")), items) == [
        ("safety.count_required", "answers/0/count"),
        ("safety.date_required", "answers/0/date"),
    ]
    assert problems(data(SafetyAnswer(code="A", date="2026-01-20", count=6)), items) == []
    # Not done at all: the clerk types 부적합, which then needs severity and an action like any finding.
    assert problems(data(SafetyAnswer(code="A", status="부적합")), items) == [
        ("safety.severity_required", "answers/0/severity"),
        ("safety.action_required", "answers/0/action"),
    ]


def test_an_old_drill_derives_a_finding_that_needs_an_action() -> None:
    d = data(SafetyAnswer(code="A", date="2025-03-01", count=6))
    assert problems(d, [item("A", "date+count", "상")]) == [
        ("safety.severity_required", "answers/0/severity"),
        ("safety.action_required", "answers/0/action"),
    ]


def test_a_date_after_the_check_is_an_error() -> None:
    d = data(SafetyAnswer(code="A", date="2026-02-11"))
    assert problems(d, [item("A", "date")]) == [("safety.future_date", "answers/0/date")]


def test_a_typed_status_contradicting_the_numbers_is_a_warning() -> None:
    d = data(SafetyAnswer(code="A", status="적합", count=5, total=10))
    assert problems(d, [item("A", "count_ratio")]) == [("safety.derived_mismatch", "answers/0/status")]


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ([], "적합"),  # nothing carried in
        (["조치완료", "재점검확인"], "적합"),
        (["조치중", "조치완료"], "부분적합"),
        (["미조치", "조치중"], "부적합"),
    ],
)
def test_the_computed_item_follows_the_carried_actions(statuses: list[str], expected: str) -> None:
    carried = [
        CarriedAction(code="X", severity="중", action=action(status=s, closed_on="2026-01-05")) for s in statuses
    ]
    it = item("SF-GOV-08", "computed")
    assert effective_status(it, SafetyAnswer(code="SF-GOV-08"), data(carried=carried)) == expected


def test_a_carry_over_with_reason_counts_as_resolved_for_the_computed_item() -> None:
    carried = [CarriedAction(code="X", severity="중", action=action(status="이월", carry_reason="예산 확보 후 교체"))]
    it = item("SF-GOV-08", "computed")
    assert effective_status(it, SafetyAnswer(code="SF-GOV-08"), data(carried=carried)) == "적합"


def test_the_computed_item_needs_no_new_action() -> None:
    carried = [CarriedAction(code="X", severity="중", raised_on="2025-09-15", action=action(status="미조치"))]
    d = data(SafetyAnswer(code="SF-GOV-08"), carried=carried)
    assert problems(d, [item("SF-GOV-08", "computed")]) == []


def test_carried_actions_are_validated_under_their_own_path() -> None:
    carried = [CarriedAction(code="X", severity="", action=action(status="이월"))]
    d = data(SafetyAnswer(code="A", status="적합"), carried=carried)
    assert problems(d, [item("A")]) == [
        ("safety.invalid_value", "carried_actions/0/severity"),
        ("safety.carry_reason_required", "carried_actions/0/action/carry_reason"),
    ]


# -- score and grade -------------------------------------------------------------------------------------------------


def test_score_weights_items_by_default_severity() -> None:
    # 상 적합 3×1 + 중 부분적합 2×0.5 + 하 부적합 1×0 = 4 of 6 → 66.7, grade D.
    items = [item("A", severity="상"), item("B", severity="중"), item("C", severity="하")]
    d = data(
        SafetyAnswer(code="A", status="적합"),
        SafetyAnswer(code="B", status="부분적합", severity="중", action=action()),
        SafetyAnswer(code="C", status="부적합", severity="하", action=action()),
    )
    score = compute_safety(d, items, TODAY)
    assert score.score == 66.7
    assert score.grade == "D"
    assert score.scored_items == 3


def test_not_applicable_is_excluded_and_unverifiable_earns_nothing() -> None:
    # 상 적합 3 + 중 확인불가 0 of (3 + 2) = 60.0; the 해당없음 상 item is left out.
    items = [item("A", severity="상"), item("B", severity="중"), item("C", "status_na", "상")]
    d = data(
        SafetyAnswer(code="A", status="적합"),
        SafetyAnswer(code="B", status="확인불가"),
        SafetyAnswer(code="C", status="해당없음", na_reason="가스 미사용"),
    )
    score = compute_safety(d, items, TODAY)
    assert score.score == 60.0
    assert score.status_counts == {"적합": 1, "부분적합": 0, "부적합": 0, "해당없음": 1, "확인불가": 1, "미응답": 0}


def test_count_only_and_unanswered_items_are_not_scored() -> None:
    items = [item("A"), item("B"), item("N", "count")]
    d = data(SafetyAnswer(code="A", status="적합"), SafetyAnswer(code="B"), SafetyAnswer(code="N", count=3))
    score = compute_safety(d, items, TODAY)
    assert (score.score, score.scored_items) == (100.0, 1)
    assert score.status_counts["미응답"] == 1


def test_no_scored_item_gives_no_score_and_no_grade() -> None:
    score = compute_safety(data(SafetyAnswer(code="A")), [item("A")], TODAY)
    assert (score.score, score.grade, score.completion_rate) == (None, None, None)


@pytest.mark.parametrize(("compliant", "expected"), [(10, "A"), (9, "A"), (8, "B"), (7, "C"), (6, "D")])
def test_grade_thresholds(compliant: int, expected: str) -> None:
    # Ten 하 items: n 적합 and the rest 부적합 → score 10 × n (90 is an A, 80 a B, 70 a C).
    items = [item(f"I{n}", severity="하") for n in range(10)]
    answers = [
        SafetyAnswer(code=f"I{n}", status="적합")
        if n < compliant
        else SafetyAnswer(code=f"I{n}", status="부적합", severity="하", action=action(due="2026-12-31"))
        for n in range(10)
    ]
    score = compute_safety(data(*answers), items, TODAY)
    assert score.score == compliant * 10
    assert score.grade == expected


def test_an_open_high_action_caps_an_a_at_c() -> None:
    # 20 하 items 적합 + 1 하 item 부적합 rated 상: 20 of 21 = 95.2 (A), capped to C while the action is open.
    items = [item(f"I{n}", severity="하") for n in range(21)]
    answers = [SafetyAnswer(code=f"I{n}", status="적합") for n in range(20)]
    finding = SafetyAnswer(code="I20", status="부적합", severity="상", action=action())
    score = compute_safety(data(*answers, finding), items, TODAY)
    assert (score.score, score.grade, score.grade_capped, score.open_high) == (95.2, "C", True, True)

    fixed = msgspec.structs.replace(finding, action=action(status="조치완료", closed_on="2026-02-15"))
    score = compute_safety(data(*answers, fixed), items, TODAY)
    assert (score.score, score.grade, score.grade_capped, score.open_high) == (95.2, "A", False, False)


def test_a_carried_open_high_action_caps_the_grade_too() -> None:
    carried = [CarriedAction(code="SF-FIR-05", severity="상", raised_on="2025-09-20", action=action(due="2025-09-27"))]
    score = compute_safety(data(SafetyAnswer(code="A", status="적합"), carried=carried), [item("A")], TODAY)
    assert (score.score, score.grade, score.grade_capped) == (100.0, "C", True)


def test_a_high_finding_without_an_action_also_caps() -> None:
    d = data(SafetyAnswer(code="A", status="적합"), SafetyAnswer(code="B", status="부분적합", severity="상"))
    score = compute_safety(d, [item("A", severity="상"), item("B", severity="하")], TODAY)
    # (3 + 0.5) / 4 = 87.5 → B, capped to C.
    assert (score.score, score.grade) == (87.5, "C")


def test_a_d_grade_is_not_raised_by_the_cap() -> None:
    d = data(SafetyAnswer(code="A", status="부적합", severity="상", action=action()))
    score = compute_safety(d, [item("A", severity="상")], TODAY)
    assert (score.score, score.grade, score.grade_capped) == (0.0, "D", False)


# -- corrective-action completion ------------------------------------------------------------------------------------


def four_actions() -> SafetyData:
    """Four actions, three closed by their due date (one of them carried and re-checked), one closed late."""
    return data(
        SafetyAnswer(
            code="A", status="부적합", severity="상", action=action("조치완료", "2026-02-17", closed_on="2026-02-15")
        ),
        SafetyAnswer(
            code="B", status="부적합", severity="중", action=action("조치완료", "2026-03-12", closed_on="2026-03-12")
        ),
        SafetyAnswer(
            code="C", status="부적합", severity="중", action=action("조치완료", "2026-03-01", closed_on="2026-03-02")
        ),
        carried=[
            CarriedAction(
                code="D",
                severity="하",
                raised_on="2025-09-15",
                action=action("재점검확인", "2025-12-31", closed_on="2025-12-20"),
            )
        ],
    )


def test_completion_rate_three_of_four_is_75_percent_against_the_90_percent_target() -> None:
    target = load_reference(resource("data")).target(2026, "safety_action_completion_rate")
    assert target is not None and (target.value, target.unit) == (90, TargetUnit.PERCENT)
    items = [item("A", severity="상"), item("B"), item("C")]
    score = compute_safety(four_actions(), items, TODAY, target)
    assert (score.actions_raised, score.actions_closed_on_time) == (4, 3)
    assert score.completion_rate == 0.75
    assert score.target_met is False
    assert score.open_actions == ()


def test_completion_target_is_met_at_exactly_90_percent() -> None:
    target = Target(2026, "safety_action_completion_rate", "per facility", 90, TargetUnit.PERCENT, "L7823", "")
    answers = [
        SafetyAnswer(code=f"I{n}", status="부적합", severity="하", action=action("조치완료", closed_on="2026-02-12"))
        for n in range(9)
    ]
    answers.append(SafetyAnswer(code="I9", status="부적합", severity="하", action=action()))
    score = compute_safety(data(*answers), [item(f"I{n}") for n in range(10)], TODAY, target)
    assert (score.completion_rate, score.target_met) == (0.9, True)


def test_no_actions_means_no_completion_rate() -> None:
    score = compute_safety(data(SafetyAnswer(code="A", status="적합")), [item("A")], TODAY)
    assert (score.actions_raised, score.completion_rate, score.target_met) == (0, None, None)


def test_open_actions_sorted_by_severity_then_due_and_overdue_on_today() -> None:
    d = data(
        SafetyAnswer(code="M", status="부적합", severity="중", action=action(due="2026-03-01")),
        SafetyAnswer(code="H2", status="부적합", severity="상", action=action("조치중", due="2026-03-10")),
        SafetyAnswer(code="L", status="부분적합", severity="하", action=action(due="2026-12-31")),
        carried=[CarriedAction(code="H1", severity="상", raised_on="2025-09-15", action=action(due="2026-02-20"))],
    )
    items = [item("M"), item("H2"), item("L")]
    score = compute_safety(d, items, TODAY)  # 2026-03-05
    assert [(o.code, o.due, o.carried) for o in score.open_actions] == [
        ("H1", "2026-02-20", True),
        ("H2", "2026-03-10", False),
        ("M", "2026-03-01", False),
        ("L", "2026-12-31", False),
    ]
    assert [o.code for o in score.overdue_actions] == ["H1", "M"]
    assert score.open_actions[0].field == "carried_actions/0/action"
    assert score.open_actions[1].field == "answers/1/action"


# -- carry-over across halves ----------------------------------------------------------------------------------------


def test_prefill_without_previous_half_has_empty_answers_for_applicable_items() -> None:
    d = prefill_safety(CSV_ITEMS, frozenset({Feature.GAS}))
    assert len(d.answers) == 37
    assert all(a == SafetyAnswer(code=a.code) for a in d.answers)
    assert (d.carried_actions, d.checked_on, d.explanations) == ([], "", {})


def test_open_actions_carry_into_the_next_half_until_rechecked() -> None:
    items = [item("A", severity="상"), item("B", severity="하"), item("C")]
    h1 = SafetyData(
        checked_on="2026-02-10",
        answers=[
            SafetyAnswer(code="A", status="부적합", severity="상", action=action("조치중", "2026-02-17")),
            SafetyAnswer(code="B", status="부적합", action=action("미조치", "2026-12-31")),  # severity from the item
            SafetyAnswer(code="C", status="부적합", severity="중", action=action("재점검확인", closed_on="2026-02-20")),
        ],
        explanations={"x@y": "설명"},
    )
    h2 = prefill_safety(items, frozenset(), h1)
    assert [a.code for a in h2.answers] == ["A", "B", "C"]
    assert all(a.status == "" and a.action is None for a in h2.answers)
    assert h2.explanations == {}
    assert [(c.code, c.severity, c.raised_on, c.action.due, c.action.status) for c in h2.carried_actions] == [
        ("A", "상", "2026-02-10", "2026-02-17", "조치중"),
        ("B", "하", "2026-02-10", "2026-12-31", "미조치"),
    ]

    # In H2 the 상 action is re-checked, the 하 one is still open: only the 하 one goes on to 2027-H1.
    checked = msgspec.structs.replace(
        h2.carried_actions[0],
        action=msgspec.structs.replace(h2.carried_actions[0].action, status="재점검확인", closed_on="2026-02-16"),
    )
    h2 = msgspec.structs.replace(h2, checked_on="2026-09-15", carried_actions=[checked, h2.carried_actions[1]])
    next_h1 = prefill_safety(items, frozenset(), h2)
    assert [(c.code, c.raised_on) for c in next_h1.carried_actions] == [("B", "2026-02-10")]

    # Once the last one is re-checked nothing is carried any more.
    last = next_h1.carried_actions[0]
    done = msgspec.structs.replace(last, action=msgspec.structs.replace(last.action, status="재점검확인"))
    assert (
        prefill_safety(items, frozenset(), msgspec.structs.replace(next_h1, carried_actions=[done])).carried_actions
        == []
    )


# -- the shipped checklist end to end --------------------------------------------------------------------------------


def compliant_answer(it: SafetyItem) -> SafetyAnswer:
    extra = {
        "status": {},
        "status_na": {},
        "status+file": {"file_ref": "문서-2026-001"},
        "status+count": {"count": 3},
        "count+status": {"count": 0},
        "status+date": {"date": "2026-12-31" if it.code == "SF-GOV-06" else "2026-01-20"},
        "count": {"count": 4},
        "count_ratio": {"count": 9, "total": 9},
        "date": {"date": "2026-01-15"},
        "date+count": {"date": "2025-12-01", "count": 7},
        "computed": {},
    }[it.response]
    status = "" if it.response in ("count", "count_ratio", "date", "date+count", "computed") else "적합"
    return SafetyAnswer(code=it.code, status=status, **extra)


def test_a_fully_compliant_shipped_checklist_is_clean_and_scores_100() -> None:
    features = frozenset({Feature.GAS, Feature.KITCHEN})
    items = list(applicable_items(CSV_ITEMS, features))
    d = SafetyData(checked_on=CHECKED, answers=[compliant_answer(i) for i in items])
    assert validate_safety(d, items).problems == ()
    score = compute_safety(d, items, TODAY)
    # 38 items, 2 of them count-only (SF-EDU-02, SF-EDU-06) are not scored.
    assert (len(items), score.scored_items, score.score, score.grade) == (38, 36, 100.0, "A")


# -- JSON ------------------------------------------------------------------------------------------------------------


def test_payload_json_round_trip() -> None:
    d = SafetyData(
        checked_on="2026-02-10",
        answers=[
            SafetyAnswer(
                code="SF-EDU-04",
                status="부적합",
                severity="상",
                count=6,
                date="2025-03-01",
                note="외부기관 연계",
                action=action("이월", carry_reason="소방서 일정", closed_on=""),
            ),
            SafetyAnswer(code="SF-EDU-01", count=9, total=10),
        ],
        carried_actions=[CarriedAction(code="SF-FIR-01", severity="상", raised_on="2025-09-15", action=action())],
        explanations={"safety.expert_needed@answers/3/status": "3월 점검 예약"},
    )
    raw = msgspec.json.encode(d)
    assert msgspec.json.decode(raw, type=SafetyData) == d
    assert msgspec.json.decode(b"{}", type=SafetyData) == SafetyData()


@pytest.mark.parametrize(
    "raw",
    [
        b'{"answers": "SF-GOV-01"}',
        b'{"answers": [{"code": "SF-EDU-02", "count": "3"}]}',
        b'{"answers": [{"code": "SF-GOV-01", "action": {"due": 20260217}}]}',
        b'{"carried_actions": [{"code": "X", "action": null}]}',
        b'{"explanations": {"k": 1}}',
    ],
)
def test_invalid_json_types_are_rejected(raw: bytes) -> None:
    with pytest.raises(msgspec.ValidationError):
        msgspec.json.decode(raw, type=SafetyData)
