"""Undoing an import: the bundle's revisions go, the previous revision is current again, the undo is recorded."""

from __future__ import annotations

from pathlib import Path

import pytest

from jbdesk.domain.forms import FormKind, FormRef
from jbdesk.domain.periods import Period
from jbdesk.errors import FormStateError, NotFoundError
from jbdesk.paths import DataPaths
from jbdesk.services.audit import AuditService
from jbdesk.services.export import ensure_dir
from jbdesk.services.workspace import Workspace

FEB = FormRef("F03", FormKind.STAFFING, Period.parse("2026-02"))
KEYS = ["authorized", "current", "hires", "leavers", "on_leave", "probation", "substitute_days",
        "side_job_reports", "direct_employment"]  # fmt: skip


def test_rollback_restores_the_previous_revision_and_allows_reimport(tmp_path: Path) -> None:
    hq = Workspace.open(DataPaths(tmp_path / "hq"))
    hq.trust.hq_init("전북특별자치도사회서비스원")
    fac = Workspace.open(DataPaths(tmp_path / "f03"))
    hq.trust.enroll(fac.trust.setup_facility(hq.trust.provision("F03", tmp_path), tmp_path).request_path)
    fac.forms.set_values(FEB, [(f"rows/{i}/{k}", 1) for i in range(6) for k in KEYS])
    fac.forms.mark_ready(FEB)
    first = fac.exports.export(ensure_dir(tmp_path / "usb"))
    fac.forms.reopen(FEB, "정정")
    fac.forms.set_values(FEB, [("rows/0/authorized", 2)])
    fac.forms.mark_ready(FEB)
    second = fac.exports.export(ensure_dir(tmp_path / "usb"))
    hq.imports.import_paths([first.path, second.path])
    assert hq.forms.get(FEB).record.revision == 2

    bundle, removed = hq.imports.rollback(second.digest[:12])
    assert removed == 1 and bundle.outcome == "rolled_back"
    view = hq.forms.get(FEB)
    assert view.record.revision == 1 and view.data.rows[0].authorized == 1
    assert [r.record.revision for r in hq.imports.revisions(FEB)] == [1]
    rollbacks = [e for e in AuditService(hq).entries() if e.action == "rollback"]
    assert len(rollbacks) == 1 and second.digest in rollbacks[0].detail
    with pytest.raises(FormStateError, match="이미 되돌린"):
        hq.imports.rollback(second.digest[:12])
    with pytest.raises(NotFoundError):
        hq.imports.rollback("deadbeefdeadbeef")

    again = hq.imports.import_paths([second.path])
    assert again[0].outcome.value == "accepted"  # a rolled-back file can be imported again
    assert hq.forms.get(FEB).record.revision == 2
    assert AuditService(hq).verify().ok
    hq.close()
    fac.close()


def test_rollback_from_the_import_page(tmp_path: Path, qtbot, monkeypatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    from jbdesk.ui.app import make_app
    from jbdesk.ui.pages.audit_page import AuditPage
    from jbdesk.ui.pages.import_page import ImportPage

    make_app()
    hq = Workspace.open(DataPaths(tmp_path / "hq"))
    hq.trust.hq_init("전북특별자치도사회서비스원")
    fac = Workspace.open(DataPaths(tmp_path / "f03"))
    hq.trust.enroll(fac.trust.setup_facility(hq.trust.provision("F03", tmp_path), tmp_path).request_path)
    fac.forms.set_values(FEB, [(f"rows/{i}/{k}", 1) for i in range(6) for k in KEYS])
    fac.forms.mark_ready(FEB)
    page = ImportPage(hq)
    qtbot.addWidget(page)
    page.start([fac.exports.export(ensure_dir(tmp_path / "usb")).path])
    qtbot.waitUntil(lambda: page.task is None and page.bundles.rowCount() == 1, timeout=10_000)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    page.bundle_table.selectRow(0)
    page.rollback_selected()
    assert page.bundles.item(0, 4).text() == "되돌림"
    assert hq.forms.get(FEB) is None
    audit = AuditPage(hq)
    qtbot.addWidget(audit)
    assert "변조 흔적이 없습니다" in audit.status.text()
    assert audit.model.item(0, 3).text() == "가져오기 되돌림"
    hq.close()
    fac.close()
