"""``jbdesk demo``: a populated head office and its facility PCs, built through the real services."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from jbdesk.commands.common import Groups

if TYPE_CHECKING:
    from jbdesk.commands.common import SubParsers
    from jbdesk.demo.build import DemoResult


def register(sub: SubParsers, groups: Groups) -> None:
    demo = sub.add_parser(
        "demo",
        help="데모 배포 만들기: 본부·시설 PC, 2026년 보고 입력, 꾸러미 내보내기·가져오기, 본부 창 열기",
        description=(
            "DIR/hq(본부), DIR/facilities/<코드>(시설 PC), DIR/bundles(보낸 파일)를 만들고 2026년 1월부터 "
            "--through까지 보고를 입력·내보내기·가져오기 합니다. 같은 --seed는 같은 자료를 만듭니다."
        ),
    )
    demo.add_argument("--dir", required=True, metavar="DIR", help="만들 폴더 (이미 데모가 있으면 거부)")
    demo.add_argument("--through", metavar="YYYY-MM", help="마지막 보고 월 (기본: 지난달, 2026년 안)")
    demo.add_argument("--facilities", type=int, default=15, metavar="N", help="시설 수 (15 초과: 가상 시설 F16…)")
    demo.add_argument("--seed", type=int, default=2026, help="난수 씨앗 (기본 2026)")
    demo.add_argument("--no-import", action="store_true", help="본부에서 가져오지 않음 (파일만 만듦)")
    demo.add_argument("--no-gui", action="store_true", help="끝난 뒤 본부 창을 열지 않음")
    demo.add_argument("--quiet", action="store_true", help="시설·월별 진행 줄 대신 시설별 한 줄만")
    demo.add_argument("--workers", type=int, default=0, help="시설 입력에 쓸 프로세스 수 (기본: 코어 수)")
    demo.set_defaults(handler=_cmd_demo)


def _cmd_demo(args: argparse.Namespace) -> int:
    from jbdesk import clock
    from jbdesk.demo import DemoOptions, build_demo, default_through, parse_through

    through = parse_through(args.through) if args.through else default_through(clock.today())
    opts = DemoOptions(
        root=Path(args.dir).expanduser().resolve(),
        through=through,
        facilities=args.facilities,
        seed=args.seed,
        do_import=not args.no_import,
        not_after=None if args.through else clock.now(),
        verbose=not args.quiet and args.facilities <= 30,
        workers=args.workers,
    )
    print(f"jbdesk demo: {opts.root} — 시설 {opts.facilities}곳, 2026-01~{through}, seed {opts.seed}", flush=True)
    result = build_demo(opts, lambda line: print(line, flush=True))
    _summary(result)
    if args.no_gui:
        return 0
    from jbdesk.ui.app import run_gui  # PySide6 is loaded only for the window

    return run_gui(str(result.hq_dir))


def _summary(result: DemoResult) -> None:
    out = sys.stdout
    print("", file=out)
    print(f"본부 데이터 폴더: {result.hq_dir}", file=out)
    print(f"시설 PC: {result.root / 'facilities'} ({result.facilities}곳)", file=out)
    print(f"보낸 파일: {result.bundles_dir} ({len(result.bundles)}개)", file=out)
    if result.imported:
        labels = {"accepted": "접수", "already_imported": "이미 가져옴", "stale": "이전 판", "refused": "거부"}
        text = ", ".join(f"{labels.get(k, k)} {v}" for k, v in sorted(result.imported.items()))
        print(f"본부 가져오기: {text}", file=out)
    else:
        print(f"본부 가져오기: 하지 않음 (jbdesk --data-dir {result.hq_dir} import {result.bundles_dir})", file=out)
    print(f"기한 후 제출: {len(result.late)}건", file=out)
    for line in result.late[:8]:
        print(f"  · {line}", file=out)
    if len(result.late) > 8:
        print(f"  · 외 {len(result.late) - 8}건", file=out)
    for line in result.missing:
        print(f"미제출: {line}", file=out)
    for line in result.corrected:
        print(f"보완 후 재제출: {line}", file=out)
    phases = ", ".join(f"{k} {v:.1f}초" for k, v in result.timings.items())
    print(f"걸린 시간: {result.seconds:.1f}초 ({phases})", file=out)
