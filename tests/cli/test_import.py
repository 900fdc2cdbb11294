"""``pfm-dash import`` as a user runs it: files and a live (fake) Grafana on a real socket."""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import Result, run_cli

from pfm_dash.cli.init import scaffold
from pfm_dash.client import BearerToken, GrafanaClient
from pfm_dash.config import load_config
from pfm_dash.formats.grafana import compile_dashboard
from pfm_dash.project import load_project
from pfm_dash.testing.fake_grafana import FakeGrafana

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "glsa_importTEST_S3CRET_77aa"
HAS_PARSER = importlib.util.find_spec("pfm_dash.formats.grafana.parse") is not None
needs_parser = pytest.mark.skipif(not HAS_PARSER, reason="the Grafana JSON parser is not here")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "mon"
    scaffold(root, "mon")
    return root


@pytest.fixture
def grafana() -> Iterator[FakeGrafana]:
    """A fake Grafana holding the PFM dashboards, as pushed, in their folder."""
    with FakeGrafana() as fake:
        fake.add_token(TOKEN)
        client = GrafanaClient(fake.url, BearerToken(TOKEN))
        for board in load_project(load_config(ROOT)).dashboards:
            folder_uid = ""
            if board.folder is not None:
                if fake.folder(board.folder.uid) is None:
                    client.create_folder(board.folder.uid, board.folder.title)
                folder_uid = board.folder.uid
            model = compile_dashboard(board).model
            client.save_dashboard(model, folder_uid, overwrite=True, message="seed")
        client.close()
        yield fake


def pfm_json(tmp_path: Path) -> list[Path]:
    """The PFM dashboards as JSON files, as someone would export them."""
    out = []
    for board in load_project(load_config(ROOT)).dashboards:
        path = tmp_path / f"{board.uid}.json"
        path.write_text(json.dumps(compile_dashboard(board).model, indent=2))
        out.append(path)
    return out


def grafana_cli(fake: FakeGrafana, *args: str, cwd: Path, token: str = TOKEN) -> Result:
    import os

    saved = os.environ.get("GRAFANA_TOKEN")
    os.environ["GRAFANA_TOKEN"] = token
    try:
        return run_cli("import", "--grafana-url", fake.url, *args, cwd=cwd)
    finally:
        if saved is None:
            del os.environ["GRAFANA_TOKEN"]
        else:
            os.environ["GRAFANA_TOKEN"] = saved


def written(root: Path) -> list[str]:
    return sorted(p.name for p in (root / "dashboards").glob("*.py"))


# --- usage ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "nothing to import"),
        (["--grafana-url", "http://127.0.0.1:9"], "say which dashboards to pull"),
        (["--uid", "a", "--all"], "give one of --uid, --folder or --all"),
        (["--tests", "pyproject.toml", "pyproject.toml"], "not a dashboard (.json) or rule file"),
    ],
)
def test_usage_mistakes_exit_2_and_write_nothing(
    project: Path, args: list[str], message: str
) -> None:
    before = written(project)
    result = run_cli("import", *args, cwd=project)
    assert result.code == 2, result.text
    assert message in result.err and "Traceback" not in result.err
    assert written(project) == before


def test_outside_a_project_it_refuses(tmp_path: Path) -> None:
    (tmp_path / "board.json").write_text("{}")
    result = run_cli("import", "board.json", cwd=tmp_path)
    assert result.code == 2 and "[tool.pfm-dash]" in result.err


def test_a_file_that_is_not_json_names_its_line(project: Path) -> None:
    bad = project / "bad.json"
    bad.write_text('{\n  "title": "x",\n  oops\n}\n')
    result = run_cli("import", "bad.json", cwd=project)
    assert result.code == 2, result.text
    assert "bad.json:3: error: not JSON" in result.err
    assert written(project) == ["__init__.py", "catalog.py"]


@pytest.mark.skipif(
    importlib.util.find_spec("pfm_dash.importing.rules") is not None,
    reason="rule import is here: tests/importing cover it",
)
def test_rule_files_without_the_rule_importer_are_a_clear_error(project: Path) -> None:
    (project / "rules.yml").write_text("groups: []\n")
    result = run_cli("import", "rules.yml", cwd=project)
    assert result.code == 2 and "not available in this pfm-dash yet" in result.err


# --- Grafana: credentials --------------------------------------------------------------------


def test_no_credentials_exit_4_with_what_to_set(grafana: FakeGrafana, project: Path) -> None:
    result = grafana_cli(grafana, "--all", cwd=project, token="")
    assert result.code == 4, result.text
    assert "needs credentials: set GRAFANA_TOKEN" in result.err
    assert written(project) == ["__init__.py", "catalog.py"]


def test_a_rejected_token_exits_4_and_is_never_printed(grafana: FakeGrafana, project: Path) -> None:
    result = grafana_cli(grafana, "--all", cwd=project, token="glsa_wrongTEST_S3CRET")
    assert result.code == 4, result.text
    assert "rejected the credentials from GRAFANA_TOKEN" in result.err
    assert "S3CRET" not in result.text


def test_an_unreachable_grafana_exits_1(project: Path) -> None:
    result = run_cli("import", "--grafana-url", "http://127.0.0.1:9", "--all", cwd=project)
    assert result.code == 1, result.text
    assert "no answer from http://127.0.0.1:9" in result.err


# --- with the parser --------------------------------------------------------------------------


@needs_parser
def test_import_files_then_build_gives_the_same_dashboards(project: Path, tmp_path: Path) -> None:
    files = pfm_json(tmp_path)
    result = run_cli("import", *map(str, files), cwd=project)
    assert result.code == 0, result.text
    assert "wrote dashboards/pfm_overview.py: 'PFM Overview'" in result.out
    assert run_cli("build", cwd=project).code == 0
    for path in files:
        original = json.loads(path.read_text())
        built = json.loads((project / "build/grafana/dashboards" / path.name).read_text())
        assert _same(original, built)


@needs_parser
def test_existing_modules_need_force_and_collisions_are_reported(
    project: Path, tmp_path: Path
) -> None:
    files = pfm_json(tmp_path)
    assert run_cli("import", *map(str, files), cwd=project).code == 0
    modules = {p: p.read_text() for p in (project / "dashboards").glob("*.py")}
    again = run_cli("import", str(files[0]), cwd=project)
    assert again.code == 2 and "refusing to overwrite" in again.err and "--force" in again.err
    forced = run_cli("import", "--force", str(files[0]), cwd=project)
    assert forced.code == 0 and "replaced dashboards/" in forced.out, forced.text
    # The same uid under another title would be a second module declaring it.
    data = json.loads(files[0].read_text())
    data["title"] = "Another title"
    other = tmp_path / "renamed.json"
    other.write_text(json.dumps(data))
    clash = run_cli("import", "--force", str(other), cwd=project)
    assert clash.code == 2 and f"uid {data['uid']!r} is already declared in" in clash.err
    twice = run_cli("import", "--into", "dashboards/x", str(files[0]), str(other), cwd=project)
    assert twice.code == 2 and "is also the uid of" in twice.err
    assert not (project / "dashboards" / "x").exists()
    assert {p: p.read_text() for p in (project / "dashboards").glob("*.py")} == modules


@needs_parser
def test_init_import_from_grafana_all_then_build(grafana: FakeGrafana, tmp_path: Path) -> None:
    assert run_cli("init", "fresh", cwd=tmp_path).code == 0
    root = tmp_path / "fresh"
    result = grafana_cli(grafana, "--all", cwd=root)
    assert result.code == 0, result.text
    modules = ["pfm_overview.py", "pfm_security_and_blockchain_signals.py"]
    assert written(root) == ["__init__.py", "catalog.py", *modules]
    overview = (root / "dashboards/pfm_overview.py").read_text()
    assert 'folder = Folder(uid="pfm", title="PFM")' in overview
    assert f"Imported by pfm-dash import from {grafana.url}/d/pfm-overview." in overview
    built = run_cli("build", cwd=root)
    assert built.code == 0, built.text
    for uid in grafana.dashboard_uids():
        stored = grafana.dashboard(uid)
        assert stored is not None
        out = json.loads((root / "build/grafana/dashboards" / f"{uid}.json").read_text())
        assert _same(stored.data, out)


@needs_parser
def test_pull_by_folder_then_by_uid(grafana: FakeGrafana, project: Path) -> None:
    by_folder = grafana_cli(grafana, "--folder", "PFM", cwd=project)
    assert by_folder.code == 0, by_folder.text
    assert len(written(project)) == 4
    by_uid = grafana_cli(grafana, "--uid", "pfm-overview", "--into", "dashboards/x", cwd=project)
    assert by_uid.code == 2, by_uid.text
    assert by_uid.err.startswith(f"{grafana.url}/d/pfm-overview: $.uid: error: uid")
    assert "already declared in dashboards/pfm_overview.py" in by_uid.err
    forced = grafana_cli(grafana, "--uid", "pfm-overview", "--force", cwd=project)
    assert forced.code == 0 and "replaced dashboards/pfm_overview.py" in forced.out
    missing = grafana_cli(grafana, "--uid", "no-such-board", cwd=project)
    assert missing.code == 2 and "has no dashboard with uid 'no-such-board'" in missing.err
    nothing = grafana_cli(grafana, "--folder", "nope", cwd=project)
    assert nothing.code == 2 and "no dashboards in a folder with uid or title 'nope'" in nothing.err


def _same(original: dict[str, Any], output: dict[str, Any]) -> bool:
    """Every key of the original is in the output with its value (ids and versions aside)."""
    ignore = {"id", "version", "iteration"}
    return all(output.get(k) == v for k, v in original.items() if k not in ignore)


LEGACY = {
    "uid": "legacy",
    "title": "Legacy",
    "schemaVersion": 14,
    "rows": [
        {
            "title": "Traffic",
            "height": "250px",
            "panels": [
                {
                    "id": 1,
                    "type": "graph",
                    "title": "Requests",
                    "span": 6,
                    "datasource": "Prometheus",
                    "targets": [{"expr": "sum(rate(http_requests_total[5m]))", "refId": "A"}],
                },
                {
                    "id": 2,
                    "type": "singlestat",
                    "title": "Up",
                    "span": 6,
                    "datasource": None,
                    "targets": [{"expr": "up", "refId": "A"}],
                },
            ],
        }
    ],
}


@needs_parser
def test_what_the_migration_upgraded_is_printed_per_dashboard(project: Path) -> None:
    (project / "legacy.json").write_text(json.dumps(LEGACY))
    result = run_cli("import", "legacy.json", cwd=project)
    assert result.code == 0, result.text
    lines = result.out.splitlines()
    assert lines[0] == "wrote dashboards/legacy.py: 'Legacy' (uid legacy) from legacy.json"
    upgraded = [line for line in lines if line.startswith("  upgraded: ")]
    assert any("graph -> timeseries" in line for line in upgraded), result.out
    assert any("singlestat -> stat" in line for line in upgraded), result.out
    module = (project / "dashboards/legacy.py").read_text()
    assert "requests = TimeSeries(" in module and "up = Stat(" in module
    assert "Imported by pfm-dash import from legacy.json." in module
    assert run_cli("build", cwd=project).code == 0


RULES = """\
groups:
  - name: example
    rules:
      - alert: InstanceDown
        expr: up == 0
        for: 5m
        labels:
          severity: warning
        annotations:
          summary: An instance is down.
"""


@needs_parser
@pytest.mark.skipif(
    importlib.util.find_spec("pfm_dash.importing.rules") is None,
    reason="the rule importer is not here",
)
def test_a_folder_of_dashboards_and_rules_imports_in_one_go(project: Path, tmp_path: Path) -> None:
    folder = tmp_path / "export"
    folder.mkdir()
    for path in pfm_json(tmp_path):
        path.rename(folder / path.name)
    (folder / "example.rules.yml").write_text(RULES)
    result = run_cli("import", str(folder), cwd=project)
    assert result.code == 0, result.text
    assert "wrote dashboards/pfm_overview.py" in result.out
    modules = [p.read_text() for p in (project / "alerts").glob("*.py")]
    assert sum("RuleGroup(" in text for text in modules) == 1
    built = run_cli("build", cwd=project)
    assert built.code == 0, built.text
    assert "1 rule group(s)" in built.out
