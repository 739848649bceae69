"""The one text hook for user-facing strings (Korean source text; translations plug in here)."""

from __future__ import annotations

_catalog: dict[str, str] = {}


def tr(text: str) -> str:
    """Return the user-facing text for *text* (the Korean source string)."""
    return _catalog.get(text, text)


def install_catalog(catalog: dict[str, str]) -> None:
    """Replace the active translation catalogue (source text -> translated text)."""
    _catalog.clear()
    _catalog.update(catalog)
