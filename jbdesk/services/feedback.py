"""The way back: head office's signed feedback file (decisions, receipt, registry, configuration) and its
application at the facility.

A feedback file answers, for one facility, every form instance head office holds: which revision
arrived (the receipt, so nobody phones to ask), and the latest decision on it, 접수 or 보완요청 with
comments per form and per field. It also carries the facility's registry record and every
configuration version, which the facility stores for periods that have not started.
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
    Kind,
    Manifest,
    read_container,
    verify_members,
    verify_signature,
    write_container,
)
from jbdesk.bundle.errors import BundleError, Reason
from jbdesk.bundle.keys import PublicKey
from jbdesk.domain.forms import FORMS, FormKind, FormRef, FormStatus
from jbdesk.domain.hq import ReviewDecision, ReviewInfo
from jbdesk.domain.periods import Period
from jbdesk.errors import InvalidInputError, ModeError
from jbdesk.services import audit, audit_anchor
from jbdesk.services.config import ConfigVersion
from jbdesk.services.trust import FacilityRecord, decode_member, read_file
from jbdesk.store import SCHEMA_VERSION, Session
from jbdesk.store import forms as form_store
from jbdesk.store import registry as registry_store
from jbdesk.store import review as review_store
from jbdesk.store import trust as trust_store
from jbdesk.store.settings import get_setting, set_setting

if TYPE_CHECKING:
    from jbdesk.services.workspace import Workspace


class ReviewItem(msgspec.Struct, frozen=True, kw_only=True):
    form: str
    period: str
    revision: int
    decision: str  # 접수 / 보완요청
    comment: str = ""
    field_comments: dict[str, str] = {}
    decided_at: datetime
    decided_by: str = ""


class ReceiptItem(msgspec.Struct, frozen=True, kw_only=True):
    form: str
    period: str
    revision: int  # the revision head office holds as current
    signed_at: str = ""  # when the facility signed the bundle that brought it
    state: str  # 접수대기 / 접수 / 보완요청


class Feedback(msgspec.Struct, frozen=True, kw_only=True):
    as_of: datetime
    reviews: list[ReviewItem] = []
    receipt: list[ReceiptItem] = []


@dataclass(frozen=True)
class FeedbackWritten:
    facility_code: str
    path: Path
    reviews: int
    returned: int


@dataclass(frozen=True)
class FeedbackApplied:
    file_name: str
    outcome: str  # applied / already_applied
    accepted: tuple[str, ...]  # labels of instances now 접수
    returned: tuple[str, ...]  # labels of instances now 보완요청
    config_versions: tuple[int, ...]  # configuration versions received
    message: str


@dataclass(frozen=True)
class ReceiptLine:
    ref: FormRef
    revision: int
    state: str
    signed_at: str
    as_of: datetime


class FeedbackService:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    # head office -------------------------------------------------------------------------
    def facilities_with_news(self) -> list[str]:
        """Facilities with an unsent decision, or with bundles imported since their last feedback file."""
        out = []
        with self.ws.db.reading() as s:
            unsent = {r.ref.facility_code for r in review_store.all_reviews(s) if r.sent_at is None}
            for f in registry_store.list_facilities(s):
                last = get_setting(s, f"feedback_at:{f.code}")
                newest = max((b.imported_at for b in trust_store.bundles_of(s, f.code)), default=None)
                if f.code in unsent or (newest is not None and (last is None or newest.isoformat() > last)):
                    out.append(f.code)
        return out

    def write(self, code: str, out: Path, passphrase: str | None = None) -> FeedbackWritten:
        from jbdesk.services.workspace import Mode

        self.ws.require_mode(Mode.HQ)
        identity = self.ws.trust.hq_identity()
        if identity is None:
            raise ModeError("먼저 본부 초기화(jbdesk hq init)를 하세요.")
        facility = self.ws.registry.get(code)
        key = self.ws.trust.hq_key(passphrase)
        now = clock.now()
        with self.ws.db.transaction() as s:
            reviews: list[ReviewItem] = []
            receipt: list[ReceiptItem] = []
            unsent: list[int] = []
            for row in current_rows(s, facility.code):
                ref = FormRef(facility.code, FormKind(row.form), Period.parse(row.period))
                decisions = review_store.reviews_of(s, ref)
                latest = decisions[-1] if decisions else None
                unsent += [d.id for d in decisions if d.sent_at is None]
                if latest is not None:
                    reviews.append(
                        ReviewItem(
                            form=row.form, period=row.period, revision=latest.revision,
                            decision=latest.decision.value, comment=latest.comment,
                            field_comments=dict(latest.field_comments), decided_at=latest.decided_at,
                            decided_by=latest.decided_by,
                        )
                    )  # fmt: skip
                on_current = latest is not None and latest.revision == row.revision
                state = latest.decision.value if on_current and latest else "접수대기"
                receipt.append(
                    ReceiptItem(
                        form=row.form, period=row.period, revision=row.revision,
                        signed_at=row.bundle_created_at or "", state=state,
                    )
                )  # fmt: skip
            sequence = int(get_setting(s, f"feedback_seq:{facility.code}", "0") or 0) + 1
            members = {
                "feedback.json": msgspec.json.encode(Feedback(as_of=now, reviews=reviews, receipt=receipt)),
                "facility.json": msgspec.json.encode(FacilityRecord.of(facility)),
                "configs.json": msgspec.json.encode(self.ws.config.bundle()),
            }
            manifest = Manifest(
                format=FORMAT, format_version=FORMAT_VERSION, kind=Kind.FEEDBACK, facility_code=facility.code,
                signer="hq", key_fingerprint=key.public.fingerprint, sequence=sequence, created_at=clock.now_iso(),
                app_version=__version__, schema_version=SCHEMA_VERSION, config_version=self.ws.reference.version,
            )  # fmt: skip
            path = out / f"jbdesk-feedback-{facility.code}-{sequence:04d}.jbf" if out.is_dir() else out
            write_container(path, manifest, members, key)
            review_store.mark_sent(s, unsent, now)
            set_setting(s, f"feedback_seq:{facility.code}", str(sequence))
            set_setting(s, f"feedback_at:{facility.code}", now.isoformat())
            audit.record(
                s, "feedback_write", facility.code, {"file": path.name, "sequence": sequence, "reviews": len(reviews)}
            )
        audit_anchor.make(self.ws, "feedback", key)
        returned = sum(1 for r in reviews if r.decision == ReviewDecision.RETURNED.value)
        return FeedbackWritten(facility.code, path, len(reviews), returned)

    # facility ------------------------------------------------------------------------------
    def apply_file(self, path: Path) -> FeedbackApplied:
        return self.apply_bytes(read_file(path), path.name)

    def apply_bytes(self, data: bytes, file_name: str) -> FeedbackApplied:
        from jbdesk.services.workspace import Mode

        info = self.ws.require_mode(Mode.FACILITY)
        hq = self.ws.trust.hq_identity()
        if hq is None:
            raise ModeError("본부 설정 파일로 설정한 시설 PC에서만 회신 파일을 받을 수 있습니다.")
        container = read_container(data)
        m = container.manifest
        if m.kind == Kind.RECOVERY:  # head office's recovery file for a new PC comes in by the same door
            recovered: FeedbackApplied = self.ws.recovery.apply(container, file_name)
            return recovered
        if m.kind != Kind.FEEDBACK:
            raise BundleError(Reason.WRONG_KIND, "본부 회신 파일(.jbf)이 아닙니다.")
        hq_key = PublicKey.from_hex(hq.public_key)
        if m.key_fingerprint != hq_key.fingerprint:
            raise BundleError(Reason.FOREIGN, "이 PC를 설정한 본부가 서명한 회신 파일이 아닙니다.")
        verify_signature(container, hq_key)
        verify_members(container)
        if m.facility_code != info.facility_code:
            raise BundleError(
                Reason.WRONG_RECIPIENT,
                f"다른 시설({m.facility_code})에 보낸 회신 파일입니다. 이 PC는 {info.facility_code}입니다.",
            )
        feedback = decode_member(container, "feedback.json", Feedback)
        record = decode_member(container, "facility.json", FacilityRecord)
        configs = decode_member(container, "configs.json", list[ConfigVersion])
        try:
            facility = record.to_domain()
        except (ValueError, KeyError, TypeError) as exc:
            raise BundleError(Reason.SCHEMA, "facility.json의 내용이 형식에 맞지 않습니다.", detail=str(exc)) from exc
        now = clock.now()
        accepted: list[str] = []
        returned: list[str] = []
        with self.ws.db.transaction() as s:
            last = int(get_setting(s, "feedback_sequence", "0") or 0)
            if m.sequence <= last:
                return FeedbackApplied(
                    file_name, "already_applied", (), (), (), "이미 받은 회신이거나 더 새 회신을 이미 받았습니다."
                )
            for item in feedback.reviews:
                label = self.apply_review(s, info.facility_code, item, now)
                if label and item.decision == ReviewDecision.ACCEPTED.value:
                    accepted.append(label)
                elif label:
                    returned.append(label)
            registry_store.save_facility(s, facility)
            added = self.ws.config.receive(s, configs)
            set_setting(s, "feedback_sequence", str(m.sequence))
            set_setting(s, "receipt", msgspec.json.encode(feedback).decode("utf-8"))
            audit.record(
                s, "feedback_apply", file_name,
                {"sequence": m.sequence, "accepted": accepted, "returned": returned, "configs": added},
            )  # fmt: skip
        self.ws.reload_reference()
        audit_anchor.make(self.ws, "feedback")
        return _applied(file_name, accepted, returned, added)

    def apply_review(self, s: Session, code: str, item: ReviewItem, now: datetime) -> str | None:
        """Record the decision; the status changes only on the revision it was made on. Returns a label if it did.
        (Also used for the decisions a recovery file carries.)"""
        try:
            ref = FormRef(code, FormKind(item.form), Period.parse(item.period))
            decision = ReviewDecision(item.decision)
        except (ValueError, InvalidInputError) as exc:
            raise BundleError(
                Reason.SCHEMA, f"회신의 보고 정보가 올바르지 않습니다: {item.form} {item.period}"
            ) from exc
        if review_store.has_review(s, ref, item.revision, decision.value, item.decided_at):
            return None
        review_store.add_review(
            s, ref, item.revision, decision, comment=item.comment, field_comments=dict(item.field_comments),
            at=item.decided_at, by=item.decided_by,
        )  # fmt: skip
        current = form_store.current(s, ref)
        if current is None or current.revision != item.revision:
            return None  # already corrected (a newer revision exists) or not on this PC: history only
        target = FormStatus.ACCEPTED if decision is ReviewDecision.ACCEPTED else FormStatus.RETURNED
        if current.status not in (FormStatus.SUBMITTED, FormStatus.ACCEPTED, FormStatus.RETURNED) or (
            current.status is target
        ):
            return None
        form_store.update_current(s, ref, status=target, at=now)
        form_store.log_change(
            s, ref, at=now, os_user=self.ws.forms._os_user(), operator="본부", action="status", field="status",
            old_value=msgspec.json.encode(current.status.value).decode(),
            new_value=msgspec.json.encode(target.value).decode(),
        )  # fmt: skip
        return f"{FORMS[ref.form].label} {ref.period.label} {item.revision}판"

    def receipt(self) -> list[ReceiptLine]:
        """Per form instance, the revision head office holds, as of its last feedback file."""
        with self.ws.db.reading() as s:
            text = get_setting(s, "receipt")
            code = get_setting(s, "facility_code") or ""
        if not text:
            return []
        feedback = msgspec.json.decode(text.encode("utf-8"), type=Feedback)
        return [
            ReceiptLine(FormRef(code, FormKind(r.form), Period.parse(r.period)), r.revision, r.state, r.signed_at,
                        feedback.as_of)
            for r in feedback.receipt
        ]  # fmt: skip

    def comments(self, ref: FormRef) -> list[ReviewInfo]:
        """Head office's decisions on this instance, oldest first (shown beside the form)."""
        with self.ws.db.reading() as s:
            return review_store.reviews_of(s, ref)


def _applied(file_name: str, accepted: list[str], returned: list[str], added: list[int]) -> FeedbackApplied:
    parts = [f"접수 {len(accepted)}건", f"보완요청 {len(returned)}건"]
    if added:
        parts.append(f"새 설정 {', '.join(f'{v}판' for v in added)}")
    return FeedbackApplied(
        file_name,
        "applied",
        tuple(accepted),
        tuple(returned),
        tuple(added),
        "본부 회신을 반영했습니다: " + ", ".join(parts),
    )


def current_rows(s: Session, code: str) -> list[review_store.ReceivedRow]:
    """The current revision of each instance head office holds for the facility."""
    latest: dict[tuple[str, str], review_store.ReceivedRow] = {}
    for row in review_store.received_index(s):
        if row.facility_code == code:
            latest[(row.form, row.period)] = row  # the index is in revision order: the last one wins
    return list(latest.values())
