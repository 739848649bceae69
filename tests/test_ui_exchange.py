"""Export and import pages: the work runs off the GUI thread, results come back to the page."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from jbdesk.domain.forms import FormKind, FormRef, FormStatus
from jbdesk.domain.periods import Period
from jbdesk.paths import DataPaths
from jbdesk.services.export import ensure_dir
from jbdesk.services.workspace import Workspace
from jbdesk.ui.app import make_app
from jbdesk.ui.pages.export_page import ExportPage
from jbdesk.ui.pages.import_page import ImportPage

KEYS = ["authorized", "current", "hires", "leavers", "on_leave", "probation", "substitute_days",
        "side_job_reports", "direct_employment"]  # fmt: skip


@pytest.fixture
def pair(qapp, tmp_path: Path):
    make_app()
    hq = Workspace.open(DataPaths(tmp_path / "hq"))
    hq.trust.hq_init("전북특별자치도사회서비스원")
    provision = hq.trust.provision("F03", tmp_path)
    fac = Workspace.open(DataPaths(tmp_path / "f03"))
    setup = fac.trust.setup_facility(provision, tmp_path)
    hq.trust.enroll(setup.request_path)
    fac.forms._today = date(2026, 3, 5)
    ref = FormRef("F03", FormKind.STAFFING, Period.parse("2026-02"))
    fac.forms.set_values(ref, [(f"rows/{i}/{k}", 2) for i in range(6) for k in KEYS])
    fac.forms.mark_ready(ref)
    yield hq, fac, ref
    hq.close()
    fac.close()


def test_export_page_writes_the_bundle_and_marks_submitted(qtbot, pair, tmp_path: Path) -> None:
    _hq, fac, ref = pair
    page = ExportPage(fac)
    qtbot.addWidget(page)
    assert page.list.item(0).text() == "월별 인력 현황 2026년 2월 (1판)"
    assert "전북특별자치도사회서비스원" in page.identity.text()
    usb = tmp_path / "USB 드라이브" / "보고"  # Korean and spaces in the path
    page.folder.setText(str(usb))
    page.export()
    qtbot.waitUntil(lambda: page.last_result is not None, timeout=10_000)
    result = page.last_result
    assert result.path.parent == usb and result.path.is_file()
    assert fac.forms.get(ref).status is FormStatus.SUBMITTED
    assert "만들었습니다" in page.result_label.text()
    assert not page.export_button.isEnabled()  # nothing left to send


def test_import_page_shows_accepted_and_refused(qtbot, pair, tmp_path: Path) -> None:
    hq, fac, ref = pair
    out = tmp_path / "out"
    out.mkdir()
    fac.exports.export(out)
    (out / "가짜.jbd").write_bytes(b"this is not a bundle")
    page = ImportPage(hq)
    qtbot.addWidget(page)
    page.start([out])
    qtbot.waitUntil(lambda: page.task is None and bool(page.results), timeout=10_000)
    outcomes = {page.model.item(r, 0).text(): page.model.item(r, 3).text() for r in range(page.model.rowCount())}
    assert outcomes["가짜.jbd"] == "거부"
    accepted = [name for name, outcome in outcomes.items() if outcome == "접수"]
    assert len(accepted) == 1 and accepted[0].startswith("jbdesk-F03-0001")
    assert "접수 1" in page.summary.text() and "거부 1" in page.summary.text()
    assert hq.forms.get(ref).data.rows[0].current == 2


def test_revisions_dialog_shows_both_revisions_and_the_change(qtbot, pair, tmp_path: Path) -> None:
    from jbdesk.ui.revisions_dialog import RevisionsDialog

    hq, fac, ref = pair
    out = ensure_dir(tmp_path / "out")
    fac.exports.export(out)
    fac.forms.reopen(ref, "관리직 현원 정정")
    fac.forms.set_values(ref, [(f"rows/0/{k}", 1) for k in ("current", "direct_employment", "on_leave", "probation")])
    fac.forms.mark_ready(ref)
    fac.exports.export(out)
    assert all(r.outcome.ok for r in hq.imports.import_paths([out]))
    dialog = RevisionsDialog(hq, ref)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 2
    assert dialog.table.item(1, 0).text() == "2 (현재)"
    assert dialog.table.item(1, 4).text() == "관리직 현원 정정"
    changed = {dialog.diff.item(r, 0).text(): (dialog.diff.item(r, 1).text(), dialog.diff.item(r, 2).text())
               for r in range(dialog.diff.rowCount())}  # fmt: skip
    titles = ("현원", "직접고용", "휴직", "수습 중")  # the row's job family and the column title, not rows/0/current
    assert changed == {f"관리직 · {t}": ("2", "1") for t in titles}
