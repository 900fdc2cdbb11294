"""Is a re-generated dashboard the same as the one it came from? (the import's proof)

``compare_dashboards(original, output)`` lists every difference that matters to Grafana;
an empty list means equal. Equal means: every key and value of the original is in the
output with the same value (panels matched by id, their targets by refId, variables by name),
and every key the output adds holds Grafana's default for it (the table in
:mod:`pfm_dash.formats.grafana.parse.defaults`), so it does not change what Grafana shows.

The only normalisations (listed in docs/import.md):
- the dashboard's ``id``, ``version`` and ``iteration`` (the Grafana instance's bookkeeping);
- the sharing keys ``__inputs``, ``__requires``, ``__elements`` (exports only);
- datasource references: a Prometheus reference (``{type: prometheus, ...}``, a
  ``${DS_...}`` export placeholder, an old name, or null for the default) may come back
  pointed at the datasource variable, and a panel or target without one may gain that;
- a target without ``refId`` is compared under the one Grafana gives it on load
  (``PanelModel.ensureQueryIds``: the first free letter A, B, ...);
- ``schemaVersion`` may rise (Grafana migrates on load, so the lower one reads the same).
Used by tests/formats/grafana/test_parse_corpus.py (JSON -> model -> JSON) and by the
python import's proof (JSON -> Python -> build -> JSON).
"""

from __future__ import annotations

import itertools
import re
import string
from collections.abc import Iterator, Mapping
from typing import Any

from pfm_dash.formats.grafana.parse import defaults as grafana
from pfm_dash.formats.grafana.parse.reconcile import same

DASHBOARD_NORMALISED = frozenset(
    {"id", "version", "iteration", "__inputs", "__requires", "__elements"}
)
_VARIABLE_UID = re.compile(r"^\$(\{[A-Za-z_]\w*(:\w+)?\}|[A-Za-z_]\w*)$")
_BUILTIN_ANNOTATION = grafana.DASHBOARD["annotations.list"][0]


def _letters() -> Iterator[str]:
    for size in itertools.count(1):
        for combo in itertools.product(string.ascii_uppercase, repeat=size):
            yield "".join(combo)


def ref_ids(targets: list[Any]) -> list[str]:
    """Each target's refId, or the one Grafana assigns it (``ensureQueryIds``)."""
    used = {t.get("refId") for t in targets if isinstance(t, dict) and t.get("refId")}
    letters = (c for c in _letters() if c not in used)
    out = []
    for target in targets:
        ref = target.get("refId") if isinstance(target, dict) else None
        out.append(ref or next(letters))
    return out


def _is_prometheus_ref(value: Any) -> bool:
    if value is None or isinstance(value, str):
        return True
    if isinstance(value, Mapping):
        kind, uid = value.get("type"), value.get("uid")
        # No type: a name-like uid, or nothing at all (the default datasource, as null is).
        return kind == "prometheus" or (kind is None and (uid is None or isinstance(uid, str)))
    return False


def _points_at_variable(value: Any, variable: str) -> bool:
    if not isinstance(value, Mapping):
        return False
    uid = value.get("uid")
    return value.get("type") == "prometheus" and uid in (f"${{{variable}}}", f"${variable}")


class _Comparison:
    def __init__(self, variable: str) -> None:
        self.variable = variable
        self.problems: list[str] = []

    # --- generic JSON ------------------------------------------------------------------
    def value(
        self, path: str, original: Any, output: Any, table: Mapping[str, Any], rel: str
    ) -> None:
        if isinstance(original, Mapping) and isinstance(output, Mapping):
            self.mapping(path, original, output, table, rel)
        elif isinstance(original, list) and isinstance(output, list):
            if len(original) != len(output):
                counts = f"{len(original)} items became {len(output)}"
                self.problems.append(f"{path}: {counts}: {original!r} -> {output!r}")
                return
            for index, (a, b) in enumerate(zip(original, output, strict=True)):
                self.value(f"{path}[{index}]", a, b, {}, "")
        elif not same(original, output):
            self.problems.append(f"{path}: {original!r} became {output!r}")

    def mapping(
        self,
        path: str,
        original: Mapping[str, Any],
        output: Mapping[str, Any],
        table: Mapping[str, Any],
        rel: str,
        skip: frozenset[str] = frozenset(),
    ) -> None:
        if not isinstance(original, Mapping) or not isinstance(output, Mapping):
            self.value(path, original, output, {}, "")
            return
        for key, value in original.items():
            if key in skip:
                continue
            sub = f"{rel}.{key}" if rel else key
            if key not in output:
                self.problems.append(f"{path}.{key}: missing (was {value!r})")
            elif (
                key == "datasource"
                and _is_prometheus_ref(value)
                and _points_at_variable(output[key], self.variable)
            ):
                continue
            else:
                self.value(f"{path}.{key}", value, output[key], table, sub)
        for key, value in output.items():
            if key in original or key in skip:
                continue
            sub = f"{rel}.{key}" if rel else key
            if key == "datasource" and _points_at_variable(value, self.variable):
                continue
            self.added(f"{path}.{key}", value, table, sub)

    def added(self, path: str, value: Any, table: Mapping[str, Any], rel: str) -> None:
        """A key the original lacked: fine when it holds Grafana's default for that key."""
        if rel in table and same(table[rel], value):
            return
        if isinstance(value, Mapping) and not value:
            return  # an empty object adds nothing
        if isinstance(value, Mapping) and value and rel:
            for key, item in value.items():
                self.added(f"{path}.{key}", item, table, f"{rel}.{key}")
            return
        self.problems.append(f"{path}: added {value!r}, not Grafana's default")

    # --- dashboard structure -----------------------------------------------------------
    def dashboard(self, original: Mapping[str, Any], output: Mapping[str, Any]) -> None:
        skip = DASHBOARD_NORMALISED | {
            "panels",
            "templating",
            "annotations",
            "schemaVersion",
            "links",
        }
        table = dict(grafana.DASHBOARD)
        self.mapping("$", original, output, table, "", skip)
        self._links(original.get("links"), output.get("links"))
        self._schema(original, output)
        self._annotations(original, output)
        self._variables(original, output)
        self._panels(original, output)

    def _links(self, before: Any, after: Any) -> None:
        if before is None and after in (None, []):
            return
        if not isinstance(before, list) or not isinstance(after, list) or len(before) != len(after):
            self.problems.append(f"$.links: {before!r} became {after!r}")
            return
        for index, (a, b) in enumerate(zip(before, after, strict=True)):
            if isinstance(a, Mapping) and isinstance(b, Mapping):
                self.mapping(f"$.links[{index}]", a, b, grafana.LINK, "")
            else:
                self.value(f"$.links[{index}]", a, b, {}, "")

    def _schema(self, original: Mapping[str, Any], output: Mapping[str, Any]) -> None:
        before, after = original.get("schemaVersion", 0), output.get("schemaVersion", 0)
        if not isinstance(after, int) or (isinstance(before, int) and after < before):
            self.problems.append(f"$.schemaVersion: {before!r} became {after!r}")

    def _annotations(self, original: Mapping[str, Any], output: Mapping[str, Any]) -> None:
        before = list((original.get("annotations") or {}).get("list") or [])
        after = list((output.get("annotations") or {}).get("list") or [])
        # Grafana inserts its built-in annotation on every load when none is marked builtIn.
        has_builtin = any(isinstance(a, Mapping) and a.get("builtIn") == 1 for a in before)
        if not has_builtin and after and same(after[0], _BUILTIN_ANNOTATION):
            after = after[1:]
        self.value("$.annotations.list", before, after, {}, "")
        rest_before = {k: v for k, v in (original.get("annotations") or {}).items() if k != "list"}
        rest_after = {k: v for k, v in (output.get("annotations") or {}).items() if k != "list"}
        self.mapping("$.annotations", rest_before, rest_after, {}, "")

    def _variables(self, original: Mapping[str, Any], output: Mapping[str, Any]) -> None:
        before = list((original.get("templating") or {}).get("list") or [])
        after = list((output.get("templating") or {}).get("list") or [])
        names = [v.get("name") for v in after if isinstance(v, Mapping)]
        known = {v.get("name") for v in before if isinstance(v, Mapping)}
        by_name = {v.get("name"): v for v in after if isinstance(v, Mapping)}
        # A dashboard without a datasource variable gains one (a datasource normalisation).
        added = [n for n in names if n not in known]
        for name in added:
            if not (by_name[name].get("type") == "datasource" and name == self.variable):
                self.problems.append(f"$.templating.list[{name}]: added")
        kept = [n for n in names if n in known]
        if [v.get("name") for v in before if isinstance(v, Mapping)] != kept:
            self.problems.append(f"$.templating.list: variables {names} do not keep the order")
        for variable in before:
            name = variable.get("name")
            path = f"$.templating.list[{name}]"
            if name not in by_name:
                self.problems.append(f"{path}: missing")
                continue
            kind = str(variable.get("type"))
            table = {**grafana.VARIABLE, **grafana.VARIABLE_KIND.get(kind, {})}
            self.mapping(path, variable, by_name[name], table, "")

    def _panels(self, original: Mapping[str, Any], output: Mapping[str, Any]) -> None:
        before = dict(_flat_panels(original))
        after = dict(_flat_panels(output))
        for panel_id, (parent, panel) in before.items():
            path = f"$.panels[id={panel_id}]"
            if panel_id not in after:
                self.problems.append(f"{path}: missing ({panel.get('title')!r})")
                continue
            out_parent, out_panel = after[panel_id]
            if parent != out_parent:
                self.problems.append(f"{path}: was in row {parent}, now in row {out_parent}")
            self.panel(path, panel, out_panel)
        for panel_id in after.keys() - before.keys():
            self.problems.append(f"$.panels[id={panel_id}]: added")

    def panel(self, path: str, original: Mapping[str, Any], output: Mapping[str, Any]) -> None:
        kind = str(original.get("type"))
        if kind == "row":
            table: dict[str, Any] = dict(grafana.ROW)
        else:
            table = {**grafana.COMMON_PANEL, **grafana.PANEL.get(kind, {})}
        self.mapping(path, original, output, table, "", frozenset({"panels", "targets"}))
        if kind == "row" or ("targets" not in original and "targets" not in output):
            return
        before, after = original.get("targets") or [], output.get("targets") or []
        if all(
            isinstance(t, list) and all(isinstance(x, Mapping) for x in t) for t in (before, after)
        ):
            self._targets(path, before, after)
        else:
            self.value(f"{path}.targets", before, after, {}, "")

    def _targets(self, path: str, before: list[Any], after: list[Any]) -> None:
        out = {ref: t for ref, t in zip(ref_ids(after), after, strict=True)}
        seen = set()
        for ref, target in zip(ref_ids(before), before, strict=True):
            seen.add(ref)
            where = f"{path}.targets[{ref}]"
            if ref not in out:
                self.problems.append(f"{where}: missing")
                continue
            generated = dict(out[ref])
            if "refId" not in target:
                generated.pop("refId", None)
            self.mapping(where, target, generated, grafana.target_defaults(target), "")
        for ref in out.keys() - seen:
            self.problems.append(f"{path}.targets[{ref}]: added")


def _flat_panels(data: Mapping[str, Any]) -> Iterator[tuple[Any, tuple[Any, Mapping[str, Any]]]]:
    """(id, (id of the collapsed row holding it or None, panel)) for every panel."""
    for panel in data.get("panels") or []:
        if not isinstance(panel, Mapping):
            continue
        yield panel.get("id"), (None, panel)
        for child in panel.get("panels") or []:
            if isinstance(child, Mapping):
                yield child.get("id"), (panel.get("id"), child)


def compare_dashboards(
    original: Mapping[str, Any],
    output: Mapping[str, Any],
    *,
    datasource_variable: str = "datasource",
) -> list[str]:
    """The differences between a dashboard and its re-generated form; [] when equal."""
    comparison = _Comparison(datasource_variable)
    comparison.dashboard(original, output)
    return comparison.problems
