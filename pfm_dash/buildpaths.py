"""Where every generated file goes under build/: the one module that decides it.

The compiler names each file it yields from here, ``output`` owns (and may prune) exactly the
patterns here, and the formats take from here the few relative paths their files name (a
promtool test file names its rule file, prometheus.yml names the rules folder).
"""

from __future__ import annotations

import posixpath

DASHBOARDS_DIR = "grafana/dashboards"
PROVISIONING_DIR = "grafana/provisioning"
DASHBOARD_PROVIDER = f"{PROVISIONING_DIR}/dashboards/pfm-dash.yml"
DATASOURCE = f"{PROVISIONING_DIR}/datasources/prometheus.yml"
RULES_DIR = "prometheus/rules"
TESTS_DIR = "prometheus/tests"
# Beside prometheus/rules/, which its rule_files name relative to it.
PROMETHEUS_CONFIG = "prometheus/prometheus.yml"
ALERTMANAGER_CONFIG = "alertmanager/alertmanager.yml"

# What a build writes, relative to the output folder (one '*' per path segment): the files
# pfm-dash owns there, and so may remove when the source no longer declares them.
OWNED = (
    f"{DASHBOARDS_DIR}/*.json",
    f"{PROVISIONING_DIR}/*/*.yml",
    f"{RULES_DIR}/*.rules.yml",
    f"{TESTS_DIR}/*.test.yml",
    PROMETHEUS_CONFIG,
    "alertmanager/*.yml",
)


def dashboard_file(uid: str) -> str:
    return f"{DASHBOARDS_DIR}/{uid}.json"


def rules_file(group: str) -> str:
    return f"{RULES_DIR}/{group}.rules.yml"


def tests_file(group: str) -> str:
    return f"{TESTS_DIR}/{group}.test.yml"


def referenced_from(file: str, target: str) -> str:
    """``target`` as a file at ``file`` names it (relative to that file's folder)."""
    return posixpath.relpath(target, posixpath.dirname(file))
