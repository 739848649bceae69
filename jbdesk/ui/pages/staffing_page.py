"""월별 인력 현황: one row per job family, 결원 and totals computed live."""

from __future__ import annotations

import msgspec
from PySide6.QtWidgets import QHBoxLayout, QInputDialog, QPushButton, QVBoxLayout

from jbdesk.domain.field_names import STAFFING_FIELDS
from jbdesk.domain.forms import FormKind
from jbdesk.domain.numbers import fmt_int
from jbdesk.domain.staffing import COUNT_FIELDS, StaffingRow
from jbdesk.i18n import tr
from jbdesk.services.forms import FormView
from jbdesk.ui.pages.form_page import FormPage
from jbdesk.ui.widgets.grid import Column, GridView


def vacancy_text(value: int | None) -> str:
    return fmt_int(value, zero="-")


COLUMNS = (
    Column.of("job_family", STAFFING_FIELDS, kind="text", width=110),
    Column.of("authorized", STAFFING_FIELDS, width=60),
    Column.of("current", STAFFING_FIELDS, width=60),
    Column(
        "vacancy", tr("결원"), "computed", editable=False, width=60, tooltip=tr("결원 = 현원 − 정원"), fmt=vacancy_text
    ),
    Column.of("hires", STAFFING_FIELDS, width=60),
    Column.of("leavers", STAFFING_FIELDS, width=60),
    Column.of("on_leave", STAFFING_FIELDS, width=60),
    Column.of("probation", STAFFING_FIELDS, width=70),
    Column.of("substitute_days", STAFFING_FIELDS, width=100, tooltip=tr("이번 달 대체인력을 쓴 날 수")),
    Column.of("side_job_reports", STAFFING_FIELDS, width=130),
    Column.of("direct_employment", STAFFING_FIELDS, width=80),
)
TOTAL_KEYS = ("authorized", "current", "vacancy", *(k for k in COUNT_FIELDS if k not in ("authorized", "current")))


class StaffingPage(FormPage):
    form = FormKind.STAFFING

    def build_body(self, layout: QVBoxLayout) -> None:
        self.model = self.make_grid_model("rows", COLUMNS)
        self.grid = GridView(self.model)
        self.grid.setAccessibleName(tr("직종별 인력 표"))
        layout.addWidget(self.grid)
        row = QHBoxLayout()
        self.add_button = QPushButton(tr("직종 추가(&I)…"))
        self.remove_button = QPushButton(tr("선택 직종 삭제"))
        self.add_button.clicked.connect(self.add_row)
        self.remove_button.clicked.connect(self.remove_row)
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        layout.addLayout(row)

    def show_view(self, view: FormView) -> None:
        summary = view.computed
        rows = [msgspec.to_builtins(r) for r in view.data.rows]
        computed = [{"vacancy": line.vacancy} for line in summary.rows]
        total = {k: getattr(summary.total, k) for k in TOTAL_KEYS}
        total["job_family"] = tr("계")
        self.model.set_content(self.grid_content(view, rows, computed=computed, total=total))
        self.add_button.setEnabled(view.editable)
        self.remove_button.setEnabled(view.editable)

    def focus_field(self, path: str) -> None:
        parts = path.split("/")
        if len(parts) == 3 and parts[0] == "rows" and parts[1].isdigit():
            keys = [c.key for c in COLUMNS]
            col = keys.index(parts[2]) if parts[2] in keys else 0
            self.grid.setCurrentIndex(self.model.index(int(parts[1]), col))
            self.grid.setFocus()

    def field_label(self, path: str) -> str | None:
        parts = path.split("/")
        if self.view is not None and len(parts) >= 2 and parts[0] == "rows" and parts[1].isdigit():
            rows = self.view.data.rows
            index = int(parts[1])
            return rows[index].job_family if index < len(rows) else None
        return None

    def add_row(self) -> None:
        name, ok = QInputDialog.getText(self, tr("직종 추가"), tr("직종 이름:"))
        if ok and name.strip() and self.view is not None:
            row = msgspec.to_builtins(StaffingRow(job_family=name.strip()))
            self.run(self.ws.forms.insert_item, self.ref, "rows", len(self.view.data.rows), row)

    def remove_row(self) -> None:
        index = self.grid.currentIndex()
        if index.isValid() and index.row() < self.model.data_rows:
            self.run(self.ws.forms.remove_item, self.ref, "rows", index.row())
