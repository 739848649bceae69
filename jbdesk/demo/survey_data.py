"""Demo satisfaction surveys: respondents per facility and answer counts that land near each target."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from typing import Any

from jbdesk.demo.data import YEAR
from jbdesk.domain import survey
from jbdesk.domain.facilities import Facility, Feature
from jbdesk.domain.reference import ReferenceData, SurveyItem

# -- survey ---------------------------------------------------------------------------------------------------------
USERS: dict[str, int] = {  # respondents a facility can reach in a year
    "노인보호전문기관": 70,
    "학대피해노인 쉼터": 18,
    "건강가정다문화가족": 160,
    "다함께돌봄센터": 28,
    "장기요양요원지원센터": 120,
    "장애인종합지원센터": 220,
    "청년미래센터": 90,
    "전북인돌봄센터": 60,
}
PART_TIME = {"다함께돌봄센터": (2, 3)}  # 시간제 돌봄교사·강사 answer the staff survey too
BELOW_TARGET = "F13"  # the one facility under target: overloaded, 5 posts unfilled


def _shape(mean: float, points: int = 5) -> list[float]:
    """Probabilities over 1..points with the given mean (exponential tilt, found by bisection)."""
    lo, hi = -10.0, 10.0
    for _ in range(60):
        beta = (lo + hi) / 2
        w = [math.exp(beta * k) for k in range(1, points + 1)]
        m = sum(k * x for k, x in zip(range(1, points + 1), w, strict=True)) / sum(w)
        lo, hi = (beta, hi) if m < mean else (lo, beta)
    w = [math.exp(lo * k) for k in range(1, points + 1)]
    s = sum(w)
    return [x / s for x in w]


def _counts(n: int, mean: float, points: int, rng: random.Random) -> list[int]:
    probs = _shape(mean, points)
    raw = [n * p for p in probs]
    counts = [math.floor(x) for x in raw]
    order = sorted(range(points), key=lambda k: -(raw[k] - counts[k]) + rng.uniform(-0.2, 0.2))
    for k in order[: n - sum(counts)]:
        counts[k] += 1
    return counts


def survey_block(
    items: Sequence[SurveyItem],
    respondents: int,
    eligible: int,
    target: float,
    rng: random.Random,
    *,
    band: tuple[float, float],
) -> dict[str, Any]:
    """Aggregate counts whose 100-point score lands inside ``band`` (target ± a little)."""
    if respondents <= 0:
        return {"eligible": 0, "distributed": 0, "returned": 0, "valid": 0,
                "items": [{"code": i.code, "counts": [0] * i.scale_points, "no_answer": 0} for i in items]}  # fmt: skip
    distributed = min(eligible, respondents + rng.randint(0, max(respondents // 6, 0)))
    returned = respondents + (1 if rng.random() < 0.3 and distributed > respondents else 0)  # one unusable
    valid = respondents
    lo, hi = band
    goal = rng.uniform(lo, hi)
    for _ in range(40):
        mean = 1 + goal / 100 * 4
        out: list[dict[str, Any]] = []
        for i in items:
            no_answer = 1 if valid > 8 and rng.random() < 0.15 else 0
            m = min(4.97, max(1.5, mean + rng.uniform(-0.12, 0.12)))
            out.append({"code": i.code, "counts": _counts(valid - no_answer, m, i.scale_points, rng),
                        "no_answer": no_answer})  # fmt: skip
        block = survey.SurveyBlock(
            eligible=eligible, distributed=distributed, returned=returned, valid=valid,
            items=[survey.ItemCounts(**x) for x in out],
        )  # fmt: skip
        score = survey.compute_block(block, list(items)).score
        if score is not None and lo <= score <= hi:
            break
        goal += (lo + hi) / 2 - (score if score is not None else goal)  # aim again, corrected by the miss
    return {"eligible": eligible, "distributed": distributed, "returned": returned, "valid": valid, "items": out}


def survey_entry(f: Facility, reference: ReferenceData, staff_now: int, rng: random.Random) -> dict[str, Any]:
    """Both blocks of the 2026 survey: users around 90, staff around 80; one facility below, tiny staff hidden."""
    user_items = reference.survey(survey.USER_SURVEY)
    staff_items = reference.survey(survey.STAFF_SURVEY)
    user_target = reference.target(YEAR, survey.TARGET_INDICATORS[survey.USER_SURVEY])
    staff_target = reference.target(YEAR, survey.TARGET_INDICATORS[survey.STAFF_SURVEY])
    ut = user_target.value if user_target else 90.0
    st = staff_target.value if staff_target else 80.0
    below = f.code == BELOW_TARGET
    if Feature.DIRECT_USERS in f.features:
        eligible = int(USERS.get(f.type, 60) * rng.uniform(0.8, 1.2))
        respondents = max(6, int(eligible * rng.uniform(0.55, 0.8)))
        user = survey_block(user_items, respondents, eligible, ut, rng,
                            band=(ut - 6.5, ut - 3.0) if below else (ut + 0.5, ut + 5.5))  # fmt: skip
    else:
        user = survey_block(user_items, 0, 0, ut, rng, band=(0, 100))
    extra = rng.randint(*PART_TIME[f.type]) if f.type in PART_TIME else 0
    staff_eligible = staff_now + extra
    staff_resp = staff_eligible if staff_eligible <= 3 else staff_eligible - rng.randint(0, max(staff_eligible // 8, 0))
    staff = survey_block(staff_items, staff_resp, staff_eligible, st, rng,
                         band=(st - 8.0, st - 2.5) if below else (st + 0.5, st + 8.0))  # fmt: skip
    return {"user": user, "staff": staff}
