"""Folder conflicts say once what --force does, and never suggest it where it cannot help."""

from __future__ import annotations

from grafana_testing import OPS, TEAM, dash
from push_testing import push

from pfm_dash.client import GrafanaClient
from pfm_dash.push import Action
from pfm_dash.push.report import outcome_line
from pfm_dash.testing.fake_grafana import FakeGrafana


def test_a_renamed_folder_names_force_once(grafana: FakeGrafana, client: GrafanaClient) -> None:
    """Issue 13 item 10: the conflict line repeated its --force hint."""
    client.create_folder("ops", "Ops (renamed in the UI)")
    summary = push(client, [dash("a", OPS)], grafana)
    (folder,) = summary.folders
    assert folder.action is Action.CONFLICT
    line = outcome_line(folder)
    assert line.count("--force") == 1 and "renames it to 'Operations'" in line


def test_a_folder_under_another_parent_never_suggests_force(
    grafana: FakeGrafana, client: GrafanaClient
) -> None:
    client.create_folder("ops", "Operations")
    client.create_folder("ops-team", "Team")  # at the root, declared under ops
    summary = push(client, [dash("a", TEAM)], grafana)
    line = outcome_line(summary.folders[1])
    assert summary.folders[1].action is Action.CONFLICT and "--force" not in line
