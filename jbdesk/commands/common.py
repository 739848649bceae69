"""What every command shares: opening the workspace, parsing dates, the hq/facility command groups."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from jbdesk.services.workspace import Workspace

    # argparse names the type of add_subparsers()'s result only privately; it appears in annotations only.
    SubParsers = argparse._SubParsersAction[argparse.ArgumentParser]

Groups = dict[str, "SubParsers"]
T = TypeVar("T")


def parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"날짜 형식이 올바르지 않습니다: {text} (예: 2026-12-01)") from exc


ENV_PASSPHRASE = "JBDESK_KEY_PASSPHRASE"


def passphrase() -> str | None:
    """For a protected private key: JBDESK_KEY_PASSPHRASE, else asked at the terminal (never echoed)."""
    import os
    import sys

    if os.environ.get(ENV_PASSPHRASE):
        return os.environ[ENV_PASSPHRASE]
    if sys.stdin is not None and sys.stdin.isatty():
        import getpass

        return getpass.getpass("서명 키 암호: ") or None
    return None


def new_passphrase(wanted: bool) -> str | None:
    """For a key being created with --passphrase: from the environment, or typed twice at the terminal."""
    import os

    if not wanted:
        return None
    if os.environ.get(ENV_PASSPHRASE):
        return os.environ[ENV_PASSPHRASE]
    import getpass

    from jbdesk.errors import InvalidInputError

    first = getpass.getpass("새 서명 키 암호: ")
    if not first or first != getpass.getpass("한 번 더: "):
        raise InvalidInputError("암호가 비었거나 두 번 입력한 것이 다릅니다.")
    return first


def with_passphrase(action: Callable[[str | None], T]) -> T:
    """Run ``action(passphrase)``; when the key turns out to be protected, ask once and run it again."""
    from jbdesk.bundle.keys import PassphraseRequired

    try:
        return action(None)
    except PassphraseRequired:
        secret = passphrase()
        if secret is None:
            raise PassphraseRequired(
                f"서명 키에 암호가 걸려 있습니다. 터미널에서 실행하거나 {ENV_PASSPHRASE} 환경 변수로 암호를 주세요."
            ) from None
        return action(secret)


def workspace(args: argparse.Namespace) -> Workspace:
    from jbdesk.paths import resolve_data_dir
    from jbdesk.services.workspace import Workspace

    return Workspace.open(resolve_data_dir(args.data_dir))
