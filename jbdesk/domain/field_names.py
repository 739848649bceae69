"""Korean names of payload fields for readers of a report: ``rows/1/current`` → ``요양보호사 · 현원``."""

from __future__ import annotations

from typing import Any

from jbdesk.domain.budget import SOURCE_FIELDS, key_parts, subject_label
from jbdesk.domain.forms import FormKind
from jbdesk.domain.reference import ReferenceData

SEP = " · "
EXPLANATION = "경고 설명"

# Field titles as the form pages head their grid columns (the pages take their column titles from here).
STAFFING_FIELDS: dict[str, str] = {
    "job_family": "직종",
    "authorized": "정원",
    "current": "현원",
    "hires": "입사",
    "leavers": "퇴사",
    "on_leave": "휴직",
    "probation": "수습 중",
    "substitute_days": "대체인력 일수",
    "side_job_reports": "겸직·대외활동 신고",
    "direct_employment": "직접고용",
}
PLAN_VERSION_FIELDS: dict[str, str] = {"name": "판 이름", "effective_month": "적용 월", "lines": "과목"}
PLAN_LINE_FIELDS: dict[str, str] = {
    "side": "구분",
    "gwan": "관",
    "hang": "항",
    "mok": "목",
    "semok": "세목",
    **SOURCE_FIELDS,
    "total": "계",
    "calc_unit": "단가",
    "calc_qty": "수량",
    "calc_freq": "횟수",
    "calc_note": "산출 근거",
}
EXECUTION_FIELDS: dict[str, str] = {"key": "과목", "this_month": "당월 집행", "reason": "사유"}
CHECK_FIELDS: dict[str, str] = {
    "code": "점검 코드",
    "status": "상태",
    "bank_balance": "통장 잔액",
    "book_balance": "장부 잔액",
    "note": "비고 (부적합 사유·조치)",
}
SAFETY_FIELDS: dict[str, str] = {
    "code": "항목 코드",
    "status": "상태",
    "severity": "위험도",
    "count": "수",
    "total": "전체",
    "date": "날짜",
    "file_ref": "근거 문서",
    "na_reason": "해당없음 사유",
    "note": "비고",
    "action": "개선조치",
}
ACTION_FIELDS: dict[str, str] = {
    "finding": "지적 내용",
    "plan": "조치 계획",
    "owner": "담당",
    "due": "기한",
    "status": "조치 상태",
    "carry_reason": "이월 사유",
    "closed_on": "완료일",
}
CARRIED_FIELDS: dict[str, str] = {
    "code": "항목 코드",
    "severity": "위험도",
    "raised_on": "지적일",
    "action": "개선조치",
}
SURVEY_BLOCKS: dict[str, str] = {"user": "이용자 만족도", "staff": "종사자 만족도"}
SURVEY_BLOCK_FIELDS: dict[str, str] = {
    "eligible": "조사 대상",
    "distributed": "배포",
    "returned": "회수",
    "valid": "유효 응답",
    "items": "문항별 응답",
}
SURVEY_ITEM_FIELDS: dict[str, str] = {"code": "문항 코드", "counts": "응답 수", "no_answer": "무응답"}
TOP_FIELDS: dict[FormKind, dict[str, str]] = {
    FormKind.STAFFING: {"rows": "직종별 인력"},
    FormKind.BUDGET: {"budget_version": "적용 예산", "lines": "예산 집행", "checks": "회계 점검"},
    FormKind.BUDGET_PLAN: {"versions": "예산 판"},
    FormKind.QUARTERLY: {"narrative": "분기 실적 내용"},
    FormKind.SAFETY: {"checked_on": "점검일", "answers": "점검 항목", "carried_actions": "이월 조치"},
    FormKind.SURVEY: {"method": "점수 환산 방식", **SURVEY_BLOCKS},
}


def describe(form: FormKind, payload: Any, path: str, reference: ReferenceData | None = None) -> str:
    """What a reader calls the field at ``path`` of ``payload`` (JSON builtins): the row by its job family, 과목,
    item code and title, then the column title. A path that cannot be named (unknown field, row not in
    ``payload``) comes back unchanged."""
    try:
        named = _describe(form, payload, path.split("/"), reference)
    except (LookupError, TypeError, ValueError, AttributeError):
        named = None
    return named or path


def describe_between(form: FormKind, older: Any, newer: Any, path: str, reference: ReferenceData | None = None) -> str:
    """A changed field named after the newer revision, or after the older one where the newer has no such row."""
    named = describe(form, newer, path, reference)
    return named if named != path else describe(form, older, path, reference)


# -- helpers ----------------------------------------------------------------------------------------------------------


def _join(*names: str) -> str:
    return SEP.join(n for n in names if n)


def _title(table: dict[str, str], rest: list[str]) -> str:
    """The title of a field below a row (``current``); deeper parts of an unknown shape are kept as they are."""
    if not rest:
        return ""
    return table.get(rest[0], rest[0]) + "".join(f"/{p}" for p in rest[1:])


def _row(container: Any, key: str, index: str) -> dict[str, Any] | None:
    rows = container.get(key) if isinstance(container, dict) else None
    if not isinstance(rows, list) or not index.isdigit() or int(index) >= len(rows):
        return None
    row = rows[int(index)]
    return row if isinstance(row, dict) else None


def _text(row: dict[str, Any], key: str) -> str:
    value = row.get(key)
    return value.strip() if isinstance(value, str) else ""


def _named(code: str, title: str) -> str:
    return f"{code} {title}" if code and title else code or title


def _safety_title(reference: ReferenceData | None, code: str) -> str:
    found = next((i for i in reference.safety_items if i.code == code), None) if reference else None
    return found.question if found else ""


def _survey_title(reference: ReferenceData | None, code: str) -> str:
    found = next((i for i in reference.survey_items if i.code == code), None) if reference else None
    return found.question if found else ""


def _check_title(reference: ReferenceData | None, code: str) -> str:
    found = next((c for c in reference.accounting_checks if c.code == code), None) if reference else None
    return found.text if found else ""


# -- per form ---------------------------------------------------------------------------------------------------------


def _describe(form: FormKind, payload: Any, parts: list[str], reference: ReferenceData | None) -> str | None:
    if parts[0] == "explanations" and len(parts) >= 2:
        _code, _, field = "/".join(parts[1:]).partition("@")
        return f"{EXPLANATION} ({describe(form, payload, field, reference)})" if field else EXPLANATION
    if len(parts) == 1:
        return TOP_FIELDS.get(form, {}).get(parts[0]) or (EXPLANATION if parts[0] == "explanations" else None)
    handler = _HANDLERS.get(form)
    return handler(payload, parts, reference) if handler is not None else None


def _staffing(payload: Any, parts: list[str], reference: ReferenceData | None) -> str | None:
    row = _row(payload, "rows", parts[1]) if parts[0] == "rows" else None
    if row is None:
        return None
    name = _text(row, "job_family") or f"{int(parts[1]) + 1}번째 직종"
    return _join(name, _title(STAFFING_FIELDS, parts[2:]))


def _budget_plan(payload: Any, parts: list[str], reference: ReferenceData | None) -> str | None:
    version = _row(payload, "versions", parts[1]) if parts[0] == "versions" else None
    if version is None:
        return None
    name = _text(version, "name") or f"{int(parts[1]) + 1}번째 예산"
    if len(parts) >= 4 and parts[2] == "lines":
        line = _row(version, "lines", parts[3])
        if line is None:
            return None
        names = (_text(line, k) for k in ("side", "gwan", "hang", "mok", "semok"))
        return _join(name, subject_label(*names, sep=" ") or "(빈 과목)", _title(PLAN_LINE_FIELDS, parts[4:]))
    return _join(name, _title(PLAN_VERSION_FIELDS, parts[2:]))


def _budget_check(payload: Any, parts: list[str], reference: ReferenceData | None) -> str | None:
    if parts[0] == "lines":
        line = _row(payload, "lines", parts[1])
        if line is None:
            return None
        subject = subject_label(*key_parts(_text(line, "key")), sep=" ") or "(빈 과목)"
        return _join(subject, _title(EXECUTION_FIELDS, parts[2:]))
    if parts[0] == "checks":
        answer = _row(payload, "checks", parts[1])
        if answer is None:
            return None
        code = _text(answer, "code")
        item = _named(code, _check_title(reference, code)) or f"{int(parts[1]) + 1}번째 점검 항목"
        return _join(item, _title(CHECK_FIELDS, parts[2:]))
    return None


def _safety(payload: Any, parts: list[str], reference: ReferenceData | None) -> str | None:
    carried = parts[0] == "carried_actions"
    if parts[0] not in ("answers", "carried_actions"):
        return None
    row = _row(payload, parts[0], parts[1])
    if row is None:
        return None
    code = _text(row, "code")
    item = _named(code, _safety_title(reference, code)) or f"{int(parts[1]) + 1}번째 항목"
    rest = parts[2:]
    if rest[:1] == ["action"]:
        field = _join("" if carried else SAFETY_FIELDS["action"], _title(ACTION_FIELDS, rest[1:]))
    else:
        field = _title(CARRIED_FIELDS if carried else SAFETY_FIELDS, rest)
    return _join(TOP_FIELDS[FormKind.SAFETY]["carried_actions"] if carried else "", item, field)


def _survey(payload: Any, parts: list[str], reference: ReferenceData | None) -> str | None:
    block_title = SURVEY_BLOCKS.get(parts[0])
    if block_title is None:
        return None
    if len(parts) >= 3 and parts[1] == "items":
        item = _row(payload.get(parts[0]) if isinstance(payload, dict) else None, "items", parts[2])
        if item is None:
            return None
        code = _text(item, "code")
        name = _named(code, _survey_title(reference, code)) or f"{int(parts[2]) + 1}번째 문항"
        rest = parts[3:]
        if len(rest) == 2 and rest[0] == "counts" and rest[1].isdigit():
            field = f"{int(rest[1]) + 1}점 응답 수"
        else:
            field = _title(SURVEY_ITEM_FIELDS, rest)
        return _join(block_title, name, field)
    return _join(block_title, _title(SURVEY_BLOCK_FIELDS, parts[1:]))


_HANDLERS = {
    FormKind.STAFFING: _staffing,
    FormKind.BUDGET_PLAN: _budget_plan,
    FormKind.BUDGET: _budget_check,
    FormKind.SAFETY: _safety,
    FormKind.SURVEY: _survey,
}
