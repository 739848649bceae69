"""Which backups to keep: a number per kind, so that many copies of one kind never push out another kind.

Kinds, from the reason in a backup's name: the daily copy at start (``daily``), the copy before every import batch
(``before-import``), before a schema upgrade or a restore (``before-migration-vN``, ``before-restore``), and the
ones people ask for (``manual``). Daily copies are kept as "7 daily, 4 weekly": the newest copy of each of the
last 7 days that have one, then the newest copy of each of the 4 calendar weeks before those. A copy whose reason
is not one of these is never removed (an older or newer jbdesk may name its copies otherwise).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from jbdesk.errors import InvalidInputError
from jbdesk.i18n import tr

MAX_KEEP = 365


class BackupKind(StrEnum):
    DAILY = "daily"
    IMPORT = "import"
    CHANGE = "change"  # before a schema upgrade or a restore
    MANUAL = "manual"
    OTHER = "other"


def kind_of(reason: str) -> BackupKind:
    """The kind of a backup from its reason (``daily``, ``before-import-2``, ``before-migration-v4``, ...)."""
    if reason == "daily" or reason.startswith("daily-"):
        return BackupKind.DAILY
    if reason.startswith("before-import"):
        return BackupKind.IMPORT
    if reason.startswith(("before-migration", "before-restore")):
        return BackupKind.CHANGE
    if reason == "manual" or reason.startswith("manual-"):
        return BackupKind.MANUAL
    return BackupKind.OTHER


def label_of(reason: str) -> str:
    """The kind of a backup in the clerk's words (the settings page's list)."""
    if reason.startswith("before-restore"):
        return tr("복원 전")
    return {
        BackupKind.DAILY: tr("하루 한 번"),
        BackupKind.IMPORT: tr("가져오기 전"),
        BackupKind.CHANGE: tr("프로그램 업데이트 전"),
        BackupKind.MANUAL: tr("직접 백업"),
    }.get(kind_of(reason), reason)


@dataclass(frozen=True)
class Retention:
    """How many of each kind to keep (``weekly``: weeks of daily copies beyond the ``daily`` days)."""

    daily: int = 7
    weekly: int = 4
    imports: int = 5
    changes: int = 3
    manual: int = 5

    def __post_init__(self) -> None:
        for name, value in self.counts().items():
            low = 1 if name == "daily" else 0
            if not low <= value <= MAX_KEEP:
                raise InvalidInputError(
                    tr("백업 보관 수는 {low}~{high} 사이여야 합니다: {name}={value}").format(
                        low=low, high=MAX_KEEP, name=name, value=value
                    )
                )

    def counts(self) -> dict[str, int]:
        return {
            "daily": self.daily,
            "weekly": self.weekly,
            "imports": self.imports,
            "changes": self.changes,
            "manual": self.manual,
        }

    def describe(self) -> str:
        """One line for people: what is kept."""
        return tr(
            "하루 한 번 백업은 최근 {daily}일과 그 전 {weekly}주(주마다 하나), 가져오기 전 백업은 최근 {imports}개, "
            "업데이트·복원 전 백업은 최근 {changes}개, 직접 만든 백업은 최근 {manual}개를 보관합니다."
        ).format(**self.counts())


def _week(day: date) -> tuple[int, int]:
    iso = day.isocalendar()
    return iso.year, iso.week


def to_keep(taken: Sequence[tuple[datetime, str]], retention: Retention) -> set[int]:
    """Indices into ``taken`` ((time, reason) of each backup) of the copies to keep."""
    by_kind: dict[BackupKind, list[int]] = {}
    for i, (_, reason) in enumerate(taken):
        by_kind.setdefault(kind_of(reason), []).append(i)
    for indices in by_kind.values():
        indices.sort(key=lambda i: taken[i][0], reverse=True)  # newest first
    keep: set[int] = set(by_kind.get(BackupKind.OTHER, []))
    for kind, count in (
        (BackupKind.IMPORT, retention.imports),
        (BackupKind.CHANGE, retention.changes),
        (BackupKind.MANUAL, retention.manual),
    ):
        keep.update(by_kind.get(kind, [])[:count])
    keep.update(_daily(taken, by_kind.get(BackupKind.DAILY, []), retention))
    if taken:  # whatever the counts, the newest copy of all stays
        keep.add(max(range(len(taken)), key=lambda i: taken[i][0]))
    return keep


def _daily(taken: Sequence[tuple[datetime, str]], newest_first: list[int], retention: Retention) -> set[int]:
    days: dict[date, int] = {}
    for i in newest_first:
        days.setdefault(taken[i][0].date(), i)  # the newest copy of each day
    recent = list(days)[: retention.daily]
    keep = {days[d] for d in recent}
    if not recent:
        return keep
    weeks: dict[tuple[int, int], int] = {}
    for day, i in days.items():
        if day < recent[-1]:
            weeks.setdefault(_week(day), i)  # the newest copy of each earlier week
    keep.update(list(weeks.values())[: retention.weekly])
    return keep
