"""변경 이력: who changed which field of a form instance, when, from what to what."""

from __future__ import annotations

import json

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from jbdesk.domain.forms import ChangeEntry
from jbdesk.i18n import tr

ACTIONS = {"create": "만듦", "edit": "수정", "insert": "행 추가", "remove": "행 삭제", "explain": "사유",
           "status": "상태", "reopen": "새 판", "replace": "다시 불러옴"}  # fmt: skip


def _short(value: str | None) -> str:
    if value is None:
        return ""
    try:
        decoded = json.loads(value)
    except ValueError:
        return value
    text = "" if decoded is None else (decoded if isinstance(decoded, str) else json.dumps(decoded, ensure_ascii=False))
    return text if len(text) <= 60 else text[:57] + "…"


class HistoryDialog(QDialog):
    def __init__(self, title: str, entries: list[ChangeEntry], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("변경 이력 — ") + title)
        self.resize(900, 480)
        layout = QVBoxLayout(self)
        headers = [tr("일시"), tr("판"), tr("사용자"), tr("작업"), tr("항목"), tr("이전 값"), tr("새 값")]
        self.table = QTableWidget(len(entries), len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for r, e in enumerate(reversed(entries)):
            who = e.operator + (f" ({e.os_user})" if e.os_user else "") if e.operator else e.os_user
            values = [f"{e.at:%Y-%m-%d %H:%M:%S}", str(e.revision), who, ACTIONS.get(e.action, e.action), e.field,
                      _short(e.old_value), _short(e.new_value)]  # fmt: skip
            for c, v in enumerate(values):
                self.table.setItem(r, c, QTableWidgetItem(v))
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
