"""An export killed half-way, and settling it, so that no sequence number is ever used by two bundles.

Before an export writes a file it commits a reservation (setting ``export_pending``): the sequence number, the file
name, where the copy goes. Its writing transaction starts by rewriting that reservation (``claim``): one statement
that takes the database's write lock, held until the forms are marked 제출됨, the sequence advanced and the
reservation cleared in the same commit. A reservation still there afterwards means that export died; ``settle`` (at
the next start, and before the next export) decides what happened to it:

* a complete copy of the bundle reached the chosen folder (or that folder is gone with its USB stick, so it may
  have): it counts as sent, whatever the kill interrupted. Its forms become 제출됨 and the sequence moves on, so the
  next bundle continues after it (a missing archive copy is restored from the stick's).
* no complete copy left the data folder: the files are removed and the forms stay 작성완료; the next export
  uses the sequence number again, safely, since no bundle carries it.

``settle`` takes the write lock first too, so an export still running in another process is waited for (or, if it
has not begun writing, loses its reservation and stops before writing anything). A note of what was settled stays
for the export page until the next export.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import msgspec

from jbdesk import clock
from jbdesk.bundle.container import Container, Kind, read_container, sha256, verify_members
from jbdesk.bundle.errors import BundleError
from jbdesk.domain.forms import FormKind, FormRef, FormStatus
from jbdesk.domain.periods import Period
from jbdesk.errors import InvalidInputError, JbdeskError, StoreError
from jbdesk.fileio import atomic_write
from jbdesk.i18n import tr
from jbdesk.services import audit
from jbdesk.store import forms as form_store
from jbdesk.store.settings import get_setting, replace_setting, set_setting

if TYPE_CHECKING:
    from jbdesk.services.workspace import Workspace
    from jbdesk.store import Session

log = logging.getLogger(__name__)

PENDING = "export_pending"
NOTE = "export_note"
LIVE: set[str] = set()  # tokens of the exports running in this process (any thread)
_MAX_BUNDLE = 64 * 1024 * 1024


class Reservation(msgspec.Struct, frozen=True, kw_only=True):
    token: str
    pid: int
    sequence: int
    archive: str  # the bundle's file name in the archive folder (exports)
    target: str  # the copy in the folder the clerk chose; "" when that folder is the archive folder
    at: str

    def text(self) -> str:
        return msgspec.json.encode(self).decode("utf-8")


@dataclass(frozen=True)
class Settled:
    completed: bool  # True: the bundle counts as sent; False: its files were removed
    sequence: int
    file_name: str
    message: str  # Korean, for the clerk


def reserve(s: Session, sequence: int, archive: str, target: str) -> Reservation:
    reservation = Reservation(
        token=uuid.uuid4().hex, pid=os.getpid(), sequence=sequence, archive=archive, target=target,
        at=clock.now_iso(),
    )  # fmt: skip
    set_setting(s, PENDING, reservation.text())
    return reservation


def pending(s: Session) -> Reservation | None:
    text = get_setting(s, PENDING)
    if not text:
        return None
    try:
        return msgspec.json.decode(text, type=Reservation)
    except msgspec.DecodeError:
        return Reservation(token="", pid=0, sequence=0, archive="", target="", at="")  # unreadable: still taken


def claim(s: Session, reservation: Reservation) -> None:
    """First statement of the writing transaction: the write lock, and proof the reservation is still this one."""
    if not replace_setting(s, PENDING, reservation.text(), reservation.text()):
        raise StoreError(tr("보내기가 다른 작업과 겹쳐 멈췄습니다. 아무것도 바뀌지 않았으니 다시 보내세요."))


def release(s: Session, reservation: Reservation) -> None:
    """In the writing transaction, with the forms marked: the export is whole. The last settled note goes too."""
    replace_setting(s, PENDING, reservation.text(), None)
    if get_setting(s, NOTE) is not None:
        set_setting(s, NOTE, "")


def abandon(ws: Workspace, reservation: Reservation) -> None:
    """A failed export (its files already removed) gives its reservation back. Best effort: what is left is settled
    at the next start the same way."""
    with contextlib.suppress(JbdeskError), ws.db.transaction() as s:
        replace_setting(s, PENDING, reservation.text(), None)


def notice(ws: Workspace) -> str | None:
    with ws.db.reading() as s:
        return get_setting(s, NOTE) or None


def settle(ws: Workspace) -> Settled | None:
    """Settle an export that was killed half-way (see the module's description); None if there was none."""
    with ws.db.reading() as s:
        text = get_setting(s, PENDING)
    if not text:
        return None
    try:
        reservation: Reservation | None = msgspec.json.decode(text, type=Reservation)
    except msgspec.DecodeError:
        reservation = None
    if reservation is not None and reservation.token in LIVE:
        return None  # this process's own export, on another thread
    try:
        with ws.db.transaction() as s:
            if not replace_setting(s, PENDING, text, text):  # waits for a writer holding the lock
                return None  # finished or settled meanwhile
            if reservation is None:
                replace_setting(s, PENDING, text, None)
                return None
            settled = _settle(ws, s, reservation)
            replace_setting(s, PENDING, text, None)
            set_setting(s, NOTE, settled.message)
            audit.record(
                s, "export_recovered", settled.file_name,
                {"outcome": "completed" if settled.completed else "undone", "sequence": settled.sequence},
            )  # fmt: skip
    except StoreError as exc:  # busy for longer than SQLite waits: the next start settles it
        log.warning("interrupted export not settled now: %s", exc)
        return None
    log.warning("interrupted export %s settled: %s", reservation.archive, settled.message)
    return settled


def _complete(ws: Workspace, path: Path | None, reservation: Reservation) -> tuple[Container, bytes] | None:
    """The bundle at ``path`` if it is whole and is the reserved one."""
    if path is None:
        return None
    try:
        if not path.is_file() or path.stat().st_size > _MAX_BUNDLE:
            return None
        data = path.read_bytes()
        container = read_container(data)
        verify_members(container)
    except (OSError, BundleError):
        return None
    m = container.manifest
    code = ws.info().facility_code
    if m.kind != Kind.DATA or m.sequence != reservation.sequence or m.facility_code != code:
        return None
    return container, data


def _settle(ws: Workspace, s: Session, reservation: Reservation) -> Settled:
    archive = ws.paths.exports / reservation.archive
    target = Path(reservation.target) if reservation.target else None
    found = _complete(ws, archive, reservation) or _complete(ws, target, reservation)
    reached = target is None or target.is_file() or not target.parent.exists()
    if found is not None and reached:
        container, data = found
        if not archive.is_file():
            atomic_write(archive, data)
        _mark_sent(ws, s, container, reservation.archive)
        if reservation.sequence > int(get_setting(s, "bundle_sequence", "0") or 0):
            set_setting(s, "bundle_sequence", str(reservation.sequence))
            set_setting(s, "last_bundle_digest", container.digest)
        message = tr(
            "지난번 보내기가 중간에 끊겼지만 파일은 완성되어 있어 보낸 것으로 처리했습니다: {name} (일련번호 "
            "{sequence}). 이 파일을 본부로 보내세요. 사본은 데이터 폴더의 exports에 있습니다."
        ).format(name=reservation.archive, sequence=reservation.sequence)
        return Settled(True, reservation.sequence, reservation.archive, message)
    for leftover in (archive, target):
        if leftover is not None:
            with contextlib.suppress(OSError):
                leftover.unlink(missing_ok=True)
    message = tr(
        "지난번 보내기가 중간에 끊겨 만들던 파일({name})을 지웠습니다. 보고는 작성완료 상태 그대로이니 다시 보내세요."
    ).format(name=reservation.archive)
    return Settled(False, reservation.sequence, reservation.archive, message)


def _mark_sent(ws: Workspace, s: Session, container: Container, name: str) -> None:
    m = container.manifest
    now = clock.now()
    for entry in m.instances:
        try:
            ref = FormRef(m.facility_code, FormKind(entry.form), Period.parse(entry.period))
        except (ValueError, InvalidInputError):
            continue
        current = form_store.current(s, ref)
        if (
            current is None
            or current.revision != entry.revision
            or current.status is not FormStatus.READY
            or sha256(current.payload) != entry.sha256
        ):
            log.warning("interrupted export: %s %s r%s is no longer as sent", entry.form, entry.period, entry.revision)
            continue
        form_store.update_current(s, ref, status=FormStatus.SUBMITTED, at=now)
        form_store.log_change(
            s, ref, at=now, os_user=audit.os_user(), operator=ws.forms.operator, action="status", field="status",
            old_value=json.dumps(FormStatus.READY.value, ensure_ascii=False),
            new_value=json.dumps(f"{FormStatus.SUBMITTED.value} ({name})", ensure_ascii=False),
        )  # fmt: skip
