"""Main window: navigation on the left, pages on the right, mode/facility/data dir in the status bar.

Start-up shows the window before the database is open: ``MainWindow(paths=..., hint=...)`` is the shell (the
navigation of the mode this data dir had at its last start, remembered in ``ui.ini``, and a 불러오는 중 page);
once it is on screen it emits ``shellShown`` and the caller opens the workspace and hands it to ``attach``. So the
window appears before SQLAlchemy, the services and the form modules are imported. ``MainWindow(ws)`` builds a
complete window at once, as before.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QFont, QIcon, QKeySequence, QPaintEvent, QShowEvent
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from jbdesk.i18n import tr
from jbdesk.resources import resource
from jbdesk.services.mode import Mode
from jbdesk.ui.about import show_about

if TYPE_CHECKING:  # the shell is shown before these are imported (SQLAlchemy comes with the workspace)
    from jbdesk.domain.forms import FormKind
    from jbdesk.domain.periods import Period
    from jbdesk.paths import DataPaths
    from jbdesk.services.workspace import Workspace, WorkspaceInfo

PageFactory = Callable[["Workspace"], QWidget]


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


@dataclass(frozen=True)
class ShellHint:
    """What the shell shows before the database is open: this data dir's mode and facility at its last start."""

    mode: Mode
    facility_code: str | None = None
    facility_name: str | None = None

    @classmethod
    def read(cls, paths: DataPaths) -> ShellHint | None:
        """The hint ``attach`` left in ``ui.ini``; None on a first start (no database yet, or never opened here)."""
        try:
            if not paths.database.is_file() or not paths.ui_settings.is_file():
                return None
        except OSError:  # an unreadable data dir: the workspace, opened before the window, says so in Korean
            return None
        settings = QSettings(str(paths.ui_settings), QSettings.Format.IniFormat)
        mode = settings.value("start/mode")
        if mode not in {m.value for m in Mode}:
            return None
        code = settings.value("start/facility_code") or None
        name = settings.value("start/facility_name") or None
        return cls(Mode(mode), str(code) if code else None, str(name) if name else None)


class LoadingPage(QWidget):
    """Stands in for every page until the workspace is open (a fraction of a second after the window appears)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        layout.addWidget(self.title)
        self.message = QLabel(tr("자료를 불러오는 중입니다…"))
        layout.addWidget(self.message)
        layout.addStretch(1)


class MainWindow(QMainWindow):
    shellShown = Signal()  # the shell has been painted (or shown minimised): time to open the workspace

    def __init__(
        self,
        ws: Workspace | None = None,
        parent: QWidget | None = None,
        *,
        paths: DataPaths | None = None,
        hint: ShellHint | None = None,
    ) -> None:
        super().__init__(parent)
        if ws is not None:
            paths, info = ws.paths, ws.info()
            hint = ShellHint(info.mode or Mode.HQ, info.facility_code, info.facility_name)
        elif paths is None or hint is None:
            raise ValueError("MainWindow needs a workspace, or paths and a hint for the shell")
        self.ws: Workspace | None = None
        self.paths = paths
        self.mode = hint.mode
        self.setWindowIcon(QIcon(str(resource("icons", "jbdesk.png"))))
        self._settings = QSettings(str(paths.ui_settings), QSettings.Format.IniFormat)
        self._shown_once = self._painted = False

        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setAccessibleName(tr("화면 목록"))
        self.nav.setMinimumWidth(190)
        self.stack = QStackedWidget()
        self._loading: LoadingPage | None = LoadingPage()
        self.stack.addWidget(self._loading)
        self._pages: dict[str, QWidget] = {}
        self._rows: dict[str, int] = {}
        self._entries: dict[int, NavEntry] = {}
        self.nav.currentRowChanged.connect(self._on_nav)

        splitter = QSplitter()
        splitter.addWidget(self.nav)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        self.setCentralWidget(splitter)
        self._build_menu()
        self._build_status_bar()
        self._build_navigation()
        self._show_identity(hint.mode, hint.facility_code, hint.facility_name)
        self._restore_geometry()
        if ws is not None:
            self.attach(ws)

    def attach(self, ws: Workspace) -> None:
        """Take the opened workspace: navigation of its mode, status bar, and the current page built for real."""
        info = ws.info()
        mode = info.mode or Mode.HQ
        self.ws = ws
        if mode != self.mode:  # the data dir changed mode since the hint was written (a restored or new database)
            self.mode = mode
            self._build_navigation()
        self._show_identity(mode, info.facility_code, info.facility_name, info)
        if info.mode is not None:
            self._remember(mode, info.facility_code, info.facility_name)
        if self._loading is not None:
            self.stack.removeWidget(self._loading)
            self._loading.deleteLater()
            self._loading = None
        self._on_nav(self.nav.currentRow())

    # navigation -------------------------------------------------------------------------
    def _build_navigation(self) -> None:
        self.nav.blockSignals(True)
        self.nav.clear()
        self.nav.blockSignals(False)
        self._rows.clear()
        self._entries.clear()
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
        self._build_go_menu()
        self.show_page(next(iter(self._rows)))

    def page_keys(self) -> list[str]:
        return list(self._rows)

    def show_page(self, key: str) -> QWidget:
        """The page of ``key``, shown; before the workspace is open, the loading page standing in for it."""
        row = self._rows[key]
        if self.nav.currentRow() != row:
            self.nav.setCurrentRow(row)  # emits currentRowChanged -> _on_nav
        page = self._pages.get(key)
        return page if page is not None else self.current_page()

    def open_form(self, form: FormKind, period: Period) -> QWidget:
        """Show the page of ``form`` at ``period`` (from the due list)."""
        from jbdesk.ui.pages.home_page import FORM_PAGES

        page = self.show_page(FORM_PAGES[form])
        if hasattr(page, "set_period"):
            page.set_period(period)
        return page

    def current_page(self) -> QWidget:
        page = self.stack.currentWidget()
        assert page is not None  # the stack always holds a page: the loading page until the real ones exist
        return page

    def _on_nav(self, row: int) -> None:
        entry = self._entries.get(row)
        if entry is None:
            return
        if self.ws is None:  # still opening: the loading page names the page that will come
            assert self._loading is not None
            self._loading.title.setText(tr(entry.label))
            self.stack.setCurrentWidget(self._loading)
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
        self._go_menu = self.menuBar().addMenu(tr("이동(&G)"))
        help_menu = self.menuBar().addMenu(tr("도움말(&H)"))
        about = QAction(tr("jbdesk 정보(&A)"), self)
        about.triggered.connect(lambda: show_about(self))
        help_menu.addAction(about)

    def _build_go_menu(self) -> None:
        for action in self._go_menu.actions():
            self._go_menu.removeAction(action)
            action.deleteLater()
        for n, key in enumerate(self._rows, start=1):
            action = QAction(tr(self.nav.item(self._rows[key]).text().strip()), self)
            if n <= 9:
                action.setShortcut(QKeySequence(f"Ctrl+{n}"))
            action.triggered.connect(lambda _=False, k=key: self.show_page(k))
            self._go_menu.addAction(action)

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.mode_label = QLabel()
        self.facility_label = QLabel()
        self.data_label = QLabel(tr(f"데이터: {self.paths.root}"))
        for label in (self.mode_label, self.facility_label, self.data_label):
            bar.addPermanentWidget(label)

    def _show_identity(self, mode: Mode, code: str | None, name: str | None, info: WorkspaceInfo | None = None) -> None:
        """Title and status bar: from the hint in the shell, from the workspace once it is open."""
        who = f"{code} {name}" if code else tr("본부")
        self.setWindowTitle(tr(f"jbdesk — {who}"))
        label = tr(mode.label) if info is None or info.mode is not None else tr("미설정")
        self.mode_label.setText(tr(f"용도: {label}"))
        facility = f"{code} {name}" if code else tr("전체 시설")
        self.facility_label.setText(tr(f"시설: {facility}"))
        if info is not None:
            self.data_label.setText(tr(f"데이터: {info.data_dir}"))

    def _remember(self, mode: Mode, code: str | None, name: str | None) -> None:
        """Leave the hint for the next start's shell (written only when it changed)."""
        wanted = {"start/mode": mode.value, "start/facility_code": code or "", "start/facility_name": name or ""}
        if all(self._settings.value(k) == v for k, v in wanted.items()):
            return
        for key, value in wanted.items():
            self._settings.setValue(key, value)
        self._settings.sync()

    def _restore_geometry(self) -> None:
        geometry = self._settings.value("main/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1180, 760)

    # start-up ----------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._shown_once:
            # normally the first paint gives the signal; a window started minimised is not painted
            QTimer.singleShot(0 if self.isMinimized() else 300, self, self._emit_shell_shown)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            QTimer.singleShot(0, self, self._emit_shell_shown)  # the next turn: after this frame is on screen

    def _emit_shell_shown(self) -> None:
        if not self._shown_once and self.isVisible():
            self._shown_once = True
            self.shellShown.emit()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._settings.setValue("main/geometry", self.saveGeometry())
        self._settings.sync()
        super().closeEvent(event)
