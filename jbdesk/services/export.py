"""Facility export: the ready form instances go into one signed bundle; they become 제출됨 in the same step."""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from jbdesk import __version__, clock
from jbdesk.bundle.container import (
    FORMAT,
    FORMAT_VERSION,
    Container,
    InstanceEntry,
    Kind,
    Manifest,
    now_iso,
    sha256,
    write_container,
)
from jbdesk.bundle.keys import PublicKey, SigningKey
from jbdesk.domain.forms import FORMS, FormKind, FormRef, FormStatus, InstanceRecord
from jbdesk.domain.periods import Period
from jbdesk.errors import FormStateError, JbdeskError, ModeError
from jbdesk.fileio import atomic_write, remove_stale_temps
from jbdesk.i18n import tr
from jbdesk.services import audit, audit_anchor
from jbdesk.services import interrupted_export as interrupted
from jbdesk.store import SCHEMA_VERSION, Session
from jbdesk.store import forms as form_store
from jbdesk.store.settings import get_setting, set_setting

if TYPE_CHECKING:
    from jbdesk.services.workspace import Workspace


@dataclass(frozen=True)
class ExportResult:
    path: Path
    archive_copy: Path
    digest: str
    sequence: int
    instances: tuple[tuple[FormRef, int], ...]  # (instance, revision)
    size: int


def member_name(record: InstanceRecord) -> str:
    return f"data/{record.ref.form.value}_{record.ref.period}_r{record.revision}.json"


class ExportService:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    def _facility(self) -> str:
        from jbdesk.services.workspace import Mode

        info = self.ws.require_mode(Mode.FACILITY)
        assert info.facility_code is not None
        return info.facility_code

    def ready(self, period: Period | None = None) -> list[InstanceRecord]:
        """What the next export would carry: every 작성완료 instance (of ``period`` when given), oldest first.

        A monthly budget check needs its year's budget at head office: a ready budget of that year rides
        along even when another period was asked for.
        """
        code = self._facility()
        with self.ws.db.reading() as s:
            current = form_store.current_for_facility(s, code)
        ready = [r for r in current if r.status is FormStatus.READY]
        if period is not None:
            chosen = [r for r in ready if r.ref.period == period]
            years = {r.ref.period.year for r in chosen if r.ref.form is FormKind.BUDGET}
            chosen += [r for r in ready if r.ref.form is FormKind.BUDGET_PLAN and r.ref.period.year in years]
            ready = chosen
        return sorted(set(ready), key=lambda r: (r.ref.period.start, r.ref.form.value))

    def _check_dependencies(self, records: list[InstanceRecord], current: dict[FormRef, InstanceRecord]) -> None:
        sending = {r.ref for r in records}
        for r in records:
            if r.ref.form is not FormKind.BUDGET:
                continue
            plan_ref = FormRef(r.ref.facility_code, FormKind.BUDGET_PLAN, Period.of_year(r.ref.period.year))
            plan = current.get(plan_ref)
            if plan_ref not in sending and (plan is None or plan.status in (FormStatus.DRAFT, FormStatus.RETURNED)):
                raise FormStateError(
                    f"{r.ref.label}을(를) 보내려면 {r.ref.period.year}년 연간 예산을 먼저 작성완료하세요."
                )

    def export(self, out_dir: Path, period: Period | None = None, passphrase: str | None = None) -> ExportResult:
        """Sign the ready forms into one bundle, write it to ``out_dir`` and to the archive folder, then mark them
        제출됨 and advance the sequence.

        Three steps, so that no kill, power cut or failure ever leaves two bundles with one sequence number
        (``jbdesk.services.interrupted_export``): the sequence and file names are reserved in a committed
        transaction; the files are written inside a second transaction that first takes the database's write lock
        and proves the reservation is still its own; that transaction marks the forms and clears the reservation.
        A failure takes the files back; a kill leaves the reservation, which the next start settles.
        """
        code = self._facility()
        hq = self.ws.trust.hq_identity()
        if hq is None:
            raise ModeError("본부에서 받은 설정 파일로 먼저 설정하세요 (jbdesk facility setup).")
        key = self.ws.trust.facility_key(passphrase)
        records = self._ready_after_settling(period)
        remove_stale_temps(out_dir, "jbdesk-")  # half-written temp files of an export that was killed
        remove_stale_temps(self.ws.paths.exports)
        now = clock.now()
        reservation = self._reserve(code, out_dir, now)
        interrupted.LIVE.add(reservation.token)
        written: list[Path] = []  # removed again if anything fails, the commit included
        try:
            with self.ws.db.transaction() as s:
                container, data, records = self._write(
                    s, reservation, key, hq.public_key, records, out_dir, now, written
                )
        except BaseException:
            # The files were written before the commit (if writing fails nothing is marked 제출됨); if the commit
            # then fails, a complete bundle the facility does not count as sent would share its sequence number
            # with the next export, which head office reports as a fork: take them back too, then the reservation.
            for leftover in written:
                with contextlib.suppress(OSError):  # a pulled stick fails here too: keep the first error
                    leftover.unlink(missing_ok=True)
            interrupted.abandon(self.ws, reservation)
            raise
        finally:
            interrupted.LIVE.discard(reservation.token)
        audit_anchor.make(self.ws, "export", key)
        archive, target = written[0], written[-1]
        return ExportResult(
            target, archive, container.digest, reservation.sequence, tuple((r.ref, r.revision) for r in records),
            len(data),
        )  # fmt: skip

    def _write(
        self, s: Session, reservation: interrupted.Reservation, key: SigningKey, hq_key: str,
        records: list[InstanceRecord], out_dir: Path, now: datetime, written: list[Path],
    ) -> tuple[Container, bytes, list[InstanceRecord]]:  # fmt: skip
        """Inside the export's transaction: the write lock, the files (each added to ``written`` before it is
        written), the forms 제출됨, the sequence advanced, the reservation cleared."""
        interrupted.claim(s, reservation)  # the write lock, held while the files are written
        code = records[0].ref.facility_code
        current = {r.ref: r for r in form_store.current_for_facility(s, code)}
        records = [current[r.ref] for r in records if current[r.ref].status is FormStatus.READY]
        if not records:
            raise FormStateError(tr("보낼 보고가 없습니다. 보고를 작성완료한 뒤 보내세요."))
        self._check_dependencies(records, current)
        prev = get_setting(s, "last_bundle_digest", "") or ""
        members = {member_name(r): r.payload for r in records}
        manifest = self._manifest(code, key.public, hq_key, reservation.sequence, prev, records)
        name = reservation.archive
        archive = self.ws.paths.exports / name
        target = out_dir / name
        written += [archive, target]  # both names are new (checked when reserved)
        # Written before the commit: if writing fails nothing is marked 제출됨; the archive copy lets the clerk send
        # the same file again if the stick is lost.
        container = write_container(archive, manifest, members, key)
        data = archive.read_bytes()
        if target.resolve() != archive.resolve():
            atomic_write(target, data, create_parent=False)  # a vanished folder is a pulled USB stick
        self._mark_submitted(s, records, name, now)
        set_setting(s, "bundle_sequence", str(reservation.sequence))
        set_setting(s, "last_bundle_digest", container.digest)
        interrupted.release(s, reservation)
        audit.record(
            s, "export", name,
            {"sequence": reservation.sequence, "digest": container.digest,
             "instances": [f"{r.ref.form.value} {r.ref.period} {r.revision}" for r in records]},
        )  # fmt: skip
        return container, data, records

    def _ready_after_settling(self, period: Period | None) -> list[InstanceRecord]:
        """What goes, once an earlier export killed half-way is settled; nothing ready is a refusal (naming the
        settled bundle when that is where the forms went)."""
        settled = interrupted.settle(self.ws)
        records = self.ready(period)
        if not records:
            if settled is not None and settled.completed:
                raise FormStateError(settled.message)
            raise FormStateError(tr("보낼 보고가 없습니다. 보고를 작성완료한 뒤 보내세요."))
        return records

    def _manifest(
        self, code: str, key: PublicKey, hq_key: str, sequence: int, prev: str, records: list[InstanceRecord]
    ) -> Manifest:
        entries = [
            InstanceEntry(
                form=r.ref.form.value, period=str(r.ref.period), revision=r.revision,
                status=FormStatus.SUBMITTED.value, config_version=r.config_version, member=member_name(r),
                sha256=sha256(r.payload), note=r.note,
            )
            for r in records
        ]  # fmt: skip
        return Manifest(
            format=FORMAT, format_version=FORMAT_VERSION, kind=Kind.DATA, facility_code=code, signer="facility",
            key_fingerprint=key.fingerprint, hq_fingerprint=PublicKey.from_hex(hq_key).fingerprint,
            sequence=sequence, prev_digest=prev, created_at=now_iso(),
            app_version=__version__, schema_version=SCHEMA_VERSION, config_version=self.ws.reference.version,
            instances=entries,
        )  # fmt: skip

    def _free_name(self, out_dir: Path, code: str, sequence: int, now: datetime) -> str:
        """The bundle's file name, new in both folders: a restored backup re-using a sequence number must never
        overwrite an earlier file."""
        name = f"jbdesk-{code}-{sequence:04d}-{now:%Y%m%d-%H%M%S}.jbd"
        n = 2
        while (out_dir / name).exists() or (self.ws.paths.exports / name).exists():
            name = f"jbdesk-{code}-{sequence:04d}-{now:%Y%m%d-%H%M%S}-{n}.jbd"
            n += 1
        return name

    def _mark_submitted(self, s: Session, records: list[InstanceRecord], name: str, now: datetime) -> None:
        for r in records:
            form_store.update_current(s, r.ref, status=FormStatus.SUBMITTED, at=now)
            form_store.log_change(
                s, r.ref, at=now, os_user=self.ws.forms._os_user(), operator=self.ws.forms.operator,
                action="status", field="status", old_value=json.dumps(FormStatus.READY.value, ensure_ascii=False),
                new_value=json.dumps(f"{FormStatus.SUBMITTED.value} ({name})", ensure_ascii=False),
            )  # fmt: skip

    def _reserve(self, code: str, out_dir: Path, now: datetime) -> interrupted.Reservation:
        """The next sequence number and the bundle's file name, committed before any file is written."""
        with self.ws.db.transaction() as s:
            if interrupted.pending(s) is not None:
                raise FormStateError(
                    tr("다른 창이나 프로그램에서 보내기를 하는 중입니다. 그 보내기가 끝난 뒤 다시 하세요.")
                )
            sequence = int(get_setting(s, "bundle_sequence", "0") or 0) + 1
            name = self._free_name(out_dir, code, sequence, now)
            target = out_dir / name
            same = target.resolve() == (self.ws.paths.exports / name).resolve()
            return interrupted.reserve(s, sequence, name, "" if same else str(target))

    def notice(self) -> str | None:
        """What the start-up found of an export killed half-way (shown once on the export page), if anything."""
        return interrupted.notice(self.ws)

    def describe(self, records: list[InstanceRecord]) -> list[str]:
        return [f"{FORMS[r.ref.form].label} {r.ref.period.label} ({r.revision}판)" for r in records]


def ensure_dir(path: Path) -> Path:
    if not path.exists():
        try:
            path.mkdir(parents=True)
        except OSError as exc:
            raise JbdeskError(f"폴더를 만들 수 없습니다: {path}", detail=str(exc)) from exc
    if not path.is_dir():
        raise JbdeskError(f"폴더가 아닙니다: {path}")
    return path
