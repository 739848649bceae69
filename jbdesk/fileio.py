"""Writing files so that a crash, a full disk or a pulled USB stick never leaves half a file behind."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import time
from pathlib import Path

from jbdesk.errors import JbdeskError

# atomic_write's temp file: ".{target name}.{writer's pid}.tmp" in the target's folder.
_TEMP = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.tmp$")
STALE_AFTER = 3600.0  # seconds: a temp file this old is stale even when its writer's pid is in use again
_writing: set[str] = set()  # names of this process's temp files being written right now (any thread)


class FileWriteError(JbdeskError):
    """A file could not be written; the target was left as it was."""


def _message(exc: OSError, path: Path) -> str:
    if exc.errno == errno.ENOSPC:
        return f"저장 공간이 부족합니다. 다른 저장 장치를 고르거나 공간을 비운 뒤 다시 하세요. ({path.parent})"
    if exc.errno == errno.EROFS:
        return f"읽기 전용 저장 장치입니다. 쓰기 가능한 폴더를 고르세요. ({path.parent})"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return f"이 폴더에 쓸 권한이 없습니다. ({path.parent})"
    if exc.errno in (errno.ENOENT, errno.ENODEV, errno.EIO, errno.ENXIO):
        return f"저장 장치를 찾을 수 없습니다. USB가 빠졌는지 확인하세요. ({path.parent})"
    return f"파일을 쓸 수 없습니다. ({path})"


PRIVATE_FILE = 0o600  # the database, backups, logs, keys: readable by this user only (POSIX)
PRIVATE_DIR = 0o700


def private_dir(path: Path) -> Path:
    """Create ``path`` (and its parents) if needed and make it this user's only (POSIX; Windows keeps its ACLs).
    A folder that cannot be created raises ``OSError`` as ``mkdir`` does; one whose mode cannot be changed (another
    owner) is left as it is."""
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    with contextlib.suppress(OSError):
        if os.name == "posix" and path.stat().st_mode & 0o777 != PRIVATE_DIR:
            os.chmod(path, PRIVATE_DIR)
    return path


def private_file(path: Path) -> Path:
    """Create ``path`` empty if it does not exist, and make it this user's only (POSIX). SQLite gives its -wal and
    -shm files the mode of the database file, so a database made private here stays private whole.

    Best effort: a file that cannot be created or changed (a read-only folder, another owner) is left to whoever
    opens it next, which reports the real cause."""
    with contextlib.suppress(OSError):
        if not path.exists():
            with contextlib.suppress(FileExistsError):
                os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))
        if os.name == "posix" and path.stat().st_mode & 0o777 != PRIVATE_FILE:
            os.chmod(path, PRIVATE_FILE)
    return path


def temp_path(path: Path) -> Path:
    """Where ``atomic_write`` puts ``path``'s bytes before the replace (same folder, hidden, this process's pid)."""
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


def atomic_write(path: Path, data: bytes, *, create_parent: bool = True, mode: int | None = None) -> None:
    """Temp file in the same folder, fsync, then ``os.replace``: the target is either old or complete.

    The new file gets ``mode`` when given, else the mode of the file it replaces (a private file stays private: the
    temp file is made with the process's default mode, and ``os.replace`` would have given the target that one).

    On any failure the temp file is removed and ``FileWriteError`` carries a Korean message naming the cause
    (full disk, read-only device, no permission, device gone). ``create_parent=False`` is for folders the user
    chose (a USB stick): a folder that vanished means the stick was pulled, and re-creating its path would put
    the file on the internal disk under the stick's old mount point.
    """
    tmp = temp_path(path)
    _writing.add(tmp.name)
    try:
        if create_parent:
            path.parent.mkdir(parents=True, exist_ok=True)
        keep = mode if mode is not None else _mode_of(path)
        with open(tmp, "wb") as fh:
            if keep is not None and os.name == "posix":
                os.chmod(tmp, keep)
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise FileWriteError(_message(exc, path), detail=f"{type(exc).__name__}: {exc}") from exc
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise
    finally:
        _writing.discard(tmp.name)


def _mode_of(path: Path) -> int | None:
    try:
        return path.stat().st_mode & 0o777
    except OSError:  # not there yet (or not readable): the default mode
        return None


def _writer_alive(pid: int) -> bool:
    if os.name != "posix":
        return True  # os.kill(pid, 0) would terminate the process on Windows: only the age rule applies there
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (OSError, OverflowError):  # another user's process (EPERM), or a pid no process can have
        return True
    return True


def remove_stale_temps(folder: Path, prefix: str = "") -> list[Path]:
    """Remove temp files ``atomic_write`` left in ``folder`` when its process was killed mid-write.

    Only names of atomic_write's form whose target name starts with ``prefix`` are considered (a USB stick's
    other files are never touched), and only when the writing process is gone or the file is older than
    ``STALE_AFTER``. Best effort: a folder that cannot be listed or a file that cannot be removed is skipped.
    Returns what was removed.
    """
    removed: list[Path] = []
    try:
        candidates = list(folder.iterdir())
    except OSError:
        return removed
    now = time.time()
    for p in candidates:
        m = _TEMP.match(p.name)
        if m is None or not m["name"].startswith(prefix):
            continue
        try:
            if not p.is_file():
                continue
            pid = int(m["pid"])
            if pid == os.getpid():
                stale = p.name not in _writing  # ours, and no write of this process is under way: left by a failure
            else:
                stale = now - p.stat().st_mtime > STALE_AFTER or not _writer_alive(pid)
            if stale:
                p.unlink()
                removed.append(p)
        except OSError:
            continue
    return removed
