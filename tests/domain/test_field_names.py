"""Field names for head office: every form's paths read as rows and column titles, unknown paths stay as they are."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest

from jbdesk.domain.budget import (
    BudgetLine,
    BudgetPlanData,
    BudgetVersion,
    add_revision,
    key_parts,
    prefill_budget_check,
    subject_label,
)
from jbdesk.domain.field_names import STAFFING_FIELDS, describe, describe_between
from jbdesk.domain.forms import FormKind
from jbdesk.domain.quarterly import QuarterlyData
from jbdesk.domain.reference import load_reference
from jbdesk.domain.safety import CarriedAction, CorrectiveAction, SafetyAnswer, SafetyData
from jbdesk.domain.staffing import COUNT_FIELDS, StaffingData, StaffingRow
from jbdesk.domain.survey import new_survey
from jbdesk.domain.validation import warning
from jbdesk.resources import resource

REFERENCE = load_reference(resource("data"))
FIRE = "소화기가 필요한 위치마다 비치되어 있고 가리지 않았으며 압력계가 정상(녹색)인가?"
GAS = "가스누설경보기·자동차단장치가 작동하는가?"
AC01 = "통장 잔액과 장부(현금출납부) 잔액이 일치하는가?"


def builtins(data: msgspec.Struct) -> Any:
    return msgspec.to_builtins(data)


# -- 월별 인력 현황 ----------------------------------------------------------------------------------------------------

STAFFING = builtins(
    StaffingData(
        rows=[
            StaffingRow(job_family="사회복지사", authorized=3, current=3),
            StaffingRow(job_family="요양보호사", authorized=6, current=5, on_leave=1),
            StaffingRow(job_family="", authorized=1, current=1),
        ],
        explanations={warning("staffing.current_change", "현원 변동", "rows/1/current").key: "퇴사 1명"},
    )
)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("rows/1/current", "요양보호사 · 현원"),
        ("rows/0/substitute_days", "사회복지사 · 대체인력 일수"),
        ("rows/1/direct_employment", "요양보호사 · 직접고용"),
        ("rows/1/job_family", "요양보호사 · 직종"),
        ("rows/2/authorized", "3번째 직종 · 정원"),  # a row without a name is told by its place
        ("rows/1", "요양보호사"),  # a row added or removed as a whole
        ("rows", "직종별 인력"),
        ("explanations/staffing.current_change@rows/1/current", "경고 설명 (요양보호사 · 현원)"),
        ("explanations/staffing.something@", "경고 설명"),
        ("explanations", "경고 설명"),
    ],
)
def test_staffing_rows_by_job_family_and_column_title(path: str, expected: str) -> None:
    assert describe(FormKind.STAFFING, STAFFING, path) == expected


def test_staffing_titles_cover_every_count_the_form_keeps() -> None:
    assert set(COUNT_FIELDS) <= set(STAFFING_FIELDS)
    assert set(STAFFING_FIELDS) == set(StaffingRow.__struct_fields__)


# -- 연간 예산 -----------------------------------------------------------------------------------------------------------


def plan() -> BudgetPlanData:
    lines = [
        BudgetLine(side="세입", gwan="보조금수입", hang="보조금수입", mok="국고보조금", national=120_000_000),
        BudgetLine(side="세출", gwan="사무비", hang="인건비", mok="급여", national=90_000_000, province=10_000_000),
        BudgetLine(side="세출", gwan="사업비", hang="운영비", mok="프로그램사업비", semok="심리상담", city=5_000_000),
        BudgetLine(side="세출"),  # a line just added, names not typed yet
    ]
    return add_revision(BudgetPlanData(versions=[BudgetVersion(lines=lines)]), 7)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("versions/1/lines/1/national", "1차 추경 · 세출 사무비 인건비 급여 · 국비"),
        ("versions/0/lines/1/province", "본예산 · 세출 사무비 인건비 급여 · 도비"),
        ("versions/0/lines/0/total", "본예산 · 세입 보조금수입 국고보조금 · 계"),  # 관 = 항 shown once
        ("versions/0/lines/2/calc_note", "본예산 · 세출 사업비 운영비 프로그램사업비 심리상담 · 산출 근거"),
        ("versions/0/lines/3/mok", "본예산 · 세출 · 목"),
        ("versions/1/effective_month", "1차 추경 · 적용 월"),
        ("versions/1", "1차 추경"),
        ("versions/1/lines/2", "1차 추경 · 세출 사업비 운영비 프로그램사업비 심리상담"),
        ("versions", "예산 판"),
    ],
)
def test_budget_plan_lines_by_version_and_subject(path: str, expected: str) -> None:
    assert describe(FormKind.BUDGET_PLAN, builtins(plan()), path) == expected


def test_empty_budget_line_is_named_as_such() -> None:
    empty = builtins(BudgetPlanData(versions=[BudgetVersion(lines=[BudgetLine(side="")])]))
    assert describe(FormKind.BUDGET_PLAN, empty, "versions/0/lines/0/national") == "본예산 · (빈 과목) · 국비"


def test_subject_label_and_key_parts_shared_with_the_pages() -> None:
    assert key_parts("세출/사무비/인건비/급여/") == ("세출", "사무비", "인건비", "급여", "")
    assert subject_label("보조금수입", "보조금수입", "국고보조금") == "보조금수입 · 국고보조금"
    assert subject_label(*key_parts("세출/사무비/인건비/급여/"), sep=" ") == "세출 사무비 인건비 급여"


# -- 월별 예산집행 점검 ------------------------------------------------------------------------------------------------


def check() -> Any:
    data = prefill_budget_check(plan(), None, 3, REFERENCE.accounting_checks)
    explanation = warning("budget.exec.off_plan", "계획과 차이", "lines/1/reason").key
    return builtins(msgspec.structs.replace(data, explanations={explanation: "연초 일괄 지급"}))


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("lines/1/this_month", "세출 사무비 인건비 급여 · 당월 집행"),
        ("lines/1/reason", "세출 사무비 인건비 급여 · 사유"),
        ("lines/0/this_month", "세입 보조금수입 국고보조금 · 당월 집행"),
        ("lines/2/this_month", "세출 사업비 운영비 프로그램사업비 심리상담 · 당월 집행"),
        ("checks/0/status", f"AC-01 {AC01} · 상태"),
        ("checks/0/book_balance", f"AC-01 {AC01} · 장부 잔액"),
        (
            "checks/1/note",
            "AC-02 당월 모든 지출에 증빙서류(세금계산서·카드전표·영수증)가 갖추어져 있는가? · 비고 (부적합 사유·조치)",
        ),
        ("explanations/budget.exec.off_plan@lines/1/reason", "경고 설명 (세출 사무비 인건비 급여 · 사유)"),
        ("budget_version", "적용 예산"),
    ],
)
def test_budget_check_lines_by_subject_and_checks_by_code_and_title(path: str, expected: str) -> None:
    assert describe(FormKind.BUDGET, check(), path, REFERENCE) == expected


def test_budget_check_without_reference_names_checks_by_code() -> None:
    payload = check()
    assert describe(FormKind.BUDGET, payload, "checks/0/status") == "AC-01 · 상태"
    unknown = {**payload, "checks": [{"code": "AC-99", "status": "적합"}]}
    assert describe(FormKind.BUDGET, unknown, "checks/0/status", REFERENCE) == "AC-99 · 상태"


# -- 분기실적보고서 ------------------------------------------------------------------------------------------------------


def test_quarterly_narrative_and_explanations() -> None:
    payload = builtins(QuarterlyData(narrative="1분기 프로그램 12회 운영", explanations={"q.x@narrative": "확인"}))
    assert describe(FormKind.QUARTERLY, payload, "narrative") == "분기 실적 내용"
    assert describe(FormKind.QUARTERLY, payload, "explanations/q.x@narrative") == "경고 설명 (분기 실적 내용)"
    assert describe(FormKind.QUARTERLY, payload, "rows/0/current") == "rows/0/current"


# -- 반기 안전 점검표 ------------------------------------------------------------------------------------------------


SAFETY = builtins(
    SafetyData(
        checked_on="2026-02-10",
        answers=[
            SafetyAnswer(code="SF-GOV-01", status="적합"),
            SafetyAnswer(
                code="SF-FIR-01",
                status="부적합",
                severity="상",
                action=CorrectiveAction(finding="압력 미달", plan="교체", owner="시설장", due="2026-02-17"),
            ),
            SafetyAnswer(code="SF-NEW-99", status="적합"),  # an item of a newer list than the reference at hand
        ],
        carried_actions=[
            CarriedAction(
                code="SF-GAS-01", severity="중", raised_on="2025-09-20", action=CorrectiveAction(status="조치중")
            )
        ],
    )
)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("answers/1/status", f"SF-FIR-01 {FIRE} · 상태"),
        ("answers/1/severity", f"SF-FIR-01 {FIRE} · 위험도"),
        ("answers/1/file_ref", f"SF-FIR-01 {FIRE} · 근거 문서"),
        ("answers/1/action/due", f"SF-FIR-01 {FIRE} · 개선조치 · 기한"),
        ("answers/1/action/status", f"SF-FIR-01 {FIRE} · 개선조치 · 조치 상태"),
        ("answers/1/action", f"SF-FIR-01 {FIRE} · 개선조치"),
        ("answers/2/status", "SF-NEW-99 · 상태"),
        ("carried_actions/0/action/status", f"이월 조치 · SF-GAS-01 {GAS} · 조치 상태"),
        ("carried_actions/0/action/closed_on", f"이월 조치 · SF-GAS-01 {GAS} · 완료일"),
        ("carried_actions/0/raised_on", f"이월 조치 · SF-GAS-01 {GAS} · 지적일"),
        ("checked_on", "점검일"),
    ],
)
def test_safety_items_by_code_and_question(path: str, expected: str) -> None:
    assert describe(FormKind.SAFETY, SAFETY, path, REFERENCE) == expected


def test_safety_without_reference_names_items_by_code() -> None:
    assert describe(FormKind.SAFETY, SAFETY, "answers/1/count") == "SF-FIR-01 · 수"


# -- 만족도 조사 -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (
            "user/items/0/counts/3",
            "이용자 만족도 · US-01 시설을 이용하기 위한 절차와 방법이 쉽고 편리하다. · 4점 응답 수",
        ),
        ("user/items/0/no_answer", "이용자 만족도 · US-01 시설을 이용하기 위한 절차와 방법이 쉽고 편리하다. · 무응답"),
        ("staff/items/2/counts/0", "종사자 만족도 · SS-03 보고·행정 절차가 업무에 부담이 되지 않는다. · 1점 응답 수"),
        ("staff/valid", "종사자 만족도 · 유효 응답"),
        ("user/distributed", "이용자 만족도 · 배포"),
        ("user", "이용자 만족도"),
        ("method", "점수 환산 방식"),
    ],
)
def test_survey_by_block_and_item(path: str, expected: str) -> None:
    assert describe(FormKind.SURVEY, builtins(new_survey(REFERENCE)), path, REFERENCE) == expected


# -- what cannot be named ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("form", "path"),
    [
        (FormKind.STAFFING, "rows/3/current"),  # past the end
        (FormKind.STAFFING, "rows/99"),
        (FormKind.STAFFING, "rows/x/current"),
        (FormKind.STAFFING, "unknown_field"),
        (FormKind.STAFFING, "answers/0/status"),  # another form's path
        (FormKind.BUDGET_PLAN, "versions/5/lines/0/national"),
        (FormKind.BUDGET_PLAN, "versions/0/lines/9/national"),
        (FormKind.BUDGET, "lines/40/this_month"),
        (FormKind.BUDGET, "checks/8/status"),
        (FormKind.SAFETY, "answers/3/status"),
        (FormKind.SAFETY, "carried_actions/1/action/due"),
        (FormKind.SURVEY, "user/items/99/counts/0"),
        (FormKind.SURVEY, "visitors/valid"),
        (FormKind.SURVEY, ""),
    ],
)
def test_unknown_paths_come_back_unchanged(form: FormKind, path: str) -> None:
    payloads = {
        FormKind.STAFFING: STAFFING,
        FormKind.BUDGET_PLAN: builtins(plan()),
        FormKind.BUDGET: check(),
        FormKind.SAFETY: SAFETY,
        FormKind.SURVEY: builtins(new_survey(REFERENCE)),
    }
    assert describe(form, payloads[form], path, REFERENCE) == path


@pytest.mark.parametrize("payload", [None, [], "text", {"rows": {"1": {}}}, {"rows": [None, 3]}, {"rows": [[1]]}])
def test_payloads_of_an_unexpected_shape_never_crash(payload: Any) -> None:
    assert describe(FormKind.STAFFING, payload, "rows/1/current") == "rows/1/current"


def test_a_field_unknown_to_the_titles_keeps_its_row() -> None:
    assert describe(FormKind.STAFFING, STAFFING, "rows/1/night_shift") == "요양보호사 · night_shift"
    assert describe(FormKind.STAFFING, STAFFING, "explanations/x@rows/7/current") == "경고 설명 (rows/7/current)"


def test_a_row_gone_from_the_newer_revision_is_named_after_the_older() -> None:
    newer = builtins(StaffingData(rows=[StaffingRow(job_family="사회복지사")]))
    assert describe_between(FormKind.STAFFING, STAFFING, newer, "rows/1/current") == "요양보호사 · 현원"
    assert describe_between(FormKind.STAFFING, STAFFING, newer, "rows/0/current") == "사회복지사 · 현원"
    renamed = builtins(StaffingData(rows=[StaffingRow(job_family="사회복지사 (정규)")]))
    assert describe_between(FormKind.STAFFING, STAFFING, renamed, "rows/0/job_family") == "사회복지사 (정규) · 직종"
    assert describe_between(FormKind.STAFFING, None, newer, "rows/5/current") == "rows/5/current"
