"""Sync rule groups and the Alertmanager configuration to a Mimir (or Cortex) ruler.

The entry point is :func:`sync_ruler`; ``pfm-dash push --ruler-url`` calls it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from pfm_dash.client import Auth, RetryPolicy
from pfm_dash.model.alerting import RuleGroup
from pfm_dash.push.types import Outcome, PushSummary

OnOutcome = Callable[[Outcome], None]
DEFAULT_NAMESPACE = "pfm-dash"
DEFAULT_TENANT = "anonymous"  # Mimir's -auth.no-auth-tenant (pkg/util/validation/limits.go)


@dataclass(frozen=True)
class RulerSettings:
    """Where and how to talk to the ruler (resolved by the push command from flags and env)."""

    url: str
    tenant: str = DEFAULT_TENANT
    namespace: str = DEFAULT_NAMESPACE
    prefix: str = "/prometheus"  # Mimir's -http.prometheus-http-prefix (pkg/api/api.go)
    auth: Auth | None = None
    credential_source: str = ""
    verify: bool | str = True
    timeout: float = 30.0
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    concurrency: int = 8


@dataclass(frozen=True)
class RulerOptions:
    dry_run: bool = False
    prune: bool = False


def sync_ruler(
    settings: RulerSettings,
    options: RulerOptions = RulerOptions(),
    *,
    groups: Sequence[RuleGroup] = (),
    rule_files: Mapping[str, str] | None = None,
    alertmanager_config: str | None = None,
    alertmanager_templates: Mapping[str, str] | None = None,
    on_outcome: OnOutcome | None = None,
    stop: threading.Event | None = None,
) -> PushSummary:
    """Make the ruler's namespace hold exactly ``groups`` (+ the groups in ``rule_files``).

    ``rule_files``: display path -> rule YAML as ``pfm_dash.formats.prometheus`` writes it.
    ``alertmanager_config``: the Alertmanager YAML text (None: leave the tenant's config alone).
    Outcomes: ``summary.dashboards`` holds the rule groups (kind ``rule group``) and the
    Alertmanager config (kind ``alertmanager``), ``summary.deletions`` what prune removed.
    Raises PushAuthError (exit 4) when the first read is refused, GrafanaError subclasses
    (exit 1) when the ruler cannot be reached, DeclarationErrors (exit 2) for bad input.
    """
    raise NotImplementedError("sync_ruler: work in progress on branch 'ruler'")
