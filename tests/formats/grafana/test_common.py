"""``extra`` deep-merges last at every level, and never aliases the declaration's objects."""

from __future__ import annotations

from types import MappingProxyType

from pfm_dash import (
    Dashboard,
    DatasourceVariable,
    Link,
    Query,
    Row,
    Stat,
)
from pfm_dash.compiler import dashboard_bytes
from pfm_dash.formats.grafana import compile_dashboard
from pfm_dash.formats.grafana.common import merge


def test_merge_recurses_into_dicts_and_replaces_the_rest() -> None:
    base = {"a": {"b": 1, "c": [1, 2]}, "d": 1}
    merge(base, {"a": {"c": [3], "e": {"f": 1}}, "d": {"x": 1}})
    assert base == {"a": {"b": 1, "c": [3], "e": {"f": 1}}, "d": {"x": 1}}


def test_merged_values_are_copies_and_plain_dicts() -> None:
    raw = {"nested": {"k": [1]}}
    out = merge({}, MappingProxyType(raw))
    out["nested"]["k"].append(2)
    assert raw == {"nested": {"k": [1]}}
    assert type(out["nested"]) is dict


def test_extra_applies_at_every_level() -> None:
    stat = Stat(
        title="s",
        queries=[Query(expr="up", extra={"exemplar": True, "datasource": {"uid": "x"}})],
        links=[Link(title="l", url="/u", extra={"targetBlank": True})],
        extra={"options": {"reduceOptions": {"calcs": ["max"]}}},
    )
    board = Dashboard(
        uid="d",
        title="D",
        panels=[Row(title="r", panels=[stat], extra={"repeat": "env"})],
        variables=[DatasourceVariable(extra={"current": {"text": "p", "value": "p"}})],
        links=[Link(title="dl", url="/x", extra={"type": "dashboards", "tags": ["t"]})],
        extra={"timepicker": {"hidden": True}, "templating": {"enable": True}},
    )
    model = compile_dashboard(board).model
    row, panel = model["panels"]
    assert row["repeat"] == "env"
    target = panel["targets"][0]
    assert target["exemplar"] is True
    assert target["datasource"] == {"type": "prometheus", "uid": "x"}
    assert panel["datasource"] == {"type": "prometheus", "uid": "${datasource}"}
    assert panel["options"]["reduceOptions"] == {"calcs": ["max"], "fields": "", "values": False}
    assert panel["links"] == [{"title": "l", "url": "/u", "targetBlank": True}]
    assert model["links"][0]["type"] == "dashboards" and model["links"][0]["tags"] == ["t"]
    assert model["templating"]["enable"] is True
    assert model["templating"]["list"][0]["current"] == {"text": "p", "value": "p"}
    assert model["timepicker"] == {"hidden": True}
    dashboard_bytes(model)  # serialisable: no Mapping proxies or tuples left behind
