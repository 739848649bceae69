"""제출 현황 (head office): facility × period grid of one form with each cell's state in text and colour, counts per
row and per period, the due day, and the review of a received report (판 비교, 접수, 보완요청)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from jbdesk.domain.forms import FORMS, FormKind
from jbdesk.domain.hq import TRACKED_FORMS, ReviewDecision, ReviewInfo, SubmissionState, TrackerCell, TrackerGrid
from jbdesk.domain.jsonpath import leaf_paths
from jbdesk.domain.periods import Period, PeriodKind
from jbdesk.i18n import tr
from jbdesk.services.workspace import Workspace
from jbdesk.ui.errors import show_error
from jbdesk.ui.revisions_dialog import RevisionsDialog
from jbdesk.ui.widgets.hq_views import (
    CENTER,
    Cell,
    HqPage,
    Row,
    ViewModel,
    ViewTable,
    legend,
    num,
    state_cell,
)

COUNT_HEADERS = ("제출", "미제출", "지연")
TOTALS_HEADER = "계 (제출/미제출/지연)"


def tracker_rows(grid: TrackerGrid) -> tuple[list[str], list[Row]]:
    """The grid as the page (and the Excel sheet) shows it: one row per facility, a totals row."""
    headers = [p.label for p in grid.periods] + [tr(h) for h in COUNT_HEADERS]
    rows = []
    for row in grid.rows:
        received = sum(1 for c in row.cells if c.received)
        missing = row.counts[SubmissionState.MISSING]
        count_cells = [
            num(str(received)),
            num(str(missing), foreground="#B00020" if missing else None),
            num(str(row.late), foreground="#B00020" if row.late else None),
        ]
        f = row.facility
        rows.append(
            Row(
                (*[state_cell(c) for c in row.cells], *count_cells),
                header=f"{f.code} {f.name}",
                value=f,
                tooltip=f"{f.code} {f.name}\n{f.group} · {f.type}",
            )
        )
    totals = []
    for i, _period in enumerate(grid.periods):
        counts = grid.column_counts[i]
        received = sum(1 for r in grid.rows if r.cells[i].received)
        tip = "\n".join(f"{s.value} {counts[s]}" for s in SubmissionState if counts[s]) + tr(
            f"\n지연 {grid.column_late[i]}"
        )
        totals.append(
            Cell(f"{received}/{counts[SubmissionState.MISSING]}/{grid.column_late[i]}", align=CENTER, tooltip=tip)
        )
    totals += [Cell(), Cell(), Cell()]
    rows.append(Row(tuple(totals), header=tr(TOTALS_HEADER), kind="total"))
    return headers, rows


class ReturnDialog(QDialog):
    """보완요청: what to correct (required unless item comments are given), optional comments on single items."""

    def __init__(
        self,
        title: str,
        paths: list[tuple[str, Any, str]],
        parent: QWidget | None = None,
        labels: Mapping[str, str] | None = None,
    ) -> None:
        """``labels``: what a reader calls each path (요양보호사 · 현원); a path without one shows with its row."""
        super().__init__(parent)
        self.labels = {path: label for path, label in (labels or {}).items() if label and label != path}
        self.setWindowTitle(tr("보완요청 — ") + title)
        self.resize(620, 480)
        layout = QVBoxLayout(self)
        comment_label = QLabel(tr("무엇을 고쳐서 다시 보내야 하는지 적어 주세요(&M):"))
        layout.addWidget(comment_label)
        self.comment = QPlainTextEdit()
        self.comment.setTabChangesFocus(True)
        self.comment.setAccessibleName(tr("보완요청 의견"))
        layout.addWidget(self.comment, 2)
        comment_label.setBuddy(self.comment)
        layout.addWidget(QLabel(tr("항목별 의견 (선택):")))
        row = QHBoxLayout()
        self.path = QComboBox()
        self.path.setEditable(True)
        self.path.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.path.setAccessibleName(tr("항목"))
        self.path.setMinimumContentsLength(24)
        for path, value, context in paths:
            shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
            where = f" ({context})" if context and context != value else ""
            self.path.addItem(f"{self.labels.get(path) or path + where}  = {shown[:30]}", path)
        self.path.setCurrentIndex(-1)
        self.field_text = QLineEdit()
        self.field_text.setPlaceholderText(tr("이 항목에 대한 의견"))
        self.field_text.setAccessibleName(tr("항목 의견"))
        self.add_button = QPushButton(tr("추가(&T)"))
        self.add_button.clicked.connect(self.add_field)
        row.addWidget(self.path, 2)
        row.addWidget(self.field_text, 3)
        row.addWidget(self.add_button)
        layout.addLayout(row)
        self.fields = QListWidget()
        self.fields.setAccessibleName(tr("항목별 의견 목록"))
        layout.addWidget(self.fields, 1)
        self.remove_button = QPushButton(tr("선택한 의견 빼기(&D)"))
        self.remove_button.clicked.connect(self.remove_field)
        layout.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(tr("보완요청"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("취소"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.comment.textChanged.connect(self._update)
        self._update()

    def _path_text(self) -> str:
        index = self.path.currentIndex()
        if index >= 0 and self.path.currentText() == self.path.itemText(index):
            return str(self.path.itemData(index))
        typed = self.path.currentText().split("  = ")[0].strip()
        named = [path for path, label in self.labels.items() if label == typed]
        return named[0] if named else typed.split(" (")[0].strip()

    def add_field(self) -> None:
        path, text = self._path_text(), self.field_text.text().strip()
        if not path or not text:
            return
        item = QListWidgetItem(f"{self.labels.get(path, path)}: {text}")
        item.setData(Qt.ItemDataRole.UserRole, (path, text))
        self.fields.addItem(item)
        self.field_text.clear()
        self._update()

    def remove_field(self) -> None:
        for item in self.fields.selectedItems():
            self.fields.takeItem(self.fields.row(item))
        self._update()

    def field_comments(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for i in range(self.fields.count()):
            path, text = self.fields.item(i).data(Qt.ItemDataRole.UserRole)
            out[path] = f"{out[path]} / {text}" if path in out else text
        return out

    def _update(self) -> None:
        self.ok_button.setEnabled(bool(self.comment.toPlainText().strip()) or self.fields.count() > 0)


class ReviewDialog(RevisionsDialog):
    """A received report: its state and review history above the revisions and their differences, with 접수 and
    보완요청 for the current revision. ``decided`` carries the new ``ReviewInfo``."""

    decided = Signal(object)

    def __init__(self, ws: Workspace, cell: TrackerCell, facility_name: str, parent: QWidget | None = None) -> None:
        super().__init__(ws, cell.ref, parent)
        self.ws = ws
        self.cell = cell
        self.return_dialog: ReturnDialog | None = None
        self.setWindowTitle(tr("받은 보고 검토 — ") + f"{cell.facility_code} {facility_name} · {cell.ref.label}")
        info = QLabel(self._info_text(facility_name))
        info.setWordWrap(True)
        info.setTextFormat(Qt.TextFormat.RichText)
        info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        info.setStyleSheet("padding: 6px; background: #f6f8fb; border: 1px solid #dde3ea;")
        self.info = info
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(0, info)
        box = self.findChild(QDialogButtonBox)
        if box is None:  # RevisionsDialog without its own buttons: bring ours
            box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
            box.rejected.connect(self.reject)
            layout.addWidget(box)
        self.accept_button = QPushButton(tr(f"{cell.revision}판 접수(&A)"))
        self.return_button = QPushButton(tr(f"{cell.revision}판 보완요청(&R)…"))
        self.accept_button.setToolTip(tr("받은 보고를 그대로 접수합니다."))
        self.return_button.setToolTip(tr("고칠 점을 적어 보완을 요청합니다. 고친 판이 오면 다시 접수대기가 됩니다."))
        box.addButton(self.accept_button, QDialogButtonBox.ButtonRole.ActionRole)
        box.addButton(self.return_button, QDialogButtonBox.ButtonRole.ActionRole)
        close = box.button(QDialogButtonBox.StandardButton.Close)
        if close is not None:
            close.setText(tr("닫기"))
        self.accept_button.clicked.connect(self.accept_report)
        self.return_button.clicked.connect(self.ask_return)
        self.table.setFocus()

    def _info_text(self, facility_name: str) -> str:
        c = self.cell
        lines = [
            f"<b>{c.facility_code} {facility_name}</b> · {FORMS[c.form].label} {c.period.label}",
            tr(f"현재 상태: <b>{c.label}</b>")
            + (tr(f" · 제출 기한 {c.due:%Y-%m-%d}") if c.due else "")
            + (tr(f" · 처음 보낸 때 {c.first_signed_at:%Y-%m-%d %H:%M}") if c.first_signed_at else ""),
        ]
        if c.resubmitted:
            lines.append(tr("보완요청 뒤 다시 받은 판입니다."))
        history = self.ws.reviews.history(c.ref)
        if history:
            lines.append(tr("검토 기록:"))
            lines += [f"&nbsp;&nbsp;· {_review_text(r, self._field_names(r))}" for r in history]
        return "<br>".join(lines)

    def _field_names(self, review: ReviewInfo) -> dict[str, str]:
        """The fields a review commented on, named after the revision it was about."""
        records = {r.record.revision: r.record for r in self.revisions}
        record = records.get(review.revision)
        if record is None or not review.field_comments:
            return {}
        return self.ws.reviews.field_names(record, [path for path, _ in review.field_comments])

    def accept_report(self) -> None:
        try:
            info = self.ws.reviews.accept(self.cell.ref, revision=self.cell.revision)
        except Exception as exc:
            show_error(self, exc)
            return
        self.decided.emit(info)
        self.accept()

    def ask_return(self) -> ReturnDialog:
        paths: list[tuple[str, Any, str]] = []
        labels: dict[str, str] = {}
        if self.revisions:
            record = self.revisions[-1].record
            try:
                paths = leaf_paths(json.loads(record.payload))
            except (ValueError, TypeError):
                paths = []
            labels = self.ws.reviews.field_names(record, [path for path, _, _ in paths])
        title = f"{self.cell.facility_code} {self.cell.ref.label}"
        self.return_dialog = ReturnDialog(title, paths, self, labels)
        self.return_dialog.accepted.connect(self._return)
        self.return_dialog.open()
        return self.return_dialog

    def _return(self) -> None:
        dialog = self.return_dialog
        assert dialog is not None
        try:
            info = self.ws.reviews.return_for_correction(
                self.cell.ref, dialog.comment.toPlainText(), dialog.field_comments(), revision=self.cell.revision
            )
        except Exception as exc:
            show_error(self, exc)
            return
        self.decided.emit(info)
        self.accept()


def _review_text(r: ReviewInfo, names: Mapping[str, str] | None = None) -> str:
    """One line of the review history; ``names``: what a reader calls each commented field (else its path)."""
    from html import escape

    names = names or {}
    text = f"{r.revision}판 {r.decision.value} ({r.decided_at:%Y-%m-%d %H:%M} {escape(r.decided_by)})"
    if r.comment:
        text += f": {escape(r.comment)}"
    if r.field_comments:
        text += " — " + "; ".join(f"{escape(names.get(p, p))}: {escape(t)}" for p, t in r.field_comments)
    return text


class TrackerPage(HqPage):
    title_text = "제출 현황"

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(ws, parent)
        self.grid: TrackerGrid | None = None
        self.detail: ReviewDialog | None = None
        today = ws.consolidation.today
        year = max(today.year, 2026)
        self.months = [Period.month(y, m) for y in range(2026, year + 1) for m in range(1, 13)]
        current = min(max(Period.containing(today, PeriodKind.MONTH), self.months[0]), self.months[-1])

        self.form_combo = QComboBox()
        for form in TRACKED_FORMS:
            self.form_combo.addItem(tr(FORMS[form].label), form.value)
        self.first_combo, self.last_combo = QComboBox(), QComboBox()
        for combo in (self.first_combo, self.last_combo):
            for m in self.months:
                combo.addItem(m.label, str(m))
        self.first_combo.setCurrentIndex(self.months.index(Period.month(year, 1)))
        self.last_combo.setCurrentIndex(self.months.index(current))
        self.due_spin = QSpinBox()
        self.due_spin.setRange(1, 28)
        self.due_spin.setValue(ws.consolidation.due_day)
        self.due_spin.setPrefix(tr("다음 달 "))
        self.due_spin.setSuffix(tr("일"))
        self.due_spin.setKeyboardTracking(False)  # typing "14" sets 14, not 1 then 14
        self.due_spin.setToolTip(tr("월별 보고의 제출 기한 (본부 설정, 1~28일). 바꾸면 지연·미제출을 다시 셉니다."))
        for text, widget in (
            ("보고(&R):", self.form_combo),
            ("기간(&P):", self.first_combo),
            ("~", self.last_combo),
            ("제출 기한(&D):", self.due_spin),
        ):
            label = QLabel(tr(text))
            label.setBuddy(widget)
            self.tools.addWidget(label)
            self.tools.addWidget(widget)
        self.finish_tools()

        self.body.addWidget(legend())
        self.model = ViewModel()
        self.table = ViewTable(self.model, tr("제출 현황 표"))
        self.table.verticalHeader().setVisible(True)
        self.table.verticalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.table.activated.connect(self.open_cell)
        self.body.addWidget(self.table, 1)
        hint = QLabel(
            tr("받은 칸을 두 번 누르거나 Enter를 누르면 판 비교와 접수·보완요청 창이 열립니다. ")
            + tr("칸에 마우스를 올리면 기한·보낸 때·검토 의견이 보입니다. F5: 새로 읽기")
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")
        self.body.addWidget(hint)
        QShortcut(QKeySequence(Qt.Key.Key_F5), self).activated.connect(self.refresh)

        self.form_combo.currentIndexChanged.connect(self.refresh)
        self.first_combo.currentIndexChanged.connect(self.refresh)
        self.last_combo.currentIndexChanged.connect(self.refresh)
        self.due_spin.valueChanged.connect(self.set_due_day)
        self.refresh()

    # selectors ----------------------------------------------------------------------------------------------------
    @property
    def form(self) -> FormKind:
        return FormKind(self.form_combo.currentData())

    def set_form(self, form: FormKind) -> None:
        self.form_combo.setCurrentIndex(self.form_combo.findData(form.value))

    def set_range(self, first: Period, last: Period) -> None:
        for combo, period in ((self.first_combo, first), (self.last_combo, last)):
            combo.blockSignals(True)
            combo.setCurrentIndex(combo.findData(str(period)))
            combo.blockSignals(False)
        self.refresh()

    def span(self) -> tuple[Period, Period]:
        first = Period.parse(self.first_combo.currentData())
        last = Period.parse(self.last_combo.currentData())
        return (first, last) if first <= last else (last, first)

    def set_due_day(self, day: int) -> None:
        if day == self.ws.consolidation.due_day:
            return
        try:
            self.ws.consolidation.set_due_day(day)
        except Exception as exc:
            show_error(self, exc)
            self.due_spin.blockSignals(True)
            self.due_spin.setValue(self.ws.consolidation.due_day)
            self.due_spin.blockSignals(False)
            return
        self.status.setText(tr(f"제출 기한을 다음 달 {day}일로 바꾸었습니다."))
        self.refresh()

    # showing ------------------------------------------------------------------------------------------------------
    def refresh(self) -> None:
        current = self.table.currentIndex()
        first, last = self.span()
        try:
            self.grid = self.ws.consolidation.tracker(self.form, first, last)
        except Exception as exc:
            show_error(self, exc)
            return
        grid = self.grid
        headers, rows = tracker_rows(grid)
        tips = [f"{p} ({p.start:%Y-%m-%d}~{p.end:%Y-%m-%d})" for p in grid.periods]
        tips += [
            tr("받은 기간 수"),
            tr("기한이 지났는데 받지 못한 기간 수"),
            tr("첫 판을 기한 뒤에 보낸 기간 수"),
        ]
        self.model.set_rows(rows, headers, tips)
        self.table.fit_columns()
        if current.isValid():
            self.table.setCurrentIndex(self.model.index(current.row(), current.column()))
        self.summary.setText(self._summary_text(grid))

    def _summary_text(self, grid: TrackerGrid) -> str:
        t = grid.totals
        S = SubmissionState
        due = sum(t.values()) - t[S.NOT_DUE]
        received = t[S.RECEIVED] + t[S.RETURNED] + t[S.ACCEPTED]
        late = sum(r.late for r in grid.rows)
        kind = FORMS[grid.form].period_kind
        rule = (
            tr(f"월·분기 보고 기한: 다음 달 {grid.due_day}일")
            if kind in (PeriodKind.MONTH, PeriodKind.QUARTER)
            else tr("반기·연간 보고는 보고별 기한")
        )
        missing = t[S.MISSING]
        return (
            f"<b>{grid.title}</b> — {tr('기준일')} {grid.today:%Y-%m-%d} · {rule}<br>"
            + tr(f"보고 대상 {due}건 중 받음 {received}건 (접수 {t[S.ACCEPTED]} · 접수대기 {t[S.RECEIVED]} · ")
            + tr(f"보완요청 {t[S.RETURNED]}) · ")
            + (f"<span style='color:#B00020'>{tr('미제출')} {missing}</span>" if missing else tr("미제출 0"))
            + tr(f" · 기한 전 {t[S.PENDING]} · 지연 {late}")
        )

    def views(self) -> list[Any]:
        return [self.grid] if self.grid is not None else []

    def export_name(self) -> str:
        first, last = self.span()
        return tr(f"제출현황_{FORMS[self.form].label}_{first}_{last}")

    # review -------------------------------------------------------------------------------------------------------
    def cell_at(self, index: QModelIndex) -> TrackerCell | None:
        value = index.data(Qt.ItemDataRole.UserRole) if index.isValid() else None
        return value if isinstance(value, TrackerCell) else None

    def open_cell(self, index: QModelIndex) -> ReviewDialog | None:
        cell = self.cell_at(index)
        if cell is None:
            return None
        if not cell.received:
            self.status.setText(
                tr(f"{cell.facility_code} {cell.ref.label}: 받은 보고가 없습니다 ({cell.label}).")
                + (tr(f" 제출 기한 {cell.due:%Y-%m-%d}") if cell.due else "")
            )
            return None
        row = self.model.row(index.row())
        name = row.value.name if row is not None and row.value is not None else ""
        self.detail = ReviewDialog(self.ws, cell, name, self)
        self.detail.decided.connect(self._decided)
        self.detail.open()
        return self.detail

    def _decided(self, info: ReviewInfo) -> None:
        self.refresh()
        self.status.setText(
            tr(f"{info.ref.facility_code} {info.ref.label} {info.revision}판: {info.decision.value}로 기록했습니다.")
            + (tr(" (시설로 보내는 일은 다음 단계에서 합니다.)") if info.decision is ReviewDecision.RETURNED else "")
        )
        self.table.setFocus()
