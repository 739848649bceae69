"""The audit log as a workbook: one filterable sheet of entries and one with the verification result.

Written through ``xlsx_rows`` like every workbook jbdesk makes, so every text is a text cell: a file named ``=1+2``
or a comment starting with ``=HYPERLINK(`` stays the text it was, never a formula.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from jbdesk.exports.excel import DATETIME, INT, Col, data_sheet
from jbdesk.exports.xlsx_rows import Book
from jbdesk.fileio import atomic_write
from jbdesk.i18n import tr

AUDIT_COLUMNS = [
    Col(tr("번호"), INT, 8), Col(tr("일시"), DATETIME, 18), Col(tr("OS 사용자"), None, 12), Col(tr("입력자"), None, 10),
    Col(tr("작업"), None, 14), Col(tr("대상"), None, 36), Col(tr("내용"), None, 80), Col(tr("해시"), None, 20),
]  # fmt: skip


def write_audit_workbook(
    rows: Iterable[Sequence[Any]], verification: Sequence[tuple[str, str | datetime]], path: Path
) -> Path:
    """``rows``: (번호, 일시, OS 사용자, 입력자, 작업, 대상, 내용, 해시), oldest first; ``verification``: (label, value)."""
    book = Book()
    try:
        data_sheet(book, tr("감사 기록"), AUDIT_COLUMNS, rows)
        info = book.sheet(tr("검증"))
        when = book.style(number_format=DATETIME)
        for label, value in verification:
            info.append([label, value], [0, when if isinstance(value, datetime) else 0])
        info.ws.column_dimensions["A"].width = 12
        info.ws.column_dimensions["B"].width = 100
        atomic_write(path, book.save())
    finally:
        book.close()
    return path
