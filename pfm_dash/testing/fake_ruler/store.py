"""What the fake keeps: per tenant, namespaces of rule groups and one Alertmanager config.

Storage follows pkg/ruler/rulestore/bucketclient/bucket_client.go: a group's key is
(tenant, namespace, group name), any byte string; tenants never see each other's objects.
"""

from __future__ import annotations

import base64
import threading
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Limits:
    """Per-tenant limits (pkg/util/validation/limits.go defaults); 0 disables a limit."""

    max_rules_per_group: int = 20  # ruler_max_rules_per_rule_group
    max_groups_per_tenant: int = 70  # ruler_max_rule_groups_per_tenant
    protected_namespaces: frozenset[str] = frozenset()  # ruler_protected_namespaces
    federation_enabled: bool = False  # -ruler.tenant-federation.enabled
    alertmanager_max_config_size: int = 0  # alertmanager_max_config_size_bytes


@dataclass
class Tenant:
    rules: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    alertmanager: dict[str, Any] | None = None  # {"alertmanager_config", "template_files"}

    def group_count(self) -> int:
        return sum(len(groups) for groups in self.rules.values())

    def listing(self, namespace: str) -> list[dict[str, Any]]:
        """A namespace's groups in the bucket's listing order: by the base64url object key,
        which is not the order of names (bucket_client.go), so no client may rely on it."""
        groups = self.rules.get(namespace, {})
        return [
            groups[n] for n in sorted(groups, key=lambda n: base64.urlsafe_b64encode(n.encode()))
        ]


@dataclass
class Store:
    limits: Limits = field(default_factory=Limits)
    tenant_limits: dict[str, Limits] = field(default_factory=dict)
    tenants: dict[str, Tenant] = field(default_factory=dict)
    # Older Mimir (pkg/ruler/api.go @ 04f42e1) and Cortex: 404 ``no rule groups found``.
    empty_list_404: bool = False
    lock: threading.RLock = field(default_factory=threading.RLock)

    def tenant(self, tenant_id: str) -> Tenant:
        return self.tenants.setdefault(tenant_id, Tenant())

    def limits_for(self, tenant_id: str) -> Limits:
        """A tenant's overrides replace the defaults (runtime config overrides, limits.go)."""
        return self.tenant_limits.get(tenant_id, self.limits)
