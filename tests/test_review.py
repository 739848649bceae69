"""Head-office review: 접수 / 보완요청 on the current received revision, what the tracker shows, and refusals."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

import pytest

from jbdesk import clock
from jbdesk.cli import main
from jbdesk.domain.forms import FormKind
from jbdesk.domain.hq import ReviewDecision, SubmissionState
from jbdesk.errors import FormStateError, InvalidInputError, ModeError, NotFoundError
from jbdesk.services.review import ReviewService
from jbdesk.store import SCHEMA_VERSION
from tests.bundle_factory import Network, fill_staffing, ref
from tests.hq_factory import MARCH, consolidation, hq_copy


@pytest.fixture
def hq(tmp_path: Path):
    ws = hq_copy(tmp_path)
    yield ws
    ws.close()


def _cell(hq, code: str):
    return consolidation(hq).tracker(FormKind.STAFFING, MARCH).cell(code, MARCH)


def test_accept_and_return_show_in_the_tracker(hq) -> None:
    reviews = ReviewService(hq)
    r = ref("F04", FormKind.STAFFING, MARCH)
    assert _cell(hq, "F04").state is SubmissionState.RECEIVED

    returned = reviews.return_for_correction(r, "  조리직 정원 확인  ", {"rows/4/authorized": "정원 2명 아닌가요?"})
    assert (returned.decision, returned.revision, returned.comment) == (ReviewDecision.RETURNED, 1, "조리직 정원 확인")
    assert _cell(hq, "F04").label == "1판 보완요청"

    accepted = reviews.accept(r, revision=1)  # head office changes its mind: the latest decision counts
    assert _cell(hq, "F04").label == "1판 접수"
    assert reviews.latest(r) == accepted
    assert [h.decision for h in reviews.history(r)] == [ReviewDecision.RETURNED, ReviewDecision.ACCEPTED]
    # what the feedback step will send: standing returns only (F04's was overruled, F03's answered by revision 2)
    assert [x.ref.facility_code for x in reviews.unsent_returns()] == ["F10"]


def test_refusals_have_korean_messages(hq) -> None:
    reviews = ReviewService(hq)
    with pytest.raises(NotFoundError, match="받은 적이 없는 보고"):
        reviews.accept(ref("F13", FormKind.STAFFING, MARCH))
    with pytest.raises(InvalidInputError, match="의견을 적어"):
        reviews.return_for_correction(ref("F04", FormKind.STAFFING, MARCH), "   ")
    with pytest.raises(InvalidInputError, match="보고에 없는 항목"):
        reviews.return_for_correction(ref("F04", FormKind.STAFFING, MARCH), "확인", {"rows/99/current": "?"})
    with pytest.raises(FormStateError, match="1판을 검토하는 사이 2판이"):
        reviews.accept(ref("F03", FormKind.STAFFING, MARCH), revision=1)
    with pytest.raises(InvalidInputError, match="2,000자"):
        reviews.accept(ref("F04", FormKind.STAFFING, MARCH), "가" * 2001)
    assert ReviewService(hq).latest(ref("F04", FormKind.STAFFING, MARCH)) is None  # nothing was written


def test_a_facility_pc_cannot_review(tmp_path: Path) -> None:
    net = Network(tmp_path)
    try:
        ws = net.add("F03")
        fill_staffing(ws, "F03")
        with pytest.raises(ModeError, match="본부 PC에서만"):
            ReviewService(ws).accept(ref("F03", FormKind.STAFFING, MARCH))
    finally:
        net.close()


def test_new_revision_after_return_is_received_again(tmp_path: Path) -> None:
    """보완요청 on revision 1, the facility corrects: revision 2 shows as received (not returned), not late."""
    net = Network(tmp_path)
    try:
        ws = net.add("F03")
        r = ref("F03", FormKind.STAFFING, MARCH)
        fill_staffing(ws, "F03")
        with clock.frozen_at(datetime(2026, 4, 8, 10, 0)):  # both files signed before the due date (04-10)
            first = net.export("F03")
        net.hq.imports.import_bytes(first.path.read_bytes(), first.path.name)
        ReviewService(net.hq).return_for_correction(r, "휴직 인원 확인")
        assert _cell(net.hq, "F03").state is SubmissionState.RETURNED
        ws.forms.reopen(r, "휴직 반영")
        ws.forms.set_value(r, "rows/1/on_leave", 1)
        ws.forms.mark_ready(r)
        with clock.frozen_at(datetime(2026, 4, 9, 10, 0)):
            second = net.export("F03")
        net.hq.imports.import_bytes(second.path.read_bytes(), second.path.name)

        cell = _cell(net.hq, "F03")
        assert (cell.state, cell.revision, cell.resubmitted, cell.review) == (SubmissionState.RECEIVED, 2, True, None)
        assert ReviewService(net.hq).latest(r) is None
        ReviewService(net.hq).accept(r)
        assert _cell(net.hq, "F03").label == "2판 접수"
    finally:
        net.close()


def test_review_table_comes_with_migration_0004(hq) -> None:
    conn = sqlite3.connect(hq.paths.database)
    try:
        columns = [row[1] for row in conn.execute("PRAGMA table_info(form_review)")]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    finally:
        conn.close()
    assert version == SCHEMA_VERSION >= 4
    assert columns == [
        "id", "facility_code", "form", "period", "revision", "decision", "comment", "field_comments", "decided_at",
        "decided_by", "sent_at",
    ]  # fmt: skip


def test_cli_review_and_due_day(hq, capsys) -> None:
    d = ["--data-dir", str(hq.paths.root)]
    hq.close()
    assert main([*d, "hq", "review", "F04", "staffing", "2026-03", "--return", "--comment", "정원 확인",
                 "--field", "rows/4/authorized=조리직 정원"]) == 0  # fmt: skip
    assert "F04 월별 인력 현황 2026년 3월 1판: 보완요청" in capsys.readouterr().out
    assert main([*d, "hq", "review", "F13", "staffing", "2026-03", "--accept"]) == 1
    assert "받은 적이 없는 보고" in capsys.readouterr().err
    assert main([*d, "hq", "review", "F04", "staffing", "2026-03", "--accept", "--field", "oops"]) == 1
    assert "경로=의견" in capsys.readouterr().err
    assert main([*d, "hq", "due-day", "12"]) == 0
    assert "다음 달 12일" in capsys.readouterr().out
