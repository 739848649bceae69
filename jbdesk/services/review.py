"""Head office review: mark a received form instance 접수 (accepted) or 보완요청 (returned for correction).

A decision applies to one revision, the current one. The tracker shows the latest decision for the current
revision, so a corrected revision arriving after 보완요청 shows as received again until it is reviewed.
Sending a 보완요청 back to the facility is a later step (``ReviewInfo.sent_at`` stays None until then).
"""

from __future__ import annotations

import getpass
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import msgspec

from jbdesk import clock
from jbdesk.domain import jsonpath
from jbdesk.domain.field_names import describe, describe_between
from jbdesk.domain.forms import FormRef, InstanceRecord
from jbdesk.domain.hq import ReviewDecision, ReviewInfo
from jbdesk.domain.reference import ReferenceData
from jbdesk.errors import FormStateError, InvalidInputError, JbdeskError, NotFoundError
from jbdesk.services import audit
from jbdesk.store import review as store
from jbdesk.store import trust as trust_store
from jbdesk.store.settings import get_setting

if TYPE_CHECKING:
    from jbdesk.services.workspace import Workspace

MAX_COMMENT = 2000


@dataclass(frozen=True)
class FieldChange:
    """One field that differs between two revisions: its payload path, what a reader calls it, both values."""

    path: str
    label: str  # 요양보호사 · 현원 (the path itself when it cannot be named)
    old: Any
    new: Any


class ReviewService:
    """``ReviewService(ws)`` on a head-office workspace."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    def _require_hq(self) -> None:
        from jbdesk.services.workspace import Mode

        self.ws.require_mode(Mode.HQ)

    def accept(self, ref: FormRef, comment: str = "", *, revision: int | None = None) -> ReviewInfo:
        """접수: the current revision is accepted as it is."""
        return self.decide(ref, ReviewDecision.ACCEPTED, comment, revision=revision)

    def return_for_correction(
        self,
        ref: FormRef,
        comment: str,
        field_comments: Mapping[str, str] | None = None,
        *,
        revision: int | None = None,
    ) -> ReviewInfo:
        """보완요청: needs a comment or at least one field comment saying what to correct."""
        return self.decide(ref, ReviewDecision.RETURNED, comment, field_comments, revision=revision)

    def decide(
        self,
        ref: FormRef,
        decision: ReviewDecision,
        comment: str = "",
        field_comments: Mapping[str, str] | None = None,
        *,
        revision: int | None = None,
    ) -> ReviewInfo:
        """Record a decision on the current revision of ``ref``.

        ``revision``: the revision the reviewer looked at; refused when a newer one has arrived meanwhile.
        ``field_comments``: payload path (as in validation problems, e.g. ``rows/2/current``) -> comment.
        """
        self._require_hq()
        decision = ReviewDecision(decision)
        comment = comment.strip()
        fields = {p.strip(): t.strip() for p, t in (field_comments or {}).items() if t.strip()}
        if len(comment) > MAX_COMMENT or any(len(t) > MAX_COMMENT for t in fields.values()):
            raise InvalidInputError(f"의견은 {MAX_COMMENT:,}자까지 쓸 수 있습니다.")
        if decision is ReviewDecision.RETURNED and not comment and not fields:
            raise InvalidInputError("보완요청에는 무엇을 고쳐야 하는지 의견을 적어 주세요.")
        with self.ws.db.transaction() as s:
            revisions = trust_store.received_revisions(s, ref)  # in revision order; the last is current
            if not revisions or not revisions[-1].bundle_digest:
                raise NotFoundError(f"받은 적이 없는 보고는 검토할 수 없습니다: {ref.facility_code} {ref.label}")
            current = revisions[-1]
            if revision is not None and revision != current.record.revision:
                raise FormStateError(
                    f"{ref.facility_code} {ref.label}: {revision}판을 검토하는 사이 {current.record.revision}판이 "
                    "들어왔습니다. 새 판을 확인한 뒤 다시 결정하세요."
                )
            doc = msgspec.json.decode(current.record.payload)
            for path in fields:
                try:
                    jsonpath.get_at(doc, path)
                except InvalidInputError as exc:
                    raise InvalidInputError(f"보고에 없는 항목에 대한 의견입니다: '{path}'") from exc
            by = (get_setting(s, "operator_name", "") or "").strip() or _os_user()
            audit.record(
                s, "review", f"{ref.facility_code} {ref.form.value} {ref.period} {current.record.revision}판",
                {"decision": decision.value, "comment": comment, "fields": fields},
            )  # fmt: skip
            return store.add_review(
                s, ref, current.record.revision, decision, comment=comment, field_comments=fields,
                at=clock.now(), by=by,
            )  # fmt: skip

    def changes(self, older: InstanceRecord, newer: InstanceRecord) -> list[FieldChange]:
        """What changed from ``older`` to ``newer`` (two revisions of one instance), each field named in Korean."""
        from jbdesk.services.importer import diff

        old, new = msgspec.json.decode(older.payload), msgspec.json.decode(newer.payload)
        reference, form = self._reference(newer), newer.ref.form
        return [
            FieldChange(path, describe_between(form, old, new, path, reference), a, b) for path, a, b in diff(old, new)
        ]

    def field_names(self, record: InstanceRecord, paths: Iterable[str]) -> dict[str, str]:
        """What a reader calls each payload path of ``record`` (field comments, the fields offered to comment on)."""
        try:
            payload = msgspec.json.decode(record.payload)
        except msgspec.DecodeError:
            payload = None
        reference = self._reference(record)
        return {path: describe(record.ref.form, payload, path, reference) for path in paths}

    def _reference(self, record: InstanceRecord) -> ReferenceData | None:
        """The configuration the revision was made with (item titles), else the newest this PC has."""
        try:
            return self.ws.config.get(record.config_version)
        except JbdeskError:
            return self.ws.reference

    def latest(self, ref: FormRef) -> ReviewInfo | None:
        """The latest decision on the current revision (None: not reviewed, or a newer revision arrived)."""
        with self.ws.db.reading() as s:
            reviews = store.reviews_of(s, ref)
            current = trust_store.max_revision(s, ref)
        mine = [r for r in reviews if r.revision == current]
        return mine[-1] if mine else None

    def history(self, ref: FormRef) -> list[ReviewInfo]:
        """Every decision on any revision of ``ref``, oldest first."""
        with self.ws.db.reading() as s:
            return store.reviews_of(s, ref)

    def unsent_returns(self) -> list[ReviewInfo]:
        """보완요청 still standing and not yet sent back to the facility (for the feedback step): the latest
        decision on the current revision. A return head office later overruled, or one a newer revision has
        answered, is left out."""
        with self.ws.db.reading() as s:
            candidates = store.unsent_returns(s)
            out = []
            for review in candidates:
                if trust_store.max_revision(s, review.ref) != review.revision:
                    continue
                mine = [r for r in store.reviews_of(s, review.ref) if r.revision == review.revision]
                if mine and mine[-1].id == review.id:
                    out.append(review)
            return out


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "?"
