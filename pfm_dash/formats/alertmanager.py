"""Alertmanager format: the teams and their receivers to one ``alertmanager.yml``.

The route tree, in order (Alertmanager takes the first route that matches):

1. each on-call team (``Team(on_call_for=Severity.CRITICAL)``) is paged for its severity, except
   in the reduced environments, so a staging failure never pages anyone; the route continues,
   so the owning team hears of its own outage too;
2. one route per team on ``team="<name>"`` with the team's timings, and below it one route for
   the reduced environments (staging) with a longer group wait and repeat interval.

The root's receiver is the on-call team, a safety net for alerts from outside this project; an
alert of ours that would reach it is a build error (:func:`routing_errors`), so in practice only
the explicit routes deliver; which routes match is :mod:`pfm_dash.routing`'s to say.
:func:`alertmanager_config` is the one entry point other tools use
(``pfm-dash verify`` points every receiver at its webhook recorder with ``webhook_url=``).

Placeholders: e-mail addresses are ``${VAR}`` to be filled by ``envsubst`` at deploy time (see
docs/check.md); Slack URLs and webhook tokens are ``*_file`` paths Alertmanager reads itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from pfm_dash.config import AlertmanagerSettings, Config
from pfm_dash.errors import DeclarationError
from pfm_dash.formats.yaml import dump_yaml
from pfm_dash.model.alerting import AlertRule, Receiver, Team
from pfm_dash.routing import alert_labels, resolve, walk

DEFAULT_RECEIVER = "default"
_SMTP_KEYS = ("smtp_smarthost", "smtp_from", "smtp_auth_username", "smtp_auth_password_file")


# The table's settings (generic defaults, documented in docs/reference.md); the project's
# own policy is set in its pyproject.toml.
Settings = AlertmanagerSettings


def settings_from(config: Config | None) -> Settings:
    """``[tool.pfm-dash.alertmanager]``, checked when the project's config was loaded."""
    return config.settings.alertmanager if config is not None else Settings()


def _m(name: str, op: str, value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'{name}{op}"{escaped}"'


def _timings(team: Team, group_wait: str | None = None) -> dict[str, str]:
    return {
        "group_wait": group_wait or team.group_wait,
        "group_interval": team.group_interval,
        "repeat_interval": team.repeat_interval,
    }


def _on_call(teams: Sequence[Team]) -> list[Team]:
    return [t for t in teams if t.on_call_for is not None]


def route_tree(teams: Sequence[Team], settings: Settings) -> dict[str, Any]:
    """The ``route:`` block; children in the order Alertmanager tries them."""
    routes: list[dict[str, Any]] = []
    reduced = "|".join(re.escape(e) for e in settings.reduced_environments)
    for team in _on_call(teams):
        assert team.on_call_for is not None
        matchers = [_m("severity", "=", team.on_call_for.value)]
        if reduced:
            matchers.append(_m("environment", "!~", reduced))
        routes.append(
            {"receiver": team.name, "matchers": matchers, **_timings(team), "continue": True}
        )
    for team in teams:
        route: dict[str, Any] = {
            "receiver": team.name,
            "matchers": [_m("team", "=", team.name)],
            **_timings(team),
        }
        if reduced:
            route["routes"] = [
                {
                    "receiver": team.name,
                    "matchers": [_m("environment", "=~", reduced)],
                    "group_wait": settings.reduced_group_wait,
                    "repeat_interval": settings.reduced_repeat_interval,
                }
            ]
        routes.append(route)
    on_call = _on_call(teams)
    return {
        "receiver": on_call[0].name if on_call else DEFAULT_RECEIVER,
        "group_by": list(settings.group_by),
        "group_wait": "30s",
        "group_interval": "5m",
        "repeat_interval": "4h",
        "routes": routes,
    }


def receiver_json(name: str, receiver: Receiver) -> dict[str, Any]:
    out: dict[str, Any] = {"name": name}
    if receiver.email_env:
        out["email_configs"] = [
            {"to": f"${{{receiver.email_env}}}", "send_resolved": receiver.send_resolved}
        ]
    if receiver.slack_url_file:
        slack: dict[str, Any] = {
            "api_url_file": receiver.slack_url_file,
            "send_resolved": receiver.send_resolved,
        }
        if receiver.slack_channel:
            slack["channel"] = receiver.slack_channel
        out["slack_configs"] = [slack]
    if receiver.webhook_url:
        hook: dict[str, Any] = {
            "url": receiver.webhook_url,
            "send_resolved": receiver.send_resolved,
        }
        if receiver.webhook_token_file:
            hook["http_config"] = {
                "authorization": {"credentials_file": receiver.webhook_token_file}
            }
        out["webhook_configs"] = [hook]
    return out


def alertmanager_config(
    teams: Sequence[Team],
    settings: Settings,
    *,
    webhook_url: Callable[[str], str] | None = None,
    immediate: bool = False,
) -> dict[str, Any]:
    """The whole Alertmanager configuration as a dict, ready for YAML.

    ``webhook_url(receiver_name)`` replaces every receiver's delivery with one webhook, keeping
    the route tree (for a test harness); ``immediate`` sets every group wait to 0s.
    """
    teams = sorted(teams, key=lambda t: t.name)
    route = route_tree(teams, settings)
    receivers: list[dict[str, Any]] = []
    if route["receiver"] == DEFAULT_RECEIVER:
        receivers.append({"name": DEFAULT_RECEIVER})
    for team in teams:
        if webhook_url is not None:
            receivers.append(
                {
                    "name": team.name,
                    "webhook_configs": [{"url": webhook_url(team.name), "send_resolved": True}],
                }
            )
        elif team.receiver is not None:
            receivers.append(receiver_json(team.name, team.receiver))
        else:
            receivers.append({"name": team.name})
    if immediate:
        for node in walk(route):
            if "group_wait" in node:
                node["group_wait"] = "0s"
    config: dict[str, Any] = {}
    uses_email = any("email_configs" in r for r in receivers)
    if uses_email:
        config["global"] = {k: getattr(settings, k) for k in _SMTP_KEYS if getattr(settings, k)}
    config["route"] = route
    config["inhibit_rules"] = [
        {
            "source_matchers": [_m("severity", "=", "critical")],
            "target_matchers": [_m("severity", "=", "warning")],
            "equal": list(settings.inhibit_equal),
        }
    ]
    config["receivers"] = receivers
    return config


def alertmanager_yml(teams: Sequence[Team], settings: Settings) -> str:
    """The emitted file: the config with a header naming what the deploy step must provide."""
    receivers = [t.receiver for t in teams if t.receiver is not None]
    env = sorted({v for r in receivers for v in r.env_vars})
    files = sorted({f for r in receivers for f in r.files})
    header = "# Generated by pfm-dash from the teams in alerts/. Do not edit.\n"
    if env:
        header += (
            "# Before deploying, fill the placeholders: envsubst '"
            + " ".join(f"${v}" for v in env)
            + "' < alertmanager.yml > /etc/alertmanager/alertmanager.yml\n"
        )
    if files:
        header += "# Files the Alertmanager host must hold: " + ", ".join(files) + "\n"
    return dump_yaml(alertmanager_config(teams, settings), header)


def firing_labels(rule: AlertRule, settings: Settings) -> list[dict[str, str]]:
    """The labels the alert carries at firing, once per environment it can fire in."""
    return alert_labels(rule.name, rule.all_labels, settings.environments)


def routing_errors(
    teams: Sequence[Team], alerts: Sequence[AlertRule], settings: Settings
) -> list[DeclarationError]:
    """Teams without a receiver, clashing on-call rotas, and alerts only the root would take."""
    errors: list[DeclarationError] = []
    if not teams:
        return errors
    for team in teams:
        if team.receiver is None:
            errors.append(
                DeclarationError(
                    f"team {team.name!r} has no receiver: its alerts would reach nobody",
                    team.location,
                    "add receiver=Receiver(email_env=..., slack_url_file=..., webhook_url=...)",
                )
            )
    seen: dict[str, Team] = {}
    for team in _on_call(teams):
        assert team.on_call_for is not None
        first = seen.setdefault(team.on_call_for.value, team)
        if first is not team:
            errors.append(
                DeclarationError(
                    f"teams {first.name!r} and {team.name!r} are both on call for "
                    f"{team.on_call_for.value} alerts",
                    team.location,
                    "keep one on-call team per severity",
                )
            )
    route = route_tree(sorted(teams, key=lambda t: t.name), settings)
    for rule in alerts:
        if rule.team is None and rule.ignores("alert-team"):
            continue  # owned by nobody yet, and the Ignore says why: the default receiver
        for labels in firing_labels(rule, settings):
            if any(depth == 0 for _, depth in resolve(route, labels)):
                errors.append(
                    DeclarationError(
                        f"alert {rule.name} with labels {labels} matches no route and would "
                        "reach the default receiver",
                        rule.location,
                        "declare its team at module level, so the routing has a route for it",
                    )
                )
                break
    return errors
