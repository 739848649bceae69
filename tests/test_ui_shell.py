"""The application shell: first-run choice, navigation, status bar, registry table, About, geometry."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtGui import QFontInfo
from PySide6.QtWidgets import QApplication, QLabel

from jbdesk.paths import DataPaths
from jbdesk.services.workspace import Mode, Workspace
from jbdesk.ui.about import about_text
from jbdesk.ui.app import make_app
from jbdesk.ui.first_run import FirstRunDialog
from jbdesk.ui.main_window import MainWindow
from jbdesk.ui.pages.registry_page import FacilitiesModel, RegistryPage
from tests.ui_helpers import hangul_is_tofu


@pytest.fixture
def app(qapp) -> QApplication:
    return make_app()


def test_bundled_font_renders_hangul(app: QApplication, qtbot) -> None:
    label = QLabel("전북특별자치도사회서비스원")
    qtbot.addWidget(label)
    assert QFontInfo(label.font()).family() == "NanumGothic"
    assert not hangul_is_tofu(label.font())


def test_first_run_dialog_offers_every_facility_and_head_office(app, qtbot, workspace: Workspace) -> None:
    dialog = FirstRunDialog(workspace.registry.facilities())
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.facility_combo.count() == 15
    assert dialog.choice() == ("provision", "")  # the normal way: head office's provisioning file
    dialog.facility_radio.click()
    dialog.facility_combo.setCurrentIndex(4)
    assert dialog.choice() == ("facility", "F05")
    dialog.hq_radio.click()
    assert dialog.choice() == ("hq", "전북특별자치도사회서비스원")
    assert not dialog.facility_combo.isEnabled()


def test_head_office_window_pages_and_status_bar(app, qtbot, hq: Workspace) -> None:
    window = MainWindow(hq)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert "registry" in window.page_keys() and "staffing" not in window.page_keys()
    for key in window.page_keys():
        page = window.show_page(key)
        assert window.current_page() is page
    assert window.mode_label.text() == "용도: 본부"
    assert str(hq.paths.root) in window.data_label.text()


def test_facility_window_shows_forms_and_due_list(app, qtbot, workspace: Workspace) -> None:
    workspace.set_facility("F05")
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    assert window.page_keys()[0] == "home"
    assert {"staffing", "budget", "safety", "survey", "export"} <= set(window.page_keys())
    assert "registry" not in window.page_keys()
    home = window.show_page("home")
    assert "F05" in home.summary.text()
    assert window.facility_label.text() == "시설: F05 하가영무예다음다함께돌봄센터"


def test_due_list_respects_transfer(app, qtbot, workspace: Workspace) -> None:
    from jbdesk.ui.pages.home_page import HomePage

    workspace.set_facility("F05")
    page = HomePage(workspace, today=date(2027, 3, 1))
    qtbot.addWidget(page)
    rows = [
        (page.model.item(r, 0).text(), page.model.item(r, 1).text(), page.model.item(r, 3).text())
        for r in range(page.model.rowCount())
    ]
    assert ("월별 인력 현황", "2026년 11월", "작성 전 · 기한 지남") in rows
    assert not any(period == "2026년 12월" for _, period, _ in rows)
    assert not any(period.startswith("2027") for _, period, _ in rows)


def test_registry_model_is_a_correct_qt_model(app, qtmodeltester, workspace: Workspace) -> None:
    model = FacilitiesModel(workspace.registry.facilities(), today=date(2026, 12, 15))
    qtmodeltester.check(model)
    last = model.rowCount() - 1
    assert model.index(last, 1).data() == "계 15개소"
    assert [model.index(last, c).data() for c in (6, 7, 8)] == ["114", "104", "△10"]
    f05_row = next(r for r in range(last) if model.index(r, 0).data() == "F05")
    assert model.index(f05_row, 9).data() == "민간이전"


def test_registry_page_is_read_only_on_a_facility_pc(app, qtbot, workspace: Workspace) -> None:
    workspace.set_facility("F01")
    page = RegistryPage(workspace)
    qtbot.addWidget(page)
    assert not page.add_button.isEnabled()
    assert page.model.rowCount() == 2  # the facility and its 계 row


def test_about_names_version_and_font_licence(app) -> None:
    text = about_text()
    assert "jbdesk 0.1.0" in text
    assert "SIL Open Font License" in text


def test_window_geometry_is_remembered(app, qtbot, data_dir) -> None:
    with Workspace.open(DataPaths(data_dir)) as ws:
        ws.set_head_office()
        window = MainWindow(ws)
        qtbot.addWidget(window)
        window.show()
        window.resize(720, 520)  # the offscreen screen is 800x600
        window.move(40, 30)
        window.close()
    with Workspace.open(DataPaths(data_dir)) as ws:
        again = MainWindow(ws)
        qtbot.addWidget(again)
        assert (again.width(), again.height()) == (720, 520)
        assert ws.info().mode is Mode.HQ


def test_qt_calls_do_not_leak_references_to_none(app) -> None:
    """PySide6 6.12.0 on Python 3.11 dropped a reference to None per setText-like call; constraints.txt pins a
    release without that bug (painting still drops some: make_app guards None's count, see test_ui_hq)."""
    import sys

    label = QLabel()
    before = sys.getrefcount(None)
    for _ in range(5000):
        label.setText("전북")
    assert abs(sys.getrefcount(None) - before) < 50
