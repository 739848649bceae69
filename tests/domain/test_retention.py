"""Which backups are kept: per kind, so that one kind never pushes out another."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from jbdesk.domain.retention import BackupKind, Retention, kind_of, label_of, to_keep
from jbdesk.errors import InvalidInputError


def _kept(taken: list[tuple[datetime, str]], retention: Retention) -> list[tuple[datetime, str]]:
    return sorted(taken[i] for i in to_keep(taken, retention))


def test_reasons_map_to_kinds() -> None:
    assert kind_of("daily") is BackupKind.DAILY and kind_of("daily-1") is BackupKind.DAILY
    assert kind_of("before-import") is BackupKind.IMPORT and kind_of("before-import-3") is BackupKind.IMPORT
    assert kind_of("before-migration-v4") is BackupKind.CHANGE and kind_of("before-restore") is BackupKind.CHANGE
    assert kind_of("manual") is BackupKind.MANUAL and kind_of("manual-2") is BackupKind.MANUAL
    assert kind_of("something-else") is BackupKind.OTHER
    assert [label_of(r) for r in ("daily", "before-import-2", "before-migration-v4", "before-restore", "manual")] == [
        "하루 한 번", "가져오기 전", "프로그램 업데이트 전", "복원 전", "직접 백업"
    ]  # fmt: skip


def test_seven_daily_and_four_weekly() -> None:
    start = datetime(2026, 1, 1, 9, 0)  # a Thursday
    taken = [(start + timedelta(days=d), "daily") for d in range(90)]
    kept = [t for t, _ in _kept(taken, Retention())]
    last = start + timedelta(days=89)  # 2026-03-31, a Tuesday
    daily = [last - timedelta(days=d) for d in range(7)]  # 03-25 .. 03-31
    assert kept[-7:] == sorted(daily)
    weekly = kept[:-7]
    # the newest copy of each of the 4 weeks before 03-25: the Tuesday 03-24 (its week's days before the dailies),
    # then the Sundays 03-22, 03-15, 03-08
    assert weekly == [datetime(2026, 3, 8, 9), datetime(2026, 3, 15, 9), datetime(2026, 3, 22, 9),
                      datetime(2026, 3, 24, 9)]  # fmt: skip


def test_imports_never_push_out_the_daily_copies() -> None:
    day = datetime(2026, 4, 6, 9, 0)
    taken = [(day, "daily")] + [(day + timedelta(seconds=s), f"before-import-{s}") for s in range(1, 17)]
    kept = _kept(taken, Retention())
    assert (day, "daily") in kept
    assert [r for _, r in kept if r.startswith("before-import")] == [f"before-import-{s}" for s in range(12, 17)]


def test_each_kind_has_its_own_count_and_unknown_reasons_stay() -> None:
    day = datetime(2026, 4, 6, 9, 0)
    taken = (
        [(day + timedelta(minutes=m), "manual") for m in range(8)]
        + [(day + timedelta(hours=h), f"before-migration-v{h}") for h in range(1, 6)]
        + [(day, "from-a-newer-jbdesk")]
    )
    kept = _kept(taken, Retention(manual=2, changes=1))
    assert [r for _, r in kept] == ["from-a-newer-jbdesk", "manual", "manual", "before-migration-v5"]
    assert _kept(taken, Retention(manual=0, changes=0)) == [(day, "from-a-newer-jbdesk"),
                                                            (day + timedelta(hours=5), "before-migration-v5")]  # fmt: skip


def test_the_newest_copy_always_stays() -> None:
    taken = [(datetime(2026, 4, 6, 9, 0), "before-import")]
    assert to_keep(taken, Retention(imports=0)) == {0}


@pytest.mark.parametrize("counts", [{"daily": 0}, {"imports": -1}, {"weekly": 366}])
def test_counts_out_of_range_are_refused_in_korean(counts: dict[str, int]) -> None:
    with pytest.raises(InvalidInputError, match="백업 보관 수는"):
        Retention(**counts)
