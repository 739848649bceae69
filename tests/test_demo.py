"""``jbdesk demo``: a deployment built through the real services, with data that looks like the agency's."""

from __future__ import annotations

import contextlib
import csv
import io
from datetime import date
from pathlib import Path

import pytest

from jbdesk.cli import main
from jbdesk.demo import DemoOptions, build_demo, bundle_payloads, default_through
from jbdesk.demo.data import round_million
from jbdesk.domain import budget
from jbdesk.domain.forms import FormKind, FormRef
from jbdesk.domain.hq import ReviewDecision
from jbdesk.domain.periods import Period
from jbdesk.paths import DataPaths
from jbdesk.resources import resource
from jbdesk.services.importer import Outcome
from jbdesk.services.review import ReviewService
from jbdesk.services.workspace import Workspace


def _plan_rows() -> dict[str, dict[str, str]]:
    with resource("data", "facilities.csv").open(encoding="utf-8") as fh:
        return {r["code"]: r for r in csv.DictReader(fh)}


def _open(path: Path) -> Workspace:
    return Workspace.open(DataPaths(path))


@pytest.fixture(scope="module")
def spring(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """15 facilities, January to March, through the CLI (the README's command without the window)."""
    root = tmp_path_factory.mktemp("demo") / "demo"
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["demo", "--dir", str(root), "--through", "2026-03", "--no-gui", "--quiet"]) == 0
    (root.parent / "summary.txt").write_text(out.getvalue(), encoding="utf-8")
    return root


def test_summary_names_the_folders_where_the_files_are(spring: Path) -> None:
    summary = (spring.parent / "summary.txt").read_text(encoding="utf-8")
    named = {line.split(": ", 1)[0]: line.split(": ", 1)[1] for line in summary.splitlines() if ": " in line}
    for label, sub in (("본부 데이터 폴더", "hq"), ("시설 PC", "facilities"), ("보낸 파일", "bundles")):
        path = Path(named[label].split(" (")[0])
        assert path == spring / sub and path.is_dir(), (label, named[label])
    assert ".partial" not in summary
    # the last thing written: scripts/run.sh rebuilds a folder without it (an interrupted first run)
    assert (spring / ".demo-complete").read_text(encoding="utf-8").strip() == "2026-03"


@pytest.fixture(scope="module")
def spring_hq(spring: Path):
    ws = _open(spring / "hq")
    yield ws
    ws.close()


def test_february_staffing_at_head_office_is_the_plans_table(spring_hq: Workspace) -> None:
    plan = _plan_rows()
    totals = [0, 0]
    for code, row in plan.items():
        view = spring_hq.forms.get(FormRef(code, FormKind.STAFFING, Period.parse("2026-02")))
        assert view is not None, code
        total = view.computed.total
        assert (total.authorized, total.current) == (int(row["headcount_authorized"]), int(row["headcount_current"]))
        assert view.validation.errors == ()
        totals[0] += total.authorized
        totals[1] += total.current
    assert totals == [114, 104] and totals[1] - totals[0] == -10


def test_budgets_total_the_plan_figures_and_balance(spring_hq: Workspace) -> None:
    plan = _plan_rows()
    accounts = spring_hq.reference.budget_accounts
    for code, row in plan.items():
        view = spring_hq.forms.get(FormRef(code, FormKind.BUDGET_PLAN, Period.of_year(2026)))
        assert view is not None, code
        assert budget.validate_budget_plan(view.data, accounts).problems == ()  # 산출내역 recompute, sums, chart
        lines = view.data.versions[0].lines
        income = [ln for ln in lines if ln.side == budget.INCOME]
        expense = [ln for ln in lines if ln.side == budget.EXPENSE]
        total = sum(ln.amount for ln in income)
        assert total == sum(ln.amount for ln in expense)  # 세입 = 세출
        assert round_million(total) == int(row["budget_2026_total_mkrw"])  # the plan prints 백만원, rounded
        for source in ("national", "province", "city", "other"):
            wanted = int(row[f"budget_2026_{source}_mkrw"])
            assert round_million(sum(getattr(ln, source) for ln in income)) == wanted, (code, source)
            assert round_million(sum(getattr(ln, source) for ln in expense)) == wanted, (code, source)
        assert all(ln.calc_unit and ln.calc_qty and ln.calc_freq for ln in expense)


def test_every_month_is_entered_exported_and_accepted(spring: Path, spring_hq: Workspace) -> None:
    bundles = sorted((spring / "bundles").glob("*.jbd"))
    assert len(bundles) >= 15 * 4  # budget, January, February, March, the safety checklist ...
    assert all(b.stat().st_size < 64 * 1024 for b in bundles)
    for code in _plan_rows():
        for month in ("2026-01", "2026-02", "2026-03"):
            view = spring_hq.forms.get(FormRef(code, FormKind.BUDGET, Period.parse(month)))
            assert view is not None and view.validation.errors == (), (code, month)
        quarterly = spring_hq.forms.get(FormRef(code, FormKind.QUARTERLY, Period.parse("2026-Q1")))
        assert quarterly is not None and "1분기" in quarterly.data.narrative
        assert spring_hq.forms.get(FormRef(code, FormKind.SAFETY, Period.parse("2026-H1"))) is not None
    # the one report never sent
    assert spring_hq.forms.get(FormRef("F11", FormKind.STAFFING, Period.parse("2026-03"))) is None
    # a few over-budget lines, every one with its reason
    over = []
    for code in _plan_rows():
        execution = spring_hq.forms.get(FormRef(code, FormKind.BUDGET, Period.parse("2026-03"))).computed
        over += [(code, r.key) for r in execution.rows if r.over_budget]
        assert execution.unexplained == ()
    assert over


def test_returned_month_has_both_revisions_and_head_office_holds_the_second(spring: Path, spring_hq: Workspace) -> None:
    ref = FormRef("F12", FormKind.STAFFING, Period.parse("2026-02"))
    files = {}
    for path in (spring / "bundles").glob("jbdesk-F12-*.jbd"):
        for name in bundle_payloads([path]):
            files.setdefault(name, []).append(path.name)
    assert "F12/data/staffing_2026-02_r1.json" in files
    assert "F12/data/staffing_2026-02_r2.json" in files
    received = spring_hq.imports.revisions(ref)
    assert [r.record.revision for r in received] == [1, 2]
    assert received[1].record.note.startswith("본부 보완요청 반영")
    assert spring_hq.forms.get(ref).record.revision == 2
    decisions = [(r.revision, r.decision) for r in ReviewService(spring_hq).history(ref)]
    assert decisions[0] == (1, ReviewDecision.RETURNED)
    # the facility kept revision 1 as it was sent and corrected in revision 2
    site = _open(spring / "facilities" / "F12")
    try:
        assert [r.revision for r in site.forms.revisions(ref)] == [1, 2]
    finally:
        site.close()


def test_some_reports_are_late_by_the_signed_date(spring_hq: Workspace) -> None:
    late = []
    for code in _plan_rows():
        for month in ("2026-01", "2026-02"):
            ref = FormRef(code, FormKind.BUDGET, Period.parse(month))
            (first,) = [r for r in spring_hq.imports.revisions(ref) if r.record.revision == 1]
            if first.record.submitted_at.date() > date(2026, int(month[-2:]) + 1, 10):
                late.append((code, month))
    assert ("F13", "2026-02") in late and ("F15", "2026-01") in late
    assert len(late) < 10


def test_importing_again_is_all_already_imported(spring: Path, spring_hq: Workspace) -> None:
    results = spring_hq.imports.import_paths([spring / "bundles"])
    assert results and {r.outcome for r in results} == {Outcome.ALREADY}


def test_a_second_demo_into_the_same_folder_is_refused(spring: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--dir", str(spring), "--through", "2026-01", "--no-gui"]) == 1
    assert "이미 데모가 있는 폴더" in capsys.readouterr().err


def test_same_seed_gives_the_same_payloads(tmp_path: Path) -> None:
    def run(name: str, seed: int) -> dict[str, bytes]:
        opts = DemoOptions(
            root=tmp_path / name, through=Period.parse("2026-03"), facilities=3, seed=seed, do_import=False,
            verbose=False, workers=1,
        )  # fmt: skip
        result = build_demo(opts)
        return bundle_payloads(b.path for b in result.bundles)

    first, again, other = run("a", 7), run("b", 7), run("c", 8)
    assert first and first == again
    assert first != other


def test_transferred_facilities_have_nothing_for_december(tmp_path: Path) -> None:
    root = tmp_path / "year"
    result = build_demo(DemoOptions(root=root, through=Period.parse("2026-12"), facilities=5, verbose=False, workers=2))
    december = Period.parse("2026-12")
    hq = _open(root / "hq")
    try:
        for code in ("F04", "F05"):
            for form in (FormKind.STAFFING, FormKind.BUDGET):
                assert hq.forms.get(FormRef(code, form, december)) is None
            assert hq.forms.get(FormRef(code, FormKind.STAFFING, Period.parse("2026-11"))) is not None
            assert hq.forms.get(FormRef(code, FormKind.SURVEY, Period.of_year(2026))) is not None  # done in November
            site = _open(root / "facilities" / code)
            try:
                assert site.forms.get(FormRef(code, FormKind.STAFFING, december)) is None
            finally:
                site.close()
        for code in ("F01", "F02", "F03"):
            assert hq.forms.get(FormRef(code, FormKind.BUDGET, december)) is not None
            assert hq.forms.get(FormRef(code, FormKind.QUARTERLY, Period.parse("2026-Q4"))) is not None
            h2 = hq.forms.get(FormRef(code, FormKind.SAFETY, Period.parse("2026-H2")))
            assert h2 is not None and h2.data.carried_actions  # H1 findings followed up
        assert not any(b.facility in ("F04", "F05") and "2026-12" in b.content for b in result.bundles)
        assert result.imported == {"accepted": len(result.bundles)}
    finally:
        hq.close()


def test_default_through_is_last_month_within_2026() -> None:
    assert default_through(date(2026, 11, 22)) == Period.parse("2026-10")
    assert default_through(date(2026, 1, 5)) == Period.parse("2026-01")
    assert default_through(date(2027, 5, 1)) == Period.parse("2026-12")


@pytest.mark.slow
def test_full_year_for_fifteen_facilities(tmp_path: Path) -> None:
    """The whole year: surveys around target with one facility below and one tiny centre hidden, safety H2
    following up H1, the tracker showing late, missing and returned reports."""
    from jbdesk.services.consolidation import ConsolidationService

    root = tmp_path / "demo"
    result = build_demo(DemoOptions(root=root, through=Period.parse("2026-12"), verbose=False))
    assert result.imported.get("accepted") == len(result.bundles)
    hq = _open(root / "hq")
    try:
        board = ConsolidationService(hq, today=date(2027, 1, 20)).survey_board(2026)
        assert board is not None
        scores = {}
        for code in _plan_rows():
            view = hq.forms.get(FormRef(code, FormKind.SURVEY, Period.of_year(2026)))
            assert view is not None, code
            scores[code] = view.computed
        below_user = [c for c, r in scores.items() if r.user.score is not None and r.user.score < 90]
        assert below_user == ["F13"]
        assert [c for c, r in scores.items() if r.staff.suppressed] == ["F15"]
        staff = [r.staff.score for c, r in scores.items() if not r.staff.suppressed and c != "F13"]
        assert all(80 <= s <= 90 for s in staff)
        for code in _plan_rows():
            h2 = hq.forms.get(FormRef(code, FormKind.SAFETY, Period.parse("2026-H2")))
            assert h2 is not None and h2.validation.errors == ()
        carried_over = [
            c.action.status
            for code in _plan_rows()
            for c in hq.forms.get(FormRef(code, FormKind.SAFETY, Period.parse("2026-H2"))).data.carried_actions
        ]
        assert "재점검확인" in carried_over and "이월" in carried_over
        assert result.late and result.missing and result.corrected
    finally:
        hq.close()
