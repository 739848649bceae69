"""The way back: return for correction → signed feedback → facility corrects → revision 2 at head office."""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from jbdesk import clock
from jbdesk.bundle.errors import BundleError, Reason
from jbdesk.domain.forms import FormKind, FormRef, FormStatus
from jbdesk.domain.periods import Period
from jbdesk.paths import DataPaths
from jbdesk.resources import resource
from jbdesk.services.export import ensure_dir
from jbdesk.services.importer import revision_diff
from jbdesk.services.workspace import Workspace

KEYS = ["authorized", "current", "hires", "leavers", "on_leave", "probation", "substitute_days",
        "side_job_reports", "direct_employment"]  # fmt: skip
FEB = FormRef("F03", FormKind.STAFFING, Period.parse("2026-02"))
SAFETY = FormRef("F03", FormKind.SAFETY, Period.parse("2026-H1"))


def _deploy(root: Path, name: str = "전북특별자치도사회서비스원", code: str = "F03") -> tuple[Workspace, Workspace]:
    hq = Workspace.open(DataPaths(root / "hq"))
    hq.trust.hq_init(name)
    fac = Workspace.open(DataPaths(root / code.lower()))
    setup = fac.trust.setup_facility(hq.trust.provision(code, root), root)
    hq.trust.enroll(setup.request_path)
    return hq, fac


@pytest.fixture
def loop(tmp_path: Path):
    with clock.frozen_at(datetime(2026, 3, 5, 10, 0)):
        hq, fac = _deploy(tmp_path)
        fac.forms.set_values(FEB, [(f"rows/{i}/{k}", 1) for i in range(6) for k in KEYS])
        fac.forms.mark_ready(FEB)
        fac.exports.export(ensure_dir(tmp_path / "usb"))
        assert all(r.outcome.ok for r in hq.imports.import_paths([tmp_path / "usb"]))
    yield hq, fac, tmp_path
    hq.close()
    fac.close()


def test_full_loop_return_comment_correct_resubmit(loop, qapp, capsys) -> None:
    hq, fac, root = loop
    with clock.frozen_at(datetime(2026, 3, 12, 9, 0)):
        hq.reviews.return_for_correction(
            FEB, "사회복지직 현원을 확인해 주세요.", {"rows/1/current": "인사기록상 2명입니다."}
        )
        written = hq.feedback.write("F03", root / "to-f03")
        assert (written.reviews, written.returned) == (1, 1)
        assert hq.reviews.unsent_returns() == []  # marked sent with the file

    with clock.frozen_at(datetime(2026, 3, 13, 9, 0)):
        applied = fac.feedback.apply_file(written.path)
    assert applied.returned == ("월별 인력 현황 2026년 2월 1판",)
    view = fac.forms.get(FEB)
    assert view.status is FormStatus.RETURNED and not view.editable
    comments = fac.feedback.comments(FEB)
    assert comments[-1].comment == "사회복지직 현원을 확인해 주세요."
    assert dict(comments[-1].field_comments) == {"rows/1/current": "인사기록상 2명입니다."}
    receipt = {(line.ref.form, str(line.ref.period)): line for line in fac.feedback.receipt()}
    assert receipt[(FormKind.STAFFING, "2026-02")].revision == 1
    assert receipt[(FormKind.STAFFING, "2026-02")].state == "보완요청"

    # the form page shows the comment beside the form, the field comment linked to its row
    from jbdesk.ui.app import make_app
    from jbdesk.ui.pages.staffing_page import StaffingPage

    make_app()
    page = StaffingPage(fac)
    page.set_period(Period.parse("2026-02"))
    assert page.review_box.isVisibleTo(page)
    assert "사회복지직 현원을 확인해 주세요." in page.review_box.text()
    assert "사회복지직 · 현원</a>: 인사기록상 2명입니다." in page.review_box.text()  # row and column, not rows/1/…
    assert page.reopen_button.isEnabled() and not page.ready_button.isEnabled()
    page.deleteLater()

    with clock.frozen_at(datetime(2026, 3, 14, 9, 0)):
        fac.forms.reopen(FEB, "사회복지직 현원 2명으로 정정")
        fac.forms.set_value(FEB, "rows/1/current", 2)
        fac.forms.set_value(FEB, "rows/1/direct_employment", 2)
        fac.forms.mark_ready(FEB)
        export = fac.exports.export(ensure_dir(root / "usb2"))
        results = hq.imports.import_paths([export.path])
    assert [r.outcome.value for r in results] == ["accepted"]
    revisions = hq.imports.revisions(FEB)
    assert [r.record.revision for r in revisions] == [1, 2]
    assert revisions[1].record.note == "사회복지직 현원 2명으로 정정"
    assert revision_diff(revisions[0].record, revisions[1].record) == [
        ("rows/1/current", 1, 2),
        ("rows/1/direct_employment", 1, 2),
    ]
    # head office reads the change by job family and column title, in the dialog and on the command line
    from jbdesk.cli import main
    from jbdesk.ui.revisions_dialog import RevisionsDialog

    dialog = RevisionsDialog(hq, FEB)
    shown = [tuple(dialog.diff.item(r, c).text() for c in range(3)) for r in range(dialog.diff.rowCount())]
    assert shown == [("사회복지직 · 현원", "1", "2"), ("사회복지직 · 직접고용", "1", "2")]
    assert dialog.diff.item(0, 0).toolTip() == "사회복지직 · 현원\nrows/1/current"
    dialog.deleteLater()
    capsys.readouterr()
    assert main(["--data-dir", str(hq.paths.root), "hq", "revisions", "F03", "staffing", "2026-02"]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed[-3:] == [
        "--- 1판 → 2판",
        "사회복지직 · 현원 [rows/1/current]: 1 → 2",
        "사회복지직 · 직접고용 [rows/1/direct_employment]: 1 → 2",
    ]
    assert hq.forms.get(FEB).record.revision == 2  # current
    assert hq.feedback.facilities_with_news() == ["F03"]  # the new revision is news for the next feedback

    with clock.frozen_at(datetime(2026, 3, 20, 9, 0)):
        hq.reviews.accept(FEB, "확인했습니다.")
        second = hq.feedback.write("F03", root / "to-f03")
        applied = fac.feedback.apply_file(second.path)
    assert applied.accepted == ("월별 인력 현황 2026년 2월 2판",)
    assert fac.forms.get(FEB).status is FormStatus.ACCEPTED
    assert fac.feedback.apply_file(second.path).outcome == "already_applied"


def test_feedback_for_another_facility_is_refused(loop) -> None:
    hq, _fac, root = loop
    other = Workspace.open(DataPaths(root / "f01"))
    setup = other.trust.setup_facility(hq.trust.provision("F01", root), root)
    hq.trust.enroll(setup.request_path)
    written = hq.feedback.write("F03", root / "to-f03")
    with pytest.raises(BundleError) as info:
        other.feedback.apply_file(written.path)
    assert info.value.reason is Reason.WRONG_RECIPIENT and "다른 시설" in info.value.message
    other.close()


def test_feedback_signed_by_another_head_office_is_refused(loop) -> None:
    _hq, fac, root = loop
    rogue_hq, _ = _deploy(root / "rogue", "다른 기관")
    forged = rogue_hq.feedback.write("F03", root / "rogue-out")
    before = fac.forms.get(FEB)
    with pytest.raises(BundleError) as info:
        fac.feedback.apply_file(forged.path)
    assert info.value.reason is Reason.FOREIGN
    assert fac.forms.get(FEB) == before
    rogue_hq.close()


def test_configuration_update_never_rewrites_submitted_data(loop) -> None:
    hq, fac, root = loop
    folder = root / "config-edit"
    folder.mkdir()
    for name in ("safety-items.csv", "survey-items.csv", "budget-accounts.csv", "accounting-checks.csv", "targets.csv"):
        shutil.copy(resource("data", name), folder / name)
    with (folder / "safety-items.csv").open("a", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerow(
            [
                "SF-NEW-01",
                "안전관리 체계",
                "",
                "새 점검 항목: 비상 손전등이 작동하는가?",
                "",
                "status",
                "하",
                "all",
                "2027",
            ]
        )
    with clock.frozen_at(datetime(2026, 3, 20, 9, 0)):
        with pytest.raises(Exception, match="시작하지 않은 기간"):
            hq.config.publish_from_csv(folder, Period.parse("2026-03"))
        published = hq.config.publish_from_csv(folder, Period.parse("2026-07"), "하반기 항목 추가")
        assert published.version == 2
        written = hq.feedback.write("F03", root / "to-f03")
        submitted_before = fac.forms.get(FEB)
        applied = fac.feedback.apply_file(written.path)
    assert applied.config_versions == (2,)
    assert fac.forms.get(FEB).record == submitted_before.record  # the submitted instance is untouched
    with clock.frozen_at(datetime(2026, 3, 21, 9, 0)):
        h1 = fac.forms.open(SAFETY)
        h2 = fac.forms.open(FormRef("F03", FormKind.SAFETY, Period.parse("2026-H2")))
    assert h1.record.config_version == 1 and "SF-NEW-01" not in [a.code for a in h1.data.answers]
    assert h2.record.config_version == 2 and "SF-NEW-01" in [a.code for a in h2.data.answers]


def test_feedback_cli_round_trip(loop) -> None:
    hq, fac, root = loop
    hq.reviews.return_for_correction(FEB, "정원을 확인해 주세요.")
    hq_dir, fac_dir = str(hq.paths.root), str(fac.paths.root)
    hq.close()
    fac.close()
    run = [sys.executable, "-m", "jbdesk"]
    made = subprocess.run([*run, "--data-dir", hq_dir, "hq", "feedback", "all", "--out", str(root / "fb")],
                          capture_output=True, text=True)  # fmt: skip
    assert made.returncode == 0, made.stderr
    path = made.stdout.split("\t")[0].strip()
    applied = subprocess.run([*run, "--data-dir", fac_dir, "import", path], capture_output=True, text=True)
    assert applied.returncode == 0, applied.stderr
    assert "보완요청: 월별 인력 현황 2026년 2월 1판" in applied.stdout


def test_tracker_shows_the_return_until_corrected_and_the_days_it_took(loop) -> None:
    hq, fac, root = loop
    with clock.frozen_at(datetime(2026, 3, 12, 9, 0)):
        hq.reviews.return_for_correction(FEB, "현원 확인")
        fac.feedback.apply_file(hq.feedback.write("F03", root / "fb").path)
        cell = hq.consolidation.tracker(FormKind.STAFFING, FEB.period).rows[2].cells[0]
        assert (cell.facility_code, cell.label) == ("F03", "1판 보완요청")
    with clock.frozen_at(datetime(2026, 3, 16, 9, 0)):
        fac.forms.reopen(FEB, "정정")
        fac.forms.set_value(FEB, "rows/0/hires", 0)  # unchanged value: still a new revision, then ready
        fac.forms.mark_ready(FEB)
        hq.imports.import_paths([fac.exports.export(ensure_dir(root / "usb3")).path])
        cell = hq.consolidation.tracker(FormKind.STAFFING, FEB.period).rows[2].cells[0]
    assert cell.label == "2판 접수대기 · 보완 4일"


def test_feedback_pages_write_and_apply(loop, qtbot) -> None:
    from jbdesk.ui.app import make_app
    from jbdesk.ui.pages.feedback_page import FeedbackPage

    hq, fac, root = loop
    make_app()
    hq.reviews.return_for_correction(FEB, "정원 확인")
    out_page = FeedbackPage(hq)
    qtbot.addWidget(out_page)
    selected = [i.data(256) for i in out_page.list.selectedItems()]
    assert selected == ["F03"]  # facilities with news are preselected
    out_page.folder.setText(str(root / "회신 폴더"))
    out_page.write_selected()
    qtbot.waitUntil(lambda: out_page.task is None and "F03" in out_page.result.text(), timeout=10_000)
    written = next((root / "회신 폴더").glob("*.jbf"))
    in_page = FeedbackPage(fac)
    qtbot.addWidget(in_page)
    in_page.apply_file(str(written))
    assert "보완요청 1건" in in_page.result.text()
    assert any("본부가 1판을 받음 · 보완요청" in in_page.list.item(i).text() for i in range(in_page.list.count()))


def test_config_cli_export_edit_publish(tmp_path: Path) -> None:
    hq = Workspace.open(DataPaths(tmp_path / "hq"))
    hq.trust.hq_init("전북특별자치도사회서비스원")
    hq.close()
    run = [sys.executable, "-m", "jbdesk", "--data-dir", str(tmp_path / "hq"), "hq", "config"]
    subprocess.run([*run, "export", str(tmp_path / "cfg")], check=True, capture_output=True)
    targets = (tmp_path / "cfg" / "targets.csv").read_text(encoding="utf-8-sig")
    assert "user_satisfaction_score" in targets
    (tmp_path / "cfg" / "targets.csv").write_text(
        targets.replace(
            "2026,user_satisfaction_score,per facility and pooled,90",
            "2026,user_satisfaction_score,per facility and pooled,85",
        ),
        encoding="utf-8-sig",
    )
    published = subprocess.run([*run, "publish", str(tmp_path / "cfg"), "--from", "2099-01", "--note", "목표 조정"],
                               capture_output=True, text=True)  # fmt: skip
    assert published.returncode == 0, published.stderr
    shown = subprocess.run([*run, "show"], capture_output=True, text=True, check=True).stdout
    assert "2판\t2099-01-01부터\t목표 조정" in shown
    with Workspace.open(DataPaths(tmp_path / "hq")) as ws:
        assert ws.config.get(2).target(2026, "user_satisfaction_score").value == 85
        assert ws.config.for_period(Period.parse("2026-11")).version == 1
