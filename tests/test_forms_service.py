"""Form entry through the service: pre-fill, autosave with history, validation gates, revisions."""

from __future__ import annotations

from datetime import date

import pytest

from jbdesk.domain.forms import FormKind, FormRef, FormStatus
from jbdesk.domain.periods import Period
from jbdesk.errors import FormStateError, InvalidInputError, ModeError
from jbdesk.services.forms import FormService
from jbdesk.services.workspace import Workspace


@pytest.fixture
def f03(workspace: Workspace) -> Workspace:
    workspace.set_facility("F03")
    workspace.forms._today = date(2026, 4, 5)
    return workspace


def ref(form: FormKind, period: str, code: str = "F03") -> FormRef:
    return FormRef(code, form, Period.parse(period))


def fill_staffing(forms: FormService, r: FormRef, rows: list[dict]) -> None:
    forms.set_values(r, [(f"rows/{i}/{k}", v) for i, row in enumerate(rows) for k, v in row.items()])


FULL_ROW = {"authorized": 1, "current": 1, "hires": 0, "leavers": 0, "on_leave": 0, "probation": 0,
            "substitute_days": 0, "side_job_reports": 0, "direct_employment": 1}  # fmt: skip


def test_staffing_round_trip_history_and_ready(f03: Workspace) -> None:
    forms = f03.forms
    forms.set_operator("김담당")
    r = ref(FormKind.STAFFING, "2026-02")
    view = forms.open(r)
    assert [row.job_family for row in view.data.rows] == ["관리직", "사회복지직", "상담직", "돌봄직", "조리직", "기타"]
    assert view.status is FormStatus.DRAFT and view.record.revision == 1
    with pytest.raises(FormStateError, match="작성완료할 수 없습니다"):
        forms.mark_ready(r)
    fill_staffing(forms, r, [dict(FULL_ROW, authorized=2, current=2, direct_employment=2)] + [FULL_ROW] * 5)
    view = forms.set_values(r, [("rows/0/current", 1), ("rows/0/direct_employment", 1)])
    assert view.computed.total.authorized == 7 and view.computed.total.current == 6
    assert view.computed.total.vacancy == -1
    view = forms.mark_ready(r)
    assert view.status is FormStatus.READY
    edits = [h for h in forms.history(r) if h.field == "rows/0/current"]
    assert [(h.old_value, h.new_value) for h in edits] == [("null", "2"), ("2", "1")]
    assert edits[-1].operator == "김담당" and edits[-1].os_user
    # an edit after 작성완료 sends the form back to 작성중: it must pass validation again
    view = forms.set_value(r, "rows/5/hires", 0)
    assert view.status is FormStatus.READY  # no change in value, no change in status
    view = forms.set_value(r, "rows/5/probation", 1)
    assert view.status is FormStatus.DRAFT


def test_next_month_prefills_job_families_and_authorized_and_checks_continuity(f03: Workspace) -> None:
    forms = f03.forms
    feb, mar = ref(FormKind.STAFFING, "2026-02"), ref(FormKind.STAFFING, "2026-03")
    forms.open(feb)
    fill_staffing(forms, feb, [dict(FULL_ROW, authorized=3, current=3, direct_employment=3)] + [FULL_ROW] * 5)
    forms.insert_item(feb, "rows", 6, {"job_family": "운전직", **FULL_ROW})
    view = forms.open(mar)
    assert [row.job_family for row in view.data.rows][-1] == "운전직"
    assert view.data.rows[0].authorized == 3 and view.data.rows[0].current is None
    fill_staffing(forms, mar, [dict(FULL_ROW, authorized=3, current=4, hires=0, direct_employment=3)] + [FULL_ROW] * 6)
    view = forms.get(mar)
    warnings = [p for p in view.validation.warnings if p.field == "rows/0/current"]
    assert len(warnings) == 1 and "3" in warnings[0].message
    with pytest.raises(FormStateError):
        forms.mark_ready(mar)
    view = forms.explain(mar, warnings[0].key, "본부 전보 1명")
    assert view.data.explanations[warnings[0].key] == "본부 전보 1명"
    assert forms.mark_ready(mar).status is FormStatus.READY


def test_bad_value_is_refused_and_nothing_changes(f03: Workspace) -> None:
    forms = f03.forms
    r = ref(FormKind.STAFFING, "2026-02")
    forms.open(r)
    forms.set_value(r, "rows/0/current", 5)
    with pytest.raises(InvalidInputError, match="형식"):
        forms.set_value(r, "rows/0/current", "다섯")
    with pytest.raises(InvalidInputError, match="없는 항목"):
        forms.set_value(r, "rows/9/current", 1)
    assert forms.get(r).data.rows[0].current == 5
    assert len([h for h in forms.history(r) if h.action == "edit"]) == 1


def test_submitted_form_is_read_only_and_reopen_keeps_revision_1(f03: Workspace) -> None:
    forms = f03.forms
    r = ref(FormKind.STAFFING, "2026-02")
    forms.open(r)
    fill_staffing(forms, r, [FULL_ROW] * 6)
    forms.mark_ready(r)
    forms.mark_submitted([r])
    with pytest.raises(FormStateError, match="수정하기"):
        forms.set_value(r, "rows/0/current", 2)
    view = forms.reopen(r, "본부 보완요청: 관리직 현원 정정")
    assert (view.record.revision, view.status) == (2, FormStatus.DRAFT)
    forms.set_value(r, "rows/0/current", 0)
    revisions = forms.revisions(r)
    assert [(x.revision, x.status) for x in revisions] == [(1, FormStatus.SUBMITTED), (2, FormStatus.DRAFT)]
    assert forms.data_of(revisions[0]).rows[0].current == 1
    assert forms.data_of(revisions[1]).rows[0].current == 0
    assert revisions[1].note == "본부 보완요청: 관리직 현원 정정"


def test_head_office_cannot_enter_a_facility_form(hq: Workspace) -> None:
    with pytest.raises(ModeError):
        hq.forms.open(ref(FormKind.STAFFING, "2026-02"))


def test_budget_chain_and_generated_quarter(f03: Workspace) -> None:
    forms = f03.forms
    plan_ref = ref(FormKind.BUDGET_PLAN, "2026")
    plan = forms.open(plan_ref)
    lines = plan.data.versions[0].lines
    salary = next(i for i, ln in enumerate(lines) if ln.mok == "급여")
    forms.set_values(plan_ref, [(f"versions/0/lines/{salary}/national", 6_000_000),
                                (f"versions/0/lines/{salary}/province", 6_000_000)])  # fmt: skip
    key = forms.get(plan_ref).data.versions[0].lines[salary].key
    spent = {1: 1_000_000, 2: 1_000_000, 3: 1_500_000}
    for month, amount in spent.items():
        r = ref(FormKind.BUDGET, f"2026-{month:02d}")
        view = forms.open(r)
        i = next(i for i, ln in enumerate(view.data.lines) if ln.key == key)
        view = forms.set_value(r, f"lines/{i}/this_month", amount)
        row = next(x for x in view.computed.rows if x.key == key)
        assert row.amounts.this_month == amount
    march = forms.get(ref(FormKind.BUDGET, "2026-03"))
    row = next(x for x in march.computed.rows if x.key == key)
    assert (row.amounts.budget, row.amounts.previous_cumulative, row.amounts.cumulative) == (
        12_000_000,
        2_000_000,
        3_500_000,
    )
    assert row.amounts.remainder == 8_500_000
    q1 = forms.open(ref(FormKind.QUARTERLY, "2026-Q1"))
    qrow = next(x for x in q1.computed.rows if x.key == key)
    assert qrow.figures.months == (1_000_000, 1_000_000, 1_500_000)
    assert qrow.figures.quarter_total == 3_500_000 == sum(spent.values())
    assert q1.computed.missing == ()


def test_safety_actions_carry_into_next_half(f03: Workspace) -> None:
    forms = f03.forms
    h1 = ref(FormKind.SAFETY, "2026-H1")
    view = forms.open(h1)
    codes = [a.code for a in view.data.answers]
    assert "SF-GAS-01" in codes  # the shelter uses gas: gas items apply
    assert "SF-WRK-02" not in codes  # no home visits at the shelter
    i = codes.index("SF-GAS-01")
    action = {"finding": "경보기 배터리 방전", "plan": "배터리 교체", "owner": "시설장", "due": "2026-02-20",
              "status": "조치중", "carry_reason": "", "closed_on": ""}  # fmt: skip
    forms.set_values(h1, [(f"answers/{i}/status", "부적합"), (f"answers/{i}/severity", "상"),
                          (f"answers/{i}/action", action)])  # fmt: skip
    score = forms.get(h1).computed
    assert score.open_high >= 1 and score.grade in ("C", "D")
    h2 = forms.open(ref(FormKind.SAFETY, "2026-H2"))
    assert [c.code for c in h2.data.carried_actions] == ["SF-GAS-01"]


def test_survey_scores_from_counts(f03: Workspace) -> None:
    forms = f03.forms
    r = ref(FormKind.SURVEY, "2026")
    view = forms.open(r)
    n = len(view.data.user.items)
    values = [("user/eligible", 12), ("user/distributed", 12), ("user/returned", 10), ("user/valid", 10)]
    values += [(f"user/items/{i}/counts", [0, 0, 2, 4, 4]) for i in range(n)]
    view = forms.set_values(r, values)
    assert view.computed.user.mean == 4.2
    assert view.computed.user.score == 80.0
    assert view.computed.user.response_rate == pytest.approx(10 / 12, abs=0.001)


def test_due_statuses_follow_the_forms(f03: Workspace) -> None:
    forms = f03.forms
    r = ref(FormKind.STAFFING, "2026-02")
    forms.open(r)
    fill_staffing(forms, r, [FULL_ROW] * 6)
    forms.mark_ready(r)
    statuses = {(d.due.form, str(d.due.period)): d for d in forms.due_statuses("F03")}
    assert statuses[(FormKind.STAFFING, "2026-02")].status is FormStatus.READY
    jan = statuses[(FormKind.STAFFING, "2026-01")]
    assert jan.status is None and jan.overdue_on(date(2026, 4, 5))
    assert (FormKind.STAFFING, "2026-04") in statuses  # April's window is open (drafting allowed)
    assert (FormKind.STAFFING, "2026-05") not in statuses
