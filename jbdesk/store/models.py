"""Typed SQLAlchemy 2 models. Rows never leave jbdesk.store: repositories turn them into domain objects."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class Setting(Base):
    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class FacilityRow(Base):
    __tablename__ = "facility"

    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    aliases: Mapped[str] = mapped_column(Text, default="")  # '|'-separated spellings seen in documents
    type: Mapped[str] = mapped_column(String(100))
    group_name: Mapped[str] = mapped_column(String(100))
    account: Mapped[str] = mapped_column(String(20))
    operation: Mapped[str] = mapped_column(String(20))
    headcount_authorized: Mapped[int] = mapped_column(Integer)
    headcount_current: Mapped[int] = mapped_column(Integer)
    headcount_as_of: Mapped[date] = mapped_column(Date)
    budget_total_mkrw: Mapped[int] = mapped_column(Integer, default=0)
    budget_national_mkrw: Mapped[int] = mapped_column(Integer, default=0)
    budget_province_mkrw: Mapped[int] = mapped_column(Integer, default=0)
    budget_city_mkrw: Mapped[int] = mapped_column(Integer, default=0)
    budget_other_mkrw: Mapped[int] = mapped_column(Integer, default=0)
    features: Mapped[str] = mapped_column(Text, default="")  # ','-separated Feature values
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

    events: Mapped[list[FacilityEventRow]] = relationship(
        back_populates="facility", cascade="all, delete-orphan", order_by="FacilityEventRow.effective"
    )


class FacilityEventRow(Base):
    __tablename__ = "facility_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    facility_code: Mapped[str] = mapped_column(ForeignKey("facility.code", ondelete="CASCADE"), index=True)
    effective: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[datetime] = mapped_column(DateTime)

    facility: Mapped[FacilityRow] = relationship(back_populates="events")

    __table_args__ = (UniqueConstraint("facility_code", "effective", "status"),)


class FormInstanceRow(Base):
    """One revision of one form instance (facility, form, period). The highest revision is current."""

    __tablename__ = "form_instance"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    facility_code: Mapped[str] = mapped_column(ForeignKey("facility.code"), index=True)
    form: Mapped[str] = mapped_column(String(20))
    period: Mapped[str] = mapped_column(String(10))
    revision: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10))
    config_version: Mapped[int] = mapped_column(Integer)
    payload: Mapped[str] = mapped_column(Text)  # the form's msgspec JSON
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    ready_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")  # reply comment sent with a corrected revision
    digest: Mapped[str] = mapped_column(String(64), default="")  # head office: SHA-256 of the received payload
    bundle_id: Mapped[int | None] = mapped_column(ForeignKey("bundle.id"), nullable=True, index=True)

    __table_args__ = (UniqueConstraint("facility_code", "form", "period", "revision"),)


class ChangeRow(Base):
    """History of entered data: who changed what, when, from which value to which."""

    __tablename__ = "change_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("form_instance.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    os_user: Mapped[str] = mapped_column(String(100))
    operator: Mapped[str] = mapped_column(String(100), default="")
    action: Mapped[str] = mapped_column(String(20))
    field: Mapped[str] = mapped_column(Text, default="")
    old_value: Mapped[str | None] = mapped_column(Text, nullable=True)  # JSON
    new_value: Mapped[str | None] = mapped_column(Text, nullable=True)  # JSON


class FacilityKeyRow(Base):
    """A facility's enrolled public key (head office). Revoked keys stay: what they signed before stays valid."""

    __tablename__ = "facility_key"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    facility_code: Mapped[str] = mapped_column(ForeignKey("facility.code"), index=True)
    public_key: Mapped[str] = mapped_column(String(64))
    fingerprint: Mapped[str] = mapped_column(String(64), unique=True)
    enrolled_at: Mapped[datetime] = mapped_column(DateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    revoked_reason: Mapped[str] = mapped_column(Text, default="")


class ProvisionRow(Base):
    """A provisioning file head office issued; enrolment requests must name one of these."""

    __tablename__ = "provision"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    facility_code: Mapped[str] = mapped_column(ForeignKey("facility.code"), index=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    issued_at: Mapped[datetime] = mapped_column(DateTime)
    config_version: Mapped[int] = mapped_column(Integer)


class BundleRow(Base):
    """A data bundle merged at head office (one transaction each)."""

    __tablename__ = "bundle"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    facility_code: Mapped[str] = mapped_column(ForeignKey("facility.code"), index=True)
    sequence: Mapped[int] = mapped_column(Integer)
    prev_digest: Mapped[str] = mapped_column(String(64), default="")
    key_fingerprint: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[str] = mapped_column(String(40))
    imported_at: Mapped[datetime] = mapped_column(DateTime)
    file_name: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str] = mapped_column(String(20))
    notes: Mapped[str] = mapped_column(Text, default="")  # JSON list of Korean notes (gap, fork, stale ...)


class ImportLogRow(Base):
    """Every import attempt, refusals included."""

    __tablename__ = "import_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    file_name: Mapped[str] = mapped_column(Text)
    digest: Mapped[str] = mapped_column(String(64), default="")
    facility_code: Mapped[str] = mapped_column(String(16), default="")
    outcome: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(String(40), default="")
    message: Mapped[str] = mapped_column(Text, default="")


class FormReviewRow(Base):
    """Head office's decision on one received revision: 접수 or 보완요청, with comments. The latest row wins."""

    __tablename__ = "form_review"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    facility_code: Mapped[str] = mapped_column(ForeignKey("facility.code"), index=True)
    form: Mapped[str] = mapped_column(String(20))
    period: Mapped[str] = mapped_column(String(10))
    revision: Mapped[int] = mapped_column(Integer)
    decision: Mapped[str] = mapped_column(String(10))  # 접수 / 보완요청
    comment: Mapped[str] = mapped_column(Text, default="")
    field_comments: Mapped[str] = mapped_column(Text, default="{}")  # JSON object: payload path -> comment
    decided_at: Mapped[datetime] = mapped_column(DateTime)
    decided_by: Mapped[str] = mapped_column(String(100), default="")
    sent_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)  # sent back to the facility


class AuditRow(Base):
    """One entry of the hash-chained audit log: editing an entry breaks every hash after it."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    os_user: Mapped[str] = mapped_column(String(100))
    operator: Mapped[str] = mapped_column(String(100), default="")
    action: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(Text, default="")
    detail: Mapped[str] = mapped_column(Text, default="")
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class ConfigVersionRow(Base):
    """A configuration version (item lists, accounts, targets, survey method) and the first day it applies to."""

    __tablename__ = "config_version"

    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    effective_from: Mapped[date] = mapped_column(Date)
    payload: Mapped[str] = mapped_column(Text)  # ReferenceData as JSON
    note: Mapped[str] = mapped_column(Text, default="")
