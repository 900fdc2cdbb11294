"""Where settings come from, what is refused before any request, and the default message."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from grafana_testing import OPS, TOKEN, dash
from push_testing import push

from pfm_dash.client import BasicAuth, BearerToken, GrafanaClient
from pfm_dash.config import Config, load_config
from pfm_dash.errors import UNKNOWN, ConfigError, DeclarationErrors
from pfm_dash.formats.grafana import CompiledDashboard
from pfm_dash.model.dashboard import Folder
from pfm_dash.push.command import execute
from pfm_dash.push.settings import default_message, resolve
from pfm_dash.testing.fake_grafana import FakeGrafana

URL = "https://grafana.example.org"


def test_flags_beat_environment_beat_pyproject(tmp_path: Path) -> None:
    config = {"grafana-url": "https://from-config", "concurrency": 3, "timeout": 9, "org-id": 2}
    env = {"GRAFANA_URL": "https://from-env", "GRAFANA_TOKEN": TOKEN}
    settings = resolve({"concurrency": 5}, env, config)
    assert settings.url == "https://from-env"
    assert (settings.concurrency, settings.timeout, settings.org_id) == (5, 9.0, 2)
    assert settings.auth == BearerToken(TOKEN) and settings.credential_source == "GRAFANA_TOKEN"
    assert settings.verify is True
    assert resolve({}, {}, config).url == "https://from-config"
    assert TOKEN not in repr(settings)


def test_credentials_sources(tmp_path: Path) -> None:
    token_file = tmp_path / "token"
    token_file.write_text(TOKEN + "\n")
    settings = resolve({"grafana_url": URL, "token_file": token_file}, {}, {})
    assert settings.auth == BearerToken(TOKEN) and settings.credential_source == "--token-file"
    basic = resolve({"grafana_url": URL}, {"GRAFANA_USER": "u", "GRAFANA_PASSWORD": "p"}, {})
    assert isinstance(basic.auth, BasicAuth) and basic.auth.user == "u"
    token_file.write_text("")
    with pytest.raises(ConfigError, match="is empty"):
        resolve({"grafana_url": URL, "token_file": token_file}, {}, {})


@pytest.mark.parametrize(
    ("flags", "env", "config", "message"),
    [
        ({}, {}, {}, "no Grafana URL"),
        ({"grafana_url": URL}, {}, {"token": "x"}, "must not hold credentials"),
        ({"grafana_url": URL}, {}, {"colour": "x"}, r"\[tool.pfm-dash.push\] has no key 'colour'"),
        ({"grafana_url": "https://u:hunter2@h"}, {}, {}, "must not hold credentials"),
        ({"grafana_url": "grafana:3000"}, {}, {}, "must start with https://"),
        ({"grafana_url": URL, "ca_cert": "/nope.pem"}, {}, {}, "no such file"),
        ({"grafana_url": URL, "concurrency": 0}, {}, {}, "concurrency 1..64"),
        ({"grafana_url": "http://10.0.0.5:3000"}, {"GRAFANA_TOKEN": "t"}, {}, "plain http"),
    ],
)
def test_refused_settings(
    flags: dict[str, object], env: dict[str, str], config: dict[str, object], message: str
) -> None:
    with pytest.raises(ConfigError, match=message) as refused:
        resolve(flags, env, config)
    assert "hunter2" not in str(refused.value)
    assert refused.value.exit_code == 2


def test_insecure_allows_plain_http_and_skips_verification() -> None:
    flags = {"grafana_url": "http://10.0.0.5:3000", "insecure": True}
    settings = resolve(flags, {"GRAFANA_TOKEN": "t"}, {})
    assert settings.verify is False and settings.insecure


def test_default_message_names_the_git_head(tmp_path: Path) -> None:
    assert default_message(tmp_path) == "pfm-dash push"
    git = ["git", "-C", str(tmp_path), "-c", "user.name=Ann", "-c", "user.email=ann@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "commit", "-q", "--allow-empty", "-m", "tune alerts"], check=True)
    message = default_message(tmp_path)
    assert message.startswith("pfm-dash push of ")
    assert message.endswith(" by Ann <ann@example.org>: tune alerts")


def test_bad_uids_and_duplicates_are_caught_before_any_request(
    grafana: FakeGrafana, client: GrafanaClient
) -> None:
    bad_folder = object.__new__(Folder)  # as if built without validation
    object.__setattr__(bad_folder, "uid", "no/slash")
    object.__setattr__(bad_folder, "title", "Bad")
    object.__setattr__(bad_folder, "parent", None)
    specs = [
        dash("ok", OPS),
        dash("bad uid"),
        dash("ok"),
        CompiledDashboard("f", "F", bad_folder, {}, UNKNOWN),
    ]
    with pytest.raises(DeclarationErrors) as refused:
        push(client, specs, grafana)
    text = refused.value.render()
    assert "invalid dashboard uid 'bad uid'" in text
    assert "'ok' is declared twice" in text
    assert "invalid folder uid 'no/slash'" in text
    assert grafana.requests == []


def test_terminal_gets_a_progress_bar_and_the_full_report(
    tmp_path: Path, grafana: FakeGrafana, capsys: pytest.CaptureFixture[str]
) -> None:
    flags = {"grafana_url": grafana.url, "message": "m", "diff": True}
    env = {"GRAFANA_TOKEN": TOKEN}
    code = execute(flags, config=Config(root=tmp_path), specs=[dash("a", OPS)], env=env, tty=True)
    captured = capsys.readouterr()
    assert code == 0
    assert "pushing" in captured.err  # click's progress bar
    assert captured.out.startswith("Grafana 11.6.0 at http://127.0.0.1:")
    assert "created       dashboard a" in captured.out and "+++ source/a.json" in captured.out
    assert TOKEN not in captured.out + captured.err


def test_prune_needs_a_declared_project(tmp_path: Path, grafana: FakeGrafana) -> None:
    """Issue 13 item 3: a project name defaulted from [project] name or the folder is refused."""
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "pfm-dash"\n[tool.pfm-dash]\n')
    flags = {"grafana_url": grafana.url, "message": "m", "prune": True}
    env = {"GRAFANA_TOKEN": TOKEN}
    config = load_config(tmp_path)
    assert config.project == "pfm-dash" and not config.project_declared
    with pytest.raises(ConfigError) as refused:
        execute(flags, config=config, specs=[dash("a", OPS)], env=env)
    assert "[tool.pfm-dash]" in str(refused.value) and "\n" not in str(refused.value)
    assert refused.value.exit_code == 2 and grafana.requests == []
    # Without --prune the default still names the mark; with the name declared, prune runs.
    assert execute({**flags, "prune": False}, config=config, specs=[dash("a", OPS)], env=env) == 0
    (tmp_path / "pyproject.toml").write_text('[tool.pfm-dash]\nproject = "team-a"\n')
    config = load_config(tmp_path)
    assert config.project_declared
    assert execute(flags, config=config, specs=[dash("b", OPS)], env=env) == 0
    stored = grafana.dashboard("b")
    assert stored is not None and stored.data["pfmDash"]["project"] == "team-a"
    assert grafana.dashboard_uids() == {"a", "b"}  # 'a' names another project: never pruned
