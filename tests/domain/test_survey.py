"""만족도 조사: means, 100-point scores, % positive, targets, suppression, pooling, every check and JSON."""

from __future__ import annotations

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from jbdesk.domain.reference import SurveyItem, Target, TargetUnit, load_reference
from jbdesk.domain.survey import (
    METHODS,
    ItemCounts,
    SurveyBlock,
    SurveyData,
    compute_block,
    compute_survey,
    new_survey,
    pool_blocks,
    score_of,
    validate_survey,
)
from jbdesk.errors import InvalidInputError
from jbdesk.resources import resource

REFERENCE = load_reference(resource("data"))


def user_item(code: str = "U1", reverse: bool = False) -> SurveyItem:
    return SurveyItem("USER_SAT", code, "전반적 만족", f"{code} 문항", 5, reverse)


def staff_item(code: str = "S1") -> SurveyItem:
    return SurveyItem("STAFF_SAT", code, "조직문화", f"{code} 문항", 5, False)


def block(valid: int | None, *counts: list[int], codes: tuple[str, ...] = ("U1", "U2"), **numbers: int) -> SurveyBlock:
    return SurveyBlock(
        valid=valid, items=[ItemCounts(code=c, counts=n) for c, n in zip(codes, counts, strict=True)], **numbers
    )


def problems(data: SurveyData, items: list[SurveyItem]) -> list[tuple[str, str | None]]:
    return [(p.code, p.field) for p in validate_survey(data, items).problems]


ITEMS = [user_item("U1"), staff_item("S1")]


def survey(user: SurveyBlock, staff: SurveyBlock | None = None, method: str = "linear") -> SurveyData:
    return SurveyData(user=user, staff=staff or block(5, [0, 0, 0, 0, 5], codes=("S1",)), method=method)


# -- new form --------------------------------------------------------------------------------------------------------


def test_new_survey_has_every_item_with_zero_counts() -> None:
    data = new_survey(REFERENCE)
    assert [c.code for c in data.user.items] == [f"US-{n:02d}" for n in range(1, 13)]
    assert [c.code for c in data.staff.items] == [f"SS-{n:02d}" for n in range(1, 12)]
    assert all(c.counts == [0, 0, 0, 0, 0] and c.no_answer == 0 for c in data.user.items + data.staff.items)
    assert (data.user.valid, data.method, data.explanations) == (None, "linear", {})


# -- item figures ----------------------------------------------------------------------------------------------------


def test_item_mean_score_and_percent_positive() -> None:
    # [0,0,2,4,4]: n 10, Σ = 3×2 + 4×4 + 5×4 = 42 → mean 4.2; (4.2 − 1) ÷ 4 × 100 = 80.0; 4-5 = 8 of 10.
    result = compute_block(block(10, [0, 0, 2, 4, 4], codes=("U1",)), [user_item()])
    only = result.items[0]
    assert (only.n, only.mean, only.score, only.positive) == (10, 4.2, 80.0, 0.8)
    assert only.counts == (0, 0, 2, 4, 4)


def test_ratio_method() -> None:
    # 4.2 ÷ 5 × 100 = 84.0
    result = compute_block(block(10, [0, 0, 2, 4, 4], codes=("U1",)), [user_item()], method="ratio")
    assert (result.items[0].score, result.score) == (84.0, 84.0)


def test_score_of_both_methods() -> None:
    # The notes' example: a mean of 4.5 is 87.5 linear, 90 ratio.
    assert score_of(4.2) == 80.0
    assert score_of(4.5) == 87.5
    assert score_of(4.5, "ratio") == 90.0
    assert (score_of(1.0), score_of(5.0), score_of(1.0, "ratio")) == (0.0, 100.0, 20.0)
    with pytest.raises(InvalidInputError):
        score_of(4.0, "mean×20")


def test_methods_carry_a_printable_korean_description() -> None:
    assert set(METHODS) == {"linear", "ratio"}
    assert METHODS["linear"].startswith("(평균 − 1) ÷ 4 × 100")
    assert METHODS["ratio"].startswith("평균 ÷ 5 × 100")


def test_reverse_item_is_flipped_six_minus_x() -> None:
    # [4,4,2,0,0] as asked: 4 answers at 1 count as 5, 4 at 2 as 4, 2 at 3 as 3 → same as [0,0,2,4,4]: 4.2.
    items = [user_item("U1", reverse=True), user_item("U2")]
    result = compute_block(block(10, [4, 4, 2, 0, 0], [4, 4, 2, 0, 0]), items)
    flipped, plain = result.items
    assert (flipped.mean, flipped.score, flipped.positive) == (4.2, 80.0, 0.8)
    # Not reversed: (1×4 + 2×4 + 3×2) ÷ 10 = 1.8 → 20.0; nobody at 4-5.
    assert (plain.mean, plain.score, plain.positive) == (1.8, 20.0, 0.0)
    assert flipped.counts == (4, 4, 2, 0, 0)  # shown as entered


def test_no_answer_is_left_out_of_the_mean() -> None:
    b = SurveyBlock(valid=12, items=[ItemCounts(code="U1", counts=[0, 0, 2, 4, 4], no_answer=2)])
    only = compute_block(b, [user_item()]).items[0]
    assert (only.n, only.no_answer, only.mean) == (10, 2, 4.2)


def test_an_item_nobody_answered_has_no_mean() -> None:
    result = compute_block(block(0, [0, 0, 0, 0, 0], codes=("U1",)), [user_item()])
    assert (result.items[0].mean, result.items[0].score, result.mean, result.score, result.positive) == (
        None,
        None,
        None,
        None,
        None,
    )


# -- block figures ---------------------------------------------------------------------------------------------------


def test_block_mean_is_item_weighted_and_percent_positive_answer_weighted() -> None:
    # U1: 10 answers all at 5 → 5.0; U2: 2 answers at 2 → 2.0. Block mean (5 + 2) ÷ 2 = 3.5 → 62.5
    # (answer-weighted it would be 54 ÷ 12 = 4.5). % positive: 10 of 12 answers = 0.833.
    result = compute_block(block(12, [0, 0, 0, 0, 10], [0, 2, 0, 0, 0]), [user_item("U1"), user_item("U2")])
    assert (result.mean, result.score, result.positive, result.answers) == (3.5, 62.5, 0.833, 12)


def test_response_rate_is_returned_over_distributed() -> None:
    b = block(38, [0, 0, 2, 4, 4], codes=("U1",), eligible=60, distributed=50, returned=40)
    assert compute_block(b, [user_item()]).response_rate == 0.8
    assert compute_block(block(10, [0, 0, 2, 4, 4], codes=("U1",)), [user_item()]).response_rate is None


def test_targets_from_reference_with_their_units() -> None:
    # 2026: user 90 POINT100, staff 80 POINT100 (targets.csv). User 80.0 misses, staff 80.0 meets.
    data = SurveyData(
        user=block(10, [0, 0, 2, 4, 4], codes=("U1",)),
        staff=block(10, [0, 0, 2, 4, 4], codes=("S1",)),
    )
    result = compute_survey(data, ITEMS, REFERENCE, 2026)
    assert (result.user.target.value, result.user.target.unit) == (90, TargetUnit.POINT100)
    assert (result.user.score, result.user.target_met) == (80.0, False)
    assert (result.staff.target.value, result.staff.target.unit) == (80, TargetUnit.POINT100)
    assert (result.staff.score, result.staff.target_met) == (80.0, True)
    assert (result.method, result.method_text) == ("linear", METHODS["linear"])


def test_a_percent_target_is_compared_with_percent_positive() -> None:
    # 85% (the performance contract's wording, L1388) against 80% positive: not met; 80% would be met.
    b = block(10, [0, 0, 2, 4, 4], codes=("U1",))
    contract = Target(2026, "user_satisfaction_score", "per facility", 85, TargetUnit.PERCENT, "L1388", "")
    assert compute_block(b, [user_item()], target=contract).target_met is False
    eighty = Target(2026, "user_satisfaction_score", "per facility", 80, TargetUnit.PERCENT, "", "")
    assert compute_block(b, [user_item()], target=eighty).target_met is True
    count = Target(2026, "user_satisfaction_score", "per facility", 80, TargetUnit.COUNT, "", "")
    assert compute_block(b, [user_item()], target=count).target_met is None


def test_survey_uses_the_configured_method() -> None:
    data = survey(block(10, [0, 0, 2, 4, 4], codes=("U1",)), method="ratio")
    result = compute_survey(data, ITEMS, REFERENCE, 2026)
    assert (result.user.score, result.method_text) == (84.0, METHODS["ratio"])
    with pytest.raises(InvalidInputError):
        compute_survey(survey(block(10, [0, 0, 2, 4, 4], codes=("U1",)), method="mean"), ITEMS, REFERENCE, 2026)


# -- suppression -----------------------------------------------------------------------------------------------------


def test_staff_score_with_two_respondents_is_suppressed() -> None:
    data = survey(block(2, [0, 0, 0, 0, 2], codes=("U1",)), block(2, [0, 0, 0, 1, 1], codes=("S1",)))
    result = compute_survey(data, ITEMS, REFERENCE, 2026)
    assert result.staff.suppressed is True
    assert result.staff.score == 87.5  # computed, (4.5 − 1) ÷ 4 × 100 ...
    assert result.staff.printable_score is None  # ... but never printed
    assert result.user.suppressed is False  # users are only warned about below 5
    assert result.user.printable_score == 100.0


def test_staff_score_with_three_respondents_is_shown() -> None:
    data = survey(block(5, [0, 0, 0, 0, 5], codes=("U1",)), block(3, [0, 0, 1, 1, 1], codes=("S1",)))
    staff = compute_survey(data, ITEMS, REFERENCE, 2026).staff
    assert (staff.suppressed, staff.printable_score) == (False, 75.0)


def test_staff_without_valid_n_is_suppressed() -> None:
    staff = compute_block(SurveyBlock(items=[ItemCounts(code="S1", counts=[0, 0, 0, 0, 4])]), [staff_item()])
    assert staff.suppressed is True


# -- pooling ---------------------------------------------------------------------------------------------------------


def test_pool_sums_counts_and_also_gives_the_plain_mean_of_facility_scores() -> None:
    # A: 10 respondents [0,0,2,4,4] → 4.2 → 80.0. B: 30 respondents all at 5 → 100.0.
    # Pooled counts [0,0,2,4,34]: (6 + 16 + 170) ÷ 40 = 4.8 → 95.0; positive 38 of 40 = 0.95.
    # Plain mean of facility scores: (80 + 100) ÷ 2 = 90.0.
    a = block(10, [0, 0, 2, 4, 4], codes=("U1",), distributed=12, returned=10)
    b = block(30, [0, 0, 0, 0, 30], codes=("U1",), distributed=40, returned=30)
    pooled = pool_blocks([(a, [user_item()]), (b, [user_item()])])
    assert pooled.items[0].counts == (0, 0, 2, 4, 34)
    assert (pooled.mean, pooled.score, pooled.positive) == (4.8, 95.0, 0.95)
    assert pooled.facility_scores == (80.0, 100.0)
    assert pooled.facility_mean_score == 90.0
    assert (pooled.facilities, pooled.valid, pooled.suppressed_facilities) == (2, 40, 0)
    assert pooled.response_rate == 0.769  # 40 of 52
    assert pooled.survey == "USER_SAT"


def test_a_suppressed_staff_facility_counts_in_the_pool_but_not_in_the_plain_mean() -> None:
    # A: 2 staff at 5 (suppressed). B: 10 staff [0,0,2,4,4] → 80.0.
    # Pool [0,0,2,4,6]: (6 + 16 + 30) ÷ 12 = 4.333 → 83.3. Plain mean: B only → 80.0.
    a = block(2, [0, 0, 0, 0, 2], codes=("S1",))
    b = block(10, [0, 0, 2, 4, 4], codes=("S1",))
    pooled = pool_blocks([(a, [staff_item()]), (b, [staff_item()])])
    assert (pooled.mean, pooled.score, pooled.valid) == (4.33, 83.3, 12)
    assert pooled.facility_scores == (None, 80.0)
    assert (pooled.facility_mean_score, pooled.suppressed_facilities) == (80.0, 1)


def test_pool_with_target_and_ratio_method() -> None:
    a = block(10, [0, 0, 2, 4, 4], codes=("U1",))
    target = REFERENCE.target(2026, "user_satisfaction_score")
    pooled = pool_blocks([(a, [user_item()])], method="ratio", target=target)
    assert (pooled.score, pooled.target_met, pooled.method) == (84.0, False, "ratio")


def test_pool_of_nothing_is_empty() -> None:
    pooled = pool_blocks([])
    assert (pooled.facilities, pooled.score, pooled.facility_mean_score, pooled.items) == (0, None, None, ())


def test_an_unknown_method_is_refused_even_without_answers() -> None:
    with pytest.raises(InvalidInputError):
        pool_blocks([], method="mean×20")
    with pytest.raises(InvalidInputError):
        compute_block(SurveyBlock(), [user_item()], method="mean×20")


@given(st.lists(st.integers(min_value=0, max_value=50), min_size=5, max_size=5))
def test_scores_stay_between_0_and_100_and_pooling_a_block_with_itself_changes_nothing(counts: list[int]) -> None:
    b = block(sum(counts), counts, codes=("U1",))
    alone = compute_block(b, [user_item()])
    if alone.score is not None:
        assert 0 <= alone.score <= 100
    pooled = pool_blocks([(b, [user_item()]), (b, [user_item()])])
    assert (pooled.mean, pooled.score, pooled.positive) == (alone.mean, alone.score, alone.positive)


# -- validation ------------------------------------------------------------------------------------------------------


def test_a_consistent_survey_is_clean() -> None:
    data = survey(block(10, [0, 0, 2, 4, 4], codes=("U1",), eligible=20, distributed=15, returned=12))
    assert problems(data, ITEMS) == []


def test_item_answers_may_not_exceed_valid_n() -> None:
    # 9 answers + 2 no answer = 11 > 10.
    over = SurveyBlock(valid=10, items=[ItemCounts(code="U1", counts=[0, 0, 2, 3, 4], no_answer=2)])
    result = validate_survey(survey(over), ITEMS)
    assert [(p.code, p.field) for p in result.problems] == [("survey.item_total", "user/items/0/counts")]
    assert "11" in result.problems[0].message and "10" in result.problems[0].message
    exact = SurveyBlock(valid=10, items=[ItemCounts(code="U1", counts=[0, 0, 2, 3, 3], no_answer=2)])
    assert problems(survey(exact), ITEMS) == []


@pytest.mark.parametrize(
    ("numbers", "field", "message"),
    [
        ({"returned": 9}, "user/valid", "유효 응답 수(10)가 회수 수(9)보다 많습니다."),
        ({"returned": 12, "distributed": 11}, "user/returned", "회수 수(12)가 배포 수(11)보다 많습니다."),
        ({"distributed": 30, "eligible": 25}, "user/distributed", "배포 수(30)가 조사 대상 수(25)보다 많습니다."),
        # returned not given: valid is compared with the next number given.
        ({"distributed": 8}, "user/valid", "유효 응답 수(10)가 배포 수(8)보다 많습니다."),
    ],
)
def test_counts_must_not_grow_down_the_chain(numbers: dict[str, int], field: str, message: str) -> None:
    data = survey(block(10, [0, 0, 2, 4, 4], codes=("U1",), **numbers))
    found = [p for p in validate_survey(data, ITEMS).problems if p.code == "survey.count_order"]
    assert [(p.field, p.message) for p in found] == [(field, message)]


def test_valid_n_is_required_and_numbers_are_not_negative() -> None:
    data = survey(SurveyBlock(distributed=-1, items=[ItemCounts(code="U1", counts=[0, 0, -1, 0, 0], no_answer=-2)]))
    assert problems(data, ITEMS) == [
        ("survey.negative", "user/distributed"),
        ("survey.valid_required", "user/valid"),
        ("survey.negative", "user/items/0/counts"),
        ("survey.negative", "user/items/0/no_answer"),
    ]


def test_small_user_sample_is_a_warning() -> None:
    data = survey(block(4, [0, 0, 0, 0, 4], codes=("U1",)))
    result = validate_survey(data, ITEMS)
    assert [(p.code, p.field) for p in result.warnings] == [("survey.small_n", "user/valid")]
    assert "4명" in result.warnings[0].message
    assert problems(survey(block(5, [0, 0, 0, 0, 5], codes=("U1",))), ITEMS) == []


def test_small_staff_sample_warns_that_the_score_will_be_hidden() -> None:
    data = survey(block(5, [0, 0, 0, 0, 5], codes=("U1",)), block(2, [0, 0, 0, 0, 2], codes=("S1",)))
    result = validate_survey(data, ITEMS)
    assert [(p.code, p.field) for p in result.warnings] == [("survey.small_n", "staff/valid")]
    assert "표시되지 않습니다" in result.warnings[0].message
    assert result.can_complete({"survey.small_n@staff/valid": "종사자 2명 시설"})


def test_item_checks_unknown_duplicate_missing_and_scale_points() -> None:
    user = SurveyBlock(
        valid=10,
        items=[
            ItemCounts(code="U1", counts=[0, 2, 4, 4]),
            ItemCounts(code="U1", counts=[0, 0, 2, 4, 4]),
            ItemCounts(code="S1", counts=[0, 0, 0, 0, 1]),
        ],
    )
    assert problems(survey(user), [*ITEMS, user_item("U2")]) == [
        ("survey.scale_points", "user/items/0/counts"),
        ("survey.duplicate_item", "user/items/1/code"),
        ("survey.unknown_item", "user/items/2/code"),  # a staff item in the user block
        ("survey.missing_item", "user/items"),  # U2
    ]


def test_unknown_method_is_an_error() -> None:
    data = survey(block(10, [0, 0, 2, 4, 4], codes=("U1",)), method="mean×20")
    assert problems(data, ITEMS) == [("survey.method", "method")]


def test_new_survey_with_zero_valid_warns_only() -> None:
    data = new_survey(REFERENCE)
    data = msgspec.structs.replace(
        data, user=msgspec.structs.replace(data.user, valid=0), staff=msgspec.structs.replace(data.staff, valid=0)
    )
    result = validate_survey(data, list(REFERENCE.survey_items))
    assert not result.errors
    assert [p.field for p in result.warnings] == ["user/valid", "staff/valid"]


# -- JSON ------------------------------------------------------------------------------------------------------------


def test_payload_json_round_trip() -> None:
    data = SurveyData(
        user=block(10, [0, 0, 2, 4, 4], codes=("US-01",), eligible=20, distributed=15, returned=12),
        staff=SurveyBlock(valid=2, items=[ItemCounts(code="SS-01", counts=[0, 0, 0, 1, 1], no_answer=0)]),
        method="ratio",
        explanations={"survey.small_n@staff/valid": "종사자 2명 시설"},
    )
    assert msgspec.json.decode(msgspec.json.encode(data), type=SurveyData) == data
    assert msgspec.json.decode(b"{}", type=SurveyData) == SurveyData()


@pytest.mark.parametrize(
    "raw",
    [
        b'{"user": []}',
        b'{"user": {"valid": "10"}}',
        b'{"user": {"items": [{"code": "US-01", "counts": ["a", 0, 0, 0, 0]}]}}',
        b'{"staff": {"items": [{"code": "SS-01", "no_answer": 1.5}]}}',
        b'{"method": 1}',
    ],
)
def test_invalid_json_types_are_rejected(raw: bytes) -> None:
    with pytest.raises(msgspec.ValidationError):
        msgspec.json.decode(raw, type=SurveyData)
