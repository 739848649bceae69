"""A head office holding a realistic first quarter of 2026, built once per test run through the real code paths
(facility workspaces → forms → signed export → import → review) and copied for every test that reads it.

Dates are chosen so every tracker status can be checked by hand (due day 10, head office's today 2026-04-15):

=====  ==========================================  ====================================================
code   March 2026 staffing (due 2026-04-10)         expected tracker cell
=====  ==========================================  ====================================================
F01    signed 04-08, accepted by head office        '1판 접수'
F02    signed 04-13                                 '1판 접수대기 · 지연'
F03    signed 04-07, 보완요청, rev 2 signed 04-14    '2판 접수대기' (resubmitted, not late)
F10    signed 04-08, 보완요청                        '1판 보완요청'
F13    nothing                                      '미제출'
other  signed 04-08                                 '1판 접수대기'
=====  ==========================================  ====================================================

February staffing for all 15 (signed 03-09) repeats the registry's headcounts (정원 114, 현원 104, 결원 △10). In
March F01 loses one 사회복지직 (결원 0 → △1) and F13 sends nothing: March over 14 facilities is 정원 100, 현원 94,
결원 △6. F01, F09 and F14 send the 2026 budget and March's execution check (F09 with one line off plan and its
reason); F01, F03 and F09 the first-half safety checklist (signed 02-25); F01, F05 and F14 the 2026 survey
(F05 with 2 staff respondents: suppressed).
"""

from __future__ import annotations

import atexit
import functools
import shutil
import tempfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

from jbdesk import clock
from jbdesk.domain.forms import FormKind
from jbdesk.domain.periods import Period
from jbdesk.domain.safety import response_spec
from jbdesk.services.consolidation import ConsolidationService
from jbdesk.services.review import ReviewService
from jbdesk.services.workspace import Workspace
from tests.bundle_factory import CODES, Network, fill_budget, fill_staffing, open_ws, ref, staffing_rows

HQ_TODAY = date(2026, 4, 15)
FEB, MARCH = Period.parse("2026-02"), Period.parse("2026-03")
H1, Y2026 = Period.parse("2026-H1"), Period.of_year(2026)
RETURN_COMMENT = "돌봄직 휴직 인원을 확인해 주세요."


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def explain_all(ws: Workspace, r: Any, text: str = "담당자가 확인하였음") -> None:
    """Give every unexplained warning an explanation (as a clerk does before 작성완료)."""
    view = ws.forms.get(r)
    for p in view.validation.unexplained(view.data.explanations):
        ws.forms.explain(r, p.key, text)


def fill_safety(
    ws: Workspace, code: str, half: Period, checked_on: str, findings: dict[str, dict[str, Any]] | None = None
) -> None:
    """A complete checklist: every applicable item answered compliant, except ``findings`` (code -> answer
    fields such as status, severity and action). Warnings get an explanation; then 작성완료."""
    r = ref(code, FormKind.SAFETY, half)
    view = ws.forms.open(r)
    specs = {i.code: response_spec(i.response) for i in ws.reference.safety_items}
    values: list[tuple[str, Any]] = [("checked_on", checked_on)]
    for i, answer in enumerate(view.data.answers):
        spec, p = specs[answer.code], f"answers/{i}"
        if answer.code in (findings or {}):
            values += [(f"{p}/{k}", v) for k, v in findings[answer.code].items()]
            if spec.count:
                values.append((f"{p}/count", 3))
            continue
        if spec.source.value == "typed":
            values.append((f"{p}/status", "적합"))
        if spec.count:
            values.append((f"{p}/count", 9 if spec.total else 3))
        if spec.total:
            values.append((f"{p}/total", 10))
        if spec.date:
            values.append((f"{p}/date", "2026-12-31" if answer.code == "SF-GOV-06" else "2026-01-15"))
        if spec.file:
            values.append((f"{p}/file_ref", f"{code}-안전-2026-{i:02d}"))
    ws.forms.set_values(r, values)
    explain_all(ws, r, "점검 결과를 담당자가 다시 확인하였음")
    ws.forms.mark_ready(r)


def fill_survey(ws: Workspace, code: str, user_valid: int, staff_valid: int, year: Period = Y2026) -> None:
    """Counts per item: answers spread over points 3-5 (user mostly 5, staff mostly 4)."""
    r = ref(code, FormKind.SURVEY, year)
    view = ws.forms.open(r)

    def spread(n: int, top: int) -> list[int]:
        high = n * top // 10
        mid = (n - high) * 2 // 3
        return [0, 0, n - high - mid, mid, high] if top >= 5 else [0, 0, n - high - mid, high, mid]

    values: list[tuple[str, Any]] = []
    for name, n, top in (("user", user_valid, 6), ("staff", staff_valid, 5)):
        values += [(f"{name}/eligible", n + 2), (f"{name}/distributed", n + 1), (f"{name}/returned", n)]
        values += [(f"{name}/valid", n)]
        block = getattr(view.data, name)
        values += [(f"{name}/items/{i}/counts", spread(n, top)) for i in range(len(block.items))]
    ws.forms.set_values(r, values)
    explain_all(ws, r, "소규모 시설이라 종사자 응답자가 적음")
    ws.forms.mark_ready(r)


SAFETY_FINDINGS: dict[str, dict[str, dict[str, Any]]] = {
    "F01": {},
    "F03": {
        "SF-GAS-01": {
            "status": "부적합", "severity": "상",
            "action": {"finding": "가스누설경보기 배터리 방전", "plan": "경보기 배터리 교체", "owner": "시설장",
                       "due": "2026-02-27", "status": "조치중", "carry_reason": "", "closed_on": ""},
        },
    },
    "F09": {
        "SF-ELE-01": {
            "status": "부분적합", "severity": "중",
            "action": {"finding": "사무실 멀티탭 문어발 연결", "plan": "멀티탭 정리", "owner": "사무국장",
                       "due": "2026-03-22", "status": "조치완료", "carry_reason": "", "closed_on": "2026-02-23"},
        },
        "SF-BLD-03": {
            "status": "부적합", "severity": "하",
            "action": {"finding": "천장 누수 건물주 미통보", "plan": "건물주에게 공문 발송", "owner": "시설 담당자",
                       "due": "2026-08-31", "status": "미조치", "carry_reason": "", "closed_on": ""},
        },
    },
}  # fmt: skip
SURVEYS = {"F01": (20, 7), "F05": (8, 2), "F14": (12, 3)}
BUDGETS = ("F01", "F09", "F14")
F09_UTILITIES_MARCH = 12_000_000
F09_REASON = "동절기 난방비 증가로 공공요금 집행이 많음"


def march_rows(ws: Workspace, code: str) -> list[dict[str, Any]]:
    rows = staffing_rows(ws, code)
    if code == "F01":
        rows[1] = {**rows[1], "current": rows[1]["current"] - 1, "leavers": 1,
                   "direct_employment": rows[1]["direct_employment"] - 1}  # fmt: skip
    return rows


def _export_import(net: Network, code: str, moment: str, period: Period | None = None) -> None:
    with clock.frozen_at(at(moment)):
        result = net.export(code, period)
        outcome = net.hq.imports.import_bytes(result.path.read_bytes(), result.path.name)
    assert outcome.outcome.ok, (code, outcome.message)


def _f09_budget(ws: Workspace) -> None:
    fill_budget(ws, "F09", MARCH, ready_check=False)
    r = ref("F09", FormKind.BUDGET, MARCH)
    view = ws.forms.get(r)
    i = next(n for n, line in enumerate(view.data.lines) if line.key.endswith("/공공요금/"))
    ws.forms.set_values(r, [(f"lines/{i}/this_month", F09_UTILITIES_MARCH), (f"lines/{i}/reason", F09_REASON)])
    explain_all(ws, r)
    ws.forms.mark_ready(r)


@functools.cache
def _built() -> Path:
    base = Path(tempfile.mkdtemp(prefix="jbdesk-hq-"))
    atexit.register(shutil.rmtree, base, ignore_errors=True)
    net = Network(base)
    try:
        reviews = ReviewService(net.hq)
        net.hq.forms.set_operator("시설운영팀 김담당")
        for code in CODES:
            net.add(code)
        # first-half safety checklists, signed 2026-02-25 (due 02-28)
        for code, findings in SAFETY_FINDINGS.items():
            with clock.frozen_at(at("2026-02-25T10:00:00")):
                fill_safety(net.sites[code], code, H1, "2026-02-20", findings)
            _export_import(net, code, "2026-02-25T10:30:00")
        # February staffing, signed 2026-03-09
        for code in CODES:
            with clock.frozen_at(at("2026-03-09T09:00:00")):
                fill_staffing(net.sites[code], code, FEB)
            _export_import(net, code, "2026-03-09T09:30:00")
        # March: staffing (+ budget, survey) for all but F13
        signed = {code: "2026-04-08T16:00:00" for code in CODES if code != "F13"}
        signed |= {"F02": "2026-04-13T11:00:00", "F03": "2026-04-07T15:00:00"}
        for code, moment in signed.items():
            ws = net.sites[code]
            with clock.frozen_at(at(moment)):
                fill_staffing(ws, code, MARCH, march_rows(ws, code))
                if code == "F09":
                    _f09_budget(ws)
                elif code in BUDGETS:
                    fill_budget(ws, code, MARCH)
                if code in SURVEYS:
                    fill_survey(ws, code, *SURVEYS[code])
            _export_import(net, code, moment)
        with clock.frozen_at(at("2026-04-09T10:00:00")):
            reviews.accept(ref("F01", FormKind.STAFFING, MARCH), "확인")
            reviews.return_for_correction(
                ref("F03", FormKind.STAFFING, MARCH), RETURN_COMMENT, {"rows/3/on_leave": "휴직 1명 누락?"}
            )
            reviews.return_for_correction(
                ref("F10", FormKind.STAFFING, MARCH), "대체인력 근무일수를 다시 확인해 주세요."
            )
        # F03 corrects and sends revision 2 on 04-14
        ws, r = net.sites["F03"], ref("F03", FormKind.STAFFING, MARCH)
        with clock.frozen_at(at("2026-04-14T09:00:00")):
            ws.forms.reopen(r, "본부 보완요청: 돌봄직 휴직 1명 반영")
            ws.forms.set_values(r, [("rows/3/on_leave", 1), ("rows/3/substitute_days", 20)])
            ws.forms.mark_ready(r)
        _export_import(net, "F03", "2026-04-14T09:30:00")
    finally:
        net.close()
    return base / "hq"


def hq_copy(tmp_path: Path) -> Workspace:
    """A head-office workspace holding the scenario above, private to the calling test."""
    root = tmp_path / "hq"
    shutil.copytree(_built(), root)
    return open_ws(root, today=HQ_TODAY)


def consolidation(ws: Workspace) -> ConsolidationService:
    return ConsolidationService(ws, today=HQ_TODAY)
