"""Workbook rows: openpyxl's public API (every head office of normal size) and the splice (very large reports)
give the same workbook; the splice fails loudly when openpyxl stops saving sheets the way it relies on."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from jbdesk.domain.periods import Period
from jbdesk.exports import excel, xlsx_splice
from jbdesk.exports.excel import INT
from jbdesk.exports.xlsx_rows import LARGE_FROM, Book
from tests.hq_factory import hq_copy

ROWS: list[tuple[list[Any], str, str | None, float | None]] = [
    (["텍스트", "A & B <c>", "  앞뒤 공백 ", "제어\x01문자", "", None, "=SUM(A1)"], "bold", None, 30),
    ([1, -2.5, 10**12, True, float("nan"), "글자", float("inf")], "money", "plain", None),
    ([date(2026, 3, 1), datetime(2026, 3, 1, 9, 30), None, 0, -0.0, 1234567890123456, 3], "", None, None),
    (["합계", 1_234_567, None, "△", False, date(1999, 12, 31), ""], "boxed", "boxed_text", 18.5),
]


def _book(*, large: bool) -> Book:
    book = Book(large=large)
    sheet = book.sheet("값")
    thin = Side(style="thin", color="999999")
    styles = {
        "": 0,
        "bold": book.style(font=Font(bold=True)),
        "money": book.style(number_format=INT),
        "plain": 0,
        "boxed": book.style(
            border=Border(left=thin, right=thin, top=thin, bottom=thin),
            fill=PatternFill("solid", fgColor="F3F3F3"),
            alignment=Alignment(horizontal="center", wrap_text=True),
            number_format=INT,
        ),
        "boxed_text": book.style(border=Border(left=thin, right=thin), alignment=Alignment(wrap_text=True)),
    }
    for values, style, text, height in ROWS:
        sheet.append(values, styles[style], text=styles[text] if text is not None else None, height=height)
    sheet.ws.freeze_panes = "A2"
    sheet.ws.column_dimensions["B"].width = 33
    sheet.ws.merged_cells.add("A5:C5")
    sheet.append(["병합된 제목", None, None], styles["bold"])
    book.sheet("빈 시트")
    return book


def _read(data: bytes) -> list[dict[str, Any]]:
    wb = load_workbook(io.BytesIO(data))
    out = []
    for ws in wb.worksheets:
        cells = [
            (
                c.coordinate, c.value, c.data_type, c.number_format, c.font.b, c.fill.fgColor.rgb, c.border.left.style,
                c.alignment.horizontal, c.alignment.wrap_text,
            )
            for row in ws.iter_rows()
            for c in row
        ]  # fmt: skip
        heights = {r: d.height for r, d in ws.row_dimensions.items() if d.height}
        out.append(
            {
                "title": ws.title, "cells": cells, "heights": heights, "panes": ws.freeze_panes,
                "width_b": ws.column_dimensions["B"].width, "merged": sorted(str(m) for m in ws.merged_cells.ranges),
            }
        )  # fmt: skip
    return out


def test_public_api_and_splice_give_the_same_workbook() -> None:
    public, spliced = _read(_book(large=False).save()), _read(_book(large=True).save())
    assert public == spliced
    values = {cell[0]: cell[1] for cell in public[0]["cells"]}
    assert values["G1"] == "=SUM(A1)" and public[0]["cells"][6][2] == "s"  # text, never a formula
    assert values["D1"] == "제어문자" and values["C1"] == "  앞뒤 공백 " and values["E2"] is None
    assert values["A3"] == datetime(2026, 3, 1) and values["D2"] is True
    assert public[0]["heights"] == {1: 30, 4: 18.5} and public[0]["merged"] == ["A5:C5"]
    assert public[0]["panes"] == "A2" and public[0]["width_b"] == 33


def test_openpyxl_still_saves_an_empty_sheet_as_the_splice_expects() -> None:
    """What ``xlsx_splice`` relies on: a write-only sheet saved without rows holds one empty <sheetData> at the
    path ``ws.path`` names. When an openpyxl release changes that, this fails (and the splice raises)."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("시트")
    ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    with zipfile.ZipFile(buf) as z:
        xml = z.read(ws.path.lstrip("/"))
    assert len(xlsx_splice.EMPTY_SHEET_DATA.findall(xml)) == 1
    assert re.search(rb"</sheetViews>.*<sheetData", xml, re.S)  # the settings come before the rows


def test_splice_refuses_a_package_it_does_not_understand() -> None:
    rows = xlsx_splice.SheetRows(lambda fmt: 0, datetime(1899, 12, 30))
    rows.append(1, ["x"], 0, None, None)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("xl/worksheets/sheet1.xml", "<worksheet><sheetData><row r='1'/></sheetData></worksheet>")
    with pytest.raises(ValueError, match="no empty <sheetData>"):
        xlsx_splice.splice(buf.getvalue(), {"xl/worksheets/sheet1.xml": rows})
    with pytest.raises(ValueError, match="no sheet at"):
        xlsx_splice.splice(buf.getvalue(), {"xl/worksheets/sheet9.xml": rows})
    rows.close()


def test_a_normal_head_office_workbook_uses_the_public_api_only(tmp_path: Path, monkeypatch) -> None:
    """15 facilities: no row goes through the splice (it is patched to fail here)."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the splice was used")

    monkeypatch.setattr(xlsx_splice, "splice", refuse)
    monkeypatch.setattr(xlsx_splice.SheetRows, "__init__", refuse)
    ws = hq_copy(tmp_path)
    try:
        report = ws.consolidation.monthly_report(Period.parse("2026-03"))
        assert len(report.facilities) < LARGE_FROM
        path = ws.consolidation.write_monthly_xlsx(report, tmp_path / "m.xlsx")
    finally:
        ws.close()
    assert "인력현황표" in load_workbook(path, read_only=True).sheetnames
    assert excel.LARGE_FROM == LARGE_FROM
