"""반기 안전 점검표: one row per applicable item, guidance and a corrective-action editor for the selected one."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import msgspec
from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStyleOptionViewItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from jbdesk.domain import safety
from jbdesk.domain.entry import normalize_date, resolve_choice
from jbdesk.domain.field_names import ACTION_FIELDS, SAFETY_FIELDS
from jbdesk.domain.forms import FormKind
from jbdesk.domain.numbers import fmt_decimal, fmt_int, fmt_percent
from jbdesk.domain.reference import SafetyItem, TargetUnit
from jbdesk.domain.safety import (
    ACTION_STATUSES,
    CLOSED_STATUSES,
    GUIDANCE,
    NONCOMPLIANT,
    NOT_STARTED,
    OWNER_ROLES,
    PARTIAL,
    SEVERITIES,
    STATUSES,
    UNANSWERED,
    UNVERIFIABLE,
    StatusSource,
    date_path,
    default_due,
    effective_status,
    next_statuses,
    parse_iso,
    response_spec,
    row_inputs,
)
from jbdesk.i18n import tr
from jbdesk.services.forms import FormView
from jbdesk.ui.pages.form_page import FormPage
from jbdesk.ui.widgets.autosave import AutosaveLineEdit
from jbdesk.ui.widgets.grid import ChoiceDelegate, Column, GridModel, GridView

_Index = QModelIndex | QPersistentModelIndex
AUTO_FG = QColor("#5a6b7d")
ALERT_FG = QColor("#b00020")
NEEDS_ACTION = (PARTIAL, NONCOMPLIANT)

# -- small helpers (pure, tested through the page) --------------------------------------------------------------------


def numbered(choices: Sequence[str]) -> str:
    return " · ".join(f"{n} {c}" for n, c in enumerate(choices, start=1))


class TypeaheadChoiceDelegate(ChoiceDelegate):
    """Choice cells take typed text: an editable combo (Hangul through the input method works), numbers 1..n as
    shortcuts and unambiguous beginnings; ``choices_for`` may narrow the list per cell (allowed next statuses)."""

    def __init__(
        self,
        columns: Sequence[Column],
        parent: QWidget | None = None,
        choices_for: Callable[[_Index], Sequence[str] | None] | None = None,
    ) -> None:
        super().__init__(columns, parent)
        self.choices_for = choices_for

    def _choices(self, index: _Index) -> Sequence[str]:
        own = self.choices_for(index) if self.choices_for is not None else None
        return own if own is not None else self.columns[index.column()].choices

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: _Index) -> QWidget:
        if self.columns[index.column()].kind != "choice":
            return super().createEditor(parent, option, index)
        combo = QComboBox(parent)
        combo.setEditable(True)
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        choices = self._choices(index)
        combo.addItems(["", *choices])
        combo.setToolTip(tr("숫자로도 고를 수 있습니다: ") + numbered(choices))
        return combo

    def setEditorData(self, editor: QWidget, index: _Index) -> None:
        super().setEditorData(editor, index)
        line = editor.lineEdit() if isinstance(editor, QComboBox) else None
        if line is not None:
            line.selectAll()  # the key that opened the editor replaces the old choice

    def setModelData(self, editor: QWidget, model, index: _Index) -> None:
        if isinstance(editor, QComboBox):
            text = resolve_choice(editor.currentText(), self._choices(index))
            model.setData(index, text, Qt.ItemDataRole.EditRole)
        else:
            super().setModelData(editor, model, index)


# -- the answers grid ------------------------------------------------------------------------------------------------

STATUS_TIP = tr("Enter로 아래 칸. 숫자로 고를 수 있습니다: ") + numbered(STATUSES)
SEVERITY_TIP = (
    tr("부분적합·부적합일 때 위험 정도: ") + numbered(SEVERITIES) + tr(" (상태를 고르면 항목 기본값이 들어갑니다)")
)

COLUMNS = (
    Column(
        "category",
        tr("분류"),
        "computed",
        editable=False,
        width=88,
        numeric_display=False,
        tooltip=tr("분류 이름은 분류가 바뀌는 첫 줄에만 적습니다"),
    ),
    Column(
        "question",
        tr("점검 항목"),
        "computed",
        editable=False,
        width=214,
        numeric_display=False,
        tooltip=tr("문장 전체와 점검 방법은 아래 '항목 안내'에 나옵니다"),
    ),
    Column.of("status", SAFETY_FIELDS, "choice", choices=STATUSES, width=104, tooltip=STATUS_TIP),
    Column.of("severity", SAFETY_FIELDS, "choice", choices=SEVERITIES, width=50, tooltip=SEVERITY_TIP),
    Column(
        "action",
        tr("개선조치"),
        "computed",
        editable=False,
        width=110,
        numeric_display=False,
        tooltip=tr("부분적합·부적합 항목의 조치 상태. 아래 '개선조치'에서 입력합니다 (더블클릭)"),
    ),
    Column.of("count", SAFETY_FIELDS, width=40, tooltip=tr("인원·건수 (회색 칸은 이 항목에 해당하지 않음)")),
    Column.of("total", SAFETY_FIELDS, width=40, tooltip=tr("전체 직원 수 (이수율의 분모)")),
    Column.of("date", SAFETY_FIELDS, "text", width=88, tooltip=tr("yyyy-mm-dd (2026.3.5처럼 입력해도 됩니다)")),
    Column.of("file_ref", SAFETY_FIELDS, "text", width=110, tooltip=tr("문서번호나 파일명")),
    Column.of("na_reason", SAFETY_FIELDS, "text", width=150),
    Column.of("note", SAFETY_FIELDS, "text", width=170),
)
KEYS = [c.key for c in COLUMNS]


@dataclass(frozen=True)
class RowInfo:
    """What the page knows about a row besides the payload: which inputs apply, the automatic status, tips."""

    inputs: frozenset[str]
    auto_status: str = ""  # shown when no status was typed: '적합 (자동)' for derived items, '점수 제외' ...
    tips: dict[str, str] = field(default_factory=dict)


def input_hint(spec: safety.ResponseSpec) -> str:
    asks = []
    if spec.source is StatusSource.TYPED:
        asks.append(tr("상태"))
    if spec.count:
        asks.append(tr("수(인원·건수)"))
    if spec.total:
        asks.append(tr("전체 직원 수"))
    if spec.date:
        asks.append(tr("날짜"))
    if spec.file:
        asks.append(tr("근거 문서"))
    text = tr("입력할 것: ") + ", ".join(asks) if asks else ""
    extra = {
        StatusSource.DERIVED: tr(
            "상태는 입력한 수치로 자동 계산됩니다. 하지 않았거나 해당 없으면 상태를 직접 고르세요."
        ),
        StatusSource.COMPUTED: tr("지난 반기 개선조치의 상태로 자동 계산됩니다. '이월 조치' 탭에서 상태를 갱신하세요."),
        StatusSource.NONE: tr("점수에는 들어가지 않고 기록만 합니다."),
    }.get(spec.source, "")
    return " ".join(t for t in (text, extra) if t)


class AnswersModel(GridModel):
    """The payload's ``answers`` with per-row inputs: cells an item does not ask for are grey and read-only."""

    def __init__(self, columns: Sequence[Column], commit) -> None:
        super().__init__("answers", columns, commit)
        self.info: list[RowInfo] = []

    def cell_editable(self, row: int, col: int) -> bool:
        if not super().cell_editable(row, col):
            return False
        return row >= len(self.info) or self.columns[col].key in self.info[row].inputs

    def _auto(self, row: int, col: int) -> str:
        if self.columns[col].key != "status" or self.is_total(row) or row >= len(self.info):
            return ""
        typed = self.content.rows[row].get("status") or ""
        return "" if typed else self.info[row].auto_status

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row, col = index.row(), index.column()
        auto = self._auto(row, col)
        if auto and role == Qt.ItemDataRole.DisplayRole:
            return auto
        if auto and role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(AUTO_FG)
        if role == Qt.ItemDataRole.ForegroundRole and self.columns[col].key == "action" and not self.is_total(row):
            text = (self.content.computed[row] if row < len(self.content.computed) else {}).get("action", "")
            if text and text != safety.DONE and text != safety.VERIFIED:
                return QBrush(ALERT_FG)  # open actions and missing ones stand out
        value = super().data(index, role)
        if role == Qt.ItemDataRole.ToolTipRole and row < len(self.info):
            tip = self.info[row].tips.get(self.columns[col].key, "")
            return "\n".join(t for t in (tip, value) if t) or None
        return value


class CarriedModel(GridModel):
    """Actions carried in from earlier halves: status (allowed moves only) and closing date are edited here."""

    def cell_editable(self, row: int, col: int) -> bool:
        if not super().cell_editable(row, col):
            return False
        status = (self.content.rows[row].get("action") or {}).get("status", "")
        key = self.columns[col].key
        if key == "action/status":
            return status in ACTION_STATUSES and bool(next_statuses(status))
        if key == "action/closed_on":
            return status in CLOSED_STATUSES
        return True

    def status_choices(self, index: _Index) -> Sequence[str] | None:
        if self.columns[index.column()].key != "action/status" or index.row() >= self.data_rows:
            return None
        status = (self.content.rows[index.row()].get("action") or {}).get("status", "")
        return (status, *next_statuses(status)) if status in ACTION_STATUSES else ACTION_STATUSES

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        overdue = (
            index.isValid()
            and index.row() < len(self.content.computed)
            and self.columns[index.column()].key == "action/due"
            and bool(self.content.computed[index.row()].get("overdue"))
        )
        if overdue and role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(ALERT_FG)
        if overdue and role == Qt.ItemDataRole.ToolTipRole:
            return tr("기한이 지났는데 아직 조치가 끝나지 않았습니다")
        return super().data(index, role)


CARRIED_COLUMNS = (
    Column.of("action/finding", ACTION_FIELDS, "text", editable=False, width=130),
    Column.of("action/due", ACTION_FIELDS, "text", editable=False, width=86, tooltip=tr("빨간 글씨: 기한 지남")),
    Column.of(
        "action/status",
        ACTION_FIELDS,
        "choice",
        choices=ACTION_STATUSES,
        width=86,
        tooltip=tr("고를 수 있는 다음 단계만 나옵니다: 조치완료 → 재점검확인"),
    ),
    Column.of("action/closed_on", ACTION_FIELDS, "text", width=86),
)


# -- the corrective-action editor ------------------------------------------------------------------------------------


class ActionEditor(QGroupBox):
    """Finding, plan, owner, due, status (allowed moves only), carry reason and closing date of one action.

    Every field saves the whole action dict through ``save(field, value)``; the page knows where it lives.
    """

    def __init__(self, save: Callable[[list[tuple[str, Any]]], bool], parent: QWidget | None = None) -> None:
        super().__init__(tr("개선조치"), parent)
        self._save = save
        grid = QGridLayout(self)
        grid.setContentsMargins(8, 6, 8, 6)
        grid.setVerticalSpacing(3)

        self.finding = AutosaveLineEdit("finding", save)
        self.finding.setPlaceholderText(tr("무엇이 문제였는지 (예: 가스누설경보기 작동 안 함)"))
        self.plan = AutosaveLineEdit("plan", save)
        self.plan.setPlaceholderText(tr("어떻게 고칠지 (예: 경보기 교체 요청)"))
        self.owner = QComboBox()
        self.owner.setEditable(True)
        self.owner.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.owner.addItems(OWNER_ROLES)
        self.owner.setToolTip(tr("직위로 적습니다 (보고 파일에는 이름을 담지 않습니다)"))
        self.due = AutosaveLineEdit("due", save)
        self.due.setPlaceholderText("yyyy-mm-dd")
        self.due.setFixedWidth(100)
        self.due_button = QPushButton(tr("기본 기한(&B)"))
        self.due_button.setToolTip(tr("위험도에 따라: 상 7일, 중 30일, 하 다음 반기 말 (점검일 기준)"))
        self.status = QComboBox()
        self.status.setToolTip(
            tr("지금 상태와 갈 수 있는 다음 단계만 나옵니다. 마쳤으면 조치완료, 다시 점검해 확인했으면 재점검확인.")
        )
        self.closed_on = AutosaveLineEdit("closed_on", save)
        self.closed_on.setPlaceholderText("yyyy-mm-dd")
        self.closed_on.setFixedWidth(100)
        self.carry_reason = AutosaveLineEdit("carry_reason", save)
        self.carry_reason.setPlaceholderText(tr("이월할 때만: 다음 반기로 넘기는 이유"))
        self.delete_button = QPushButton(tr("조치 지우기(&X)"))

        def label(text: str, buddy: QWidget) -> QLabel:
            lab = QLabel(text)
            lab.setBuddy(buddy)
            return lab

        grid.addWidget(label(tr("지적 내용(&F)"), self.finding), 1, 0)
        grid.addWidget(self.finding, 1, 1, 1, 3)
        grid.addWidget(label(tr("조치 계획(&P)"), self.plan), 2, 0)
        grid.addWidget(self.plan, 2, 1, 1, 3)
        grid.addWidget(label(tr("담당(&O)"), self.owner), 3, 0)
        grid.addWidget(self.owner, 3, 1)
        grid.addWidget(label(tr("조치 상태(&S)"), self.status), 3, 2)
        grid.addWidget(self.status, 3, 3)
        grid.addWidget(label(tr("기한(&U)"), self.due), 4, 0)
        due_row = QHBoxLayout()
        due_row.addWidget(self.due)
        due_row.addWidget(self.due_button)
        due_row.addStretch(1)
        grid.addLayout(due_row, 4, 1)
        grid.addWidget(label(tr("완료일(&N)"), self.closed_on), 4, 2)
        grid.addWidget(self.closed_on, 4, 3)
        grid.addWidget(label(tr("이월 사유(&Y)"), self.carry_reason), 5, 0)
        grid.addWidget(self.carry_reason, 5, 1, 1, 2)
        grid.addWidget(self.delete_button, 5, 3)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)

        self.owner.activated.connect(lambda _i: self._save_owner())
        owner_line = self.owner.lineEdit()
        assert owner_line is not None  # an editable combo box
        owner_line.editingFinished.connect(self._save_owner)
        self.status.activated.connect(lambda _i: self._save([("status", self.status.currentText())]))
        self._owner_value = ""
        self._fields = (self.finding, self.plan, self.due, self.closed_on, self.carry_reason)

    def _save_owner(self) -> None:
        text = self.owner.currentText().strip()
        if text != self._owner_value and self.isEnabled():
            self._save([("owner", text)])

    def flush(self) -> None:
        for edit in self._fields:
            edit.flush()
        self._save_owner()

    def show_action(
        self, title: str, action: dict[str, Any] | None, suggested_due: str, hint: str, deletable: bool
    ) -> None:
        """Show ``action`` (None: not written yet; the first edit creates it with ``suggested_due``)."""
        self.setTitle(title)
        self.finding.setPlaceholderText(hint or tr("무엇이 문제였는지 (예: 가스누설경보기 작동 안 함)"))
        values = action or {"status": NOT_STARTED, "due": suggested_due}
        for edit in self._fields:
            edit.set_value(str(values.get(edit.path) or ""))
        self._owner_value = str(values.get("owner") or "")
        owner_line = self.owner.lineEdit()
        if owner_line is None or not owner_line.hasFocus():
            self.owner.blockSignals(True)
            self.owner.setEditText(self._owner_value)
            self.owner.blockSignals(False)
        status = str(values.get("status") or NOT_STARTED)
        choices = (status, *next_statuses(status)) if status in ACTION_STATUSES else ACTION_STATUSES
        self.status.blockSignals(True)
        self.status.clear()
        self.status.addItems(list(choices))
        self.status.setCurrentIndex(0)
        self.status.blockSignals(False)
        self.status.setEnabled(len(choices) > 1)
        self.closed_on.setEnabled(status in CLOSED_STATUSES)
        self.carry_reason.setEnabled(status == safety.CARRIED_OVER or bool(values.get("carry_reason")))
        self.delete_button.setEnabled(deletable and action is not None)


# -- the page ----------------------------------------------------------------------------------------------------------


def action_summary(answer: safety.SafetyAnswer, status: str, spec: safety.ResponseSpec, overdue: bool) -> str:
    if answer.action is not None:
        return answer.action.status + (tr(" (기한 지남)") if overdue else "")
    if status in NEEDS_ACTION and spec.source is not StatusSource.COMPUTED:
        return tr("입력 필요")
    return ""


def target_text(value: float, unit: TargetUnit) -> str:
    number = fmt_int(int(value)) if float(value).is_integer() else fmt_decimal(value, 1)
    return f"{number}{unit.suffix}"


def summary_html(score: safety.SafetyScore) -> str:
    """One line of figures: score, grade (and its cap), completion rate against target, overdue actions."""
    parts = []
    if score.score is None:
        parts.append(tr("안전점수 <b>-</b> (채점할 응답이 아직 없습니다)"))
    else:
        grade = f"<b>{score.grade}</b>"
        if score.grade_capped:
            grade += tr(" <span style='color:#b00020'>(상 미조치로 C 상한)</span>")
        parts.append(tr(f"안전점수 <b>{fmt_decimal(score.score, 1)}점</b> · 등급 {grade}"))
    if score.completion_rate is None:
        parts.append(tr("개선조치 없음"))
    else:
        rate = tr(
            f"개선조치 완료율 <b>{fmt_percent(score.completion_rate)}</b> "
            f"(기한 내 {score.actions_closed_on_time}/{score.actions_raised}건"
        )
        if score.target is not None:
            met = tr("달성") if score.target_met else tr("<span style='color:#b00020'>미달</span>")
            rate += tr(f", 목표 {target_text(score.target.value, score.target.unit)} {met}")
        parts.append(rate + ")")
    overdue = len(score.overdue_actions)
    colour = "#b00020" if overdue else "#333"
    parts.append(tr(f"<span style='color:{colour}'>기한 지난 미조치 {overdue}건</span>"))
    return " · ".join(parts)


def counts_text(score: safety.SafetyScore) -> str:
    """적합 37 · 부분적합 2 · … · 미응답 0 (statuses that occur, and always the unanswered count)."""
    return " · ".join(f"{k} {v}" for k, v in score.status_counts.items() if v or k == UNANSWERED)


def fit_problems_list(widget: QListWidget) -> None:
    """The problems list only as tall as its lines (2-7 lines): the form keeps the room when little is wrong.

    Wanted in ProblemsPanel.set_problems itself (shared widget); done here until then.
    """
    lines = min(max(widget.count(), 2), 7)
    row = widget.sizeHintForRow(0) if widget.count() else widget.fontMetrics().height() + 4
    widget.setMaximumHeight(lines * max(row, 16) + 2 * widget.frameWidth() + 4)


class SafetyPage(FormPage):
    form = FormKind.SAFETY

    def build_body(self, layout: QVBoxLayout) -> None:
        self.items: dict[str, SafetyItem] = {i.code: i for i in self.ws.reference.safety_items}
        self._target: tuple[str, int] = ("answers", 0)  # what the action editor shows: answers/i or carried/j

        top = QHBoxLayout()
        self.checked_on_edit = AutosaveLineEdit("checked_on", self.commit_changes)
        self.checked_on_edit.setPlaceholderText(tr("예: 2026-03-20"))
        self.checked_on_edit.setMaximumWidth(120)
        self.checked_on_edit.setAccessibleName(tr("점검일"))
        checked_label = QLabel(tr("점검일(&E):"))
        checked_label.setBuddy(self.checked_on_edit)
        top.addWidget(checked_label)
        top.addWidget(self.checked_on_edit)
        self.counts_label = QLabel()
        self.counts_label.setStyleSheet("color: #555;")
        self.counts_label.setToolTip(tr("항목별 상태 개수 (자동 계산 포함, 기록만 하는 항목 제외)"))
        top.addSpacing(16)
        top.addWidget(self.counts_label, 1)
        layout.addLayout(top)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setToolTip(safety.SCORE_METHOD)
        layout.addWidget(self.summary)

        hint = QLabel(
            tr("점검 항목(&L) — 숫자로 입력: 상태 ")
            + numbered(STATUSES)
            + tr(" / 위험도 1 상 · 2 중 · 3 하 / Enter 아래 칸")
        )
        hint.setToolTip(
            tr("Tab은 오른쪽 칸. 회색 칸은 이 항목에 해당하지 않습니다. 엑셀에서 복사해 붙여넣을 수 있습니다.")
        )
        hint.setStyleSheet("color: #555;")
        layout.addWidget(hint)

        self.model = AnswersModel(COLUMNS, self.commit_changes)
        self.model.inputRejected.connect(self.show_notice)
        self.grid = GridView(self.model)
        self.grid.setItemDelegate(TypeaheadChoiceDelegate(COLUMNS, self.grid))
        self.grid.setAccessibleName(tr("안전 점검 항목 표"))
        self.grid.setWordWrap(False)
        self.grid.verticalHeader().setDefaultSectionSize(26)
        hint.setBuddy(self.grid)

        self.guide_title = QLabel()
        self.guide_title.setWordWrap(True)
        self.guide_title.setStyleSheet("font-weight: bold; font-size: 11pt;")
        self.guide_text = QLabel()
        self.guide_text.setWordWrap(True)
        self.guide_hint = QLabel()
        self.guide_hint.setWordWrap(True)
        self.guide_hint.setStyleSheet("color: #1f4e8c;")
        for lab in (self.guide_title, self.guide_text, self.guide_hint):
            lab.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        guide = QWidget()
        guide_layout = QVBoxLayout(guide)
        guide_layout.addWidget(self.guide_title)
        guide_layout.addWidget(self.guide_text)
        guide_layout.addWidget(self.guide_hint)
        guide_layout.addStretch(1)
        guide_scroll = QScrollArea()  # long guidance scrolls instead of pushing the item list up
        guide_scroll.setWidget(guide)
        guide_scroll.setWidgetResizable(True)
        guide_scroll.setFrameShape(QFrame.Shape.NoFrame)

        self.carried_model = CarriedModel("carried_actions", CARRIED_COLUMNS, self.commit_changes)
        self.carried_model.inputRejected.connect(self.show_notice)
        self.carried_grid = GridView(self.carried_model)
        self.carried_grid.setItemDelegate(
            TypeaheadChoiceDelegate(CARRIED_COLUMNS, self.carried_grid, self.carried_model.status_choices)
        )
        self.carried_grid.setAccessibleName(tr("지난 반기에서 넘어온 개선조치"))
        self.carried_empty = QLabel(tr("지난 반기에서 넘어온 개선조치가 없습니다."))
        self.carried_empty.setStyleSheet("color: #555;")
        carried = QWidget()
        carried_layout = QVBoxLayout(carried)
        carried_layout.setContentsMargins(4, 4, 4, 4)
        carried_layout.addWidget(self.carried_empty)
        carried_layout.addWidget(self.carried_grid)

        self.tabs = QTabWidget()
        self.tabs.addTab(guide_scroll, tr("항목 안내(&G)"))
        self.tabs.addTab(carried, tr("이월 조치(&C)"))

        self.action_editor = ActionEditor(self.save_action_fields)
        self.action_editor.due_button.clicked.connect(self.fill_default_due)
        self.action_editor.delete_button.clicked.connect(self.delete_action)

        bottom = QSplitter(Qt.Orientation.Horizontal)
        bottom.addWidget(self.tabs)
        bottom.addWidget(self.action_editor)
        bottom.setStretchFactor(0, 1)
        bottom.setStretchFactor(1, 1)
        bottom.setChildrenCollapsible(False)
        bottom.setSizes([460, 440])

        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.grid)
        split.addWidget(bottom)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 0)
        split.setChildrenCollapsible(False)
        split.setSizes([560, 180])  # the item list gets the room; drag the bar to enlarge the bottom
        layout.addWidget(split, 1)

        self.navigator.periodChanged.connect(self._period_changed)
        self.grid.selectionModel().currentChanged.connect(self._answer_selected)
        self.carried_grid.selectionModel().currentChanged.connect(self._carried_selected)
        self.grid.doubleClicked.connect(self._grid_double_clicked)
        self.setTabOrder(self.checked_on_edit, self.grid)
        self.setTabOrder(self.grid, self.tabs)

    # showing ---------------------------------------------------------------------------------
    def show_view(self, view: FormView) -> None:
        data: safety.SafetyData = view.data
        score: safety.SafetyScore = view.computed
        fit_problems_list(self.problems.list)
        self.checked_on_edit.set_value(data.checked_on)
        self.checked_on_edit.setReadOnly(not view.editable)
        overdue = {o.field for o in score.overdue_actions}

        rows, computed, info = [], [], []
        previous_category = None
        for i, a in enumerate(data.answers):
            item = self.items.get(a.code)
            category = item.category if item else ""
            spec = response_spec(item.response if item else "status")
            status = (effective_status(item, a, data) or "") if item else a.status
            auto = tr(f"{status} (자동)") if status and not a.status else ""
            if spec.source is StatusSource.NONE:
                auto = tr("점수 제외")
            question = item.question if item else tr("(알 수 없는 항목)")
            rows.append(msgspec.to_builtins(a))
            computed.append(
                {
                    "category": category if category != previous_category else "",
                    "question": question,
                    "action": action_summary(a, status, spec, f"answers/{i}/action" in overdue),
                }
            )
            previous_category = category
            tips = {"question": question, "category": category, "count": question, "total": question}
            tips["status"] = input_hint(spec)
            info.append(RowInfo(row_inputs(spec), auto, tips))

        content = self.grid_content(view, rows, computed=computed, row_labels=[a.code for a in data.answers])
        for path, found in list(content.problems.items()):
            parts = path.split("/")
            if len(parts) > 3 and parts[0] == "answers" and parts[2] == "action":  # answers/3/action/finding
                content.problems.setdefault("/".join(parts[:3]), []).extend(found)
        self.model.info = info
        self.model.set_content(content)

        carried_rows = [msgspec.to_builtins(c) for c in data.carried_actions]
        carried_computed = [{"overdue": f"carried_actions/{j}/action" in overdue} for j in range(len(carried_rows))]
        labels = [f"{c.code} ({c.severity})" for c in data.carried_actions]
        self.carried_model.set_content(
            self.grid_content(view, carried_rows, computed=carried_computed, row_labels=labels)
        )
        self.carried_grid.setVisible(bool(carried_rows))
        self.carried_empty.setVisible(not carried_rows)
        open_carried = sum(1 for c in data.carried_actions if safety.is_open(c.action))
        label = tr(f"이월 조치 {len(carried_rows)}건(&C)")
        if open_carried:
            label = tr(f"이월 조치 {len(carried_rows)}건 · 미완료 {open_carried}(&C)")
        self.tabs.setTabText(1, label)

        self.summary.setText(summary_html(score))
        self.counts_label.setText(counts_text(score))
        if not self.grid.currentIndex().isValid() and self.model.data_rows:
            self.grid.setCurrentIndex(self.model.index(0, KEYS.index("status")))
        self._show_target()

    def _show_target(self) -> None:
        """Guidance of the selected item and its action (or the selected carried action) in the editor."""
        view = self.view
        if view is None:
            return
        data: safety.SafetyData = view.data
        kind, n = self._target
        editable = view.editable
        if kind == "carried" and n < len(data.carried_actions):
            carried = data.carried_actions[n]
            code, action, severity = carried.code, msgspec.to_builtins(carried.action), carried.severity
            title = tr(f"개선조치 — {code} (이월, {carried.raised_on} 점검)")
            hint = ""
            deletable, wanted = False, True
        elif kind == "answers" and n < len(data.answers):
            answer = data.answers[n]
            item = self.items.get(answer.code)
            code = answer.code
            action = msgspec.to_builtins(answer.action) if answer.action is not None else None
            severity = answer.severity or (item.default_severity if item else "")
            status = (effective_status(item, answer, data) or "") if item else ""
            spec = response_spec(item.response if item else "status")
            title = tr(f"개선조치 — {code}")
            wanted = action is not None or (
                status in (*NEEDS_ACTION, UNVERIFIABLE) and spec.source is not StatusSource.COMPUTED
            )
            if action is not None:
                hint = ""
            elif wanted:
                hint = tr("개선조치가 필요합니다: 무엇이 문제였는지 적으세요 (적는 대로 저장)")
            else:
                hint = tr("부분적합·부적합·확인불가일 때 적습니다")
            deletable = True
            self._show_guidance(code, item)
        else:
            self.action_editor.setTitle(tr("개선조치"))
            self.action_editor.setEnabled(False)
            return
        due = self._suggested_due(severity) if wanted else ""
        self.action_editor.show_action(title, action, due, hint, deletable)
        self.action_editor.setEnabled(editable and wanted)

    def _show_guidance(self, code: str, item: SafetyItem | None) -> None:
        if item is None:
            self.guide_title.setText(code)
            self.guide_text.setText("")
            self.guide_hint.setText("")
            return
        severity = tr(f"기본 위험도 {item.default_severity}")
        self.guide_title.setText(f"{code} · {item.category} · {severity}\n{item.question}")
        self.guide_text.setText(GUIDANCE.get(code, ""))
        self.guide_hint.setText(input_hint(response_spec(item.response)))

    def _suggested_due(self, severity: str) -> str:
        checked = parse_iso(self.view.data.checked_on) if self.view is not None else None
        if checked is None or severity not in SEVERITIES:
            return ""
        return default_due(severity, checked, self.navigator.period()).isoformat()

    # selection -------------------------------------------------------------------------------
    def _select(self, target: tuple[str, int]) -> None:
        if target == self._target:
            return
        self.action_editor.flush()  # pending typing belongs to the action shown so far
        self._target = target
        self._show_target()

    def _period_changed(self, _period: object) -> None:
        row = self.grid.currentIndex().row()
        self._target = ("answers", max(row, 0))

    def _answer_selected(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid() and current.row() < self.model.data_rows:
            self._select(("answers", current.row()))
            if self.tabs.currentIndex() != 0:
                self.tabs.setCurrentIndex(0)

    def _carried_selected(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid() and current.row() < self.carried_model.data_rows:
            self._select(("carried", current.row()))

    def _grid_double_clicked(self, index: QModelIndex) -> None:
        if COLUMNS[index.column()].key in ("action", "question", "category") and self.action_editor.isEnabled():
            self.action_editor.finding.setFocus()

    def focus_field(self, path: str) -> None:
        parts = path.split("/")
        if path == "checked_on":
            self.checked_on_edit.setFocus()
        elif parts[0] == "answers" and len(parts) >= 2 and parts[1].isdigit():
            row = int(parts[1])
            key = parts[2] if len(parts) > 2 else "status"
            self.grid.setCurrentIndex(self.model.index(row, KEYS.index(key) if key in KEYS else KEYS.index("status")))
            if key == "action" and len(parts) > 3:
                self._focus_action_field(parts[3])
            else:
                self.grid.setFocus()
        elif parts[0] == "carried_actions" and len(parts) >= 2 and parts[1].isdigit():
            self.tabs.setCurrentIndex(1)
            self.carried_grid.setCurrentIndex(self.carried_model.index(int(parts[1]), 0))
            self._focus_action_field(parts[3] if len(parts) > 3 else "status")
        elif parts[0] == "answers":
            self.grid.setFocus()

    def _focus_action_field(self, name: str) -> None:
        widget = getattr(self.action_editor, name, None)
        if isinstance(widget, QWidget):
            widget.setFocus()

    # saving ----------------------------------------------------------------------------------
    def commit_changes(self, changes: list[tuple[str, Any]]) -> bool:
        """Every edit of this page goes through here: dates made ISO, severity defaulted, action moves checked."""
        view = self.view
        if view is None:
            return False
        data: safety.SafetyData = view.data
        out: list[tuple[str, Any]] = []
        for path, value in changes:
            if isinstance(value, str) and date_path(path):
                value = normalize_date(value)
            out.append((path, value))
            parts = path.split("/")
            if parts[0] == "answers" and len(parts) == 3 and parts[2] == "status" and value in NEEDS_ACTION:
                answer = data.answers[int(parts[1])]
                item = self.items.get(answer.code)
                touched = any(p == f"answers/{parts[1]}/severity" for p, _ in changes)
                if not answer.severity and not touched and item is not None and item.default_severity in SEVERITIES:
                    out.append((f"answers/{parts[1]}/severity", item.default_severity))
            if parts[0] == "carried_actions" and parts[-1] == "status" and parts[-2] == "action":
                old = data.carried_actions[int(parts[1])].action
                extra = self._status_move(old.status, str(value), old.closed_on)
                if extra is None:
                    return False
                out.extend((f"carried_actions/{parts[1]}/action/{k}", v) for k, v in extra.items())
        return self.commit(out)

    def _status_move(self, old: str, new: str, closed_on: str) -> dict[str, str] | None:
        """Fields that follow a status move (closing date), or None when the move is not allowed."""
        if new == old:
            return {}
        allowed = next_statuses(old) if old in ACTION_STATUSES else ACTION_STATUSES
        if new not in allowed:
            self.show_notice(tr(f"'{old}'에서 '{new}'(으)로 바꿀 수 없습니다. 가능한 다음 단계: ") + ", ".join(allowed))
            return None
        if new in CLOSED_STATUSES and not closed_on:
            return {"closed_on": self.today.isoformat()}
        if new not in CLOSED_STATUSES and closed_on:
            return {"closed_on": ""}  # a failed re-check reopens the action
        return {}

    def _action_location(self) -> tuple[str, dict[str, Any] | None, str] | None:
        """(payload path, current action dict or None, severity) of the action the editor shows."""
        if self.view is None:
            return None
        data: safety.SafetyData = self.view.data
        kind, n = self._target
        if kind == "carried" and n < len(data.carried_actions):
            c = data.carried_actions[n]
            return f"carried_actions/{n}/action", msgspec.to_builtins(c.action), c.severity
        if kind == "answers" and n < len(data.answers):
            a = data.answers[n]
            item = self.items.get(a.code)
            severity = a.severity or (item.default_severity if item else "")
            action = msgspec.to_builtins(a.action) if a.action is not None else None
            return f"answers/{n}/action", action, severity
        return None

    def save_action_fields(self, fields: list[tuple[str, Any]]) -> bool:
        location = self._action_location()
        if location is None or self.view is None or not self.view.editable:
            return False
        path, action, severity = location
        current = action or msgspec.to_builtins(
            safety.CorrectiveAction(status=NOT_STARTED, due=self._suggested_due(severity))
        )
        new = dict(current)
        for name, value in fields:
            value = normalize_date(str(value)) if name in ("due", "closed_on") else str(value)
            if name == "status":
                extra = self._status_move(current.get("status", NOT_STARTED), value, current.get("closed_on", ""))
                if extra is None:
                    self._show_target()
                    return False
                new.update(extra)
            new[name] = value
        if new == action:
            return True
        return self.commit([(path, new)])

    def fill_default_due(self) -> None:
        location = self._action_location()
        if location is None:
            return
        due = self._suggested_due(location[2])
        if not due:
            self.show_notice(tr("기본 기한을 계산하려면 점검일과 위험도(상/중/하)를 먼저 입력하세요."))
            return
        self.save_action_fields([("due", due)])

    def delete_action(self) -> None:
        location = self._action_location()
        if location is not None and location[0].startswith("answers/") and location[1] is not None:
            self.commit([(location[0], None)])
