"""The fast path for very large workbooks: a sheet's rows written as XML into the package openpyxl saved.

openpyxl builds a Cell object and serialises it element by element (about 10-15 µs a cell even in write-only
mode); the year's workbook of 500 facilities has about 4 million cells, so that was nearly all of its time.
Here each row is serialised as it is appended (one f-string per cell) into a temporary file, and when the
workbook is saved, openpyxl writes the package (workbook, styles, sheets without rows) and each sheet's rows
are streamed into its ``<sheetData>`` in the same zip.

This depends on one thing openpyxl does not promise: that a write-only sheet saved without rows holds an empty
``<sheetData/>`` at the path ``ws.path`` names. ``splice`` raises when it does not, and
tests/test_xlsx_rows.py fails on it (and compares this path's workbook with the public API's) when openpyxl
changes; pyproject.toml keeps openpyxl below its next major version. Only ``jbdesk.exports.xlsx_rows`` uses
this module, and only for reports of ``xlsx_rows.LARGE_FROM`` facilities or more.

Cells are written as openpyxl writes them (inline strings, numbers as ``%.16g``, dates as Excel serials with a
date format), so openpyxl, Excel and LibreOffice read the same values, formats and styles.
"""

from __future__ import annotations

import datetime as dt
import io
import numbers
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Mapping, Sequence
from functools import cache, lru_cache
from typing import IO, Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles.numbers import FORMAT_DATE_DATETIME, FORMAT_DATE_YYYYMMDD2
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel

Styles = int | Sequence[int]  # one style id for every cell of a row, or one per column (0: no style)

EMPTY_SHEET_DATA = re.compile(rb"<sheetData\s*/>|<sheetData>\s*</sheetData>")
_FLUSH_PARTS = 50_000  # serialised cells kept as strings before they are written out as UTF-8
_SPOOL_BYTES = 32 << 20  # a sheet's rows stay in memory up to this size, then go to a temporary file
_ROWS_COMPRESSLEVEL = 3  # zlib level for the rows: level 6 (the default) takes 2.5× as long for 15-20 % less


class SheetRows:
    """One sheet's rows, serialised as they are appended (so the work shows in a caller's progress, and the
    values can be dropped at once) into a temporary file that stays in memory until it is large."""

    def __init__(self, default_style: Callable[[str], int], epoch: dt.datetime) -> None:
        self._default_style = default_style  # the style id of a date format (a date cell without a style)
        self._epoch = epoch  # the workbook's date system
        self._data = tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES)  # noqa: SIM115 (closed by close())
        self._pending: list[str] = []
        self._columns: dict[tuple[object, object, int], _Columns] = {}

    def append(
        self, row: int, values: Sequence[Any], styles: Styles, text: Styles | None, height: float | None
    ) -> None:
        r = str(row)
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
            if isinstance(value, dt.datetime) and value.tzinfo is not None:
                raise TypeError("Excel does not support timezones in datetimes")
            if not style:  # what openpyxl gives a date cell without a number format
                style = self._default_style(FORMAT_DATE_DATETIME if is_datetime else FORMAT_DATE_YYYYMMDD2)
            serial = to_excel(value, self._epoch)  # type: ignore[no-untyped-call]  # types-openpyxl leaves it untyped
            return f'<c r="{ref}" s="{style}" t="n"><v>{serial:.16g}</v></c>'
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

    def stream(self) -> IO[bytes]:
        """The serialised rows, from the start (once)."""
        self._flush()
        self._data.seek(0)
        return self._data

    def close(self) -> None:
        self._data.close()


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


@lru_cache(maxsize=1 << 16)
def _text(value: str) -> str:
    """An inline string's XML: the same names and labels recur on thousands of rows."""
    if ILLEGAL_CHARACTERS_RE.search(value):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters are not allowed in XML at all
    escaped = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    space = ' xml:space="preserve"' if value != value.strip() else ""
    return f"<is><t{space}>{escaped}</t></is>"


def splice(package: bytes, rows: Mapping[str, SheetRows]) -> bytes:
    """The saved package with each sheet's rows (by its path in the zip) put into its empty ``<sheetData>``."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(package)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=_ROWS_COMPRESSLEVEL) as dst,
    ):
        missing = set(rows) - set(src.namelist())
        if missing:
            raise ValueError(f"openpyxl saved no sheet at {sorted(missing)}: xlsx_splice needs updating")
        for info in src.infolist():
            data = src.read(info)
            sheet = rows.get(info.filename)
            if sheet is None:
                dst.writestr(info, data)  # as openpyxl wrote it
                continue
            match = EMPTY_SHEET_DATA.search(data)
            if match is None:
                raise ValueError(f"{info.filename}: no empty <sheetData> to fill: xlsx_splice needs updating")
            stream = sheet.stream()
            big = stream.seek(0, io.SEEK_END) > 1 << 30
            stream.seek(0)
            with dst.open(info.filename, "w", force_zip64=big) as target:
                target.write(data[: match.start()])
                target.write(b"<sheetData>")
                shutil.copyfileobj(stream, target, 1 << 20)
                target.write(b"</sheetData>")
                target.write(data[match.end() :])
    return out.getvalue()
