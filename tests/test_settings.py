"""Typed settings: one loader for every [tool.pfm-dash…] table, one shape of error."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Literal

import pytest

from pfm_dash.config import ToolSettings
from pfm_dash.errors import ConfigError
from pfm_dash.settings import Duration, SettingsTable, describe, load_table, setting


def _positive(value: int) -> str:
    return "" if value > 0 else "must be positive"


class Inner(SettingsTable):
    """A sub-table."""

    KEY_STYLE = "kebab"

    host_name: str = setting(default="", doc="A host.")

    def invalid(self) -> str:
        return "" if self.host_name else "needs host-name"


class Sample(SettingsTable):
    """A sample table."""

    REFUSED: ClassVar[Mapping[str, str]] = {"token": "must not hold credentials; use $TOKEN"}

    name: str = setting(default="x", doc="A name.")
    count: int = setting(default=1, doc="How many.", check=_positive, example="3")
    ratio: float = setting(default=0.5, doc="A share.")
    wait: Duration = setting(default="5m", doc="A wait.")
    labels: tuple[str, ...] = setting(default=("a",), doc="Labels.")
    scheme: Literal["http", "https"] | None = setting(default=None, doc="A scheme.")
    per_env: Mapping[str, tuple[str, ...]] = setting(default={}, doc="Per environment.")
    inner: Inner | None = setting(default=None, doc="A sub-table.")
    named: Mapping[str, Inner] = setting(default={}, doc="Named sub-tables.")


def test_values_are_converted_and_defaults_kept() -> None:
    raw: dict[str, Any] = {
        "count": 3,
        "ratio": 2,
        "labels": ["x", "y"],
        "per_env": {"prod": ["a:1"]},
        "inner": {"host-name": "h"},
        "named": {"one": {"host-name": "o"}},
    }
    got = load_table(Sample, raw, "sample")
    assert got.count == 3 and got.ratio == 2.0 and isinstance(got.ratio, float)
    assert got.labels == ("x", "y") and got.per_env == {"prod": ("a:1",)}
    assert got.inner == Inner(host_name="h") and got.named == {"one": Inner(host_name="o")}
    assert got.name == "x" and got.wait == "5m" and got.scheme is None
    assert load_table(Sample, None, "sample") == Sample()


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"nmae": "y"}, "[tool.pfm-dash.sample] has no key or table 'nmae'; did you mean 'name'?"),
        ({"token": "s"}, "[tool.pfm-dash.sample] token: must not hold credentials; use $TOKEN"),
        ({"name": 3}, "[tool.pfm-dash.sample] name: must be a string, not 3"),
        ({"count": True}, "count: must be an integer, not true"),
        ({"count": 0}, "count: must be positive; e.g. count = 3"),
        ({"ratio": "1"}, 'ratio: must be a number, not "1"'),
        ({"wait": "5x"}, "wait: not a valid duration string: '5x'; write a Prometheus duration"),
        ({"wait": "1m5h"}, "wait: not a valid duration string: '1m5h'"),
        ({"labels": "a"}, 'labels: must be a list of strings, not "a"'),
        ({"scheme": "ftp"}, "scheme: must be one of 'http', 'https', not \"ftp\""),
        ({"per_env": {"prod": [1]}}, "per_env.prod: must be a list of strings, not [1]"),
        ({"inner": {"host": "h"}}, "[tool.pfm-dash.sample.inner] has no key 'host'"),
        ({"inner": {}}, "[tool.pfm-dash.sample.inner] needs host-name"),
        ({"inner": 3}, "[tool.pfm-dash.sample.inner] must be a table, not 3"),
        ({"named": {"one": {}}}, "[tool.pfm-dash.sample.named.one] needs host-name"),
    ],
)
def test_each_mistake_names_file_table_key_and_the_fix(raw: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_table(Sample, raw, "sample", "/p/pyproject.toml")
    text = str(caught.value)
    assert text.startswith("/p/pyproject.toml: [tool.pfm-dash.sample")
    assert message in text and caught.value.exit_code == 2


def test_the_top_table_says_key_or_table() -> None:
    with pytest.raises(ConfigError) as caught:
        load_table(ToolSettings, {"alertmanger": {}}, "")
    assert "[tool.pfm-dash] has no key or table 'alertmanger'; did you mean 'alertmanager'?" in (
        str(caught.value)
    )
    with pytest.raises(ConfigError, match=r"\[tool.pfm-dash.grafana\] url: 'g.example' needs a"):
        load_table(ToolSettings, {"grafana": {"url": "g.example"}}, "")


def test_the_reference_documents_every_key_with_its_default() -> None:
    text = "\n".join(describe(Sample, "sample"))
    assert "| `count` | an integer | `1` | How many. |" in text
    assert '| `wait` | a Prometheus duration such as 30s, 5m or 1h30m | `"5m"` |' in text
    assert "### `[tool.pfm-dash.sample.inner]`" in text
    assert "### `[tool.pfm-dash.sample.named.<name>]`" in text
    assert "| `host-name` | a string | none | A host. |" in text


def test_a_table_is_a_frozen_keyword_only_record() -> None:
    table = Sample(count=2)
    assert table == Sample(count=2) and table != Sample() and hash(Inner()) == hash(Inner())
    assert repr(Inner(host_name="h")) == "Inner(host_name='h')"
    assert Sample().per_env is not Sample().per_env  # each gets its own mapping
    with pytest.raises(AttributeError, match="frozen"):
        table.count = 3  # type: ignore[misc]
    with pytest.raises(TypeError, match="no setting 'cuont'"):
        Sample(cuont=1)  # type: ignore[call-arg]
