"""A lost facility PC loses nothing (issue 18 item 8): head office's signed recovery file brings every revision it
holds, the open returns with their comments and the end of the chain to the facility's new PC, which then corrects
a returned form and continues the sequence, and head office accepts what it sends."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from jbdesk.bundle.errors import BundleError, Reason
from jbdesk.domain.forms import FormKind, FormRef, FormStatus
from jbdesk.services.export import ExportResult, ensure_dir
from jbdesk.services.importer import Outcome
from jbdesk.services.recovery import RecoveryWritten
from jbdesk.store.settings import get_setting
from tests.bundle_factory import (
    Network,
    current_payload,
    fill_staffing,
    open_ws,
    ref,
    rezip,
    snapshot,
    staffing_rows,
    unpack,
)
from tests.hq_factory import explain_all

JAN, FEB, MAR = (ref("F03", FormKind.STAFFING, p) for p in ("2026-01", "2026-02", "2026-03"))


@dataclass(frozen=True)
class World:
    first: ExportResult
    second: ExportResult
    payloads: dict[FormRef, Any]
    file: Path
    written: RecoveryWritten


def _lost_pc_world(tmp_path: Path) -> tuple[Network, World]:
    """F03's old PC sends January and February (bundle 1), head office accepts January and returns February with
    comments; the old PC sends March (bundle 2); the PC is lost. Head office provisions a new PC, imports bundle 2
    (it arrived by mail), enrols the new PC's key and writes the recovery file."""
    net = Network(tmp_path / "net")
    old = net.add("F03")
    fill_staffing(old, "F03", "2026-01")
    fill_staffing(old, "F03", "2026-02")
    first = net.export("F03")
    fill_staffing(old, "F03", "2026-03")
    second = net.export("F03")
    assert net.hq.imports.import_paths([first.path])[0].outcome is Outcome.ACCEPTED
    net.hq.reviews.accept(JAN, "확인했습니다")
    net.hq.reviews.return_for_correction(FEB, "현원을 다시 확인해 주세요", {"rows/0/current": "인사기록과 다릅니다"})
    payloads = {r: current_payload(old, r) for r in (JAN, FEB, MAR)}
    old.close()
    del net.sites["F03"]

    provision = net.provision("F03")  # carries the chain as it is now: bundle 1
    new = open_ws(tmp_path / "새 PC")
    setup = new.trust.setup_facility(provision, net.files)
    assert net.hq.imports.import_paths([second.path])[0].outcome is Outcome.ACCEPTED  # the old PC's last file
    net.hq.trust.enroll(setup.request_path)
    net.sites["F03"] = new
    written = net.hq.recovery.write("F03", ensure_dir(tmp_path / "usb"))
    return net, World(first, second, payloads, written.path, written)


def test_recovery_round_trip(tmp_path: Path) -> None:
    net, w = _lost_pc_world(tmp_path)
    with net:
        new = net.sites["F03"]
        written = w.written
        assert (written.revisions, written.returned, written.last_sequence) == (3, 1, 2)
        assert w.file.name.startswith("jbdesk-recovery-F03-") and w.file.suffix == ".jbr"
        held = snapshot(net.hq)

        # the clerk imports it (same door as head office's feedback files)
        done = subprocess.run(
            [sys.executable, "-m", "jbdesk", "--data-dir", str(new.paths.root), "import", str(w.file)],
            capture_output=True, text=True,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert "복구 파일을 반영했습니다" in done.stdout and "다음 보내기는 일련번호 3번부터" in done.stdout
        assert "보완요청: 월별 인력 현황 2026년 2월 1판" in done.stdout

        # the history is there: the revisions head office holds, their states, the comments
        assert {r: new.forms.get(r).status for r in (JAN, FEB, MAR)} == {
            JAN: FormStatus.ACCEPTED,
            FEB: FormStatus.RETURNED,
            MAR: FormStatus.SUBMITTED,
        }
        assert {r: current_payload(new, r) for r in (JAN, FEB, MAR)} == w.payloads
        comments = new.feedback.comments(FEB)
        assert comments[-1].comment == "현원을 다시 확인해 주세요"
        assert dict(comments[-1].field_comments) == {"rows/0/current": "인사기록과 다릅니다"}
        assert [line.state for line in new.feedback.receipt() if line.ref == FEB] == ["보완요청"]

        # the returned form is opened and corrected: revision 2
        view = new.forms.reopen(FEB, "현원을 고쳤습니다")
        assert view.record.revision == 2 and view.status is FormStatus.DRAFT
        new.forms.set_value(FEB, "rows/0/current", view.data.rows[0].current + 1)
        explain_all(new, FEB, "1월 말 전보 1명")
        new.forms.mark_ready(FEB)

        # the next export continues the sequence after bundle 2, and head office accepts it without a note
        sent = new.exports.export(ensure_dir(tmp_path / "usb-new"))
        manifest, _ = unpack(sent.path.read_bytes())
        assert (sent.sequence, manifest["prev_digest"]) == (3, w.second.digest)
        (result,) = net.hq.imports.import_paths([sent.path])
        assert (result.outcome, result.notes) == (Outcome.ACCEPTED, ())
        assert net.hq.forms.get(FEB).record.revision == 2
        assert snapshot(net.hq)["form_instance"][: len(held["form_instance"])] == held["form_instance"]

        # the same file again changes nothing
        again = new.feedback.apply_file(w.file)
        assert "0개 판을 새로 넣음" in again.message
        assert new.forms.get(FEB).record.revision == 2


def test_a_draft_begun_on_the_new_pc_moves_after_head_offices_revisions(tmp_path: Path) -> None:
    net, w = _lost_pc_world(tmp_path)
    with net:
        new = net.sites["F03"]
        rows = staffing_rows(new, "F03")
        rows[0]["current"] += 1
        fill_staffing(new, "F03", "2026-03", rows, ready=False)  # the clerk started March again before recovering
        draft = current_payload(new, MAR)
        new.feedback.apply_file(w.file)
        revisions = new.forms.revisions(MAR)
        assert [(r.revision, r.status) for r in revisions] == [(1, FormStatus.SUBMITTED), (2, FormStatus.DRAFT)]
        assert current_payload(new, MAR) == draft


def test_a_recovery_file_is_refused_by_another_facility_and_when_changed(tmp_path: Path) -> None:
    net, w = _lost_pc_world(tmp_path)
    with net:
        other = net.add("F05")
        with pytest.raises(BundleError) as exc:
            other.feedback.apply_file(w.file)
        assert exc.value.reason is Reason.WRONG_RECIPIENT and "다른 시설(F03)의 복구 파일입니다" in exc.value.message
        data = w.file.read_bytes()
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            name = next(n for n in zf.namelist() if n.startswith("data/staffing_2026-02"))
            payload = zf.read(name)
        tampered = tmp_path / "tampered.jbr"
        tampered.write_bytes(rezip(data, {name: payload.replace(b'"current":', b'"current": ', 1)}))
        new = net.sites["F03"]
        before = snapshot(new)
        with pytest.raises(BundleError) as exc:
            new.feedback.apply_file(tampered)
        assert exc.value.reason is Reason.TAMPERED
        assert snapshot(new) == before
        with new.db.reading() as s:
            assert get_setting(s, "bundle_sequence") == "1"  # from the provisioning file; untouched


def test_head_office_refuses_to_write_a_recovery_file_from_damaged_data(tmp_path: Path) -> None:
    import sqlite3

    from jbdesk.errors import StoreError

    net, _w = _lost_pc_world(tmp_path)
    with net:
        conn = sqlite3.connect(net.hq.paths.database)
        conn.execute("UPDATE form_instance SET payload = replace(payload, '\"current\":', '\"current\": ') "
                     "WHERE facility_code = 'F03' AND period = '2026-02'")  # fmt: skip
        conn.commit()
        conn.close()
        with pytest.raises(StoreError) as exc:
            net.hq.recovery.write("F03", tmp_path)
        assert "월별 인력 현황 2026년 2월 1판이 받은 때와 다릅니다" in exc.value.message
