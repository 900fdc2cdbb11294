"""The project's configuration: ``[tool.pfm-dash]`` in the nearest pyproject.toml.

Every table is one typed settings record here (:mod:`pfm_dash.settings` reads and checks them), so
one place documents every setting and every table is checked when the project is loaded, by
any command. Kept apart from the model, the formats and the HTTP client so that commands which
only need settings (a cached build, push's defaults) import nothing of them; the tables' owners
(formats/alertmanager.py, formats/prometheus/scrape.py, push/settings.py, checks/selection.py)
take their table from here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, ClassVar, Literal

from pfm_dash.errors import ConfigError
from pfm_dash.records import field, record
from pfm_dash.root import find_root, project_root
from pfm_dash.settings import Duration, SettingsTable, load_table, setting, table_error

__all__ = [
    "AlertmanagerSettings",
    "CheckSettings",
    "Config",
    "GrafanaSettings",
    "JobSettings",
    "PrometheusSettings",
    "PushSettingsTable",
    "ToolSettings",
    "find_root",
    "load_config",
]

DEFAULT_SOURCES = ("dashboards", "alerts")


@record
class Config:
    """``[tool.pfm-dash]`` of the project's pyproject.toml, with defaults."""

    root: Path
    # Who pushed a dashboard, written in its pfm-dash mark: prune deletes only its own.
    project: str = ""
    # Whether ``project`` was set in [tool.pfm-dash] rather than defaulted from [project] name
    # or the folder's name; ``push --prune`` needs it set (two checkouts could share a default).
    project_declared: bool = False
    sources: tuple[str, ...] = DEFAULT_SOURCES
    out: str = "build"
    raw: dict[str, Any] = field(default_factory=dict)
    # Every table, typed and checked; read from ``raw`` when not given.
    settings: ToolSettings = field(default=None)

    def __post_init__(self) -> None:
        if self.settings is None:
            object.__setattr__(self, "settings", load_table(ToolSettings, self.raw, ""))

    @property
    def out_dir(self) -> Path:
        return self.root / self.out

    def source_files(self) -> Iterator[Path]:
        """Every declaration module, in a stable order."""
        for source in self.sources:
            folder = self.root / source
            if folder.is_dir():
                yield from sorted(p for p in folder.rglob("*.py") if "__pycache__" not in p.parts)


def _url_problem(url: str) -> str:
    if url and not url.startswith(("http://", "https://")):
        return (
            f"{url!r} needs a scheme: alerts link to <url>/d/<uid>, so write it as "
            "https://grafana.example.org"
        )
    return ""


class GrafanaSettings(SettingsTable):
    """Where Grafana is, as the generated files name it (links and file provisioning)."""

    KEY_STYLE = "kebab"

    url: str = setting(
        default="",
        doc="Grafana's address as users reach it: each alert links to its panel at "
        "`<url>/d/<uid>?viewPanel=<id>` (the `dashboard_url` annotation); none: no link.",
        check=_url_problem,
    )
    dashboards_path: str = setting(
        default="/var/lib/grafana/dashboards/pfm-dash",
        doc="Where the Grafana host mounts `build/grafana/dashboards` (the file provider's path).",
    )
    datasource_name: str = setting(
        default="Prometheus", doc="The provisioned Prometheus datasource's name."
    )
    datasource_uid: str = setting(
        default="prometheus", doc="Its uid, which `${datasource}` resolves to by default."
    )
    prometheus_url: str = setting(
        default="http://prometheus:9090",
        doc="The Prometheus that datasource queries, as Grafana reaches it.",
    )


class AlertmanagerSettings(SettingsTable):
    """The routing policy written into `alertmanager.yml` (teams and receivers are in Python)."""

    group_by: tuple[str, ...] = setting(
        default=("alertname", "environment"),
        doc="Labels whose alerts Alertmanager notifies together.",
    )
    environments: tuple[str, ...] = setting(
        default=(),
        doc="The `environment` label values an alert's series can carry; the build checks every "
        "alert reaches a team in each. None: alerts are checked without the label.",
    )
    reduced_environments: tuple[str, ...] = setting(
        default=(),
        doc="Environments (e.g. staging) that page no on-call team and are notified with the "
        "longer waits below.",
    )
    reduced_group_wait: Duration = setting(
        default="2m", doc="Group wait of alerts from the reduced environments."
    )
    reduced_repeat_interval: Duration = setting(
        default="12h", doc="Repeat interval of alerts from the reduced environments."
    )
    inhibit_equal: tuple[str, ...] = setting(
        default=("alertname", "environment"),
        doc="A critical alert silences the warnings that share these labels with it.",
    )
    smtp_smarthost: str = setting(
        default="localhost:25",
        doc="host:port of the SMTP server (written when a receiver e-mails).",
    )
    smtp_from: str = setting(default="alertmanager@localhost", doc="The e-mails' From address.")
    smtp_auth_username: str = setting(default="", doc="SMTP user name; none: no authentication.")
    smtp_auth_password_file: str = setting(
        default="", doc="File on the Alertmanager host holding the SMTP password."
    )


_HOST_PORT = re.compile(r"^[^\s/]+:\d+$")


def _host_ports(values: Iterable[str]) -> str:
    bad = [v for v in values if not _HOST_PORT.match(v)]
    return f"{bad[0]!r} is not host:port" if bad else ""


def _per_environment_targets(value: Mapping[str, tuple[str, ...]]) -> str:
    return next((p for items in value.values() if (p := _host_ports(items))), "")


def _non_empty(value: Mapping[str, tuple[str, ...]]) -> str:
    empty = any(not item for items in value.values() for item in items)
    return "every entry must be a non-empty string" if empty else ""


class JobSettings(SettingsTable):
    """One scrape job (a table per exporter of the catalog, keyed by its name): where it
    runs in each environment, as static targets and/or file_sd files."""

    targets: Mapping[str, tuple[str, ...]] = setting(
        default={},
        doc="Per environment, the `host:port` targets; each carries its `environment` label.",
        check=_per_environment_targets,
        example='{ production = ["app:8080"] }',
    )
    file_sd: Mapping[str, tuple[str, ...]] = setting(
        default={},
        doc="Per environment, file_sd files listing the targets (kept by the deployment).",
        check=_non_empty,
    )
    metrics_path: str = setting(default="", doc="The HTTP path; none: Prometheus' `/metrics`.")
    scheme: Literal["http", "https"] | None = setting(default=None, doc="none: Prometheus' `http`.")
    honor_labels: bool = setting(default=False, doc="Keep the target's own labels on a clash.")

    def invalid(self) -> str:
        if not self.targets and not self.file_sd:
            return "has neither targets nor file_sd; give one per environment"
        return ""


class PrometheusSettings(SettingsTable):
    """`build/prometheus/prometheus.yml`: without this table no such file is written, since
    nothing would say where the exporters run."""

    scrape_interval: Duration = setting(default="15s", doc="How often every target is scraped.")
    evaluation_interval: Duration = setting(default="15s", doc="How often rules are evaluated.")
    alertmanagers: tuple[str, ...] = setting(
        default=(),
        doc="`host:port` of each Alertmanager the alerts go to.",
        check=_host_ports,
        example='["alertmanager:9093"]',
    )
    jobs: Mapping[str, JobSettings] = setting(
        default={}, doc="One table per exporter of the catalog: where it is scraped."
    )


def _at_least(low: float, high: float | None = None) -> Callable[[float | None], str]:
    def check(value: float | None) -> str:
        if value is None or (value >= low and (high is None or value <= high)):
            return ""
        return f"must be from {low:g} to {high:g}" if high else f"must be at least {low:g}"

    return check


class PushSettingsTable(SettingsTable):
    """`pfm-dash push`'s defaults; a flag, then the environment, comes first (docs/push.md).
    Credentials are never read from here: the file is committed."""

    KEY_STYLE = "kebab"
    REFUSED: ClassVar[Mapping[str, str]] = {
        key: "pyproject.toml is committed and must not hold credentials; use GRAFANA_TOKEN "
        "or --token-file"
        for key in ("token", "password", "grafana-token")
    }

    grafana_url: str = setting(default="", doc="Grafana's URL (`--grafana-url`, `$GRAFANA_URL`).")
    concurrency: int = setting(default=8, doc="Requests in flight at once.", check=_at_least(1, 64))
    timeout: float = setting(
        default=30.0, doc="Seconds to wait for each request.", check=_at_least(0.001)
    )
    org_id: int | None = setting(
        default=None, doc="The Grafana organisation; none: the token's own."
    )
    ca_cert: str = setting(default="", doc="A CA bundle to verify Grafana's certificate with.")
    retries: int = setting(default=4, doc="Retries of a failed request.", check=_at_least(0))
    backoff: float = setting(
        default=0.5, doc="Seconds before the first retry, doubling.", check=_at_least(0)
    )
    prometheus_url: str = setting(
        default="", doc="A Prometheus to deploy the rules to (docs/deploy.md)."
    )
    rules_dir: str = setting(
        default="", doc="The folder that Prometheus loads its rule files from."
    )
    alertmanager_url: str = setting(default="", doc="An Alertmanager to deploy the routing to.")
    alertmanager_config: str = setting(
        default="", doc="The configuration file that Alertmanager loads."
    )
    ruler_url: str = setting(default="", doc="A Mimir or Cortex ruler to sync the rule groups to.")
    tenant: str = setting(default="", doc="The ruler's tenant (`X-Scope-OrgID`).")
    namespace: str = setting(default="", doc="The ruler namespace the groups are written to.")


def _rule_codes(codes: tuple[str, ...]) -> str:
    from pfm_dash.checks.selection import code_problem  # only when the table names codes

    given = (c.strip() for value in codes for c in value.split(","))
    return next((p for code in given if code and (p := code_problem(code))), "")


class CheckSettings(SettingsTable):
    """Which rules `pfm-dash check` and `check-rules` apply, chosen like ruff's
    (`--select`/`--ignore` replace these; docs/check.md lists the rules)."""

    select: tuple[str, ...] = setting(
        default=("ALL",),
        doc="Rule ids or prefixes to apply.",
        check=_rule_codes,
        example='["ALL"]',
    )
    ignore: tuple[str, ...] = setting(
        default=(),
        doc="Rule ids or prefixes to leave out.",
        check=_rule_codes,
        example='["alert-runbook"]',
    )


def _name(value: str) -> str:
    return "" if value.strip() else "must be a non-empty name"


class ToolSettings(SettingsTable):
    """The project: where its declarations are, where the build writes, and one table per
    concern. A misspelt key or table is an error, never silently a default."""

    project: str = setting(
        default="",
        doc="Named in the mark of every pushed dashboard; `push --prune` deletes only this "
        "project's, and needs it set. None: `[project] name`, else the folder's name.",
        check=_name,
    )
    sources: tuple[str, ...] = setting(
        default=DEFAULT_SOURCES, doc="Folders whose every `*.py` is imported and collected."
    )
    out: str = setting(default="build", doc="Where `pfm-dash build` writes.")
    grafana: GrafanaSettings = setting(default=GrafanaSettings(), doc="")
    alertmanager: AlertmanagerSettings = setting(default=AlertmanagerSettings(), doc="")
    prometheus: PrometheusSettings | None = setting(default=None, doc="")
    push: PushSettingsTable = setting(default=PushSettingsTable(), doc="")
    check: CheckSettings = setting(default=CheckSettings(), doc="")


def load_config(start: Path | None = None) -> Config:
    import tomllib  # 30 ms of start-up that a cached build does without

    found = project_root(start)
    if found is None:
        # Outside a project, build would write an empty build/ and check would pass on nothing.
        raise ConfigError(
            f"no pyproject.toml with [tool.pfm-dash] in {(start or Path.cwd()).resolve()} or any "
            "folder above it; run pfm-dash inside a project (or create one with a "
            "[tool.pfm-dash] table)"
        )
    root = found
    pyproject = root / "pyproject.toml"
    data: dict[str, Any] = {}
    if pyproject.is_file():
        try:
            data = tomllib.loads(pyproject.read_text("utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{pyproject}: invalid TOML: {exc}") from None
    raw: dict[str, Any] = data.get("tool", {}).get("pfm-dash", {})
    settings = load_table(ToolSettings, raw, "", str(pyproject))
    project = settings.project or data.get("project", {}).get("name") or root.name
    if not isinstance(project, str):
        raise ConfigError(f"{pyproject}: [project] name must be a string")
    missing = [s for s in settings.sources if not (root / s).is_dir()]
    if "sources" in raw and missing:
        # A typo here would otherwise build nothing and delete what build/ held.
        raise table_error(
            "",
            "sources",
            f"names folders that do not exist: {', '.join(missing)}; fix the names or create "
            "the folders",
            str(pyproject),
        )
    return Config(
        root=root,
        project=project,
        project_declared="project" in raw,
        sources=settings.sources,
        out=settings.out,
        raw=raw,
        settings=settings,
    )
