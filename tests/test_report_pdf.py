"""The monthly report sheet (PDF) read back: title, every facility due that month, the figures from the
database, embedded NanumGothic, page numbers and the bundles named in the footers; the CLI that writes it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from jbdesk.bundle.keys import short_of_fingerprint
from jbdesk.cli import main
from jbdesk.domain.forms import FormKind
from jbdesk.domain.hq import Cancelled
from jbdesk.domain.numbers import fmt_int
from tests.bundle_factory import CODES, ref
from tests.hq_factory import F09_UTILITIES_MARCH, MARCH, consolidation, hq_copy


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory):
    """The CLI writes the March report from a head office holding the scenario; the workspace stays open."""
    base = tmp_path_factory.mktemp("pdf")
    ws = hq_copy(base)
    root = ws.paths.root
    ws.close()
    pdf = base / "out" / "2026-03.pdf"
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["--data-dir", str(root), "report", "monthly", "--period", "2026-03", "--pdf", str(pdf)])
    assert code == 0
    ws = hq_copy(base / "again")  # the same data, for reading the database side
    yield pdf, out.getvalue(), ws
    ws.close()


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _pages(pdf: Path) -> list[str]:
    return [p.extract_text() for p in PdfReader(pdf).pages]


def _has_run(tokens: list[str], run: list[str]) -> bool:
    return any(tokens[i : i + len(run)] == run for i in range(len(tokens) - len(run) + 1))


def test_cli_prints_what_it_wrote_and_the_staffing_totals(made) -> None:
    pdf, out, _ = made
    assert f"저장: {pdf}" in out
    assert "2026년 3월 소속시설 운영 현황: 14/15개소 · 정원 100 · 현원 94 · 결원 △6 (미제출 1개소)" in out
    assert pdf.is_file() and not list(pdf.parent.glob(".*.tmp"))


def test_title_facilities_and_figures_from_the_database(made) -> None:
    pdf, _, hq = made
    pages = _pages(pdf)
    first = pages[0]
    assert first.startswith("2026년 3월 소속시설 운영 현황")
    assert PdfReader(pdf).metadata.title == "2026년 3월 소속시설 운영 현황"
    for word in ("결", "담당", "팀장", "원장"):
        assert word in first  # the 결재 box
    due = [f for f in hq.registry.facilities() if hq.registry.is_due(f.code, FormKind.STAFFING, MARCH)]
    assert [f.code for f in due] == list(CODES)
    squashed = _squash(first)
    for f in due:
        assert _squash(f"{f.code} {f.name}") in squashed, f.code  # on the summary page
        assert any(_squash(p).startswith(_squash(f"{f.code} {f.name}")) for p in pages), f.code  # and its own page

    authorized = current = 0
    for f in due:
        view = hq.forms.get(ref(f.code, FormKind.STAFFING, MARCH))
        if view is None:
            continue
        t = view.computed.total
        authorized, current = authorized + t.authorized, current + t.current
        page = next(p for p in pages if _squash(p).startswith(_squash(f"{f.code} {f.name}")))
        row = ["계", *(fmt_int(getattr(t, k)) for k in ("authorized", "current", "vacancy", "hires", "leavers"))]
        assert _has_run(page.split(), row), (f.code, row)
    assert (authorized, current) == (100, 94)
    assert f"정원 {authorized} · 현원 {current} · 결원 {fmt_int(current - authorized)}" in first

    f09 = next(p for p in pages if p.startswith("F09 "))
    budget = hq.forms.get(ref("F09", FormKind.BUDGET, MARCH)).computed
    line = next(r for r in budget.rows if r.mok == "공공요금")
    assert line.amounts.cumulative == F09_UTILITIES_MARCH
    assert _has_run(f09.split(), ["공공요금", fmt_int(line.amounts.budget // 1000), "12,000", "12,000", "58.3%"])
    f13 = next(p for p in pages if p.startswith("F13 "))
    assert "2026년 3월 인력 현황 미제출" in f13


def test_fonts_are_embedded_nanumgothic_subsets(made) -> None:
    pdf, _, _ = made
    seen = set()
    for page in PdfReader(pdf).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            name = str(font["/BaseFont"])
            assert re.fullmatch(r"/[A-Z]{6}\+NanumGothic(Bold)?", name), name  # no unembedded base-14 font
            assert "/FontFile2" in font["/FontDescriptor"].get_object(), name
            seen.add(name.split("+")[1])
    assert seen == {"NanumGothic", "NanumGothicBold"}


def test_every_page_has_its_number_and_bundles(made) -> None:
    pdf, _, hq = made
    pages = _pages(pdf)
    n = len(pages)
    assert n == 2 + 1 + 15  # summary (2 pages with its tables), one page per facility
    for i, text in enumerate(pages, start=1):
        assert f"{i} / {n}" in text
        assert "근거 자료" in text and "출력 " in text
    f03 = next(p for p in pages if p.startswith("F03 "))
    [_rev1, rev2] = hq.imports.revisions(ref("F03", FormKind.STAFFING, MARCH))
    bundle = next(b for b in hq.imports.bundles("F03") if b.digest == rev2.bundle_digest)
    assert f"#{bundle.sequence} 인력 2026-03 2판" in f03
    assert short_of_fingerprint(rev2.key_fingerprint) in f03
    assert "#1 안전 2026-H1 1판" in f03
    assert "F13" not in pages[0].split("근거 자료")[1]  # the summary footer names only bundles behind it


def test_safety_survey_and_notes_on_paper(made) -> None:
    pdf, _, _ = made
    pages = _pages(pdf)
    f03 = next(p for p in pages if p.startswith("F03 "))
    assert "등급 C (조치가 끝나지 않은 '상' 위험으로 상한)" in f03
    assert "가스누설경보기 배터리 방전" in f03 and "기한 경과" in f03
    assert "정정 사유: 본부 보완요청: 돌봄직 휴직 1명 반영" in f03
    f05 = next(p for p in pages if p.startswith("F05 "))
    assert "종사자 비공개(응답 3명 미만)" in f05
    summary = "\n".join(pages[:3])
    assert "비공개" in summary
    assert "(평균 - 1) ÷ 4 × 100" in summary  # the score method is printed
    assert "△" in pages[0]


def test_nothing_received_for_the_month_exits_1(made, capsys) -> None:
    _, _, hq = made
    code = main(["--data-dir", str(hq.paths.root), "report", "monthly", "--period", "2026-05", "--pdf", "x.pdf"])
    assert code == 1
    assert "2026년 5월에 받은 보고가 없습니다" in capsys.readouterr().err
    assert not Path("x.pdf").exists()


def test_cancelled_pdf_writes_nothing(made, tmp_path: Path) -> None:
    _, _, hq = made
    service = consolidation(hq)
    report = service.monthly_report(MARCH)
    calls = iter([False, False, True])
    with pytest.raises(Cancelled):
        service.write_monthly_pdf(report, tmp_path / "r.pdf", cancelled=lambda: next(calls, True))
    assert list(tmp_path.iterdir()) == []


def test_paragraph_leading_is_at_least_1_2_times_the_size() -> None:
    from jbdesk.exports.pdf_monthly import _Styles

    styles = _Styles()
    for name, style in vars(styles).items():
        assert style.leading >= 1.2 * style.fontSize, name


COPIES = 20  # 15 facilities × 20 = 300: every table over the facilities runs over many pages


def _many_facilities(report, copies: int = COPIES):
    """The March report with each facility repeated ``copies`` times (new codes and names, same figures), each
    group's facilities together: groups of 100+ rows, taller than a page. Facility pages are left out (one per
    facility is not what this is about, and they are the slow part)."""
    from dataclasses import replace

    from jbdesk.domain.hq import StaffingGroup

    def clone(f, k: int):
        return replace(f, code=f"X{k:02d}{f.code}", name=f"{f.name} {k + 1}호")

    def copied(items, key=lambda item: item.facility.group):
        groups = list(dict.fromkeys(key(item) for item in items))  # in plan order
        return tuple(
            replace(item, facility=clone(item.facility, k))
            for g in groups
            for k in range(copies)
            for item in items
            if key(item) == g
        )

    board = report.staffing_board
    staffing = replace(board, groups=tuple(replace(g, rows=copied(g.rows)) for g in board.groups))
    assert all(isinstance(g, StaffingGroup) for g in staffing.groups)
    return replace(
        report,
        facilities=tuple(clone(f, k) for k in range(copies) for f in report.facilities),
        summary=copied(report.summary),
        staffing_board=staffing,
        budget_board=replace(report.budget_board, facilities=copied(report.budget_board.facilities)),
        safety_board=replace(report.safety_board, facilities=copied(report.safety_board.facilities)),
        survey_board=replace(report.survey_board, facilities=copied(report.survey_board.facilities)),
        bundles=tuple(
            replace(b, facility_code=f"X{k:02d}{b.facility_code}") for k in range(copies) for b in report.bundles
        ),
        pages=(),
    )


def test_hundreds_of_facilities_split_across_pages_with_their_header(made, tmp_path: Path) -> None:
    """Tables over every facility split between rows onto as many pages as they need (reportlab failed on a
    group taller than a page), each page repeating the header row and naming the group its rows belong to."""
    from jbdesk.exports.pdf_monthly import render_monthly_pdf

    _, _, hq = made
    report = _many_facilities(consolidation(hq).monthly_report(MARCH))
    assert len(report.summary) == 15 * COPIES
    pdf = tmp_path / "many.pdf"
    pdf.write_bytes(render_monthly_pdf(report))
    pages = _pages(pdf)
    squashed = [_squash(p) for p in pages]
    heads = {
        "summary": _squash("구분 시설 인력 현황 예산 점검 정원 현원 결원 집행률 안전 이용자 종사자"),
        "staffing": _squash("구분 유형 시설명 정원 현원 결원 전월 결원 증감 제출"),
        "safety": _squash("시설 점검표 점검일 점수 등급 열린 조치 상 위험 완료율 목표"),
    }
    for table, head in heads.items():
        on = [i for i, text in enumerate(squashed) if head in text]
        assert len(on) >= 3, (table, on)  # the header again on each continuation page
        assert on == list(range(on[0], on[-1] + 1)), (table, on)  # one run of pages
    summary_pages = [text for text in squashed if heads["summary"] in text]
    staffing_pages = [text for text in squashed if heads["staffing"] in text]
    groups = {_squash(line.facility.group) for line in report.summary}
    for head, texts in ((heads["summary"], summary_pages), (heads["staffing"], staffing_pages)):
        for text in texts:
            first_row = text.split(head, 1)[1][:60]
            assert any(first_row.startswith(g) for g in groups), first_row  # its group named, continuation or not
    everything = "".join(squashed)
    for line in report.summary:
        f = line.facility
        name = _squash(f.name)
        assert sum(text.count(_squash(f"{f.code} {f.name}")) for text in summary_pages) == 1, f.code
        assert sum(text.count(name) for text in staffing_pages) >= 1, f.code  # (미제출: in the note below too)
        assert name in everything
    n = len(pages)
    assert all(f"{i} / {n}" in text for i, text in enumerate(pages, start=1))
    first_footer = _squash(pages[0].split("근거 자료")[1])
    facilities = len({b.facility_code for b in report.bundles})
    assert facilities > 200 and f"{facilities}개시설" in first_footer  # too many bundles to list: a count,
    assert "근거자료'시트" in first_footer  # and where the list is


def test_reportlab_runs_its_c_accelerator() -> None:
    """rl-accel (a dependency) is installed and reportlab uses it, not its much slower Python fallbacks."""
    from reportlab.lib import rl_accel

    for name in ("fp_str", "instanceStringWidthTTF", "asciiBase85Encode", "escapePDF", "sameFrag"):
        assert getattr(rl_accel, name).__module__ == "_rl_accel", name


def test_an_explanation_longer_than_a_page_is_printed_whole(made, tmp_path: Path) -> None:
    """A facility's explanation has no length limit; a table row must fit a page. The cell shows its start and
    the whole text follows the table."""
    from dataclasses import replace

    from jbdesk.exports.pdf_monthly import render_monthly_pdf

    _, _, hq = made
    report = consolidation(hq).monthly_report(MARCH)
    page = next(p for p in report.pages if p.budget is not None and p.budget.execution is not None)
    ex = page.budget.execution
    i = next(i for i, r in enumerate(ex.rows) if r.amounts.budget and r.key not in {f.key for f in page.budget.flags})
    words = [f"사유{k:03d}번째" for k in range(600)]
    rows = (*ex.rows[:i], replace(ex.rows[i], reason=" ".join(words)), *ex.rows[i + 1 :])
    page = replace(page, budget=replace(page.budget, execution=replace(ex, rows=rows)))
    pdf = tmp_path / "long.pdf"
    pdf.write_bytes(render_monthly_pdf(replace(report, pages=(page,))))
    text = _squash("".join(_pages(pdf)))
    assert all(word in text for word in words)
    assert "표아래에전문" in text
