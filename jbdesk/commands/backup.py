"""Commands for backups: take one now, list them, restore one."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from jbdesk.commands.common import Groups
from jbdesk.i18n import tr

if TYPE_CHECKING:
    from jbdesk.commands.common import SubParsers
    from jbdesk.paths import DataPaths


def register(sub: SubParsers, groups: Groups) -> None:
    backup = sub.add_parser("backup", help="지금 백업 (SQLite 백업 API; 데이터 폴더의 backups)")
    backup.add_argument("--list", action="store_true", help="백업 목록만 보기")
    backup.add_argument(
        "--keep-daily", type=int, metavar="N", help=tr("하루 한 번 백업을 최근 며칠치 보관할지 (기본 7)")
    )
    backup.add_argument(
        "--keep-weekly", type=int, metavar="N", help=tr("그보다 오래된 하루 백업을 몇 주치 보관할지 (기본 4)")
    )
    backup.add_argument("--keep-imports", type=int, metavar="N", help=tr("가져오기 전 백업을 몇 개 보관할지 (기본 5)"))
    backup.add_argument(
        "--keep-changes", type=int, metavar="N", help=tr("업데이트·복원 전 백업을 몇 개 보관할지 (기본 3)")
    )
    backup.add_argument("--keep-manual", type=int, metavar="N", help=tr("직접 만든 백업을 몇 개 보관할지 (기본 5)"))
    backup.set_defaults(handler=_cmd_backup)
    restore = sub.add_parser("restore", help="백업 파일로 되돌리기 (지금 파일은 옆에 남겨 둠)")
    restore.add_argument("file")
    restore.set_defaults(handler=_cmd_restore)


def _paths(args: argparse.Namespace) -> DataPaths:
    from jbdesk.paths import resolve_data_dir

    return resolve_data_dir(args.data_dir)


def _cmd_backup(args: argparse.Namespace) -> int:
    """``backup``: a copy now. ``--list``: the copies and what is kept. ``--keep-KIND N``: change what is kept."""
    from dataclasses import replace

    from jbdesk.commands.common import workspace
    from jbdesk.i18n import tr
    from jbdesk.services import backup

    paths = _paths(args)
    changes = {
        name: value
        for name in ("daily", "weekly", "imports", "changes", "manual")
        if (value := getattr(args, f"keep_{name}")) is not None
    }
    if args.list:
        for b in backup.backups(paths):
            print(f"{b.taken_at:%Y-%m-%d %H:%M:%S}\t{b.reason}\t{b.size:,} 바이트\t{b.path}")
    if args.list and not changes and not paths.database.exists():
        return 0
    with workspace(args) as ws:  # opening checks health and applies migrations first
        if changes:
            ws.set_backup_retention(replace(ws.backup_retention, **changes))
            print(tr("보관 규칙을 바꾸었습니다. {rule}").format(rule=ws.backup_retention.describe()))
        elif args.list:
            print(ws.backup_retention.describe())
        else:
            print(ws.backup("manual").path)
    return 0


def _cmd_restore(args: argparse.Namespace) -> int:
    from jbdesk.services import backup

    paths = _paths(args)
    backup.restore(paths, Path(args.file))
    print(f"복원했습니다: {args.file}")
    print(f"이전 데이터 파일은 {paths.root}에 '.replaced-날짜' 이름으로 남겨 두었습니다.")
    return 0
