"""Opening the local database: pragmas at connect, schema version check, migrations, transactions."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import OperationalError

# Session is re-exported as ``jbdesk.store.Session``: the type of a database session in the layers above store,
# which pass it to store functions and never use SQLAlchemy themselves.
from sqlalchemy.orm import Session as Session
from sqlalchemy.orm import sessionmaker

from jbdesk.errors import SchemaTooNewError, StoreError
from jbdesk.fileio import private_file

# PRAGMA user_version written by the newest migration this jbdesk knows (see migrations/versions).
SCHEMA_VERSION = 5


def _on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    # FULL: office PCs are switched off at the wall; a committed edit must survive power loss.
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.close()


def read_schema_version(path: Path) -> int:
    """PRAGMA user_version of the file, without SQLAlchemy (cheap: runs at every start)."""
    if not path.exists():
        return 0
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return int(conn.execute("PRAGMA user_version").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise StoreError(
            "데이터 파일을 열 수 없습니다. 파일이 손상되었거나 jbdesk 데이터가 아닙니다.", detail=f"{path}: {exc}"
        ) from exc


def _written_by(path: Path) -> str:
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = conn.execute("SELECT value FROM setting WHERE key='app_version'").fetchone()
            return row[0] if row else "?"
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return "?"


class Database:
    """One SQLite file. ``transaction()`` is the only way to write: one user action, one commit."""

    def __init__(self, path: Path, engine: Engine) -> None:
        self.path = path
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        session = self._sessions()
        try:
            with session.begin():
                yield session
        except OperationalError as exc:
            raise _store_error(exc) from exc
        finally:
            session.close()

    @contextmanager
    def reading(self) -> Iterator[Session]:
        session = self._sessions()
        try:
            yield session
        except OperationalError as exc:
            raise _store_error(exc) from exc
        finally:
            session.rollback()
            session.close()

    def close(self) -> None:
        self.engine.dispose()


def _store_error(exc: OperationalError) -> StoreError:
    text = str(exc.orig) if exc.orig is not None else str(exc)
    if "locked" in text or "busy" in text:
        return StoreError("데이터 파일을 다른 프로그램이 사용 중입니다. 잠시 후 다시 시도하세요.", detail=text)
    if "disk" in text and ("full" in text or "I/O" in text):
        return StoreError(
            "디스크 공간이 부족하거나 저장 장치에 쓸 수 없습니다. 입력한 내용은 저장되지 않았습니다.", detail=text
        )
    if "readonly" in text or "read-only" in text:
        return StoreError("데이터 폴더에 쓸 수 없습니다 (읽기 전용).", detail=text)
    return StoreError("데이터 파일을 읽거나 쓰는 중 오류가 났습니다.", detail=text)


def make_engine(path: Path) -> Engine:
    # Long work (import, export) runs on a worker thread; the pool hands each connection to one thread at a time.
    engine = create_engine(f"sqlite:///{path}", connect_args={"check_same_thread": False})
    event.listen(engine, "connect", _on_connect)
    return engine


def open_database(path: Path, *, app_version: str) -> Database:
    """Open (creating if needed) and migrate the database at ``path``; refuse one from a newer jbdesk."""
    path.parent.mkdir(parents=True, exist_ok=True)
    found = read_schema_version(path)
    if found > SCHEMA_VERSION:
        raise SchemaTooNewError(
            f"이 데이터는 더 새로운 jbdesk(버전 {_written_by(path)}, 스키마 {found})로 작성되었습니다. "
            f"이 프로그램(스키마 {SCHEMA_VERSION})으로는 열 수 없습니다. jbdesk를 최신 버전으로 업데이트하세요.",
            detail=str(path),
        )
    # Created here, before SQLite would create it with the default mode (its -wal and -shm take the database's
    # mode); one an older jbdesk left readable by others becomes this user's only.
    for suffix in ("", "-wal", "-shm"):
        if not suffix or path.with_name(path.name + suffix).exists():
            private_file(path.with_name(path.name + suffix))
    engine = make_engine(path)
    if found < SCHEMA_VERSION:
        from jbdesk.store.migrate import upgrade  # alembic is imported only when a migration is due

        upgrade(engine, path, from_version=found)
    db = Database(path, engine)
    _record_app_version(db, app_version)
    return db


def _record_app_version(db: Database, app_version: str) -> None:
    from jbdesk.store.models import Setting

    with db.transaction() as s:
        row = s.get(Setting, "app_version")
        if row is None:
            s.add(Setting(key="app_version", value=app_version))
        elif row.value != app_version:
            row.value = app_version
