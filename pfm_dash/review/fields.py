"""Comparing two declarations field by field, whatever fields their dataclasses have.

A field added to the model is compared without a change here: every dataclass field is read,
except the source ``location`` and fields declared ``compare=False``. Known fields get a
friendly name (``for_`` reads ``for``); values become plain JSON through :func:`plain`, where
a reference to another declaration shows as its name (a team as ``platform``, a linked panel
as ``uid / title``), not as its whole body.
"""

from __future__ import annotations

import dataclasses
import enum
import types
import typing
from collections import abc
from collections.abc import Callable, Collection, Mapping
from typing import Any

from pfm_dash.model.alerting import PanelLink, Team
from pfm_dash.model.dashboard import Dashboard, Folder
from pfm_dash.model.panels import Thresholds
from pfm_dash.model.query import Query
from pfm_dash.review.changes import Change, word_diff

FRIENDLY = {
    "for_": "for",
    "expr": "expression",
    "extra": "raw JSON (extra)",
    "panel": "linked panel",
    "runbook_url": "runbook",
    "pos": "position",
    "graph_tooltip": "tooltip",
    "color_mode": "colour mode",
    "stat_color": "colour mode",
}
SKIP = frozenset({"location"})
# Shown as one value even when nested: a list of threshold steps reads best whole.
WHOLE: tuple[type, ...] = (Thresholds,)


def friendly(name: str) -> str:
    return FRIENDLY.get(name, name.replace("_", " "))


def _reference(value: Any) -> Any:
    """How a declaration that another one points at is named, or None when it is not one."""
    if isinstance(value, Team):
        return value.name
    if isinstance(value, Dashboard):
        return value.uid
    if isinstance(value, Folder):
        return f"{value.title} ({value.uid})"
    if isinstance(value, PanelLink):
        return f"{value.dashboard.uid} / {value.panel.title}"
    if isinstance(value, Query):
        return value.expr
    return None


def plain(value: Any, top: bool = True, tag: bool = False) -> Any:
    """``value`` as JSON: enums by value, declarations as dicts of their non-default fields.

    Nested references (``top`` False) are named, not expanded; a query compared on its own
    (``top``) shows all its fields. ``tag`` names the kind of a declaration held where
    several kinds may stand (a mapping, a matcher, a variable): ``{"kind": "ValueMap", ...}``.
    """
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, enum.Enum):
        return plain(value.value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        ref = _reference(value)
        if ref is not None and not (top and isinstance(value, Query)):
            return ref
        out = fields_json(value)
        return {"kind": type(value).__name__, **out} if tag else out
    if isinstance(value, Mapping):
        return {str(k): plain(v, False, tag) for k, v in value.items()}
    if isinstance(value, Collection):
        return [plain(v, False, tag) for v in value]
    return repr(value)


def fields_json(value: Any) -> dict[str, Any]:
    """A declaration's own fields that differ from their defaults, even for a reference."""
    out: dict[str, Any] = {}
    for f in dataclasses.fields(value):
        if f.name in SKIP or not f.compare:
            continue
        current = getattr(value, f.name)
        if f.default is not dataclasses.MISSING and current == f.default:
            continue
        if f.default_factory is not dataclasses.MISSING and current == f.default_factory():
            continue
        out[f.name] = plain(current, False, _kinds(type(value), f.name))
    return out


_KINDS: dict[tuple[type, str], bool] = {}


def _kinds(cls: type, name: str) -> bool:
    """Cached :func:`_holds_kinds`: type hints are slow to resolve, and asked per value."""
    key = (cls, name)
    if key not in _KINDS:
        _KINDS[key] = _holds_kinds(cls, name)
    return _KINDS[key]


def _holds_kinds(cls: type, name: str) -> bool:
    """Whether field ``name`` of ``cls`` holds one of several declaration kinds.

    True for a union of classes (``ValueMap | RangeMap | NullMap``, a matcher) and for a base
    class with subclasses (``Variable``), also inside a list: then the kind must be shown.
    """
    try:
        hint = typing.get_type_hints(cls).get(name)
    except (NameError, TypeError):
        return False
    while typing.get_origin(hint) in (abc.Sequence, abc.Mapping, list, tuple, dict):
        hint = typing.get_args(hint)[-1] if typing.get_args(hint) else None
    options = [a for a in typing.get_args(hint) if a is not type(None)]
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        classes = [a for a in options if dataclasses.is_dataclass(a)]
        return len(classes) > 1
    return isinstance(hint, type) and dataclasses.is_dataclass(hint) and bool(hint.__subclasses__())


def field_names(before: Any, after: Any) -> list[str]:
    """The fields of both, in the after side's declaration order."""
    names = [f.name for f in dataclasses.fields(after) if f.compare and f.name not in SKIP]
    extra = [
        f.name
        for f in dataclasses.fields(before)
        if f.compare and f.name not in SKIP and f.name not in names
    ]
    return names + extra


def _nested(before: Any, after: Any) -> bool:
    """Two values of one declaration type compared field by field (``time start``)."""
    return (
        type(before) is type(after)
        and dataclasses.is_dataclass(before)
        and _reference(before) is None
        and not isinstance(before, WHOLE)
    )


def value_change(
    subject: str, name: str, before: Any, after: Any, prefix: str = "", tag: bool = False
) -> list[Change]:
    """The change of one field, or nothing; a dict or a nested declaration changes part by part.

    ``tag``: the field holds one of several kinds, so each value names its kind.
    """
    label = f"{prefix} {friendly(name)}".strip()
    if _nested(before, after):
        return compare_fields(subject, before, after, prefix=label)
    old, new = plain(before, tag=tag), plain(after, tag=tag)
    if old == new:
        return []
    if isinstance(old, dict) and isinstance(new, dict) and _flat(old) and _flat(new):
        out = []
        one = label.removesuffix("s")  # labels -> label severity
        for key in sorted(set(old) | set(new)):
            if old.get(key) != new.get(key):
                op = "added" if key not in old else "removed" if key not in new else "changed"
                out.append(Change(op, subject, f"{one} {key}", old.get(key), new.get(key)))
        return out
    words: tuple[tuple[str, str], ...] = ()
    if isinstance(old, str) and isinstance(new, str) and (name == "expr" or " " in old + new):
        words = word_diff(old, new)  # a one-word value reads better as before -> after
    return [Change("changed", subject, label, old, new, words)]


def _flat(value: dict[str, Any]) -> bool:
    return all(not isinstance(v, dict | list) for v in value.values())


def compare_fields(
    subject: str,
    before: Any,
    after: Any,
    skip: Collection[str] = (),
    special: Mapping[str, Callable[[Any, Any], list[Change]]] | None = None,
    prefix: str = "",
) -> list[Change]:
    """Every field that differs between two declarations of (possibly) different kinds.

    A field only one kind has compares with None; ``special`` overrides how one field compares.
    """
    out: list[Change] = []
    for name in field_names(before, after):
        if name in skip:
            continue
        old, new = getattr(before, name, None), getattr(after, name, None)
        if special and name in special:
            out.extend(special[name](old, new))
        else:
            tag = _kinds(type(after), name) or _kinds(type(before), name)
            out.extend(value_change(subject, name, old, new, prefix, tag))
    return out
