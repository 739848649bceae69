"""Commands for backups: take one now, list them, restore one."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from jbdesk.commands.common import Groups

if TYPE_CHECKING:
    from jbdesk.commands.common import SubParsers
    from jbdesk.paths import DataPaths


def register(sub: SubParsers, groups: Groups) -> None:
    backup = sub.add_parser("backup", help="지금 백업 (SQLite 백업 API; 데이터 폴더의 backups)")
    backup.add_argument("--list", action="store_true", help="백업 목록만 보기")
    backup.add_argument("--keep", type=int, metavar="N", help="보관할 백업 수를 N으로 정하기 (기본 14)")
    backup.set_defaults(handler=_cmd_backup)
    restore = sub.add_parser("restore", help="백업 파일로 되돌리기 (지금 파일은 옆에 남겨 둠)")
    restore.add_argument("file")
    restore.set_defaults(handler=_cmd_restore)


def _paths(args: argparse.Namespace) -> DataPaths:
    from jbdesk.paths import resolve_data_dir

    return resolve_data_dir(args.data_dir)


def _cmd_backup(args: argparse.Namespace) -> int:
    from jbdesk.services import backup

    paths = _paths(args)
    if args.list:
        for b in backup.backups(paths):
            print(f"{b.taken_at:%Y-%m-%d %H:%M:%S}\t{b.reason}\t{b.size:,} 바이트\t{b.path}")
        return 0
    from jbdesk.commands.common import workspace

    with workspace(args) as ws:  # opening checks health and applies migrations first
        if args.keep is not None:
            ws.set_backup_keep(args.keep)
            print(f"백업을 최근 {args.keep}개까지 보관합니다.")
        made = backup.backup_now(paths, keep=ws.backup_keep)
    print(made.path)
    return 0


def _cmd_restore(args: argparse.Namespace) -> int:
    from jbdesk.services import backup

    paths = _paths(args)
    backup.restore(paths, Path(args.file))
    print(f"복원했습니다: {args.file}")
    print(f"이전 데이터 파일은 {paths.root}에 '.replaced-날짜' 이름으로 남겨 두었습니다.")
    return 0
