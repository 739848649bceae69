"""Commands on the record of what happened: the audit log (view, verify, Excel) and undoing an import."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from jbdesk.commands.common import Groups, workspace
from jbdesk.i18n import tr

if TYPE_CHECKING:
    from jbdesk.commands.common import SubParsers


def register(sub: SubParsers, groups: Groups) -> None:
    audit = sub.add_parser("audit", help="감사 기록 보기·검증·엑셀로 저장")
    audit.add_argument(
        "action", nargs="?", choices=["verify"], help=tr("verify: 해시 연결과 서명 기준점을 검증 (= --verify)")
    )
    audit.add_argument(
        "--verify", action="store_true", help=tr("해시 연결과 서명 기준점을 검증 (바뀌거나 잘렸으면 종료 코드 1)")
    )
    audit.add_argument("--xlsx", metavar="FILE", help="엑셀 파일로 저장")
    audit.add_argument("--limit", type=int, default=30, help="최근 몇 건을 보일지 (기본 30)")
    audit.set_defaults(handler=_cmd_audit)
    rollback = groups["hq"].add_parser("rollback", help="가져오기 한 건 되돌리기 (이전 판이 다시 현재 판)")
    rollback.add_argument("digest", help="파일 식별값 앞 8자 이상 (jbdesk import --json 의 digest)")
    rollback.set_defaults(handler=_cmd_rollback)


def _cmd_audit(args: argparse.Namespace) -> int:
    from jbdesk.services.audit import ACTION_LABELS, AuditService

    with workspace(args) as ws:
        service = AuditService(ws)
        check = service.verify()
        if args.xlsx:
            print(service.export_xlsx(Path(args.xlsx)))
        elif not (args.verify or args.action == "verify"):
            for e in service.entries(args.limit):
                who = f"{e.operator}({e.os_user})" if e.operator else e.os_user
                label = ACTION_LABELS.get(e.action, e.action)
                print(f"{e.id}\t{e.at:%Y-%m-%d %H:%M:%S}\t{who}\t{label}\t{e.subject}\t{e.detail[:120]}")
    if check.ok:
        print(check.message)
        return 0
    print(f"jbdesk: {check.message}", file=sys.stderr)
    return 1


def _cmd_rollback(args: argparse.Namespace) -> int:
    with workspace(args) as ws:
        bundle, removed = ws.imports.rollback(args.digest)
    print(f"되돌렸습니다: {bundle.file_name} ({bundle.facility_code} {bundle.sequence}번), 판 {removed}개 제거")
    print("이 기록도 감사 기록에 남았습니다. 같은 파일을 다시 가져올 수 있습니다.")
    return 0
