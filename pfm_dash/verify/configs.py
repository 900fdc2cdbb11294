"""What a verify run feeds the real tools: the rules sped up, Prometheus' scrape, the routing.

Only time and delivery are changed, never meaning: rule groups evaluate every second, each
alert's ``for`` and range windows are divided by its time scale, and every receiver delivers
to the local webhook recorder; the route tree, matchers and inhibit rules are the shipped ones.
"""

from __future__ import annotations

import copy
import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pfm_dash.formats.prometheus import rule_json
from pfm_dash.formats.yaml import dump_yaml
from pfm_dash.model.alerting import AlertRule, RuleGroup
from pfm_dash.model.base import duration_seconds
from pfm_dash.routing import walk

if TYPE_CHECKING:
    from pfm_dash.project import Project

DEFAULT_TIME_SCALE = 60  # 5m windows become 5s, a 10m `for` becomes 10s
MIN_WINDOW_S = 3.0  # a rate needs two samples of a 1s scrape, and some slack
# An alert whose `for` and longest window take longer than this at the default scale runs
# faster, as far as its shortest window keeps MIN_WINDOW_S: the slowest alert sets the length
# of the healthy baseline and of its wave, so one long rule would slow every run.
TARGET_BUDGET_S = 10.0
_DUR = r"(?:\d+(?:ms|[smhdwy]))+"
_RANGE = re.compile(rf"\[({_DUR})(?::({_DUR})?)?\]")
_OFFSET = re.compile(rf"\boffset\s+({_DUR})")
_NOTIFIERS = re.compile(r".*_configs$")


def format_duration(seconds: float) -> str:
    """A Prometheus duration, in whole seconds when it is one, else milliseconds."""
    ms = max(0, round(seconds * 1000))
    return f"{ms // 1000}s" if ms % 1000 == 0 else f"{ms}ms"


def scale_duration(value: str, scale: int, minimum: float = 0.0) -> str:
    return format_duration(max(minimum, duration_seconds(value) / scale))


def scale_expr(expr: str, scale: int) -> str:
    """Every range window, subquery step and offset of ``expr`` divided by ``scale``."""

    def window(match: re.Match[str]) -> str:
        rng = scale_duration(match.group(1), scale, MIN_WINDOW_S)
        if match.group(0).find(":") < 0:
            return f"[{rng}]"
        step = match.group(2)
        return f"[{rng}:{scale_duration(step, scale, 1.0) if step else ''}]"

    expr = _RANGE.sub(window, expr)
    return _OFFSET.sub(lambda m: f"offset {scale_duration(m.group(1), scale, 1.0)}", expr)


def windows(expr: str) -> list[float]:
    """Seconds of every range window in ``expr``."""
    return [duration_seconds(m.group(1)) for m in _RANGE.finditer(expr)]


def time_scale(rule: AlertRule, default: int = DEFAULT_TIME_SCALE) -> int:
    """The scenario's own time scale, else ``default``, raised for a rule that would need more
    than TARGET_BUDGET_S to fire, but never so far that a range window drops below
    MIN_WINDOW_S (three scrapes)."""
    if rule.scenario and rule.scenario.time_scale:
        return rule.scenario.time_scale
    spans = windows(rule.expression)
    needed = (duration_seconds(rule.for_ or "0s") + max(spans, default=0.0)) / TARGET_BUDGET_S
    room = min(spans) / MIN_WINDOW_S if spans else needed
    return max(default, math.ceil(min(needed, room)))


def run_rules(groups: list[RuleGroup], only: set[str] | None = None) -> dict[str, str]:
    """The run's copy of the rule files: 1s evaluation, times scaled; file name -> text.

    ``only`` keeps just these alerts (and every recording rule), for a partial run.
    """
    files: dict[str, str] = {}
    for group in groups:
        rules: list[dict[str, Any]] = []
        for rule in group.rules:
            data = rule_json(rule)
            scale = time_scale(rule) if isinstance(rule, AlertRule) else DEFAULT_TIME_SCALE
            if isinstance(rule, AlertRule):
                if only is not None and rule.name not in only:
                    continue
                for key in ("for", "keep_firing_for"):
                    if key in data:
                        data[key] = scale_duration(data[key], scale)
            data["expr"] = scale_expr(data["expr"], scale)
            rules.append(data)
        if rules:
            doc = {"groups": [{"name": group.name, "interval": "1s", "rules": rules}]}
            files[f"{group.name}.rules.yml"] = dump_yaml(
                doc, "# pfm-dash verify: a sped-up copy of the shipped rules. Not for deploying.\n"
            )
    return files


def prometheus_config(
    project: Project, jobs: list[str], alertmanager_port: int, rule_glob: str, targets_dir: Path
) -> dict[str, Any]:
    """The shipped ``prometheus.yml`` (as the build generates it), rewritten to the run.

    Only where and how often change: 1 s intervals, the run's rule files and Alertmanager, and
    each job the simulator serves reads its targets from ``targets_dir/<job>.json``
    (``file_sd``), which :func:`target_file` writes once the simulator has its ports: so
    Prometheus can start, and run its 5 s discovery tickers, while the simulator still boots.
    A shipped job the simulator does not serve is left out.
    """
    from pfm_dash.formats.prometheus.scrape import scrape_config, scrape_settings

    shipped = scrape_config(project.catalogs, scrape_settings(project.config.raw), strict=False)
    kept = [job for job in shipped["scrape_configs"] if job["job_name"] in jobs]
    declared = {job["job_name"] for job in kept}
    kept += [{"job_name": name} for name in jobs if name not in declared]
    for job in kept:
        for key in ("static_configs", "file_sd_configs", "metrics_path", "scheme"):
            job.pop(key, None)
        job["honor_labels"] = True
        job["file_sd_configs"] = [
            {"files": [str(targets_dir / f"{job['job_name']}.json")], "refresh_interval": "1s"}
        ]
    shipped["global"] = {
        "scrape_interval": "1s",
        "scrape_timeout": "1s",
        "evaluation_interval": "1s",
    }
    shipped["rule_files"] = [rule_glob]
    shipped["alerting"] = {
        "alertmanagers": [{"static_configs": [{"targets": [f"127.0.0.1:{alertmanager_port}"]}]}]
    }
    shipped["scrape_configs"] = kept
    return shipped


def target_groups(
    project: Project, targets: list[dict[str, Any]], job: str
) -> list[dict[str, Any]]:
    """The file_sd target groups of ``job``: one per simulator target, with its environment."""
    label = project.simulation.environment_label
    groups = []
    for t in targets:
        if t["job"] != job:
            continue
        group: dict[str, Any] = {"targets": [f"127.0.0.1:{t['port']}"]}
        if t["environment"]:
            group["labels"] = {label: t["environment"]}
        groups.append(group)
    return groups


def routing(project: Project, hook_url: Callable[[str], str]) -> dict[str, Any]:
    """The Alertmanager configuration under test: the project's own routing, group waits 0s."""
    from pfm_dash.formats.alertmanager import alertmanager_config, settings_from

    return alertmanager_config(
        project.teams, settings_from(project.config), webhook_url=hook_url, immediate=True
    )


def redirect_to_recorder(config: dict[str, Any], hook_url: Callable[[str], str]) -> dict[str, Any]:
    """Every receiver delivers to ``hook_url(name)`` only, and notifies at once.

    Timings are the only change to the route tree: group_wait 0s so the first notification
    leaves at once, group_interval 1s so the resolved one follows within a second.
    """
    out = copy.deepcopy(config)
    receivers = []
    for receiver in config.get("receivers", []):
        kept = {k: v for k, v in receiver.items() if not _NOTIFIERS.match(k)}
        kept["webhook_configs"] = [{"url": hook_url(receiver["name"]), "send_resolved": True}]
        receivers.append(kept)
    out["receivers"] = receivers
    out.pop("templates", None)
    for node in walk(out["route"]):
        for key, value in (("group_wait", "0s"), ("group_interval", "1s")):
            if key in node or node is out["route"]:
                node[key] = value
    return out
