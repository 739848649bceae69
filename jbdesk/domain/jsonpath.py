"""Addressing a field inside a form payload by a path such as ``rows/2/current`` (JSON builtins only)."""

from __future__ import annotations

import copy
from typing import Any

from jbdesk.errors import InvalidInputError


def split(path: str) -> list[str | int]:
    parts: list[str | int] = []
    for part in path.strip("/").split("/"):
        if part == "":
            raise InvalidInputError(f"잘못된 항목 경로입니다: '{path}'")
        parts.append(int(part) if part.isdigit() else part)
    return parts


def _step(node: Any, part: str | int, path: str) -> Any:
    try:
        if isinstance(node, list) and isinstance(part, int):
            return node[part]
        if isinstance(node, dict) and isinstance(part, str):
            return node[part]
    except (IndexError, KeyError):
        pass
    raise InvalidInputError(f"없는 항목입니다: '{path}'")


def get_at(doc: Any, path: str) -> Any:
    node = doc
    for part in split(path):
        node = _step(node, part, path)
    return node


def set_at(doc: Any, path: str, value: Any) -> Any:
    """A copy of ``doc`` with the value at ``path`` replaced (dict keys may be new)."""
    out = copy.deepcopy(doc)
    *parents, last = split(path)
    node = out
    for part in parents:
        node = _step(node, part, path)
    in_dict = isinstance(node, dict) and isinstance(last, str)
    in_list = isinstance(node, list) and isinstance(last, int) and 0 <= last < len(node)
    if in_dict or in_list:
        node[last] = value
    else:
        raise InvalidInputError(f"없는 항목입니다: '{path}'")
    return out


def insert_at(doc: Any, list_path: str, index: int, value: Any) -> Any:
    out = copy.deepcopy(doc)
    node = get_at(out, list_path)
    if not isinstance(node, list) or not 0 <= index <= len(node):
        raise InvalidInputError(f"행을 넣을 수 없는 위치입니다: '{list_path}/{index}'")
    node.insert(index, value)
    return out


def remove_at(doc: Any, list_path: str, index: int) -> tuple[Any, Any]:
    """(copy without the item, the removed item)."""
    out = copy.deepcopy(doc)
    node = get_at(out, list_path)
    if not isinstance(node, list) or not 0 <= index < len(node):
        raise InvalidInputError(f"지울 행이 없습니다: '{list_path}/{index}'")
    return out, node.pop(index)


NAMING_KEYS = ("job_family", "code", "key", "name", "label")


def leaf_paths(doc: Any, prefix: str = "", context: str = "") -> list[tuple[str, Any, str]]:
    """(path, value, what the row is) of every scalar in a payload, in document order: ``('rows/3/on_leave', 0,
    '돌봄직')`` — the row named by its job family, item code or budget key so a reviewer can tell rows apart."""
    out: list[tuple[str, Any, str]] = []
    if isinstance(doc, dict):
        name = next((doc[k] for k in NAMING_KEYS if isinstance(doc.get(k), str) and doc[k]), "")
        for k, v in doc.items():
            out += leaf_paths(v, f"{prefix}{k}/", name or context)
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            out += leaf_paths(v, f"{prefix}{i}/", context)
    else:
        out.append((prefix.rstrip("/"), doc, context))
    return out
