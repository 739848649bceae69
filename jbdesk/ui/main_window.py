"""Main window: navigation on the left, pages on the right, mode/facility/data dir in the status bar."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtGui import QAction, QCloseEvent, QFont, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from jbdesk.domain.forms import FormKind
from jbdesk.domain.periods import Period
from jbdesk.i18n import tr
from jbdesk.resources import resource
from jbdesk.services.workspace import Mode, Workspace
from jbdesk.ui.about import show_about

PageFactory = Callable[[Workspace], QWidget]


@dataclass(frozen=True)
class NavEntry:
    key: str
    label: str
    section: str
    factory: PageFactory
    modes: frozenset[Mode]


def _page(module: str, cls: str) -> PageFactory:
    """Import a page's module on first visit: start-up loads only the shell."""

    def build(ws: Workspace) -> QWidget:
        return getattr(importlib.import_module(f"jbdesk.ui.pages.{module}"), cls)(ws)

    return build


FACILITY = frozenset({Mode.FACILITY})
HQ = frozenset({Mode.HQ})
BOTH = frozenset({Mode.FACILITY, Mode.HQ})
_IN, _HQ, _SET = "보고 입력", "본부", "설정"

# fmt: off
NAVIGATION: tuple[NavEntry, ...] = (
    NavEntry("home", "할 일", _IN, _page("home_page", "HomePage"), FACILITY),
    NavEntry("staffing", "월별 인력 현황", _IN, _page("staffing_page", "StaffingPage"), FACILITY),
    NavEntry("budget_plan", "연간 예산", _IN, _page("budget_plan_page", "BudgetPlanPage"), FACILITY),
    NavEntry("budget", "월별 예산집행 점검", _IN, _page("budget_page", "BudgetCheckPage"), FACILITY),
    NavEntry("quarterly", "분기실적보고서", _IN, _page("quarterly_page", "QuarterlyPage"), FACILITY),
    NavEntry("safety", "반기 안전 점검표", _IN, _page("safety_page", "SafetyPage"), FACILITY),
    NavEntry("survey", "만족도 조사", _IN, _page("survey_page", "SurveyPage"), FACILITY),
    NavEntry("export", "보내기", _IN, _page("export_page", "ExportPage"), FACILITY),
    NavEntry("feedback_in", "본부 회신", _IN, _page("feedback_page", "FeedbackPage"), FACILITY),
    NavEntry("hq_home", "본부 현황", _HQ, _page("home_page", "HomePage"), HQ),
    NavEntry("tracker", "제출 현황", _HQ, _page("tracker_page", "TrackerPage"), HQ),
    NavEntry("import", "가져오기", _HQ, _page("import_page", "ImportPage"), HQ),
    NavEntry("feedback_out", "회신 보내기", _HQ, _page("feedback_page", "FeedbackPage"), HQ),
    NavEntry("board", "인력 현황판", _HQ, _page("board_page", "BoardPage"), HQ),
    NavEntry("execution", "예산 집행", _HQ, _page("execution_page", "ExecutionPage"), HQ),
    NavEntry("safety_hq", "안전 점검", _HQ, _page("safety_hq_page", "SafetyHqPage"), HQ),
    NavEntry("survey_hq", "만족도", _HQ, _page("survey_hq_page", "SurveyHqPage"), HQ),
    NavEntry("report", "월간 보고서", _HQ, _page("report_page", "ReportPage"), HQ),
    NavEntry("registry", "시설 등록부", _HQ, _page("registry_page", "RegistryPage"), HQ),
    NavEntry("facility_info", "우리 시설 정보", _SET, _page("registry_page", "RegistryPage"), FACILITY),
    NavEntry("audit", "감사 기록", _SET, _page("audit_page", "AuditPage"), BOTH),
    NavEntry("settings", "설정", _SET, _page("settings_page", "SettingsPage"), BOTH),
)
# fmt: on


class MainWindow(QMainWindow):
    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        info = ws.info()
        self.mode = info.mode or Mode.HQ
        who = f"{info.facility_code} {info.facility_name}" if info.facility_code else tr("본부")
        self.setWindowTitle(tr(f"jbdesk — {who}"))
        self.setWindowIcon(QIcon(str(resource("icons", "jbdesk.png"))))
        self._settings = QSettings(str(ws.paths.ui_settings), QSettings.Format.IniFormat)

        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setAccessibleName(tr("화면 목록"))
        self.nav.setMinimumWidth(190)
        self.stack = QStackedWidget()
        self._pages: dict[str, QWidget] = {}
        self._rows: dict[str, int] = {}
        self._entries: dict[int, NavEntry] = {}
        self._build_navigation()
        self.nav.currentRowChanged.connect(self._on_nav)

        splitter = QSplitter()
        splitter.addWidget(self.nav)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        self.setCentralWidget(splitter)
        self._build_menu()
        self._build_status_bar(info)
        self._restore_geometry()
        self.show_page(next(iter(self._rows)))

    # navigation -------------------------------------------------------------------------
    def _build_navigation(self) -> None:
        section = None
        bold = QFont()
        bold.setBold(True)
        for entry in NAVIGATION:
            if self.mode not in entry.modes:
                continue
            if entry.section != section:
                section = entry.section
                header = QListWidgetItem(tr(section))
                header.setFlags(Qt.ItemFlag.NoItemFlags)
                header.setFont(bold)
                self.nav.addItem(header)
            item = QListWidgetItem("   " + tr(entry.label))
            item.setData(Qt.ItemDataRole.UserRole, entry.key)
            self.nav.addItem(item)
            self._rows[entry.key] = self.nav.count() - 1
            self._entries[self.nav.count() - 1] = entry

    def page_keys(self) -> list[str]:
        return list(self._rows)

    def show_page(self, key: str) -> QWidget:
        row = self._rows[key]
        if self.nav.currentRow() != row:
            self.nav.setCurrentRow(row)  # emits currentRowChanged -> _on_nav
        return self._pages[key]

    def open_form(self, form: FormKind, period: Period) -> QWidget:
        """Show the page of ``form`` at ``period`` (from the due list)."""
        from jbdesk.ui.pages.home_page import FORM_PAGES

        page = self.show_page(FORM_PAGES[form])
        if hasattr(page, "set_period"):
            page.set_period(period)
        return page

    def current_page(self) -> QWidget:
        return self.stack.currentWidget()

    def _on_nav(self, row: int) -> None:
        entry = self._entries.get(row)
        if entry is None:
            return
        page = self._pages.get(entry.key)
        if page is None:
            page = entry.factory(self.ws)  # pages are built on first visit: start-up stays fast
            if hasattr(page, "openForm"):
                page.openForm.connect(self.open_form)
            self._pages[entry.key] = page
            self.stack.addWidget(page)
        self.stack.setCurrentWidget(page)

    # chrome ----------------------------------------------------------------------------
    def _build_menu(self) -> None:
        file_menu = self.menuBar().addMenu(tr("파일(&F)"))
        quit_action = QAction(tr("끝내기(&X)"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        go_menu = self.menuBar().addMenu(tr("이동(&G)"))
        for n, key in enumerate(self._rows, start=1):
            action = QAction(tr(self.nav.item(self._rows[key]).text().strip()), self)
            if n <= 9:
                action.setShortcut(QKeySequence(f"Ctrl+{n}"))
            action.triggered.connect(lambda _=False, k=key: self.show_page(k))
            go_menu.addAction(action)
        help_menu = self.menuBar().addMenu(tr("도움말(&H)"))
        about = QAction(tr("jbdesk 정보(&A)"), self)
        about.triggered.connect(lambda: show_about(self))
        help_menu.addAction(about)

    def _build_status_bar(self, info) -> None:
        bar = self.statusBar()
        mode = info.mode.label if info.mode else tr("미설정")
        self.mode_label = QLabel(tr(f"용도: {mode}"))
        facility = f"{info.facility_code} {info.facility_name}" if info.facility_code else tr("전체 시설")
        self.facility_label = QLabel(tr(f"시설: {facility}"))
        self.data_label = QLabel(tr(f"데이터: {info.data_dir}"))
        for label in (self.mode_label, self.facility_label, self.data_label):
            bar.addPermanentWidget(label)

    def _restore_geometry(self) -> None:
        geometry = self._settings.value("main/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1180, 760)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._settings.setValue("main/geometry", self.saveGeometry())
        self._settings.sync()
        super().closeEvent(event)
