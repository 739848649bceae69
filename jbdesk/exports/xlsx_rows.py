"""Workbooks as ``Book`` and ``Sheet``: openpyxl's public write-only API, or for very large books the splice.

A sheet is an openpyxl write-only worksheet (``Sheet.ws``: column widths, frozen panes, filters, merged cells,
print settings) and ``Sheet.append`` adds a row of plain values with style ids from ``Book.style``. How the rows
are written depends on the book's size, chosen when it is made:

- ``Book()``: each row goes to openpyxl's write-only worksheet as ``WriteOnlyCell``s, openpyxl's public API
  throughout. This is the path a head office of 15 facilities uses (its year's workbook is about 110,000 cells:
  1.3-1.5 s to write on a quiet two-core machine, about 1.5× openpyxl's bare write-only floor).
- ``Book(large=True)``: openpyxl serialises each cell element by element (about 10-15 µs a cell), which for
  500 facilities (4 million cells) is most of a minute. Such a book writes its rows itself through
  ``jbdesk.exports.xlsx_splice``, which depends on how openpyxl lays out a saved sheet (see there; a test fails
  when that changes). ``LARGE_FROM`` says from how many facilities a report takes that path.

Both paths give the same workbook when read back: values, number formats, fonts, fills, borders, alignment,
row heights (tests/test_xlsx_rows.py compares them). Text is always text (openpyxl alone would make a string
starting with "=" a formula), control characters are dropped (XML cannot hold them), NaN and ±inf are left out.
"""

from __future__ import annotations

import datetime as dt
import io
import numbers
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill
from openpyxl.styles.numbers import FORMAT_DATE_DATETIME, FORMAT_DATE_YYYYMMDD2
from openpyxl.worksheet.cell_range import MultiCellRange
from openpyxl.worksheet.dimensions import ColumnDimension, DimensionHolder, RowDimension
from openpyxl.worksheet.filters import AutoFilter
from openpyxl.worksheet.page import PrintPageSetup
from openpyxl.worksheet.properties import WorksheetProperties

from jbdesk.exports import xlsx_splice

Styles = int | Sequence[int]  # one style id for every cell of a row, or one per column (0: no style)

# A report of this many facilities (due in its month) or more writes its workbook through the splice. The public
# API costs 12-26 µs a cell, linear in the cells: 1.3-2.9 s for 15 facilities' year, 20 s for 95, most of a
# minute for 500 (the splice: 0.2 s, 3 s, 7 s). 50 is over three times the agency's 15 facilities.
LARGE_FROM = 50


class SheetSettings(Protocol):
    """What a sheet's layout uses of openpyxl's write-only worksheet (its stubs leave these out of that class;
    ``Worksheet._setup`` gives them to both kinds of worksheet)."""

    title: str
    page_setup: PrintPageSetup
    sheet_properties: WorksheetProperties
    column_dimensions: DimensionHolder[str, ColumnDimension]
    row_dimensions: DimensionHolder[int, RowDimension]
    auto_filter: AutoFilter
    merged_cells: MultiCellRange
    freeze_panes: str | None
    print_title_rows: str | None

    @property
    def path(self) -> str: ...

    def append(self, row: Any) -> None: ...


@dataclass(frozen=True)
class _Style:
    font: Font | None
    fill: PatternFill | None
    border: Border | None
    alignment: Alignment | None
    number_format: str | None

    def apply(self, cell: Cell) -> None:
        if self.font is not None:
            cell.font = self.font
        if self.fill is not None:
            cell.fill = self.fill
        if self.border is not None:
            cell.border = self.border
        if self.alignment is not None:
            cell.alignment = self.alignment
        if self.number_format is not None:
            cell.number_format = self.number_format


class Sheet:
    """One worksheet: ``ws`` (openpyxl, write-only) for its settings, ``append`` for its rows."""

    def __init__(self, book: Book, ws: SheetSettings) -> None:
        self.book = book
        self.ws = ws
        self.max_row = 0
        self.rows = xlsx_splice.SheetRows(book.default_style, book.wb.epoch) if book.large else None
        # openpyxl writes a write-only sheet's settings (widths, panes) before its first row: rows wait for save()
        self._waiting: list[tuple[Sequence[Any], list[int], list[int], float | None]] = []

    def append(
        self, values: Sequence[Any], styles: Styles = 0, *, text: Styles | None = None, height: float | None = None
    ) -> None:
        """Add a row. ``styles`` apply to every cell (empty cells too: borders, fills); ``text``, when given,
        replaces them for string values (a column's number format is not put on a text cell). A date or time
        without a date format gets openpyxl's default one."""
        self.max_row += 1
        if self.rows is not None:
            self.rows.append(self.max_row, values, styles, text, height)
            return
        per_cell = _per_column(styles, len(values))
        self._waiting.append((values, per_cell, per_cell if text is None else _per_column(text, len(values)), height))

    def _write(self) -> None:
        """The rows, through openpyxl (its settings are final now)."""
        for r, (values, per_cell, per_text, height) in enumerate(self._waiting, start=1):
            if height:
                self.ws.row_dimensions[r].height = height
            self.ws.append([self._cell(value, per_cell[c], per_text[c]) for c, value in enumerate(values)])
        self._waiting.clear()

    def _cell(self, value: Any, style: int, text_style: int) -> Any:
        """A plain value where openpyxl writes it as it is, else a styled ``WriteOnlyCell``."""
        kind = type(value)
        if kind is str:
            style = text_style
            if ILLEGAL_CHARACTERS_RE.search(value):
                value = ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters are not allowed in XML at all
            if not style and not value.startswith("="):
                return value or None
            value = value or None  # a styled empty cell, as the splice writes it
        elif kind is float and value - value != 0:  # NaN or ±inf: Excel has no such numbers
            value = None
        elif kind not in (int, float, bool) and value is not None:
            if isinstance(value, dt.date):  # datetime too
                if not style:  # what openpyxl gives a date cell without a number format
                    fmt = FORMAT_DATE_DATETIME if isinstance(value, dt.datetime) else FORMAT_DATE_YYYYMMDD2
                    style = self.book.style(number_format=fmt)
            elif isinstance(value, numbers.Real):  # IntEnum, Fraction, numpy numbers
                value = float(value)
                value = value if value - value == 0 else None
            else:
                value = str(value)
                style = text_style
        formula_like = isinstance(value, str) and value.startswith("=")
        if not style and not formula_like:
            return value
        # types-openpyxl: the worksheet must be a _WorkbookChild (ours is typed by the protocol), the value not a date
        cell = WriteOnlyCell(self.ws, value)  # type: ignore[arg-type]
        if isinstance(value, str):
            cell.data_type = "s"  # text, even when it starts with "="
        if style:  # an unstyled "=..." text comes here too, for its data type alone
            self.book.styles[style].apply(cell)
        return cell

    def style(self, **kw: Any) -> int:
        return self.book.style(**kw)


def _per_column(styles: Styles, n: int) -> list[int]:
    return [styles] * n if isinstance(styles, int) else list(styles) + [0] * (n - len(styles))


class Book:
    """A write-only openpyxl workbook of ``Sheet``s; ``save()`` returns the .xlsx bytes.

    ``large=True`` writes the rows through ``xlsx_splice`` (for reports of ``LARGE_FROM`` facilities or more)."""

    def __init__(self, *, large: bool = False) -> None:
        self.wb = Workbook(write_only=True)
        self.large = large
        self.sheets: list[Sheet] = []
        self.styles: dict[int, _Style] = {}
        self._ids: dict[_Style, int] = {}

    def sheet(self, title: str) -> Sheet:
        sheet = Sheet(self, self.wb.create_sheet(title))
        self.sheets.append(sheet)
        return sheet

    def style(
        self,
        *,
        font: Font | None = None,
        fill: PatternFill | None = None,
        border: Border | None = None,
        alignment: Alignment | None = None,
        number_format: str | None = None,
    ) -> int:
        """The workbook's style id (cellXfs index) for this combination, registered on first use."""
        key = _Style(font, fill, border, alignment, number_format)
        found = self._ids.get(key)
        if found is None:
            if not self.sheets:
                raise ValueError("a style needs a sheet of the workbook")
            cell = WriteOnlyCell(self.sheets[0].ws)  # type: ignore[arg-type]  # as in Sheet._cell
            key.apply(cell)
            found = self._ids[key] = cell.style_id
            self.styles[found] = key
        return found

    def default_style(self, number_format: str) -> int:
        return self.style(number_format=number_format)

    def save(self) -> bytes:
        """The workbook as .xlsx bytes (once: a write-only workbook cannot be saved again)."""
        try:
            for sheet in self.sheets:
                sheet._write()
            package = io.BytesIO()
            self.wb.save(package)
            if not self.large:
                return package.getvalue()
            rows = {s.ws.path.lstrip("/"): s.rows for s in self.sheets if s.rows is not None and s.max_row}
            return xlsx_splice.splice(package.getvalue(), rows)
        finally:
            self.close()

    def close(self) -> None:
        """Drop the serialised rows of a large book (``save`` does; a book given up on before saving should too)."""
        for sheet in self.sheets:
            if sheet.rows is not None:
                sheet.rows.close()


__all__ = ["LARGE_FROM", "Book", "Sheet", "SheetSettings"]
