"""Command line: the GUI launcher and headless commands on the same services.

Exit codes: 0 success, 1 refused operation (Korean message on stderr), 2 bad usage.
Commands live in ``jbdesk.commands``, one module per area.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Callable, Sequence

from jbdesk import __version__
from jbdesk.commands.common import workspace
from jbdesk.errors import InvalidInputError, JbdeskError

Handler = Callable[[argparse.Namespace], int]
COMMAND_MODULES = ("registry", "trust", "exchange", "backup", "audit", "config", "report", "demo")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="jbdesk", description="전북특별자치도사회서비스원 소속시설 보고 프로그램")
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

    hq = sub.add_parser("hq", help="본부: 초기화, 설정 파일 발급, 키 등록·폐기, 판 비교")
    facility = sub.add_parser("facility", help="시설 PC: 본부 설정 파일로 설정, 키 다시 만들기")
    groups = {
        "hq": hq.add_subparsers(dest="hq_command", metavar="ACTION", required=True),
        "facility": facility.add_subparsers(dest="facility_command", metavar="ACTION", required=True),
    }
    for name in COMMAND_MODULES:
        importlib.import_module(f"jbdesk.commands.{name}").register(sub, groups)
    return parser


def _cmd_gui(args: argparse.Namespace) -> int:
    from jbdesk.ui.app import run_gui  # PySide6 is loaded only for the GUI

    return run_gui(args.data_dir, screenshot=getattr(args, "screenshot", None), page=getattr(args, "page", None))


def _cmd_mode(args: argparse.Namespace) -> int:
    with workspace(args) as ws:
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


def _start_log(args: argparse.Namespace) -> None:
    """The data folder's log file and the hooks for unexpected errors (the window installs its own dialog). Not for
    ``demo``, which works in folders of its own and never in the data folder."""
    if getattr(args, "command", None) == "demo":
        return
    from jbdesk import logs
    from jbdesk.paths import resolve_data_dir

    logs.setup(resolve_data_dir(args.data_dir))
    logs.install_hooks()


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler = getattr(args, "handler", _cmd_gui)
    _start_log(args)
    try:
        return handler(args)
    except JbdeskError as exc:
        logging.getLogger("jbdesk").warning("%s refused: %s", args.command or "gui", exc)
        print(f"jbdesk: {exc.message}", file=sys.stderr)
        if exc.detail:
            print(f"  ({exc.detail})", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
