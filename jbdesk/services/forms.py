"""Form entry: open an instance (pre-filled), edit fields with autosave and history, validate, mark ready, reopen."""

from __future__ import annotations

import getpass
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import msgspec

from jbdesk import clock
from jbdesk.domain import jsonpath
from jbdesk.domain.facilities import DueForm
from jbdesk.domain.forms import EDITABLE, FORMS, ChangeEntry, FormKind, FormRef, FormStatus, InstanceRecord
from jbdesk.domain.periods import Period
from jbdesk.domain.validation import Problem, ValidationResult
from jbdesk.errors import FormStateError, InvalidInputError, ModeError, NotFoundError
from jbdesk.services.form_types import HANDLERS, FormContext
from jbdesk.store import Session
from jbdesk.store import forms as store
from jbdesk.store.settings import get_setting, set_setting

if TYPE_CHECKING:
    from jbdesk.services.workspace import Workspace


@dataclass(frozen=True)
class FormView:
    """Everything a form page shows: the stored revision, its data, problems and computed figures."""

    record: InstanceRecord
    data: Any  # the form's msgspec payload
    validation: ValidationResult
    computed: Any
    stored: bool = True  # False: a pre-filled instance shown but not saved until the first edit

    @property
    def ref(self) -> FormRef:
        return self.record.ref

    @property
    def status(self) -> FormStatus:
        return self.record.status

    @property
    def editable(self) -> bool:
        return self.record.editable

    @property
    def blocking(self) -> tuple[Problem, ...]:
        return self.validation.blocking(self.data.explanations)


@dataclass(frozen=True)
class DueStatus:
    """A report expected from the facility and where it stands."""

    due: DueForm
    status: FormStatus | None  # None: not started
    revision: int | None

    def overdue_on(self, today: date) -> bool:
        return self.due.overdue_on(today) and self.status in (None, FormStatus.DRAFT, FormStatus.READY)


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


class FormService:
    def __init__(self, ws: Workspace, today: date | None = None) -> None:
        self.ws = ws
        self._today = today

    @property
    def today(self) -> date:
        return self._today or clock.today()

    # who ---------------------------------------------------------------------------------
    @property
    def operator(self) -> str:
        with self.ws.db.reading() as s:
            return get_setting(s, "operator_name", "") or ""

    def set_operator(self, name: str) -> None:
        with self.ws.db.transaction() as s:
            set_setting(s, "operator_name", name.strip())

    @staticmethod
    def _os_user() -> str:
        try:
            return getpass.getuser()
        except (KeyError, OSError):  # no user name on some locked-down PCs
            return "?"

    # reading -----------------------------------------------------------------------------
    def _decode(self, form: FormKind, payload: bytes) -> Any:
        return msgspec.json.decode(payload, type=HANDLERS[form].data_type)

    def _context(self, s: Session, ref: FormRef, config_version: int | None = None) -> FormContext:
        """Rules see the configuration the instance was entered under (a new one: its period's version)."""
        facility = self.ws.registry.get(ref.facility_code)
        reference = (
            self.ws.config.get(config_version) if config_version is not None else self.ws.config.for_period(ref.period)
        )

        def load(form: FormKind, period: Period) -> Any:
            record = store.current(s, FormRef(ref.facility_code, form, period))
            return self._decode(form, record.payload) if record is not None else None

        return FormContext(ref, facility, reference, self.today, load)

    def _view(self, s: Session, record: InstanceRecord) -> FormView:
        handler = HANDLERS[record.ref.form]
        data = self._decode(record.ref.form, record.payload)
        ctx = self._context(s, record.ref, record.config_version)
        return FormView(record, data, handler.validate(data, ctx), handler.compute(data, ctx))

    def _current_view(self, s: Session, ref: FormRef) -> FormView:
        """The current revision, read back inside the transaction that just wrote or checked it."""
        record = store.current(s, ref)
        if record is None:
            raise NotFoundError(f"아직 만들지 않은 보고입니다: {ref.label}")
        return self._view(s, record)

    def get(self, ref: FormRef) -> FormView | None:
        with self.ws.db.reading() as s:
            record = store.current(s, ref)
            return self._view(s, record) if record is not None else None

    def revisions(self, ref: FormRef) -> list[InstanceRecord]:
        with self.ws.db.reading() as s:
            return store.revisions(s, ref)

    def history(self, ref: FormRef) -> list[ChangeEntry]:
        with self.ws.db.reading() as s:
            return store.history(s, ref)

    def data_of(self, record: InstanceRecord) -> Any:
        return self._decode(record.ref.form, record.payload)

    # creating ----------------------------------------------------------------------------
    def _check_facility_pc(self, ref: FormRef) -> None:
        info = self.ws.info()
        if info.facility_code != ref.facility_code:
            raise ModeError("이 PC에서는 이 시설의 보고를 입력할 수 없습니다.")

    def open(self, ref: FormRef) -> FormView:
        """The current revision; a new instance is shown pre-filled and saved only with its first edit.

        Browsing periods must not leave empty drafts behind, and the pre-fill must use the previous
        period as it is when the clerk starts typing, not when the page was first looked at.
        """
        existing = self.get(ref)
        if existing is not None:
            return existing
        self._check_facility_pc(ref)
        with self.ws.db.reading() as s:
            record = self._new_record(s, ref, clock.now())
            view = self._view(s, record)
        return FormView(view.record, view.data, view.validation, view.computed, stored=False)

    def _new_record(self, s: Session, ref: FormRef, now: datetime) -> InstanceRecord:
        ctx = self._context(s, ref)
        data = HANDLERS[ref.form].new(ctx)
        return InstanceRecord(
            ref=ref,
            revision=1,
            status=FormStatus.DRAFT,
            config_version=ctx.reference.version,
            payload=msgspec.json.encode(data),
            created_at=now,
            updated_at=now,
        )

    def _current_or_create(self, s: Session, ref: FormRef, now: datetime) -> InstanceRecord:
        record = store.current(s, ref)
        if record is not None:
            return record
        self._check_facility_pc(ref)
        store.insert(s, self._new_record(s, ref, now))
        store.log_change(s, ref, at=now, os_user=self._os_user(), operator=self._operator(s), action="create")
        record = store.current(s, ref)
        assert record is not None
        return record

    def _operator(self, s: Session) -> str:
        return get_setting(s, "operator_name", "") or ""

    # editing -----------------------------------------------------------------------------
    def _edit(
        self, ref: FormRef, changes: list[tuple[str, Any, Any]], action: str, mutate: Callable[[Any], Any]
    ) -> FormView:
        """Apply ``mutate(doc) -> doc`` to the current payload in one transaction, log ``changes``."""
        now = clock.now()
        with self.ws.db.transaction() as s:
            record = self._current_or_create(s, ref, now)
            if record.status not in EDITABLE:
                raise FormStateError(
                    f"{record.status.value} 상태의 보고는 고칠 수 없습니다. 고치려면 '수정하기'로 새 판을 여세요."
                )
            doc = msgspec.json.decode(record.payload)
            new_doc = mutate(doc)
            if not changes:  # the same value typed again: nothing to save, status stays
                return self._current_view(s, ref)
            try:
                data = msgspec.convert(new_doc, type=HANDLERS[ref.form].data_type)
            except msgspec.ValidationError as exc:
                raise InvalidInputError("입력값의 형식이 올바르지 않습니다.", detail=str(exc)) from exc
            new_status = FormStatus.DRAFT if record.status is FormStatus.READY else None
            store.update_current(s, ref, payload=msgspec.json.encode(data), status=new_status, at=now)
            user, operator = self._os_user(), self._operator(s)
            for field, old, new in changes:
                store.log_change(
                    s, ref, at=now, os_user=user, operator=operator, action=action, field=field,
                    old_value=_dumps(old), new_value=_dumps(new),
                )  # fmt: skip
            if new_status is not None:
                store.log_change(
                    s, ref, at=now, os_user=user, operator=operator, action="status", field="status",
                    old_value=_dumps(record.status.value), new_value=_dumps(new_status.value),
                )  # fmt: skip
            return self._current_view(s, ref)

    def set_value(self, ref: FormRef, path: str, value: Any) -> FormView:
        return self.set_values(ref, [(path, value)])

    def set_values(self, ref: FormRef, values: Iterable[tuple[str, Any]]) -> FormView:
        """Several fields at once (a pasted block): one transaction, one history entry per changed field."""
        values = list(values)
        changes: list[tuple[str, Any, Any]] = []

        def mutate(doc: Any) -> Any:
            for path, value in values:
                old = jsonpath.get_at(doc, path)
                if old != value:
                    changes.append((path, old, value))
                    doc = jsonpath.set_at(doc, path, value)
            return doc

        return self._edit(ref, changes, "edit", mutate)

    def insert_item(self, ref: FormRef, list_path: str, index: int, value: Any) -> FormView:
        path = f"{list_path}/{index}"
        return self._edit(
            ref, [(path, None, value)], "insert", lambda doc: jsonpath.insert_at(doc, list_path, index, value)
        )

    def remove_item(self, ref: FormRef, list_path: str, index: int) -> FormView:
        changes: list[tuple[str, Any, Any]] = []

        def mutate(doc: Any) -> Any:
            out, removed = jsonpath.remove_at(doc, list_path, index)
            changes.append((f"{list_path}/{index}", removed, None))
            return out

        return self._edit(ref, changes, "remove", mutate)

    def explain(self, ref: FormRef, problem_key: str, text: str) -> FormView:
        """Keep the explanation of a warning with the data (empty text removes it)."""
        changes: list[tuple[str, Any, Any]] = []

        def mutate(doc: Any) -> Any:
            explanations = dict(doc.get("explanations") or {})
            old = explanations.get(problem_key)
            if text.strip():
                explanations[problem_key] = text.strip()
            else:
                explanations.pop(problem_key, None)
            if old != explanations.get(problem_key):
                changes.append((f"explanations[{problem_key}]", old, explanations.get(problem_key)))
            return {**doc, "explanations": explanations}

        return self._edit(ref, changes, "explain", mutate)

    def replace_data(self, ref: FormRef, data: msgspec.Struct, action: str = "replace") -> FormView:
        """Replace the whole payload (reloading lines from a revised budget, for instance)."""
        new_doc = msgspec.to_builtins(data)
        changes: list[tuple[str, Any, Any]] = []

        def mutate(doc: Any) -> Any:
            changes.append(("", doc, new_doc))
            return new_doc

        return self._edit(ref, changes, action, mutate)

    # status ------------------------------------------------------------------------------
    def _set_status(self, s: Session, record: InstanceRecord, status: FormStatus, now: datetime) -> None:
        store.update_current(s, record.ref, status=status, at=now)
        store.log_change(
            s, record.ref, at=now, os_user=self._os_user(), operator=self._operator(s), action="status",
            field="status", old_value=_dumps(record.status.value), new_value=_dumps(status.value),
        )  # fmt: skip

    def mark_ready(self, ref: FormRef) -> FormView:
        """작성완료: allowed when no error remains and every warning has an explanation."""
        now = clock.now()
        with self.ws.db.transaction() as s:
            record = self._current_or_create(s, ref, now)
            view = self._view(s, record)
            if record.status is FormStatus.READY:
                return view
            if record.status not in EDITABLE:
                raise FormStateError(f"{record.status.value} 상태의 보고입니다.")
            blocking = view.blocking
            if blocking:
                lines = "\n".join(f"· {p.message}" for p in blocking[:10])
                more = f"\n외 {len(blocking) - 10}건" if len(blocking) > 10 else ""
                raise FormStateError(
                    f"{ref.label}: 고칠 곳이 {len(blocking)}건 있어 작성완료할 수 없습니다.", detail=lines + more
                )
            self._set_status(s, record, FormStatus.READY, now)
            return self._current_view(s, ref)

    def mark_draft(self, ref: FormRef) -> FormView:
        with self.ws.db.transaction() as s:
            record = store.current(s, ref)
            if record is None or record.status is not FormStatus.READY:
                raise FormStateError("작성완료 상태의 보고만 작성중으로 되돌릴 수 있습니다.")
            self._set_status(s, record, FormStatus.DRAFT, clock.now())
            return self._current_view(s, ref)

    def mark_submitted(self, refs: Iterable[FormRef]) -> None:
        """Called by export, in the export's transaction scope: 작성완료 → 제출됨 (read-only)."""
        now = clock.now()
        with self.ws.db.transaction() as s:
            for ref in refs:
                record = store.current(s, ref)
                if record is None or record.status is not FormStatus.READY:
                    raise FormStateError(f"작성완료되지 않은 보고는 보낼 수 없습니다: {ref.label}")
                self._set_status(s, record, FormStatus.SUBMITTED, now)

    def reopen(self, ref: FormRef, note: str = "") -> FormView:
        """Correct a submitted form: revision n stays as it was, revision n+1 starts as 작성중 with its data."""
        now = clock.now()
        with self.ws.db.transaction() as s:
            record = store.current(s, ref)
            if record is None:
                raise NotFoundError(f"아직 만들지 않은 보고입니다: {ref.label}")
            if record.status in EDITABLE:
                raise FormStateError("아직 제출하지 않은 보고는 그대로 고치면 됩니다.")
            store.insert(
                s,
                InstanceRecord(
                    ref=ref,
                    revision=record.revision + 1,
                    status=FormStatus.DRAFT,
                    config_version=record.config_version,
                    payload=record.payload,
                    created_at=now,
                    updated_at=now,
                    note=note.strip(),
                ),
            )
            store.log_change(
                s, ref, at=now, os_user=self._os_user(), operator=self._operator(s), action="reopen",
                field="revision", old_value=str(record.revision), new_value=str(record.revision + 1),
            )  # fmt: skip
            return self._current_view(s, ref)

    # overview ----------------------------------------------------------------------------
    def due_statuses(self, facility_code: str) -> list[DueStatus]:
        """Every report expected from the facility so far, newest first, with its current status."""
        due = self.ws.registry.open_reports(facility_code, self.today)
        with self.ws.db.reading() as s:
            current = {(r.ref.form, r.ref.period): r for r in store.current_for_facility(s, facility_code)}
        out = []
        for d in due:
            record = current.get((d.form, d.period))
            out.append(DueStatus(d, record.status if record else None, record.revision if record else None))
        return sorted(out, key=lambda x: (x.due.due, FORMS[x.due.form].label), reverse=True)
