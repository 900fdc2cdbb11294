"""``import_rule_files``: rule files become alerts modules that lint clean and build back the same.

The proof runs over the whole corpus: every rule file goes YAML -> Python -> ``pfm-dash
build`` (a real subprocess, in a throwaway project with its own pyproject.toml) -> YAML and
comes back with the same groups, rules, expressions, durations, labels and annotations
(compared parsed); promtool accepts the original and the built file alike.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import ROOT, run_cli
from corpus_testing import corpus_dir

from pfm_dash.config import load_config
from pfm_dash.errors import ConfigError, DeclarationError
from pfm_dash.formats.prometheus.parse import parse_rule_file
from pfm_dash.formats.python.rules import module_name
from pfm_dash.importing.rules import import_rule_files

BIN = Path(sys.executable).parent
# As `pfm-dash init` writes it, with this repository's lint rules: pfm_dash is third-party.
PYPROJECT = """\
[project]
name = "imported"

[tool.pfm-dash]
sources = ["{alerts}"]

[tool.ruff]
line-length = 100
target-version = "py311"

[tool.ruff.lint]
select = ["E", "F", "W", "I", "B", "UP", "SIM", "RUF"]
"""


def new_project(folder: Path, alerts: str = "alerts") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pyproject.toml").write_text(PYPROJECT.format(alerts=alerts))
    (folder / alerts).mkdir(exist_ok=True)
    return folder


def forget_project_modules() -> None:
    """Each test's project has its own ``alerts`` package; the importer loads the project
    in this process (as the CLI does in its own), so the last one's modules must go."""
    for name in [n for n in sys.modules if n == "alerts" or n.startswith("alerts.")]:
        del sys.modules[name]


def do_import(project: Path, files: list[Path], alerts: str = "alerts", **kwargs: Any) -> list[str]:
    lines: list[str] = []
    forget_project_modules()
    path = list(sys.path)
    try:
        import_rule_files(
            files,
            into=project / alerts,
            config=load_config(project),
            echo=lines.append,
            **kwargs,
        )
    finally:
        sys.path[:] = path
        forget_project_modules()
    return lines


def lint(*folders: Path) -> None:
    """The project's ruff check, ruff format --check and mypy --strict, or fail with output.

    With the settings of the pyproject.toml beside the first folder, as the project's
    developer runs them; one run covers many projects' packages.
    """
    config = str(folders[0].parent / "pyproject.toml")
    paths = [str(f) for f in folders]
    for command in (
        [str(BIN / "ruff"), "check", "--no-cache", "--config", config, *paths],
        [str(BIN / "ruff"), "format", "--check", "--no-cache", "--config", config, *paths],
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", *paths],
    ):
        done = subprocess.run(
            command,
            cwd=os.path.commonpath([f.parent for f in folders]),
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, f"{' '.join(command[:3])}:\n{done.stdout}{done.stderr}"


def promtool_check(paths: list[Path]) -> bool:
    done = subprocess.run(
        ["promtool", "check", "rules", *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    return done.returncode == 0


def built_group(project: Path, name: str) -> dict[str, Any]:
    data = yaml.safe_load((project / "build/prometheus/rules" / f"{name}.rules.yml").read_text())
    assert len(data["groups"]) == 1
    group: dict[str, Any] = data["groups"][0]
    return group


def json_findings(text: str) -> list[dict[str, Any]]:
    import json

    data = json.loads(text)
    found: list[dict[str, Any]] = data["findings"] if isinstance(data, dict) else data
    return found


def comparable(group: dict[str, Any]) -> dict[str, Any]:
    """As Prometheus reads a group: ``rules: null`` is no rules; an expression's surrounding
    whitespace (the newline YAML's ``|`` and ``>`` add) means nothing."""
    rules = [{**r, "expr": str(r["expr"]).strip()} for r in group.get("rules") or []]
    return {**group, "rules": rules}


# --- one small project ---------------------------------------------------------------------

RULES = """\
groups:
- name: Storage
  rules:
  - alert: DiskFull
    expr: node_filesystem_avail_bytes / node_filesystem_size_bytes < 0.05
    for: 10m
    labels: {severity: critical, team: platform}
    annotations:
      summary: A disk is almost full.
      description: '{{ $labels.instance }} has {{ $value | humanizePercentage }} left.'
      runbook_url: https://runbooks.example/DiskFull
  - alert: DiskFilling
    expr: predict_linear(node_filesystem_avail_bytes[6h], 86400) < 0
    labels: {severity: warning, team: data-platform}
  - record: instance:disk_free:ratio
    expr: node_filesystem_avail_bytes / node_filesystem_size_bytes
"""

TESTS = """\
rule_files: [storage.yml]
evaluation_interval: 1m
tests:
- name: disk fills up
  interval: 1m
  input_series:
  - {series: 'node_filesystem_avail_bytes{instance="a"}', values: '1x30'}
  - {series: 'node_filesystem_size_bytes{instance="a"}', values: '100x30'}
  alert_rule_test:
  - eval_time: 20m
    alertname: DiskFull
    exp_alerts:
    - exp_labels: {severity: critical, team: platform, instance: a}
      exp_annotations:
        summary: A disk is almost full.
        description: a has 1% left.
        runbook_url: https://runbooks.example/DiskFull
  - {eval_time: 5m, alertname: DiskFull}
"""

TEAMS = '''\
"""Teams."""

from pfm_dash import Receiver, Severity, Team

PLATFORM = Team(
    name="platform",
    receiver=Receiver(email_env="PLATFORM_EMAIL"),
    on_call_for=Severity.CRITICAL,
)
'''


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Path]:
    root = new_project(tmp_path / "project")
    (root / "alerts" / "__init__.py").touch()
    (root / "alerts" / "teams.py").write_text(TEAMS)
    (tmp_path / "storage.yml").write_text(RULES)
    (tmp_path / "storage.test.yml").write_text(TESTS)
    yield root


def test_a_rule_file_becomes_a_module_that_builds_the_same_rules(
    project: Path, tmp_path: Path
) -> None:
    source = tmp_path / "storage.yml"
    lines = do_import(project, [source], tests=tmp_path / "storage.test.yml")
    assert any("wrote alerts/storage.py: group 'Storage' (3 rule(s))" in line for line in lines)
    assert "declared team 'data-platform' in alerts/teams.py" in lines
    module = (project / "alerts" / "storage.py").read_text()
    assert "team=PLATFORM" in module and "team=DATA_PLATFORM" in module
    assert "from alerts.teams import DATA_PLATFORM, PLATFORM" in module
    # DiskFull has tests, a team and its annotations: only the panel link is waived;
    # DiskFilling owes everything the house rules ask, each waived with its reason.
    disk_full = module.split("disk_full = ")[1].split("\n)\n")[0]
    assert 'Ignore(rule="alert-panel-link", reason="imported; ' in disk_full
    assert "alert-tests" not in disk_full and "alert-summary" not in disk_full
    filling = module.split("disk_filling = ")[1].split("\n)\n")[0]
    for rule in ("alert-summary", "alert-description", "alert-runbook", "alert-for"):
        assert f'Ignore(rule="{rule}", reason="imported; ' in filling
    teams = (project / "alerts" / "teams.py").read_text()
    assert 'DATA_PLATFORM = Team(\n    name="data-platform",' in teams
    assert "from pfm_dash import Receiver, Severity, Team\n" in teams
    lint(project / "alerts")

    built = run_cli("build", cwd=project)
    assert built.code == 0, built.text
    assert comparable(built_group(project, "Storage")) == comparable(
        yaml.safe_load(RULES)["groups"][0]
    )
    tests = project / "build/prometheus/tests/Storage.test.yml"
    done = subprocess.run(
        ["promtool", "test", "rules", str(tests)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout + done.stderr
    checked = run_cli("check", "--format", "json", "--no-promtool", cwd=project)
    findings = [f for f in json_findings(checked.out) if f["object"].startswith("alert ")]
    house = [f for f in findings if f["rule"].startswith("alert-")]
    assert house and all(f["suppressed"].startswith("imported; ") for f in house), house


def test_an_existing_module_is_kept_without_force(project: Path, tmp_path: Path) -> None:
    source = tmp_path / "storage.yml"
    do_import(project, [source])
    target = project / "alerts" / "storage.py"
    target.write_text(target.read_text() + "# edited\n")
    with pytest.raises(ConfigError) as caught:
        do_import(project, [source])
    assert "alerts/storage.py exists; pass --force to replace it" in str(caught.value)
    assert target.read_text().endswith("# edited\n")
    lines = do_import(project, [source], force=True)
    assert any(line.startswith("replaced alerts/storage.py") for line in lines)
    assert not target.read_text().endswith("# edited\n")


def test_colliding_groups_are_reported_and_nothing_is_written(
    project: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other.yml"
    other.write_text(RULES.replace("DiskFull", "Other"))
    clash = tmp_path / "clash.yml"
    clash.write_text("groups:\n- name: storage\n  rules: []\n")
    before = sorted(p.name for p in (project / "alerts").iterdir())
    with pytest.raises(ConfigError) as caught:
        do_import(project, [tmp_path / "storage.yml", other, clash])
    text = str(caught.value)
    assert f"group 'Storage' at {other}:2 is also at {tmp_path / 'storage.yml'}:2" in text
    assert "would both be written to storage.py" in text
    assert sorted(p.name for p in (project / "alerts").iterdir()) == before


def test_a_group_the_project_declares_elsewhere_collides(project: Path, tmp_path: Path) -> None:
    (project / "alerts" / "mine.py").write_text(
        "from pfm_dash import RuleGroup\n\nmine = RuleGroup(name='Storage', rules=[])\n"
    )
    with pytest.raises(ConfigError, match=r"group 'Storage' is already declared at .*mine.py"):
        do_import(project, [tmp_path / "storage.yml"])


def test_bad_rule_file_is_a_declaration_error_and_nothing_is_written(
    project: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text("groups:\n- name: g\n  rules:\n  - expr: up\n")
    with pytest.raises(DeclarationError) as caught:
        do_import(project, [tmp_path / "storage.yml", bad])
    assert str(caught.value.location) == f"{bad}:4"
    assert not (project / "alerts" / "storage.py").exists()


# --- the proof over the corpus -------------------------------------------------------------


def corpus_files() -> list[Path]:
    files = [
        *sorted(corpus_dir("kube-prometheus", "rules").glob("*.yml")),
        *sorted(corpus_dir("awesome-prometheus-alerts").rglob("*.yml")),
    ]
    assert len(files) == 120, len(files)
    return files


def projects_of(files: list[Path]) -> list[list[Path]]:
    """Files packed into as few projects as their group names allow (one name per project)."""
    projects: list[tuple[set[str], list[Path]]] = []
    for path in files:
        names = {n for g in parse_rule_file(path) for n in (g.name, module_name(g))}
        for taken, members in projects:
            if not names & taken:
                taken |= names
                members.append(path)
                break
        else:
            projects.append((set(names), [path]))
    return [members for _, members in projects]


def test_every_corpus_rule_file_goes_through_python_and_build_and_comes_back(
    tmp_path: Path,
) -> None:
    """All 120 files of kube-prometheus and awesome-prometheus-alerts: 0 crashes, same rules.

    The corpus files are all valid rule files for promtool (2.42): it accepts every original
    and every built file. A file it refuses is refused by the build too (a test below).
    """
    files = corpus_files()
    groups = rules = 0
    packs = projects_of(files)
    # Each project keeps its rules in its own package (`--into alertsN`), so that one ruff
    # and one mypy run lint them all; each project has its own pyproject.toml.
    projects = [new_project(tmp_path / f"p{n}", f"alerts{n}") for n in range(len(packs))]
    for number, (project, members) in enumerate(zip(projects, packs, strict=True)):
        do_import(project, members, f"alerts{number}")
    lint(*(project / f"alerts{number}" for number, project in enumerate(projects)))
    for project, members in zip(projects, packs, strict=True):
        built = run_cli("build", cwd=project)
        assert built.code == 0, built.text
        outputs: list[Path] = []
        for path in members:
            for before in yaml.safe_load(path.read_text())["groups"]:
                after = built_group(project, before["name"])
                assert comparable(after) == comparable(before), f"{path}: {before['name']}"
                outputs.append(project / "build/prometheus/rules" / f"{before['name']}.rules.yml")
                groups += 1
                rules += len(before.get("rules") or [])
        assert promtool_check(members), f"promtool refuses an original of {members}"
        assert promtool_check(outputs), f"promtool refuses what {members} built to"
    assert (groups, rules) == (150, 1188)


def test_promtool_refuses_the_import_of_a_file_it_refuses(tmp_path: Path) -> None:
    """The import carries PromQL as written: promtool refuses the original, and the build
    refuses the imported module at the alert's line, for the same broken expression."""
    source = tmp_path / "broken.yml"
    source.write_text(
        textwrap.dedent(
            """\
            groups:
            - name: broken
              rules:
              - alert: Broken
                expr: rate(up[5m]
                labels: {severity: warning}
            """
        )
    )
    project = new_project(tmp_path / "p")
    do_import(project, [source])
    assert not promtool_check([source])
    built = run_cli("build", cwd=project)
    assert built.code == 2, built.text
    assert "alerts/broken.py:7: error: alert Broken: the expression does not parse" in built.err


def test_imported_rules_build_in_a_project_with_teams_and_routing(
    pfm_copy: Path, tmp_path: Path
) -> None:
    """In the PFM project (teams, on-call routing, pfm_dash first-party): an alert of a
    known team routes to it, and one of no team is waived, not refused, by the build."""
    source = tmp_path / "storage.yml"
    source.write_text(RULES)
    lines = do_import(pfm_copy, [source])
    assert "declared team 'data-platform' in alerts/teams.py" in lines
    module = (pfm_copy / "alerts" / "storage.py").read_text()
    # one isort section, as the repository's own alerts modules have it
    assert "from alerts.teams import DATA_PLATFORM, PLATFORM\nfrom pfm_dash import" in module
    lint(pfm_copy / "alerts")  # with the repository's settings (pfm_dash is first-party)
    teamless = tmp_path / "teamless.yml"
    teamless.write_text(RULES.replace("team: platform", "zone: eu").replace("Storage", "other"))
    teamless.write_text(teamless.read_text().replace(", team: data-platform", ""))
    do_import(pfm_copy, [teamless])
    built = run_cli("build", cwd=pfm_copy)
    assert built.code == 0, built.text
    routing = yaml.safe_load((pfm_copy / "build/alertmanager/alertmanager.yml").read_text())
    receivers = {r["name"] for r in routing["receivers"]}
    assert "data-platform" in receivers
    built_rules = built_group(pfm_copy, "other")
    assert all("team" not in r.get("labels", {}) for r in built_rules["rules"])


def test_a_folder_build_does_not_collect_is_pointed_out(project: Path, tmp_path: Path) -> None:
    lines = do_import(project, [tmp_path / "storage.yml"], "elsewhere")
    module = (project / "elsewhere" / "storage.py").read_text()
    assert any("is not below a folder of [tool.pfm-dash] sources" in line for line in lines)
    # the project's own team is reused where it is declared, the new one declared here
    assert "from alerts.teams import PLATFORM\nfrom elsewhere.teams import DATA_PLATFORM" in module
    assert "\nPLATFORM = Team(" not in (project / "elsewhere" / "teams.py").read_text()


@pytest.mark.parametrize("group", ["pfm-availability", "pfm-security"])
def test_pfm_rules_and_their_tests_come_back_through_python(tmp_path: Path, group: str) -> None:
    """Our own build's rule file and promtool tests, imported with --tests into a new project
    and built there: the same rules, the same test file, and promtool passes it."""
    rules = ROOT / "build/prometheus/rules" / f"{group}.rules.yml"
    tests = ROOT / "build/prometheus/tests" / f"{group}.test.yml"
    project = new_project(tmp_path / "p")
    lines = do_import(project, [rules], tests=tests)
    assert not [line for line in lines if "note:" in line], lines
    lint(project / "alerts")
    built = run_cli("build", cwd=project)
    assert built.code == 0, built.text
    out = project / "build/prometheus"
    assert yaml.safe_load((out / "rules" / rules.name).read_text()) == yaml.safe_load(
        rules.read_text()
    )
    assert yaml.safe_load((out / "tests" / tests.name).read_text()) == yaml.safe_load(
        tests.read_text()
    )
    done = subprocess.run(
        ["promtool", "test", "rules", str(out / "tests" / tests.name)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_cli_imports_rules_with_tests_and_refuses_bad_input(tmp_path: Path) -> None:
    """`pfm-dash init`, `import RULES --tests FILE`, `build`: as a user runs them."""
    project = tmp_path / "monitoring"
    assert run_cli("init", str(project), cwd=tmp_path).code == 0
    (tmp_path / "storage.yml").write_text(RULES)
    (tmp_path / "storage.test.yml").write_text(TESTS)
    args = ("import", str(tmp_path / "storage.yml"), "--tests", str(tmp_path / "storage.test.yml"))
    result = run_cli(*args, cwd=project)
    assert result.code == 0, result.text
    assert "wrote alerts/storage.py: group 'Storage' (3 rule(s))" in result.out
    lint(project / "alerts")
    built = run_cli("build", cwd=project)
    assert built.code == 0, built.text
    assert (project / "build/prometheus/tests/Storage.test.yml").is_file()
    again = run_cli(*args, cwd=project)
    assert again.code == 2 and "alerts/storage.py exists; pass --force" in again.err
    (tmp_path / "bad.yml").write_text("groups:\n- name: g\n  rules:\n  - expr: up\n")
    bad = run_cli("import", str(tmp_path / "bad.yml"), cwd=project)
    assert bad.code == 2 and "bad.yml:4: error: a rule must have exactly one of" in bad.err
    assert "Traceback" not in bad.err
