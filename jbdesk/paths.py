"""Where jbdesk keeps its data: platformdirs by default, overridden by --data-dir or JBDESK_HOME."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ENV_HOME = "JBDESK_HOME"
DB_FILENAME = "jbdesk.sqlite"


@dataclass(frozen=True)
class DataPaths:
    """Every location under one data dir. Nothing else in jbdesk builds data paths by hand."""

    root: Path

    @property
    def database(self) -> Path:
        return self.root / DB_FILENAME

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def keys(self) -> Path:
        return self.root / "keys"

    @property
    def exports(self) -> Path:
        return self.root / "exports"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def ui_settings(self) -> Path:
        return self.root / "ui.ini"

    @property
    def audit_anchor(self) -> Path:
        """The newest signed head of the audit log, kept outside the database (services/audit_anchor.py)."""
        return self.root / "audit-anchor.json"

    def ensure(self) -> DataPaths:
        """Create the data dir, readable by this user only (POSIX). An existing folder is tightened too when it is
        empty or known to be jbdesk's (it holds the database: an older jbdesk made it 0755); any other existing
        folder someone pointed ``--data-dir`` at is left as it is."""
        from jbdesk.fileio import private_dir

        if not self.root.exists() or self.database.exists() or not any(self.root.iterdir()):
            private_dir(self.root)
        return self


def default_data_dir() -> Path:
    from platformdirs import user_data_dir  # platformdirs is small; imported here to keep this module trivial

    return Path(user_data_dir("jbdesk", appauthor=False, roaming=False))


def resolve_data_dir(cli_value: str | os.PathLike[str] | None = None) -> DataPaths:
    """--data-dir wins over JBDESK_HOME, which wins over the platform default."""
    if cli_value:
        root = Path(cli_value)
    elif os.environ.get(ENV_HOME):
        root = Path(os.environ[ENV_HOME])
    else:
        root = default_data_dir()
    return DataPaths(root.expanduser().resolve())
