"""Command line: the GUI launcher and headless commands on the same services.

Exit codes: 0 success, 1 refused operation (Korean message on stderr), 2 bad usage.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from jbdesk import __version__
from jbdesk.errors import InvalidInputError, JbdeskError

Handler = Callable[[argparse.Namespace], int]


def _parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"날짜 형식이 올바르지 않습니다: {text} (예: 2026-12-01)") from exc


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jbdesk",
        description="전북특별자치도사회서비스원 소속시설 보고 프로그램",
    )
    parser.add_argument("--version", action="version", version=f"jbdesk {__version__}")
    parser.add_argument("--data-dir", metavar="DIR", help="데이터 폴더 (기본: JBDESK_HOME 또는 사용자 데이터 폴더)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    gui = sub.add_parser("gui", help="창 열기 (명령을 생략하면 이것)")
    gui.add_argument("--screenshot", metavar="PNG", help="창을 그린 뒤 PNG로 저장하고 종료 (점검용)")
    gui.add_argument("--page", help="처음 보여줄 화면 (점검용)")
    gui.set_defaults(handler=_cmd_gui)

    mode = sub.add_parser("mode", help="이 PC의 용도 보기/설정: hq 또는 facility CODE")
    mode.add_argument("kind", nargs="?", choices=["hq", "facility"])
    mode.add_argument("code", nargs="?", help="시설 코드 (facility일 때)")
    mode.set_defaults(handler=_cmd_mode)

    fac = sub.add_parser("facilities", help="시설 목록")
    fac.add_argument("--json", action="store_true", help="JSON으로 출력")
    fac.add_argument("--reporting-on", type=_parse_date, metavar="DATE", help="그날 보고 대상인 시설만")
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
    add.add_argument("--from", dest="effective", type=_parse_date, default=date.today(), help="운영 시작일")
    add.set_defaults(handler=_cmd_registry_add)
    status = reg_sub.add_parser("status", help="상태 변경 (민간이전, 재위탁, 운영종료 ...)")
    status.add_argument("code")
    status.add_argument("status", help="운영 | 민간이전예정 | 민간이전 | 재위탁 | 운영종료")
    status.add_argument("--from", dest="effective", type=_parse_date, required=True, help="효력 발생일")
    status.add_argument("--note", default="")
    status.set_defaults(handler=_cmd_registry_status)

    hq = sub.add_parser("hq", help="본부: 초기화, 설정 파일 발급, 키 등록·폐기, 판 비교")
    hq_sub = hq.add_subparsers(dest="hq_command", metavar="ACTION", required=True)
    init = hq_sub.add_parser("init", help="본부 서명 키 만들기 (한 번)")
    init.add_argument("--name", required=True, help="본부 이름 (예: 전북특별자치도사회서비스원)")
    init.set_defaults(handler=_cmd_hq_init)
    prov = hq_sub.add_parser("provision", help="시설 설정 파일 발급")
    prov.add_argument("code")
    prov.add_argument("--out", required=True, help="파일 또는 폴더")
    prov.set_defaults(handler=_cmd_hq_provision)
    enroll = hq_sub.add_parser("enroll", help="시설 등록 요청 처리 (지문을 전화로 확인한 뒤)")
    enroll.add_argument("request")
    enroll.set_defaults(handler=_cmd_hq_enroll)
    revoke = hq_sub.add_parser("revoke", help="시설 키 폐기")
    revoke.add_argument("code")
    revoke.add_argument("--reason", default="본부가 폐기")
    revoke.set_defaults(handler=_cmd_hq_revoke)
    revs = hq_sub.add_parser("revisions", help="받은 보고의 판과 바뀐 곳")
    revs.add_argument("code")
    revs.add_argument("form", choices=[k.value for k in _form_kinds()])
    revs.add_argument("period")
    revs.set_defaults(handler=_cmd_hq_revisions)

    fac_cmd = sub.add_parser("facility", help="시설 PC: 본부 설정 파일로 설정, 키 다시 만들기")
    fac_sub = fac_cmd.add_subparsers(dest="facility_command", metavar="ACTION", required=True)
    setup = fac_sub.add_parser("setup", help="본부가 보낸 설정 파일로 이 PC를 시설 PC로 설정")
    setup.add_argument("provision")
    setup.add_argument("--out", required=True, help="등록 요청 파일을 쓸 곳")
    setup.set_defaults(handler=_cmd_facility_setup)
    reenrol = fac_sub.add_parser("reenroll", help="새 키를 만들고 등록 요청 파일 쓰기")
    reenrol.add_argument("--out", required=True)
    reenrol.set_defaults(handler=_cmd_facility_reenroll)

    export = sub.add_parser("export", help="작성완료한 보고를 서명된 파일로 내보내기 (시설)")
    export.add_argument("--out", required=True, help="폴더 (USB 등)")
    export.add_argument("--period", help="이 기간의 보고만 (예: 2026-03)")
    export.set_defaults(handler=_cmd_export)

    verify = sub.add_parser("verify", help="파일 검증만 (합치지 않음)")
    verify.add_argument("file")
    verify.set_defaults(handler=_cmd_verify)

    imp = sub.add_parser("import", help="시설 보고 파일 가져오기 (본부)")
    imp.add_argument("paths", nargs="+", help="파일 또는 폴더")
    imp.add_argument("--json", action="store_true")
    imp.set_defaults(handler=_cmd_import)

    due = sub.add_parser("due", help="그 달에 기간이 끝나는 보고 중 시설에 요구되는 것")
    due.add_argument("code")
    due.add_argument("month", help="YYYY-MM")
    due.add_argument("--json", action="store_true")
    due.set_defaults(handler=_cmd_due)
    return parser


def _workspace(args: argparse.Namespace):
    from jbdesk.paths import resolve_data_dir
    from jbdesk.services.workspace import Workspace

    return Workspace.open(resolve_data_dir(args.data_dir))


def _cmd_gui(args: argparse.Namespace) -> int:
    from jbdesk.ui.app import run_gui  # PySide6 is loaded only for the GUI

    return run_gui(args.data_dir, screenshot=getattr(args, "screenshot", None), page=getattr(args, "page", None))


def _cmd_mode(args: argparse.Namespace) -> int:
    with _workspace(args) as ws:
        if args.kind == "hq":
            info = ws.set_head_office()
        elif args.kind == "facility":
            if not args.code:
                raise InvalidInputError("시설 코드를 함께 입력하세요. 예: jbdesk mode facility F05")
            info = ws.set_facility(args.code)
        else:
            info = ws.info()
    who = f" {info.facility_code} {info.facility_name}" if info.facility_code else ""
    print(f"용도: {info.mode.label if info.mode else '미설정'}{who}")
    print(f"데이터 폴더: {info.data_dir}")
    return 0


def _facility_json(f) -> dict:
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

    with _workspace(args) as ws:
        facilities = ws.registry.list(reporting_on=args.reporting_on)
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
    with _workspace(args) as ws:
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
    with _workspace(args) as ws:
        f = ws.registry.change_status(args.code, status, args.effective, args.note)
    print(f"{f.code} {f.name}: {args.effective}부터 {status.value}")
    return 0


def _cmd_due(args: argparse.Namespace) -> int:
    from jbdesk.domain.periods import Period

    month = Period.parse(args.month)
    with _workspace(args) as ws:
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


def _form_kinds():
    from jbdesk.domain.forms import FormKind

    return list(FormKind)


def _cmd_hq_init(args: argparse.Namespace) -> int:
    with _workspace(args) as ws:
        short = ws.trust.hq_init(args.name)
    print(f"본부 서명 키를 만들었습니다. 본부 키 지문: {short}")
    print("시설에 설정 파일을 보낼 때 이 지문을 전화로 불러 주세요.")
    return 0


def _cmd_hq_provision(args: argparse.Namespace) -> int:
    with _workspace(args) as ws:
        path = ws.trust.provision(args.code, Path(args.out))
    print(path)
    return 0


def _cmd_hq_enroll(args: argparse.Namespace) -> int:
    with _workspace(args) as ws:
        result = ws.trust.enroll(Path(args.request))
    print(f"{result.facility_code} {result.facility_name}: 키를 등록했습니다. 시설 키 지문: {result.facility_short}")
    if result.replaced:
        print(f"이전 키 {result.replaced}개는 폐기되었습니다.")
    return 0


def _cmd_hq_revoke(args: argparse.Namespace) -> int:
    with _workspace(args) as ws:
        count = ws.trust.revoke(args.code, args.reason)
    print(f"{args.code.upper()}: 키 {count}개를 폐기했습니다. 이후 이 키로 서명된 파일은 받지 않습니다.")
    return 0


def _cmd_hq_revisions(args: argparse.Namespace) -> int:
    from jbdesk.domain.forms import FormKind, FormRef
    from jbdesk.domain.periods import Period
    from jbdesk.services.importer import revision_diff

    ref = FormRef(args.code.strip().upper(), FormKind(args.form), Period.parse(args.period))
    with _workspace(args) as ws:
        revisions = ws.imports.revisions(ref)
    if not revisions:
        print(f"{ref.label}: 받은 판이 없습니다.")
        return 0
    current = max(r.record.revision for r in revisions)
    for r in revisions:
        mark = " (현재)" if r.record.revision == current else ""
        print(f"{r.record.revision}판{mark}	{r.record.submitted_at or ''}	꾸러미 {str(r.bundle_digest)[:12]}")
    for a, b in itertools.pairwise(revisions):
        print(f"--- {a.record.revision}판 → {b.record.revision}판")
        for path, old, new in revision_diff(a.record, b.record):
            print(f"{path}: {json.dumps(old, ensure_ascii=False)} → {json.dumps(new, ensure_ascii=False)}")
    return 0


def _cmd_facility_setup(args: argparse.Namespace) -> int:
    with _workspace(args) as ws:
        r = ws.trust.setup_facility(Path(args.provision), Path(args.out))
    print(f"{r.facility_code} {r.facility_name} 시설 PC로 설정했습니다 ({r.hq_name}).")
    print(f"본부 키 지문: {r.hq_short}   ← 본부가 불러 주는 지문과 같은지 확인하세요")
    print(f"이 PC 키 지문: {r.facility_short}   ← 본부에 불러 주세요")
    print(r.request_path)
    return 0


def _cmd_facility_reenroll(args: argparse.Namespace) -> int:
    with _workspace(args) as ws:
        r = ws.trust.reenroll(Path(args.out))
    print(f"새 키를 만들었습니다. 이 PC 키 지문: {r.facility_short}")
    print(r.request_path)
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    from jbdesk.domain.periods import Period
    from jbdesk.services.export import ensure_dir

    period = Period.parse(args.period) if args.period else None
    with _workspace(args) as ws:
        result = ws.exports.export(ensure_dir(Path(args.out)), period)
    print(result.path)
    return 0


def _cmd_verify(args: argparse.Namespace) -> int:
    from jbdesk.services.trust import read_file

    path = Path(args.file)
    with _workspace(args) as ws:
        result = ws.imports.verify_bytes(read_file(path), path.name)
    if not result.outcome.ok:
        print(f"jbdesk: {path.name}: {result.message}", file=sys.stderr)
        return 1
    print(f"{path.name}: {result.message}")
    print(f"시설 {result.facility_code}, 일련번호 {result.sequence}, 보고 {len(result.instances)}건")
    for form, period, revision, _ in result.instances:
        print(f"  {form} {period} {revision}판")
    return 0


def _cmd_import(args: argparse.Namespace) -> int:
    with _workspace(args) as ws:
        results = ws.imports.import_paths([Path(p) for p in args.paths])
    if args.json:
        for r in results:
            print(json.dumps(r.as_json(), ensure_ascii=False))
    else:
        for r in results:
            print(f"{r.file_name}	{r.outcome.label}	{r.facility_code}	{r.message}")
            for note in r.notes:
                print(f"	· {note}")
    if not results:
        print("jbdesk: 가져올 파일(.jbd)이 없습니다.", file=sys.stderr)
        return 1
    return 0 if all(r.outcome.ok for r in results) else 1


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler = getattr(args, "handler", _cmd_gui)
    try:
        return handler(args)
    except JbdeskError as exc:
        print(f"jbdesk: {exc.message}", file=sys.stderr)
        if exc.detail:
            print(f"  ({exc.detail})", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
