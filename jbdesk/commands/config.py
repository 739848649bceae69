"""Commands on configuration versions: show them, write one as CSV files to edit, publish the edited files."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from jbdesk.commands.common import Groups, workspace

if TYPE_CHECKING:
    from jbdesk.commands.common import SubParsers


def register(sub: SubParsers, groups: Groups) -> None:
    config = groups["hq"].add_parser("config", help="설정(항목 목록·과목·목표) 판 보기·내보내기·새 판 발행")
    action = config.add_subparsers(dest="config_command", metavar="ACTION", required=True)
    show = action.add_parser("show", help="설정 판 목록")
    show.set_defaults(handler=_cmd_show)
    export = action.add_parser("export", help="설정을 CSV 파일로 (엑셀에서 고친 뒤 publish)")
    export.add_argument("dir")
    export.add_argument("--version", type=int, help="판 번호 (기본: 최신)")
    export.set_defaults(handler=_cmd_export)
    publish = action.add_parser("publish", help="고친 CSV 폴더로 새 판 발행 (아직 시작하지 않은 기간부터)")
    publish.add_argument("dir")
    publish.add_argument("--from", dest="start", required=True, help="적용 시작 월 (YYYY-MM)")
    publish.add_argument("--note", default="")
    publish.set_defaults(handler=_cmd_publish)


def _cmd_show(args: argparse.Namespace) -> int:
    with workspace(args) as ws:
        for v in ws.config.versions():
            print(f"{v.version}판\t{v.effective_from:%Y-%m-%d}부터\t{v.note}")
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    from jbdesk.services.export import ensure_dir

    with workspace(args) as ws:
        for path in ws.config.export_csv(ensure_dir(Path(args.dir)), args.version):
            print(path)
    return 0


def _cmd_publish(args: argparse.Namespace) -> int:
    from jbdesk.domain.periods import Period

    with workspace(args) as ws:
        info = ws.config.publish_from_csv(Path(args.dir), Period.parse(args.start), args.note)
    print(
        f"설정 {info.version}판을 발행했습니다 ({info.effective_from:%Y-%m-%d}부터). 다음 회신 파일에 실려 시설로 갑니다."
    )
    return 0
