"""Period navigator: ◀ 2026년 3월 ▶ with keyboard (Alt+Left / Alt+Right) and a list of recent periods."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QToolButton, QWidget

from jbdesk.domain.periods import Period, PeriodKind
from jbdesk.i18n import tr


class PeriodNavigator(QWidget):
    periodChanged = Signal(object)  # Period

    def __init__(self, kind: PeriodKind, first: Period, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self._periods: list[Period] = []
        period = Period.containing(first.start, kind)
        last = Period.containing(today, kind).next()
        while period <= last:
            self._periods.append(period)
            period = period.next()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.prev_button = QToolButton()
        self.prev_button.setText("◀")
        self.prev_button.setToolTip(tr("이전 기간 (Alt+←)"))
        self.prev_button.setShortcut(QKeySequence("Alt+Left"))
        self.next_button = QToolButton()
        self.next_button.setText("▶")
        self.next_button.setToolTip(tr("다음 기간 (Alt+→)"))
        self.next_button.setShortcut(QKeySequence("Alt+Right"))
        self.combo = QComboBox()
        self.combo.setAccessibleName(tr("기간"))
        for p in self._periods:
            self.combo.addItem(p.label, str(p))
        self.combo.setMinimumContentsLength(12)
        layout.addWidget(self.prev_button)
        layout.addWidget(self.combo)
        layout.addWidget(self.next_button)
        self.prev_button.clicked.connect(lambda: self.step(-1))
        self.next_button.clicked.connect(lambda: self.step(1))
        self.combo.currentIndexChanged.connect(self._changed)

    def period(self) -> Period:
        return self._periods[self.combo.currentIndex()]

    def set_period(self, period: Period) -> None:
        if period not in self._periods:
            return
        self.combo.setCurrentIndex(self._periods.index(period))

    def step(self, delta: int) -> None:
        index = self.combo.currentIndex() + delta
        if 0 <= index < self.combo.count():
            self.combo.setCurrentIndex(index)

    def _changed(self, index: int) -> None:
        self.prev_button.setEnabled(index > 0)
        self.next_button.setEnabled(index < self.combo.count() - 1)
        if 0 <= index < len(self._periods):
            self.periodChanged.emit(self._periods[index])
