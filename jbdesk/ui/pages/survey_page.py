"""만족도 조사: respondent numbers and per-item answer counts for users and staff; scores computed live."""

from __future__ import annotations

from typing import Any

import msgspec
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from jbdesk.domain import survey
from jbdesk.domain.field_names import SURVEY_BLOCK_FIELDS, SURVEY_BLOCKS, SURVEY_ITEM_FIELDS
from jbdesk.domain.forms import FormKind
from jbdesk.domain.numbers import fmt_decimal, fmt_int, fmt_percent
from jbdesk.domain.reference import SurveyItem, TargetUnit
from jbdesk.i18n import tr
from jbdesk.services.forms import FormView
from jbdesk.ui.pages.form_page import FormPage
from jbdesk.ui.widgets.grid import Column, GridModel, GridView

SCALE_LABELS = ("전혀 아니다", "아니다", "보통이다", "그렇다", "매우 그렇다")
METHOD_NAMES = {"linear": "선형 환산 (기본)", "ratio": "비율 환산"}
BLOCK_TITLES = SURVEY_BLOCKS  # the tab titles, also naming the blocks in head office's list of changes
SUPPRESSED_NOTE = "응답 3명 미만: 인쇄 보고서에는 종사자 점수를 표시하지 않습니다"


def _dec(places: int):
    return lambda v: fmt_decimal(v, places)


def _pct(value: Any) -> str:
    return fmt_percent(value)


COUNT_COLUMNS = (
    Column.of("eligible", SURVEY_BLOCK_FIELDS, width=90, tooltip=tr("조사할 사람 수 (등록 이용자 또는 전체 종사자)")),
    Column.of("distributed", SURVEY_BLOCK_FIELDS, width=80, tooltip=tr("설문지를 나눠 준 수")),
    Column.of("returned", SURVEY_BLOCK_FIELDS, width=80, tooltip=tr("돌려받은 설문지 수")),
    Column.of("valid", SURVEY_BLOCK_FIELDS, width=90, tooltip=tr("점수 계산에 쓰는 응답자 수 (n)")),
    Column(
        "response_rate",
        tr("회수율"),
        "computed",
        editable=False,
        width=80,
        fmt=_pct,
        tooltip=tr("회수 ÷ 배포"),
    ),
)


def item_columns() -> tuple[Column, ...]:
    scale = tuple(
        Column(
            f"counts/{k}",
            f"{k + 1}점",
            width=44,
            tooltip=tr(f"'{k + 1} {label}'에 답한 사람 수"),
        )
        for k, label in enumerate(SCALE_LABELS)
    )
    return (
        Column("dimension", tr("영역"), "computed", editable=False, width=78, numeric_display=False),
        Column("question", tr("문항"), "computed", editable=False, width=260, numeric_display=False),
        *scale,
        Column.of("no_answer", SURVEY_ITEM_FIELDS, width=52, tooltip=tr("이 문항에 답하지 않은 사람 수")),
        Column("n", tr("응답 수"), "computed", editable=False, width=54, tooltip=tr("1~5점에 답한 사람 수")),
        Column("mean", tr("평균"), "computed", editable=False, width=48, fmt=_dec(2), tooltip=tr("5점 만점 평균")),
        Column("score", tr("100점 환산"), "computed", editable=False, width=72, fmt=_dec(1)),
        Column(
            "positive",
            tr("긍정률"),
            "computed",
            editable=False,
            width=58,
            fmt=_pct,
            tooltip=tr("4-5점(그렇다·매우 그렇다)으로 답한 비율"),
        ),
    )


ITEM_COLUMNS = item_columns()
ITEM_KEYS = [c.key for c in ITEM_COLUMNS]
COUNT_KEYS = [c.key for c in COUNT_COLUMNS]


class BlockNumbersModel(GridModel):
    """The block's own numbers (조사 대상 / 배포 / 회수 / 유효 응답) as a one-row grid: paths ``user/valid``."""

    def path(self, row: int, col: int) -> str:
        return f"{self.list_path}/{self.columns[col].key}"


class RowGrid(GridView):
    """A one-row grid: Enter moves right, and from the last column hands over to ``next_widget``."""

    next_widget: QWidget | None = None

    def _move_down(self) -> None:
        current = self.currentIndex()
        model = self.grid_model()
        col = current.column() + 1 if current.isValid() else 0
        while col < model.columnCount() and not model.cell_editable(0, col):
            col += 1
        if col < model.columnCount():
            self.setCurrentIndex(model.index(0, col))
        elif self.next_widget is not None:
            self.next_widget.setFocus()


def target_text(value: float, unit: TargetUnit) -> str:
    number = fmt_int(int(value)) if float(value).is_integer() else fmt_decimal(value, 1)
    return f"{number}{unit.suffix}"


def block_summary(name: str, result: survey.BlockResult) -> str:
    """'이용자 만족도 82.5점 / 목표 90점 (미달) · 평균 4.30 · 긍정률 80.0% · 회수율 …' as rich text."""
    title = tr(BLOCK_TITLES[name])
    score = tr(f"{fmt_decimal(result.score, 1)}점") if result.score is not None else tr("아직 응답이 없습니다")
    head = f"<b>{title} {score}</b>"
    target = result.target
    if target is not None:
        if result.target_met is None:
            verdict = tr("비교할 값 없음")
        elif result.target_met:
            verdict = tr("<span style='color:#2e7d32'>달성</span>")
        else:
            verdict = tr("<span style='color:#b00020'>미달</span>")
        if target.unit is TargetUnit.PERCENT:
            head += tr(f" · 긍정률 기준 목표 {target_text(target.value, target.unit)} ({verdict})")
        else:
            head += tr(f" / 목표 {target_text(target.value, target.unit)} ({verdict})")
    parts = [head]
    if result.mean is not None:
        parts.append(tr(f"평균 {fmt_decimal(result.mean, 2)} / 5"))
    if result.positive is not None:
        parts.append(tr(f"긍정률(4-5점) {fmt_percent(result.positive)}"))
    if result.response_rate is not None:
        parts.append(
            tr(f"회수율 {fmt_percent(result.response_rate)} (회수 {result.returned} ÷ 배포 {result.distributed})")
        )
    if result.valid is not None:
        parts.append(tr(f"유효 응답 {fmt_int(result.valid, zero='0')}명"))
    return " · ".join(parts)


class BlockWidget(QWidget):
    """One tab: the respondent numbers, the item grid with computed figures, and the block's summary."""

    def __init__(self, page: SurveyPage, name: str) -> None:
        super().__init__()
        self.name = name
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)

        numbers_label = QLabel(tr("응답 인원(&N):"))
        self.numbers_model = BlockNumbersModel(name, COUNT_COLUMNS, page.commit)
        self.numbers_model.inputRejected.connect(page.show_notice)
        self.numbers = RowGrid(self.numbers_model)
        self.numbers.setAccessibleName(tr(f"{BLOCK_TITLES[name]} 응답 인원"))
        self.numbers.verticalHeader().hide()
        self.numbers.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.numbers.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.numbers.setFixedHeight(self.numbers.horizontalHeader().sizeHint().height() + 32)
        self.numbers.setFixedWidth(sum(c.width or 80 for c in COUNT_COLUMNS) + 4)
        numbers_label.setBuddy(self.numbers)
        row = QHBoxLayout()
        row.addWidget(numbers_label)
        row.addWidget(self.numbers)
        self.numbers_hint = QLabel(tr("유효 응답 ≤ 회수 ≤ 배포 ≤ 조사 대상. Enter로 다음 칸."))
        self.numbers_hint.setStyleSheet("color: #555;")
        self.numbers_hint.setWordWrap(True)
        row.addWidget(self.numbers_hint, 1)
        layout.addLayout(row)

        items_label = QLabel(
            tr("문항별 응답 수(&I) — 칸마다 그 점수에 답한 사람 수: ")
            + " · ".join(f"{k}점 {label}" for k, label in enumerate(SCALE_LABELS, start=1))
        )
        items_label.setToolTip(tr("엑셀에서 여러 칸을 복사해 Ctrl+V로 한 번에 붙여넣을 수 있습니다."))
        items_label.setWordWrap(True)
        items_label.setStyleSheet("color: #333;")
        self.items_model = GridModel(f"{name}/items", ITEM_COLUMNS, page.commit)
        self.items_model.inputRejected.connect(page.show_notice)
        self.items = GridView(self.items_model)
        self.items.setAccessibleName(tr(f"{BLOCK_TITLES[name]} 문항별 응답"))
        self.items.setWordWrap(True)
        self.items.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.items.horizontalHeader().setSectionResizeMode(ITEM_KEYS.index("question"), QHeaderView.ResizeMode.Stretch)
        self.items.horizontalHeader().setMinimumSectionSize(40)
        # Wrapped questions: row heights follow the question column's width (also for a tab shown later).
        self.items.horizontalHeader().sectionResized.connect(lambda *_: self.items.resizeRowsToContents())
        self.items.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        items_label.setBuddy(self.items)
        self.numbers.next_widget = self.items
        layout.addWidget(items_label)
        layout.addWidget(self.items, 1)

        self.summary = QLabel()
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setWordWrap(True)
        self.suppressed = QLabel(tr(SUPPRESSED_NOTE))
        self.suppressed.setWordWrap(True)
        self.suppressed.setStyleSheet(
            "color: #7a4b00; background: #fff4cc; border: 1px solid #e0c060; border-radius: 3px; padding: 4px;"
        )
        self.suppressed.hide()
        layout.addWidget(self.summary)
        layout.addWidget(self.suppressed)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        QTimer.singleShot(0, self.items.resizeRowsToContents)  # after the layout has set the final widths

    def show_block(self, page: SurveyPage, view: FormView, result: survey.BlockResult) -> None:
        block: survey.SurveyBlock = getattr(view.data, self.name)
        numbers = {k: getattr(block, k) for k in ("eligible", "distributed", "returned", "valid")}
        self.numbers_model.set_content(
            page.grid_content(view, [numbers], computed=[{"response_rate": result.response_rate}])
        )

        by_code = {r.code: r for r in result.items}
        items = page.survey_items(self.name)
        rows, computed, labels = [], [], []
        for c in block.items:
            row = msgspec.to_builtins(c)
            r = by_code.get(c.code)
            item = items.get(c.code)
            question = item.question if item else tr("(알 수 없는 문항)")
            if item is not None and item.reverse:
                question += tr(" (역문항: 점수를 뒤집어 계산)")
            computed.append(
                {
                    "dimension": item.dimension if item else "",
                    "question": question,
                    "n": r.n if r else None,
                    "mean": r.mean if r else None,
                    "score": r.score if r else None,
                    "positive": r.positive if r else None,
                }
            )
            rows.append(row)
            labels.append(c.code)
        total: dict[str, Any] = {"dimension": tr("전체"), "question": tr("응답 수는 합계, 평균·점수는 문항 평균")}
        for k in range(len(SCALE_LABELS)):
            total[f"counts/{k}"] = sum(c.counts[k] for c in block.items if k < len(c.counts))
        total["no_answer"] = sum(c.no_answer for c in block.items)
        total.update(n=result.answers, mean=result.mean, score=result.score, positive=result.positive)
        content = page.grid_content(view, rows, computed=computed, total=total, row_labels=labels)
        for path, found in list(content.problems.items()):
            if path.endswith("/counts"):  # counts over valid n: colour every count cell of the item
                for k in range(len(SCALE_LABELS)):
                    content.problems.setdefault(f"{path}/{k}", []).extend(found)
        self.items_model.set_content(content)
        self.items.resizeRowsToContents()

        self.summary.setText(block_summary(self.name, result))
        self.suppressed.setVisible(self.name == "staff" and result.suppressed and result.valid is not None)


def fit_problems_list(widget: QListWidget) -> None:
    """The problems list only as tall as its lines (2-7 lines): the form keeps the room when little is wrong.

    Wanted in ProblemsPanel.set_problems itself (shared widget); done here until then.
    """
    lines = min(max(widget.count(), 2), 7)
    row = widget.sizeHintForRow(0) if widget.count() else widget.fontMetrics().height() + 4
    widget.setMaximumHeight(lines * max(row, 16) + 2 * widget.frameWidth() + 4)


class SurveyPage(FormPage):
    form = FormKind.SURVEY

    def build_body(self, layout: QVBoxLayout) -> None:
        top = QHBoxLayout()
        method_label = QLabel(tr("점수 환산 방식(&M):"))
        self.method_combo = QComboBox()
        for key, formula in survey.METHODS.items():
            self.method_combo.addItem(tr(METHOD_NAMES.get(key, key)), key)
            self.method_combo.setItemData(self.method_combo.count() - 1, formula, Qt.ItemDataRole.ToolTipRole)
        method_label.setBuddy(self.method_combo)
        self.method_text = QLabel()
        self.method_text.setWordWrap(True)
        self.method_text.setStyleSheet("color: #1f4e8c;")
        top.addWidget(method_label)
        top.addWidget(self.method_combo)
        top.addWidget(self.method_text, 1)
        layout.addLayout(top)

        self.tabs = QTabWidget()
        self.blocks = {name: BlockWidget(self, name) for name in survey.BLOCKS}
        self.tabs.addTab(self.blocks["user"], tr("이용자 만족도(&U)"))
        self.tabs.addTab(self.blocks["staff"], tr("종사자 만족도(&S)"))
        layout.addWidget(self.tabs, 1)
        self.method_combo.activated.connect(self._method_chosen)
        self.setTabOrder(self.method_combo, self.tabs)

    def survey_items(self, name: str) -> dict[str, SurveyItem]:
        return {i.code: i for i in self.ws.reference.survey(survey.BLOCKS[name])}

    def show_view(self, view: FormView) -> None:
        result: survey.SurveyResult = view.computed
        fit_problems_list(self.problems.list)
        index = self.method_combo.findData(view.data.method)
        self.method_combo.blockSignals(True)
        self.method_combo.setCurrentIndex(index)
        self.method_combo.blockSignals(False)
        self.method_combo.setEnabled(view.editable)
        self.method_text.setText(tr(f"100점 환산 = {result.method_text}. 보고서마다 이 환산 방식이 함께 인쇄됩니다."))
        for name, block in self.blocks.items():
            block.show_block(self, view, getattr(result, name))
            title = tr(BLOCK_TITLES[name])
            score = getattr(result, name).score
            mark = f" {fmt_decimal(score, 1)}점" if score is not None else ""
            mnemonic = "&U" if name == "user" else "&S"
            self.tabs.setTabText(self.tabs.indexOf(block), f"{title}{mark}({mnemonic})")

    def _method_chosen(self, index: int) -> None:
        key = self.method_combo.itemData(index)
        if self.view is not None and key and key != self.view.data.method:
            self.commit([("method", key)])

    def focus_field(self, path: str) -> None:
        parts = path.split("/")
        if path == "method":
            self.method_combo.setFocus()
            return
        block = self.blocks.get(parts[0])
        if block is None:
            return
        self.tabs.setCurrentWidget(block)
        if len(parts) == 2 and parts[1] in COUNT_KEYS:
            block.numbers.setCurrentIndex(block.numbers_model.index(0, COUNT_KEYS.index(parts[1])))
            block.numbers.setFocus()
        elif len(parts) >= 3 and parts[1] == "items" and parts[2].isdigit():
            key = "/".join(parts[3:]) or "counts/0"
            if key == "counts":
                key = "counts/0"
            col = ITEM_KEYS.index(key) if key in ITEM_KEYS else ITEM_KEYS.index("counts/0")
            block.items.setCurrentIndex(block.items_model.index(int(parts[2]), col))
            block.items.setFocus()
        else:
            block.items.setFocus()

    def current_block(self) -> BlockWidget:
        widget = self.tabs.currentWidget()
        assert isinstance(widget, BlockWidget)
        return widget
