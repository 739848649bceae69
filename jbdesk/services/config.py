"""Configuration versions: item lists, accounts, targets and the survey method, each applying from a first day.

A form instance records the version it was entered under and is always judged by that version, so a
new configuration never rewrites or re-judges submitted data; it applies to periods that start on or
after its first day. Head office publishes versions (edited as CSV files); facilities receive them in
provisioning and feedback files.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import msgspec

from jbdesk import clock
from jbdesk.domain.periods import Period
from jbdesk.domain.reference import ReferenceData, load_reference
from jbdesk.errors import InvalidInputError
from jbdesk.resources import resource
from jbdesk.services import audit
from jbdesk.store import Session
from jbdesk.store import config as store

if TYPE_CHECKING:
    from jbdesk.services.workspace import Workspace

ALWAYS = date(2000, 1, 1)  # the first version applies to every period
CSV_FILES = ("safety-items.csv", "survey-items.csv", "budget-accounts.csv", "accounting-checks.csv", "targets.csv")


class ConfigVersion(msgspec.Struct, frozen=True, kw_only=True):
    """One version as it travels in provisioning and feedback files."""

    version: int
    effective_from: date
    note: str = ""
    data: ReferenceData


@dataclass(frozen=True)
class VersionInfo:
    version: int
    effective_from: date
    note: str


class ConfigService:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self._cache: dict[int, ReferenceData] = {}
        self._seeded = False

    def _ensure_seeded(self) -> None:
        """The shipped lists are version 1 wherever no version was stored yet (checked once: versions are only
        ever added, so a database that had one keeps having one; it was a write transaction per access)."""
        if self._seeded:
            return
        with self.ws.db.transaction() as s:
            if not store.versions(s):
                shipped = load_reference(resource("data"), version=1)
                store.put(s, 1, ALWAYS, msgspec.json.encode(shipped), clock.now(), "기본 설정")
        self._seeded = True

    def versions(self) -> list[VersionInfo]:
        self._ensure_seeded()
        with self.ws.db.reading() as s:
            return [VersionInfo(v.version, v.effective_from, v.note) for v in store.versions(s)]

    def get(self, version: int) -> ReferenceData:
        if version not in self._cache:
            self._ensure_seeded()
            with self.ws.db.reading() as s:
                stored = store.get(s, version)
            if stored is None:
                raise InvalidInputError(f"이 PC에 없는 설정 판입니다: {version}판. 본부의 최신 회신 파일을 가져오세요.")
            self._cache[version] = msgspec.json.decode(stored.payload, type=ReferenceData)
        return self._cache[version]

    def for_period(self, period: Period) -> ReferenceData:
        """The newest version whose first day is on or before the period's start."""
        applicable = [v for v in self.versions() if v.effective_from <= period.start]
        return self.get(max(applicable, key=lambda v: v.version).version if applicable else 1)

    def latest(self) -> ReferenceData:
        return self.get(max(v.version for v in self.versions()))

    # travelling ----------------------------------------------------------------------------
    def bundle(self) -> list[ConfigVersion]:
        """Every version, for provisioning and feedback files (a few tens of kilobytes each)."""
        return [
            ConfigVersion(version=v.version, effective_from=v.effective_from, note=v.note, data=self.get(v.version))
            for v in self.versions()
        ]

    def receive(self, s: Session, versions: list[ConfigVersion]) -> list[int]:
        """Store versions this PC does not have yet (inside the caller's transaction); return their numbers."""
        have = {v.version for v in store.versions(s)}
        added = []
        for v in versions:
            if v.version not in have:
                store.put(s, v.version, v.effective_from, msgspec.json.encode(v.data), clock.now(), v.note)
                added.append(v.version)
        self._cache.clear()
        return added

    # head office ---------------------------------------------------------------------------
    def publish_from_csv(self, folder: Path, effective_from: Period, note: str = "") -> VersionInfo:
        """A new version from edited CSV files (the same columns as shipped), for periods from ``effective_from``."""
        from jbdesk.services.workspace import Mode

        self.ws.require_mode(Mode.HQ)
        missing = [name for name in CSV_FILES if not (folder / name).is_file()]
        if missing:
            raise InvalidInputError(f"설정 폴더에 파일이 없습니다: {', '.join(missing)}")
        if effective_from.start <= clock.today():
            raise InvalidInputError(
                "새 설정은 아직 시작하지 않은 기간부터만 적용할 수 있습니다 (제출된 자료는 바꾸지 않음)."
            )
        version = max(v.version for v in self.versions()) + 1
        try:
            data = load_reference(folder, version=version)
        except (KeyError, ValueError) as exc:
            raise InvalidInputError("설정 파일의 열이나 값이 올바르지 않습니다.", detail=str(exc)) from exc
        with self.ws.db.transaction() as s:
            store.put(s, version, effective_from.start, msgspec.json.encode(data), clock.now(), note.strip())
            audit.record(s, "config", f"{version}판", {"from": str(effective_from), "note": note.strip()})
        self._cache.clear()
        self.ws.reload_reference()
        return VersionInfo(version, effective_from.start, note.strip())

    def export_csv(self, folder: Path, version: int | None = None) -> list[Path]:
        """Write a version as the CSV files head office edits (UTF-8 with BOM so Excel shows Korean)."""
        import csv
        import io

        from jbdesk.fileio import atomic_write

        data = self.get(version) if version is not None else self.latest()
        tables: dict[str, tuple[list[str], list[list[object]]]] = {
            "safety-items.csv": (
                ["code", "category_ko", "category_en", "question_ko", "question_en", "response", "default_severity",
                 "applies_to", "basis"],
                [[i.code, i.category, "", i.question, "", i.response, i.default_severity, i.applies_to, i.basis]
                 for i in data.safety_items],
            ),
            "survey-items.csv": (
                ["survey", "code", "dimension_ko", "question_ko", "question_en", "scale_points", "reverse"],
                [[i.survey, i.code, i.dimension, i.question, "", i.scale_points, "yes" if i.reverse else "no"]
                 for i in data.survey_items],
            ),
            "budget-accounts.csv": (
                ["side", "gwan", "hang", "mok", "note"],
                [[a.side, a.gwan, a.hang, a.mok, a.note] for a in data.budget_accounts],
            ),
            "accounting-checks.csv": (
                ["code", "check_ko", "check_en", "kind"],
                [[c.code, c.text, "", c.kind] for c in data.accounting_checks],
            ),
            "targets.csv": (
                ["year", "indicator", "scope", "target", "unit", "basis", "note"],
                [[t.year, t.indicator, t.scope, f"{t.value:g}", t.unit.value, t.basis, t.note] for t in data.targets],
            ),
        }  # fmt: skip
        written = []
        for name, (header, rows) in tables.items():
            buf = io.StringIO()
            writer = csv.writer(buf)
            writer.writerow(header)
            writer.writerows(rows)
            path = folder / name
            atomic_write(path, ("\ufeff" + buf.getvalue()).encode("utf-8"))
            written.append(path)
        return written
