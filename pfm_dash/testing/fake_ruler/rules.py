"""The ruler config API handlers: ListRules, GetRuleGroup, CreateRuleGroup, DeleteRuleGroup,
DeleteNamespace (grafana/mimir pkg/ruler/api.go), with ValidateRuleGroup (pkg/ruler/manager.go),
the limits (pkg/ruler/ruler.go, pkg/util/validation/limits.go) and the stored shape
(pkg/ruler/rulespb/compat.go ToProto/FromProto).
"""

from __future__ import annotations

import re
from typing import Any

import promql_parser
import yaml

from pfm_dash.client.ruler import parse_yaml
from pfm_dash.testing.fake_ruler.answer import Answer, accepted, text, yaml_answer
from pfm_dash.testing.fake_ruler.store import Store

PROTECTION_HEADER = "X-Mimir-Ruler-Protected-Namespaces"  # namespace_protection.go
OVERRIDE_HEADER = "X-Mimir-Ruler-Override-Namespace-Protection"
_METRIC = re.compile(r"^[a-zA-Z_:][a-zA-Z0-9_:]*$")  # model.IsValidMetricName (legacy)
_LABEL = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_]*$")  # model.LabelName.IsValid (legacy)
_DURATION = re.compile(r"^(\d+y)?(\d+w)?(\d+d)?(\d+h)?(\d+m)?(\d+s)?(\d+ms)?$")
_UNITS: tuple[tuple[str, int], ...] = (
    ("y", 31_536_000_000),
    ("w", 604_800_000),
    ("d", 86_400_000),
    ("h", 3_600_000),
    ("m", 60_000),
    ("s", 1000),
    ("ms", 1),
)


def list_rules(store: Store, tenant: str, namespace: str | None) -> Answer:
    """GET <P>/config/v1/rules[/{namespace}]: a map namespace -> groups, namespaces sorted
    (yaml.v3 sorts map keys); none at all: 200 ``{}`` (the newest api.go)."""
    owner = store.tenant(tenant)
    names = sorted(owner.rules) if namespace is None else [namespace]
    data = {ns: owner.listing(ns) for ns in names if owner.rules.get(ns)}
    if not data and store.empty_list_404:
        return text(404, "no rule groups found")
    protected = [ns for ns in data if ns in store.limits_for(tenant).protected_namespaces]
    headers = {PROTECTION_HEADER: ",".join(protected)} if protected else {}
    return yaml_answer(data, headers)


def get_group(store: Store, tenant: str, namespace: str, name: str) -> Answer:
    group = store.tenant(tenant).rules.get(namespace, {}).get(name)
    if group is None:
        return text(404, "group does not exist")  # rulestore.ErrGroupNotFound
    return yaml_answer(group, _protection(store, tenant, namespace))


def create_group(store: Store, tenant: str, namespace: str, raw: bytes, override: str) -> Answer:
    """CreateRuleGroup's checks, in its order; the first failing one answers."""
    limits = store.limits_for(tenant)
    if _protected(store, tenant, namespace, override):
        return text(403, "namespace is protected, no modification allowed")
    try:
        body = parse_yaml(raw) if raw.strip() else {}
    except yaml.YAMLError:
        return text(400, "unable to decode rule group")
    if not isinstance(body, dict) or not _decodes(body):
        return text(400, "unable to decode rule group")
    errors = validate_group(body, limits.federation_enabled)
    if errors:
        return text(400, ", ".join(errors))
    name = str(body["name"])
    rules = body.get("rules") or []
    if 0 < limits.max_rules_per_group < len(rules):
        return text(
            400,
            f"per-user rules per rule group limit (limit: {limits.max_rules_per_group} "
            f"actual: {len(rules)}) exceeded",
        )
    owner = store.tenant(tenant)
    if limits.max_groups_per_tenant > 0:
        # Counted across every namespace, + 1 even when this POST replaces a group.
        actual = owner.group_count() + 1
        if actual > limits.max_groups_per_tenant:
            return text(
                400,
                f"per-user rule groups limit (limit: {limits.max_groups_per_tenant} "
                f"actual: {actual}) exceeded",
            )
    owner.rules.setdefault(namespace, {})[name] = stored_shape(body)
    return accepted()


def _decodes(body: dict[str, Any]) -> bool:
    """What yaml.Unmarshal into rulefmt.RuleGroup refuses: a duration model.ParseDuration
    cannot read, rules that are not a list of mappings."""
    rules = body.get("rules") or []
    if not isinstance(rules, list) or not all(isinstance(r, dict) for r in rules):
        return False
    values = [body.get(k) for k in ("interval", "query_offset", "evaluation_delay")]
    values += [r.get(k) for r in rules for k in ("for", "keep_firing_for")]
    return all(v is None or _DURATION.match(str(v)) for v in values)


def delete_group(store: Store, tenant: str, namespace: str, name: str, override: str) -> Answer:
    if _protected(store, tenant, namespace, override):
        return text(403, "namespace is protected, no modification allowed")
    groups = store.tenant(tenant).rules.get(namespace, {})
    if name not in groups:
        return text(404, "group does not exist")
    del groups[name]
    if not groups:
        store.tenant(tenant).rules.pop(namespace, None)
    return accepted()


def delete_namespace(store: Store, tenant: str, namespace: str, override: str) -> Answer:
    if _protected(store, tenant, namespace, override):
        return text(403, "namespace is protected, no modification allowed")
    if not store.tenant(tenant).rules.pop(namespace, None):
        return text(404, "group namespace does not exist")
    return accepted()


def _protected(store: Store, tenant: str, namespace: str, override: str) -> bool:
    if namespace not in store.limits_for(tenant).protected_namespaces:
        return False
    return namespace not in [n.strip() for n in override.split(",")]


def _protection(store: Store, tenant: str, namespace: str) -> dict[str, str]:
    if namespace in store.limits_for(tenant).protected_namespaces:
        return {PROTECTION_HEADER: namespace}
    return {}


# --- ValidateRuleGroup (pkg/ruler/manager.go) and rulefmt's Rule.Validate ------------------


def validate_group(body: dict[str, Any], federation: bool) -> list[str]:
    """Every message, as Mimir joins them; per-rule ones as rulefmt.Error formats them."""
    name = str(body.get("name") or "")
    if not name:
        return ["invalid rules configuration: rule group name must not be empty"]
    rules = body.get("rules") or []
    if not isinstance(rules, list) or not rules:
        return [f"invalid rules configuration: rule group '{name}' has no rules"]
    if body.get("source_tenants") and not federation:
        return [
            f"invalid rules configuration: rule group '{name}' is a federated rule group, but "
            "rules federation is disabled; please contact your service administrator to have "
            "it enabled"
        ]
    errors: list[str] = []
    for index, rule in enumerate(rules):
        rule = rule if isinstance(rule, dict) else {}
        label = str(rule.get("alert") or rule.get("record") or "")
        for cause in _rule_errors(rule):
            errors.append(f'group "{name}", rule {index}, "{label}": {cause}')
    return errors


def _rule_errors(rule: dict[str, Any]) -> list[str]:
    """rulefmt.RuleNode.Validate (prometheus model/rulefmt/rulefmt.go), in its order."""
    out: list[str] = []
    record, alert, expr = rule.get("record"), rule.get("alert"), rule.get("expr")
    if record and alert:
        out.append("only one of 'record' and 'alert' must be set")
    if not record and not alert:
        out.append("one of 'record' or 'alert' must be set")
    if not expr:
        out.append("field 'expr' must be set in rule")
    else:
        try:
            promql_parser.parse(str(expr))
        except ValueError as exc:
            out.append(f"could not parse expression: {exc}")
    if record:
        if rule.get("annotations"):
            out.append("invalid field 'annotations' in recording rule")
        if rule.get("for"):
            out.append("invalid field 'for' in recording rule")
        if rule.get("keep_firing_for"):
            out.append("invalid field 'keep_firing_for' in recording rule")
        if not _METRIC.match(str(record)):
            out.append(f"invalid recording rule name: {record}")
    for key in rule.get("labels") or {}:
        if not _LABEL.match(str(key)):
            out.append(f"invalid label name: {key}")
    for key in rule.get("annotations") or {}:
        if not _LABEL.match(str(key)):
            out.append(f"invalid annotation name: {key}")
    return out


# --- the stored shape (rulespb/compat.go) --------------------------------------------------


def stored_shape(body: dict[str, Any]) -> dict[str, Any]:
    """What ToProto keeps and FromProto gives back: known keys only (no ``limit``), zero
    durations left out, durations re-printed (``60s`` -> ``1m``, model.Duration.String),
    label and annotation keys sorted, empty maps dropped, ``expr`` verbatim."""
    group: dict[str, Any] = {"name": str(body["name"])}
    for key in ("interval", "query_offset", "evaluation_delay"):
        if duration_ms(body.get(key)):
            group[key] = _duration(duration_ms(body.get(key)))
    if body.get("source_tenants"):
        group["source_tenants"] = [str(t) for t in body["source_tenants"]]
    if body.get("align_evaluation_time_on_interval"):
        group["align_evaluation_time_on_interval"] = True
    group["rules"] = [_stored_rule(r) for r in body.get("rules") or []]
    return group


def _stored_rule(rule: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if rule.get("record"):
        out["record"] = str(rule["record"])
    if rule.get("alert"):
        out["alert"] = str(rule["alert"])
    out["expr"] = str(rule["expr"])
    for key in ("for", "keep_firing_for"):
        if duration_ms(rule.get(key)):
            out[key] = _duration(duration_ms(rule.get(key)))
    for key in ("labels", "annotations"):
        mapping = rule.get(key) or {}
        if mapping:
            out[key] = {str(k): str(mapping[k]) for k in sorted(mapping, key=str)}
    return out


def duration_ms(value: Any) -> int:
    text_value = str(value or "")
    match = _DURATION.match(text_value)
    if not text_value or text_value == "0" or match is None:
        return 0
    total = 0
    for part in match.groups():
        if part:
            unit = "ms" if part.endswith("ms") else part[-1]
            total += int(part[: -len(unit)]) * dict(_UNITS)[unit]
    return total


def _duration(ms: int) -> str:
    """prometheus/common model.Duration.String: largest units first, ``0s`` for zero."""
    if ms == 0:
        return "0s"
    out = ""
    for unit, size in _UNITS:
        if ms >= size:
            out += f"{ms // size}{unit}"
            ms %= size
    return out
