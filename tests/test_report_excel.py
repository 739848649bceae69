"""The monthly workbook read back: cell values equal the database, number formats with △, frozen headers and
filters, the staffing board in the plan's layout; LibreOffice converts it without error."""

from __future__ import annotations

import contextlib
import csv
import io
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from jbdesk.cli import main
from jbdesk.domain.forms import FormKind
from jbdesk.domain.hq import SUPPRESSED_LABEL
from jbdesk.exports.excel import INT
from tests.bundle_factory import ref
from tests.hq_factory import F09_REASON, F09_UTILITIES_MARCH, FEB, MARCH, hq_copy

SHEETS = [
    "정보", "인력현황표", "제출현황", "제출현황(표)", "인력", "인력_직종", "예산집행", "예산집행_과목", "예산집행_종합",
    "분기실적", "안전점검", "안전_항목", "안전_조치", "만족도", "만족도_종합", "메모", "근거자료",
]  # fmt: skip


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory):
    base = tmp_path_factory.mktemp("xlsx")
    ws = hq_copy(base)
    root = ws.paths.root
    ws.close()
    path = base / "out" / "2026-03.xlsx"
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["--data-dir", str(root), "report", "monthly", "--period", "2026-03", "--xlsx", str(path)]) == 0
    assert f"저장: {path}" in out.getvalue() and "결원 △6" in out.getvalue()
    ws = hq_copy(base / "again")
    yield path, ws
    ws.close()


def _table(sheet) -> list[dict]:
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def test_sheets_headers_frozen_and_filtered(made) -> None:
    path, _ = made
    wb = load_workbook(path)
    assert wb.sheetnames == SHEETS
    assert wb.active.title == "인력현황표"
    for name in SHEETS[2:]:
        if name == "제출현황(표)":
            continue
        sheet = wb[name]
        assert sheet.freeze_panes == "A2", name
        assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, sheet.max_column).column_letter}{max(sheet.max_row, 2)}"
        assert all(c.font.b for c in sheet[1]), name
        assert all(sheet.column_dimensions[c.column_letter].width >= 6 for c in sheet[1])
    assert wb["인력현황표"].freeze_panes == "A4"


def test_staffing_rows_equal_the_database(made) -> None:
    path, hq = made
    rows = _table(load_workbook(path)["인력"])
    got = {(r["기간"], r["시설코드"]): r for r in rows}
    expected = 0
    for period in (FEB, MARCH):
        for f in hq.registry.facilities():
            view = hq.forms.get(ref(f.code, FormKind.STAFFING, period))
            if view is None:
                assert (str(period), f.code) not in got
                continue
            expected += 1
            row, t = got[(str(period), f.code)], view.computed.total
            assert (row["정원"], row["현원"], row["결원"], row["퇴사"], row["휴직"]) == (
                t.authorized, t.current, t.vacancy, t.leavers, t.on_leave,
            )  # fmt: skip
            assert row["판"] == view.record.revision
    assert expected == len(rows) == 15 + 14
    sheet = load_workbook(path)["인력"]
    header = [c.value for c in sheet[1]]
    f01 = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "2026-03" and r[1].value == "F01")
    cell = f01[header.index("결원")]
    assert cell.value == -1 and cell.number_format == INT == '#,##0;"△"#,##0;0'
    assert f01[header.index("제출 상태")].value == "1판 접수"


def test_budget_lines_and_rates(made) -> None:
    path, hq = made
    wb = load_workbook(path)
    lines = _table(wb["예산집행_과목"])
    utilities = next(r for r in lines if r["시설코드"] == "F09" and r["목"] == "공공요금")
    assert (utilities["누계"], utilities["표시"], utilities["사유(비고)"]) == (
        F09_UTILITIES_MARCH,
        "계획 대비 편차",
        F09_REASON,
    )
    computed = hq.forms.get(ref("F09", FormKind.BUDGET, MARCH)).computed
    assert {(r["관"], r["항"], r["목"], r["예산현액"], r["누계"]) for r in lines if r["시설코드"] == "F09"} == {
        (row.gwan, row.hang, row.mok, row.amounts.budget, row.amounts.cumulative) for row in computed.rows
    }
    header = [c.value for c in wb["예산집행"][1]]
    f09 = next(r for r in wb["예산집행"].iter_rows(min_row=2) if r[1].value == "F09")
    rate = f09[header.index("세출 집행률")]
    assert rate.value == pytest.approx(178_100_000 / 685_000_000) and rate.number_format.startswith("0.0%")
    assert f09[header.index("세출 예산")].number_format == INT
    summary = _table(wb["예산집행_종합"])
    total = next(r for r in summary if r["구분"] == "계")
    assert (total["세출 예산"], total["제출 상태"]) == (1_436_000_000, "3/15개소")


def test_staffing_board_in_the_plans_layout(made) -> None:
    path, _ = made
    sheet = load_workbook(path)["인력현황표"]
    assert sheet["A1"].value == "소속시설(위수탁) 현황 (2026년 3월, 단위: 명)"
    assert [c.value for c in sheet[3]] == [
        "구분",
        "유형",
        "시설명",
        "정원",
        "현원",
        "결원",
        "전월 결원",
        "증감",
        "제출 상태",
    ]
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=4)]
    total = values[-1]
    assert total[0] == "계" and total[3:8] == [100, 94, -6, -5, -1]
    subtotals = [v for v in values if v[1] == "소계"]
    assert [s[3:6] for s in subtotals] == [[50, 48, -2], [45, 42, -3], [5, 4, -1]]
    assert sheet.cell(row=len(values) + 3, column=6).number_format == INT
    merged = {str(m) for m in sheet.merged_cells.ranges}
    assert "A4:A12" in merged  # 국·공립 시설: 8 facilities and their 소계
    f13 = next(v for v in values if v[2] == "전북특별자치도청년미래센터")
    assert f13[3:6] == [None, None, None] and f13[8] == "미제출"


def test_tracker_safety_survey_and_bundles(made) -> None:
    path, hq = made
    wb = load_workbook(path)
    tracker = _table(wb["제출현황"])
    f02 = next(
        r for r in tracker if r["보고"] == "월별 인력 현황" and r["기간"] == "2026-03" and r["시설코드"] == "F02"
    )
    assert (f02["상태"], f02["판"], f02["지연"], f02["표시"]) == ("접수대기", 1, "지연", "1판 접수대기 · 지연")
    actions = _table(wb["안전_조치"])
    assert {(a["시설코드"], a["항목"], a["열림"]) for a in actions} == {
        ("F03", "SF-GAS-01", "열림"), ("F09", "SF-ELE-01", "닫힘"), ("F09", "SF-BLD-03", "열림"),
    }  # fmt: skip
    items = _table(wb["안전_항목"])
    assert len([i for i in items if i["시설코드"] == "F01"]) == len(
        hq.forms.get(ref("F01", FormKind.SAFETY, "2026-H1")).data.answers
    )
    survey = _table(wb["만족도"])
    f05 = next(r for r in survey if r["시설코드"] == "F05")
    assert f05["종사자 점수"] == SUPPRESSED_LABEL and f05["종사자 긍정 비율"] is None  # no figure of it at all
    pooled = _table(wb["만족도_종합"])
    assert [r["구분"] for r in pooled][-2:] == ["전체(응답자 가중)", "시설 점수 평균"]
    assert all(r["종사자 점수"] in (SUPPRESSED_LABEL, None) for r in pooled if "F05" in str(r["시설"]))
    bundles = _table(wb["근거자료"])
    f03 = [b for b in bundles if b["시설코드"] == "F03" and b["보고"] == "월별 인력 현황" and b["기간"] == "2026-03"]
    assert [b["판"] for b in f03] == [2]
    assert f03[0]["꾸러미 SHA-256"] == hq.imports.revisions(ref("F03", FormKind.STAFFING, MARCH))[-1].bundle_digest


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_converts_the_workbook(made, tmp_path: Path) -> None:
    """Headless Calc opens the file (no repair) and exports it; the active sheet's CSV shows the △ format."""
    path, _ = made
    profile = f"-env:UserInstallation=file://{tmp_path / 'profile'}"
    # CSV of sheet 2 (the staffing board) in UTF-8, cells as shown: field sep, quote, UTF-8, line 1, ..., sheet 2
    csv_filter = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,2"
    for fmt, out in (("pdf", f"{path.stem}.pdf"), (csv_filter, f"{path.stem}-인력현황표.csv")):
        result = subprocess.run(
            ["soffice", profile, "--headless", "--convert-to", fmt, "--outdir", str(tmp_path), str(path)],
            capture_output=True, text=True, timeout=180,
        )  # fmt: skip
        target = tmp_path / out
        assert result.returncode == 0 and target.is_file() and target.stat().st_size > 0, result.stdout + result.stderr
    rows = list(csv.reader((tmp_path / f"{path.stem}-인력현황표.csv").read_text(encoding="utf-8").splitlines()))
    assert rows[2][:3] == ["구분", "유형", "시설명"]
    total = next(r for r in rows if r and r[0] == "계")
    assert total[3:9] == ["100", "94", "△6", "△5", "△1", "14/15개소"]


def test_rows_written_directly_read_back_like_openpyxls_own(tmp_path: Path) -> None:
    """The rows ``xlsx_rows`` serialises itself: escaped text, kept spaces, control characters dropped, numbers,
    booleans, dates with openpyxl's default formats, styles on empty cells, row heights."""
    from datetime import date, datetime

    from openpyxl.styles import Font

    from jbdesk.exports.xlsx_rows import Book

    book = Book()
    sheet = book.sheet("값")
    bold, money = book.style(font=Font(bold=True)), book.style(number_format=INT)
    sheet.append(["텍스트", "A & B <c>", "  앞뒤 공백 ", "제어\x01문자", "", None], bold, height=30)
    sheet.append([1, -2.5, 10**12, True, float("nan"), "글자"], money, text=0)
    sheet.append([date(2026, 3, 1), datetime(2026, 3, 1, 9, 30)])
    sheet.ws.freeze_panes = "A2"
    path = tmp_path / "rows.xlsx"
    path.write_bytes(book.save())

    ws = load_workbook(path)["값"]
    assert [c.value for c in ws[1]] == ["텍스트", "A & B <c>", "  앞뒤 공백 ", "제어문자", None, None]
    assert all(c.font.b for c in ws[1])  # the empty cells carry the style too
    assert ws.row_dimensions[1].height == 30 and ws.freeze_panes == "A2"
    assert [c.value for c in ws[2]] == [1, -2.5, 10**12, True, None, "글자"]
    assert [c.number_format for c in ws[2]][:3] == [INT] * 3 and ws["F2"].number_format == "General"
    assert [c.value for c in ws[3]][:2] == [datetime(2026, 3, 1), datetime(2026, 3, 1, 9, 30)]
    assert (ws["A3"].number_format, ws["B3"].number_format) == ("yyyy-mm-dd", "yyyy-mm-dd h:mm:ss")
