"""Facility → head office through signed bundles, end to end on the real services: what a facility enters is
what head office holds, corrections arrive as new revisions, and duplicates, old files, conflicting files,
forks and gaps are each handled the way the merge rules say (docs/bundle-format.md §8)."""

from __future__ import annotations

from pathlib import Path

import msgspec
import pytest

from jbdesk.domain import jsonpath
from jbdesk.domain.forms import FormKind, FormStatus
from jbdesk.domain.periods import Period
from jbdesk.errors import FormStateError
from jbdesk.services.importer import Outcome, revision_diff
from tests.bundle_factory import CODES, MONTH, YEAR, Network, fill_budget, fill_staffing, has_korean, ref, snapshot

BUDGET_FACILITIES = ("F01", "F09", "F14")


@pytest.fixture
def net(tmp_path: Path):
    with Network(tmp_path) as network:
        yield network


def _rows(view_or_data) -> list[dict]:
    """Staffing rows as the dicts ``fill_staffing`` entered, from a FormView or a decoded payload."""
    return msgspec.to_builtins(getattr(view_or_data, "data", view_or_data).rows)


def test_fifteen_facilities_one_month_arrive_exactly_as_entered(net: Network) -> None:
    entered, budgets = {}, {}
    for code in CODES:
        ws = net.add(code)
        entered[code] = fill_staffing(ws, code)
        if code in BUDGET_FACILITIES:
            budgets[code] = fill_budget(ws, code)
    exports = {code: net.export(code) for code in CODES}
    for code, result in exports.items():
        forms = {(r.form, str(r.period)) for r, _ in result.instances}
        expected = {(FormKind.STAFFING, "2026-03")}
        if code in BUDGET_FACILITIES:  # the budget plan rides along with the first monthly check
            expected |= {(FormKind.BUDGET_PLAN, "2026"), (FormKind.BUDGET, "2026-03")}
        assert forms == expected
        # the facility's copies are now 제출됨 (read-only)
        assert net.sites[code].forms.get(ref(code, FormKind.STAFFING, MONTH)).status is FormStatus.SUBMITTED

    results = net.hq.imports.import_paths([r.path for r in exports.values()])

    assert [(r.facility_code, r.outcome) for r in results] == [(c, Outcome.ACCEPTED) for c in CODES]
    assert all(r.notes == () for r in results)  # first bundle of every facility, sequence 1: nothing to report
    total_authorized = total_current = 0
    for code in CODES:
        r = ref(code, FormKind.STAFFING, MONTH)
        view = net.hq.forms.get(r)
        assert _rows(view) == entered[code], code
        assert (view.record.revision, view.status) == (1, FormStatus.SUBMITTED)
        [received] = net.hq.imports.revisions(r)
        assert received.bundle_digest == exports[code].digest
        assert received.key_fingerprint == net.sites[code].trust.facility_key().public.fingerprint
        facility = net.hq.registry.get(code)
        assert view.computed.total.authorized == facility.headcount_authorized
        assert view.computed.total.current == facility.headcount_current
        total_authorized += view.computed.total.authorized
        total_current += view.computed.total.current
    assert (total_authorized, total_current) == (114, 104)  # the plan's 정원 / 현원 for the 15 facilities

    for code, entry in budgets.items():
        plan = net.hq.forms.get(ref(code, FormKind.BUDGET_PLAN, YEAR))
        check = net.hq.forms.get(ref(code, FormKind.BUDGET, MONTH))
        plan_doc, check_doc = msgspec.to_builtins(plan.data), msgspec.to_builtins(check.data)
        assert {p: jsonpath.get_at(plan_doc, p) for p in entry.plan} == entry.plan
        assert {p: jsonpath.get_at(check_doc, p) for p in entry.check} == entry.check
        # head office computes the same execution the facility saw: spending on plan, nothing unexplained
        facility_view = net.sites[code].forms.get(ref(code, FormKind.BUDGET, MONTH))
        assert check.computed == facility_view.computed
        assert check.computed.unexplained == ()
        assert check.validation.errors == ()


def test_corrected_resubmission_becomes_current_and_keeps_revision_1(net: Network) -> None:
    ws = net.add("F03")
    r = ref("F03", FormKind.STAFFING, MONTH)
    rows = fill_staffing(ws, "F03")
    first = net.export("F03")
    assert net.hq.imports.import_bytes(first.path.read_bytes(), first.path.name).outcome is Outcome.ACCEPTED

    view = ws.forms.reopen(r, "본부 보완요청: 돌봄직 현원 정정")
    assert (view.record.revision, view.status) == (2, FormStatus.DRAFT)
    ws.forms.set_value(r, "rows/3/current", rows[3]["current"] + 1)
    ws.forms.mark_ready(r)
    second = net.export("F03")
    assert (second.sequence, second.instances) == (2, ((r, 2),))

    result = net.hq.imports.import_bytes(second.path.read_bytes(), second.path.name)

    assert result.outcome is Outcome.ACCEPTED and result.notes == ()
    assert result.instances == (("월별 인력 현황", "2026년 3월", 2, "current"),)
    current = net.hq.forms.get(r)
    assert current.record.revision == 2
    assert current.data.rows[3].current == rows[3]["current"] + 1
    revisions = net.hq.imports.revisions(r)
    assert [x.record.revision for x in revisions] == [1, 2]
    assert _rows(net.hq.forms.data_of(revisions[0].record)) == rows  # revision 1 kept as it arrived
    assert revisions[1].record.note == "본부 보완요청: 돌봄직 현원 정정"
    assert [x.bundle_digest for x in revisions] == [first.digest, second.digest]
    assert revision_diff(revisions[0].record, revisions[1].record) == [
        ("rows/3/current", rows[3]["current"], rows[3]["current"] + 1)
    ]


def test_same_bundle_twice_is_already_imported_and_adds_nothing(net: Network) -> None:
    fill_staffing(net.add("F03"), "F03")
    bundle = net.export("F03").path.read_bytes()
    assert net.hq.imports.import_bytes(bundle, "a.jbd").outcome is Outcome.ACCEPTED
    before = snapshot(net.hq)

    again = net.hq.imports.import_bytes(bundle, "a.jbd")
    renamed = net.hq.imports.import_bytes(bundle, "복사본 - a.jbd")  # a copy under another name is the same file

    assert again.outcome is renamed.outcome is Outcome.ALREADY
    assert again.outcome.ok and has_korean(again.message) and "이미 가져온" in again.message
    assert snapshot(net.hq) == before
    assert [row[3] for row in net.hq.imports.log()] == ["accepted", "already_imported", "already_imported"]


def test_older_revision_arriving_late_is_stale_and_kept_as_history(net: Network) -> None:
    ws = net.add("F03")
    r = ref("F03", FormKind.STAFFING, MONTH)
    rows = fill_staffing(ws, "F03")
    rev1 = net.export("F03").path.read_bytes()
    ws.forms.reopen(r)
    ws.forms.set_value(r, "rows/1/on_leave", 1)
    ws.forms.mark_ready(r)
    rev2 = net.export("F03").path.read_bytes()

    first = net.hq.imports.import_bytes(rev2, "rev2.jbd")
    late = net.hq.imports.import_bytes(rev1, "rev1.jbd")

    assert first.outcome is Outcome.ACCEPTED
    assert first.notes == ("이 시설에서 처음 받은 파일이 2번입니다 (1번은 받지 않음).",)
    assert late.outcome is Outcome.STALE and late.outcome.ok
    assert late.instances == (("월별 인력 현황", "2026년 3월", 1, "stale"),)
    assert any("이전 것이라 기록만" in n for n in late.notes)
    assert late.notes[-1].startswith("월별 인력 현황 2026년 3월 1판")
    view = net.hq.forms.get(r)
    assert view.record.revision == 2 and view.data.rows[1].on_leave == 1
    assert [x.record.revision for x in net.hq.imports.revisions(r)] == [1, 2]
    assert _rows(net.hq.forms.data_of(net.hq.imports.revisions(r)[0].record)) == rows


def test_different_content_under_the_same_revision_is_a_conflict(net: Network) -> None:
    """The clerk exports, later restores a backup taken before that export and enters other values: the new file
    claims the same revision 1 (and the same sequence 1) with different content. Head office keeps the first."""
    ws = net.add("F03")
    r = ref("F03", FormKind.STAFFING, MONTH)
    rows = fill_staffing(ws, "F03")
    copy = net.backup("F03")
    original = net.export("F03", out=net.base / "usb-1")
    ws = net.restore("F03", copy)
    ws.forms.set_value(r, "rows/0/side_job_reports", 0)
    ws.forms.mark_ready(r)
    other = net.export("F03", out=net.base / "usb-2")
    assert (original.sequence, other.sequence) == (1, 1) and original.digest != other.digest

    assert net.hq.imports.import_bytes(original.path.read_bytes(), original.path.name).outcome is Outcome.ACCEPTED
    before = snapshot(net.hq)
    result = net.hq.imports.import_bytes(other.path.read_bytes(), other.path.name)

    assert result.outcome is Outcome.CONFLICT and not result.outcome.ok
    assert result.reason == "conflict"
    assert "1판이 이미 다른 내용으로" in result.message
    assert snapshot(net.hq) == before
    assert _rows(net.hq.forms.get(r)) == rows
    assert net.hq.imports.log()[-1][3:5] == ("conflict", "conflict")


def test_restored_backup_is_reported_as_a_fork(net: Network) -> None:
    """Same restore accident, but the clerk only adds April: March is identical, so the file is accepted and
    head office is told that the facility's chain of files forked at sequence 1."""
    ws = net.add("F03")
    fill_staffing(ws, "F03")
    copy = net.backup("F03")
    original = net.export("F03", out=net.base / "usb-1")
    ws = net.restore("F03", copy)
    fill_staffing(ws, "F03", "2026-04")  # April's headcounts follow March's (continuity holds)
    forked = net.export("F03", out=net.base / "usb-2")
    assert forked.sequence == original.sequence == 1

    net.hq.imports.import_bytes(original.path.read_bytes(), original.path.name)
    result = net.hq.imports.import_bytes(forked.path.read_bytes(), forked.path.name)

    assert result.outcome is Outcome.ACCEPTED
    assert any(n.startswith("갈라짐: 1번 파일을 이미 다른 내용으로 받았습니다") for n in result.notes)
    states = dict(((f, p), s) for f, p, _, s in result.instances)
    assert states == {("월별 인력 현황", "2026년 3월"): "same", ("월별 인력 현황", "2026년 4월"): "current"}
    assert [b.sequence for b in net.hq.imports.bundles("F03")] == [1, 1]
    assert net.hq.imports.bundles("F03")[1].notes == result.notes  # the note is kept with the bundle


def test_skipped_bundle_is_reported_as_a_gap_and_fills_in_later(net: Network) -> None:
    ws = net.add("F03")
    files = []
    for month in ("2026-01", "2026-02", "2026-03"):
        fill_staffing(ws, "F03", month)
        files.append(net.export("F03", Period.parse(month)))
    assert [f.sequence for f in files] == [1, 2, 3]

    one = net.hq.imports.import_bytes(files[0].path.read_bytes(), files[0].path.name)
    three = net.hq.imports.import_bytes(files[2].path.read_bytes(), files[2].path.name)
    two = net.hq.imports.import_bytes(files[1].path.read_bytes(), files[1].path.name)

    assert one.notes == ()
    assert three.outcome is Outcome.ACCEPTED
    assert three.notes == ("빠진 파일: 2번을 아직 받지 않았습니다.",)
    assert two.outcome is Outcome.ACCEPTED and two.notes == ()  # the missing link arrives and fits the chain
    for month in ("2026-01", "2026-02", "2026-03"):
        assert net.hq.forms.get(ref("F03", FormKind.STAFFING, month)).record.revision == 1


def test_budget_check_needs_its_budget_plan_at_head_office(net: Network) -> None:
    """A monthly budget check is judged against the year's budget plan. Sent on its own (the plan went in an
    earlier file that head office has not imported) it is refused as invalid, naming the missing budget; once
    the plan's file is imported the same check file is accepted."""
    ws = net.add("F09")
    fill_staffing(ws, "F09")
    fill_budget(ws, "F09")
    plan_file = net.export("F09", YEAR)
    check_file = net.export("F09", MONTH)
    assert [r.form for r, _ in plan_file.instances] == [FormKind.BUDGET_PLAN]
    assert {r.form for r, _ in check_file.instances} == {FormKind.BUDGET, FormKind.STAFFING}
    before = snapshot(net.hq)

    refused = net.hq.imports.import_bytes(check_file.path.read_bytes(), check_file.path.name)

    assert (refused.outcome, refused.reason) == (Outcome.REFUSED, "invalid")
    assert "입력 규칙에 맞지 않는" in refused.message
    assert "3월에 적용할 예산이 없습니다" in refused.detail  # names what is missing: the year's budget plan
    assert snapshot(net.hq) == before  # all or nothing: the staffing form in the same file is not taken either
    assert net.hq.forms.get(ref("F09", FormKind.STAFFING, MONTH)) is None
    detail = net.hq.imports.verify_bytes(check_file.path.read_bytes(), "x")
    assert detail.reason == "invalid"

    assert net.hq.imports.import_bytes(plan_file.path.read_bytes(), plan_file.path.name).outcome is Outcome.ACCEPTED
    accepted = net.hq.imports.import_bytes(check_file.path.read_bytes(), check_file.path.name)
    assert accepted.outcome is Outcome.ACCEPTED
    assert net.hq.forms.get(ref("F09", FormKind.BUDGET, MONTH)).validation.errors == ()


def test_export_refuses_a_budget_check_whose_plan_is_not_ready(net: Network) -> None:
    ws = net.add("F09")
    fill_budget(ws, "F09")
    plan = ref("F09", FormKind.BUDGET_PLAN, YEAR)
    ws.forms.set_value(plan, "versions/0/lines/0/calc_note", "국고 보조 내시 기준")  # edit → back to 작성중
    assert ws.forms.get(plan).status is FormStatus.DRAFT

    with pytest.raises(FormStateError, match="연간 예산을 먼저 작성완료"):
        net.export("F09")

    assert ws.forms.get(ref("F09", FormKind.BUDGET, MONTH)).status is FormStatus.READY  # nothing was marked sent
    assert list((net.site_root("F09") / "exports").glob("*.jbd")) == []
