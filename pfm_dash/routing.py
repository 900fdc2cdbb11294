"""Which receivers an alert reaches: Alertmanager's route matching, in one place.

The build's validation, the Alertmanager format, ``pfm-dash verify`` and ``pfm-dash diff`` all
ask this module, so they cannot disagree. It follows Alertmanager's ``dispatch/route.go``:
the root matches every alert; a route's children are tried in order; a matching child that
does not ``continue`` stops the search among its siblings; a route none of whose children
matched delivers itself. A child inherits its parent's receiver, ``group_by`` and timings
when it does not set them; the root's defaults are Alertmanager's (``config/config.go``:
group_wait 30s, group_interval 5m, repeat_interval 4h). Matchers are Alertmanager's
``matchers:`` strings (``name="v"``, ``!=``, ``=~``, ``!~``; regexes anchored at both ends,
a missing label is the empty string) and the older ``match:``/``match_re:`` maps.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, TypeVar

from pfm_dash.records import record

__all__ = ["Delivery", "alert_labels", "deliveries", "inhibitors", "matches", "resolve", "walk"]

ROOT_DEFAULTS = {"group_wait": "30s", "group_interval": "5m", "repeat_interval": "4h"}
_MATCHER = re.compile(r'^\s*(\w+)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"\s*$')
_BARE = re.compile(r"^\s*(\w+)\s*(=~|!~|!=|=)\s*(.*?)\s*$")


@record
class Delivery:
    """One route that delivers an alert: its receiver, its timings and how deep it sits.

    ``depth`` 0 is the root route: nothing below it matched (the safety net).
    """

    receiver: str
    group_wait: str
    group_interval: str
    repeat_interval: str
    group_by: tuple[str, ...] = ()
    depth: int = 0

    def describe(self) -> str:
        """``team (wait 30s, every 5m, repeat 4h)``: what a reviewer needs on one line."""
        return (
            f"{self.receiver} (wait {self.group_wait}, every {self.group_interval}, "
            f"repeat {self.repeat_interval})"
        )


_R = TypeVar("_R", bound=Mapping[str, Any])


def walk(route: _R) -> Iterator[_R]:
    """Every route of the tree, parents before children, in Alertmanager's order."""
    yield route
    for child in route.get("routes", []) or []:
        yield from walk(child)


def _parse(matcher: str) -> tuple[str, str, str]:
    found = _MATCHER.match(matcher)
    if found is not None:
        name, op, value = found.groups()
        return name, op, value.replace('\\"', '"').replace("\\\\", "\\")
    bare = _BARE.match(matcher)
    if bare is None:
        raise ValueError(f"cannot read matcher {matcher!r}")
    name, op, value = bare.groups()
    return name, op, value


def matches(matcher: str, labels: Mapping[str, str]) -> bool:
    """Whether one ``matchers:`` entry holds for ``labels``."""
    name, op, value = _parse(matcher)
    actual = labels.get(name, "")
    if op == "=":
        return actual == value
    if op == "!=":
        return actual != value
    hit = re.fullmatch(value, actual) is not None
    return hit if op == "=~" else not hit


def _route_matches(route: Mapping[str, Any], labels: Mapping[str, str]) -> bool:
    if not all(matches(m, labels) for m in route.get("matchers", []) or []):
        return False
    for name, value in (route.get("match") or {}).items():
        if labels.get(name, "") != str(value):
            return False
    for name, value in (route.get("match_re") or {}).items():
        if re.fullmatch(str(value), labels.get(name, "")) is None:
            return False
    return True


def _inherit(parent: Mapping[str, Any], child: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(parent)
    for key in ("receiver", "group_by", *ROOT_DEFAULTS):
        if child.get(key) is not None:
            merged[key] = child[key]
    return merged


def deliveries(route: Mapping[str, Any], labels: Mapping[str, str]) -> list[Delivery]:
    """Each route that delivers an alert with ``labels``, in the order Alertmanager finds them."""
    root = _inherit(ROOT_DEFAULTS, route)

    def visit(node: Mapping[str, Any], settings: Mapping[str, Any], depth: int) -> list[Delivery]:
        out: list[Delivery] = []
        for child in node.get("routes", []) or []:
            if _route_matches(child, labels):
                out.extend(visit(child, _inherit(settings, child), depth + 1))
                if not child.get("continue", False):
                    break
        if out:
            return out
        return [
            Delivery(
                receiver=str(settings.get("receiver", "")),
                group_wait=str(settings["group_wait"]),
                group_interval=str(settings["group_interval"]),
                repeat_interval=str(settings["repeat_interval"]),
                group_by=tuple(settings.get("group_by") or ()),
                depth=depth,
            )
        ]

    return visit(route, root, 0)


def resolve(route: Mapping[str, Any], labels: Mapping[str, str]) -> list[tuple[str, int]]:
    """(receiver, depth) for each delivering route; what ``amtool config routes test`` names."""
    return [(d.receiver, d.depth) for d in deliveries(route, labels)]


def alert_labels(
    name: str, labels: Mapping[str, str], environments: Sequence[str]
) -> list[dict[str, str]]:
    """The labels an alert carries at firing, once per environment it can fire in.

    A rule that sets ``environment`` itself fires only there; otherwise the series it
    watches carry each of the ``environments`` the targets are scraped with.
    """
    base = {"alertname": name, **labels}
    if "environment" in base:
        return [base]
    return [{**base, "environment": env} for env in environments] or [base]


def _side_matches(rule: Mapping[str, Any], side: str, labels: Mapping[str, str]) -> bool:
    """Whether ``labels`` match an inhibit rule's ``source``/``target`` side, in either of
    Alertmanager's spellings (``*_matchers`` or the older ``*_match``/``*_match_re``)."""
    return _route_matches(
        {
            "matchers": rule.get(f"{side}_matchers"),
            "match": rule.get(f"{side}_match"),
            "match_re": rule.get(f"{side}_match_re"),
        },
        labels,
    )


def inhibitors(
    rules: Sequence[Mapping[str, Any]],
    target: Mapping[str, str],
    firing: Sequence[Mapping[str, str]],
) -> list[Mapping[str, str]]:
    """The firing alerts that mute an alert with labels ``target``, as Alertmanager's
    ``inhibit/inhibit.go`` decides (``Mutes``, ``hasEqual``): the target matches a rule's target
    side, a firing alert its source side, they agree on every ``equal`` label (a missing label
    is the empty string), and an alert that matches both sides is not muted by one that does too.
    """
    out: list[Mapping[str, str]] = []
    for rule in rules:
        if not _side_matches(rule, "target", target):
            continue
        two_sided = _side_matches(rule, "source", target)
        for source in firing:
            if source == target or not _side_matches(rule, "source", source):
                continue
            if any(source.get(n, "") != target.get(n, "") for n in rule.get("equal") or ()):
                continue
            if two_sided and _side_matches(rule, "target", source):
                continue
            out.append(source)
    return out
