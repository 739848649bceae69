"""The audit log: entries for data changes and exchanges, a hash chain that reveals an edited log."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from openpyxl import load_workbook

from jbdesk.domain.forms import FormKind, FormRef
from jbdesk.domain.periods import Period
from jbdesk.paths import DataPaths
from jbdesk.services.audit import AuditService
from jbdesk.services.export import ensure_dir
from jbdesk.services.workspace import Workspace

FEB = FormRef("F03", FormKind.STAFFING, Period.parse("2026-02"))
KEYS = ["authorized", "current", "hires", "leavers", "on_leave", "probation", "substitute_days",
        "side_job_reports", "direct_employment"]  # fmt: skip


def _deploy(root: Path) -> tuple[Workspace, Workspace]:
    hq = Workspace.open(DataPaths(root / "hq"))
    hq.trust.hq_init("전북특별자치도사회서비스원")
    fac = Workspace.open(DataPaths(root / "f03"))
    hq.trust.enroll(fac.trust.setup_facility(hq.trust.provision("F03", root), root).request_path)
    return hq, fac


def test_every_kind_of_event_is_recorded_with_who(tmp_path: Path) -> None:
    hq, fac = _deploy(tmp_path)
    fac.forms.set_operator("김담당")
    fac.forms.set_values(FEB, [(f"rows/{i}/{k}", 1) for i in range(6) for k in KEYS])
    fac.forms.mark_ready(FEB)
    fac.exports.export(ensure_dir(tmp_path / "usb"))
    (tmp_path / "usb" / "bad.jbd").write_bytes(b"not a bundle")
    hq.imports.import_paths([tmp_path / "usb"])
    hq.trust.revoke("F03")
    fac_actions = [e.action for e in AuditService(fac).entries()]
    hq_actions = [e.action for e in AuditService(hq).entries()]
    assert {"setup", "create", "edit", "status", "export"} <= set(fac_actions)
    assert {"hq_init", "provision", "enroll", "import", "revoke"} <= set(hq_actions)
    edits = [e for e in AuditService(fac).entries() if e.action == "edit"]
    assert len(edits) == 54 and all(e.operator == "김담당" and e.os_user for e in edits)
    refused = [e for e in AuditService(hq).entries() if e.action == "import" and e.subject == "bad.jbd"]
    assert len(refused) == 1 and '"outcome": "refused"' in refused[0].detail
    assert AuditService(fac).verify().ok and AuditService(hq).verify().ok
    hq.close()
    fac.close()


def test_an_edited_or_deleted_entry_is_detected(tmp_path: Path) -> None:
    _hq, fac = _deploy(tmp_path)
    fac.forms.set_values(FEB, [("rows/0/current", 3), ("rows/1/current", 4), ("rows/2/current", 5)])
    check = AuditService(fac).verify()
    assert check.ok and check.entries >= 5
    fac.close()
    db = tmp_path / "f03" / "jbdesk.sqlite"
    conn = sqlite3.connect(db)
    target = conn.execute("SELECT id FROM audit_log WHERE action='edit' ORDER BY id LIMIT 1").fetchone()[0]
    conn.execute("UPDATE audit_log SET detail = replace(detail, '3', '9') WHERE id = ?", (target,))
    conn.commit()
    conn.close()
    with Workspace.open(DataPaths(tmp_path / "f03")) as ws:
        check = AuditService(ws).verify()
        assert not check.ok and check.first_broken == target
        assert "변경되었습니다" in check.message
    result = subprocess.run([sys.executable, "-m", "jbdesk", "--data-dir", str(tmp_path / "f03"), "audit", "--verify"],
                            capture_output=True, text=True)  # fmt: skip
    assert result.returncode == 1 and f"{target}번 기록부터" in result.stderr

    # deleting an entry from the middle breaks the link of the next one
    conn = sqlite3.connect(db)
    conn.execute("UPDATE audit_log SET detail = replace(detail, '9', '3') WHERE id = ?", (target,))
    conn.execute("DELETE FROM audit_log WHERE id = ?", (target + 1,))
    conn.commit()
    conn.close()
    with Workspace.open(DataPaths(tmp_path / "f03")) as ws:
        assert AuditService(ws).verify().first_broken == target + 2


def test_audit_log_exports_to_excel(tmp_path: Path) -> None:
    hq, fac = _deploy(tmp_path)
    fac.forms.set_value(FEB, "rows/0/current", 2)
    path = AuditService(fac).export_xlsx(tmp_path / "감사 기록.xlsx")
    wb = load_workbook(path)
    rows = list(wb["감사 기록"].iter_rows(values_only=True))
    assert rows[0][:5] == ("번호", "일시", "OS 사용자", "입력자", "작업")
    assert any(r[4] == "입력" and "rows/0/current" in r[6] for r in rows[1:])
    assert "변조 흔적이 없습니다" in wb["검증"]["B1"].value
    hq.close()
    fac.close()
