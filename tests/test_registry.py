"""Facility registry: the plan's 15 facilities, lifecycle dates, what is due when, head-office edits."""

from __future__ import annotations

from datetime import date

import pytest

from jbdesk.domain.facilities import Facility, LifecycleStatus, totals
from jbdesk.domain.forms import FormKind
from jbdesk.domain.periods import Period
from jbdesk.errors import InvalidInputError, ModeError, NotFoundError
from jbdesk.services.workspace import Mode, Workspace


def test_seeded_registry_matches_the_plan(workspace: Workspace) -> None:
    facilities = workspace.registry.facilities()
    assert [f.code for f in facilities] == [f"F{n:02d}" for n in range(1, 16)]
    assert totals(facilities) == (114, 104, -10)
    by_code = {f.code: f for f in facilities}
    assert by_code["F13"].vacancy == -5
    assert by_code["F01"].aliases[0] == "전북특별자치도서부 노인보호전문기관"
    groups = [f.group for f in facilities]
    assert groups.count("국·공립 시설") == 8
    assert groups.count("국가 및 지방자치단체 위탁사업") == 5
    assert groups.count("전북인돌봄센터") == 2
    assert {f.code for f in facilities if f.account == "일반회계"} == {"F14", "F15"}


def test_transferred_facility_reports_november_but_not_december(workspace: Workspace) -> None:
    f05 = workspace.registry.get("F05")
    assert f05.status_on(date(2026, 11, 30)) is LifecycleStatus.TRANSFER_PLANNED
    assert f05.status_on(date(2026, 12, 1)) is LifecycleStatus.TRANSFERRED
    assert workspace.registry.is_due("F05", FormKind.STAFFING, Period.parse("2026-11"))
    assert not workspace.registry.is_due("F05", FormKind.STAFFING, Period.parse("2026-12"))
    assert workspace.registry.is_due("F01", FormKind.STAFFING, Period.parse("2026-12"))
    due_dec = workspace.registry.due_in_month("F05", Period.parse("2026-12"))
    assert [(d.form, str(d.period)) for d in due_dec] == [
        (FormKind.BUDGET, "2026-11"),
        (FormKind.STAFFING, "2026-11"),
        (FormKind.SURVEY, "2026"),
    ]
    assert workspace.registry.due_in_month("F05", Period.parse("2027-02")) == []


def test_reconsigned_facility_keeps_reporting(workspace: Workspace) -> None:
    f10 = workspace.registry.get("F10")
    assert f10.status_on(date(2027, 3, 1)) is LifecycleStatus.RECONSIGNED
    assert workspace.registry.is_due("F10", FormKind.STAFFING, Period.parse("2027-03"))


def test_head_office_adds_and_end_dates_a_facility(hq: Workspace) -> None:
    new = Facility(
        code="F16",
        name="전북특별자치도신규센터",
        type="신규센터",
        group="국가 및 지방자치단체 위탁사업",
        account="특별회계",
        operation="위수탁",
        headcount_authorized=4,
        headcount_current=3,
    )
    hq.registry.add(new, effective=date(2027, 1, 1))
    assert not hq.registry.is_due("F16", FormKind.STAFFING, Period.parse("2026-12"))
    assert hq.registry.is_due("F16", FormKind.STAFFING, Period.parse("2027-01"))
    hq.registry.change_status("F16", LifecycleStatus.CLOSED, date(2027, 7, 1), "사업 종료")
    assert hq.registry.is_due("F16", FormKind.STAFFING, Period.parse("2027-06"))
    assert not hq.registry.is_due("F16", FormKind.STAFFING, Period.parse("2027-07"))
    assert totals(hq.registry.facilities()) == (118, 107, -11)
    assert [f.code for f in hq.registry.facilities(reporting_on=date(2027, 8, 1))].count("F16") == 0
    with pytest.raises(InvalidInputError, match="이미 있는"):
        hq.registry.add(new, effective=date(2027, 1, 1))


def test_bad_facility_is_refused(hq: Workspace) -> None:
    bad = Facility(
        code="f 1",
        name="",
        type="",
        group="",
        account="특별회계",
        operation="위수탁",
        headcount_authorized=1,
        headcount_current=1,
    )
    with pytest.raises(InvalidInputError, match="시설 코드"):
        hq.registry.add(bad, effective=date(2027, 1, 1))
    assert len(hq.registry.facilities()) == 15


def test_facility_pc_holds_only_its_own_facility(workspace: Workspace) -> None:
    info = workspace.set_facility("f05")
    assert info.mode is Mode.FACILITY and info.facility_code == "F05"
    assert [f.code for f in workspace.registry.facilities()] == ["F05"]
    with pytest.raises(ModeError, match="본부 PC에서만"):
        workspace.registry.change_status("F05", LifecycleStatus.CLOSED, date(2027, 1, 1))
    with pytest.raises(ModeError, match="이미 시설"):
        workspace.set_head_office()


def test_unknown_facility_code(workspace: Workspace) -> None:
    with pytest.raises(NotFoundError, match="F99"):
        workspace.set_facility("F99")
    assert workspace.info().mode is None
    assert len(workspace.registry.facilities()) == 15


def test_mode_is_remembered_across_restarts(data_dir) -> None:
    from jbdesk.paths import DataPaths

    with Workspace.open(DataPaths(data_dir)) as ws:
        ws.set_facility("F03")
    with Workspace.open(DataPaths(data_dir)) as ws:
        info = ws.info()
        assert (info.mode, info.facility_code, info.facility_name) == (Mode.FACILITY, "F03", "전북학대피해노인전용쉼터")
