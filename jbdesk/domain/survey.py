"""만족도 조사: aggregate counts per item and scale point (never respondent rows), 100-point scores, pooling."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import msgspec

from jbdesk.domain.reference import ReferenceData, SurveyItem, Target, TargetUnit
from jbdesk.domain.validation import Problem, ValidationResult, error, warning
from jbdesk.errors import InvalidInputError

# Definitions (all derived from the counts, so every figure can be recomputed by head office):
#
# - Reverse-scored items are flipped first: an answer at point k counts as (points + 1 − k), 6 − k on 5 points.
# - Item mean = Σ k·n_k ÷ n over answers at a scale point (무응답 excluded).
# - Item score = the configured method applied to the item mean (``METHODS``; printed on every report).
# - Block mean = plain mean of the item means (item-weighted: every item counts once, whatever its n); items
#   nobody answered are left out. Block score = the method applied to the block mean; both methods are
#   linear, so it equals the mean of the item scores.
# - % positive = answers at the top two points (4-5 of 5) ÷ all answers at a scale point, over all items of the
#   block (answer-weighted).
# - Response rate = returned ÷ distributed.
# - Rates are fractions 0-1 (print with ``numbers.fmt_percent``); means are rounded half-up to 2 decimals, scores
#   to 1, rates to 3 (0.1%), always from the exact counts.
# - A target is compared in its own unit: POINT100 with the score, PERCENT with % positive × 100; other units
#   are not compared (target_met None).
# - A staff block with fewer than 3 valid respondents is ``suppressed``: a 2-person centre would expose
#   individuals, so printed reports hide its score. Its counts still go into the head-office pool.

USER_SURVEY = "USER_SAT"
STAFF_SURVEY = "STAFF_SAT"
BLOCKS = {"user": USER_SURVEY, "staff": STAFF_SURVEY}  # payload field -> survey-items.csv survey
TARGET_INDICATORS = {USER_SURVEY: "user_satisfaction_score", STAFF_SURVEY: "staff_satisfaction_score"}
MIN_VALID = {USER_SURVEY: 5, STAFF_SURVEY: 3}  # below: warning; staff below 3 is also suppressed
STAFF_SUPPRESS_BELOW = 3

# The plan never says how a 5-point mean becomes 점: default linear, head office may choose "ratio".
METHODS: dict[str, str] = {
    "linear": "(평균 − 1) ÷ 4 × 100 (1점=0점, 5점=100점)",
    "ratio": "평균 ÷ 5 × 100 (1점=20점, 5점=100점)",
}
DEFAULT_METHOD = "linear"

_COUNT_LABELS = {"valid": "유효 응답 수", "returned": "회수 수", "distributed": "배포 수", "eligible": "조사 대상 수"}


# -- payload ----------------------------------------------------------------------------------------------------------


class ItemCounts(msgspec.Struct, frozen=True, kw_only=True):
    code: str = ""
    counts: list[int] = []  # answers at scale points 1..5 (as asked; reverse items are flipped when computed)
    no_answer: int = 0


class SurveyBlock(msgspec.Struct, frozen=True, kw_only=True):
    eligible: int | None = None  # 조사 대상
    distributed: int | None = None  # 배포
    returned: int | None = None  # 회수
    valid: int | None = None  # 유효 응답 (n)
    items: list[ItemCounts] = []


class SurveyData(msgspec.Struct, frozen=True, kw_only=True):
    user: SurveyBlock = msgspec.field(default_factory=SurveyBlock)
    staff: SurveyBlock = msgspec.field(default_factory=SurveyBlock)
    method: str = DEFAULT_METHOD  # a key of METHODS
    explanations: dict[str, str] = {}


def new_survey(reference: ReferenceData) -> SurveyData:
    """Both blocks with every item of survey-items.csv and zero counts."""

    def block(survey: str) -> SurveyBlock:
        return SurveyBlock(
            items=[ItemCounts(code=i.code, counts=[0] * i.scale_points) for i in reference.survey(survey)]
        )

    return SurveyData(user=block(USER_SURVEY), staff=block(STAFF_SURVEY))


# -- arithmetic -------------------------------------------------------------------------------------------------------


def _round(value: Fraction | None, places: int) -> float | None:
    if value is None:
        return None
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return float(exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def _check_method(method: str) -> None:
    if method not in METHODS:
        raise InvalidInputError(f"점수 환산 방식이 올바르지 않습니다: '{method}' ({', '.join(METHODS)})")


def _score(mean: Fraction | None, method: str, points: int) -> Fraction | None:
    _check_method(method)
    if mean is None:
        return None
    if method == "linear":
        return (mean - 1) / (points - 1) * 100
    return mean / points * 100


def score_of(mean: float, method: str = DEFAULT_METHOD, points: int = 5) -> float | None:
    """100-point score of a mean on a ``points`` scale, 1 decimal: score_of(4.2) == 80.0."""
    return _round(_score(Fraction(str(mean)), method, points), 1)


def _counts_by_code(block: SurveyBlock) -> dict[str, tuple[list[int], int]]:
    """Counts per item code; a duplicated code (a validation error) counts once, first entry wins."""
    out: dict[str, tuple[list[int], int]] = {}
    for c in block.items:
        out.setdefault(c.code, (list(c.counts), c.no_answer))
    return out


def _scored_counts(counts: Sequence[int], item: SurveyItem) -> list[int]:
    """Counts by scale point as scored: a reverse item's point k counts as points + 1 − k."""
    values = list(counts[: item.scale_points]) + [0] * (item.scale_points - len(counts))
    return values[::-1] if item.reverse else values


@dataclass(frozen=True)
class _Exact:
    n: int
    mean: Fraction | None
    positive: int  # answers at the top two points


def _exact(counts: Sequence[int], item: SurveyItem) -> _Exact:
    scored = [max(c, 0) for c in _scored_counts(counts, item)]
    n = sum(scored)
    mean = Fraction(sum(k * c for k, c in enumerate(scored, start=1)), n) if n else None
    return _Exact(n, mean, sum(scored[-2:]))


# -- results ----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemResult:
    code: str
    dimension: str
    question: str
    reverse: bool
    counts: tuple[int, ...]  # as entered (points 1..5, before flipping)
    no_answer: int
    n: int  # answers at a scale point
    mean: float | None  # after flipping reverse items, 2 decimals
    score: float | None  # 1 decimal
    positive: float | None  # share of answers at the top two points, 3 decimals


@dataclass(frozen=True)
class BlockResult:
    survey: str  # USER_SAT / STAFF_SAT
    method: str
    eligible: int | None
    distributed: int | None
    returned: int | None
    valid: int | None
    items: tuple[ItemResult, ...]
    answers: int  # answers at a scale point over all items
    mean: float | None  # mean of item means, 2 decimals
    score: float | None  # 1 decimal
    positive: float | None  # % positive over all answers, fraction with 3 decimals
    response_rate: float | None  # returned ÷ distributed, fraction with 3 decimals
    target: Target | None
    target_met: bool | None
    suppressed: bool  # staff with valid < 3: printed reports hide the score

    @property
    def printable_score(self) -> float | None:
        return None if self.suppressed else self.score


@dataclass(frozen=True)
class SurveyResult:
    method: str
    method_text: str  # METHODS[method], printed on every report
    user: BlockResult
    staff: BlockResult


@dataclass(frozen=True)
class PooledResult:
    survey: str
    method: str
    facilities: int  # blocks pooled
    valid: int  # Σ valid n over blocks that gave one
    items: tuple[ItemResult, ...]  # from the summed counts (respondent-weighted)
    mean: float | None
    score: float | None  # pooled: from summed counts
    positive: float | None
    response_rate: float | None  # Σ returned ÷ Σ distributed over blocks that gave both
    facility_scores: tuple[float | None, ...]  # per block, in input order; None when suppressed or empty
    facility_mean_score: float | None  # plain mean of the shown facility scores, 1 decimal
    suppressed_facilities: int
    target: Target | None
    target_met: bool | None


def _target_met(target: Target | None, score: float | None, positive: float | None) -> bool | None:
    if target is None:
        return None
    if target.unit is TargetUnit.POINT100 and score is not None:
        return score >= target.value
    if target.unit is TargetUnit.PERCENT and positive is not None:
        return Decimal(str(positive)) * 100 >= Decimal(str(target.value))
    return None


def _survey_of(items: Sequence[SurveyItem]) -> str:
    return items[0].survey if items else ""


def _is_suppressed(survey: str, valid: int | None) -> bool:
    return survey == STAFF_SURVEY and (valid is None or valid < STAFF_SUPPRESS_BELOW)


def _rate(part: int | None, whole: int | None) -> float | None:
    return _round(Fraction(part, whole), 3) if part is not None and whole else None


def _summarise(
    counts_by_code: dict[str, tuple[list[int], int]], items: Sequence[SurveyItem], method: str
) -> tuple[tuple[ItemResult, ...], int, Fraction | None, Fraction | None, Fraction | None]:
    """Item results plus (answers, exact mean, exact score, exact positive share) of one set of items."""
    results, means = [], []
    answers = positive = 0
    points = items[0].scale_points if items else 5
    for item in items:
        counts, no_answer = counts_by_code.get(item.code, ([0] * item.scale_points, 0))
        ex = _exact(counts, item)
        answers += ex.n
        positive += ex.positive
        if ex.mean is not None:
            means.append(ex.mean)
        item_positive = Fraction(ex.positive, ex.n) if ex.n else None
        results.append(
            ItemResult(
                code=item.code,
                dimension=item.dimension,
                question=item.question,
                reverse=item.reverse,
                counts=tuple(counts),
                no_answer=no_answer,
                n=ex.n,
                mean=_round(ex.mean, 2),
                score=_round(_score(ex.mean, method, item.scale_points), 1),
                positive=_round(item_positive, 3),
            )
        )
    mean = sum(means, Fraction(0)) / len(means) if means else None
    share = Fraction(positive, answers) if answers else None
    return tuple(results), answers, mean, _score(mean, method, points), share


def compute_block(
    block: SurveyBlock, items: Sequence[SurveyItem], method: str = DEFAULT_METHOD, target: Target | None = None
) -> BlockResult:
    """Figures of one block; ``items`` are that survey's items (report order)."""
    _check_method(method)
    results, answers, mean, score, share = _summarise(_counts_by_code(block), items, method)
    survey = _survey_of(items)
    rounded_score, rounded_share = _round(score, 1), _round(share, 3)
    return BlockResult(
        survey=survey,
        method=method,
        eligible=block.eligible,
        distributed=block.distributed,
        returned=block.returned,
        valid=block.valid,
        items=results,
        answers=answers,
        mean=_round(mean, 2),
        score=rounded_score,
        positive=rounded_share,
        response_rate=_rate(block.returned, block.distributed),
        target=target,
        target_met=_target_met(target, rounded_score, rounded_share),
        suppressed=_is_suppressed(survey, block.valid),
    )


def compute_survey(data: SurveyData, items: Sequence[SurveyItem], reference: ReferenceData, year: int) -> SurveyResult:
    """Both blocks, with the targets in force in ``year`` (user 90 POINT100, staff 80 POINT100 in 2026)."""
    _check_method(data.method)
    blocks = {}
    for name, survey in BLOCKS.items():
        own = [i for i in items if i.survey == survey]
        target = reference.target(year, TARGET_INDICATORS[survey])
        blocks[name] = compute_block(getattr(data, name), own, data.method, target)
    return SurveyResult(data.method, METHODS[data.method], blocks["user"], blocks["staff"])


# Over 60 lines: one pass over the blocks sums the pooled counts and the facility scores (a third is docstring).
def pool_blocks(
    blocks: Sequence[tuple[SurveyBlock, Sequence[SurveyItem]]],
    method: str = DEFAULT_METHOD,
    target: Target | None = None,
) -> PooledResult:
    """Head office: one survey over facilities, two ways.

    Pooled figures sum the counts per item across facilities (respondent-weighted). ``facility_mean_score``
    is the plain mean of facility scores (every facility counts once). A suppressed facility's counts go into
    the pool, but its own score is neither shown nor part of the plain mean: the mean together with the shown
    scores would reveal it. (A lone suppressed facility can still be backed out of the pooled counts if every
    other facility's counts are printed next to them: print per-facility scores, not counts.)
    """
    _check_method(method)
    item_defs: dict[str, SurveyItem] = {}
    summed: dict[str, tuple[list[int], int]] = {}
    facility_scores: list[float | None] = []
    suppressed = valid = returned = distributed = 0
    exact_scores: list[Fraction] = []
    for block, items in blocks:
        survey = _survey_of(items)
        own = {i.code: i for i in items}
        for item in items:
            item_defs.setdefault(item.code, item)
        entered = _counts_by_code(block)
        for code, (counts, no_answer) in entered.items():
            if code not in own:
                continue
            total, total_no_answer = summed.get(code, ([0] * own[code].scale_points, 0))
            added = [a + b for a, b in zip(total, _padded(counts, len(total)), strict=True)]
            summed[code] = (added, total_no_answer + no_answer)
        valid += block.valid or 0
        if block.returned is not None and block.distributed is not None:
            returned += block.returned
            distributed += block.distributed
        _, _, _, score, _ = _summarise(entered, items, method)
        if _is_suppressed(survey, block.valid):
            suppressed += 1
            facility_scores.append(None)
        else:
            facility_scores.append(_round(score, 1))
            if score is not None:
                exact_scores.append(score)
    defs = tuple(item_defs.values())
    results, _, mean, score, share = _summarise(summed, defs, method)
    plain = sum(exact_scores, Fraction(0)) / len(exact_scores) if exact_scores else None
    rounded_score, rounded_share = _round(score, 1), _round(share, 3)
    return PooledResult(
        survey=_survey_of(defs),
        method=method,
        facilities=len(blocks),
        valid=valid,
        items=results,
        mean=_round(mean, 2),
        score=rounded_score,
        positive=rounded_share,
        response_rate=_rate(returned, distributed),
        facility_scores=tuple(facility_scores),
        facility_mean_score=_round(plain, 1),
        suppressed_facilities=suppressed,
        target=target,
        target_met=_target_met(target, rounded_score, rounded_share),
    )


def _padded(counts: Sequence[int], length: int) -> list[int]:
    return list(counts[:length]) + [0] * (length - len(counts))


# -- validation -------------------------------------------------------------------------------------------------------


def _check_block(block: SurveyBlock, items: Sequence[SurveyItem], name: str, survey: str) -> Iterator[Problem]:
    numbers = {key: getattr(block, key) for key in _COUNT_LABELS}
    for key, value in numbers.items():
        if value is not None and value < 0:
            yield error("survey.negative", "0 이상의 수를 입력하세요.", f"{name}/{key}")
    if block.valid is None:
        yield error("survey.valid_required", "유효 응답 수를 입력하세요.", f"{name}/valid")
    # valid ≤ returned ≤ distributed ≤ eligible, comparing each number with the next one given.
    known = [(k, v) for k, v in numbers.items() if v is not None]
    for (low, low_v), (high, high_v) in itertools.pairwise(known):
        if low_v > high_v:
            message = f"{_COUNT_LABELS[low]}({low_v})가 {_COUNT_LABELS[high]}({high_v})보다 많습니다."
            yield error("survey.count_order", message, f"{name}/{low}")

    own = {i.code: i for i in items}
    seen: set[str] = set()
    for n, c in enumerate(block.items):
        p = f"{name}/items/{n}"
        item = own.get(c.code)
        if item is None:
            yield error("survey.unknown_item", f"이 조사의 문항이 아닙니다: '{c.code}'", f"{p}/code")
            continue
        if c.code in seen:
            yield error("survey.duplicate_item", f"같은 문항이 두 번 있습니다: {c.code}", f"{p}/code")
            continue
        seen.add(c.code)
        if len(c.counts) != item.scale_points:
            message = f"응답 칸은 {item.scale_points}개여야 합니다(현재 {len(c.counts)}개)."
            yield error("survey.scale_points", message, f"{p}/counts")
        if any(x < 0 for x in c.counts):
            yield error("survey.negative", "0 이상의 수를 입력하세요.", f"{p}/counts")
        if c.no_answer < 0:
            yield error("survey.negative", "0 이상의 수를 입력하세요.", f"{p}/no_answer")
        total = sum(c.counts) + c.no_answer
        if block.valid is not None and total > block.valid:
            message = f"{c.code} 응답 합계({total})가 유효 응답 수({block.valid})보다 많습니다."
            yield error("survey.item_total", message, f"{p}/counts")
    for item in items:
        if item.code not in seen:
            yield error("survey.missing_item", f"{item.code} 문항이 없습니다.", f"{name}/items")

    floor = MIN_VALID[survey]
    if block.valid is not None and 0 <= block.valid < floor:
        if survey == STAFF_SURVEY:
            message = (
                f"종사자 유효 응답이 {block.valid}명으로 {floor}명 미만입니다. "
                "인쇄 보고서에서 종사자 점수는 표시되지 않습니다."
            )
        else:
            message = f"이용자 유효 응답이 {block.valid}명으로 {floor}명 미만입니다. 결과 해석에 주의하세요."
        yield warning("survey.small_n", message, f"{name}/valid")


def validate_survey(data: SurveyData, items: Sequence[SurveyItem]) -> ValidationResult:
    """``items``: every survey item (both surveys); each block is checked against its own."""
    problems: list[Problem] = []
    if data.method not in METHODS:
        problems.append(error("survey.method", f"점수 환산 방식이 올바르지 않습니다: '{data.method}'", "method"))
    for name, survey in BLOCKS.items():
        own = [i for i in items if i.survey == survey]
        problems.extend(_check_block(getattr(data, name), own, name, survey))
    return ValidationResult.of(problems)
