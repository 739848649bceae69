"""Figures for the demo deployment that look like the agency's: staffing by job family, 2026 budgets with
산출내역, monthly execution with seasons (safety findings: ``safety_data``; survey counts: ``survey_data``).

Pure functions of a facility profile and a seeded ``random.Random``: no I/O, no clock, no database. The
orchestration (``jbdesk.demo.build``) enters what these return through the real services.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from jbdesk.domain import budget
from jbdesk.domain.facilities import Facility, Feature
from jbdesk.domain.numbers import fmt_int, fmt_percent
from jbdesk.domain.periods import Period
from jbdesk.domain.reference import BudgetAccount
from jbdesk.domain.staffing import DEFAULT_JOB_FAMILIES

YEAR = 2026
MILLION = 1_000_000
DATA_VERSION = 1  # bump when the generated figures change (benchmark caches key on it)

# -- staffing -----------------------------------------------------------------------------------------------------
# 정원 beyond the head (관리직 1) shared out by weight, per facility type (plan L168-L189; F10's 관리직 1 +
# 돌봄직 12 + 조리직 2 is the plan's own breakdown, L5154-L5156).
TYPE_FAMILIES: dict[str, dict[str, float]] = {
    "노인보호전문기관": {"상담직": 5, "사회복지직": 1.2, "기타": 1},
    "학대피해노인 쉼터": {"사회복지직": 2, "상담직": 1, "조리직": 1, "기타": 1},
    "건강가정다문화가족": {"사회복지직": 8, "상담직": 4, "돌봄직": 4, "기타": 2},
    "다함께돌봄센터": {"돌봄직": 1},
    "지역사회서비스지원단": {"사회복지직": 5, "기타": 1},
    "사회복지대체인력지원센터": {"돌봄직": 12, "조리직": 2},
    "장기요양요원지원센터": {"상담직": 2, "사회복지직": 1},
    "장애인종합지원센터": {"사회복지직": 12, "상담직": 4, "기타": 2},
    "청년미래센터": {"사회복지직": 8, "상담직": 4, "기타": 1},
    "전북인돌봄센터": {"사회복지직": 1, "돌봄직": 1},
}
REGIONS = ("전주시", "군산시", "익산시", "정읍시", "남원시", "김제시", "완주군", "진안군", "무주군", "장수군",
           "임실군", "순창군", "고창군", "부안군")  # fmt: skip
DEFAULT_FAMILIES = {"사회복지직": 3, "상담직": 1, "기타": 1}
# Where the plan's 결원 sit (facility → job family → posts unfilled); others: the largest family.
VACANCIES: dict[str, dict[str, int]] = {
    "F04": {"사회복지직": 1},
    "F09": {"사회복지직": 1},
    "F10": {"돌봄직": 2},
    "F13": {"사회복지직": 3, "상담직": 2},
    "F15": {"사회복지직": 1},
}
# January differs from the plan's 2026-02-01 table where someone joined or left in February.
FEBRUARY_MOVES: dict[str, tuple[str, int, int]] = {"F12": ("사회복지직", 1, 0), "F13": ("상담직", 0, 1)}
# Planned movements (facility → month → (family, hires, leavers)); the rest is random drift.
PLANNED_MOVES: dict[str, dict[int, tuple[str, int, int]]] = {
    "F15": {6: ("사회복지직", 1, 0)},  # the 동부 centre fills its post: two staff by the survey
    "F13": {5: ("사회복지직", 1, 0), 9: ("상담직", 1, 0)},  # slow hiring while re-consignment is discussed
}
# One job-family change per year, explained on the form (continuity warnings on both rows).
FAMILY_CHANGE = ("F12", 6, "상담직", "사회복지직")
HIRE_PROBABILITY = {"F13": 0.1, "F04": 0.15, "F15": 0.0}  # per vacant row and month; default below
MONTHLY_SALARY = {
    "관리직": 3_650_000,
    "사회복지직": 2_780_000,
    "상담직": 2_840_000,
    "돌봄직": 2_362_000,
    "조리직": 2_214_000,
    "기타": 2_450_000,
}


def _largest_remainder(total: int, weights: Mapping[str, float]) -> dict[str, int]:
    wsum = sum(weights.values())
    raw = {k: total * w / wsum for k, w in weights.items()}
    out = {k: math.floor(v) for k, v in raw.items()}
    left = total - sum(out.values())
    for k in sorted(raw, key=lambda k: (-(raw[k] - out[k]), list(weights).index(k)))[:left]:
        out[k] += 1
    return out


@dataclass
class FamilyState:
    name: str
    authorized: int
    current: int
    leave_ends: list[int] = field(default_factory=list)  # month after which each person on leave returns
    hired: list[int] = field(default_factory=list)  # months of recent hires (수습 3개월)


def initial_families(f: Facility) -> list[FamilyState]:
    """Job families with 정원 and 현원 summing to the facility's registry figures (the plan's table)."""
    weights = TYPE_FAMILIES.get(f.type, DEFAULT_FAMILIES)
    authorized = {"관리직": min(1, f.headcount_authorized)}
    authorized.update(_largest_remainder(max(f.headcount_authorized - 1, 0), weights))
    current = dict(authorized)
    missing = f.headcount_authorized - f.headcount_current
    for family, n in VACANCIES.get(f.code, {}).items():
        take = min(n, current.get(family, 0), max(missing, 0))
        current[family] -= take
        missing -= take
    while missing > 0:
        fewer = max((k for k in current if k != "관리직" and current[k] > 0), key=lambda k: current[k], default=None)
        if fewer is None:
            break
        current[fewer] -= 1
        missing -= 1
    while missing < 0:  # more staff than posts: extra in the largest family
        family = max(current, key=lambda k: current[k])
        current[family] += 1
        missing += 1
    return [
        FamilyState(name, authorized[name], current[name])
        for name in DEFAULT_JOB_FAMILIES
        if authorized.get(name, 0) > 0
    ]


@dataclass
class StaffingPlan:
    """Month-by-month rows of one facility (field name → value), plus explanations of continuity warnings."""

    rows: list[dict[str, Any]]
    explanations: dict[str, str]
    families: list[str]  # row order


class StaffingSim:
    """The people of one facility through the year: hires, leavers, leave, probation."""

    def __init__(self, f: Facility, rng: random.Random) -> None:
        self.f = f
        self.rng = rng
        self.families = initial_families(f)
        self.hire_p = HIRE_PROBABILITY.get(f.code, 0.3)
        self.outsourced_cook = f.type == "학대피해노인 쉼터"  # 조리 via a contractor: not 직접고용

    def by_name(self, name: str) -> FamilyState:
        return next(x for x in self.families if x.name == name)

    def current_total(self) -> int:
        return sum(x.current for x in self.families)

    def authorized_total(self) -> int:
        return sum(x.authorized for x in self.families)

    def month(self, m: int) -> StaffingPlan:
        """Advance to month ``m`` (called for 1, 2, 3 ... in order) and return its form rows."""
        hires = {x.name: 0 for x in self.families}
        leavers = {x.name: 0 for x in self.families}
        explanations: dict[str, str] = {}
        if m == 1:
            move = FEBRUARY_MOVES.get(self.f.code)
            if move:  # January: the state before February's movement
                fam, h, lv = move
                self.by_name(fam).current += lv - h
        elif m == 2:
            move = FEBRUARY_MOVES.get(self.f.code)
            if move:
                fam, h, lv = move
                self.by_name(fam).current += h - lv
                hires[fam], leavers[fam] = h, lv
                if h:
                    self.by_name(fam).hired.append(m)
        else:
            self._drift(m, hires, leavers)
            if (self.f.code, m) == FAMILY_CHANGE[:2]:
                _, _, old, new = FAMILY_CHANGE
                a, b = self.by_name(old), self.by_name(new)
                if a.current > 0:
                    a.current -= 1
                    a.authorized -= 1
                    b.current += 1
                    b.authorized += 1
                    text = f"직종 전환 1명({old}→{new}, {m}월 1일자 인사발령): 입·퇴사 없이 정원·현원 조정"
                    explanations[f"staffing.continuity@rows/{self._index(old)}/current"] = text
                    explanations[f"staffing.continuity@rows/{self._index(new)}/current"] = text
        for x in self.families:  # leave ends, probation ends
            x.leave_ends = [e for e in x.leave_ends if e >= m]
            x.hired = [h for h in x.hired if m - h < 3]
        rows = []
        for x in self.families:
            on_leave = min(len(x.leave_ends), x.current)
            rows.append(
                {
                    "job_family": x.name,
                    "authorized": x.authorized,
                    "current": x.current,
                    "hires": hires[x.name],
                    "leavers": leavers[x.name],
                    "on_leave": on_leave,
                    "probation": min(len(x.hired), x.current),
                    "substitute_days": sum(self.rng.randint(15, 21) for _ in range(on_leave)),
                    "side_job_reports": 1 if x.name == "관리직" and self.rng.random() < 0.15 else 0,
                    "direct_employment": x.current - (1 if self.outsourced_cook and x.name == "조리직" else 0),
                }
            )
        return StaffingPlan(rows, explanations, [x.name for x in self.families])

    def _index(self, name: str) -> int:
        return next(i for i, x in enumerate(self.families) if x.name == name)

    def _drift(self, m: int, hires: dict[str, int], leavers: dict[str, int]) -> None:
        planned = PLANNED_MOVES.get(self.f.code, {}).get(m)
        for x in self.families:
            if planned and planned[0] == x.name:
                h = min(planned[1], max(x.authorized - x.current, 0))
                lv = min(planned[2], x.current)
            else:
                h = 1 if x.current < x.authorized and x.name != "관리직" and self.rng.random() < self.hire_p else 0
                lv = 1 if x.current > 1 and self.rng.random() < 0.007 * x.current else 0
            x.current += h - lv
            hires[x.name], leavers[x.name] = h, lv
            if h:
                x.hired.append(m)
            # 육아휴직·병가: a person starts leave now and then and returns after a few months
            if x.current - len(x.leave_ends) > 1 and self.rng.random() < 0.012 * x.current:
                x.leave_ends.append(m + self.rng.randint(2, 9))


# -- budget ---------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Sources:
    national: int
    province: int
    city: int
    other: int

    @property
    def total(self) -> int:
        return self.national + self.province + self.city + self.other


def round_million(amount: int) -> int:
    """원 → 백만원, rounded half-up as the plan's summary tables print it."""
    return int((Decimal(amount) / MILLION).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def budget_sources(f: Facility, rng: random.Random) -> Sources:
    """The facility's 2026 budget in 원 per source: each source rounds to the plan's 백만원 figure and so does
    the total (the plan's own rows differ by 1 in two places: 하가 98 vs 45+23+29+2, 에코시티 121 vs 122)."""
    total_m, *parts = f.budget_mkrw
    names = ("national", "province", "city", "other")
    gap = (total_m - sum(parts)) * MILLION  # what the offsets must add up to, ± 450,000
    for _ in range(1000):
        offsets = {n: 0 for n in names}
        live = [n for n, p in zip(names, parts, strict=True) if p > 0]
        for n in live:
            offsets[n] = rng.randint(-45, 45) * 10_000
        if live:
            wanted = gap + rng.randint(-40, 40) * 10_000
            biggest = max(live, key=lambda n: parts[names.index(n)])
            offsets[biggest] += wanted - sum(offsets.values())
            if abs(offsets[biggest]) > 450_000:
                continue
        amounts = {n: max(p * MILLION + offsets[n], 0) for n, p in zip(names, parts, strict=True)}
        s = Sources(**amounts)
        if all(round_million(getattr(s, n)) == p for n, p in zip(names, parts, strict=True)) and (
            round_million(s.total) == total_m
        ):
            return s
    return Sources(*(p * MILLION for p in parts))  # unreachable with plan-like figures


# Programmes per type: (세목, quantity label, quantity, frequency, weight)
PROGRAMMES: dict[str, list[tuple[str, str, int, int, float]]] = {
    "노인보호전문기관": [
        ("학대 사례관리", "사례", 60, 12, 5),
        ("노인학대 예방교육·홍보", "회", 24, 1, 3),
        ("현장조사 출장", "건", 20, 12, 2),
    ],
    "학대피해노인 쉼터": [("입소자 생활지원", "명", 5, 12, 5), ("심리치료 프로그램", "회", 4, 12, 2)],
    "건강가정다문화가족": [
        ("가족교육·상담", "회", 10, 12, 4),
        ("다문화가족 한국어교육", "반", 4, 12, 3),
        ("아이돌봄 지원", "가정", 30, 12, 4),
    ],
    "다함께돌봄센터": [("아동 간식·급식", "명", 20, 12, 3), ("돌봄 프로그램", "회", 8, 12, 2)],
    "지역사회서비스지원단": [
        ("제공기관 컨설팅", "기관", 40, 1, 3),
        ("지역사회서비스 품질점검", "회", 2, 1, 2),
        ("신규사업 기획연구", "건", 2, 1, 2),
    ],
    "사회복지대체인력지원센터": [("대체인력 교육·간담회", "회", 4, 1, 1)],
    "장기요양요원지원센터": [("요양보호사 교육", "회", 12, 1, 3), ("심리상담·치유 프로그램", "회", 10, 1, 2)],
    "장애인종합지원센터": [
        ("장애인 개인별 지원계획", "명", 300, 1, 5),
        ("발달장애인 주간활동 연계", "명", 40, 12, 4),
        ("보조기기 지원", "건", 150, 1, 3),
    ],
    "청년미래센터": [
        ("가족돌봄청년 자기돌봄비", "명", 60, 12, 6),
        ("고립·은둔청년 회복 프로그램", "회", 30, 1, 3),
        ("사례관리", "사례", 120, 1, 2),
    ],
    "전북인돌봄센터": [("긴급돌봄 서비스", "건", 40, 12, 4), ("농촌 이동복지", "회", 24, 1, 2)],
}
DEFAULT_PROGRAMMES = [("기관 고유사업", "회", 12, 1, 1)]


@dataclass(frozen=True)
class LinePlan:
    """A 세출/세입 line as built, with how its money moves through the year."""

    line: budget.BudgetLine
    pattern: str  # payroll, head_allowance, holiday, accrual, flat, utility, programme, once, training,
    # insurance, reserve, refund, quarterly, monthly, semiannual
    family: str = ""  # payroll: the job family
    month: int = 0  # once: the month of the purchase
    unit: int = 0  # payroll/head_allowance: per person per month


@dataclass(frozen=True)
class BudgetDesign:
    sources: Sources
    lines: tuple[LinePlan, ...]

    @property
    def plan_lines(self) -> list[budget.BudgetLine]:
        return [p.line for p in self.lines]


def _calc(amount_target: float, qty: int, freq: int, step: int = 1_000) -> int:
    """Unit price rounded to ``step`` so that unit × qty × freq is close to the target."""
    return max(step, round(amount_target / (qty * freq) / step) * step)


def design_budget(
    f: Facility, families: Sequence[FamilyState], accounts: Sequence[BudgetAccount], rng: random.Random
) -> BudgetDesign:
    """본예산 2026: 세입 per source, 세출 under budget-accounts.csv with 산출내역 that recompute, balanced."""
    src = budget_sources(f, rng)
    total = src.total
    staff = sum(x.authorized for x in families) or 1
    features = f.features
    drafts: list[tuple[str, str, str, str, int, int, int, str, str, dict[str, Any]]] = []

    def add(
        gwan: str,
        hang: str,
        mok: str,
        semok: str,
        unit: int,
        qty: int,
        freq: int,
        note: str,
        pattern: str,
        **extra: Any,
    ) -> None:
        drafts.append((gwan, hang, mok, semok, unit, qty, freq, note, pattern, extra))

    # 인건비: scaled down when the posts would eat more than the budget allows
    ceiling = 0.95 if f.type == "사회복지대체인력지원센터" else 0.86
    jitter = 1 + rng.uniform(-0.03, 0.03)
    salary = {x.name: MONTHLY_SALARY[x.name] * jitter for x in families}
    base_month = sum(salary[x.name] * x.authorized for x in families)
    personnel = base_month * 12 + base_month / staff * 0.6 * staff * 2 + (110_000 + 140_000) * staff * 12
    personnel += base_month + base_month * 0.105 * 12
    scale = min(1.0, ceiling * total / personnel)
    for x in families:
        unit = _calc(salary[x.name] * scale, 1, 1)
        add("사무비", "인건비", "급여", x.name, unit, x.authorized, 12, f"{x.name} {x.authorized}명 × 12개월",
            "payroll", family=x.name)  # fmt: skip
    avg = base_month * scale / staff
    add("사무비", "인건비", "제수당", "명절휴가비", _calc(avg * 0.6, 1, 1), staff, 2, f"{staff}명 × 설·추석", "holiday")
    unit = _calc(110_000 * scale, 1, 1)
    add("사무비", "인건비", "제수당", "처우개선수당", unit, staff, 12, f"{staff}명 × 12개월", "head_allowance")
    unit = _calc(140_000 * scale, 1, 1)
    add("사무비", "인건비", "제수당", "급량비", unit, staff, 12, f"{staff}명 × 12개월", "head_allowance")
    add(
        "사무비",
        "인건비",
        "퇴직금 및 퇴직적립금",
        "",
        _calc(base_month * scale, 1, 12),
        1,
        12,
        "퇴직적립금 1식 × 12개월",
        "accrual",
    )
    add(
        "사무비",
        "인건비",
        "사회보험부담금",
        "",
        _calc(base_month * scale * 0.105, 1, 1),
        1,
        12,
        "4대보험 기관부담분 × 12개월",
        "accrual",
    )

    # 업무추진비·운영비: small shares of the budget
    residential = Feature.RESIDENTIAL_OR_CHILDCARE in features
    ops = [
        ("업무추진비", "기관운영비", 0.004, 1, 12, "기관 운영 1식 × 12개월", "flat"),
        ("업무추진비", "회의비", 0.003, 1, 12, "사례회의·운영위원회 × 12개월", "flat"),
        ("운영비", "여비", 0.008, staff, 12, f"관내·외 출장 {staff}명 × 12개월", "flat"),
        ("운영비", "수용비및수수료", 0.010, 1, 12, "사무용품·수수료 1식 × 12개월", "flat"),
        ("운영비", "공공요금", 0.025 if residential else 0.012, 1, 12, "전기·수도·통신 × 12개월", "utility"),
        ("운영비", "제세공과금", 0.003, 1, 1, "상해·배상책임보험 1식 × 1회", "insurance"),
        ("운영비", "기타운영비", 0.004, 1, 12, "기타 운영 1식 × 12개월", "flat"),
    ]
    if Feature.HOME_VISIT in features:
        ops.insert(6, ("운영비", "차량비", 0.008, 1, 12, "차량 유류·정비 × 12개월", "flat"))
    for hang, mok, share, qty, freq, note, pattern in ops:
        add(
            "사무비", hang, mok, "", _calc(total * share * rng.uniform(0.85, 1.15), qty, freq), qty, freq, note, pattern
        )
    add("재산조성비", "시설비", "자산취득비", "", _calc(total * 0.008, 1, 1), 1, 1, "업무용 PC·집기 1식", "once",
        month=rng.choice((4, 5, 6)))  # fmt: skip
    add(
        "사업비",
        "운영비",
        "교육비",
        "",
        _calc(total * 0.004, staff, 1),
        staff,
        1,
        f"직원 직무교육 {staff}명",
        "training",
    )

    interest = 0
    if src.other > 0:
        interest = min(src.other, rng.randint(5, 40) * 10_000)
        add("예비비 및 기타", "반환금", "예금이자", "", interest, 1, 1, "전년도 보조금 예금이자 반납", "refund")

    fixed = sum(d[4] * d[5] * d[6] for d in drafts)
    reserve_target = total * rng.uniform(0.002, 0.006)
    programmes = PROGRAMMES.get(f.type, DEFAULT_PROGRAMMES)
    room = total - fixed - reserve_target
    wsum = sum(p[4] for p in programmes)
    for semok, label, qty, freq, weight in programmes:
        unit = _calc(max(room, 0) * weight / wsum, qty, freq, step=1_000 if room > 5 * MILLION else 100)
        add("사업비", "운영비", "프로그램사업비", semok, unit, qty, freq, f"{label} {qty} × {freq}회", "programme")
    used = sum(d[4] * d[5] * d[6] for d in drafts)
    if used > total:  # trim the largest programme (or line) until a reserve fits
        i = max(range(len(drafts)), key=lambda k: drafts[k][4] * drafts[k][5] * drafts[k][6])
        g, h, mok, semok, unit, qty, freq, note, pattern, extra = drafts[i]
        cut = math.ceil((used - total + reserve_target) / (qty * freq))
        drafts[i] = (g, h, mok, semok, max(unit - cut, 1), qty, freq, note, pattern, extra)
        used = sum(d[4] * d[5] * d[6] for d in drafts)
    reserve = total - used
    add("예비비 및 기타", "예비비", "예비비", "", reserve, 1, 1, "예비비 1식", "reserve")

    # funding split of 세출: 기타 to the interest refund and programmes, 시군비 to salaries, 국비/도비 pro rata
    amounts = [d[4] * d[5] * d[6] for d in drafts]
    other = [0] * len(drafts)
    city = [0] * len(drafts)
    _greedy(other, amounts, src.other, [i for i, d in enumerate(drafts) if d[8] == "refund"]
            + [i for i, d in enumerate(drafts) if d[8] in ("programme", "flat", "utility", "reserve", "once")]
            + list(range(len(drafts))))  # fmt: skip
    _greedy(city, [a - o for a, o in zip(amounts, other, strict=True)], src.city,
            [i for i, d in enumerate(drafts) if d[8] == "payroll"] + list(range(len(drafts))))  # fmt: skip
    rest = [a - o - c for a, o, c in zip(amounts, other, city, strict=True)]
    np_total = src.national + src.province
    national = [r * src.national // np_total for r in rest]
    biggest = max(range(len(rest)), key=lambda i: rest[i])
    national[biggest] += src.national - sum(national)
    province = [r - n for r, n in zip(rest, national, strict=True)]

    plans: list[LinePlan] = []
    income = [
        ("보조금수입", "보조금수입", "국고보조금", Sources(src.national, 0, 0, 0), "quarterly"),
        ("보조금수입", "보조금수입", "시·도보조금", Sources(0, src.province, 0, 0), "quarterly"),
        ("보조금수입", "보조금수입", "시·군·구보조금", Sources(0, 0, src.city, 0), "monthly"),
    ]
    if src.other - interest > 0:
        names = (
            ("사업수입", "사업수입", "이용자부담금수입")
            if Feature.DIRECT_USERS in features
            else ("잡수입", "잡수입", "기타잡수입")
        )
        income.append((*names, Sources(0, 0, 0, src.other - interest), "monthly"))
    if interest:
        income.append(("잡수입", "잡수입", "예금이자수입", Sources(0, 0, 0, interest), "semiannual"))
    for gwan, hang, mok, s, pattern in income:
        if s.total:
            line = budget.BudgetLine(
                side=budget.INCOME, gwan=gwan, hang=hang, mok=mok, national=s.national, province=s.province,
                city=s.city, other=s.other, total=s.total,
            )  # fmt: skip
            plans.append(LinePlan(line, pattern))
    for i, (gwan, hang, mok, semok, unit, qty, freq, note, pattern, extra) in enumerate(drafts):
        line = budget.BudgetLine(
            side=budget.EXPENSE, gwan=gwan, hang=hang, mok=mok, semok=semok, national=national[i],
            province=province[i], city=city[i], other=other[i], total=amounts[i], calc_unit=unit, calc_qty=qty,
            calc_freq=freq, calc_note=note,
        )  # fmt: skip
        plans.append(LinePlan(line, pattern, family=extra.get("family", ""), month=extra.get("month", 0), unit=unit))
    order = {a.key: n for n, a in enumerate(accounts)}
    plans.sort(key=lambda p: order.get(p.line.account_key, len(order)))
    return BudgetDesign(src, tuple(plans))


def _greedy(out: list[int], room: list[int], amount: int, order: list[int]) -> None:
    left = amount
    for i in order:
        if left <= 0:
            break
        take = min(left, room[i] - out[i])
        if take > 0:
            out[i] += take
            left -= take


# -- monthly execution ------------------------------------------------------------------------------------------------
UTILITY_WEIGHTS = (1.45, 1.35, 1.05, 0.8, 0.7, 0.8, 1.1, 1.25, 0.9, 0.75, 0.85, 1.0)  # heating and cooling
PROGRAMME_WEIGHTS = (0.3, 0.55, 1.0, 1.15, 1.25, 1.15, 1.25, 1.05, 1.2, 1.3, 1.2, 1.6)
HOLIDAY_MONTHS = (2, 9)  # 설 2026-02-17, 추석 2026-09-25


@dataclass(frozen=True)
class Overspend:
    """A line that runs over budget, and the clerk's reason for it."""

    mok: str
    month: int  # first month of the extra spending
    kind: str  # "spike": one payment of ``factor`` × the annual budget; "rate": spending × ``factor`` from then on
    factor: float
    reason: str


OVERSPEND: dict[str, Overspend] = {
    "F11": Overspend(
        "수용비및수수료", 3, "spike", 1.05, "3월 사무실 이전에 따른 이전비·수수료 일시 지출 — 하반기 추경으로 증액 예정"
    ),
    "F14": Overspend("차량비", 5, "spike", 1.1, "5월 업무차량 엔진 수리(긴급) — 추경 반영 예정, 본부 사전 협의 완료"),
    "F02": Overspend("회의비", 1, "rate", 1.6, "사례회의·관계기관 협의 증가로 회의비 초과 — 추경 시 증액 요청"),
    "F03": Overspend(
        "공공요금", 10, "rate", 1.7, "한파로 난방비 급증(생활시설 24시간 운영) — 예비비 전용 승인 요청 중"
    ),
}
CAPPED = frozenset({"flat", "utility", "programme", "once", "training"})  # clerks keep these within budget


@dataclass
class ExecutionSim:
    """What each line spends or receives month by month; reasons for lines off plan."""

    f: Facility
    design: BudgetDesign
    rng: random.Random
    authorized_total: int
    cumulative: dict[str, int] = field(default_factory=dict)
    opening_balance: int = 0

    def __post_init__(self) -> None:
        self.opening_balance = int(self.design.sources.total * self.rng.uniform(0.03, 0.07)) // 10 * 10
        over = OVERSPEND.get(self.f.code)
        if over is None and self.f.code not in _REAL_CODES and self.rng.random() < 0.05:
            candidates = [p.line.mok for p in self.design.lines if p.pattern == "flat"]
            if candidates:
                month = self.rng.randint(3, 9)
                over = Overspend(
                    self.rng.choice(candidates),
                    month,
                    "spike",
                    1.05,
                    f"{month}월 사업 확대에 따른 초과 집행 — 추경 예정",
                )
        self.over = over

    def month(self, m: int, staff: dict[str, int], staff_total: int) -> dict[str, int]:
        """this_month per line key (원); ``staff``: 현원 per job family this month."""
        out: dict[str, int] = {}
        r = self.rng
        ratio = staff_total / max(self.authorized_total, 1)
        for p in self.design.lines:
            a = p.line.amount
            v: float  # the rounded patterns give floats; the line's amount is int(v) below
            if p.pattern == "payroll":
                v = p.unit * staff.get(p.family, 0)
            elif p.pattern == "head_allowance":
                v = p.unit * staff_total
            elif p.pattern == "holiday":
                v = round(a / 2 * ratio) if m in HOLIDAY_MONTHS else 0
            elif p.pattern == "accrual":
                v = round(a / 12 * ratio)
            elif p.pattern == "flat":
                v = round(a / 12 * r.uniform(0.7, 1.15), -1)
            elif p.pattern == "utility":
                v = round(a / 12 * UTILITY_WEIGHTS[m - 1] * r.uniform(0.88, 1.04), -1)
            elif p.pattern == "programme":
                v = round(a * PROGRAMME_WEIGHTS[m - 1] / sum(PROGRAMME_WEIGHTS) * r.uniform(0.85, 1.08), -1)
            elif p.pattern == "once":
                v = round(a * r.uniform(0.9, 1.0), -1) if m == p.month else 0
            elif p.pattern == "training":
                v = round(a / 4, -1) if m in (3, 6, 9, 11) else 0
            elif p.pattern == "insurance":
                v = round(a * 0.7) if m == 1 else (a - round(a * 0.7) if m == 7 else 0)
            elif p.pattern == "refund":
                v = a if m == 1 else 0
            elif p.pattern == "quarterly":
                v = a // 4 + (a % 4 if m == 10 else 0) if m in (1, 4, 7, 10) else 0
            elif p.pattern == "monthly":
                v = a // 12 + (a % 12 if m == 12 else 0)
            elif p.pattern == "semiannual":
                v = a // 2 + (a % 2 if m == 12 else 0) if m in (6, 12) else 0
            else:  # reserve: kept for emergencies
                v = 0
            before = self.cumulative.get(p.line.key, 0)
            over = self.over if self.over and p.line.mok == self.over.mok and p.line.side == budget.EXPENSE else None
            if over and m >= over.month:
                if over.kind == "spike" and m == over.month:
                    v += round(a * over.factor, -1)
                elif over.kind == "rate":
                    v = round(v * over.factor, -1)
            elif p.pattern in CAPPED:
                v = max(0, min(v, a - before))
            out[p.line.key] = int(v)
        return out

    def reason(self, p: LinePlan, row: budget.ExecutionRow) -> str:
        """A clerk's reason for a line over budget or off the straight-line plan."""
        if self.over and p.line.mok == self.over.mok and p.line.side == budget.EXPENSE:
            return self.over.reason
        ahead = row.amounts.deviation > 0
        if row.over_budget and p.pattern == "payroll":
            return f"직종 전환·충원으로 {p.family} 인건비가 예산을 넘음 — 같은 목 안에서 전용 예정"
        if row.over_budget:
            return "누계 집행액이 예산을 넘었습니다 — 추경으로 증액 예정"
        texts = {
            "payroll": "결원 채용 지연으로 인건비 집행이 계획보다 적음 (채용 공고 진행 중)",
            "head_allowance": "결원으로 수당 집행이 계획보다 적음",
            "holiday": "명절휴가비는 설(2월)·추석(9월) 두 번에 나누어 지급",
            "accrual": "결원으로 퇴직적립금·사회보험 부담이 계획보다 적음",
            "once": f"{p.month}월 업무용 PC·집기 일괄 구매(연 1회)",
            "training": "직무교육은 분기별로 모아서 집행",
            "insurance": "상해·배상책임보험료 연 1회 일괄 납부(1월), 잔액은 7월 갱신분",
            "refund": "전년도 보조금 예금이자 1월 일괄 반납",
            "reserve": "예비비: 긴급 수요에 대비하여 집행 계획 없음",
            "utility": "계절 요인(난방·냉방)으로 공공요금 변동",
            "programme": "상반기 프로그램 집중 운영" if ahead else "프로그램 하반기 집중 운영 예정 (연초 모집 기간)",
            "flat": "월별 수요에 따라 집행 시기 조정" if ahead else "집행 시기 조정 (하반기 집행 예정)",
        }
        return texts.get(p.pattern, "집행 계획 대비 차이: 집행 시기 조정")

    def advance(self, this_month: dict[str, int]) -> None:
        for key, v in this_month.items():
            self.cumulative[key] = self.cumulative.get(key, 0) + v

    def book_balance(self) -> int:
        income = sum(v for k, v in self.cumulative.items() if k.startswith(budget.INCOME))
        expense = sum(v for k, v in self.cumulative.items() if k.startswith(budget.EXPENSE))
        return self.opening_balance + income - expense


_REAL_CODES = frozenset(f"F{i:02d}" for i in range(1, 16))


def check_answers(
    checks: Sequence[Any], m: int, balance: int, rng: random.Random, *, difference: bool
) -> list[dict[str, Any]]:
    """The accounting check list (CheckAnswer as builtins, in the checks' order): mostly 적합, the bookkeeper's
    data sometimes late, the odd gap between bank and book balance."""
    out: list[dict[str, Any]] = []
    for c in checks:
        answer: dict[str, Any] = {"code": c.code, "status": "", "note": "", "bank_balance": None, "book_balance": None}
        if c.kind != "computed":
            status, note = "적합", ""
            if c.code == "AC-07" and rng.random() < 0.08:
                status, note = "부적합", f"기장업체 {m}월 자료 미수령 — 다음 달 점검 시 확인"
            elif c.code == "AC-06" and rng.random() < 0.05:
                status, note = "해당없음", "이번 달 우선구매 대상 구매 없음"
            answer.update(status=status, note=note)
            if c.kind == "status+amounts":
                answer["bank_balance"] = balance + (rng.randint(1, 9) * 1_000 if difference else 0)
                answer["book_balance"] = balance
        out.append(answer)
    return out


def quarterly_narrative(
    f: Facility, quarter: Period, budget_total: int, cumulative: int, staffing: StaffingPlan, hires: int,
    leavers: int, rng: random.Random,
) -> str:  # fmt: skip
    """분기 실적 내용: the quarter's execution and staffing (as the generated report shows them) and activities."""
    planned = quarter.last_month / 12
    rate = cumulative / budget_total if budget_total else None
    authorized = sum(r["authorized"] for r in staffing.rows)
    current = sum(r["current"] for r in staffing.rows)
    lines = [
        f"{quarter.label} 운영 실적",
        f"1. 예산 집행: 세출예산 {fmt_int(budget_total)}원 중 누계 {fmt_int(cumulative)}원 집행"
        f"(집행률 {fmt_percent(rate)}, 계획 {fmt_percent(planned)}).",
        f"2. 인력: 분기말 정원 {authorized}명, 현원 {current}명, 결원 {fmt_int(current - authorized, zero='없음')}; "
        f"분기 중 입사 {hires}명, 퇴사 {leavers}명.",
    ]
    template = ACHIEVEMENTS.get(f.type, "주요 사업 추진 {c}회, 상담·지원 {a}건")
    size = max(f.headcount_current, 1)
    activity = template.format(a=rng.randint(3, 9) * size, b=rng.randint(2, 6) * size, c=rng.randint(2, 8))
    lines.append(f"3. 주요 실적: {activity}.")
    if quarter.index == 4 or rng.random() < 0.4:
        lines.append("4. 향후 계획: 다음 분기 사업 계획에 따라 추진하고, 결원은 채용 절차를 진행합니다.")
    return "\n".join(lines)


# -- quarterly ------------------------------------------------------------------------------------------------------
ACHIEVEMENTS: dict[str, str] = {
    "노인보호전문기관": "학대 신고 접수·현장조사 {a}건, 사례관리 {b}건, 예방교육 {c}회",
    "학대피해노인 쉼터": "입소 보호 {a}명, 심리치료 프로그램 {c}회, 퇴소 후 사후관리 {b}건",
    "건강가정다문화가족": "가족상담 {a}건, 가족교육 {c}회, 한국어교육 수강 {b}명",
    "다함께돌봄센터": "돌봄 아동 일평균 {a}명, 프로그램 {c}회",
    "지역사회서비스지원단": "제공기관 컨설팅 {a}개소, 품질점검 {c}회, 신규사업 발굴 {b}건",
    "사회복지대체인력지원센터": "대체인력 파견 {a}건(누적 목표 2,160건 대비), 이용기관 {b}개소",
    "장기요양요원지원센터": "요양보호사 교육 {c}회({a}명), 심리상담 {b}건",
    "장애인종합지원센터": "개인별 지원계획 수립 {a}명, 주간활동 연계 {b}명, 보조기기 지원 {c}건",
    "청년미래센터": "가족돌봄청년 발굴 {a}명, 자기돌봄비 지원 {b}명, 회복 프로그램 {c}회",
    "전북인돌봄센터": "긴급돌봄 {a}건, 이동복지 {c}회, 안부확인 {b}건",
}


# -- scale runs ------------------------------------------------------------------------------------------------------
def synthetic_facilities(seeded: list[Facility], count: int, seed: int) -> list[Facility]:
    """Facilities F16, F17 ... modelled on the 15 real ones (type, size, budget, features), for scale runs."""
    if count <= 0:
        return []
    rng = random.Random(f"{seed}:registry")
    templates = sorted(seeded, key=lambda f: f.code)
    out: list[Facility] = []
    for k in range(count):
        t = rng.choice(templates)
        n = len(seeded) + k + 1
        scale = rng.uniform(0.9, 1.1)
        parts = [round(x * scale) for x in t.budget_mkrw[1:]]
        region = rng.choice(REGIONS)
        out.append(
            Facility(
                code=f"F{n:02d}",
                name=f"{region} {t.type} {n}호",
                type=t.type,
                group=t.group,
                account=t.account,
                operation=t.operation,
                headcount_authorized=t.headcount_authorized,
                headcount_current=t.headcount_current,
                budget_mkrw=(sum(parts), parts[0], parts[1], parts[2], parts[3]),
                features=t.features,
            )
        )
    return out
