"""Workarounds for PySide6 bugs, in one place: each says which versions need it and when it can go.

``guard_none_refcount``: PySide6 6.12.0's abi3 wheels drop references to ``None`` on some void calls (QPainter
drawing: tens of thousands per printed report) under Python 3.11, where ``None`` is not yet immortal (PEP 683 came
in 3.12); at zero CPython aborts ("deallocating None"). pyproject.toml excludes 6.12.0; 6.11.3 (the tested
version) does not drop them (tests/test_pyside_workarounds.py measures it), but a later 6.12.x may still, so the
guard stays until jbdesk requires Python 3.12 (then delete this function and its call in ``ui.app``) or a PySide6
release after 6.12.0 is measured not to leak and becomes the minimum.
"""

from __future__ import annotations

import sys

# None's reference count is raised by this much, once: far more references than a process can ever drop.
NONE_REFCOUNT_HEADROOM = 1 << 40


def guard_none_refcount() -> bool:
    """Raise ``None``'s reference count out of reach on Python 3.11 (once). True when it was raised now."""
    if sys.version_info >= (3, 12) or sys.getrefcount(None) >= NONE_REFCOUNT_HEADROOM >> 1:
        return False
    import ctypes

    # ob_refcnt is the first field of every object; None is never freed, so the count only has to stay above zero.
    ctypes.c_ssize_t.from_address(id(None)).value += NONE_REFCOUNT_HEADROOM
    return True
