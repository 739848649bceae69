"""A lost facility PC loses nothing: head office's signed recovery file, and its import on the facility's new PC.

Head office writes, for one facility, everything it holds of it (``jbdesk hq recovery CODE``, 시설 등록부 → 복구 파일
발급): every revision it received (payloads as they were signed), every review decision with its comments (so the
open 보완요청 show their comments beside the fields), the receipt, the end of the facility's chain of bundles and
the configuration. On the new PC, set up from a fresh provisioning file, importing it (``jbdesk import FILE.jbr``,
본부 회신 → 파일 반영) puts those revisions back under their own numbers and states: the history is there, a returned
form opens with its comments and '수정하기' makes the next revision, and the next export continues the sequence
after the last bundle head office holds, which head office accepts without a gap or fork note.

What head office never received (bundles the lost PC made but nobody sent, drafts, the per-field change history
of the old PC) was only on that PC and cannot come back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import msgspec

from jbdesk import __version__, clock
from jbdesk.bundle.container import (
    FORMAT,
    FORMAT_VERSION,
    Container,
    Count,
    Kind,
    Manifest,
    sha256,
    verify_members,
    verify_signature,
    write_container,
)
from jbdesk.bundle.errors import BundleError, Reason
from jbdesk.bundle.keys import PublicKey
from jbdesk.domain.forms import EDITABLE, FORMS, FormKind, FormRef, FormStatus, InstanceRecord
from jbdesk.domain.hq import ReviewDecision, ReviewInfo
from jbdesk.domain.periods import Period
from jbdesk.errors import InvalidInputError, ModeError, StoreError
from jbdesk.i18n import tr
from jbdesk.services import audit, audit_anchor
from jbdesk.services.config import ConfigVersion
from jbdesk.services.feedback import Feedback, FeedbackApplied, ReceiptItem, ReviewItem, current_rows
from jbdesk.services.form_types import HANDLERS
from jbdesk.services.mode import Mode
from jbdesk.services.trust import ChainState, FacilityRecord, decode_member
from jbdesk.store import SCHEMA_VERSION
from jbdesk.store import forms as form_store
from jbdesk.store import registry as registry_store
from jbdesk.store import review as review_store
from jbdesk.store import trust as trust_store
from jbdesk.store.settings import get_setting, set_setting

if TYPE_CHECKING:
    from jbdesk.services.workspace import Workspace
    from jbdesk.store import Session

SUFFIX = ".jbr"


class RecoveredRevision(msgspec.Struct, frozen=True, kw_only=True):
    """One revision head office holds, and the member that carries its payload."""

    form: str
    period: str
    revision: Count
    config_version: Count
    member: str
    sha256: str
    note: str = ""
    signed_at: str = ""  # when the facility signed the bundle that brought it


class Recovery(msgspec.Struct, frozen=True, kw_only=True):
    as_of: datetime
    revisions: list[RecoveredRevision] = []
    feedback: Feedback  # every decision (oldest first, comments included) and the receipt
    chain: ChainState
    feedback_sequence: Count = 0  # head office's last feedback file to this facility


@dataclass(frozen=True)
class RecoveryWritten:
    facility_code: str
    path: Path
    revisions: int
    returned: int  # instances whose current revision is 보완요청
    last_sequence: int


def member_name(form: str, period: str, revision: int) -> str:
    return f"data/{form}_{period}_r{revision}.json"


class RecoveryService:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    # head office -------------------------------------------------------------------------
    def write(self, code: str, out: Path, passphrase: str | None = None) -> RecoveryWritten:
        self.ws.require_mode(Mode.HQ)
        identity = self.ws.trust.hq_identity()
        if identity is None:
            raise ModeError(tr("먼저 본부 초기화(jbdesk hq init)를 하세요."))
        facility = self.ws.registry.get(code)
        key = self.ws.trust.hq_key(passphrase)
        now = clock.now()
        chain = self.ws.trust.chain_state(facility.code)
        with self.ws.db.reading() as s:
            revisions, members = _held(s, facility.code)
            reviews = [_item(r) for r in review_store.all_reviews(s) if r.ref.facility_code == facility.code]
            receipt = _receipt(s, facility.code)
            feedback_sequence = int(get_setting(s, f"feedback_seq:{facility.code}", "0") or 0)
        recovery = Recovery(
            as_of=now, revisions=revisions, feedback=Feedback(as_of=now, reviews=reviews, receipt=receipt),
            chain=chain, feedback_sequence=feedback_sequence,
        )  # fmt: skip
        members |= {
            "recovery.json": msgspec.json.encode(recovery),
            "facility.json": msgspec.json.encode(FacilityRecord.of(facility)),
            "configs.json": msgspec.json.encode(self.ws.config.bundle()),
        }
        manifest = Manifest(
            format=FORMAT, format_version=FORMAT_VERSION, kind=Kind.RECOVERY, facility_code=facility.code,
            signer="hq", key_fingerprint=key.public.fingerprint, sequence=chain.last_sequence,
            created_at=clock.now_iso(), app_version=__version__, schema_version=SCHEMA_VERSION,
            config_version=self.ws.reference.version,
        )  # fmt: skip
        path = out / f"jbdesk-recovery-{facility.code}-{now:%Y%m%d-%H%M%S}{SUFFIX}" if out.is_dir() else out
        write_container(path, manifest, members, key)
        returned = sum(1 for r in receipt if r.state == ReviewDecision.RETURNED.value)
        with self.ws.db.transaction() as s:
            audit.record(
                s, "recovery_write", facility.code,
                {"file": path.name, "revisions": len(revisions), "returned": returned,
                 "last_sequence": chain.last_sequence},
            )  # fmt: skip
        audit_anchor.make(self.ws, "recovery", key)
        return RecoveryWritten(facility.code, path, len(revisions), returned, chain.last_sequence)

    # facility ----------------------------------------------------------------------------
    def apply(self, container: Container, file_name: str) -> FeedbackApplied:
        """Import a recovery file on the facility's (new) PC; ``container`` is read but not yet trusted."""
        info = self.ws.require_mode(Mode.FACILITY)
        hq = self.ws.trust.hq_identity()
        if hq is None or info.facility_code is None:
            raise ModeError(tr("본부 설정 파일로 설정한 시설 PC에서만 복구 파일을 반영할 수 있습니다."))
        m = container.manifest
        hq_key = PublicKey.from_hex(hq.public_key)
        if m.key_fingerprint != hq_key.fingerprint:
            raise BundleError(Reason.FOREIGN, tr("이 PC를 설정한 본부가 서명한 복구 파일이 아닙니다."))
        verify_signature(container, hq_key)
        verify_members(container)
        if m.facility_code != info.facility_code:
            raise BundleError(
                Reason.WRONG_RECIPIENT,
                tr("다른 시설({other})의 복구 파일입니다. 이 PC는 {code}입니다.").format(
                    other=m.facility_code, code=info.facility_code
                ),
            )
        recovery = decode_member(container, "recovery.json", Recovery)
        record = decode_member(container, "facility.json", FacilityRecord)
        configs = decode_member(container, "configs.json", list[ConfigVersion])
        try:
            facility = record.to_domain()
        except (ValueError, KeyError, TypeError) as exc:
            raise BundleError(
                Reason.SCHEMA, tr("facility.json의 내용이 형식에 맞지 않습니다."), detail=str(exc)
            ) from exc
        incoming = _records(container, recovery, info.facility_code)
        now = clock.now()
        returned: list[str] = []
        accepted: list[str] = []
        with self.ws.db.transaction() as s:
            registry_store.save_facility(s, facility)
            added = self.ws.config.receive(s, configs)
            restored = _restore(s, incoming)
            for item in recovery.feedback.reviews:
                self.ws.feedback.apply_review(s, info.facility_code, item, now)
            for ref, record_ in _currents(s, {r.ref for r in incoming}).items():
                label = tr("{form} {period} {revision}판").format(
                    form=FORMS[ref.form].label, period=ref.period.label, revision=record_.revision
                )
                if record_.status is FormStatus.RETURNED:
                    returned.append(label)
                elif record_.status is FormStatus.ACCEPTED:
                    accepted.append(label)
            if recovery.chain.last_sequence > int(get_setting(s, "bundle_sequence", "0") or 0):
                set_setting(s, "bundle_sequence", str(recovery.chain.last_sequence))
                set_setting(s, "last_bundle_digest", recovery.chain.last_digest)
            if recovery.feedback_sequence > int(get_setting(s, "feedback_sequence", "0") or 0):
                set_setting(s, "feedback_sequence", str(recovery.feedback_sequence))
            set_setting(s, "receipt", msgspec.json.encode(recovery.feedback).decode("utf-8"))
            next_sequence = int(get_setting(s, "bundle_sequence", "0") or 0) + 1
            audit.record(
                s, "recovery_apply", file_name,
                {"revisions": restored, "returned": returned, "next_sequence": next_sequence, "configs": added},
            )  # fmt: skip
        self.ws.reload_reference()
        audit_anchor.make(self.ws, "recovery")
        message = tr(
            "복구 파일을 반영했습니다: 본부가 가진 보고 {forms}건 ({revisions}개 판을 새로 넣음), 보완요청 {returned}건. "
            "다음 보내기는 일련번호 {next}번부터 이어집니다."
        ).format(forms=len({r.ref for r in incoming}), revisions=restored, returned=len(returned), next=next_sequence)
        return FeedbackApplied(file_name, "applied", tuple(accepted), tuple(returned), tuple(added), message)


def _item(r: ReviewInfo) -> ReviewItem:
    return ReviewItem(
        form=r.ref.form.value, period=str(r.ref.period), revision=r.revision, decision=r.decision.value,
        comment=r.comment, field_comments=dict(r.field_comments), decided_at=r.decided_at, decided_by=r.decided_by,
    )  # fmt: skip


def _held(s: Session, code: str) -> tuple[list[RecoveredRevision], dict[str, bytes]]:
    """Every revision head office holds of the facility, its payload checked against the digest stored beside it."""
    revisions: list[RecoveredRevision] = []
    members: dict[str, bytes] = {}
    refs = sorted({(r.form, r.period) for r in review_store.received_index(s) if r.facility_code == code})
    for form, period in refs:
        ref = FormRef(code, FormKind(form), Period.parse(period))
        for held in trust_store.received_revisions(s, ref):
            payload = held.record.payload
            digest = sha256(payload)
            if held.digest and held.digest != digest:
                raise StoreError(
                    tr(
                        "본부 데이터의 {label} {revision}판이 받은 때와 다릅니다 (저장된 내용 손상). 복구 파일을 "
                        "만들지 않았습니다. 백업에서 복원하거나 담당자에게 연락하세요."
                    ).format(label=ref.label, revision=held.record.revision)
                )
            name = member_name(form, period, held.record.revision)
            members[name] = payload
            revisions.append(
                RecoveredRevision(
                    form=form, period=period, revision=held.record.revision,
                    config_version=held.record.config_version, member=name, sha256=digest, note=held.record.note,
                    signed_at=held.record.submitted_at.isoformat() if held.record.submitted_at else "",
                )
            )  # fmt: skip
    return revisions, members


def _receipt(s: Session, code: str) -> list[ReceiptItem]:
    """As a feedback file gives it: per instance, the current revision and head office's decision on it."""
    receipt: list[ReceiptItem] = []
    for row in current_rows(s, code):
        ref = FormRef(code, FormKind(row.form), Period.parse(row.period))
        decisions = review_store.reviews_of(s, ref)
        latest = decisions[-1] if decisions else None
        state = latest.decision.value if latest is not None and latest.revision == row.revision else "접수대기"
        item = ReceiptItem(
            form=row.form, period=row.period, revision=row.revision, signed_at=row.bundle_created_at or "", state=state
        )
        receipt.append(item)
    return receipt


def _records(container: Container, recovery: Recovery, code: str) -> list[InstanceRecord]:
    """The revisions as records, each payload checked against its digest and its form's schema."""
    out: list[InstanceRecord] = []
    seen: set[tuple[str, str, int]] = set()
    for r in recovery.revisions:
        try:
            ref = FormRef(code, FormKind(r.form), Period.parse(r.period))
        except (ValueError, InvalidInputError) as exc:
            raise BundleError(
                Reason.SCHEMA,
                tr("알 수 없는 보고 또는 기간입니다: {form} {period}").format(form=r.form, period=r.period),
            ) from exc
        if r.revision < 1 or (r.form, r.period, r.revision) in seen:
            raise BundleError(Reason.SCHEMA, tr("보고 목록이 잘못되었습니다: {label}").format(label=ref.label))
        seen.add((r.form, r.period, r.revision))
        payload = container.members.get(r.member)
        if payload is None or sha256(payload) != r.sha256:
            raise BundleError(Reason.TAMPERED, tr("{label}의 자료가 목록과 다릅니다.").format(label=ref.label))
        try:
            msgspec.json.decode(payload, type=HANDLERS[ref.form].data_type)
        except (msgspec.DecodeError, RecursionError) as exc:
            raise BundleError(
                Reason.SCHEMA, tr("{label}의 자료 형식이 맞지 않습니다.").format(label=ref.label), detail=str(exc)
            ) from exc
        signed = _time(r.signed_at) or recovery.as_of
        out.append(
            InstanceRecord(
                ref=ref, revision=r.revision, status=FormStatus.SUBMITTED, config_version=r.config_version,
                payload=payload, created_at=signed, updated_at=signed, submitted_at=signed, note=r.note,
            )
        )  # fmt: skip
    return out


def _time(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text).replace(tzinfo=None) if text else None
    except ValueError:
        return None


def _restore(s: Session, incoming: list[InstanceRecord]) -> int:
    """Put head office's revisions in place under their own numbers; returns how many were new here.

    A revision this PC already holds with the same content is left as it is. A draft begun on this PC (작성중 or
    작성완료, never sent) whose number head office already uses moves after head office's revisions, content kept.
    Anything else holding one of those numbers with other content is a conflict: nothing is changed."""
    now = clock.now()
    by_ref: dict[FormRef, list[InstanceRecord]] = {}
    for record in incoming:
        by_ref.setdefault(record.ref, []).append(record)
    added = 0
    for ref, records in by_ref.items():
        local = {r.revision: r for r in form_store.revisions(s, ref)}
        top = max(r.revision for r in records)
        for record in sorted(records, key=lambda r: r.revision):
            mine = local.get(record.revision)
            if mine is not None and sha256(mine.payload) == sha256(record.payload):
                if mine.status in EDITABLE:  # entered again word for word: it is the revision head office holds
                    form_store.update_current(s, ref, status=FormStatus.SUBMITTED, at=record.submitted_at or now)
                continue
            if mine is not None and mine.status in EDITABLE and mine.revision == max(local):
                new_number = max(top, max(local)) + 1
                form_store.renumber(s, ref, mine.revision, new_number)
                local[new_number] = local.pop(mine.revision)
            elif mine is not None:
                raise BundleError(
                    Reason.CONFLICT,
                    tr(
                        "이 PC의 {label} {revision}판이 본부가 가진 같은 판과 내용이 다릅니다. 아무것도 바꾸지 "
                        "않았습니다. 본부에 확인하세요."
                    ).format(label=ref.label, revision=record.revision),
                )
            form_store.insert(s, record)
            added += 1
    return added


def _currents(s: Session, refs: set[FormRef]) -> dict[FormRef, InstanceRecord]:
    out: dict[FormRef, InstanceRecord] = {}
    for ref in sorted(refs):
        current = form_store.current(s, ref)
        if current is not None:
            out[ref] = current
    return out
