"""The local database: pragmas, migrations that keep data, and refusal of a newer or damaged file."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from jbdesk.errors import SchemaTooNewError, StoreError
from jbdesk.paths import DataPaths
from jbdesk.services.workspace import Workspace
from jbdesk.store import SCHEMA_VERSION, open_database
from jbdesk.store.db import make_engine
from jbdesk.store.migrate import upgrade


def test_connection_pragmas(workspace: Workspace) -> None:
    with workspace.db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
    assert workspace.paths.database.name == "jbdesk.sqlite"
    assert sqlite3.connect(workspace.paths.database).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_foreign_keys_are_enforced(workspace: Workspace) -> None:
    with pytest.raises(Exception, match="FOREIGN KEY"), workspace.db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO facility_event (facility_code, effective, status, note, recorded_at) "
                "VALUES ('NOPE', '2026-01-01', '운영', '', '2026-01-01 00:00:00')"
            )
        )


def test_migration_from_first_revision_keeps_data(tmp_path: Path) -> None:
    """Create the database at revision 0001, fill it as 0.1 would, upgrade to head, find everything."""
    path = tmp_path / "jbdesk.sqlite"
    engine = make_engine(path)
    upgrade(engine, path, from_version=0, to_revision="0001")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO setting (key, value) VALUES ('mode', 'hq'), ('app_version', '0.1.0')"))
        conn.execute(
            text(
                "INSERT INTO facility (code, name, aliases, type, group_name, account, operation, "
                "headcount_authorized, headcount_current, headcount_as_of, features, sort_order) VALUES "
                "('F77', '시험시설', '시험 시설', '유형', '국·공립 시설', '특별회계', '위수탁', 5, 4, '2026-02-01', "
                "'gas', 1)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO facility_event (facility_code, effective, status, note, recorded_at) "
                "VALUES ('F77', '2026-01-01', '운영', '', '2026-01-01 00:00:00')"
            )
        )
    engine.dispose()
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == 1

    ws = Workspace.open(DataPaths(tmp_path))  # applies the remaining migrations at start
    try:
        facility = ws.registry.get("F77")
        assert (facility.name, facility.headcount_authorized, facility.headcount_current) == ("시험시설", 5, 4)
        assert facility.aliases == ("시험 시설",)
        assert [e.status.value for e in facility.events] == ["운영"]
        assert ws.info().mode is not None and ws.info().mode.value == "hq"
    finally:
        ws.close()
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_newer_database_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "jbdesk.sqlite"
    open_database(path, app_version="0.1.0").close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.execute("UPDATE setting SET value='9.0.0' WHERE key='app_version'")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(SchemaTooNewError) as info:
        open_database(path, app_version="0.1.0")
    assert "더 새로운 jbdesk" in info.value.message
    assert "9.0.0" in info.value.message
    assert path.read_bytes() == before


def test_newer_database_cli_message_and_exit_code(tmp_path: Path) -> None:
    path = tmp_path / "jbdesk.sqlite"
    open_database(path, app_version="0.1.0").close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    result = subprocess.run(
        [sys.executable, "-m", "jbdesk", "--data-dir", str(tmp_path), "facilities"],
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    assert result.returncode == 1
    assert "더 새로운 jbdesk" in result.stderr
    assert "업데이트" in result.stderr


def test_damaged_file_gets_a_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "jbdesk.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="손상"):
        open_database(path, app_version="0.1.0")


def test_migration_keeps_entered_forms_and_their_history(tmp_path: Path) -> None:
    """A facility PC at revision 0002 with a form and its history upgrades without losing either."""
    from jbdesk.domain.forms import FormKind, FormRef
    from jbdesk.domain.periods import Period

    path = tmp_path / "jbdesk.sqlite"
    engine = make_engine(path)
    upgrade(engine, path, from_version=0, to_revision="0002")
    engine.dispose()
    payload = '{"rows":[{"job_family":"관리직","authorized":2,"current":1}],"explanations":{}}'
    conn = sqlite3.connect(path)
    conn.executescript(
        "INSERT INTO setting VALUES ('mode', 'facility'), ('facility_code', 'F03');"
        "INSERT INTO facility (code, name, type, group_name, account, operation, headcount_authorized, "
        "headcount_current, headcount_as_of) VALUES ('F03', '전북학대피해노인전용쉼터', '학대피해노인 쉼터', "
        "'국·공립 시설', '특별회계', '위수탁', 6, 6, '2026-02-01');"
    )
    conn.execute(
        "INSERT INTO form_instance (facility_code, form, period, revision, status, config_version, payload, "
        "created_at, updated_at, note) VALUES ('F03', 'staffing', '2026-02', 1, '작성중', 1, ?, "
        "'2026-03-01 09:00:00', '2026-03-01 09:00:00', '')",
        (payload,),
    )
    conn.execute(
        "INSERT INTO change_log (instance_id, at, os_user, operator, action, field, old_value, new_value) "
        "VALUES (1, '2026-03-01 09:00:00', 'clerk', '김담당', 'edit', 'rows/0/current', 'null', '1')"
    )
    conn.commit()
    conn.close()

    with Workspace.open(DataPaths(tmp_path)) as ws:
        ref = FormRef("F03", FormKind.STAFFING, Period.parse("2026-02"))
        view = ws.forms.get(ref)
        assert view is not None and view.data.rows[0].current == 1
        history = ws.forms.history(ref)
        assert [(h.operator, h.field, h.new_value) for h in history] == [("김담당", "rows/0/current", "1")]
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert list((tmp_path / "backups").glob("*before-migration-v2*.sqlite"))  # a copy was kept first
