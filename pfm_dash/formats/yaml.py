"""YAML as every generated file writes it: deterministic, readable, the same with or without
libyaml. One writer for all formats (rules, tests, routing, provisioning, scrape config).

The bytes are PyYAML's safe dumper's. A build writes them with
:mod:`pfm_dash.formats.yaml_writer`, which does not import PyYAML (~10 ms of every build);
data that writer is not sure of goes to PyYAML itself, imported then.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from pfm_dash.formats.yaml_writer import Unsure, write_yaml

if TYPE_CHECKING:
    import yaml


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _dumper(base: type[yaml.SafeDumper]) -> type[yaml.SafeDumper]:
    """A safe dumper that writes multi-line text as ``|`` literals (expressions, descriptions)."""
    dumper = cast("type[yaml.SafeDumper]", type("Dumper", (base,), {}))
    dumper.add_representer(str, _str)
    return dumper


def __getattr__(name: str) -> type[yaml.SafeDumper]:
    """``DUMPER`` (libyaml's emitter when installed) and ``PY_DUMPER`` (PyYAML's own), made on
    first use so that importing this module does not import PyYAML.

    libyaml's emitter is six times faster than PyYAML's and writes the same bytes (a test holds
    them to it), so a machine without libyaml still builds identical files.
    """
    if name not in ("DUMPER", "PY_DUMPER"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import yaml

    made = {
        "PY_DUMPER": _dumper(yaml.SafeDumper),
        "DUMPER": _dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)),
    }
    globals().update(made)
    return made[name]


def dump_yaml(data: Any, header: str = "", dumper: type[yaml.SafeDumper] | None = None) -> str:
    """Deterministic YAML: keys in the order we build them, quotes where YAML needs them.

    Without ``dumper``, written by our own writer when it can and by PyYAML's libyaml dumper
    when it cannot: the bytes are the same either way.
    """
    if dumper is None:
        try:
            return header + write_yaml(data)
        except Unsure:
            dumper = cast("type[yaml.SafeDumper]", globals().get("DUMPER") or __getattr__("DUMPER"))
    import yaml

    body = yaml.dump(
        data,
        Dumper=dumper,
        sort_keys=False,
        default_flow_style=False,
        allow_unicode=True,
        width=100_000,
    )
    return header + body
