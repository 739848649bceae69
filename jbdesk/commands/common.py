"""What every command shares: opening the workspace, parsing dates, the hq/facility command groups."""

from __future__ import annotations

import argparse
from datetime import date

Groups = dict[str, "argparse._SubParsersAction"]


def parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"날짜 형식이 올바르지 않습니다: {text} (예: 2026-12-01)") from exc


def workspace(args: argparse.Namespace):
    from jbdesk.paths import resolve_data_dir
    from jbdesk.services.workspace import Workspace

    return Workspace.open(resolve_data_dir(args.data_dir))
