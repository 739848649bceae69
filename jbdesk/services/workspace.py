"""A workspace is one data dir opened: its database, its mode (facility PC or head office), its services."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import msgspec

from jbdesk import __version__
from jbdesk.domain.facilities import load_seed_facilities
from jbdesk.domain.reference import ReferenceData
from jbdesk.domain.retention import Retention
from jbdesk.errors import InvalidInputError, ModeError, NotFoundError
from jbdesk.paths import DataPaths
from jbdesk.resources import resource
from jbdesk.services.mode import Mode
from jbdesk.store import Database, open_database
from jbdesk.store import registry as registry_store
from jbdesk.store.backup import BackupFile
from jbdesk.store.settings import get_setting, set_setting

if TYPE_CHECKING:  # services import each other lazily (start-up stays lean); the types are for mypy only
    from jbdesk.services.config import ConfigService
    from jbdesk.services.consolidation import ConsolidationService
    from jbdesk.services.export import ExportService
    from jbdesk.services.feedback import FeedbackService
    from jbdesk.services.forms import FormService
    from jbdesk.services.importer import ImportService
    from jbdesk.services.recovery import RecoveryService
    from jbdesk.services.registry import RegistryService
    from jbdesk.services.review import ReviewService
    from jbdesk.services.trust import TrustService

__all__ = ["Mode", "Workspace", "WorkspaceInfo"]


@dataclass(frozen=True)
class WorkspaceInfo:
    mode: Mode | None
    facility_code: str | None
    facility_name: str | None
    data_dir: Path
    database: Path
    app_version: str

    @property
    def configured(self) -> bool:
        return self.mode is not None


class Workspace:
    """Open with ``Workspace.open(paths)``; close when done. Services hang off it."""

    def __init__(self, paths: DataPaths, db: Database) -> None:
        self.paths = paths
        self.db = db

    @classmethod
    def open(cls, paths: DataPaths) -> Workspace:
        from jbdesk.services import backup

        paths.ensure()
        backup.require_healthy(paths)  # a damaged file is never worked on: the caller offers a backup
        db = open_database(paths.database, app_version=__version__)
        ws = cls(paths, db)
        ws._seed_registry_if_empty()
        if backup.daily_due(paths):
            ws.backup("daily")
        if ws.mode is Mode.FACILITY:  # an export killed half-way is settled before anything else is done
            from jbdesk.services import interrupted_export

            interrupted_export.settle(ws)
        return ws

    @property
    def backup_retention(self) -> Retention:
        """How many backups of each kind to keep (setting ``backup_retention``; ``Retention()`` by default)."""
        with self.db.reading() as s:
            value = get_setting(s, "backup_retention")
        try:
            return Retention(**msgspec.json.decode(value or "{}", type=dict[str, int]))
        except (msgspec.DecodeError, TypeError, InvalidInputError):  # a setting from another version: the default
            return Retention()

    def set_backup_retention(self, retention: Retention) -> None:
        with self.db.transaction() as s:
            set_setting(s, "backup_retention", msgspec.json.encode(retention.counts()).decode("utf-8"))

    def backup(self, reason: str = "manual") -> BackupFile:
        """A copy of the database now (its audit log's head signed first, so the copy holds the anchor), then the
        copies the retention no longer keeps are removed."""
        from jbdesk.services import audit_anchor, backup

        audit_anchor.make(self, "backup")
        return backup.backup_now(self.paths, reason, self.backup_retention)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # mode ---------------------------------------------------------------------------
    def info(self) -> WorkspaceInfo:
        with self.db.reading() as s:
            mode_text = get_setting(s, "mode")
            code = get_setting(s, "facility_code")
            facility = registry_store.get_facility(s, code) if code else None
        return WorkspaceInfo(
            mode=Mode(mode_text) if mode_text else None,
            facility_code=code,
            facility_name=facility.name if facility else None,
            data_dir=self.paths.root,
            database=self.paths.database,
            app_version=__version__,
        )

    @property
    def mode(self) -> Mode | None:
        return self.info().mode

    def set_head_office(self) -> WorkspaceInfo:
        self._check_mode_unset(Mode.HQ, None)
        with self.db.transaction() as s:
            set_setting(s, "mode", Mode.HQ.value)
        return self.info()

    def set_facility(self, code: str) -> WorkspaceInfo:
        """Make this PC the workstation of one facility; it keeps only that facility's record."""
        code = code.strip().upper()
        self._check_mode_unset(Mode.FACILITY, code)
        with self.db.transaction() as s:
            if registry_store.get_facility(s, code) is None:
                raise NotFoundError(f"등록되지 않은 시설 코드입니다: {code}")
            registry_store.delete_facilities_except(s, code)
            set_setting(s, "mode", Mode.FACILITY.value)
            set_setting(s, "facility_code", code)
        return self.info()

    def require_mode(self, mode: Mode) -> WorkspaceInfo:
        info = self.info()
        if info.mode is not mode:
            where = "본부" if mode is Mode.HQ else "시설"
            raise ModeError(f"이 작업은 {where} PC에서만 할 수 있습니다. (현재: {_mode_text(info.mode)})")
        return info

    def _check_mode_unset(self, wanted: Mode, code: str | None) -> None:
        info = self.info()
        if info.mode is None or (info.mode is wanted and info.facility_code == code):
            return
        raise ModeError(
            f"이 PC는 이미 {_mode_text(info.mode)}{' ' + info.facility_code if info.facility_code else ''} "
            "용으로 설정되어 있습니다. 다른 용도로 쓰려면 새 데이터 폴더를 사용하세요."
        )

    # shared data --------------------------------------------------------------------
    @cached_property
    def config(self) -> ConfigService:
        from jbdesk.services.config import ConfigService

        return ConfigService(self)

    @property
    def reference(self) -> ReferenceData:
        """The newest configuration version (forms use the version of their own period: ``config.for_period``)."""
        return self.config.latest()

    def reload_reference(self) -> None:
        self.__dict__.pop("config", None)

    @cached_property
    def trust(self) -> TrustService:
        from jbdesk.services.trust import TrustService

        return TrustService(self)

    @cached_property
    def exports(self) -> ExportService:
        from jbdesk.services.export import ExportService

        return ExportService(self)

    @cached_property
    def imports(self) -> ImportService:
        from jbdesk.services.importer import ImportService

        return ImportService(self)

    @cached_property
    def registry(self) -> RegistryService:
        from jbdesk.services.registry import RegistryService

        return RegistryService(self)

    @cached_property
    def forms(self) -> FormService:
        from jbdesk.services.forms import FormService

        return FormService(self)

    @cached_property
    def consolidation(self) -> ConsolidationService:
        """Head-office views and reports."""
        from jbdesk.services.consolidation import ConsolidationService

        return ConsolidationService(self)

    @cached_property
    def feedback(self) -> FeedbackService:
        from jbdesk.services.feedback import FeedbackService

        return FeedbackService(self)

    @cached_property
    def recovery(self) -> RecoveryService:
        from jbdesk.services.recovery import RecoveryService

        return RecoveryService(self)

    @cached_property
    def reviews(self) -> ReviewService:
        from jbdesk.services.review import ReviewService

        return ReviewService(self)

    def _seed_registry_if_empty(self) -> None:
        with self.db.transaction() as s:
            if get_setting(s, "mode") is None and registry_store.count_facilities(s) == 0:
                for facility in load_seed_facilities(resource("data", "facilities.csv")):
                    registry_store.save_facility(s, facility)


def _mode_text(mode: Mode | None) -> str:
    return "미설정" if mode is None else mode.label
