"""Typed errors raised by the core; each carries a Korean message meant for the user."""

from __future__ import annotations


class JbdeskError(Exception):
    """Base of every error the core raises on purpose. ``message`` is shown to the user as is."""

    exit_code = 1

    def __init__(self, message: str, *, detail: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail

    def __str__(self) -> str:
        return self.message if not self.detail else f"{self.message}\n{self.detail}"


class InvalidInputError(JbdeskError):
    """A value the user gave is not acceptable (out of range, bad format)."""


class NotFoundError(JbdeskError):
    """Something the user named does not exist (facility code, form instance, file)."""


class ModeError(JbdeskError):
    """The operation does not fit this PC's mode (facility workstation vs head office)."""


class StoreError(JbdeskError):
    """The local database could not be opened or written (locked, damaged, disk full)."""


class SchemaTooNewError(StoreError):
    """The database was written by a newer jbdesk than this one."""


class FormStateError(JbdeskError):
    """A form instance is not in a state that allows the action (e.g. editing a submitted form)."""
