"""Routing compared by its effect: for each alert, who it reaches and with what waits.

Both sides' route trees are built as the build builds them and matched by
:mod:`pfm_dash.routing` (the logic ``check``, the build and ``verify`` use), once per
environment the alert can fire in; only alerts whose deliveries differ are listed, with a
sentence naming the receivers it no longer or now reaches. Team declarations (receivers,
timings, on-call) are compared too.
"""

from __future__ import annotations

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


def _subject(alert: str, env: str) -> str:
    return f"alert {alert} in {env}" if env else f"alert {alert}"


def compare_routing(before: Project, after: Project) -> list[Section]:
    """One routing section, when any alert's receivers or waits (or any team) changed."""
    old, new = routes_of(before), routes_of(after)
    changes = _teams(before, after)
    for key in sorted(set(old) | set(new)):
        a, b = old.get(key), new.get(key)
        subject = _subject(*key)
        if a is None and b is not None:
            names = ", ".join(d.receiver for d in b)
            changes.append(
                Change(
                    "added",
                    subject,
                    "receivers",
                    None,
                    [d.describe() for d in b],
                    note=f"new alert, reaches {names}",
                )
            )
        elif b is None and a is not None:
            names = ", ".join(d.receiver for d in a)
            changes.append(
                Change(
                    "removed",
                    subject,
                    "receivers",
                    [d.describe() for d in a],
                    None,
                    note=f"removed alert, no longer reaches {names}",
                )
            )
        elif a is not None and b is not None and a != b:
            changes.append(
                Change(
                    "changed",
                    subject,
                    "receivers",
                    [d.describe() for d in a],
                    [d.describe() for d in b],
                    note=_sentence(a, b),
                )
            )
    if not changes:
        return []
    return [Section("routing", "alertmanager", "Alertmanager routing", "changed", changes)]
