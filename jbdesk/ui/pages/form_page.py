"""Common frame of every form page: period, status, autosave note, problems, 작성완료 / 수정하기."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import msgspec
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QInputDialog, QLabel, QPushButton, QVBoxLayout, QWidget

from jbdesk.domain.facilities import TRACKING_START
from jbdesk.domain.field_names import describe
from jbdesk.domain.forms import FORMS, FormKind, FormRef, FormStatus
from jbdesk.domain.periods import Period, default_period
from jbdesk.errors import JbdeskError
from jbdesk.i18n import tr
from jbdesk.services.forms import FormView
from jbdesk.services.workspace import Workspace
from jbdesk.ui.errors import show_error
from jbdesk.ui.widgets.grid import GridContent, GridModel, problems_by_field
from jbdesk.ui.widgets.period_nav import PeriodNavigator
from jbdesk.ui.widgets.problems import ProblemsPanel

STATUS_COLOURS = {
    FormStatus.DRAFT: "#8a6d00",
    FormStatus.READY: "#2e7d32",
    FormStatus.SUBMITTED: "#1f4e8c",
    FormStatus.ACCEPTED: "#1f4e8c",
    FormStatus.RETURNED: "#b00020",
}


class FormPage(QWidget):
    """Subclasses set ``form`` and implement ``build_body``, ``show_view`` and optionally ``focus_field``."""

    form: FormKind

    def __init__(self, ws: Workspace, parent: QWidget | None = None, today: date | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.today = today or ws.forms.today
        self.facility_code = ws.info().facility_code or ""
        self.view: FormView | None = None
        spec = FORMS[self.form]

        layout = QVBoxLayout(self)
        header = QHBoxLayout()
        title = QLabel(tr(spec.label))
        title.setObjectName("pageTitle")
        header.addWidget(title)
        header.addStretch(1)
        first = Period.month(TRACKING_START.year, TRACKING_START.month)
        self.navigator = PeriodNavigator(spec.period_kind, first, self.today)
        header.addWidget(self.navigator)
        self.status_label = QLabel()
        self.status_label.setObjectName("statusBadge")
        self.status_label.setMinimumWidth(150)
        self.status_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        header.addWidget(self.status_label)
        layout.addLayout(header)

        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet("color: #b00020;")
        self.notice.hide()
        layout.addWidget(self.notice)

        # Head office's decision and comments (보완요청), beside the form; a field comment links to its field.
        self.review_box = QLabel()
        self.review_box.setObjectName("reviewBox")
        self.review_box.setWordWrap(True)
        self.review_box.setTextFormat(Qt.TextFormat.RichText)
        self.review_box.setStyleSheet(
            "QLabel#reviewBox { background: #fff4e5; border: 1px solid #e0a040; border-radius: 4px; padding: 6px; }"
        )
        self.review_box.linkActivated.connect(lambda link: self.focus_field(link.removeprefix("field:")))
        self.review_box.hide()
        layout.addWidget(self.review_box)

        self.body = QWidget()
        self.body_layout = QVBoxLayout(self.body)
        self.body_layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.body, 1)
        self.build_body(self.body_layout)

        self.problems = ProblemsPanel()
        self.problems.describe = self.field_label
        layout.addWidget(self.problems)

        footer = QHBoxLayout()
        self.saved_label = QLabel()
        self.saved_label.setStyleSheet("color: #555;")
        footer.addWidget(self.saved_label, 1)
        self.ready_button = QPushButton(tr("작성완료(&D)"))
        self.ready_button.setToolTip(tr("검증을 통과하면 작성완료로 표시합니다 (Ctrl+Enter)"))
        self.draft_button = QPushButton(tr("작성중으로(&W)"))
        self.reopen_button = QPushButton(tr("수정하기(새 판)(&U)…"))
        self.reopen_button.setToolTip(tr("제출한 보고를 고칩니다. 제출한 판은 그대로 남고 새 판이 만들어집니다."))
        self.history_button = QPushButton(tr("변경 이력(&Y)…"))
        self.history_button.clicked.connect(self.show_history)
        footer.addWidget(self.history_button)
        for b in (self.ready_button, self.draft_button, self.reopen_button):
            footer.addWidget(b)
        layout.addLayout(footer)
        QShortcut(QKeySequence("Ctrl+Return"), self).activated.connect(self.mark_ready)

        self.ready_button.clicked.connect(self.mark_ready)
        self.draft_button.clicked.connect(self.mark_draft)
        self.reopen_button.clicked.connect(self.reopen)
        self.problems.fieldActivated.connect(self.focus_field)
        self.problems.explanationGiven.connect(self.explain)
        self.navigator.periodChanged.connect(self.load)
        self.navigator.set_period(default_period(spec.period_kind, self.today))
        if self.view is None:
            self.load(self.navigator.period())

    # to implement ----------------------------------------------------------------------------
    def build_body(self, layout: QVBoxLayout) -> None:
        raise NotImplementedError

    def show_view(self, view: FormView) -> None:
        raise NotImplementedError

    def focus_field(self, path: str) -> None:
        """Move the cursor to the field a problem names (grids override this)."""

    def field_label(self, path: str) -> str | None:
        """What the clerk calls the row a problem is on (a job family, an item code), for the problem list."""
        return None

    # helpers for subclasses ------------------------------------------------------------------
    def grid_content(self, view: FormView, rows: list[dict[str, Any]], **kw: Any) -> GridContent:
        explained = frozenset(k for k, v in view.data.explanations.items() if v.strip())
        return GridContent(
            rows=rows,
            problems=problems_by_field(view.validation),
            explained=explained,
            editable=view.editable,
            **kw,
        )

    def make_grid_model(self, list_path: str, columns) -> GridModel:
        model = GridModel(list_path, columns, self.commit)
        model.inputRejected.connect(self.show_notice)
        return model

    # actions ---------------------------------------------------------------------------------
    @property
    def ref(self) -> FormRef:
        """The instance on screen (not the navigator's, which changes first when the period is switched)."""
        if self.view is not None:
            return self.view.ref
        return FormRef(self.facility_code, self.form, self.navigator.period())

    def flush_pending(self) -> None:
        """Save text still being typed (its pause timer has not fired) into the instance on screen."""
        from jbdesk.ui.widgets.autosave import AutosaveLineEdit, AutosaveTextEdit

        for line in self.findChildren(AutosaveLineEdit):
            line.flush()
        for text in self.findChildren(AutosaveTextEdit):
            text.flush()

    def set_period(self, period: Period) -> None:
        self.navigator.set_period(period)

    def load(self, period: Period | None = None) -> None:
        self.flush_pending()
        self.show_notice("")
        try:
            facility = self.ws.registry.get(self.facility_code)
            period = period or self.navigator.period()
            if not facility.reports_in(period):
                self.show_notice(tr(f"{period.label}에는 이 시설의 보고 대상이 아닙니다 (시설 상태 변경)."))
            self.refresh(self.ws.forms.open(FormRef(self.facility_code, self.form, period)))
        except JbdeskError as exc:
            show_error(self, exc)

    def refresh(self, view: FormView) -> None:
        self.view = view
        status = view.status
        colour = STATUS_COLOURS.get(status, "#333")
        self.status_label.setText(tr(f"{status.value} · {view.record.revision}판"))
        self.status_label.setStyleSheet(
            f"QLabel#statusBadge {{ color: white; background: {colour}; border-radius: 4px; padding: 3px 8px; }}"
        )
        self.ready_button.setEnabled(status is FormStatus.DRAFT)
        self.draft_button.setEnabled(status is FormStatus.READY)
        self.reopen_button.setEnabled(not view.editable)
        self.problems.set_problems(view.validation, view.data.explanations, view.editable)
        self.show_view(view)
        self.show_review(view)

    def show_review(self, view: FormView) -> None:
        """The latest head-office decision on this instance, with each field comment linked to its field."""
        import html

        reviews = self.ws.feedback.comments(view.ref) if self.ws.mode is not None else []
        latest = reviews[-1] if reviews else None
        if latest is None or latest.decision.value != "보완요청":
            if latest is not None and latest.revision == view.record.revision:
                self.review_box.setText(tr(f"본부 접수 ({latest.decided_at:%Y-%m-%d}) ") + html.escape(latest.comment))
                self.review_box.show()
            else:
                self.review_box.hide()
            return
        lines = [
            tr(
                f"<b>본부 보완요청</b> ({latest.revision}판, {latest.decided_at:%Y-%m-%d}, {html.escape(latest.decided_by)})"
            ),
        ]
        if latest.comment:
            lines.append(html.escape(latest.comment))
        payload = msgspec.to_builtins(view.data)
        for path, text in latest.field_comments:
            where = describe(self.form, payload, path, self.ws.reference)  # 사회복지직 · 현원
            lines.append(f"· <a href='field:{html.escape(path)}'>{html.escape(where)}</a>: {html.escape(text)}")
        if latest.revision == view.record.revision and not view.editable:
            lines.append(tr("'수정하기'를 눌러 새 판을 만들고, 고친 내용을 짧게 적어 보내세요."))
        elif view.record.revision > latest.revision:
            lines.append(tr(f"{view.record.revision}판에서 고치는 중입니다. 작성완료한 뒤 보내세요."))
        self.review_box.setText("<br>".join(lines))
        self.review_box.show()

    def commit(self, changes: list[tuple[str, Any]]) -> bool:
        """Autosave: every edit goes to the database at once, in one transaction."""
        try:
            view = self.ws.forms.set_values(self.ref, changes)
        except JbdeskError as exc:
            self.show_notice(exc.message)
            return False
        self.saved_label.setText(tr(f"자동 저장됨 {datetime.now():%H:%M:%S}"))
        self.show_notice("")
        self.refresh(view)
        return True

    def run(self, action, *args: Any) -> FormView | None:
        try:
            view = action(*args)
        except JbdeskError as exc:
            show_error(self, exc)
            return None
        self.refresh(view)
        return view

    def explain(self, key: str, text: str) -> None:
        if self.run(self.ws.forms.explain, self.ref, key, text) is not None:
            self.saved_label.setText(tr(f"사유 저장됨 {datetime.now():%H:%M:%S}"))

    def mark_ready(self) -> None:
        """Refusal is not a pop-up: the reasons are already listed in the problems panel below."""
        if self.view is None or not self.view.editable:
            return
        try:
            view = self.ws.forms.mark_ready(self.ref)
        except JbdeskError as exc:
            self.show_notice(exc.message + tr(" 아래 목록에서 고칠 곳을 확인하세요."))
            self.problems.list.setFocus()
            if self.problems.list.count():
                self.problems.list.setCurrentRow(0)
            return
        self.refresh(view)

    def mark_draft(self) -> None:
        self.run(self.ws.forms.mark_draft, self.ref)

    def reopen(self) -> None:
        note, ok = QInputDialog.getText(
            self, tr("수정하기"), tr("무엇을 고치는지 짧게 적어 주세요 (본부에 함께 전달):")
        )
        if ok:
            self.run(self.ws.forms.reopen, self.ref, note)

    def show_history(self) -> None:
        from jbdesk.ui.history_dialog import HistoryDialog

        HistoryDialog(self.ref.label, self.ws.forms.history(self.ref), self).exec()

    def show_notice(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setVisible(bool(text))
