"""What a deploy ships, compiled from the project exactly as ``pfm-dash build`` compiles it."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from pfm_dash.errors import ConfigError

if TYPE_CHECKING:
    from pfm_dash.project import Project

_PLACEHOLDER = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)")


def rule_files(project: Project) -> dict[str, str]:
    """File name -> text of every rule file the build writes to prometheus/rules/."""
    from pfm_dash.buildpaths import RULES_DIR
    from pfm_dash.formats.prometheus import rule_files as compile_rules

    grafana_url = project.config.settings.grafana.url
    return {
        PurePosixPath(rel).name: text
        for rel, text in compile_rules(project.groups, grafana_url).items()
        if rel.startswith(RULES_DIR + "/")
    }


def alertmanager_text(project: Project, env: Mapping[str, str]) -> str:
    """The built alertmanager.yml with its ``${VAR}`` placeholders filled from ``env``, as the
    header of the built file asks the deploy step to do (``envsubst`` of the named variables)."""
    from pfm_dash.formats.alertmanager import alertmanager_yml, settings_from

    if not project.teams:
        raise ConfigError("the project declares no teams, so there is no Alertmanager routing")
    wanted = sorted({v for t in project.teams if t.receiver for v in t.receiver.env_vars})
    missing = [v for v in wanted if not env.get(v)]
    if missing:
        raise ConfigError(
            f"the Alertmanager configuration needs {', '.join('$' + v for v in missing)}: set "
            "them (the receivers' addresses) in the environment of the push"
        )

    def fill(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(2)
        return env[name] if name in wanted else match.group(0)

    # Comment lines stay as written: the header's envsubst hint names the variables.
    built = alertmanager_yml(project.teams, settings_from(project.config))
    lines = built.splitlines(keepends=True)
    return "".join(line if line.startswith("#") else _PLACEHOLDER.sub(fill, line) for line in lines)
