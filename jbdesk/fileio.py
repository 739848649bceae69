"""Writing files so that a crash, a full disk or a pulled USB stick never leaves half a file behind."""

from __future__ import annotations

import contextlib
import errno
import os
from pathlib import Path

from jbdesk.errors import JbdeskError


class FileWriteError(JbdeskError):
    """A file could not be written; the target was left as it was."""


def _message(exc: OSError, path: Path) -> str:
    if exc.errno == errno.ENOSPC:
        return f"저장 공간이 부족합니다. 다른 저장 장치를 고르거나 공간을 비운 뒤 다시 하세요. ({path.parent})"
    if exc.errno == errno.EROFS:
        return f"읽기 전용 저장 장치입니다. 쓰기 가능한 폴더를 고르세요. ({path.parent})"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return f"이 폴더에 쓸 권한이 없습니다. ({path.parent})"
    if exc.errno in (errno.ENOENT, errno.ENODEV, errno.EIO):
        return f"저장 장치를 찾을 수 없습니다. USB가 빠졌는지 확인하세요. ({path.parent})"
    return f"파일을 쓸 수 없습니다. ({path})"


def atomic_write(path: Path, data: bytes) -> None:
    """Temp file in the same folder, fsync, then ``os.replace``: the target is either old or complete."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise FileWriteError(_message(exc, path), detail=f"{type(exc).__name__}: {exc}") from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
