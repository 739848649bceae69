"""Commands on the facility registry: list, add, change status, reports due."""

from __future__ import annotations

import argparse
import json
from datetime import date
from typing import TYPE_CHECKING

from jbdesk.commands.common import Groups, parse_date, workspace
from jbdesk.errors import InvalidInputError

if TYPE_CHECKING:
    from jbdesk.commands.common import SubParsers
    from jbdesk.domain.facilities import Facility


def register(sub: SubParsers, groups: Groups) -> None:
    fac = sub.add_parser("facilities", help="시설 목록")
    fac.add_argument("--json", action="store_true", help="JSON으로 출력")
    fac.add_argument("--reporting-on", type=parse_date, metavar="DATE", help="그날 보고 대상인 시설만")
    fac.set_defaults(handler=_cmd_facilities)

    reg = sub.add_parser("registry", help="시설 등록부 편집 (본부)")
    reg_sub = reg.add_subparsers(dest="registry_command", metavar="ACTION", required=True)
    add = reg_sub.add_parser("add", help="시설 추가")
    add.add_argument("code")
    add.add_argument("name")
    add.add_argument("--type", required=True, help="시설 유형")
    add.add_argument("--group", required=True, help="구분 (예: 국·공립 시설)")
    add.add_argument("--account", default="특별회계", choices=["특별회계", "일반회계"])
    add.add_argument("--operation", default="위수탁", choices=["위수탁", "직영"])
    add.add_argument("--authorized", type=int, required=True, help="정원")
    add.add_argument("--current", type=int, required=True, help="현원")
    add.add_argument("--from", dest="effective", type=parse_date, default=date.today(), help="운영 시작일")
    add.set_defaults(handler=_cmd_registry_add)
    status = reg_sub.add_parser("status", help="상태 변경 (민간이전, 재위탁, 운영종료 ...)")
    status.add_argument("code")
    status.add_argument("status", help="운영 | 민간이전예정 | 민간이전 | 재위탁 | 운영종료")
    status.add_argument("--from", dest="effective", type=parse_date, required=True, help="효력 발생일")
    status.add_argument("--note", default="")
    status.set_defaults(handler=_cmd_registry_status)

    due = sub.add_parser("due", help="그 달에 제출기한이 드는 보고")
    due.add_argument("code")
    due.add_argument("month", help="YYYY-MM")
    due.add_argument("--json", action="store_true")
    due.set_defaults(handler=_cmd_due)


def _facility_json(f: Facility) -> dict[str, object]:
    return {
        "code": f.code,
        "name": f.name,
        "aliases": list(f.aliases),
        "type": f.type,
        "group": f.group,
        "account": f.account,
        "operation": f.operation,
        "headcount_authorized": f.headcount_authorized,
        "headcount_current": f.headcount_current,
        "vacancy": f.vacancy,
        "headcount_as_of": f.headcount_as_of.isoformat(),
        "features": sorted(x.value for x in f.features),
        "status_today": (st.value if (st := f.status_on(date.today())) else None),
        "events": [{"effective": e.effective.isoformat(), "status": e.status.value, "note": e.note} for e in f.events],
    }


def _cmd_facilities(args: argparse.Namespace) -> int:
    from jbdesk.domain.facilities import totals
    from jbdesk.domain.numbers import fmt_int

    with workspace(args) as ws:
        facilities = ws.registry.facilities(reporting_on=args.reporting_on)
    if args.json:
        print(json.dumps([_facility_json(f) for f in facilities], ensure_ascii=False, indent=2))
        return 0
    for f in facilities:
        status = f.status_on(date.today())
        print(
            f"{f.code}\t{f.name}\t{f.group}\t정원 {f.headcount_authorized}\t현원 {f.headcount_current}"
            f"\t결원 {fmt_int(f.vacancy, zero='-')}\t{status.value if status else ''}"
        )
    auth, cur, vac = totals(facilities)
    print(f"계 {len(facilities)}개소\t정원 {auth}\t현원 {cur}\t결원 {fmt_int(vac, zero='-')}")
    return 0


def _cmd_registry_add(args: argparse.Namespace) -> int:
    from jbdesk.domain.facilities import Facility

    facility = Facility(
        code=args.code.strip().upper(),
        name=args.name.strip(),
        type=args.type,
        group=args.group,
        account=args.account,
        operation=args.operation,
        headcount_authorized=args.authorized,
        headcount_current=args.current,
        headcount_as_of=args.effective,
    )
    with workspace(args) as ws:
        added = ws.registry.add(facility, effective=args.effective)
    print(f"등록했습니다: {added.code} {added.name} ({args.effective} 부터 운영)")
    return 0


def _cmd_registry_status(args: argparse.Namespace) -> int:
    from jbdesk.domain.facilities import LifecycleStatus

    try:
        status = LifecycleStatus(args.status)
    except ValueError as exc:
        choices = ", ".join(s.value for s in LifecycleStatus)
        raise InvalidInputError(f"알 수 없는 상태입니다: {args.status} (가능: {choices})") from exc
    with workspace(args) as ws:
        f = ws.registry.change_status(args.code, status, args.effective, args.note)
    print(f"{f.code} {f.name}: {args.effective}부터 {status.value}")
    return 0


def _cmd_due(args: argparse.Namespace) -> int:
    from jbdesk.domain.periods import Period

    month = Period.parse(args.month)
    with workspace(args) as ws:
        due = ws.registry.due_in_month(args.code, month)
    if args.json:
        rows = [{"form": d.form.value, "period": str(d.period), "opens": str(d.opens), "due": str(d.due)} for d in due]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    elif not due:
        print(f"{args.code.upper()}: {month.label}에 요구되는 보고가 없습니다.")
    else:
        for d in due:
            print(f"{d.label}\t제출기한 {d.due}")
    return 0
