"""Demo safety inspections: the items that tend to fail, what clerks write about them, counts and dates."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from jbdesk.domain import safety
from jbdesk.domain.facilities import Facility
from jbdesk.domain.periods import Period
from jbdesk.domain.reference import SafetyItem

# -- safety -----------------------------------------------------------------------------------------------------------
# Items that tend to fail, with what the clerk writes: (finding, plan, owner)
FINDINGS: dict[str, tuple[str, str, str]] = {
    "SF-FIR-05": ("비상구 앞 복도에 물품 적치", "적치물 즉시 이동, 비상구 앞 적치 금지 표지 부착", "시설장"),
    "SF-FIR-04": ("2층 유도등 1개 점등 불량", "유도등 배터리·램프 교체", "안전관리 담당자"),
    "SF-FIR-02": (
        "소화기 2개 점검표 미부착(사용연한 확인 필요)",
        "소화기 점검표 부착, 연한 경과분 교체",
        "안전관리 담당자",
    ),
    "SF-ELE-01": ("사무실 멀티탭 문어발식 사용 2곳", "멀티탭 교체·분산 배선", "시설 담당자"),
    "SF-ELE-03": (
        "분전반 차단기 이름표 없음, 누전차단기 시험 미실시",
        "이름표 부착, 월 1회 시험 버튼 점검",
        "안전관리 담당자",
    ),
    "SF-GOV-02": ("올해 재난·안전관리 계획 결재 전", "3월 중 계획 수립·결재 후 비치", "사무국장"),
    "SF-GOV-05": ("비상연락망에 바뀐 건물관리 연락처 미반영", "비상연락망 갱신 후 재게시", "안전관리 담당자"),
    "SF-EVA-01": ("피난 안내도가 사무실 배치 변경 전 도면", "현재 배치로 피난 안내도 재작성·게시", "시설 담당자"),
    "SF-BLD-01": ("출입구 계단 미끄럼방지 테이프 마모", "미끄럼방지 테이프 재시공", "시설 담당자"),
    "SF-BLD-03": ("천장 누수 흔적, 건물주 통보 기록 없음", "건물주에게 문서로 통보하고 보수 일정 협의", "시설장"),
    "SF-EQP-01": ("구급함 소독약 유효기간 경과", "구급함 물품 교체 및 분기별 점검표 부착", "시설 담당자"),
    "SF-HYG-02": ("감염병 대응 절차 게시물 없음", "대응 절차 게시, 손소독제 비치 확대", "시설 담당자"),
    "SF-WRK-01": ("올해 위험성 평가 미실시", "상반기 중 위험성 평가 실시 후 직원 공유", "사무국장"),
    "SF-USR-01": ("고위험 이용자 명단 갱신 누락 2명", "명단 갱신, 분기별 갱신 일정 수립", "시설 담당자"),
    "SF-GAS-02": ("가스 호스 일부 경화·균열", "가스 호스 교체(가스업체)", "시설장"),
    "SF-HYG-03": ("조리실 냉장고 온도 기록 누락", "온도 기록지 비치, 매일 기록", "시설 담당자"),
    "SF-WRK-02": (
        "재가 방문 일정 공유 체계 미흡",
        "방문 일정 공유 메신저방 운영, 고위험 2인 방문 원칙 수립",
        "사무국장",
    ),
}
FILES = {
    "SF-GOV-02": "재난·안전관리 계획(2026-안전-{n:02d}호)",
    "SF-GOV-03": "중대재해 예방 및 안전관리 계획(2026-안전-{n:02d}호)",
    "SF-EDU-05": "소방훈련 결과보고(2026-{n:02d})",
    "SF-FIR-07": "소방시설 작동점검 결과서(건물관리사무소)",
}


@dataclass(frozen=True)
class SafetyEntry:
    checked_on: date
    answers: dict[str, dict[str, Any]]  # code -> SafetyAnswer as builtins
    carried: list[dict[str, Any]]  # CorrectiveAction updates for the carried actions, in order


def _due(severity: str, checked_on: date, half: Period) -> date:
    return safety.default_due(severity, checked_on, half)


def safety_entry(
    f: Facility,
    items: Sequence[SafetyItem],
    half: Period,
    checked_on: date,
    export_on: date,
    staff: int,
    carried: Sequence[Any],
    rng: random.Random,
) -> SafetyEntry:
    """Answers for the applicable items: 10-15% findings (some 상), actions raised with their state on the
    export day; carried actions from the last half re-checked, closed late, or carried over again."""
    share = 0.14 if half.index == 1 else 0.09
    findable = [i for i in items if i.code in FINDINGS]
    n_findings = max(1, round(len(items) * share * rng.uniform(0.6, 1.4)))
    found = set(rng.sample([i.code for i in findable], min(n_findings, len(findable))))
    answers: dict[str, dict[str, Any]] = {}
    doc_no = rng.randint(1, 9)
    for item in items:
        spec = safety.response_spec(item.response)
        a: dict[str, Any] = {"code": item.code}
        if spec.source is safety.StatusSource.TYPED:
            a["status"] = safety.COMPLIANT
        if spec.count:
            a["count"] = _count_for(item, staff, rng)
        if spec.total:
            a["total"] = staff
        if spec.date:
            a["date"] = _date_for(item, checked_on, rng).isoformat()
        if spec.file:
            a["file_ref"] = FILES.get(item.code, "관련 문서 비치").format(n=doc_no)
        if item.code in found and spec.source is safety.StatusSource.TYPED:
            severity = item.default_severity if item.default_severity in safety.SEVERITIES else safety.MEDIUM
            status = safety.NONCOMPLIANT if severity == safety.HIGH or rng.random() < 0.4 else safety.PARTIAL
            finding, plan, owner = FINDINGS[item.code]
            due = _due(severity, checked_on, half)
            if severity == safety.HIGH:
                closed = checked_on + timedelta(days=rng.randint(1, 6))
                act_status = safety.DONE if closed <= export_on and rng.random() < 0.85 else safety.IN_PROGRESS
            elif severity == safety.MEDIUM:
                closed = checked_on + timedelta(days=rng.randint(3, 25))
                act_status = safety.DONE if closed <= export_on else safety.IN_PROGRESS
            else:
                closed = checked_on
                act_status = safety.NOT_STARTED if rng.random() < 0.6 else safety.IN_PROGRESS
            a.update(status=status, severity=severity)
            a["action"] = {
                "finding": finding, "plan": plan, "owner": owner, "due": due.isoformat(), "status": act_status,
                "carry_reason": "", "closed_on": closed.isoformat() if act_status == safety.DONE else "",
            }  # fmt: skip
        derived = safety.derived_status(item, safety.SafetyAnswer(**a), checked_on)
        if derived in (safety.PARTIAL, safety.NONCOMPLIANT):  # e.g. training below 90%: a finding too
            severity = item.default_severity if item.default_severity in safety.SEVERITIES else safety.MEDIUM
            a["severity"] = severity
            a["action"] = {
                "finding": f"{item.question[:40]} — 기준 미달", "plan": "다음 교육·훈련 일정에 미이수자 참여",
                "owner": "사무국장", "due": _due(severity, checked_on, half).isoformat(),
                "status": safety.IN_PROGRESS, "carry_reason": "", "closed_on": "",
            }  # fmt: skip
        answers[item.code] = a
    updates = []
    for c in carried:
        act = _builtins(c.action)
        raised = safety.parse_iso(c.raised_on) or checked_on - timedelta(days=180)
        due = safety.parse_iso(act["due"]) or checked_on
        if act["status"] == safety.DONE:
            act["status"] = safety.VERIFIED  # re-checked on site this half
        elif c.severity == safety.HIGH or rng.random() < 0.7:
            closed = min(export_on, max(due + timedelta(days=rng.randint(-10, 20)), raised + timedelta(days=1)))
            act["status"] = safety.DONE
            act["closed_on"] = closed.isoformat()
        else:
            act["status"] = safety.CARRIED_OVER
            act["carry_reason"] = (
                "건물주 보수 일정 미정 — 내년 상반기 재점검 시 확인"
                if "건물주" in act["plan"]
                else "예산 부족으로 내년 본예산에 반영 후 조치"
            )
        updates.append(act)
    return SafetyEntry(checked_on, answers, updates)


def _builtins(struct: Any) -> dict[str, Any]:
    import msgspec

    out: dict[str, Any] = msgspec.to_builtins(struct)
    return out


def _count_for(item: SafetyItem, staff: int, rng: random.Random) -> int:
    if item.code == "SF-EDU-01":  # trained / all staff: 90%+ almost everywhere
        return staff if rng.random() < 0.8 else max(staff - 1, 1)
    if item.code == "SF-USR-02":  # incidents and near-misses this half
        return rng.choice((0, 0, 1, 1, 2, 3))
    if item.code == "SF-EDU-04":  # drill participants
        return max(1, staff - rng.randint(0, max(staff // 4, 0)))
    if item.code == "SF-EQP-02":
        return rng.randint(2, 8)
    return max(1, min(staff, rng.randint(1, max(staff, 1))))


def _date_for(item: SafetyItem, checked_on: date, rng: random.Random) -> date:
    if item.code in safety.EXPIRY_CODES:  # insurance expiry: later this year or next
        return date(checked_on.year + (1 if checked_on.month > 6 else 0), rng.choice((3, 6, 12)), 28)
    if item.code == "SF-WRK-01":  # this year's risk assessment
        return checked_on - timedelta(days=rng.randint(2, max(checked_on.timetuple().tm_yday - 2, 2)))
    return checked_on - timedelta(days=rng.randint(10, 120))
