"""[tool.pfm-dash]: a misspelt key or table is an error naming the file, never a silent default."""

from __future__ import annotations

from pathlib import Path

import pytest

from pfm_dash.config import load_config
from pfm_dash.errors import ConfigError

BASE = '[project]\nname = "x"\n\n[tool.pfm-dash]\nproject = "x"\n'


def _config(tmp_path: Path, extra: str) -> None:
    (tmp_path / "pyproject.toml").write_text(BASE + extra)
    for folder in ("dashboards", "alerts"):
        (tmp_path / folder).mkdir(exist_ok=True)
    load_config(tmp_path)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ('source = ["dashboards"]\n', "has no key or table 'source'; did you mean 'sources'?"),
        ('output = "build"\n', "has no key or table 'output'; did you mean 'out'?"),
        (
            '\n[tool.pfm-dash.alertmanger]\ngroup_by = ["alertname"]\n',
            "has no key or table 'alertmanger'; did you mean 'alertmanager'?",
        ),
        ('\n[tool.pfm-dash.grafana]\nurl = "grafana.example.org"\n', "needs a scheme"),
        (
            '\n[tool.pfm-dash.grafana]\nulr = "https://g"\n',
            "[tool.pfm-dash.grafana] has no key 'ulr'; did you mean 'url'?",
        ),
    ],
)
def test_unknown_keys_are_errors(tmp_path: Path, extra: str, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        _config(tmp_path, extra)
    assert message in str(caught.value)
    assert str(tmp_path / "pyproject.toml") in str(caught.value)


def test_the_projects_own_settings_are_accepted() -> None:
    config = load_config(Path(__file__).resolve().parents[1])
    assert config.project_declared and config.raw["grafana"]["url"].startswith("https://")
