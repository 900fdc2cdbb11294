"""YAML as every generated file writes it: deterministic, readable, the same with or without
libyaml. One writer for all formats (rules, tests, routing, provisioning, scrape config)."""

from __future__ import annotations

from typing import Any, cast

import yaml


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _dumper(base: type[yaml.SafeDumper]) -> type[yaml.SafeDumper]:
    """A safe dumper that writes multi-line text as ``|`` literals (expressions, descriptions)."""
    dumper = cast("type[yaml.SafeDumper]", type("Dumper", (base,), {}))
    dumper.add_representer(str, _str)
    return dumper


# libyaml's emitter is six times faster than PyYAML's and writes the same bytes (a test holds
# them to it), so a machine without libyaml still builds identical files.
PY_DUMPER = _dumper(yaml.SafeDumper)
DUMPER = _dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper))


def dump_yaml(data: Any, header: str = "", dumper: type[yaml.SafeDumper] = DUMPER) -> str:
    """Deterministic YAML: keys in the order we build them, quotes where YAML needs them."""
    body = yaml.dump(
        data,
        Dumper=dumper,
        sort_keys=False,
        default_flow_style=False,
        allow_unicode=True,
        width=100_000,
    )
    return header + body
