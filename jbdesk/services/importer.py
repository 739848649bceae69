"""Head office import: verify each bundle defensively, then merge it in one transaction; every attempt is logged.

Order (docs/bundle-format.md): limits and names → manifest → enrolled key of the claimed facility →
signature → member digests → payload schemas → the entry validation rules → merge. Nothing is written
before all checks pass; a refusal leaves the merged data exactly as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import msgspec

from jbdesk import clock
from jbdesk.bundle.container import Container, Kind, read_container, verify_members, verify_signature
from jbdesk.bundle.errors import BundleError, Reason
from jbdesk.bundle.keys import PublicKey
from jbdesk.domain.facilities import Facility
from jbdesk.domain.forms import FORMS, FormKind, FormRef, FormStatus, InstanceRecord
from jbdesk.domain.periods import Period
from jbdesk.domain.validation import Problem
from jbdesk.errors import FormStateError, InvalidInputError, NotFoundError
from jbdesk.services import audit
from jbdesk.services.form_types import HANDLERS, FormContext
from jbdesk.store import Session
from jbdesk.store import forms as form_store
from jbdesk.store import registry as registry_store
from jbdesk.store import trust as store
from jbdesk.store.trust import EnrolledKey

if TYPE_CHECKING:
    from jbdesk.services.workspace import Workspace


class Outcome(StrEnum):
    ACCEPTED = "accepted"
    ALREADY = "already_imported"
    STALE = "stale"
    REFUSED = "refused"
    CONFLICT = "conflict"

    @property
    def label(self) -> str:
        return {
            "accepted": "접수",
            "already_imported": "이미 가져옴",
            "stale": "이전 판(기록만)",
            "refused": "거부",
            "conflict": "충돌(거부)",
        }[self.value]

    @property
    def ok(self) -> bool:
        return self in (Outcome.ACCEPTED, Outcome.ALREADY, Outcome.STALE)


class InstanceState(StrEnum):
    CURRENT = "current"  # the highest revision now
    STALE = "stale"  # older than what head office already holds: kept as history
    SAME = "same"  # this exact revision was already here


@dataclass(frozen=True)
class ImportResult:
    file_name: str
    outcome: Outcome
    message: str
    reason: str = ""
    facility_code: str = ""
    sequence: int = 0
    digest: str = ""
    instances: tuple[tuple[str, str, int, str], ...] = ()  # (form label, period label, revision, state)
    notes: tuple[str, ...] = field(default_factory=tuple)
    # The refusal's detail, e.g. which entry rules an `invalid` bundle broke ("· 월별 인력 현황 2026년 4월: 직접고용
    # 인원이 현원(2)보다 많습니다."). It used to be dropped, leaving head office with "n건" and no way to tell which.
    detail: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.file_name,
            "outcome": self.outcome.value,
            "reason": self.reason,
            "message": self.message,
            "facility": self.facility_code,
            "sequence": self.sequence,
            "digest": self.digest,
            "instances": [{"form": f, "period": p, "revision": r, "state": st} for f, p, r, st in self.instances],
            "notes": list(self.notes),
            "detail": self.detail,
        }


@dataclass(frozen=True)
class _Incoming:
    record: InstanceRecord
    data: Any
    digest: str


Progress = Callable[[int, int, str], None]


class _Batch:
    """What one import (a batch of files) looks up once instead of per bundle: the reference data, head office's
    own key, each facility's record and enrolled keys, and the current payload of every instance of a facility
    (read in one query on its first bundle, kept up to date as bundles merge). Dropped when the import ends."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.reference = ws.reference
        self.today = ws.forms.today
        own = ws.trust.hq_identity()
        self.hq_fingerprint = PublicKey.from_hex(own.public_key).fingerprint if own is not None else None
        self._facilities: dict[str, Facility | None] = {}
        self._keys: dict[str, EnrolledKey | None] = {}
        self._records: dict[str, dict[tuple[FormKind, Period], InstanceRecord]] = {}
        self._decoded: dict[tuple[str, FormKind, Period], Any] = {}
        with ws.db.reading() as s:  # a file not among these needs no early "already imported?" lookup
            self.digests = store.imported_digests(s)

    def facility(self, code: str) -> Facility | None:
        if code not in self._facilities:
            with self.ws.db.reading() as s:
                self._facilities[code] = registry_store.get_facility(s, code)
        return self._facilities[code]

    def key(self, fingerprint: str) -> EnrolledKey | None:
        if fingerprint not in self._keys:
            with self.ws.db.reading() as s:
                self._keys[fingerprint] = store.key_by_fingerprint(s, fingerprint)
        return self._keys[fingerprint]

    def current(self, code: str, form: FormKind, period: Period) -> Any:
        """The decoded current payload head office holds, or None."""
        if code not in self._records:
            with self.ws.db.reading() as s:
                records = form_store.current_for_facility(s, code)
            self._records[code] = {(r.ref.form, r.ref.period): r for r in records}
        slot = (code, form, period)
        if slot not in self._decoded:
            record = self._records[code].get((form, period))
            self._decoded[slot] = (
                msgspec.json.decode(record.payload, type=HANDLERS[form].data_type) if record is not None else None
            )
        return self._decoded[slot]

    def merged(self, ref: FormRef, data: Any) -> None:
        """A revision of ``ref`` became current (after its transaction committed)."""
        self._decoded[(ref.facility_code, ref.form, ref.period)] = data


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files as given; folders give their *.jbd files (sorted, so sequences arrive in order)."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(sorted(x for x in p.iterdir() if x.suffix.lower() == ".jbd" and x.is_file()))
        else:
            out.append(p)
    return out


class ImportService:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    def import_paths(
        self, paths: Iterable[Path], progress: Progress | None = None, cancelled: Callable[[], bool] | None = None
    ) -> list[ImportResult]:
        from jbdesk.services.workspace import Mode

        self.ws.require_mode(Mode.HQ)
        files = expand_paths(paths)
        if files:  # a copy before every batch: an import can also be undone whole by restoring it
            self.ws.backup("before-import")
        results = []
        batch = _Batch(self.ws)
        for i, path in enumerate(files):
            if cancelled is not None and cancelled():
                break
            if progress is not None:
                progress(i, len(files), path.name)
            try:
                data = path.read_bytes()
            except OSError as exc:
                result = ImportResult(
                    path.name, Outcome.REFUSED, f"파일을 읽을 수 없습니다: {exc.strerror}", "unreadable"
                )
                self._log(result)
                results.append(result)
                continue
            results.append(self.import_bytes(data, path.name, batch))
        if progress is not None:
            progress(len(files), len(files), "")
        if files:  # the batch's entries are signed into the audit log (services/audit_anchor.py)
            from jbdesk.services import audit_anchor

            audit_anchor.make(self.ws, "import")
        return results

    def import_bytes(self, data: bytes, file_name: str, batch: _Batch | None = None) -> ImportResult:
        try:
            # _import logs what it returns (an accepted bundle in its merge transaction); a refusal is logged here.
            return self._import(data, file_name, batch or _Batch(self.ws))
        except BundleError as exc:
            outcome = Outcome.CONFLICT if exc.reason is Reason.CONFLICT else Outcome.REFUSED
            result = ImportResult(file_name, outcome, exc.message, exc.reason.value, detail=exc.detail or "")
        self._log(result)
        return result

    def verify_bytes(self, data: bytes, file_name: str) -> ImportResult:
        """Every check of an import, nothing written (``jbdesk verify``)."""
        try:
            container, incoming = self._check(read_container(data), _Batch(self.ws))
        except BundleError as exc:
            return ImportResult(file_name, Outcome.REFUSED, exc.message, exc.reason.value, detail=exc.detail or "")
        m = container.manifest
        return ImportResult(
            file_name, Outcome.ACCEPTED, "서명과 내용이 모두 올바릅니다.", facility_code=m.facility_code,
            sequence=m.sequence, digest=container.digest,
            instances=tuple(
                (FORMS[i.record.ref.form].label, i.record.ref.period.label, i.record.revision, "")
                for i in incoming
            ),
        )  # fmt: skip

    def _log(self, r: ImportResult) -> None:
        with self.ws.db.transaction() as s:
            _write_log(s, r)

    # checks --------------------------------------------------------------------------------
    def _check(self, container: Container, batch: _Batch) -> tuple[Container, list[_Incoming]]:
        m = container.manifest
        if m.kind != Kind.DATA:
            raise BundleError(Reason.WRONG_KIND, "시설 보고 파일(.jbd)이 아닙니다.")
        # format 2 names the head office the bundle is for: refuse others early
        if m.hq_fingerprint and m.hq_fingerprint != batch.hq_fingerprint:
            raise BundleError(
                Reason.FOREIGN,
                f"다른 본부로 보내는 파일입니다 (시설 {m.facility_code}). 이 본부가 설정한 시설 PC에서 만든 파일이 "
                "아니어서 받지 않았습니다.",
            )
        facility = batch.facility(m.facility_code)
        if facility is None:
            raise BundleError(Reason.UNKNOWN_FACILITY, f"등록부에 없는 시설의 파일입니다: {m.facility_code}")
        key = batch.key(m.key_fingerprint)
        if key is None or key.facility_code != m.facility_code:
            raise BundleError(
                Reason.KEY_NOT_ENROLLED,
                f"{m.facility_code} 시설의 등록된 키로 서명되지 않았습니다. 등록 요청을 먼저 처리하거나 "
                "다른 기관의 파일인지 확인하세요.",
            )
        if not key.active:
            raise BundleError(
                Reason.KEY_REVOKED,
                f"폐기된 키로 서명된 파일입니다 ({key.revoked_at:%Y-%m-%d} 폐기: {key.revoked_reason}).",
            )
        verify_signature(container, PublicKey.from_hex(key.public_key))
        verify_members(container)
        incoming = self._payloads(container)
        self._validate(facility, incoming, batch)
        return container, incoming

    def _payloads(self, container: Container) -> list[_Incoming]:
        m = container.manifest
        out: list[_Incoming] = []
        seen: set[tuple[FormKind, Period]] = set()
        declared = {e.name: e.sha256 for e in m.members}
        for entry in m.instances:
            try:
                form = FormKind(entry.form)
                period = Period.parse(entry.period)
                ref = FormRef(m.facility_code, form, period)
            except (ValueError, InvalidInputError) as exc:
                raise BundleError(
                    Reason.SCHEMA, f"알 수 없는 보고 또는 기간입니다: {entry.form} {entry.period}"
                ) from exc
            if entry.revision < 1 or (form, period) in seen:
                raise BundleError(Reason.SCHEMA, f"보고 목록이 잘못되었습니다: {ref.label}")
            seen.add((form, period))
            if declared.get(entry.member) != entry.sha256:
                raise BundleError(Reason.TAMPERED, f"{ref.label}의 자료가 목록과 다릅니다.")
            payload = container.members[entry.member]
            try:
                data = msgspec.json.decode(payload, type=HANDLERS[form].data_type)
            except msgspec.DecodeError as exc:
                raise BundleError(Reason.SCHEMA, f"{ref.label}의 자료 형식이 맞지 않습니다.", detail=str(exc)) from exc
            created = _parse_time(m.created_at)
            record = InstanceRecord(
                ref=ref, revision=entry.revision, status=FormStatus.SUBMITTED, config_version=entry.config_version,
                payload=payload, created_at=created, updated_at=created, submitted_at=created, note=entry.note,
            )  # fmt: skip
            out.append(_Incoming(record, data, entry.sha256))
        if not out:
            raise BundleError(Reason.SCHEMA, "보고가 하나도 들어 있지 않은 파일입니다.")
        return out

    def _validate(self, facility: Facility, incoming: list[_Incoming], batch: _Batch) -> None:
        """The entry rules, with other periods taken from this bundle first, then from head office's data.

        Errors refuse the bundle. Warnings are not re-judged: the facility explained them against its own
        data, which head office may not hold yet.
        """
        in_bundle = {(i.record.ref.form, i.record.ref.period): i.data for i in incoming}

        def load(form: FormKind, period: Period) -> Any:
            if (form, period) in in_bundle:
                return in_bundle[(form, period)]
            return batch.current(facility.code, form, period)

        errors: list[tuple[FormRef, Problem]] = []
        for item in incoming:
            ref = item.record.ref
            ctx = FormContext(ref, facility, batch.reference, batch.today, load)
            result = HANDLERS[ref.form].validate(item.data, ctx)
            errors += [(ref, p) for p in result.errors]
        if errors:
            lines = "\n".join(f"· {ref.label}: {p.message}" for ref, p in errors[:10])
            raise BundleError(
                Reason.INVALID, f"입력 규칙에 맞지 않는 보고가 있어 받지 않았습니다 ({len(errors)}건).", detail=lines
            )

    # merge ---------------------------------------------------------------------------------
    # Over 60 lines: sorting, the transaction and the messages in one step (issue 19 item 5 splits it).
    def _import(self, data: bytes, file_name: str, batch: _Batch) -> ImportResult:
        head = read_container(data)
        known = None
        if head.digest in batch.digests:  # cheap early exit for a file already merged
            with self.ws.db.reading() as s:
                known = store.bundle_by_digest(s, head.digest)
        if known is not None and known.outcome != store.ROLLED_BACK:
            # Same manifest bytes as a bundle verified and merged before, so the signed list of members is trusted;
            # the members themselves must still match it. Without this, a copy of an imported file with a changed
            # payload was reported as "already imported" (exit 0) while `jbdesk verify` called it tampered.
            verify_members(head)
            result = ImportResult(
                file_name, Outcome.ALREADY, f"이미 가져온 파일입니다 ({known.imported_at:%Y-%m-%d %H:%M}).",
                facility_code=known.facility_code, sequence=known.sequence, digest=known.digest,
            )  # fmt: skip
            self._log(result)
            return result
        container, incoming = self._check(head, batch)
        m = container.manifest
        now = clock.now()
        states: list[tuple[str, str, int, str]] = []
        with self.ws.db.transaction() as s:
            again = store.bundle_by_digest(s, container.digest)
            if again is not None and again.outcome != store.ROLLED_BACK:  # imported meanwhile by another window
                result = ImportResult(file_name, Outcome.ALREADY, "이미 가져온 파일입니다.", digest=container.digest)
                _write_log(s, result)
                return result
            notes = self._sequence_notes(s, m.facility_code, m.sequence, m.prev_digest, container.digest)
            plan: list[tuple[_Incoming, InstanceState]] = []
            held = store.revision_digests(s, [item.record.ref for item in incoming])
            for item in incoming:
                ref, rev = item.record.ref, item.record.revision
                existing = held[ref].get(rev)
                if existing is not None and existing != item.digest:
                    raise BundleError(
                        Reason.CONFLICT,
                        f"{ref.label} {rev}판이 이미 다른 내용으로 들어와 있습니다. 같은 판 번호의 다른 파일은 "
                        "받을 수 없습니다 (시설에 확인하세요).",
                    )
                if existing is not None:
                    plan.append((item, InstanceState.SAME))
                elif rev < max(held[ref], default=0):
                    plan.append((item, InstanceState.STALE))
                else:
                    plan.append((item, InstanceState.CURRENT))
            if any(state is InstanceState.CURRENT for _, state in plan):
                outcome = Outcome.ACCEPTED
            elif any(state is InstanceState.STALE for _, state in plan):
                outcome = Outcome.STALE
            else:
                outcome = Outcome.ACCEPTED
                notes.append("들어 있는 보고가 모두 이미 받은 것과 같습니다.")
            for item, state in plan:
                if state is InstanceState.STALE:
                    notes.append(
                        f"{item.record.ref.label} {item.record.revision}판은 이미 받은 새 판보다 이전 것이라 기록만 남겼습니다."
                    )
            bundle_id = store.add_bundle(
                s,
                store.BundleInfo(
                    digest=container.digest, facility_code=m.facility_code, sequence=m.sequence,
                    prev_digest=m.prev_digest, key_fingerprint=m.key_fingerprint, created_at=m.created_at,
                    imported_at=now, file_name=file_name, outcome=outcome.value, notes=tuple(notes),
                ),
                seen_before=again is not None,
            )  # fmt: skip
            store.add_received(
                s, [(item.record, item.digest) for item, state in plan if state is not InstanceState.SAME], bundle_id
            )
            for item, state in plan:
                label = FORMS[item.record.ref.form].label
                states.append((label, item.record.ref.period.label, item.record.revision, state.value))
            message = {
                Outcome.ACCEPTED: f"{len(incoming)}건의 보고를 받았습니다.",
                Outcome.STALE: "이미 더 새로운 판을 받은 보고입니다. 이력으로만 남겼습니다.",
            }[outcome]
            result = ImportResult(
                file_name, outcome, message, facility_code=m.facility_code, sequence=m.sequence,
                digest=container.digest, instances=tuple(states), notes=tuple(notes),
            )  # fmt: skip
            _write_log(s, result)  # one commit per bundle: the merge and its record land together
        batch.digests.add(container.digest)
        for item, state in plan:
            if state is InstanceState.CURRENT:
                batch.merged(item.record.ref, item.data)
        return result

    @staticmethod
    def _sequence_notes(s: Session, code: str, sequence: int, prev_digest: str, digest: str) -> list[str]:
        """Gaps and forks in the facility's chain of bundles are reported, never hidden."""
        notes: list[str] = []
        earlier = store.sequence_chain(s, code)
        if not earlier:
            if sequence > 1:
                notes.append(
                    f"이 시설에서 처음 받은 파일이 {sequence}번입니다 ({_span(1, sequence - 1)}번은 받지 않음)."
                )
            return notes
        by_seq: dict[int, list[str]] = {}
        for seq, dig in earlier:
            by_seq.setdefault(seq, []).append(dig)
        last = max(by_seq)
        if sequence in by_seq:
            notes.append(
                f"갈라짐: {sequence}번 파일을 이미 다른 내용으로 받았습니다. 시설이 예전 백업으로 되돌렸거나 "
                "다른 PC에서 보냈을 수 있습니다."
            )
        elif sequence > last + 1:
            notes.append(f"빠진 파일: {_span(last + 1, sequence - 1)}번을 아직 받지 않았습니다.")
        previous = by_seq.get(sequence - 1)
        if previous and prev_digest not in previous:
            notes.append(f"갈라짐: {sequence}번 파일이 가리키는 이전 파일이 본부가 받은 {sequence - 1}번과 다릅니다.")
        return notes

    # undo ---------------------------------------------------------------------------------
    def rollback(self, digest_prefix: str) -> tuple[store.BundleInfo, int]:
        """Undo the merge of one bundle: its revisions go, the previous ones are current again. Recorded."""
        from jbdesk.services.workspace import Mode

        self.ws.require_mode(Mode.HQ)
        prefix = digest_prefix.strip().lower()
        if len(prefix) < 8:
            raise InvalidInputError("되돌릴 파일의 식별값(digest)을 8자 이상 입력하세요.")
        with self.ws.db.transaction() as s:
            found = store.find_bundles(s, prefix)
            if len(found) != 1:
                raise NotFoundError(
                    "그런 가져오기 기록이 없습니다." if not found else "여러 파일에 맞습니다. 더 길게 입력하세요."
                )
            bundle = found[0]
            if bundle.outcome == store.ROLLED_BACK:
                raise FormStateError(f"이미 되돌린 가져오기입니다: {bundle.file_name}")
            note = f"{clock.now():%Y-%m-%d %H:%M} 가져오기 되돌림"
            info, removed = store.roll_back_bundle(s, bundle.digest, note)
            audit.record(
                s, "rollback", bundle.file_name,
                {"facility": bundle.facility_code, "sequence": bundle.sequence, "digest": bundle.digest,
                 "revisions_removed": removed},
            )  # fmt: skip
        return info, removed

    def all_bundles(self) -> list[store.BundleInfo]:
        with self.ws.db.reading() as s:
            facilities = [f.code for f in registry_store.list_facilities(s)]
            return sorted(
                (b for code in facilities for b in store.bundles_of(s, code)), key=lambda b: b.imported_at, reverse=True
            )

    # reading back ------------------------------------------------------------------------
    def revisions(self, ref: FormRef) -> list[store.ReceivedRevision]:
        with self.ws.db.reading() as s:
            return store.received_revisions(s, ref)

    def bundles(self, code: str) -> list[store.BundleInfo]:
        with self.ws.db.reading() as s:
            return store.bundles_of(s, code)

    def log(self) -> list[tuple[datetime, str, str, str, str, str]]:
        with self.ws.db.reading() as s:
            return store.import_log(s)


def _write_log(s: Session, r: ImportResult) -> None:
    """The import log line and the audit entry of one attempt, inside the caller's transaction."""
    store.log_import(
        s, at=clock.now(), file_name=r.file_name, digest=r.digest, facility_code=r.facility_code,
        outcome=r.outcome.value, reason=r.reason, message=r.message,
    )  # fmt: skip
    audit.record(
        s, "import", r.file_name,
        {"outcome": r.outcome.value, "reason": r.reason, "facility": r.facility_code, "digest": r.digest,
         "message": r.message},
    )  # fmt: skip


def _span(first: int, last: int) -> str:
    """'2' or '2~4': a single missing file was shown as '2~2번'."""
    return str(first) if first == last else f"{first}~{last}"


def _parse_time(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text).replace(tzinfo=None)
    except ValueError:
        return clock.now()


def diff(old: Any, new: Any, path: str = "") -> list[tuple[str, Any, Any]]:
    """Field-level differences between two payloads (JSON builtins): what changed between revisions."""
    if isinstance(old, dict) and isinstance(new, dict):
        out: list[tuple[str, Any, Any]] = []
        for key in sorted(set(old) | set(new)):
            out += diff(old.get(key), new.get(key), f"{path}/{key}" if path else str(key))
        return out
    if isinstance(old, list) and isinstance(new, list):
        out = []
        for i in range(max(len(old), len(new))):
            a = old[i] if i < len(old) else None
            b = new[i] if i < len(new) else None
            out += diff(a, b, f"{path}/{i}" if path else str(i))
        return out
    return [] if old == new else [(path, old, new)]


def revision_diff(a: InstanceRecord, b: InstanceRecord) -> list[tuple[str, Any, Any]]:
    return diff(msgspec.json.decode(a.payload), msgspec.json.decode(b.payload))
