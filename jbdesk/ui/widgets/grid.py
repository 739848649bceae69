"""Spreadsheet-like grid for form rows: Enter moves down, Tab right, Excel blocks paste, totals row, △ numbers."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from jbdesk.domain.numbers import fmt_int, parse_int
from jbdesk.domain.validation import Problem, Severity, ValidationResult
from jbdesk.errors import InvalidInputError
from jbdesk.i18n import tr

_Index = QModelIndex | QPersistentModelIndex
ERROR_BG = QColor("#fde2e1")
WARNING_BG = QColor("#fff4cc")
EXPLAINED_BG = QColor("#eef6e8")
READONLY_BG = QColor("#f4f5f7")
TOTAL_BG = QColor("#e8eef7")


@dataclass(frozen=True)
class Column:
    """One column. ``key`` is the field name inside a row; computed columns read ``computed(row_index)``."""

    key: str
    title: str
    kind: str = "int"  # int | money | text | choice | computed
    editable: bool = True
    allow_negative: bool = False
    choices: tuple[str, ...] = ()
    width: int | None = None
    tooltip: str = ""
    fmt: Callable[[Any], str] | None = None  # computed columns: how to show the value

    numeric_display: bool = True  # computed columns: right-aligned numbers (False: text)

    @classmethod
    def of(cls, key: str, titles: Mapping[str, str], *args: Any, **kw: Any) -> Column:
        """A column over the payload field ``key`` (``action/due``: its last part), titled from a table of
        ``jbdesk.domain.field_names``: the grid and head office's list of changes use the same words."""
        return cls(key, tr(titles[key.rsplit("/", 1)[-1]]), *args, **kw)

    @property
    def numeric(self) -> bool:
        return self.kind in ("int", "money") or (self.kind == "computed" and self.numeric_display)


@dataclass
class GridContent:
    rows: list[dict[str, Any]] = field(default_factory=list)  # JSON builtins of each row
    computed: list[dict[str, Any]] = field(default_factory=list)  # per row: values of computed columns
    total: dict[str, Any] | None = None  # the 계 row, by column key
    problems: dict[str, list[Problem]] = field(default_factory=dict)  # by field path
    explained: frozenset[str] = frozenset()  # problem keys that carry an explanation
    editable: bool = True
    row_labels: list[str] = field(default_factory=list)  # vertical header; empty = row numbers


def problems_by_field(result: ValidationResult) -> dict[str, list[Problem]]:
    out: dict[str, list[Problem]] = {}
    for p in result.problems:
        if p.field:
            out.setdefault(p.field, []).append(p)
    return out


def _lookup(row: dict[str, Any], key: str) -> Any:
    """A row's value; keys may reach into nested fields (``counts/0``, ``action/status``)."""
    node: Any = row
    for part in key.split("/"):
        if isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        elif isinstance(node, dict):
            node = node.get(part)
        else:
            return None
    return node


def parse_cell(column: Column, text: str) -> Any:
    text = text.strip()
    if column.kind in ("int", "money"):
        return parse_int(text, allow_negative=column.allow_negative)
    if column.kind == "choice":
        if text and text not in column.choices:
            raise InvalidInputError(tr(f"'{text}'은(는) 고를 수 있는 값이 아닙니다: ") + ", ".join(column.choices))
        return text
    return text


class GridModel(QAbstractTableModel):
    """Rows of a list inside the payload (``list_path``); edits leave through ``commit``."""

    inputRejected = Signal(str)

    def __init__(self, list_path: str, columns: Sequence[Column], commit: Callable[[list[tuple[str, Any]]], bool]):
        super().__init__()
        self.list_path = list_path
        self.columns = tuple(columns)
        self._commit = commit
        self.content = GridContent()

    # content ------------------------------------------------------------------------------
    def set_content(self, content: GridContent) -> None:
        same_shape = len(content.rows) == len(self.content.rows) and (content.total is None) == (
            self.content.total is None
        )
        if same_shape:
            self.content = content
            if self.rowCount():
                self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1))
            self.headerDataChanged.emit(Qt.Orientation.Vertical, 0, max(0, self.rowCount() - 1))
        else:
            self.beginResetModel()
            self.content = content
            self.endResetModel()

    @property
    def data_rows(self) -> int:
        return len(self.content.rows)

    def path(self, row: int, col: int) -> str:
        return f"{self.list_path}/{row}/{self.columns[col].key}"

    def is_total(self, row: int) -> bool:
        return row >= self.data_rows

    def cell_editable(self, row: int, col: int) -> bool:
        return self.content.editable and not self.is_total(row) and self.columns[col].editable

    # Qt model -----------------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else self.data_rows + (1 if self.content.total is not None else 0)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole:
            if orientation == Qt.Orientation.Horizontal:
                return self.columns[section].title
            if section >= self.data_rows:
                return tr("계")
            labels = self.content.row_labels
            return labels[section] if section < len(labels) else str(section + 1)
        if role == Qt.ItemDataRole.ToolTipRole and orientation == Qt.Orientation.Horizontal:
            return self.columns[section].tooltip or None
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.cell_editable(index.row(), index.column()):
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def _value(self, row: int, col: int) -> Any:
        column = self.columns[col]
        if self.is_total(row):
            return (self.content.total or {}).get(column.key)
        if column.kind == "computed":
            computed = self.content.computed
            return computed[row].get(column.key) if row < len(computed) else None
        return _lookup(self.content.rows[row], column.key)

    def _display(self, column: Column, value: Any) -> str:
        if column.fmt is not None:
            return column.fmt(value) if value is not None else ""
        if value is None:
            return ""
        if column.numeric and isinstance(value, int):
            return fmt_int(value)
        return str(value)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row, col = index.row(), index.column()
        column = self.columns[col]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(column, self._value(row, col))
        if role == Qt.ItemDataRole.EditRole:
            value = self._value(row, col)
            return "" if value is None else str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            align = Qt.AlignmentFlag.AlignRight if column.numeric else Qt.AlignmentFlag.AlignLeft
            return int(align | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and self.is_total(row):
            font = QFont()
            font.setBold(True)
            return font
        problems = [] if self.is_total(row) else self.content.problems.get(self.path(row, col), [])
        if role == Qt.ItemDataRole.BackgroundRole:
            if any(p.severity is Severity.ERROR for p in problems):
                return QBrush(ERROR_BG)
            if problems:
                explained = all(p.key in self.content.explained for p in problems)
                return QBrush(EXPLAINED_BG if explained else WARNING_BG)
            if self.is_total(row):
                return QBrush(TOTAL_BG)
            if not self.cell_editable(row, col):
                return QBrush(READONLY_BG)
            return None
        if role == Qt.ItemDataRole.ToolTipRole and problems:
            return "\n".join(f"[{p.severity.value}] {p.message}" for p in problems)
        if role == Qt.ItemDataRole.AccessibleDescriptionRole and problems:
            return " ".join(p.message for p in problems)
        return None

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        return self.set_texts([(index.row(), index.column(), str(value if value is not None else ""))])

    def set_texts(self, cells: Sequence[tuple[int, int, str]]) -> bool:
        """Parse and commit several cells at once; any bad cell rejects the whole set (nothing saved)."""
        changes: list[tuple[str, Any]] = []
        for row, col, text in cells:
            if not self.cell_editable(row, col):
                continue
            column = self.columns[col]
            try:
                changes.append((self.path(row, col), parse_cell(column, text)))
            except InvalidInputError as exc:
                self.inputRejected.emit(f"{column.title}: {exc.message}")
                return False
        return bool(changes) and self._commit(changes)


class ChoiceDelegate(QStyledItemDelegate):
    """A combo box editor for columns with fixed choices (status, severity ...)."""

    def __init__(self, columns: Sequence[Column], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.columns = columns

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: _Index) -> QWidget:
        column = self.columns[index.column()]
        if column.kind != "choice":
            return super().createEditor(parent, option, index)
        combo = QComboBox(parent)
        combo.addItems(["", *column.choices])
        return combo

    def setEditorData(self, editor: QWidget, index: _Index) -> None:
        if isinstance(editor, QComboBox):
            editor.setCurrentText(str(index.data(Qt.ItemDataRole.EditRole) or ""))
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model, index: _Index) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentText(), Qt.ItemDataRole.EditRole)
        else:
            super().setModelData(editor, model, index)


class GridView(QTableView):
    """QTableView with spreadsheet keys: Enter moves down, Tab moves right, Ctrl+V pastes a block, Delete clears."""

    pasted = Signal(int)

    def __init__(self, model: GridModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.setItemDelegate(ChoiceDelegate(model.columns, self))
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.setSelectionMode(QAbstractItemView.SelectionMode.ContiguousSelection)
        self.setTabKeyNavigation(True)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.horizontalHeader().setDefaultSectionSize(80)
        self.verticalHeader().setDefaultSectionSize(28)
        for i, column in enumerate(model.columns):
            if column.width:
                self.setColumnWidth(i, column.width)

    def grid_model(self) -> GridModel:
        model = self.model()
        assert isinstance(model, GridModel)
        return model

    def _move_down(self) -> None:
        current = self.currentIndex()
        if current.isValid() and current.row() + 1 < self.model().rowCount():
            self.setCurrentIndex(self.model().index(current.row() + 1, current.column()))

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        if hint == QAbstractItemDelegate.EndEditHint.SubmitModelCache:  # Enter in an editor: commit, go down
            super().closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
            self._move_down()
            return
        super().closeEditor(editor, hint)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Paste):
            self.paste_clipboard()
            return
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy_selection()
            return
        if (
            event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and self.state() != QAbstractItemView.State.EditingState
        ):
            self._move_down()
            return
        if (
            event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
            and self.state() != QAbstractItemView.State.EditingState
        ):
            cells = [(i.row(), i.column(), "") for i in self.selectedIndexes()]
            self.grid_model().set_texts(cells)
            return
        super().keyPressEvent(event)

    def paste_text(self, text: str) -> int:
        """Paste a tab-separated block (what Excel and LibreOffice copy) at the current cell."""
        start = self.currentIndex()
        if not start.isValid():
            return 0
        model = self.grid_model()
        lines = text.replace("\r\n", "\n").replace("\r", "\n").rstrip("\n").split("\n")
        cells = []
        for dr, line in enumerate(lines):
            for dc, value in enumerate(line.split("\t")):
                row, col = start.row() + dr, start.column() + dc
                if row < model.data_rows and col < model.columnCount() and model.cell_editable(row, col):
                    cells.append((row, col, value))
        ok = model.set_texts(cells) if cells else False
        count = len(cells) if ok else 0
        self.pasted.emit(count)
        return count

    def paste_clipboard(self) -> int:
        return self.paste_text(QGuiApplication.clipboard().text())

    def copy_selection(self) -> None:
        indexes = sorted(self.selectedIndexes(), key=lambda i: (i.row(), i.column()))
        if not indexes:
            return
        rows: dict[int, dict[int, str]] = {}
        for i in indexes:
            rows.setdefault(i.row(), {})[i.column()] = str(i.data(Qt.ItemDataRole.EditRole) or "")
        cols = sorted({i.column() for i in indexes})
        text = "\n".join("\t".join(r.get(c, "") for c in cols) for _, r in sorted(rows.items()))
        QGuiApplication.clipboard().setText(text)
