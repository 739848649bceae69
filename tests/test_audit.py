"""The audit log: entries for data changes and exchanges, a hash chain that reveals an edited log."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
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


# anchors: the head signed with the PC's key -------------------------------------------------------------------------
def _rechain(db: Path, from_id: int = 0) -> None:
    """What someone who knows the hash algorithm does after editing the log: recompute every link and hash."""
    from datetime import datetime

    from jbdesk.store.audit import GENESIS, entry_hash

    conn = sqlite3.connect(db)
    prev = GENESIS
    for rid, at, os_user, operator, action, subject, detail in conn.execute(
        "SELECT id, at, os_user, operator, action, subject, detail FROM audit_log ORDER BY id"
    ).fetchall():
        digest = entry_hash(prev, datetime.fromisoformat(at), os_user, operator, action, subject, detail)
        conn.execute("UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?", (prev, digest, rid))
        prev = digest
    conn.commit()
    conn.close()


def _verify_cli(data_dir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "jbdesk", "--data-dir", str(data_dir), "audit", "verify"],
                          capture_output=True, text=True)  # fmt: skip


def _anchors(ws: Workspace) -> list[str]:
    """Why each anchor was made (import, feedback, ...), oldest first."""
    return [json.loads(e.detail)["reason"] for e in reversed(AuditService(ws).entries()) if e.action == "anchor"]


def _cycle(tmp_path: Path) -> tuple[Workspace, Workspace]:
    """Deployed; the facility enters and exports, head office imports, returns with a comment and writes feedback."""
    hq, fac = _deploy(tmp_path)
    fac.forms.set_values(FEB, [(f"rows/{i}/{k}", 1) for i in range(6) for k in KEYS])
    fac.forms.mark_ready(FEB)
    fac.exports.export(ensure_dir(tmp_path / "usb"))
    hq.imports.import_paths([tmp_path / "usb"])
    hq.reviews.return_for_correction(FEB, "현원을 확인하세요")
    hq.feedback.write("F03", ensure_dir(tmp_path / "back"))
    hq.backup()
    return hq, fac


def test_the_head_is_signed_at_every_import_feedback_export_and_backup(tmp_path: Path) -> None:
    hq, fac = _cycle(tmp_path)
    assert {"provision", "import", "feedback", "backup"} <= set(_anchors(hq))
    assert "export" in _anchors(fac)
    subjects = {e.subject for e in AuditService(hq).entries() if e.action == "anchor"}
    assert {"가져오기 후", "회신 후", "설정 파일 발급 후"} <= subjects  # the audit page shows them in Korean
    check = AuditService(hq).verify()
    assert check.ok and check.anchors >= 4 and check.unsigned == 0, check.message
    assert "변조 흔적이 없습니다" in check.message and "마지막 서명" in check.message
    assert AuditService(fac).verify().ok
    anchor = json.loads((tmp_path / "hq" / "audit-anchor.json").read_text())
    assert anchor["claim"]["key"] == hq.trust.hq_identity().public_key
    if sys.platform != "win32":
        assert (tmp_path / "hq" / "audit-anchor.json").stat().st_mode & 0o777 == 0o600
    # nothing new since the last anchor: no anchor of anchors
    before = len(_anchors(hq))
    hq.backup()
    assert len(_anchors(hq)) == before
    hq.close()
    fac.close()


def test_an_edit_with_the_chain_recomputed_is_detected(tmp_path: Path) -> None:
    hq, fac = _cycle(tmp_path)
    fac.close()
    hq.close()
    db = tmp_path / "hq" / "jbdesk.sqlite"
    conn = sqlite3.connect(db)
    target = conn.execute("SELECT id FROM audit_log WHERE action = 'import' ORDER BY id LIMIT 1").fetchone()[0]
    conn.execute("UPDATE audit_log SET detail = replace(detail, 'accepted', 'refused') WHERE id = ?", (target,))
    conn.commit()
    conn.close()
    _rechain(db)
    with Workspace.open(DataPaths(tmp_path / "hq")) as ws:
        check = AuditService(ws).verify()
        assert not check.ok and check.first_broken is None
        assert "해시를 다시 계산한 흔적" in check.message and "~" in check.message
        # later work does not sign over the change: the evidence stays
        ws.backup()
        assert not AuditService(ws).verify().ok
    done = _verify_cli(tmp_path / "hq")
    assert done.returncode == 1 and "서명 뒤에 바뀌거나 지워진 기록이 있습니다" in done.stderr


def test_the_newest_entries_deleted_are_detected(tmp_path: Path) -> None:
    """Deleting the newest entries (the last anchors among them) leaves a chain that links; the anchor file beside
    the database still names the newest anchor."""
    hq, fac = _cycle(tmp_path)
    fac.close()
    hq.close()
    db = tmp_path / "hq" / "jbdesk.sqlite"
    conn = sqlite3.connect(db)
    last_import = conn.execute("SELECT max(id) FROM audit_log WHERE action = 'import'").fetchone()[0]
    conn.execute("DELETE FROM audit_log WHERE id > ?", (last_import,))
    conn.commit()
    conn.close()
    with Workspace.open(DataPaths(tmp_path / "hq")) as ws:
        check = AuditService(ws).verify()
        assert not check.ok and "최근 부분이 지워졌습니다" in check.message, check.message
    done = _verify_cli(tmp_path / "hq")
    assert done.returncode == 1 and "최근 부분이 지워졌습니다" in done.stderr
    # and with the anchor file deleted too
    (tmp_path / "hq" / "audit-anchor.json").unlink()
    done = _verify_cli(tmp_path / "hq")
    assert done.returncode == 1 and "서명 기준점 파일(audit-anchor.json)이 없습니다" in done.stderr


def test_a_forged_or_edited_anchor_is_detected(tmp_path: Path) -> None:
    hq, fac = _cycle(tmp_path)
    fac.close()
    hq.close()
    db = tmp_path / "hq" / "jbdesk.sqlite"
    conn = sqlite3.connect(db)
    anchor_id, detail = conn.execute("SELECT id, detail FROM audit_log WHERE action = 'anchor' LIMIT 1").fetchone()
    claim = json.loads(detail)
    claim["count"] += 1
    conn.execute("UPDATE audit_log SET detail = ? WHERE id = ?", (json.dumps(claim, sort_keys=True), anchor_id))
    conn.commit()
    conn.close()
    _rechain(db)
    done = _verify_cli(tmp_path / "hq")
    assert done.returncode == 1 and f"{anchor_id}번 서명 기준점의 서명이 맞지 않습니다" in done.stderr


def test_a_restored_backup_verifies_against_its_own_anchor(tmp_path: Path) -> None:
    hq, fac = _cycle(tmp_path)
    copy = hq.backup("manual")
    hq.imports.import_paths([tmp_path / "usb"])  # more entries and a newer anchor after the copy
    hq.close()
    fac.close()
    from jbdesk.services import backup

    backup.restore(DataPaths(tmp_path / "hq"), copy.path)
    assert list((tmp_path / "hq").glob("audit-anchor.json.replaced-*"))
    assert _verify_cli(tmp_path / "hq").returncode == 0


# spreadsheet exports never turn data into formulas --------------------------------------------------------------------
def _formulas(path: Path) -> list[str]:
    wb = load_workbook(path)
    return [f"{ws.title}!{c.coordinate}" for ws in wb.worksheets for row in ws.iter_rows() for c in row
            if c.data_type == "f"]  # fmt: skip


def _texts(path: Path) -> set[str]:
    wb = load_workbook(path)
    return {c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)}


def test_a_file_named_like_a_formula_stays_text_in_the_audit_workbook(tmp_path: Path) -> None:
    hq, fac = _deploy(tmp_path)
    bad = tmp_path / "in" / "=1+2"
    bad.parent.mkdir()
    bad.write_bytes(b"not a bundle")
    hq.imports.import_paths([bad])
    hq.close()
    fac.close()
    out = tmp_path / "audit.xlsx"
    done = subprocess.run([sys.executable, "-m", "jbdesk", "--data-dir", str(tmp_path / "hq"), "audit", "--xlsx",
                           str(out)], capture_output=True, text=True)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert _formulas(out) == [] and "=1+2" in _texts(out)


def test_formula_like_text_stays_text_in_every_workbook(tmp_path: Path) -> None:
    """The monthly workbook and 'export what you see' (exports/excel.py through xlsx_rows.py): a facility named
    ``=1+2`` and a review comment ``=HYPERLINK(...)`` are text in every sheet they appear in."""
    from dataclasses import replace
    from datetime import date

    hq, fac = _cycle(tmp_path)
    hq.registry.add(replace(hq.registry.get("F05"), code="F99", name="=1+2"), effective=date(2026, 1, 1))
    hq.reviews.return_for_correction(FEB, '=HYPERLINK("http://example.com","확인")')
    service = hq.consolidation
    report = service.monthly_report(Period.parse("2026-02"))
    monthly = service.write_monthly_xlsx(report, tmp_path / "monthly.xlsx")
    views = service.write_views_xlsx(
        [*service.trackers(Period.parse("2026-02")), service.staffing_board(Period.parse("2026-02"))],
        tmp_path / "views.xlsx",
    )
    for path in (monthly, views):
        assert _formulas(path) == [], path.name
        texts = _texts(path)
        assert "=1+2" in texts, path.name
    assert '=HYPERLINK("http://example.com","확인")' in _texts(monthly)
    hq.close()
    fac.close()


@pytest.mark.parametrize("large", [False, True], ids=["public-api", "splice"])
def test_both_row_paths_of_xlsx_rows_keep_formula_like_text(tmp_path: Path, large: bool) -> None:
    """jbdesk/exports/xlsx_rows.py writes rows through openpyxl's public API, or (50 facilities or more) through
    the splice: in both, styled or not, a text starting with "=" is a text cell."""
    from jbdesk.exports.xlsx_rows import Book

    book = Book(large=large)
    sheet = book.sheet("시트")
    bold = book.style(number_format="@")
    sheet.append(["=1+2", "=SUM(A1:A9)", 3, "보통 글"])
    sheet.append(["=1+2", "+1", "-1", "@SUM(1)"], bold)
    path = tmp_path / "rows.xlsx"
    path.write_bytes(book.save())
    assert _formulas(path) == []
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    assert rows == [("=1+2", "=SUM(A1:A9)", 3, "보통 글"), ("=1+2", "+1", "-1", "@SUM(1)")]
