"""Why a bundle or other signed file is refused: a stable reason code and a Korean message."""

from __future__ import annotations

from enum import StrEnum

from jbdesk.errors import JbdeskError


class Reason(StrEnum):
    NOT_ZIP = "not_zip"
    TOO_LARGE = "too_large"
    TOO_MANY_MEMBERS = "too_many_members"
    BAD_NAME = "bad_name"
    DUPLICATE_MEMBER = "duplicate_member"
    OVERSIZED_MEMBER = "oversized_member"
    BOMB = "bomb"
    MISSING_MEMBER = "missing_member"
    EXTRA_MEMBER = "extra_member"
    MALFORMED = "malformed"
    FORMAT_TOO_NEW = "format_too_new"
    WRONG_KIND = "wrong_kind"
    UNKNOWN_FACILITY = "unknown_facility"
    KEY_NOT_ENROLLED = "key_not_enrolled"
    KEY_REVOKED = "key_revoked"
    BAD_SIGNATURE = "bad_signature"
    TAMPERED = "tampered"
    SCHEMA = "schema"
    INVALID = "invalid"
    CONFLICT = "conflict"
    WRONG_RECIPIENT = "wrong_recipient"
    FOREIGN = "foreign"


class BundleError(JbdeskError):
    """A signed file was refused. ``reason`` is stable for tests and logs; ``message`` is for people."""

    def __init__(self, reason: Reason, message: str, *, detail: str | None = None) -> None:
        super().__init__(message, detail=detail)
        self.reason = reason
