"""Workbooks whose rows are written as sheet XML directly, everything else by openpyxl.

openpyxl builds a Cell object and serialises it element by element (about 10-15 µs a cell even in write-only
mode with lxml); the year's workbook has about 120,000 cells for 15 facilities and 4 million for 500, so that
was nearly all of its time. Here a sheet is an openpyxl write-only worksheet for what surrounds the rows
(column widths, frozen panes, filters, merged cells, print settings) and a list of rows kept as Python values;
when the workbook is saved, openpyxl writes the package (workbook, styles, sheets without rows) and each
sheet's rows are then streamed into its ``<sheetData>`` in the same zip: one f-string per cell.

Cells are written as openpyxl writes them (inline strings, numbers as ``%.16g``, dates as Excel serials with a
date format), so openpyxl, Excel and LibreOffice read the same values, formats and styles. Styles are
openpyxl's own: ``Book.style`` registers each combination once through a ``WriteOnlyCell`` and uses its id.
"""

from __future__ import annotations

import datetime as dt
import io
import numbers
import re
import shutil
import tempfile
import zipfile
from collections.abc import Sequence
from functools import cache, lru_cache
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill
from openpyxl.styles.numbers import FORMAT_DATE_DATETIME, FORMAT_DATE_YYYYMMDD2
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

Styles = int | Sequence[int]  # one style id for every cell of a row, or one per column (0: no style)

_EMPTY_SHEET_DATA = re.compile(rb"<sheetData\s*/>|<sheetData>\s*</sheetData>")
_FLUSH_PARTS = 50_000  # serialised cells kept as strings before they are written out as UTF-8
_SPOOL_BYTES = 32 << 20  # a sheet's rows stay in memory up to this size, then go to a temporary file
_ROWS_COMPRESSLEVEL = 3  # zlib level for the rows: level 6 (the default) takes 2.5× as long for 15-20 % less


class Sheet:
    """One worksheet: ``ws`` (openpyxl, write-only) for its settings, ``append`` for its rows.

    Rows are serialised as they are appended (so the work shows in a caller's progress, and the values can be
    dropped at once) into a temporary file that stays in memory until it is large."""

    def __init__(self, book: Book, ws: WriteOnlyWorksheet) -> None:
        self.book = book
        self.ws = ws
        self.max_row = 0
        self._data = tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES)  # noqa: SIM115 (closed by Book.save)
        self._pending: list[str] = []
        self._columns: dict[tuple, _Columns] = {}

    def append(
        self, values: Sequence[Any], styles: Styles = 0, *, text: Styles | None = None, height: float | None = None
    ) -> None:
        """Add a row. ``styles`` apply to every cell (empty cells too: borders, fills); ``text``, when given,
        replaces them for string values (a column's number format is not put on a text cell). A date or time
        without a date format gets openpyxl's default one."""
        self.max_row += 1
        r = str(self.max_row)
        key = (
            styles if isinstance(styles, int) else tuple(styles),
            text if text is None or isinstance(text, int) else tuple(text),
            len(values),
        )
        cols = self._columns.get(key)
        if cols is None:
            cols = self._columns[key] = _Columns(styles, text, len(values))
        letters, number, string, empty, empty_text = cols.letters, cols.number, cols.string, cols.empty, cols.empty_text
        out = self._pending
        out.append(f'<row r="{r}" ht="{height}" customHeight="1">' if height else f'<row r="{r}">')
        for c, value in enumerate(values):
            kind = type(value)
            if kind is str:
                if value:
                    out.append(f'<c r="{letters[c]}{r}{string[c]}{_text(value)}</c>')
                elif empty_text[c]:
                    out.append(f'<c r="{letters[c]}{r}{empty_text[c]}')
            elif kind is int:
                out.append(f'<c r="{letters[c]}{r}{number[c]}{value}</v></c>')
            elif value is None:
                if empty[c]:
                    out.append(f'<c r="{letters[c]}{r}{empty[c]}')
            elif kind is float:
                if value - value == 0:  # not NaN or ±inf: Excel has no such numbers
                    out.append(f'<c r="{letters[c]}{r}{number[c]}{value:.16g}</v></c>')
                elif empty[c]:
                    out.append(f'<c r="{letters[c]}{r}{empty[c]}')
            else:
                out.append(self._other(f"{letters[c]}{r}", value, cols.styles[c], cols.text[c]))
        out.append("</row>")
        if len(out) > _FLUSH_PARTS:
            self._flush()

    def _other(self, ref: str, value: Any, style: int, text_style: int) -> str:
        if isinstance(value, bool):
            s = f' s="{style}"' if style else ""
            return f'<c r="{ref}"{s} t="b"><v>{int(value)}</v></c>'
        if isinstance(value, dt.date):  # datetime too
            is_datetime = isinstance(value, dt.datetime)
            if is_datetime and value.tzinfo is not None:
                raise TypeError("Excel does not support timezones in datetimes")
            if not style:  # what openpyxl gives a date cell without a number format
                style = self.book.style(number_format=FORMAT_DATE_DATETIME if is_datetime else FORMAT_DATE_YYYYMMDD2)
            return f'<c r="{ref}" s="{style}" t="n"><v>{to_excel(value, self.book.wb.epoch):.16g}</v></c>'
        if isinstance(value, numbers.Real):  # IntEnum, Fraction, numpy numbers
            number = float(value)
            if number - number == 0:
                s = f' s="{style}"' if style else ""
                return f'<c r="{ref}"{s} t="n"><v>{number:.16g}</v></c>'
            return f'<c r="{ref}" s="{style}"/>' if style else ""
        s = f' s="{text_style}"' if text_style else ""
        return f'<c r="{ref}"{s} t="inlineStr">{_text(str(value))}</c>'

    def _flush(self) -> None:
        if self._pending:
            self._data.write("".join(self._pending).encode("utf-8"))
            self._pending.clear()

    def _rows(self) -> IO[bytes]:
        """The serialised rows, from the start (once)."""
        self._flush()
        self._data.seek(0)
        return self._data

    def style(self, **kw: Any) -> int:
        return self.book.style(**kw)


class _Columns:
    """What a row's cells start with, per column, for one combination of styles: after ``<c r="A1``, the closing
    quote, the style and the type, up to where the value goes."""

    def __init__(self, styles: Styles, text: Styles | None, n: int) -> None:
        self.styles = [styles] * n if isinstance(styles, int) else list(styles) + [0] * (n - len(styles))
        if text is None:
            self.text = self.styles
        else:
            self.text = [text] * n if isinstance(text, int) else list(text) + [0] * (n - len(text))
        self.letters = [_letter(c) for c in range(n)]
        self.number = [f'" s="{s}" t="n"><v>' if s else '" t="n"><v>' for s in self.styles]
        self.string = [f'" s="{s}" t="inlineStr">' if s else '" t="inlineStr">' for s in self.text]
        self.empty = [f'" s="{s}"/>' if s else "" for s in self.styles]
        self.empty_text = [f'" s="{s}"/>' if s else "" for s in self.text]


@cache
def _letter(index: int) -> str:
    return get_column_letter(index + 1)


class Book:
    """A write-only openpyxl workbook of ``Sheet``s; ``save()`` returns the .xlsx bytes."""

    def __init__(self) -> None:
        self.wb = Workbook(write_only=True)
        self.sheets: list[Sheet] = []
        self._styles: dict[tuple, int] = {}

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
        key = (font, fill, border, alignment, number_format)
        if key not in self._styles:
            if not self.sheets:
                raise ValueError("a style needs a sheet of the workbook")
            cell = WriteOnlyCell(self.sheets[0].ws)
            if font is not None:
                cell.font = font
            if fill is not None:
                cell.fill = fill
            if border is not None:
                cell.border = border
            if alignment is not None:
                cell.alignment = alignment
            if number_format is not None:
                cell.number_format = number_format
            self._styles[key] = cell.style_id
        return self._styles[key]

    def save(self) -> bytes:
        """The workbook as .xlsx bytes (once: a write-only workbook cannot be saved again)."""
        try:
            package = io.BytesIO()
            self.wb.save(package)  # every sheet without rows; sheet paths are known from here on
            sheets = {sheet.ws.path.lstrip("/"): sheet for sheet in self.sheets if sheet.max_row}
            out = io.BytesIO()
            with (
                zipfile.ZipFile(package) as src,
                zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=_ROWS_COMPRESSLEVEL) as dst,
            ):
                for info in src.infolist():
                    data = src.read(info)
                    sheet = sheets.get(info.filename)
                    if sheet is None:
                        dst.writestr(info, data)  # as openpyxl wrote it
                        continue
                    match = _EMPTY_SHEET_DATA.search(data)
                    if match is None:
                        raise ValueError(f"{info.filename}: no empty <sheetData> to fill")
                    rows = sheet._rows()
                    big = rows.seek(0, io.SEEK_END) > 1 << 30
                    rows.seek(0)
                    with dst.open(info.filename, "w", force_zip64=big) as stream:
                        stream.write(data[: match.start()])
                        stream.write(b"<sheetData>")
                        shutil.copyfileobj(rows, stream, 1 << 20)
                        stream.write(b"</sheetData>")
                        stream.write(data[match.end() :])
            return out.getvalue()
        finally:
            self.close()

    def close(self) -> None:
        """Drop the serialised rows (``save`` does; a workbook given up on before saving should too)."""
        for sheet in self.sheets:
            sheet._data.close()


@lru_cache(maxsize=1 << 16)
def _text(value: str) -> str:
    """An inline string's XML: the same names and labels recur on thousands of rows."""
    if ILLEGAL_CHARACTERS_RE.search(value):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters are not allowed in XML at all
    escaped = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    space = ' xml:space="preserve"' if value != value.strip() else ""
    return f"<is><t{space}>{escaped}</t></is>"


__all__ = ["Book", "Sheet"]
