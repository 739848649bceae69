"""월별 인력 현황 (monthly staffing): rows per job family, 결원, and the month-to-month headcount check."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeGuard

import msgspec

from jbdesk.domain.numbers import fmt_int
from jbdesk.domain.validation import Problem, ValidationResult, error, warning

DEFAULT_JOB_FAMILIES: tuple[str, ...] = ("관리직", "사회복지직", "상담직", "돌봄직", "조리직", "기타")
# A facility has at most a few dozen staff; five digits is a typing slip, not a headcount.
MAX_COUNT = 100_000

# JSON field name -> label printed next to the field. Order = column order on the form.
COUNT_FIELDS: dict[str, str] = {
    "authorized": "정원",
    "current": "현원",
    "hires": "입사",
    "leavers": "퇴사",
    "on_leave": "휴직",
    "probation": "수습",
    "substitute_days": "대체인력 근무일수",
    "side_job_reports": "겸직 신고",
    "direct_employment": "직접고용",
}
REQUIRED_FIELDS = ("authorized", "current")
# Counts that are a subset of the people currently employed.
SUBSET_OF_CURRENT = ("direct_employment", "on_leave", "probation")


class StaffingRow(msgspec.Struct, frozen=True, kw_only=True):
    """One job family (직종). ``None`` = not entered yet; 0 is an answer."""

    job_family: str = ""
    authorized: int | None = None
    current: int | None = None
    hires: int | None = None
    leavers: int | None = None
    on_leave: int | None = None
    probation: int | None = None
    substitute_days: int | None = None
    side_job_reports: int | None = None
    direct_employment: int | None = None


class StaffingData(msgspec.Struct, frozen=True, kw_only=True):
    rows: list[StaffingRow] = []
    explanations: dict[str, str] = {}


@dataclass(frozen=True)
class StaffingLine:
    """A printed row: the entered counts plus 결원 (= 현원 − 정원, negative = posts unfilled)."""

    job_family: str
    authorized: int | None
    current: int | None
    vacancy: int | None
    hires: int | None
    leavers: int | None
    on_leave: int | None
    probation: int | None
    substitute_days: int | None
    side_job_reports: int | None
    direct_employment: int | None


@dataclass(frozen=True)
class StaffingSummary:
    rows: tuple[StaffingLine, ...]
    total: StaffingLine  # job_family "계"; each column is the sum of the entered values (None if none entered)


def new_staffing() -> StaffingData:
    return StaffingData(rows=[StaffingRow(job_family=name) for name in DEFAULT_JOB_FAMILIES])


def prefill_staffing(previous: StaffingData | None) -> StaffingData:
    """Last month's job families and 정원; everything else changes monthly and is entered fresh."""
    if previous is None or not previous.rows:
        return new_staffing()
    return StaffingData(rows=[StaffingRow(job_family=r.job_family, authorized=r.authorized) for r in previous.rows])


def _line(row: StaffingRow) -> StaffingLine:
    vacancy = None if row.current is None or row.authorized is None else row.current - row.authorized
    counts = {name: getattr(row, name) for name in COUNT_FIELDS}
    return StaffingLine(job_family=row.job_family, vacancy=vacancy, **counts)


def _sum(values: list[int | None]) -> int | None:
    entered = [v for v in values if v is not None]
    return sum(entered) if entered else None


def compute_staffing(data: StaffingData) -> StaffingSummary:
    lines = tuple(_line(r) for r in data.rows)
    columns = ("vacancy", *COUNT_FIELDS)
    # 결원 total = sum of row 결원, so a row missing 현원 does not skew it; when every row is complete it
    # equals total 현원 − total 정원.
    totals = {name: _sum([getattr(line, name) for line in lines]) for name in columns}
    return StaffingSummary(rows=lines, total=StaffingLine(job_family="계", **totals))


def _topic(label: str) -> str:
    """Korean topic particle: 은 after a final consonant (받침), else 는."""
    last = label[-1]
    has_final = "가" <= last <= "힣" and (ord(last) - ord("가")) % 28 != 0
    return label + ("은" if has_final else "는")


def _is_count(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _row_problems(i: int, row: StaffingRow) -> list[Problem]:
    out: list[Problem] = []
    for name, label in COUNT_FIELDS.items():
        value, field = getattr(row, name), f"rows/{i}/{name}"
        if value is None:
            if name in REQUIRED_FIELDS:
                out.append(error("staffing.required", f"{label}을 입력하세요.", field))
        elif not _is_count(value) or value < 0:
            out.append(error("staffing.count.invalid", f"{_topic(label)} 0 이상의 정수여야 합니다.", field))
        elif value >= MAX_COUNT:
            out.append(error("staffing.count.range", f"{label} 값이 너무 큽니다. 입력값을 확인하세요.", field))
    current = row.current
    if _is_count(current) and current >= 0:
        for name in SUBSET_OF_CURRENT:
            value = getattr(row, name)
            if _is_count(value) and value > current:
                message = f"{COUNT_FIELDS[name]} 인원이 현원({fmt_int(current)})보다 많습니다."
                out.append(error(f"staffing.{name}.exceeds_current", message, f"rows/{i}/{name}"))
    return out


def _continuity(i: int, row: StaffingRow, before: StaffingRow) -> Problem | None:
    if row.current is None or before.current is None:
        return None
    # A blank 입사/퇴사 means nobody joined or left; only 정원 and 현원 are required.
    hires, leavers = row.hires or 0, row.leavers or 0
    expected = before.current + hires - leavers
    if row.current == expected:
        return None
    message = (
        f"전월 현원 {fmt_int(before.current)} + 입사 {fmt_int(hires)} − 퇴사 {fmt_int(leavers)} = "
        f"{fmt_int(expected)} 이어야 하나 {fmt_int(row.current)}입니다. 사유(전보 등)를 적어 주세요."
    )
    return warning("staffing.continuity", message, f"rows/{i}/current")


def validate_staffing(data: StaffingData, previous: StaffingData | None) -> ValidationResult:
    problems: list[Problem] = []
    if not data.rows:
        problems.append(error("staffing.rows.empty", "직종을 하나 이상 입력하세요.", "rows"))
    previous_rows: dict[str, StaffingRow] = {}
    for row in previous.rows if previous else []:
        previous_rows.setdefault(row.job_family.strip(), row)
    seen: set[str] = set()
    for i, row in enumerate(data.rows):
        name = row.job_family.strip()
        if not name:
            problems.append(error("staffing.job_family.empty", "직종명을 입력하세요.", f"rows/{i}/job_family"))
        elif name in seen:
            problems.append(
                error("staffing.job_family.duplicate", f"직종명 '{name}'이(가) 중복됩니다.", f"rows/{i}/job_family")
            )
        seen.add(name)
        problems.extend(_row_problems(i, row))
        before = previous_rows.get(name) if name else None
        found = _continuity(i, row, before) if before is not None else None
        if found is not None:
            problems.append(found)
    return ValidationResult.of(problems)
