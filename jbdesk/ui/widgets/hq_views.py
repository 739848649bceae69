"""Shared pieces of the head-office pages: a read-only table model over prepared rows, its view, and the page
frame with the "엑셀로 저장…" button that writes what the page shows (``ConsolidationService.write_views_xlsx``) on
the worker.

Pages turn the service's frozen read models into ``Row``/``Cell`` values once; the model only shows them. Every
cell keeps its text (the state is always written out, colour only helps), an optional background, bold for
소계/계 rows, and the read-model object behind it (``Qt.UserRole``) for actions such as opening a tracker cell.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QStandardPaths, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QGuiApplication, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLayout,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from jbdesk.domain.hq import STATE_COLOURS, Cancelled, SubmissionState, TrackerCell
from jbdesk.domain.periods import Period, PeriodKind
from jbdesk.i18n import tr
from jbdesk.services.workspace import Workspace
from jbdesk.ui.widgets.period_nav import PeriodNavigator
from jbdesk.ui.worker import Task, run_task

_Index = QModelIndex | QPersistentModelIndex

SUBTOTAL_BG = "#F7F7F2"
TOTAL_BG = "#E8EEF7"
MISSING_FG = "#8A1C1C"
LATE_FG = "#B00020"
WARN_BG = "#FFF4CC"
ERROR_BG = "#FDE2E1"
GOOD_FG = "#2E7D32"
BAD_FG = "#B00020"
DIM_FG = "#777777"

LEFT, RIGHT, CENTER = "left", "right", "center"
_ALIGN = {
    LEFT: Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
    RIGHT: Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
    CENTER: Qt.AlignmentFlag.AlignCenter,
}


@dataclass(frozen=True)
class Cell:
    text: str = ""
    background: str | None = None  # hex colour
    foreground: str | None = None
    bold: bool | None = None  # None: as the row
    align: str = LEFT
    tooltip: str = ""
    value: Any = None  # the read-model object behind the cell (Qt.UserRole)


@dataclass(frozen=True)
class Row:
    cells: tuple[Cell, ...]
    header: str = ""  # vertical header text (the facility in the tracker); empty: none
    kind: str = "data"  # data / subtotal / total
    value: Any = None  # the read-model object behind the row
    background: str | None = None  # for the whole row (cells may override)
    tooltip: str = ""


def num(text: str, **kw: Any) -> Cell:
    """A right-aligned figure."""
    return Cell(text, align=RIGHT, **kw)


def state_cell(cell: TrackerCell, tooltip: str = "") -> Cell:
    """A submission state: its label in text, its colour as background (never colour alone), late in red."""
    return Cell(
        cell.label,
        background=cell.colour,
        foreground=LATE_FG if cell.late else None,
        align=CENTER,
        tooltip=tooltip or cell_tooltip(cell),
        value=cell,
    )


def cell_tooltip(cell: TrackerCell) -> str:
    lines = [tr(f"상태: {cell.state.value}") + (tr(f" ({cell.revision}판)") if cell.revision else "")]
    if cell.due is not None:
        lines.append(tr(f"제출 기한: {cell.due:%Y-%m-%d}"))
    if cell.first_signed_at is not None:
        lines.append(tr(f"처음 보낸 때: {cell.first_signed_at:%Y-%m-%d %H:%M}"))
    if cell.late:
        lines.append(tr("지연: 첫 판을 기한이 지난 뒤에 보냈습니다."))
    if cell.resubmitted:
        lines.append(tr("보완요청 뒤 다시 받은 판입니다. 검토해 주세요."))
    if cell.review is not None:
        r = cell.review
        lines.append(tr(f"본부 {r.decision.value}: {r.decided_at:%Y-%m-%d} {r.decided_by}"))
        if r.comment:
            lines.append(tr("의견: ") + r.comment)
        for path, comment in r.field_comments:
            lines.append(f"· {path}: {comment}")
    return "\n".join(lines)


def bold_font() -> QFont:
    font = QFont()
    font.setBold(True)
    return font


class ViewModel(QAbstractTableModel):
    """Read-only rows prepared by a page. ``Qt.UserRole`` gives the read-model object of a cell (else its row)."""

    def __init__(self, headers: Sequence[str] = (), parent: Any = None, *, wrap_headers: bool = True) -> None:
        super().__init__(parent)
        self.wrap_headers = wrap_headers  # long headers on two lines: narrower columns, more of the table in view
        self._headers: list[str] = list(headers)
        self._header_tips: list[str] = []
        self._rows: list[Row] = []

    # filling ------------------------------------------------------------------------------------------------
    def set_rows(self, rows: Sequence[Row], headers: Sequence[str] | None = None, tips: Sequence[str] = ()) -> None:
        self.beginResetModel()
        if headers is not None:
            self._headers = list(headers)
        self._header_tips = list(tips)
        self._rows = list(rows)
        self.endResetModel()

    @property
    def rows(self) -> list[Row]:
        return self._rows

    @property
    def headers(self) -> list[str]:
        return self._headers

    def row(self, row: int) -> Row | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def cell(self, row: int, col: int) -> Cell | None:
        r = self.row(row)
        return r.cells[col] if r is not None and 0 <= col < len(r.cells) else None

    def texts(self) -> list[list[str]]:
        """What the table shows, row by row (tests and the clipboard read this)."""
        return [[c.text for c in r.cells] for r in self._rows]

    def find_row(self, predicate: Callable[[Row], bool]) -> int:
        return next((i for i, r in enumerate(self._rows) if predicate(r)), -1)

    # Qt -----------------------------------------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal:
            if not 0 <= section < len(self._headers):
                return None
            if role == Qt.ItemDataRole.DisplayRole:
                return two_lines(self._headers[section]) if self.wrap_headers else self._headers[section]
            if role == Qt.ItemDataRole.ToolTipRole and section < len(self._header_tips):
                return self._header_tips[section] or None
            return None
        row = self.row(section)
        if row is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return row.header or str(section + 1)
        if role == Qt.ItemDataRole.FontRole and row.kind != "data":
            return bold_font()
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.tooltip or None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.row(index.row())
        if row is None or not 0 <= index.column() < len(self._headers):
            return None
        cell = row.cells[index.column()] if index.column() < len(row.cells) else Cell()
        if role == Qt.ItemDataRole.DisplayRole:
            return cell.text
        if role == Qt.ItemDataRole.BackgroundRole:
            colour = cell.background or row.background or _KIND_BG.get(row.kind)
            return QBrush(QColor(colour)) if colour else None
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(QColor(cell.foreground)) if cell.foreground else None
        if role == Qt.ItemDataRole.FontRole:
            bold = cell.bold if cell.bold is not None else row.kind != "data"
            return bold_font() if bold else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(_ALIGN[cell.align])
        if role == Qt.ItemDataRole.ToolTipRole:  # long text may be cut in a narrow column: its whole form
            return cell.tooltip or row.tooltip or (cell.text if len(cell.text) > 12 else None)
        if role == Qt.ItemDataRole.UserRole:
            return cell.value if cell.value is not None else row.value
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return cell.text
        return None


_KIND_BG = {"subtotal": SUBTOTAL_BG, "total": TOTAL_BG}


def two_lines(header: str) -> str:
    """'이용자 유효 응답' -> '이용자\n유효 응답'; short headers stay on one line."""
    if len(header) <= 5 or " " not in header or "\n" in header:
        return header
    head, _, rest = header.partition(" ")
    return f"{head}\n{rest}"


class ViewTable(QTableView):
    """A read-only table: arrow keys move, Tab leaves the table, Ctrl+C copies the selection as tab-separated text
    (pastes into Excel or a letter)."""

    def __init__(self, model: ViewModel, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.setAccessibleName(name)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setTabKeyNavigation(False)
        self.setWordWrap(False)
        self.setCornerButtonEnabled(False)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.verticalHeader().setVisible(False)
        self.setStyleSheet("QTableView { gridline-color: #c8ccd2; }")

    def view_model(self) -> ViewModel:
        model = self.model()
        assert isinstance(model, ViewModel)
        return model

    def fit_columns(self, max_width: int = 420, limits: dict[int, int] | None = None) -> None:
        """Columns as wide as their contents, at most ``max_width`` (``limits``: per column); cut text keeps its
        full form in the tooltip or the exported file."""
        self.resizeColumnsToContents()
        header = self.horizontalHeader()
        for c in range(header.count()):
            most = (limits or {}).get(c, max_width)
            if header.sectionSize(c) > most:
                header.resizeSection(c, most)

    def keyPressEvent(self, event) -> None:
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy_selection()
            return
        super().keyPressEvent(event)

    def copy_selection(self) -> str:
        indexes = sorted(self.selectedIndexes(), key=lambda i: (i.row(), i.column()))
        if not indexes:
            return ""
        rows: dict[int, dict[int, str]] = {}
        for i in indexes:
            rows.setdefault(i.row(), {})[i.column()] = str(i.data() or "")
        cols = sorted({i.column() for i in indexes})
        text = "\n".join("\t".join(rows[r].get(c, "") for c in cols) for r in sorted(rows))
        QGuiApplication.clipboard().setText(text)
        return text


def legend(states: Sequence[SubmissionState] = tuple(SubmissionState)) -> QWidget:
    """The colours of the submission states, each with its name written in it."""
    box = QWidget()
    layout = QHBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(QLabel(tr("범례:")))
    for state in states:
        label = QLabel(" –  " + tr(state.value) if state is SubmissionState.NOT_DUE else tr(state.value))
        label.setStyleSheet(f"background: {STATE_COLOURS[state]}; border: 1px solid #bbb; padding: 2px 8px;")
        label.setToolTip(tr(STATE_HELP[state]))
        layout.addWidget(label)
    late = QLabel(tr("· 지연"))
    late.setStyleSheet(f"color: {LATE_FG}; padding: 2px 4px;")
    late.setToolTip(tr("첫 판을 제출 기한이 지난 뒤에 보냄"))
    layout.addWidget(late)
    layout.addStretch(1)
    return box


STATE_HELP = {
    SubmissionState.NOT_DUE: "이 기간에는 보고 대상이 아님 (개시 전·민간이전·운영종료)",
    SubmissionState.PENDING: "아직 받지 않았고 제출 기한 전",
    SubmissionState.MISSING: "제출 기한이 지났는데 받지 못함",
    SubmissionState.RECEIVED: "받았고 본부 검토 전 (n판: 받은 판 번호)",
    SubmissionState.RETURNED: "본부가 보완을 요청함 (고친 판이 오면 다시 접수대기)",
    SubmissionState.ACCEPTED: "본부가 접수함",
}


def default_month(today: date) -> Period:
    """The month head office looks at by default: the one whose reports came in last (the previous month),
    not before January 2026."""
    month = Period.containing(today, PeriodKind.MONTH).previous()
    return max(month, Period.month(2026, 1))


def first_period(kind: PeriodKind) -> Period:
    return Period.containing(date(2026, 1, 1), kind)


def documents_dir() -> Path:
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(found) if found else Path.home()


def ask_save_path(parent: QWidget, title: str, name: str, suffix: str, filter_text: str) -> Path | None:
    """The save dialog; the suffix is added when the user left it off."""
    chosen, _ = QFileDialog.getSaveFileName(parent, title, str(documents_dir() / name), filter_text)
    if not chosen:
        return None
    path = Path(chosen)
    return path if path.suffix.lower() == suffix else path.with_name(path.name + suffix)


def safe_name(text: str) -> str:
    return "".join("_" if ch in '\\/:*?"<>|' else ch for ch in text)


XLSX_FILTER = "Excel 통합 문서 (*.xlsx)"


class HqPage(QWidget):
    """Title, a tool row (the page's selectors, then "엑셀로 저장…"), a summary line, the body, a status line.

    Subclasses build their selectors and body, implement ``refresh()`` (read the service, fill the models) and
    ``views()`` (the read models shown, for Excel). Data may arrive while another page is shown: every show after
    the first reads the service again.
    """

    title_text = ""

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.task: Task | None = None
        self.last_saved: Path | None = None
        self._shown = False
        layout = QVBoxLayout(self)
        self.title = QLabel(tr(self.title_text))
        self.title.setObjectName("pageTitle")
        layout.addWidget(self.title)
        self.tools = QHBoxLayout()
        layout.addLayout(self.tools)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.summary)
        self.body = QVBoxLayout()
        layout.addLayout(self.body, 1)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setStyleSheet("color: #555;")
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.status)
        self.excel_button = QPushButton(tr("엑셀로 저장(&X)…"))
        self.excel_button.setToolTip(tr("이 화면에 보이는 표를 엑셀 파일로 저장합니다."))
        self.excel_button.clicked.connect(self.export_excel)

    def add_period_selector(self, kind: PeriodKind, default: Period, label: str) -> PeriodNavigator:
        """The page's period navigator in the tool row, behind its label; ``self.nav`` refreshes the page."""
        self.nav = PeriodNavigator(kind, first_period(kind), self.ws.consolidation.today)
        self.nav.set_period(default)
        caption = QLabel(tr(label))
        caption.setBuddy(self.nav.combo)
        self.tools.addWidget(caption)
        self.tools.addWidget(self.nav)
        return self.nav

    def set_period(self, period: Period) -> None:
        """Show the period of the page's kind that holds ``period`` (links from other pages pass a month)."""
        self.nav.set_period(Period.containing(period.start, self.nav.kind))

    def follow_period(self) -> None:
        """Call last in a subclass's ``__init__``: the page fills now, and again whenever its period changes."""
        self.nav.periodChanged.connect(lambda _p: self.refresh())
        self.refresh()

    def add_split(self, top: QWidget, caption: QWidget | QLayout, detail: QWidget) -> None:
        """The page's main table over a detail table with its caption, the divider movable (3 : 2)."""
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 4, 0, 0)
        if isinstance(caption, QLayout):
            lower_layout.addLayout(caption)
        else:
            lower_layout.addWidget(caption)
        lower_layout.addWidget(detail, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        self.body.addWidget(splitter, 1)

    def add_note(self, text: str) -> QLabel:
        """A grey explanatory line under the body (what the figures mean, what the colours say)."""
        note = QLabel(text)
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        self.body.addWidget(note)
        return note

    def finish_tools(self) -> None:
        """Call after adding the selectors: the Excel button goes to the right end."""
        self.tools.addStretch(1)
        self.tools.addWidget(self.excel_button)

    # to implement -----------------------------------------------------------------------------------------------
    def refresh(self) -> None:
        raise NotImplementedError

    def views(self) -> list[Any]:
        raise NotImplementedError

    def export_name(self) -> str:
        return tr(self.title_text)

    # shared -----------------------------------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        if self._shown:
            self.refresh()
        self._shown = True
        super().showEvent(event)

    def export_excel(self) -> Task | None:
        if self.task is not None:
            return None
        views = self.views()
        path = ask_save_path(self, tr("엑셀로 저장"), safe_name(self.export_name()) + ".xlsx", ".xlsx", tr(XLSX_FILTER))
        if path is None:
            return None

        def work(report, cancelled):
            report(0, 1, tr("엑셀 파일을 만드는 중…"))
            return self.ws.consolidation.write_views_xlsx(views, path)

        return self.start(tr("엑셀로 저장하는 중"), work, self._saved)

    def start(self, title: str, work: Any, on_done: Callable[[Any], None]) -> Task | None:
        """Run ``work`` on the worker (one at a time per page); errors go to the one error handler."""
        if self.task is not None:
            return None
        self.excel_button.setEnabled(False)

        def done(result: Any) -> None:
            self._finish()
            on_done(result)

        self.task = run_task(self, title, work, done, self._failed)
        return self.task

    def _finish(self) -> None:
        self.task = None
        self.excel_button.setEnabled(True)

    def _failed(self, exc: BaseException) -> None:
        from jbdesk.ui.errors import show_error

        self._finish()
        if isinstance(exc, Cancelled):  # the user pressed 취소: no message box for what they asked for
            self.status.setText(exc.message)
            return
        show_error(self, exc)

    def _saved(self, path: Path) -> None:
        self.last_saved = path
        self.status.setText(tr(f"저장했습니다: {path}"))
