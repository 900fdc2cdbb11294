"""Routing compared by its effect: for each alert, who it reaches and with what waits.

Both sides' route trees are built as the build builds them and matched by
:mod:`pfm_dash.routing` (the logic ``check``, the build and ``verify`` use), once per
environment the alert can fire in; only alerts whose deliveries differ are listed, with a
sentence naming the receivers it no longer or now reaches. Team declarations (receivers,
timings, on-call) are compared too.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from pfm_dash.formats.alertmanager import route_tree, settings_from
from pfm_dash.project import Project
from pfm_dash.review.changes import Change, Section
from pfm_dash.review.fields import compare_fields, fields_json
from pfm_dash.routing import Delivery, alert_labels, deliveries


def routes_of(project: Project) -> dict[tuple[str, str], list[Delivery]]:
    """(alert, environment) -> the deliveries Alertmanager would make."""
    if not project.teams:
        return {}
    settings = settings_from(project.config)
    route = route_tree(sorted(project.teams, key=lambda t: t.name), settings)
    out: dict[tuple[str, str], list[Delivery]] = {}
    for rule in project.alerts:
        for labels in alert_labels(rule.name, rule.all_labels, settings.environments):
            out[(rule.name, labels.get("environment", ""))] = deliveries(route, labels)
    return out


def _sentence(before: list[Delivery], after: list[Delivery]) -> str:
    old = {d.receiver for d in before}
    new = {d.receiver for d in after}
    parts = []
    if old - new:
        parts.append("no longer reaches " + ", ".join(sorted(old - new)))
    if new - old:
        parts.append("now reaches " + ", ".join(sorted(new - old)))
    kept = {d.receiver: d for d in before}
    for d in after:
        if d.receiver in kept and kept[d.receiver] != d:
            parts.append(f"reaches {d.receiver} with other waits")
    return "; ".join(parts)


def _teams(before: Project, after: Project) -> list[Change]:
    old = {t.name: t for t in before.teams}
    new = {t.name: t for t in after.teams}
    out: list[Change] = []
    for name in sorted(set(old) | set(new)):
        subject = f"team {name}"
        if name not in old:
            out.append(Change("added", subject, "team", None, fields_json(new[name])))
        elif name not in new:
            out.append(Change("removed", subject, "team", fields_json(old[name]), None))
        else:
            out.extend(compare_fields(subject, old[name], new[name], skip={"name"}))
    return out


def _one(a: list[Delivery] | None, b: list[Delivery] | None) -> Change | None:
    """The change of one alert in one environment (subject filled in by the caller)."""
    if a is None and b is not None:
        names = ", ".join(d.receiver for d in b)
        note = f"new alert, reaches {names}"
        return Change("added", "", "receivers", None, [d.describe() for d in b], note=note)
    if b is None and a is not None:
        names = ", ".join(d.receiver for d in a)
        note = f"removed alert, no longer reaches {names}"
        return Change("removed", "", "receivers", [d.describe() for d in a], None, note=note)
    if a is not None and b is not None and a != b:
        before, after = [d.describe() for d in a], [d.describe() for d in b]
        return Change("changed", "", "receivers", before, after, note=_sentence(a, b))
    return None


def _by_env(per_env: list[tuple[str, Change]], side: str) -> dict[str, Any] | None:
    """{environment: deliveries} on one side, or None where the alert does not exist."""
    values = {env: getattr(change, side) for env, change in per_env}
    return None if all(v is None for v in values.values()) else values


def compare_routing(before: Project, after: Project) -> list[Section]:
    """One routing section, when any alert's receivers or waits (or any team) changed.

    An alert that changes alike in several environments is one change naming them all.
    """
    old, new = routes_of(before), routes_of(after)
    changes = _teams(before, after)
    merged: dict[tuple[str, str, str], list[tuple[str, Change]]] = {}
    for alert, env in sorted(set(old) | set(new)):
        change = _one(old.get((alert, env)), new.get((alert, env)))
        if change is not None:
            merged.setdefault((alert, change.op, change.note), []).append((env, change))
    for (alert, _, _), per_env in merged.items():
        where = ", ".join(env for env, _ in per_env if env)
        first = per_env[0][1]
        changes.append(
            replace(
                first,
                subject=f"alert {alert} in {where}" if where else f"alert {alert}",
                before=_by_env(per_env, "before"),
                after=_by_env(per_env, "after"),
            )
        )
    if not changes:
        return []
    return [Section("routing", "alertmanager", "Alertmanager routing", "changed", changes)]
