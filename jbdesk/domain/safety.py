"""반기 안전 점검표: status, severity and corrective action per item; actions stay open until re-checked."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from fractions import Fraction

import msgspec

from jbdesk.domain.facilities import Feature
from jbdesk.domain.periods import Period, add_months
from jbdesk.domain.reference import SafetyItem, Target, TargetUnit
from jbdesk.domain.validation import Problem, ValidationResult, error, warning
from jbdesk.errors import InvalidInputError

# The plan criticises yes/no checklists: they hide how serious a risk is and nobody follows up (L8229-8232).
# So each item records a status (적합 / 부분적합 / 부적합 / 해당없음 / 확인불가), a severity (상 / 중 / 하) when
# not compliant, and a corrective action that is carried into the next half until it is 재점검확인
# (점검-조치-재점검-환류, L7797, L7827).

# -- vocabularies -----------------------------------------------------------------------------------------------------

COMPLIANT = "적합"
PARTIAL = "부분적합"
NONCOMPLIANT = "부적합"
NOT_APPLICABLE = "해당없음"
UNVERIFIABLE = "확인불가"  # needs an expert (small centres have no safety specialist, L4779)
STATUSES = (COMPLIANT, PARTIAL, NONCOMPLIANT, NOT_APPLICABLE, UNVERIFIABLE)
UNANSWERED = "미응답"  # key in SafetyScore.status_counts, never stored

HIGH, MEDIUM, LOW = "상", "중", "하"
SEVERITIES = (HIGH, MEDIUM, LOW)

NOT_STARTED = "미조치"
IN_PROGRESS = "조치중"
DONE = "조치완료"
VERIFIED = "재점검확인"
CARRIED_OVER = "이월"
ACTION_STATUSES = (NOT_STARTED, IN_PROGRESS, DONE, VERIFIED, CARRIED_OVER)
CLOSED_STATUSES = frozenset({DONE, VERIFIED})

# Allowed moves. A quick fix may jump 미조치 → 조치완료 (a cleared exit needs no 조치중 step); a failed
# re-check sends 조치완료 back to 조치중; 이월 resumes next half. 재점검확인 is final.
_NEXT: dict[str, tuple[str, ...]] = {
    NOT_STARTED: (IN_PROGRESS, DONE, CARRIED_OVER),
    IN_PROGRESS: (DONE, CARRIED_OVER),
    DONE: (VERIFIED, IN_PROGRESS),
    CARRIED_OVER: (IN_PROGRESS, DONE),
    VERIFIED: (),
}

# Roles a UI may offer for CorrectiveAction.owner: bundles carry no personal names.
OWNER_ROLES = ("시설장", "사무국장", "안전관리 담당자", "시설 담당자", "본부 시설운영팀")

# -- score definition -------------------------------------------------------------------------------------------------
# Score = 100 × Σ(weight × credit) ÷ Σ weight over the items that have a status other than 해당없음 (count-only and
# unanswered items are left out), rounded half-up to 1 decimal. Grade A ≥ 90, B ≥ 80, C ≥ 70, else D; any open
# 상 (a current finding or a carried action not yet 조치완료) caps A and B at C.
# Completion rate = actions closed (조치완료 / 재점검확인) with closed_on ≤ due ÷ every action on the checklist
# (raised this half + carried in); a carried action counts again in each half it is carried, until 재점검확인.

SEVERITY_WEIGHT = {HIGH: 3, MEDIUM: 2, LOW: 1}  # by the item's default_severity; an unknown one weighs as 중
CREDIT = {COMPLIANT: Fraction(1), PARTIAL: Fraction(1, 2), NONCOMPLIANT: Fraction(0), UNVERIFIABLE: Fraction(0)}
# 확인불가 earns nothing: an unverified hazard is not assured (notes §1.5 count it as an open finding).
GRADES = ((90, "A"), (80, "B"), (70, "C"))  # below 70: D
CAPPED_GRADE = "C"  # an open 상 action caps the grade here
SCORE_METHOD = (
    "안전점수 = 100 × Σ(가중치 × 인정률) ÷ Σ가중치, 가중치 상3·중2·하1(항목 기본 위험수준), "
    "인정률 적합1·부분적합0.5·부적합0·확인불가0, 해당없음·미응답 제외; 조치가 끝나지 않은 상 위험이 있으면 최고 C등급"
)
COMPLETION_INDICATOR = "safety_action_completion_rate"  # targets.csv: 90 PERCENT (L7823)

RATIO_COMPLIANT = Fraction(9, 10)  # 이수율 90% 이상 (L7821)
RECENT_MONTHS = 6  # a drill or disinfection older than half a year is 부적합 (notes §1.5)
DUE_DAYS = {HIGH: 7, MEDIUM: 30}  # 하: end of the next half
EXPIRY_CODES = frozenset({"SF-GOV-06"})  # items whose date is an expiry date, not the day something was done


# The ``response`` column of safety-items.csv says what an item asks for (see ``RESPONSES``):
#
# ============  ================  ============================================================
# response      status            asks for
# ============  ================  ============================================================
# status        typed             the status only
# status_na     typed             the status; 해당없음 is expected where the facility lacks the
#                                 feature (no gas, no kitchen ...), still with a reason
# status+file   typed             status + ``file_ref`` (document name or number as evidence);
#                                 a 적합 without evidence is a warning
# status+count  typed             status + ``count`` (e.g. staff able to use an extinguisher)
# status+date   typed             status + ``date`` (insurance expiry, risk-assessment date)
# count+status  typed             ``count`` first (incidents this half), then the status
# count         none (unscored)   ``count`` only (staff trained); recorded, not scored
# count_ratio   derived           ``count`` / ``total`` (trained / all staff): ≥ 90% 적합
#                                 (이수율 90%, L7821), > 0 부분적합, 0 부적합
# date          derived           ``date`` of the last event: within 6 months of ``checked_on``
#                                 적합, older 부적합
# date+count    derived           ``date`` as above + ``count`` (participants)
# computed      computed          nothing typed: from the carried actions (SF-GOV-08)
# ============  ================  ============================================================
#
# An unknown response value is treated as ``status`` so that a newer item list never breaks the form.
# For derived items a typed status overrides the derivation (해당없음, 확인불가, or 부적합 for "not done");
# a typed status that contradicts the numbers is a warning.


class StatusSource(StrEnum):
    TYPED = "typed"
    DERIVED = "derived"
    COMPUTED = "computed"
    NONE = "none"


@dataclass(frozen=True)
class ResponseSpec:
    """What one ``response`` value asks the clerk for."""

    source: StatusSource
    count: bool = False
    total: bool = False
    date: bool = False
    file: bool = False


RESPONSES: dict[str, ResponseSpec] = {
    "status": ResponseSpec(StatusSource.TYPED),
    "status_na": ResponseSpec(StatusSource.TYPED),
    "status+file": ResponseSpec(StatusSource.TYPED, file=True),
    "status+count": ResponseSpec(StatusSource.TYPED, count=True),
    "status+date": ResponseSpec(StatusSource.TYPED, date=True),
    "count+status": ResponseSpec(StatusSource.TYPED, count=True),
    "count": ResponseSpec(StatusSource.NONE, count=True),
    "count_ratio": ResponseSpec(StatusSource.DERIVED, count=True, total=True),
    "date": ResponseSpec(StatusSource.DERIVED, date=True),
    "date+count": ResponseSpec(StatusSource.DERIVED, date=True, count=True),
    "computed": ResponseSpec(StatusSource.COMPUTED),
}


def response_spec(response: str) -> ResponseSpec:
    return RESPONSES.get(response.strip(), RESPONSES["status"])


# -- plain-language guidance (what a clerk without a safety specialist should look at, L4779) ---------------------

GUIDANCE: dict[str, str] = {
    "SF-GOV-01": (
        "안전관리 담당자(정)와 대리자(부)가 문서로 지정되어 있고, 누구인지 사무실 등 잘 보이는 곳에 게시되어 있는지 "
        "확인하세요."
    ),
    "SF-GOV-02": (
        "올해 재난·안전관리 계획서가 결재를 마치고 사무실에 비치되어 있는지 확인하세요. 문서번호나 파일명을 근거란에 "
        "적으세요."
    ),
    "SF-GOV-03": (
        "올해 중대재해 예방 및 안전관리 계획서가 수립되어 있는지 확인하세요. 문서번호나 파일명을 근거란에 적으세요."
    ),
    "SF-GOV-04": "재난안전관리 매뉴얼이 시설에 있는지 확인하고, 직원 한두 명에게 매뉴얼이 어디 있는지 물어보세요.",
    "SF-GOV-05": (
        "비상연락망에 119, 본부, 시·군 담당부서, 가스·전기 업체, 건물주 연락처가 모두 있는지 보고, 바뀐 번호가 "
        "없는지 하나씩 대조하세요."
    ),
    "SF-GOV-06": (
        "안전관리(상해)보험 증권에서 직원·이용자·외부활동이 모두 보장되는지 확인하세요. 만료일을 날짜란에 입력하세요."
    ),
    "SF-GOV-07": (
        "시설 밖에 추가로 쓰는 장소가 있으면, 그 장소의 협약서와 장소 사용확인서가 보관되어 있는지 확인하세요."
    ),
    "SF-GOV-08": (
        "지난 반기에서 넘어온 개선조치의 상태로 자동 계산됩니다. 넘어온 조치의 상태를 갱신하고, 또 이월하려면 사유를 "
        "적으세요."
    ),
    "SF-EDU-01": (
        "이번 반기 산업안전보건교육 이수 명단으로 이수 인원을 세고 전체 직원 수와 함께 입력하세요. 90% 이상이면 "
        "적합으로 계산됩니다."
    ),
    "SF-EDU-02": "심폐소생술·응급처치 교육 이수증이 있는 직원 수를 세어 입력하세요.",
    "SF-EDU-03": (
        "근무조마다 소화기를 쓸 줄 아는 직원이 한 명 이상 있는지 근무표로 확인하고, 사용할 수 있는 직원 수를 "
        "입력하세요."
    ),
    "SF-EDU-04": (
        "가장 최근 대피·소방훈련 날짜와 참여 인원을 훈련 기록에서 찾아 입력하세요. 점검일 기준 6개월이 지났으면 "
        "부적합으로 계산됩니다."
    ),
    "SF-EDU-05": (
        "훈련 뒤 부족했던 점과 보완계획을 적은 기록(결과보고서 등)이 있는지 확인하고, 문서번호나 파일명을 적으세요."
    ),
    "SF-EDU-06": "이번 반기 본부 재난·안전관리 교육과 캠페인에 참여한 직원 수를 참석 명단에서 세어 입력하세요.",
    "SF-FIR-01": (
        "소화기가 있어야 할 곳마다 놓여 있는지, 물건에 가려지지 않았는지, 압력계 바늘이 녹색 칸에 있는지 하나씩 보세요."
    ),
    "SF-FIR-02": (
        "소화기 몸체의 제조연월을 보고 사용연한(분말소화기는 제조 후 10년)이 지나지 않았는지, 점검표가 붙어 있는지 "
        "확인하세요."
    ),
    "SF-FIR-03": "모든 방 천장에 연기·열 감지기가 있는지 보고, 시험 버튼이나 점검 기록으로 작동을 확인하세요.",
    "SF-FIR-04": "비상조명등과 유도등의 점검(시험) 버튼을 눌러 불이 켜지는지 확인하세요. 켜지지 않으면 부적합입니다.",
    "SF-FIR-05": (
        "비상구와 복도에 물건이 쌓여 있지 않은지 보고, 비상구 문이 안쪽에서 열쇠 없이 열리는지 직접 열어 보세요."
    ),
    "SF-FIR-06": (
        "난방기와 조리기구 주변에 종이·천 등 타기 쉬운 물건이 없는지, 실내에서 담배를 피운 흔적이 없는지 보세요."
    ),
    "SF-FIR-07": (
        "건물주나 소방시설 관리업체가 실시한 소방시설 법정점검 결과서 사본을 받아 두었는지 확인하고, 문서명을 "
        "근거란에 적으세요."
    ),
    "SF-EVA-01": "층과 방마다 피난 안내도가 붙어 있는지, 안내도의 방 배치와 출구가 지금 모습과 같은지 대조하세요.",
    "SF-EVA-02": (
        "휠체어나 거동이 불편한 이용자가 실제로 지나갈 수 있는 대피 경로가 있는지, 대피를 도울 직원이 정해져 있는지 "
        "확인하세요."
    ),
    "SF-EVA-03": "대피 후 모일 장소(집결지)가 정해져 있는지, 직원 몇 명에게 물어 모두 알고 있는지 확인하세요.",
    "SF-EVA-04": (
        "오늘 시설에 있는 이용자와 직원 명단(출석부)을 바로 꺼내 볼 수 있는지 확인하세요. 대피 후 인원 확인에 씁니다."
    ),
    "SF-ELE-01": "멀티탭에 다른 멀티탭을 이어 꽂거나, 한 멀티탭에 전열기를 여러 대 꽂아 쓰는 곳이 없는지 둘러보세요.",
    "SF-ELE-02": (
        "전선 피복이 벗겨졌거나 플러그·콘센트가 그을리거나 깨진 곳이 없는지, 물을 쓰는 곳 가까이에 콘센트가 없는지 "
        "보세요."
    ),
    "SF-ELE-03": (
        "분전반(두꺼비집) 문이 닫혀 있고 차단기마다 이름표가 있는지 보세요. 누전차단기 시험 버튼을 누르면 전기가 "
        "내려가야 하니, 컴퓨터 작업을 저장한 뒤 시험하세요."
    ),
    "SF-ELE-04": (
        "전기난로 등 전열기를 켜 둔 채 자리를 비우지 않는지, 퇴근할 때 전원을 끄는 사람이 정해져 있는지 확인하세요."
    ),
    "SF-GAS-01": (
        "가스누설경보기의 시험 버튼이나 점검 기록으로 경보와 자동차단장치가 작동하는지 확인하세요. 가스를 쓰지 "
        "않으면 해당없음과 사유를 적으세요."
    ),
    "SF-GAS-02": "가스 호스가 갈라지거나 꺾인 곳이 없는지, 쓰고 난 뒤 밸브를 잠그고 환기하는지 확인하세요.",
    "SF-BLD-01": "바닥이 미끄럽거나 걸려 넘어질 턱·전선이 없는지, 계단에 손잡이가 있는지 직접 걸어 다니며 확인하세요.",
    "SF-BLD-02": (
        "창문에 열림 제한장치나 안전 난간 같은 추락 방지 조치가 있는지, 키 큰 가구가 벽에 고정되어 있는지 확인하세요."
    ),
    "SF-BLD-03": "벽 균열, 천장 누수, 곰팡이 같은 건물 하자를 건물주에게 알린 기록(문자·공문 등)이 있는지 확인하세요.",
    "SF-HYG-01": (
        "이번 반기 전문업체가 방역소독한 날짜를 소독증명서에서 찾아 입력하고, 업체명은 비고란에 적으세요. 점검일 "
        "기준 6개월이 지났으면 부적합으로 계산됩니다."
    ),
    "SF-HYG-02": (
        "손소독제·마스크 등 감염 예방 물품이 충분한지, 감염병이 생겼을 때의 대응 절차가 게시되어 있는지 보세요."
    ),
    "SF-HYG-03": (
        "급식·조리를 하면 식재료 보관 온도, 조리도구 세척, 조리하는 사람의 위생 상태를 확인하세요. 급식을 하지 "
        "않으면 해당없음과 사유를 적으세요."
    ),
    "SF-EQP-01": "구급함을 열어 소독약·밴드·붕대 등이 갖추어져 있는지, 유효기간이 지난 것이 없는지 보세요.",
    "SF-EQP-02": (
        "본부가 보낸 안전물품이 상자에 담긴 채 보관되지 않고 실제로 설치·사용되는지 확인하고, 사용 중인 수량을 "
        "입력하세요."
    ),
    "SF-USR-01": (
        "낙상·응급상황 위험이 큰 이용자 명단과 개인별 유의사항(질환, 복용약, 보호자 연락처 등)이 최근 내용으로 "
        "고쳐져 있는지 확인하세요."
    ),
    "SF-USR-02": (
        "이번 반기 안전사고와 아차사고(다칠 뻔한 일) 건수를 기록 대장에서 세어 입력하고, 대장이 빠짐없이 작성되는지 "
        "보세요."
    ),
    "SF-USR-03": "프로그램이나 외부활동 전에 장소·이동수단·날씨 같은 위험요인을 점검한 기록이 있는지 확인하세요.",
    "SF-USR-04": (
        "이용자의 약을 보관하거나 먹이는 경우 잠금 보관, 이름 표시, 투약 기록이 되어 있는지 확인하세요. 의약품을 "
        "다루지 않으면 해당없음과 사유를 적으세요."
    ),
    "SF-WRK-01": (
        "올해 위험성 평가(유해·위험요인을 찾아 줄이는 일)를 실시했는지, 결과를 직원에게 알렸는지 확인하고 실시일을 "
        "입력하세요."
    ),
    "SF-WRK-02": (
        "가정·현장 방문 일정이 동료와 공유되는지, 방문 중 안부 확인 연락을 하는지, 위험도가 높은 방문은 두 명이 함께 "
        "가는지 확인하세요."
    ),
    "SF-WRK-03": (
        "이용자의 폭력·괴롭힘이나 갑질이 생겼을 때 누구에게 알리고 어떻게 보호받는지 정한 절차가 있고, 직원이 알고 "
        "있는지 확인하세요."
    ),
}


# -- payload ----------------------------------------------------------------------------------------------------------


class CorrectiveAction(msgspec.Struct, frozen=True, kw_only=True):
    finding: str = ""  # what was found
    plan: str = ""  # what will be done
    owner: str = ""  # a role such as 시설장, never a personal name: bundles carry no names
    due: str = ""  # ISO yyyy-mm-dd; default_due() proposes it from the severity
    status: str = NOT_STARTED  # 미조치 / 조치중 / 조치완료 / 재점검확인 / 이월
    carry_reason: str = ""  # required for 이월
    closed_on: str = ""  # ISO date the action reached 조치완료; decides "closed by the due date"


class SafetyAnswer(msgspec.Struct, frozen=True, kw_only=True):
    code: str = ""
    status: str = ""  # 적합 / 부분적합 / 부적합 / 해당없음 / 확인불가
    severity: str = ""  # 상 / 중 / 하, required for 부분적합 and 부적합
    na_reason: str = ""  # required for 해당없음
    count: int | None = None  # staff, participants, incidents ... (see RESPONSES)
    total: int | None = None  # denominator of a count_ratio item (all staff)
    date: str = ""  # ISO yyyy-mm-dd
    file_ref: str = ""  # document name or number kept as evidence
    note: str = ""
    action: CorrectiveAction | None = None


class CarriedAction(msgspec.Struct, frozen=True, kw_only=True):
    """An action raised in an earlier half and not yet 재점검확인; its due date stays the original one."""

    code: str = ""
    severity: str = ""
    raised_on: str = ""  # checked_on of the checklist that raised it
    action: CorrectiveAction = msgspec.field(default_factory=CorrectiveAction)


class SafetyData(msgspec.Struct, frozen=True, kw_only=True):
    checked_on: str = ""  # ISO date of the check: base of due dates and of "within 6 months"
    answers: list[SafetyAnswer] = []
    carried_actions: list[CarriedAction] = []
    explanations: dict[str, str] = {}


# -- helpers ----------------------------------------------------------------------------------------------------------

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_iso(text: str) -> date | None:
    """``yyyy-mm-dd`` -> date; anything else (including '') -> None."""
    if not _ISO.match(text.strip()):
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def _round(value: Fraction, places: int) -> float:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return float(exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def applicable_items(items: Iterable[SafetyItem], facility_features: frozenset[Feature]) -> tuple[SafetyItem, ...]:
    """Items that apply: ``all``, or an ``applies_to`` tag (``a|b`` for several) the facility has."""
    have = {str(f) for f in facility_features}
    out = []
    for item in items:
        tags = {t.strip() for t in item.applies_to.split("|")}
        if "all" in tags or tags & have:
            out.append(item)
    return tuple(out)


def default_due(severity: str, checked_on: date, half: Period) -> date:
    """상: 7 days after the check, 중: 30 days, 하: the last day of the next half."""
    if severity in DUE_DAYS:
        return checked_on + timedelta(days=DUE_DAYS[severity])
    if severity == LOW:
        return half.next().end
    raise InvalidInputError(f"위험수준이 올바르지 않습니다: '{severity}' (상/중/하)")


def next_statuses(status: str) -> tuple[str, ...]:
    """Statuses an action may move to from ``status`` (재점검확인 is final)."""
    if status not in _NEXT:
        raise InvalidInputError(f"조치 상태가 올바르지 않습니다: '{status}'")
    return _NEXT[status]


def is_open(action: CorrectiveAction) -> bool:
    return action.status not in CLOSED_STATUSES


def prefill_safety(
    items: Iterable[SafetyItem], features: frozenset[Feature], previous: SafetyData | None = None
) -> SafetyData:
    """Empty answers for the applicable items, plus every earlier action not yet 재점검확인."""
    catalogue = tuple(items)
    defaults = {i.code: i.default_severity for i in catalogue}
    answers = [SafetyAnswer(code=i.code) for i in applicable_items(catalogue, features)]
    carried: list[CarriedAction] = []
    if previous is not None:
        carried.extend(c for c in previous.carried_actions if c.action.status != VERIFIED)
        for a in previous.answers:
            if a.action is not None and a.action.status != VERIFIED:
                severity = a.severity or defaults.get(a.code, "")
                carried.append(
                    CarriedAction(code=a.code, severity=severity, raised_on=previous.checked_on, action=a.action)
                )
    return SafetyData(answers=answers, carried_actions=carried)


def _carried_status(carried: Sequence[CarriedAction]) -> str:
    """SF-GOV-08: were the previous actions closed or carried over with a reason?"""
    if not carried:
        return COMPLIANT
    resolved = sum(
        1
        for c in carried
        if c.action.status in CLOSED_STATUSES or (c.action.status == CARRIED_OVER and c.action.carry_reason.strip())
    )
    if resolved == len(carried):
        return COMPLIANT
    return PARTIAL if resolved else NONCOMPLIANT


def derived_status(item: SafetyItem, answer: SafetyAnswer, checked_on: date | None) -> str | None:
    """The status the numbers give for a derived item; None when the inputs are missing or invalid."""
    spec = response_spec(item.response)
    if spec.source is not StatusSource.DERIVED:
        return None
    if spec.total:
        if answer.count is None or answer.total is None or answer.total <= 0 or not 0 <= answer.count <= answer.total:
            return None
        ratio = Fraction(answer.count, answer.total)
        return COMPLIANT if ratio >= RATIO_COMPLIANT else PARTIAL if answer.count > 0 else NONCOMPLIANT
    day = parse_iso(answer.date)
    if day is None or checked_on is None or day > checked_on:
        return None
    return COMPLIANT if day >= add_months(checked_on, -RECENT_MONTHS) else NONCOMPLIANT


def effective_status(item: SafetyItem, answer: SafetyAnswer, data: SafetyData) -> str | None:
    """The status used by rules and score: '' when unanswered, None for unscored (count-only) items."""
    spec = response_spec(item.response)
    if spec.source is StatusSource.NONE:
        return None
    if spec.source is StatusSource.COMPUTED:
        return _carried_status(data.carried_actions)
    if answer.status in STATUSES:
        return answer.status
    if spec.source is StatusSource.DERIVED:
        return derived_status(item, answer, parse_iso(data.checked_on)) or ""
    return ""


# -- validation -------------------------------------------------------------------------------------------------------


def _check_action(action: CorrectiveAction, path: str) -> Iterator[Problem]:
    for name, label in (("finding", "지적 내용"), ("plan", "조치 계획"), ("owner", "담당(직위)")):
        if not getattr(action, name).strip():
            yield error("safety.action_field_required", f"{label}을(를) 입력하세요.", f"{path}/{name}")
    if not action.due.strip():
        yield error("safety.action_field_required", "조치 기한을 입력하세요.", f"{path}/due")
    elif parse_iso(action.due) is None:
        yield error("safety.date_format", "날짜는 yyyy-mm-dd 형식으로 입력하세요.", f"{path}/due")
    if action.status not in ACTION_STATUSES:
        yield error("safety.invalid_value", f"조치 상태가 올바르지 않습니다: '{action.status}'", f"{path}/status")
    if action.status == CARRIED_OVER and not action.carry_reason.strip():
        yield error("safety.carry_reason_required", "이월하려면 사유를 입력하세요.", f"{path}/carry_reason")
    if action.status in CLOSED_STATUSES and parse_iso(action.closed_on) is None:
        yield error("safety.closed_on_required", "조치완료일을 yyyy-mm-dd로 입력하세요.", f"{path}/closed_on")


def _check_inputs(item: SafetyItem, a: SafetyAnswer, status: str, checked_on: date | None, p: str) -> Iterator[Problem]:
    spec = response_spec(item.response)
    for name in ("count", "total"):
        value = getattr(a, name)
        if value is not None and value < 0:
            yield error("safety.count_negative", "0 이상의 수를 입력하세요.", f"{p}/{name}")
    if spec.total and a.total == 0:
        yield error("safety.ratio", "전체 인원은 1 이상이어야 합니다.", f"{p}/total")
    if spec.total and a.count is not None and a.total is not None and a.count > a.total > 0:
        yield error("safety.ratio", f"인원({a.count})이 전체 인원({a.total})보다 많습니다.", f"{p}/count")
    day = parse_iso(a.date)
    if a.date.strip() and day is None:
        yield error("safety.date_format", "날짜는 yyyy-mm-dd 형식으로 입력하세요.", f"{p}/date")
    elif day is not None and checked_on is not None:
        if item.code in EXPIRY_CODES:
            if day < checked_on and status == COMPLIANT:
                yield warning("safety.expired", "만료일이 점검일보다 이릅니다. 갱신 여부를 확인하세요.", f"{p}/date")
        elif day > checked_on:
            yield error("safety.future_date", "점검일보다 늦은 날짜입니다.", f"{p}/date")

    # Inputs an answer must carry. A typed 해당없음/확인불가 (or any typed status on a derived item) frees them.
    exempt = status in (NOT_APPLICABLE, UNVERIFIABLE) or (spec.source is StatusSource.DERIVED and a.status != "")
    if spec.source is StatusSource.TYPED and not status:
        yield error("safety.status_required", "상태를 선택하세요.", f"{p}/status")
    if exempt or (spec.source is StatusSource.TYPED and not status):
        return
    if spec.count and a.count is None:
        yield error("safety.count_required", "수(인원·건수)를 입력하세요.", f"{p}/count")
    if spec.total and a.total is None:
        yield error("safety.count_required", "전체 인원을 입력하세요.", f"{p}/total")
    if spec.date and not a.date.strip():
        yield error(
            "safety.date_required", "날짜를 입력하세요. 실시하지 않았으면 상태를 부적합으로 고르세요.", f"{p}/date"
        )
    if spec.source is StatusSource.NONE and a.count == 0:
        yield warning("safety.zero_count", "0으로 입력되었습니다. 맞는지 확인하고 사유를 적으세요.", f"{p}/count")


def _check_answer(item: SafetyItem, a: SafetyAnswer, data: SafetyData, p: str) -> Iterator[Problem]:
    spec = response_spec(item.response)
    checked_on = parse_iso(data.checked_on)
    if a.status and a.status not in STATUSES:
        yield error("safety.invalid_value", f"상태가 올바르지 않습니다: '{a.status}'", f"{p}/status")
    if a.severity and a.severity not in SEVERITIES:
        yield error("safety.invalid_value", f"위험수준이 올바르지 않습니다: '{a.severity}'", f"{p}/severity")
    status = effective_status(item, a, data) or ""
    yield from _check_inputs(item, a, status, checked_on, p)

    derived = derived_status(item, a, checked_on)
    if derived and a.status in (COMPLIANT, PARTIAL, NONCOMPLIANT) and a.status != derived:
        yield warning(
            "safety.derived_mismatch", f"입력한 수치로는 '{derived}'입니다. 상태를 확인하세요.", f"{p}/status"
        )
    if spec.file and status == COMPLIANT and not a.file_ref.strip():
        yield warning("safety.evidence_missing", "근거 문서(문서번호·파일명)를 적으세요.", f"{p}/file_ref")
    if status == NOT_APPLICABLE and not a.na_reason.strip():
        yield error("safety.na_reason_required", "해당없음의 사유를 입력하세요.", f"{p}/na_reason")
    if status == UNVERIFIABLE:
        yield warning("safety.expert_needed", "전문가(업체) 점검 일정을 잡고 비고에 적으세요.", f"{p}/status")
    if status in (PARTIAL, NONCOMPLIANT) and spec.source is not StatusSource.COMPUTED:
        # SF-GOV-08 is excluded: its actions already exist as the carried actions.
        if a.severity not in SEVERITIES:
            yield error("safety.severity_required", "위험수준(상/중/하)을 선택하세요.", f"{p}/severity")
        elif item.default_severity in SEVERITIES and SEVERITIES.index(a.severity) > SEVERITIES.index(
            item.default_severity
        ):
            yield warning(
                "safety.severity_lowered",
                f"이 항목의 기본 위험수준은 {item.default_severity}입니다. 낮춘 이유를 적으세요.",
                f"{p}/severity",
            )
        if a.action is None:
            yield error("safety.action_required", "개선조치(내용·계획·담당·기한)를 입력하세요.", f"{p}/action")
    if a.action is not None:
        yield from _check_action(a.action, f"{p}/action")


def validate_safety(data: SafetyData, items: Sequence[SafetyItem]) -> ValidationResult:
    """Check a checklist against the facility's applicable ``items`` (from ``applicable_items``)."""
    problems: list[Problem] = []
    if parse_iso(data.checked_on) is None:
        problems.append(error("safety.checked_on_required", "점검일을 yyyy-mm-dd로 입력하세요.", "checked_on"))
    by_code = {i.code: i for i in items}
    seen: set[str] = set()
    for i, a in enumerate(data.answers):
        p = f"answers/{i}"
        item = by_code.get(a.code)
        if item is None:
            problems.append(error("safety.unknown_item", f"이 시설의 점검 항목이 아닙니다: '{a.code}'", f"{p}/code"))
            continue
        if a.code in seen:
            problems.append(error("safety.duplicate_item", f"같은 항목이 두 번 있습니다: {a.code}", f"{p}/code"))
            continue
        seen.add(a.code)
        problems.extend(_check_answer(item, a, data, p))
    for item in items:
        if item.code not in seen:
            problems.append(error("safety.missing_answer", f"{item.code} 항목의 응답이 없습니다.", "answers"))
    for j, c in enumerate(data.carried_actions):
        p = f"carried_actions/{j}"
        if c.severity not in SEVERITIES:
            problems.append(error("safety.invalid_value", "위험수준(상/중/하)이 필요합니다.", f"{p}/severity"))
        problems.extend(_check_action(c.action, f"{p}/action"))
    return ValidationResult.of(problems)


# -- computation ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OpenAction:
    """One action not yet 조치완료/재점검확인, as listed on the report."""

    field: str  # payload path of the action, e.g. answers/3/action or carried_actions/0/action
    code: str
    severity: str
    finding: str
    owner: str
    due: str
    status: str
    carried: bool
    overdue: bool


@dataclass(frozen=True)
class SafetyScore:
    score: float | None  # 0-100, 1 decimal (SCORE_METHOD); None when nothing is scored
    grade: str | None  # A-D; None without a score
    grade_capped: bool  # True when an open 상 lowered an A or B to C
    open_high: bool  # any open 상: current finding without a closed action, or carried action
    scored_items: int
    status_counts: dict[str, int]  # every status plus 미응답 (count-only items are not counted)
    actions_raised: int  # actions on this checklist: raised this half + carried in
    actions_closed_on_time: int  # 조치완료/재점검확인 with closed_on ≤ due
    completion_rate: float | None  # fraction 0-1, 3 decimals; None when no action was raised
    target: Target | None
    target_met: bool | None  # completion_rate × 100 ≥ target (PERCENT targets only)
    open_actions: tuple[OpenAction, ...]  # by severity 상→하, then due date
    overdue_actions: tuple[OpenAction, ...]  # open with due < today
    method: str = SCORE_METHOD


def _grade(score: float) -> str:
    return next((g for floor, g in GRADES if score >= floor), "D")


def compute_safety(
    data: SafetyData, items: Sequence[SafetyItem], today: date, target: Target | None = None
) -> SafetyScore:
    """Score, grade, status counts and corrective-action figures of one checklist (``items``: applicable ones)."""
    answers: dict[str, SafetyAnswer] = {}
    for a in data.answers:
        answers.setdefault(a.code, a)
    counts = dict.fromkeys((*STATUSES, UNANSWERED), 0)
    earned, weight_total, scored, open_high = Fraction(0), 0, 0, False
    for item in items:
        answer = answers.get(item.code, SafetyAnswer(code=item.code))
        status = effective_status(item, answer, data)
        if status is None:
            continue
        counts[status or UNANSWERED] += 1
        if status in CREDIT:
            weight = SEVERITY_WEIGHT.get(item.default_severity, SEVERITY_WEIGHT[MEDIUM])
            earned += weight * CREDIT[status]
            weight_total += weight
            scored += 1
        # A 상 finding without an action (invalid, but possible in a draft) is as open as one with an open action.
        if status in (PARTIAL, NONCOMPLIANT) and answer.severity == HIGH and answer.action is None:
            open_high = True

    entries, on_time, opened = _action_figures(data, items, today)
    open_high = open_high or any(o.severity == HIGH for o in opened)

    score = _round(earned / weight_total * 100, 1) if weight_total else None
    grade = _grade(score) if score is not None else None
    capped = open_high and grade in ("A", "B")
    rate = _round(Fraction(on_time, entries), 3) if entries else None
    met = None
    if target is not None and rate is not None and target.unit is TargetUnit.PERCENT:
        # Compared as printed (0.1% steps) so that a report never shows "90.0% 미달".
        met = Decimal(str(rate)) * 100 >= Decimal(str(target.value))
    return SafetyScore(
        score=score,
        grade=CAPPED_GRADE if capped else grade,
        grade_capped=capped,
        open_high=open_high,
        scored_items=scored,
        status_counts=counts,
        actions_raised=entries,
        actions_closed_on_time=on_time,
        completion_rate=rate,
        target=target,
        target_met=met,
        open_actions=tuple(opened),
        overdue_actions=tuple(o for o in opened if o.overdue),
    )


def _action_figures(data: SafetyData, items: Sequence[SafetyItem], today: date) -> tuple[int, int, list[OpenAction]]:
    """Corrective actions of the checklist and those carried over: how many, how many closed on time, the open
    ones (most severe first)."""
    defaults = {i.code: i.default_severity for i in items}
    entries = [
        (f"answers/{i}/action", a.code, a.severity or defaults.get(a.code, ""), a.action, False)
        for i, a in enumerate(data.answers)
        if a.action is not None
    ] + [
        (f"carried_actions/{j}/action", c.code, c.severity, c.action, True) for j, c in enumerate(data.carried_actions)
    ]
    opened: list[OpenAction] = []
    on_time = 0
    for path, code, severity, action, carried in entries:
        due, closed = parse_iso(action.due), parse_iso(action.closed_on)
        if not is_open(action):
            on_time += int(due is not None and closed is not None and closed <= due)
            continue
        overdue = due is not None and due < today
        opened.append(
            OpenAction(path, code, severity, action.finding, action.owner, action.due, action.status, carried, overdue)
        )
    rank = {s: n for n, s in enumerate(SEVERITIES)}
    opened.sort(key=lambda o: (rank.get(o.severity, len(SEVERITIES)), parse_iso(o.due) or date.max, o.code))
    return len(entries), on_time, opened


# -- entry --------------------------------------------------------------------------------------------------------------
ALWAYS_EDITABLE = frozenset({"note"})  # on every checklist row, whatever its response


def date_path(path: str) -> bool:
    """Whether a field of the form holds a date (what the clerk types there is read as one)."""
    return path == "checked_on" or path.rsplit("/", 1)[-1] in ("date", "due", "closed_on")


def row_inputs(spec: ResponseSpec) -> frozenset[str]:
    """The fields of a checklist row the clerk fills in, for an item with this response."""
    keys = set(ALWAYS_EDITABLE)
    if spec.source in (StatusSource.TYPED, StatusSource.DERIVED):
        keys |= {"status", "severity", "na_reason"}
    for name, key in (("count", "count"), ("total", "total"), ("date", "date"), ("file", "file_ref")):
        if getattr(spec, name):
            keys.add(key)
    return frozenset(keys)
